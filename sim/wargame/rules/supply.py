"""Supply: which settlements connect to a faction's supply heads over roads it (or an ally) holds.

A formation is in supply when its settlement is in a connected component of the friendly-held road graph
that contains one of its faction's sources (Aleppo/Hama/Latakia for the government; the Turkish border
crossings for the opposition and Turkey). Otherwise it is encircled: its supply decays and its morale drains
(``morale.py``). This is how Saraqib on 6 Feb 2020 or the Turkish posts behind the government's lines get cut.
"""

from __future__ import annotations

import numpy as np

from sim.inputs.roads import RoadGraph, components


def connected_to_sources(
    edges: np.ndarray, passable: np.ndarray, sources: np.ndarray, graph: RoadGraph | None = None
) -> np.ndarray:
    """Boolean mask of nodes joined to any source through passable nodes only.

    ``edges`` is an (m, 2) array of unique undirected road links; ``passable`` a bool mask of nodes; sources
    that are not passable supply nothing. ``graph`` (``Theatre.road_graph``) saves re-sorting the edges.
    """
    return supplied(road_components(edges, passable, graph), passable, sources)


def road_components(
    edges: np.ndarray, passable: np.ndarray, graph: RoadGraph | None = None
) -> tuple[int, np.ndarray]:
    """The connected components of the roads between passable nodes: (count, label of each node)."""
    keep = passable[edges[:, 0]] & passable[edges[:, 1]]
    g = (graph or RoadGraph(passable.size, edges)).csr(None, keep)
    return components(g)


def supplied(components: tuple[int, np.ndarray], passable: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """The passable nodes in a component (``road_components`` of ``passable``) that holds a passable
    source. Why apart: sides holding the same ground share its components and differ only in sources."""
    count, labels = components
    src = sources[passable[sources]] if sources.size else sources
    if src.size == 0:
        return np.zeros(passable.size, dtype=bool)
    with_source = np.zeros(count, dtype=bool)  # components holding a source (a lookup: np.isin sorts)
    with_source[labels[src]] = True
    return passable & with_source[labels]


def update_supply(supply: np.ndarray, connected: np.ndarray, resupply: float, decay: float) -> np.ndarray:
    """Supply relaxes toward 1 when connected and decays toward 0 when cut."""
    up = supply + resupply * (1.0 - supply)
    down = supply * (1.0 - decay)
    return np.where(connected, up, down)
