"""The settlements of the 123-town map as communities of the village map.

The village map keeps what the project already decided on the 123-town map (``scenarios/maps/
northwest_syria.json``): its names (as aliases), its pre-offensive populations (``spread``), its control
overrides and marked places. To carry them over, each current settlement *is* one community:

* the nearest gazetteer point within ``MATCH_KM`` whose name matches one of the settlement's names (the
  ``communities.name_key`` of any name or alias, or of either part of OCHA's twin names "A - B", compared
  with difflib, ratio at least ``MATCH_RATIO``);
* else the nearest gazetteer point; every settlement matched this way was checked by eye and is listed in
  ``BY_LOCATION`` with the reason, and the build stops on one that is not (so a change of the gazetteer
  cannot silently re-attach a name);
* the places in ``NOT_COMMUNITIES`` (the airbase) are no community: they stay nodes of their own, at the
  current map's coordinates.

Two settlements may not be the same community (the build stops).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sim.inputs.mapbuild.communities import name_key, xy_km
from sim.inputs.mapbuild.paths import TOWNS_MAP

MATCH_KM = 2.0
MATCH_RATIO = 0.8
NOT_COMMUNITIES = {"Abu al-Duhur Airbase": "a military airbase, not a community: kept as a node of its own"}
# Current settlements whose community was found by location, not by name, each checked by eye.
BY_LOCATION = {
    "Al-Lataminah": "an unnamed OCHA point 0.07 km away; the gazetteer's Latmin (5 km NE) is another village",
    "Deir al-Gharbi": "'Western Deir' 0.04 km away: OCHA translates the name",
    "Deir al-Sharqi": "'Eastern Deir' 0.9 km away: OCHA translates the name",
    "Maardebseh": "an unnamed OCHA point 0.17 km away, on the M5 north of Ma'arrat al-Nu'man",
    "Tell Mannas": "'Telamnas' 0.22 km away: OCHA writes Tell Mannas as one word (the seeds' Talmenes)",
    "Tell Touqan": "an unnamed OCHA point 0.11 km away, east of Saraqib",
    "Urum al-Kubra": "'Big Orm' 0.26 km away: OCHA translates the name (Urum al-Kubra, Greater Urum)",
    "Zahraa": "an unnamed OCHA point 0.20 km away, the town next to Nubl",
}

# Names the 123-town build uses for a place its GeoNames extracts lacked but its highway chains name
# (``roads.M5``): hand aliases, so the chains find the place now that the map has it.
TOWN_BUILD_ALIASES = {
    "Souran": (
        "C3026",
        "the 123-town build's name (names.map_name) for the Suran on the M5 in Hama district",
    ),
}


@dataclass
class CurrentMap:
    """The current map's settlements and, for each, the gazetteer point it is (-1: not a community)."""

    settlements: list[dict[str, Any]]
    community: np.ndarray
    how: list[str]  # "name", "location" or "not a community", for the build summary
    distance_km: np.ndarray
    meta: dict[str, Any]

    def index(self) -> dict[str, int]:
        return {s["name"]: i for i, s in enumerate(self.settlements)}


def _matches(names: list[str], row: pd.Series) -> bool:
    keys = {name_key(n) for n in names} - {""}
    # OCHA writes twin names "A - B" or "A / B": each part is a name too
    theirs = {name_key(p) for n in [row["name"], *row["alts"]] for p in [n, *re.split(r" [-/] ", n)]} - {""}
    return any(difflib.SequenceMatcher(None, a, b).ratio() >= MATCH_RATIO for a in keys for b in theirs)


def current_map(points: pd.DataFrame) -> CurrentMap:
    """Match every settlement of the current map to a gazetteer point of ``points`` (all districts)."""
    data = json.loads(TOWNS_MAP.read_text(encoding="utf-8"))
    settlements = data["settlements"]
    lat = np.array([s["lat"] for s in settlements])
    lon = np.array([s["lon"] for s in settlements])
    tree = cKDTree(xy_km(points["lat"].to_numpy(), points["lon"].to_numpy()))
    near = tree.query_ball_point(xy_km(lat, lon), r=MATCH_KM)
    dist_all, nearest = tree.query(xy_km(lat, lon))
    community = np.full(len(settlements), -1)
    how, dist = [], np.zeros(len(settlements))
    for i, s in enumerate(settlements):
        if s["name"] in NOT_COMMUNITIES:
            how.append("not a community")
            continue
        d = np.hypot(
            *(
                xy_km(points["lat"].to_numpy()[near[i]], points["lon"].to_numpy()[near[i]])
                - xy_km(lat[i], lon[i])
            ).T
        )
        cands = [
            (dd, j)
            for dd, j in sorted(zip(d, near[i], strict=True))
            if _matches([s["name"], *s["alt_names"]], points.iloc[j])
        ]
        if cands:
            dist[i], community[i] = cands[0]
            how.append("name")
        else:
            dist[i], community[i] = dist_all[i], nearest[i]
            how.append("location")
            if s["name"] not in BY_LOCATION:
                raise ValueError(
                    f"current settlement {s['name']} has no community of its name within {MATCH_KM} km; "
                    f"the nearest is '{points.iloc[nearest[i]]['name']}' at {dist_all[i]:.2f} km: check it "
                    "by eye and list it in BY_LOCATION"
                )
    taken = community[community >= 0]
    if len(set(taken)) != len(taken):
        dup = next(c for c in taken if (taken == c).sum() > 1)
        both = [s["name"] for s, c in zip(settlements, community, strict=True) if c == dup]
        raise ValueError(f"current settlements {both} are the same community")
    return CurrentMap(settlements, community, how, dist, data["meta"])
