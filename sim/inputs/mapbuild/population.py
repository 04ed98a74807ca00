"""Population on 1 December 2019, before the offensive: towns, the rural population of each cell, camps.

Rule (step 3 of the build): ``town`` = GeoNames population if > 0, else the supplement's census figure,
else ``VILLAGE_DEFAULT``. In the opposition-held pocket a settlement holds ``grown + rho x area_km2``, where
``grown = town x TOWN_GROWTH`` (or the seeds' own figure, ``SEED_POPULATION``, which then gets no rural
share) and rho, the rural density standing for the villages of the cell, is solved so that the pocket holds
``POCKET_POPULATION``:

    sum(grown) + sum(CAMPS) + rho x sum(area_km2 of settlements without a seed figure) = POCKET_POPULATION

(sums over the pocket; rho >= 0). Turkish-held Afrin/Azaz settlements hold ``grown + AFRIN_AZAZ_RHO x
area_km2``; government-held settlements keep ``town``. Populations are rounded, then the pre-existing
border camps (``CAMPS``) are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

POCKET_POPULATION = 3_000_000  # seeds [000] "a civilian population of three million"; [002] "More than three"
TOWN_GROWTH = 1.5  # towns of the pocket grew by IDP inflow since 2004 (documented assumption, not in seeds)
VILLAGE_DEFAULT = 3_000
SEED_POPULATION = {"Ma'arrat al-Nu'man": (110_000, "seed [000]: '110,000 civilian residents'")}
AFRIN_AZAZ_RHO = 60.0  # rural people per km2 in Turkish-held Afrin/Azaz (documented assumption)
# Pre-existing border camps, already full before December 2019 (documented order-of-magnitude assumption:
# CCCM reported roughly a million IDPs in camps and informal sites in the north-west in late 2019 [GK],
# concentrated along the border in Dana sub-district: Atmeh, Qah, Sarmada, Kafr Lusin, Deir Hassan).
CAMPS = {
    "Atmeh": 200_000,
    "Sarmada": 110_000,
    "Qah": 70_000,
    "Kafr Lusin": 60_000,
    "Deir Hassan": 60_000,
    "Dana": 60_000,
    "Tell al-Karamah": 40_000,
    "Harem": 40_000,
    "Salqin": 30_000,
    "Kafr Aruq": 25_000,
    "Maarrat Misrin": 25_000,
    "Azaz": 40_000,
}


@dataclass
class Populations:
    """Per-settlement populations and how each was reached (``source`` goes into the map file)."""

    town: np.ndarray  # town population before growth (village default filled in)
    grown: np.ndarray  # town population after growth (or the seeds' figure)
    camp: np.ndarray  # places in pre-existing camps
    population: np.ndarray  # total on 1 December 2019
    source: list[str]
    rho: float  # rural people per km2 in the pocket


def populations(settlements: list[dict[str, Any]], controller: np.ndarray, area: np.ndarray) -> Populations:
    """Apply the population rule to the settlements (in map order) given their controller and area."""
    S = settlements
    names = [s["name"] for s in S]
    index = {nm: i for i, nm in enumerate(names)}
    n = len(S)
    town = np.array([s["town_population"] for s in S], dtype=float)
    pop_source = [s["population_source"] for s in S]
    for i in range(n):
        if town[i] <= 0:
            town[i] = VILLAGE_DEFAULT
            pop_source[i] = f"estimate: village default {VILLAGE_DEFAULT}"
    camp = np.array([CAMPS.get(nm, 0) for nm in names], dtype=float)
    pocket = controller == "opposition"
    seed_fixed = np.array([nm in SEED_POPULATION for nm in names])
    grown = town * TOWN_GROWTH
    for nm, (val, _) in SEED_POPULATION.items():
        if nm in index:
            grown[index[nm]] = val
    fixed = grown[pocket].sum() + camp[pocket].sum()
    rho = max(0.0, (POCKET_POPULATION - fixed) / area[pocket & ~seed_fixed].sum())
    population = town.copy()
    population[pocket] = grown[pocket] + np.where(seed_fixed[pocket], 0.0, rho * area[pocket])
    ttk = controller == "turkey"
    population[ttk] = grown[ttk] + AFRIN_AZAZ_RHO * area[ttk]
    population = np.round(population) + camp
    for i, nm in enumerate(names):
        if nm in SEED_POPULATION:
            pop_source[i] = SEED_POPULATION[nm][1]
        elif pocket[i]:
            pop_source[i] = f"{pop_source[i]} x {TOWN_GROWTH} + {rho:.1f}/km2 x {area[i]:.0f} km2" + (
                f" + camps {int(camp[i])}" if camp[i] else ""
            )
        elif ttk[i]:
            pop_source[i] = f"{pop_source[i]} x {TOWN_GROWTH} + {AFRIN_AZAZ_RHO}/km2 x {area[i]:.0f} km2" + (
                f" + camps {int(camp[i])}" if camp[i] else ""
            )
    return Populations(town=town, grown=grown, camp=camp, population=population, source=pop_source, rho=rho)
