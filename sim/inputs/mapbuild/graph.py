"""Roads of the village map: the M5 and M4 as ordered chains through their real towns, and secondary roads
by a proximity rule.

Rules (the build's step "roads"; distances on the local projection of ``communities.xy_km``):

1. **Highways.** The 123-town map's chains (``roads.M5``, ``roads.M4``; the M4 shares the M5 from Saraqib
   to Aleppo), each town resolved to its node by name or alias (towns the map lacks are skipped, as
   before, and so are the towns in ``OFF_THE_ROAD``), are the highway's fixed points. Every other node
   within ``HIGHWAY_CORRIDOR_KM`` of the polyline through them lies on the highway and is inserted,
   ordered by the position of its foot on the polyline
   (arc length). Consecutive nodes of a chain are joined by a highway link.
2. **Secondary roads.** The Gabriel graph of the nodes: i-j is a road when no other node lies in the circle
   whose diameter is i-j (a standard proxy for rural road networks: planar, sparse, connected; it contains
   the minimum spanning tree). It is computed from the Delaunay triangulation (scipy.spatial), of which it
   is a subset. Links longer than ``SECONDARY_MAX_KM`` are dropped, except the shortest ones needed to keep
   the network connected (Kruskal over the long Gabriel links, shortest first).
3. **Lengths.** Great-circle km x ``roads.ROAD_FACTOR`` (1.15 for a highway link, 1.3 for a secondary road).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, cKDTree

from sim.inputs.geography import haversine_km
from sim.inputs.mapbuild.communities import xy_km
from sim.inputs.mapbuild.roads import M4, M5, ROAD_FACTOR

HIGHWAY_CORRIDOR_KM = 1.0
SECONDARY_MAX_KM = 10.0
# Towns of the 123-town chains that are not on the road at village scale: the M5 runs straight from Khan
# Shaykhun through Maar Hattat (now on the map) to Ma'arrat al-Nu'man, between Hish (1.5 km W of it) and
# Babulin (1.7 km E); as fixed points they would make the highway zigzag. Nodes within the corridor stay
# on it.
OFF_THE_ROAD = {"Hish", "Babulin"}


def gabriel_edges(xy: np.ndarray) -> np.ndarray:
    """(m, 2) sorted node pairs of the Gabriel graph of the points ``xy`` (km)."""
    tri = Delaunay(xy)
    s = tri.simplices
    e = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    e = np.unique(np.sort(e, axis=1), axis=0)
    mid = (xy[e[:, 0]] + xy[e[:, 1]]) / 2
    r = np.linalg.norm(xy[e[:, 0]] - xy[e[:, 1]], axis=1) / 2
    # the endpoints lie on the circle: count only points strictly inside (a hair's tolerance)
    inside = cKDTree(xy).query_ball_point(mid, r * (1 - 1e-9), return_length=True)
    return e[inside == 0]


def highway_chain(xy: np.ndarray, towns: list[int]) -> list[int]:
    """Rule 1: the chain's towns with every node of the corridor inserted in order along the polyline."""
    a, b = xy[towns[:-1]], xy[towns[1:]]
    d = b - a
    seg2 = (d * d).sum(axis=1)
    t = np.clip(((xy[:, None, :] - a[None]) * d[None]).sum(axis=2) / seg2[None], 0.0, 1.0)
    foot = a[None] + t[..., None] * d[None]
    dist = np.linalg.norm(xy[:, None, :] - foot, axis=2)
    seg = dist.argmin(axis=1)
    cum = np.concatenate([[0.0], np.cumsum(np.sqrt(seg2))])
    pos = cum[seg] + t[np.arange(len(xy)), seg] * np.sqrt(seg2[seg])
    pos[towns] = cum  # the fixed points at their own vertices
    on = set(np.flatnonzero(dist.min(axis=1) <= HIGHWAY_CORRIDOR_KM)) | set(towns)
    return [int(i) for i in sorted(on, key=lambda i: (pos[i], i))]


def village_roads(
    lat: np.ndarray, lon: np.ndarray, resolve: dict[str, int]
) -> tuple[list[dict], dict[str, list[int]], dict[str, int]]:
    """Rules 1-3: the roads (sorted by (u, v)), the highway chains, and counts for the build summary."""
    xy = xy_km(lat, lon)
    chains = {}
    for road, names in (("M5", M5), ("M4", M4)):
        towns = [resolve[x.casefold()] for x in names if x.casefold() in resolve and x not in OFF_THE_ROAD]
        chains[road] = highway_chain(xy, towns)
    edges: dict[tuple[int, int], list[str]] = {}
    for road, chain in chains.items():
        for u, v in itertools.pairwise(chain):
            edges.setdefault((min(u, v), max(u, v)), []).append(road)
    gab = gabriel_edges(xy)
    length = np.linalg.norm(xy[gab[:, 0]] - xy[gab[:, 1]], axis=1)
    short = length <= SECONDARY_MAX_KM
    for u, v in gab[short]:
        edges.setdefault((int(u), int(v)), [])
    n = len(lat)
    added = 0
    ncomp, label = _components(n, edges)
    if ncomp > 1:
        parent = {c: c for c in range(ncomp)}

        def find(c: int) -> int:
            while parent[c] != c:
                c = parent[c]
            return c

        for k in np.argsort(length[~short], kind="stable"):
            u, v = (int(x) for x in gab[~short][k])
            cu, cv = find(label[u]), find(label[v])
            if cu != cv:
                parent[cu] = cv
                edges[(u, v)] = []
                added += 1
    roads = []
    for (u, v), hw in sorted(edges.items()):
        km = float(haversine_km(lat[u], lon[u], lat[v], lon[v]))
        roads.append(
            {
                "u": u,
                "v": v,
                "kind": hw[0] if hw else "secondary",
                "highways": sorted(set(hw)),
                "length_km": round(km * ROAD_FACTOR["highway" if hw else "secondary"], 2),
            }
        )
    stats = {
        "gabriel_links": len(gab),
        "gabriel_links_over_cap": int((~short).sum()),
        "reconnecting_links": added,
        "components_before_reconnecting": ncomp,
    }
    return roads, chains, stats


def _components(n: int, edges: dict[tuple[int, int], list[str]]) -> tuple[int, np.ndarray]:
    e = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    m = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    return connected_components(m, directed=False)
