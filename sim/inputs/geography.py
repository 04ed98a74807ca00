"""The theatre: settlements, roads, highways, terrain and areas, loaded from the map data file.

The map file (``scenarios/maps/*.json``) is built by ``python -m sim.inputs.mapbuild`` from GeoNames
extracts; this module only reads it, checks it, and derives what the mechanics need fast: numpy arrays per
settlement, the networkx road graph, all-pairs road distances, and the ordered M4/M5 chains. Node ids are
integers 0..n-1 (Mesa's Network renderer requires them) with the settlement name as the ``name`` attribute.
"""

from __future__ import annotations

import dataclasses
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
from scipy.sparse import csr_matrix, identity
from scipy.sparse.csgraph import dijkstra

from sim.inputs.errors import InputError
from sim.inputs.roads import RoadGraph
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
    # OCHA community P-code, district, sub-district and its P-code ('' where the map has none)
    pcode: list[str] = field(default_factory=list)
    admin2: list[str] = field(default_factory=list)
    admin3: list[str] = field(default_factory=list)
    admin3_pcode: list[str] = field(default_factory=list)
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {n: i for i, n in enumerate(self.names)}
        for attr in ("pcode", "admin2", "admin3", "admin3_pcode"):
            if not getattr(self, attr):
                setattr(self, attr, [""] * len(self.names))
        # every primary name and alias, case-blind -> the nodes it names (one, unless the map is ambiguous)
        self._named: dict[str, list[int]] = {}
        for i, nm in enumerate(self.names):
            for a in [nm, *(self.alt_names[i] if i < len(self.alt_names) else [])]:
                nodes = self._named.setdefault(a.casefold(), [])
                if i not in nodes:
                    nodes.append(i)

    @property
    def n(self) -> int:
        return len(self.names)

    def id(self, name: str) -> int:
        """The node a name stands for: a primary name, else (case-blind) a primary name or alias that names
        one node. A name shared by several nodes is an error (the village map's build forbids it; older
        maps may have such alternative names)."""
        i = self.index.get(name)
        if i is not None:
            return i
        nodes = self._named.get(name.casefold(), [])
        if len(nodes) == 1:
            return nodes[0]
        if nodes:
            raise KeyError(f"ambiguous settlement name '{name}': {', '.join(self.names_of(nodes))}")
        raise KeyError(f"unknown settlement '{name}'")

    def canonical(self, name: str) -> str:
        """The map's own (primary) name for ``name``, which may be an alias; ``name`` itself if the map does
        not know it. Outputs (captures.csv, population.csv) use primary names, targets and scenario files
        may use the seeds' spellings."""
        return self.names[self.id(name)] if self.knows(name) else name

    def knows(self, name: str) -> bool:
        """Does ``name`` stand for exactly one node (``id`` would succeed)?"""
        return name in self.index or len(self._named.get(name.casefold(), [])) == 1

    def suggest(self, name: str) -> str | None:
        """Closest map spelling (a primary name) for a mistyped or alternative settlement name: the node an
        alias names, else the node of the closest name or alias (difflib)."""
        nodes = self._named.get(name.casefold(), [])
        if nodes:
            return self.names[nodes[0]]
        m = difflib.get_close_matches(name.casefold(), list(self._named), n=1, cutoff=0.6)
        return self.names[self._named[m[0]][0]] if m else None

    @functools.cached_property
    def road_km(self) -> np.ndarray:
        """All-pairs shortest road distance (km) over the full network, ignoring control (scipy's Dijkstra
        from every source: a fraction of a second on a village-level map, where Floyd-Warshall's n³ is
        not)."""
        return dijkstra(self.road_csr, directed=True)

    @functools.cached_property
    def road_csr(self) -> csr_matrix:
        """The whole road network as a sparse matrix of link lengths (km)."""
        return self.road_graph.csr(self.edge_km, np.ones(len(self.edges), dtype=bool))

    def km_to(self, mask: np.ndarray) -> np.ndarray:
        """Road km from every settlement to the nearest settlement in ``mask`` (inf if none): one Dijkstra
        from all of them at once (scipy's ``min_only``), instead of a minimum over columns of ``road_km``."""
        if not mask.any():
            return np.full(self.n, np.inf)
        return dijkstra(self.road_csr, directed=True, indices=np.flatnonzero(mask), min_only=True)

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
        """Dense boolean adjacency, for single lookups ``adjacency[a, b]``; matrix work uses ``reach1``."""
        a = np.zeros((self.n, self.n), dtype=bool)
        a[self.edges[:, 0], self.edges[:, 1]] = True
        a[self.edges[:, 1], self.edges[:, 0]] = True
        return a

    @functools.cached_property
    def degree(self) -> np.ndarray:
        """Road links per settlement."""
        return np.bincount(self.edges.ravel(), minlength=self.n)

    @functools.cached_property
    def reach2(self) -> csr_matrix:
        """1.0 where two settlements are one or two road links apart (a settlement with a road reaches
        itself), sparse, for the products in ``Battlefield.threat(hops=2)``. Cached: the threat is asked for
        many times a run, while this matrix depends only on the map."""
        a = self.reach1
        r = (a + identity(self.n, format="csr")) @ a
        r.data[:] = 1.0
        return r.tocsr()

    @functools.cached_property
    def road_graph(self) -> RoadGraph:
        """Builder of sparse road graphs over subsets of ``edges`` (friendly paths, supply)."""
        return RoadGraph(self.n, self.edges)

    @functools.cached_property
    def reach1(self) -> csr_matrix:
        """The adjacency matrix as sparse floats (``Battlefield.threat(hops=1)``, neighbour counts)."""
        return self.road_graph.csr(None, np.ones(len(self.edges), dtype=bool))

    @functools.cached_property
    def subdistricts(self) -> tuple[np.ndarray, list[tuple[str, str]]]:
        """Each settlement's sub-district as an index into a sorted list of (P-code, name); empty when the
        map gives no sub-districts (the unit in which OCHA and the CCCM cluster count displacement)."""
        keys = sorted({(c, a) for c, a in zip(self.admin3_pcode, self.admin3, strict=True) if c or a})
        where = {k: i for i, k in enumerate(keys)}
        codes = np.array(
            [where.get((c, a), -1) for c, a in zip(self.admin3_pcode, self.admin3, strict=True)],
            dtype=np.int64,
        )
        return codes, keys

    def areas_mask(self, areas: list[str]) -> np.ndarray:
        """The settlements in any of ``areas`` (sub-districts by name or P-code, or settlements by name or
        alias); every settlement when ``areas`` is empty. An unknown label is a ``KeyError``."""
        if not areas:
            return np.ones(self.n, dtype=bool)
        mask = np.zeros(self.n, dtype=bool)
        sub = np.array([f"{c}|{a}".lower() for c, a in zip(self.admin3_pcode, self.admin3, strict=True)])
        for label in areas:
            key = label.strip().lower()
            hit = np.array([key in s.split("|") for s in sub]) if key else np.zeros(self.n, dtype=bool)
            if hit.any():
                mask |= hit
            elif self.knows(label):
                mask[self.id(label)] = True
            else:
                raise KeyError(label)
        return mask

    def with_start(self, controller: list[str], population: np.ndarray, camp: np.ndarray) -> Theatre:
        """This map with other first-day controllers and populations (a scenario's ``initial_state``):
        everything that reads the first day's control or people (the battlefield, the civilians, the
        figures' first-day front) then reads the start state. The road network's derived matrices depend
        on neither, so the copy shares them rather than recomputing them; the cached map is not touched."""
        new = dataclasses.replace(
            self,
            controller0=list(controller),
            population=np.asarray(population, dtype=float).copy(),
            camp_capacity=np.asarray(camp, dtype=float).copy(),
        )
        for name in _GEOMETRY:
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    def highway_edges(self, road: str) -> list[tuple[int, int, float]]:
        return self.highway_links[road]

    @functools.cached_property
    def highway_links(self) -> dict[str, list[tuple[int, int, float]]]:
        """Each highway's links (a, b, km) in road order, read once (the daily record counts them daily)."""
        pairs = {r: list(itertools.pairwise(c)) for r, c in self.highways.items()}
        return {r: [(a, b, self.graph.edges[a, b]["length_km"]) for a, b in p] for r, p in pairs.items()}

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


# the cached properties that depend only on the roads (shared by `Theatre.with_start`)
_GEOMETRY = (
    "road_km",
    "road_csr",
    "edges",
    "edge_km",
    "neighbours",
    "adjacency",
    "degree",
    "reach2",
    "road_graph",
    "reach1",
    "subdistricts",
)

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
        pcode=[str(s.get("pcode", "")) for s in settlements],
        admin2=[str(s.get("admin2", "")) for s in settlements],
        admin3=[str(s.get("admin3", "")) for s in settlements],
        admin3_pcode=[str(s.get("admin3_pcode", "")) for s in settlements],
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
