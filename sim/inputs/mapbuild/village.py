"""The village build: every community of the theatre a node (``python -m sim.inputs.mapbuild``).

Steps, each with its rules in its module: the communities (``communities``: gazetteer, near-duplicates,
admin units, theatre), the 123-town map's settlements as communities (``current``), names and aliases
(``aliases``, ``seeds``), populations (``spread``), control (``control.community_control``), areas
(``areas.community_areas``), terrain (``terrain``: the boxes; urban for ``URBAN_MIN`` people or more,
camps not counted), roads (``graph``), marked places (``marked``: crossings, ``VILLAGE_POSTS``). The marked
places the scenarios need as supply heads or objectives (``MARKED``: Aleppo, Hama, Latakia and the
airbase) are nodes even where their district is left out (Latakia city). Kinds: ``crossing`` (Bab
al-Hawa), ``airbase``, ``camp`` (camp places and fewer than 20,000 other people), else ``city``
(100,000 or more), ``town`` (15,000 or more) or ``village``.

The file has the 123-town map's layout (``meta``, ``settlements``, ``roads``, ``highways``,
``observation_posts``), nodes sorted by primary name, and is deterministic (fixed rounding, sorted lists),
written whole or not at all, so a test checks the committed map against a fresh build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.inputs.mapbuild.aliases import assemble_aliases, hand_alias_index, primary_names, resolver
from sim.inputs.mapbuild.areas import community_areas
from sim.inputs.mapbuild.communities import (
    LATTAKIA_HILLS,
    MERGE_KM,
    NAMED_MERGE_KM,
    THEATRE_DISTRICTS,
    gazetteer_points,
    in_theatre,
    xy_km,
)
from sim.inputs.mapbuild.control import CONTROL_NOTES, community_control
from sim.inputs.mapbuild.current import NOT_COMMUNITIES, TOWN_BUILD_ALIASES, CurrentMap, current_map
from sim.inputs.mapbuild.graph import HIGHWAY_CORRIDOR_KM, SECONDARY_MAX_KM, village_roads
from sim.inputs.mapbuild.marked import CROSSINGS, VILLAGE_POSTS
from sim.inputs.mapbuild.output import write_map
from sim.inputs.mapbuild.paths import VILLAGE_OUT
from sim.inputs.mapbuild.roads import ROAD_FACTOR
from sim.inputs.mapbuild.seeds import NOT_LOCATED, SEED_PLACES, seed_names, supplement_spellings
from sim.inputs.mapbuild.spread import Spread, spread
from sim.inputs.mapbuild.terrain import TERRAIN_BOXES, URBAN_MIN, terrain_classes
from sim.inputs.mapbuild.window import theatre_polygon

GRID_KM = 0.25
MARKED = ("Aleppo", "Hama", "Latakia", "Abu al-Duhur Airbase")
GOVERNORATE = {"Idleb": "Idlib", "Aleppo": "Aleppo", "Hama": "Hama", "Lattakia": "Latakia"}
POPULATION_CAVEAT = (
    "Pre-offensive totals are the 123-town map's (scenarios/maps/northwest_syria.json), cell by cell; the "
    "gazetteer's populations (IOM DTM, April 2026, after years of displacement and return) are used only as "
    "relative weights inside each old cell, not as 2019 counts."
)


def _nodes(points: pd.DataFrame, cur: CurrentMap, poly: list[tuple[float, float]]) -> pd.DataFrame:
    """The theatre's communities, the marked ones, and the current map's places that are no community."""
    keep = in_theatre(points, poly)
    index = cur.index()
    for name in MARKED:
        if cur.community[index[name]] >= 0:
            keep[cur.community[index[name]]] = True
    nodes = points[keep].copy()
    nodes["point"] = np.flatnonzero(keep)
    xy = xy_km(nodes["lat"].to_numpy(), nodes["lon"].to_numpy())
    extra = []
    for name in NOT_COMMUNITIES:
        s = cur.settlements[index[name]]
        near = nodes.iloc[int(np.argmin(np.linalg.norm(xy - xy_km(s["lat"], s["lon"]), axis=1)))]
        extra.append(
            {
                **{c: near[c] for c in ("admin1", "admin2", "admin3", "admin3_pcode")},
                "name": "",
                "alts": [],
                "lat": s["lat"],
                "lon": s["lon"],
                "population": np.nan,
                "pcode": "",
                "feature_class": "airbase",
                "source": s["source"],
                "point": -1,
                "confidence": "123-town map (not a community)",
                "is_ocha": False,
                "ocha": -1,
            }
        )
    return pd.concat([nodes, pd.DataFrame(extra)], ignore_index=True)


def _names(
    nodes: pd.DataFrame, cur: CurrentMap
) -> tuple[list[str], list[list[str]], dict[int, int], list[str]]:
    """Primary names, aliases, the current settlements' nodes, and the ordinary aliases dropped."""
    by_point = {int(p): i for i, p in enumerate(nodes["point"]) if p >= 0}
    node_of: dict[int, int] = {}
    for k, s in enumerate(cur.settlements):
        if s["name"] in NOT_COMMUNITIES:
            node_of[k] = int(np.flatnonzero((nodes["point"] == -1) & (nodes["lat"] == s["lat"]))[0])
        elif int(cur.community[k]) in by_point:
            node_of[k] = by_point[int(cur.community[k])]
    given = {node: cur.settlements[k]["name"] for k, node in node_of.items() if not nodes["name"].iloc[node]}
    hand = [(cur.settlements[k]["name"], node, "123-town map") for k, node in node_of.items()]
    by_pcode = {p: i for i, p in enumerate(nodes["pcode"]) if p}
    by_current = {cur.settlements[k]["name"]: node for k, node in node_of.items()}
    for seed, (target, _why) in {**SEED_PLACES, **TOWN_BUILD_ALIASES}.items():
        node = by_pcode.get(target, by_current.get(target))
        if node is None:
            raise ValueError(f"seed place {seed}: {target} is not a node of the village map")
        hand.append((seed, node, "seeds"))
    names = primary_names(nodes, given, hand_alias_index(hand))
    spell = supplement_spellings()
    ordinary = [list(a) for a in nodes["alts"]]
    for i, nm in enumerate(names):
        base = nodes["name"].iloc[i] or given.get(i, "")
        if base and base != nm:
            ordinary[i].append(base)
    for k, node in node_of.items():
        ordinary[node] += cur.settlements[k]["alt_names"]
    for alias, node, _ in hand:
        ordinary[node] += spell.get(alias, [])
    aliases, dropped = assemble_aliases(names, hand, ordinary)
    return names, aliases, node_of, dropped


def seeds_located(resolve: dict[str, int]) -> tuple[list[str], list[str]]:
    """The seeds' places located and not located. A place is located when it names a node and is not in
    ``seeds.NOT_LOCATED`` (where a namesake elsewhere is not the seeds' place); every place (and repeated
    spelling) must be one or the other."""
    places, spellings = seed_names()
    located = [p for p in places if p.casefold() in resolve and p not in NOT_LOCATED]
    missing = [p for p in places if p not in located]
    for p in [*places, *spellings]:
        if p.casefold() not in resolve and p not in NOT_LOCATED:
            raise ValueError(f"seed place {p} names no node: give it one (seeds.SEED_PLACES) or say why not")
    return located, missing


def _kind(name: str, s: Spread, i: int, crossing: bool, airbase: bool) -> str:
    if crossing and "Bab" in name:
        return "crossing"
    if airbase:
        return "airbase"
    if s.camp[i] > 0 and s.population[i] - s.camp[i] < 20_000:
        return "camp"
    p = s.population[i]
    return "city" if p >= 100_000 else "town" if p >= 15_000 else "village"


def build_villages(out: Path = VILLAGE_OUT) -> dict[str, Any]:
    """Build the village map, write it to ``out`` and return its contents (``meta.build`` holds the
    summary figures)."""
    poly = theatre_polygon()
    points, merges = gazetteer_points()
    cur = current_map(points)
    nodes = _nodes(points, cur, poly)
    names, aliases, node_of, dropped = _names(nodes, cur)
    order = sorted(range(len(names)), key=lambda i: names[i])
    inv = np.argsort(order)
    nodes = nodes.iloc[order].reset_index(drop=True)
    names = [names[i] for i in order]
    aliases = [aliases[i] for i in order]
    node_of = {k: int(inv[v]) for k, v in node_of.items()}
    resolve = resolver(names, aliases)
    lat, lon = nodes["lat"].to_numpy(float), nodes["lon"].to_numpy(float)

    pop = spread(nodes, points, cur.settlements, node_of, cur.meta["rules"]["rural_density_per_km2"])
    cells = {cur.settlements[k]["name"]: np.flatnonzero(pop.owner == k) for k in node_of}
    controller, note = community_control(lat, lon, nodes["admin2"].to_numpy(), resolve, cells)
    gone = np.setdiff1d(np.arange(len(points)), nodes["point"].to_numpy())
    area, gov_names, area_by_gov, area_totals = community_areas(
        poly, lat, lon, points["lat"].to_numpy()[gone], points["lon"].to_numpy()[gone], GRID_KM
    )
    own = (pop.population - pop.camp).astype(float)
    terrain = terrain_classes(lat, lon, own, own)
    roads, chains, road_stats = village_roads(lat, lon, resolve)
    crossing = {resolve[c.casefold()] for c in CROSSINGS}
    airbase = set(nodes.index[nodes["feature_class"] == "airbase"])
    located, missing = seeds_located(resolve)

    settlements = []
    for i, nm in enumerate(names):
        r = nodes.iloc[i]
        settlements.append(
            {
                "id": i,
                "name": nm,
                "alt_names": aliases[i],
                "lat": round(float(lat[i]), 6),
                "lon": round(float(lon[i]), 6),
                "governorate": GOVERNORATE[r["admin1"]],
                "pcode": r["pcode"],
                "admin2": r["admin2"],
                "admin3": r["admin3"],
                "admin3_pcode": r["admin3_pcode"],
                "kind": _kind(nm, pop, i, i in crossing, i in airbase),
                "population": int(pop.population[i]),
                "population_source": pop.source[i],
                # the 123-town settlement whose old cell the community is in (its population's source)
                "towns_map_cell": cur.settlements[int(pop.owner[i])]["name"],
                "camp_capacity": int(pop.camp[i]),
                "terrain": terrain[i],
                "area_km2": float(area[i]),
                "area_by_governorate_km2": {
                    g: float(area_by_gov[g][i]) for g in gov_names if area_by_gov[g][i]
                },
                "controller": str(controller[i]),
                "control_note": str(note[i]),
                "border_crossing": i in crossing,
                "source": r["source"],
                "confidence": r["confidence"],
            }
        )
    posts = [
        {"name": p, "settlement": names[resolve[at.casefold()]], "note": why} for p, at, why in VILLAGE_POSTS
    ]
    left_out = [s["name"] for k, s in enumerate(cur.settlements) if k not in node_of]
    meta = {
        "title": "Northwestern Syria: every community a node, roads, control on 1 December 2019",
        "built_by": "python -m sim.inputs.mapbuild",
        "sources": {
            "gazetteer": "scenarios/maps/sources/gazetteer/ (OCHA COD community points, CC BY-IGO; IOM DTM "
            "location list and populations, April 2026, IOM terms; OpenStreetMap names, ODbL; GeoNames, CC "
            "BY 4.0): see its README.md",
            "towns_map": "scenarios/maps/northwest_syria.json (pre-offensive populations, control overrides, "
            "marked places)",
            "boundaries": "scenarios/maps/sources/boundaries.json",
        },
        "population_caveat": POPULATION_CAVEAT,
        "rules": {
            "merge_km": MERGE_KM,
            "named_merge_km": NAMED_MERGE_KM,
            "theatre_districts": {k: sorted(v) for k, v in THEATRE_DISTRICTS.items()},
            "lattakia_hill_subdistricts": sorted(LATTAKIA_HILLS),
            "marked_places": list(MARKED),
            "grid_km": GRID_KM,
            "road_factor": ROAD_FACTOR,
            "highway_corridor_km": HIGHWAY_CORRIDOR_KM,
            "secondary_max_km": SECONDARY_MAX_KM,
            "terrain_boxes": TERRAIN_BOXES,
            "urban_min": URBAN_MIN,
        },
        "control_notes": CONTROL_NOTES,
        "theatre_polygon": [[round(a, 4), round(b, 4)] for a, b in poly],
        "governorate_area_km2": {g: float(area_by_gov[g].sum()) for g in gov_names},
        "crossings": CROSSINGS,
        "build": {
            "theatre_km2": area_totals["theatre_km2"],
            "polygon_km2": area_totals["polygon_km2"],
            "nodes_given_their_own_cell": int(area_totals["nodes_given_their_own_cell"]),
            **road_stats,
            "seed_places": len(located) + len(missing),
            "seed_places_located": len(located),
            "seed_places_not_located": missing,
            "towns_map_settlements_left_out": left_out,
            "near_duplicates_merged": merges,
            "aliases_dropped_as_ambiguous": len(dropped),
        },
    }
    return write_map(out, meta, settlements, roads, chains, posts)
