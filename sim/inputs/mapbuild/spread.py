"""Populations of the village map: the 123-town map's pre-offensive totals, spread over the communities.

The pre-offensive populations the project uses are the 123-town map's (``population``: towns grown by IDP
inflow, the rural population of each cell, the border camps, the seeds' 110,000 for Ma'arrat al-Nu'man;
see ``population``). The village map keeps them, cell by cell:

1. **Old cell.** Every community goes to its nearest 123-town settlement among those that are in the
   village map (straight line, local projection), and a settlement's own community always goes to it: the
   communities of a settlement's old cell. The 12 settlements of districts the village map leaves out
   (coastal Jablah and Al-Qardaha, Masyaf, As-Safira) and their people are not in it.
2. **Camps.** A settlement's camp capacity (``population.CAMPS``) stays with the community it is (Atmeh,
   Sarmada, ...): camps are at those places.
3. **Weights.** The rest of the settlement's population is shared over the communities of its old cell in
   proportion to a weight: the gazetteer's population where it is known and positive (IOM April 2026; for a
   few GeoNames towns GeoNames' figure); else, for the community that *is* the settlement, the 123-town
   map's own figure for the town itself (``town_figure``: its population without the rural share of its
   cell and without camps, i.e. the GeoNames or census figure grown by ``population.TOWN_GROWTH`` in the
   pocket, or that map's village default), so that a town the gazetteer has no figure for (Atarib, Tell
   Touqan) is not weighed like a hamlet; else the median known population of the community's sub-district
   (over all gazetteer points); else of its feature class. A 2026 population of 0 counts as unknown: it
   says the village was emptied by the fighting since 2019, not that it was empty before it.
4. **Rounding.** Shares are rounded down and the remaining people go one each to the largest remainders
   (ties to the lower node id), so every old cell's total is exactly the 123-town settlement's population.

Caveat (also in the map's ``meta``): IOM's 2026 figures come after years of displacement, destruction and
return. They are used only as relative weights inside one old cell; the totals are the 123-town map's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sim.inputs.mapbuild.communities import xy_km
from sim.inputs.mapbuild.population import AFRIN_AZAZ_RHO, SEED_POPULATION


@dataclass
class Spread:
    """Per node: population on 1 December 2019, camp places, weight, old settlement (index into the
    123-town map's settlements) and a note of how the figure was reached."""

    population: np.ndarray
    camp: np.ndarray
    weight: np.ndarray
    owner: np.ndarray
    source: list[str]


def town_figure(s: dict, rho: float) -> float:
    """The 123-town map's figure for a settlement's own people (rule 3), undoing that map's documented
    population rule (``population``): population - camps - the rural share of its cell (``rho`` per km² in
    the pocket, ``AFRIN_AZAZ_RHO`` in Turkish-held Afrin/Azaz, none elsewhere or for the seeds' figure)."""
    rural = {"opposition": rho, "turkey": AFRIN_AZAZ_RHO}.get(s["controller"], 0.0)
    if s["name"] in SEED_POPULATION:
        rural = 0.0
    return max(0.0, s["population"] - s.get("camp_capacity", 0) - rural * s["area_km2"])


def weights(nodes: pd.DataFrame, points: pd.DataFrame, own: dict[int, float]) -> tuple[np.ndarray, list[str]]:
    """Rule 3: the weight of every node and where it comes from (``own``: node -> its town figure)."""
    known = points[points["population"] > 0]
    by_a3 = known.groupby(["admin2", "admin3"])["population"].median()
    by_class = known.groupby("feature_class")["population"].median()
    overall = float(known["population"].median())
    w = np.zeros(len(nodes))
    why: list[str] = []
    for i, r in enumerate(nodes.itertuples()):
        if r.population > 0:
            w[i] = r.population
            why.append("gazetteer population")
        elif own.get(i, 0) > 0:
            w[i] = own[i]
            why.append("the 123-town map's figure for the town")
        elif (r.admin2, r.admin3) in by_a3.index:
            w[i] = float(by_a3[(r.admin2, r.admin3)])
            why.append(f"median of {r.admin3} sub-district")
        else:
            w[i] = float(by_class.get(r.feature_class, overall))
            why.append(f"median of the gazetteer's {r.feature_class} points")
    return w, why


def spread(
    nodes: pd.DataFrame,
    points: pd.DataFrame,
    settlements: list[dict],
    node_of: dict[int, int],
    rho: float,
) -> Spread:
    """Rules 1-4. ``settlements``: the 123-town map's; ``node_of``: settlement index -> node (only the
    settlements in the village map); ``rho``: that map's rural density in the pocket."""
    n = len(nodes)
    kept = np.array(sorted(node_of))
    xy = xy_km(nodes["lat"].to_numpy(), nodes["lon"].to_numpy())
    sxy = xy_km(
        np.array([settlements[k]["lat"] for k in kept]), np.array([settlements[k]["lon"] for k in kept])
    )
    _, j = cKDTree(sxy).query(xy)
    owner = kept[j]
    for k, node in node_of.items():
        owner[node] = k
    w, why = weights(nodes, points, {node: town_figure(settlements[k], rho) for k, node in node_of.items()})
    population = np.zeros(n, dtype=np.int64)
    camp = np.zeros(n, dtype=np.int64)
    source = [""] * n
    for k in kept:
        s = settlements[k]
        cell = np.flatnonzero(owner == k)
        camp[node_of[k]] = int(s.get("camp_capacity", 0))
        rest = int(s["population"]) - int(camp[node_of[k]])
        share = rest * w[cell] / w[cell].sum()
        base = np.floor(share).astype(np.int64)
        left = rest - int(base.sum())
        order = np.lexsort((cell, -(share - base)))  # largest remainder first, ties to the lower id
        base[order[:left]] += 1
        population[cell] = base
        population[node_of[k]] += camp[node_of[k]]
        total_w = w[cell].sum()
        for c in cell:
            source[c] = (
                f"{s['name']} (123-town map, {int(s['population']):,}"
                + (f" incl. camps {int(camp[node_of[k]]):,}" if camp[node_of[k]] else "")
                + f") spread over {len(cell)} communities by weight {w[c]:,.0f} ({why[c]}) of {total_w:,.0f}"
            )
    return Spread(population=population, camp=camp, weight=w, owner=owner, source=source)
