"""The civilian population as vectorised households: danger, flight, shelter, deaths, returns."""

from sim.civilians.population import SHELTER_COLUMNS, Civilians, DayInputs, Shelter

__all__ = ["SHELTER_COLUMNS", "Civilians", "DayInputs", "Shelter"]
