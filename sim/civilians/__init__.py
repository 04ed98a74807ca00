"""The civilian population as vectorised households: danger, flight, shelter, deaths, returns.

It knows nothing of armies: each day the wargame gives it a ``DayInputs`` (strikes, hostile settlements,
distances to the fighting and to recent captures, whether returns are allowed) and it does the rest.
"""

from sim.civilians.population import Civilians
from sim.civilians.rules import SHELTER_COLUMNS, DayInputs, Shelter

__all__ = ["SHELTER_COLUMNS", "Civilians", "DayInputs", "Shelter"]
