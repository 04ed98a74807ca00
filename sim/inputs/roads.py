"""Road graphs for scipy's sparse routines: graphs over subsets of the map's fixed edge list, and shortest
paths computed one source at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra


class RoadGraph:
    """Sparse symmetric road graphs over subsets of one fixed edge list, for scipy's csgraph routines.

    Why not ``csr_matrix((data, (row, col)))`` each time: that sorts the entries and sums duplicates on
    every call, and a run builds many of these graphs (friendly paths, civilian routes, supply). The
    sorted order is fixed by the edge list, so it is computed once and each call only picks the kept
    entries: the same matrix, entry for entry (edges must be unique, as the map's are).
    """

    def __init__(self, n: int, edges: np.ndarray) -> None:
        self.n = n
        self.edges = edges
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        order = np.lexsort((cols, rows))
        self._edge = order % len(edges)  # the edge behind each entry of the sorted order
        self._rows = rows[order]
        self._cols = cols[order].astype(np.int32)

    def csr(
        self, weights: np.ndarray | None, keep: np.ndarray, nodes: np.ndarray | None = None
    ) -> csr_matrix:
        """The graph of the edges where ``keep`` is true, each both ways with its weight (1 if None).

        With ``nodes`` (ascending; every kept edge must join two of them), the graph among those nodes
        alone, renumbered 0..len(nodes)-1: entry for entry what ``csr(weights, keep)[nodes][:, nodes]``
        gives (renumbering in ascending order keeps the sorted order), without scipy's fancy indexing.
        """
        k = keep[self._edge]
        if weights is None:
            data = np.ones(int(k.sum()))
        else:
            data = weights[self._edge[k]]
        rows, cols, n = self._rows[k], self._cols[k], self.n
        if nodes is not None:
            at = np.full(self.n, -1, dtype=np.int32)
            at[nodes] = np.arange(nodes.size, dtype=np.int32)
            rows, cols, n = at[rows], at[cols], nodes.size
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return csr_matrix((data, cols, indptr), shape=(n, n))


def components(graph: csr_matrix) -> tuple[int, np.ndarray]:
    """The connected components of a ``RoadGraph.csr`` graph: (count, label of each node).

    Why strong components: every edge of these graphs is there both ways, so their strong components are
    their components, found without the transpose that scipy's undirected search builds first."""
    return connected_components(graph, directed=True, connection="strong")


class _Rows:
    """A read-only n x n matrix of one ``ShortestPaths`` whose rows are computed when first indexed."""

    def __init__(self, owner: ShortestPaths, which: int) -> None:
        self._owner = owner
        self._which = which  # 0: distances, 1: predecessors

    def __getitem__(self, key: Any) -> Any:
        if type(key) is tuple and len(key) == 2 and type(key[0]) is int:  # dist[i, j]: the planners' lookup
            found = self._owner._rows.get(key[0])
            if found is None:
                found = self._owner.row(key[0])
            return found[self._which][key[1]]
        rows, rest = (key[0], key[1:]) if type(key) is tuple else (key, ())
        if isinstance(rows, int | np.integer):  # the common case, kept cheap: one row
            row = self._owner.row(int(rows))[self._which]
            return row[rest] if rest else row
        idx = np.asarray(rows, dtype=np.int64)
        self._owner.ensure(idx)  # the missing rows in one search call, not one call each
        block = np.stack([self._owner.row(int(r))[self._which] for r in idx.ravel()])
        return block[(slice(None), *rest)] if rest else block


class ShortestPaths:
    """Shortest road distances and predecessors over one graph, one source row at a time.

    Why lazily: a planner asks for distances from the few settlements its units stand on, not from every
    settlement, and on a village-level map an all-pairs run costs a second. Each row is exactly what an
    all-pairs ``dijkstra`` would give (the same algorithm from the same source), computed on first use and
    kept as its own small array (writing rows into one large n x n array costs more than the searches: the
    kernel zeroes whole huge pages on first touch). ``dist[i, j]``, ``dist[rows]`` and ``pred[i, j]`` index
    like n x n arrays.
    """

    def __init__(self, graph: csr_matrix) -> None:
        self._graph = graph
        self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.dist = _Rows(self, 0)
        self.pred = _Rows(self, 1)

    def row(self, source: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances and predecessors from ``source`` (computed on first use)."""
        found = self._rows.get(source)
        if found is None:
            dist, pred = dijkstra(self._graph, directed=True, indices=source, return_predecessors=True)
            found = self._rows[source] = (dist, pred)
        return found

    def nearest(self, sources: Any) -> np.ndarray:
        """Distances from the nearest of ``sources`` to every node: the minimum over their rows, in one
        search from all of them (scipy's ``min_only``) rather than a search from each."""
        return dijkstra(self._graph, directed=True, indices=np.unique(np.asarray(sources)), min_only=True)

    def ensure(self, rows: Any) -> None:
        """Compute, in one search call, the rows of ``rows`` not computed yet."""
        todo = [
            int(r) for r in np.unique(np.atleast_1d(np.asarray(rows, dtype=np.int64))) if r not in self._rows
        ]
        if todo:
            dist, pred = dijkstra(self._graph, directed=True, indices=todo, return_predecessors=True)
            for k, r in enumerate(todo):
                self._rows[r] = (dist[k], pred[k])


T = TypeVar("T")


class MaskMemo(Generic[T]):
    """A function of a settlement mask whose answers for the last ``size`` masks are remembered (the least
    recently used dropped first), keyed by the mask's bytes: the same mask gives the same answer.

    Why: the wargame asks the same road searches of the same masks day after day (a side's ground between
    captures, the settlements fought over lately), and on a village-level map each search costs a tenth
    of a millisecond. Answers are shared: arrays among them are made read-only.
    """

    def __init__(self, fn: Callable[[np.ndarray], T], size: int = 16) -> None:
        self._fn = fn
        self._size = size
        self._found: dict[bytes, T] = {}

    def __call__(self, mask: np.ndarray) -> T:
        key = np.asarray(mask, dtype=bool).tobytes()
        found = self._found.pop(key, None)
        if found is None:
            found = self._fn(mask)
            if isinstance(found, np.ndarray):
                found.flags.writeable = False
            if len(self._found) >= self._size:
                self._found.pop(next(iter(self._found)))
        self._found[key] = found  # most recently used last
        return found
