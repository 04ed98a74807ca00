"""A small synthetic theatre and scenario for testing mechanics in isolation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import numpy as np

from sim.inputs.geography import Terrain, Theatre
from sim.inputs.schema import Scenario

# the government holds S0-S2 and the opposition S3-S6: the front runs between S2 and S3
GOV3 = ["government"] * 3 + ["opposition"] * 4


def line_theatre(n: int = 7, controllers: list[str] | None = None, km: float = 8.0) -> Theatre:
    """Settlements 0..n-1 on a west-east line, 8 km apart; government holds the west end by default."""
    controllers = controllers or (["government"] * 2 + ["opposition"] * (n - 2))
    g = nx.Graph()
    for i in range(n):
        g.add_node(i, name=f"S{i}")
    for i in range(n - 1):
        g.add_edge(i, i + 1, length_km=km, kind="secondary", highways=[])
    lat = np.full(n, 35.8)
    lon = 36.5 + np.arange(n) * km / 90.0
    crossing = np.zeros(n, dtype=bool)
    crossing[-1] = True
    return Theatre(
        path=Path("synthetic.json"),
        names=[f"S{i}" for i in range(n)],
        lat=lat,
        lon=lon,
        population=np.full(n, 10_000.0),
        area_km2=np.full(n, 50.0),
        terrain=np.full(n, Terrain.OPEN, dtype=np.int8),
        governorate=["Idlib"] * n,
        kind=["town"] * n,
        camp_capacity=np.zeros(n),
        crossing=crossing,
        controller0=controllers,
        graph=g,
        highways={},
        observation_posts=[],
        meta={"theatre_polygon": [[36.4, 35.7], [37.2, 35.7], [37.2, 35.9], [36.4, 35.9]]},
        alt_names=[[] for _ in range(n)],
        area_by_governorate={"Idlib": np.full(n, 50.0)},
    )


def scenario(**overrides) -> Scenario:
    data = {
        "name": "synthetic",
        "map": "synthetic.json",
        "start": dt.date(2020, 1, 1),
        "end": dt.date(2020, 1, 20),
        "factions": {
            "government": {
                "label": "G",
                "color": "red",
                "enemies": ["opposition"],
                "supply_sources": ["S0"],
                "air": {"base_sorties_per_day": 10},
            },
            "opposition": {"label": "O", "color": "green", "enemies": ["government"], "border_supply": True},
        },
        "formations": [
            {
                "id": "g1",
                "name": "G1",
                "faction": "government",
                "group": "SAA",
                "strength": 6000,
                "location": "S1",
                "role": "manoeuvre",
                "morale": 0.8,
                "cohesion": 0.8,
            },
            {
                "id": "o1",
                "name": "O1",
                "faction": "opposition",
                "group": "HTS",
                "strength": 1500,
                "location": "S3",
                "role": "line",
            },
        ],
        "orders": [
            {
                "faction": "government",
                "axis": "east",
                "start": dt.date(2020, 1, 2),
                "end": dt.date(2020, 1, 20),
                "objective": "S6",
                "formations": ["g1"],
            }
        ],
        "roles": {"offensive": "government", "local_defence": "opposition"},
        "civilians": {"cohort_size": 50},
    }
    for k, v in overrides.items():
        data[k] = v
    return Scenario.model_validate(data)
