"""The roads a day's fleeing households can take: the day's road graph, which origins have anywhere to
go on it and which settlements they can reach. The distances themselves are scipy's Dijkstra over this
graph, restricted to those settlements (``Civilians._flee``)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from sim.inputs.parameters import CivilianParams
from sim.inputs.roads import RoadGraph, components


def flight_roads(
    edges: np.ndarray,
    edge_km: np.ndarray,
    p: CivilianParams,
    origins: np.ndarray,
    strikes: np.ndarray,
    hostile: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Today's roads for flight, as (cost of each edge, which edges are open): edges avoiding hostile-held
    settlements (except out of the origins), each weighted by its km and charged extra through settlements
    under fire (``route_fire_cost`` per strike, up to ``route_fire_cap`` strikes). ``RoadGraph.csr`` makes
    the graph of them."""
    e = edges
    cost_v = 1.0 + p.route_fire_cost * np.minimum(strikes, p.route_fire_cap)
    w = edge_km * 0.5 * (cost_v[e[:, 0]] + cost_v[e[:, 1]])
    ok = ~hostile[e[:, 0]] & ~hostile[e[:, 1]]
    # allow leaving a hostile origin: keep edges out of each origin
    allow_origin = np.zeros(hostile.size, dtype=bool)
    allow_origin[origins] = True
    ok |= (allow_origin[e[:, 0]] & ~hostile[e[:, 1]]) | (allow_origin[e[:, 1]] & ~hostile[e[:, 0]])
    return w, ok


def area_graph(roads: RoadGraph, w: np.ndarray, ok: np.ndarray, area: np.ndarray) -> csr_matrix:
    """The flight graph among the settlements of ``area`` alone (ascending; whole components of the graph
    of ``ok``, as ``open_origins`` gives), renumbered 0..len(area)-1 for the route searches."""
    inside = np.zeros(roads.n, dtype=bool)
    inside[area] = True
    return roads.csr(w, ok & inside[roads.edges[:, 0]], nodes=area)


def open_origins(g: csr_matrix, origins: np.ndarray, hostile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which origins can reach, on ``g``, a settlement other than themselves that is not hostile-held; and
    the settlements their flight can reach (every settlement in the components of those origins,
    ascending).

    Why: an origin that cannot (households in a captured village with every road out through hostile
    ground) is trapped whatever the distances are: every destination weight is 0, so it draws nothing.
    Most of a day's origins are such, and a connected-components pass saves their route searches; the
    others' routes are searched exactly as before. And a settlement outside the open origins' components
    is at infinite road distance from all of them: its destination weight is exactly 0, so the route
    searches and the destination weights are computed on the reachable settlements only (about half the
    map): the same distances and weights; the cumulative weights differ at most by the rounding of a row's
    total summed without its zeros (the golden fingerprints did not change).
    """
    _, labels = components(g)  # only the partition is used, not the labels' numbering
    safe = np.bincount(labels[~hostile], minlength=labels.max() + 1)
    # safe settlements in the origin's component, not counting the origin itself
    is_open = safe[labels[origins]] - (~hostile[origins]).astype(np.int64) > 0
    in_area = np.zeros(labels.max() + 1, dtype=bool)
    in_area[labels[origins[is_open]]] = True
    return is_open, np.flatnonzero(in_area[labels])
