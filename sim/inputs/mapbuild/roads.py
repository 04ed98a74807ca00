"""Roads: the M5 and M4 highways as ordered chains, and secondary roads from the settlements' geometry.

Rule (step 5 of the build): secondary roads are the Gabriel graph of the settlements (an edge i-j exists
when no other settlement lies inside the circle whose diameter is i-j: a standard proxy for rural road
networks, connected, planar and sparse) restricted to links under ``MAX_LINK_KM``, plus the shortest links
that join its components (Kruskal over all pairs). Length = great-circle distance x ``ROAD_FACTOR``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from sim.inputs.geography import haversine_km

ROAD_FACTOR = {"highway": 1.15, "secondary": 1.3}
MAX_LINK_KM = 26.0
# The M4 joins the M5 at Saraqib and shares it to Aleppo.
SARAQIB_ALEPPO = [
    "Saraqib",
    "Duwayr",
    "Talhiyah",
    "Al-Eiss",
    "Barqum",
    "Al-Zarbah",
    "Al-Salihiyah",
    "Khan al-Asal",
    "Rashideen",
    "Aleppo",
]
M5 = [
    "Hama",
    "Taybat al-Imam",
    "Souran",
    "Morek",
    "Khan Shaykhun",
    "Hish",
    "Babulin",
    "Maar Hattat",
    "Ma'arrat al-Nu'man",
    "Maardebseh",
    "Khan al-Subul",
    "Tell Mardikh",
    *SARAQIB_ALEPPO,
]
M4 = [
    "Latakia",
    "Al-Bahluliyah",
    # not Ayn al-Bayda: GeoNames' only point of that name lies 7 km west of al-Bahluliyah, which would
    # make the highway zigzag back towards Latakia
    "Bdama",
    "Jisr al-Shughur",
    "Mhambal",
    "Bsanqul",
    "Urum al-Joz",
    "Ariha",
    "Nayrab",
    *SARAQIB_ALEPPO,
]


def highway_chains(index: dict[str, int]) -> dict[str, list[int]]:
    """The M5 and M4 as settlement ids in road order (places missing from the map are skipped)."""
    return {"M5": [index[x] for x in M5 if x in index], "M4": [index[x] for x in M4 if x in index]}


def roads(names: list[str], lat: np.ndarray, lon: np.ndarray, index: dict[str, int]) -> list[dict[str, Any]]:
    """Every road once, sorted by (u, v): the highway links, the Gabriel links (tested on a local
    equirectangular projection) and the links that connect the components, with kind and length."""
    n = len(names)
    d = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for road, chain in (("M5", M5), ("M4", M4)):
        ids = [index[x] for x in chain if x in index]
        for a, b in itertools.pairwise(ids):
            key = (min(a, b), max(a, b))
            e = edges.setdefault(key, {"kind": road, "highways": []})
            if road not in e["highways"]:
                e["highways"].append(road)
    lat0 = math.radians(float(lat.mean()))
    x = lon * 111.32 * math.cos(lat0)
    y = lat * 110.57
    for i in range(n):
        for j in range(i + 1, n):
            if d[i, j] > MAX_LINK_KM or (i, j) in edges:
                continue
            mx, my = (x[i] + x[j]) / 2, (y[i] + y[j]) / 2
            r2 = ((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2) / 4
            dd = (x - mx) ** 2 + (y - my) ** 2
            dd[[i, j]] = np.inf
            if np.all(dd >= r2):
                edges[(i, j)] = {"kind": "secondary", "highways": []}
    # connect components with the shortest links (Kruskal over the complete graph)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in edges:
        parent[find(i)] = find(j)
    pairs = sorted((d[i, j], i, j) for i in range(n) for j in range(i + 1, n))
    for _, i, j in pairs:
        if find(i) != find(j):
            parent[find(i)] = find(j)
            edges[(i, j)] = {"kind": "secondary", "highways": []}
    out = []
    for (i, j), e in sorted(edges.items()):
        factor = ROAD_FACTOR["highway" if e["highways"] else "secondary"]
        out.append(
            {
                "u": i,
                "v": j,
                "kind": e["kind"] if e["highways"] else "secondary",
                "highways": sorted(e["highways"]),
                "length_km": round(float(d[i, j]) * factor, 2),
            }
        )
    return out
