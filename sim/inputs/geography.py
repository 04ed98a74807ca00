"""The theatre: settlements, roads, highways, terrain and areas, loaded from the map data file.

The map file (``scenarios/maps/*.json``) is built by ``python -m sim.inputs.mapbuild`` from GeoNames
extracts; this module only reads it, checks it, and derives what the mechanics need fast: numpy arrays per
settlement, the networkx road graph, all-pairs road distances, and the ordered M4/M5 chains. Node ids are
integers 0..n-1 (Mesa's Network renderer requires them) with the settlement name as the ``name`` attribute.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import math
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix

from sim.inputs.errors import InputError
from sim.inputs.yamlio import read_text_bounded

MAX_MAP_BYTES = 50_000_000  # the committed map of 123 settlements is 150 kB

EARTH_RADIUS_KM = 6371.0088


class Terrain(IntEnum):
    OPEN = 0
    PLAIN = 1  # al-Ghab plain (Orontes valley floor)
    URBAN = 2
    HILLS = 3  # Jabal al-Zawiya, Jabal al-Arbaeen
    MOUNTAIN = 4  # Latakia mountains (Jabal al-Akrad, Jabal al-Turkman)


TERRAIN_NAMES = {t: t.name.lower() for t in Terrain}


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km; works on scalars and numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


class RoadGraph:
    """Sparse symmetric road graphs over subsets of one fixed edge list, for scipy's csgraph routines.

    Why not ``csr_matrix((data, (row, col)))`` each time: that sorts the entries and sums duplicates on
    every call, and a run builds many of these graphs (friendly paths, civilian routes, supply). The
    sorted order is fixed by the edge list, so it is computed once and each call only picks the kept
    entries: the same matrix, entry for entry (edges must be unique, as the map's are).
    """

    def __init__(self, n: int, edges: np.ndarray) -> None:
        self.n = n
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        self._order = np.lexsort((cols, rows))
        self._rows = rows[self._order]
        self._cols = cols[self._order].astype(np.int32)

    def csr(self, weights: np.ndarray | None, keep: np.ndarray) -> csr_matrix:
        """The graph of the edges where ``keep`` is true, each both ways with its weight (1 if None)."""
        k = np.concatenate([keep, keep])[self._order]
        if weights is None:
            data = np.ones(int(k.sum()))
        else:
            data = np.concatenate([weights, weights])[self._order][k]
        indptr = np.zeros(self.n + 1, dtype=np.int32)
        np.cumsum(np.bincount(self._rows[k], minlength=self.n), out=indptr[1:])
        return csr_matrix((data, self._cols[k], indptr), shape=(self.n, self.n))


@dataclass
class Theatre:
    """Static geography of one map file. Immutable during a run: control lives in the model, not here."""

    path: Path
    names: list[str]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    area_km2: np.ndarray
    terrain: np.ndarray
    governorate: list[str]
    kind: list[str]
    camp_capacity: np.ndarray
    crossing: np.ndarray
    controller0: list[str]
    graph: nx.Graph
    highways: dict[str, list[int]]
    observation_posts: list[dict[str, Any]]
    meta: dict[str, Any]
    alt_names: list[list[str]] = field(default_factory=list)
    area_by_governorate: dict[str, np.ndarray] = field(default_factory=dict)
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {n: i for i, n in enumerate(self.names)}

    @property
    def n(self) -> int:
        return len(self.names)

    def id(self, name: str) -> int:
        try:
            return self.index[name]
        except KeyError:
            raise KeyError(f"unknown settlement '{name}'") from None

    def suggest(self, name: str) -> str | None:
        """Closest map spelling for a mistyped or alternative settlement name."""
        for i, alts in enumerate(self.alt_names):
            if name.lower() in (a.lower() for a in alts):
                return self.names[i]
        m = difflib.get_close_matches(name, self.names, n=1, cutoff=0.6)
        return m[0] if m else None

    @functools.cached_property
    def road_km(self) -> np.ndarray:
        """All-pairs shortest road distance (km) over the full network, ignoring control."""
        return nx.floyd_warshall_numpy(self.graph, nodelist=range(self.n), weight="length_km")

    @functools.cached_property
    def edges(self) -> np.ndarray:
        """(m, 2) int array of undirected road edges."""
        return np.array(sorted((min(u, v), max(u, v)) for u, v in self.graph.edges()), dtype=np.int64)

    @functools.cached_property
    def edge_km(self) -> np.ndarray:
        return np.array([self.graph.edges[u, v]["length_km"] for u, v in self.edges], dtype=float)

    @functools.cached_property
    def neighbours(self) -> list[np.ndarray]:
        return [np.array(sorted(self.graph.neighbors(i)), dtype=np.int64) for i in range(self.n)]

    @functools.cached_property
    def adjacency(self) -> np.ndarray:
        a = np.zeros((self.n, self.n), dtype=bool)
        a[self.edges[:, 0], self.edges[:, 1]] = True
        a[self.edges[:, 1], self.edges[:, 0]] = True
        return a

    @functools.cached_property
    def reach2(self) -> np.ndarray:
        """1.0 where two settlements are one or two road links apart (a settlement with a road reaches
        itself), as floats for the matrix product in ``IdlibModel.threat(hops=2)``. Cached: the threat is
        asked for many times a run, while this n x n matrix product depends only on the map."""
        a = self.adjacency.astype(float)
        return ((a + np.eye(self.n)) @ a > 0).astype(float)

    @functools.cached_property
    def road_graph(self) -> RoadGraph:
        """Builder of sparse road graphs over subsets of ``edges`` (friendly paths, supply)."""
        return RoadGraph(self.n, self.edges)

    @functools.cached_property
    def reach1(self) -> np.ndarray:
        """The adjacency matrix as floats (``IdlibModel.threat(hops=1)``)."""
        return self.adjacency.astype(float)

    def highway_edges(self, road: str) -> list[tuple[int, int, float]]:
        chain = self.highways[road]
        return [(a, b, self.graph.edges[a, b]["length_km"]) for a, b in itertools.pairwise(chain)]

    def highway_km(self, road: str) -> float:
        return float(sum(km for _, _, km in self.highway_edges(road)))

    def names_of(self, ids: Any) -> list[str]:
        return [self.names[int(i)] for i in ids]

    def km_from_line(self, road: str) -> np.ndarray:
        """Distance (km, straight line) from every settlement to the polyline of a highway."""
        chain = self.highways[road]
        lat0 = math.radians(float(np.mean(self.lat)))
        x = self.lon * 111.32 * math.cos(lat0)
        y = self.lat * 110.57
        best = np.full(self.n, np.inf)
        for a, b in itertools.pairwise(chain):
            ax, ay, bx, by = x[a], y[a], x[b], y[b]
            dx, dy = bx - ax, by - ay
            seg2 = dx * dx + dy * dy
            t = np.clip(((x - ax) * dx + (y - ay) * dy) / seg2, 0.0, 1.0) if seg2 > 0 else np.zeros(self.n)
            d = np.hypot(x - (ax + t * dx), y - (ay + t * dy))
            best = np.minimum(best, d)
        return best


_REQUIRED = ("name", "lat", "lon", "population", "area_km2", "terrain", "controller")


def _fail(path: Path, field: str, problem: str) -> None:
    raise InputError(path, field, problem)


@functools.lru_cache(maxsize=8)
def _load_cached(path_str: str, mtime: float) -> Theatre:
    path = Path(path_str)
    try:
        data = json.loads(read_text_bounded(path, MAX_MAP_BYTES))
    except json.JSONDecodeError as exc:
        raise InputError(path, "", f"broken JSON at line {exc.lineno}: {exc.msg}") from None
    except (OSError, ValueError, RecursionError) as exc:
        raise InputError(path, "", f"cannot read: {exc}") from None
    try:
        return _theatre(path, data)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # a map is written by the map build (python -m sim.inputs.mapbuild), not by hand: a file with the
        # right top-level keys but the wrong structure is reported, not traced back
        raise InputError(path, "", f"not a map file: {type(exc).__name__}: {exc}") from None


def _theatre(path: Path, data: Any) -> Theatre:
    if not isinstance(data, dict) or "settlements" not in data or "roads" not in data:
        _fail(path, "", "not a map file (needs 'settlements' and 'roads')")
    settlements = data["settlements"]
    n = len(settlements)
    if n == 0:
        _fail(path, "settlements", "empty")
    for i, s in enumerate(settlements):
        for key in _REQUIRED:
            if key not in s:
                _fail(path, f"settlements.{i}.{key}", "required field is missing")
        if s.get("id", i) != i:
            _fail(path, f"settlements.{i}.id", f"ids must be 0..n-1 in order, found {s.get('id')}")
        if not (s["population"] >= 0):
            _fail(path, f"settlements.{i}.population", "must be >= 0")
        if not (s["area_km2"] > 0):
            _fail(path, f"settlements.{i}.area_km2", "must be > 0")
        if s["terrain"] not in TERRAIN_NAMES.values():
            _fail(path, f"settlements.{i}.terrain", f"unknown terrain '{s['terrain']}'")
    names = [s["name"] for s in settlements]
    if len(set(names)) != n:
        dup = next(x for x in names if names.count(x) > 1)
        _fail(path, "settlements", f"duplicate settlement name '{dup}'")
    g = nx.Graph()
    for i, s in enumerate(settlements):
        g.add_node(i, name=s["name"])
    for j, r in enumerate(data["roads"]):
        u, v = r["u"], r["v"]
        if not (0 <= u < n and 0 <= v < n) or u == v:
            _fail(path, f"roads.{j}", f"bad endpoints {u}, {v}")
        if not r.get("length_km", 0) > 0:
            _fail(path, f"roads.{j}.length_km", "must be > 0")
        g.add_edge(
            u,
            v,
            length_km=float(r["length_km"]),
            kind=r.get("kind", "secondary"),
            highways=list(r.get("highways", [])),
        )
    highways = {k: [int(x) for x in v] for k, v in data.get("highways", {}).items()}
    for road, chain in highways.items():
        for a, b in itertools.pairwise(chain):
            if not g.has_edge(a, b):
                _fail(path, f"highways.{road}", f"no road between {names[a]} and {names[b]}")
    terrain_code = {v: k for k, v in TERRAIN_NAMES.items()}
    return Theatre(
        path=path,
        names=names,
        lat=np.array([s["lat"] for s in settlements], dtype=float),
        lon=np.array([s["lon"] for s in settlements], dtype=float),
        population=np.array([s["population"] for s in settlements], dtype=float),
        area_km2=np.array([s["area_km2"] for s in settlements], dtype=float),
        terrain=np.array([int(terrain_code[s["terrain"]]) for s in settlements], dtype=np.int8),
        governorate=[s.get("governorate", "") for s in settlements],
        kind=[s.get("kind", "village") for s in settlements],
        camp_capacity=np.array([s.get("camp_capacity", 0) for s in settlements], dtype=float),
        crossing=np.array([bool(s.get("border_crossing", False)) for s in settlements], dtype=bool),
        controller0=[s["controller"] for s in settlements],
        graph=g,
        highways=highways,
        observation_posts=list(data.get("observation_posts", [])),
        meta=dict(data.get("meta", {})),
        alt_names=[list(s.get("alt_names", [])) for s in settlements],
        area_by_governorate={
            g: np.array([s.get("area_by_governorate_km2", {}).get(g, 0.0) for s in settlements])
            for g in sorted({g for s in settlements for g in s.get("area_by_governorate_km2", {})})
        },
    )


def load_map(path: str | Path) -> Theatre:
    """Load a map file (cached per path and modification time)."""
    try:
        p = Path(path).resolve()
        if not p.exists():
            raise InputError(p, "", "map file not found")
        mtime = p.stat().st_mtime
    except (OSError, ValueError) as exc:
        raise InputError(str(path)[:200], "", f"cannot read: {exc}") from None
    return _load_cached(str(p), mtime)
