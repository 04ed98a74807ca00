"""Maps drawn day after day (``sim.plots.daymap``) and the run's default figures.

Why: the app's day slider and ``idlib-sim run`` draw the theatre on many days, and a village-level map of
a few thousand settlements is coming. A day must cost a redraw of what changes, whatever the number of
settlements, and the picture must follow the day's control.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from PIL import Image

from sim.inputs.geography import Terrain, Theatre
from sim.plots.daymap import DayMap, controller_rgba, population_areas
from sim.plots.run_figures import RunRecord, figure_jobs

from .conftest import MAP


def village_theatre(n: int = 2000, seed: int = 0) -> Theatre:
    """``n`` settlements scattered over the real theatre's polygon, each linked to its nearest neighbours."""
    from scipy.spatial import cKDTree

    from sim.inputs.geography import load_map

    real = load_map(MAP)
    rng = np.random.default_rng(seed)
    poly = np.array(real.meta["theatre_polygon"])
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    from matplotlib.path import Path as MplPath

    pts = rng.uniform(lo, hi, size=(4 * n, 2))
    pts = pts[MplPath(poly).contains_points(pts)][:n]
    g = nx.Graph()
    g.add_nodes_from(range(n))
    _, near = cKDTree(pts).query(pts, k=4)
    for i, row in enumerate(near):
        for j in row[1:]:
            g.add_edge(i, int(j), length_km=5.0, kind="secondary", highways=[])
    return Theatre(
        path=Path("villages.json"),
        names=[f"V{i}" for i in range(n)],
        lat=pts[:, 1],
        lon=pts[:, 0],
        population=rng.integers(100, 20000, n).astype(float),
        area_km2=np.full(n, 5.0),
        terrain=np.full(n, Terrain.OPEN, dtype=np.int8),
        governorate=["Idlib"] * n,
        kind=["village"] * n,
        camp_capacity=np.zeros(n),
        crossing=np.zeros(n, dtype=bool),
        controller0=["government"] * n,
        graph=g,
        highways={},
        observation_posts=[],
        meta=real.meta,
    )


def png_pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_a_day_follows_control_and_costs_little_with_thousands_of_settlements():
    t = village_theatre()
    started = time.perf_counter()
    dm = DayMap(t, ["#c0392b", "#27ae60"])
    base = time.perf_counter() - started
    sizes = population_areas(t.population)
    east = (t.lon > np.median(t.lon)).astype(int)
    pictures, costs = [], []
    for codes in (east, 1 - east):
        started = time.perf_counter()
        dm.draw(
            "a day",
            fill=controller_rgba(dm.colours, codes, 0.28),
            front=codes,
            dots=(sizes, dm.colours[codes]),
        )
        pictures.append(png_pixels(dm.png()))
        costs.append(time.perf_counter() - started)
    a, b = pictures
    assert a.shape == b.shape
    changed = np.any(a != b, axis=-1).mean()
    assert changed > 0.2  # half the theatre changed hands: a large part of the picture changes
    # generous bounds (a shared CI machine), an order of magnitude under drawing every map from scratch
    assert base < 10 and max(costs) < 1.5, (base, costs)


def test_the_same_day_gives_the_same_picture():
    t = village_theatre(300)
    dm = DayMap(t, ["#c0392b", "#27ae60"], notes=3)
    codes = (t.lat > np.median(t.lat)).astype(int)
    shots = []
    for other in (codes, 1 - codes, codes):
        dm.draw("x", fill=controller_rgba(dm.colours, other, 0.3), front=other, notes=[(0, "here")])
        shots.append(dm.png())
    assert shots[0] == shots[2] != shots[1]  # nothing of one day is left on the next


@pytest.mark.parametrize("all_maps", [False, True])
def test_a_runs_default_figures_and_all_maps(baseline, theatre, tmp_path, all_maps):
    days = 3
    n = theatre.n
    codes = np.array([list(baseline.scenario.factions).index(c) for c in theatre.controller0])
    import pandas as pd

    record = RunRecord(
        scenario=baseline.scenario,
        theatre=theatre,
        seed=1,
        daily=pd.DataFrame(
            {"date": ["2019-12-01", "2019-12-02", "2019-12-03"], "displaced_total": [0, 1, 2]}
        ),
        controller=np.tile(codes, (days, 1)),
        strikes=np.zeros((days, n)),
        corridor=np.zeros((days, n), dtype=bool),
        displaced=np.ones((days, n)),
        posts=[[] for _ in range(days)],
    )
    names = [job[0].__name__ for job in figure_jobs(record, tmp_path, all_maps)]
    assert names[0] == "control_maps"
    assert ("displaced_maps" in names) == all_maps
    assert {"territory_figure", "forces_figure", "displacement_figure", "subdistricts_figure"} <= set(names)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="figure workers fork")
def test_figures_drawn_by_workers_are_the_ones_drawn_in_process(baseline, tmp_path):
    from sim.plots.run_figures import run_figures
    from sim.plots.workers import FigureWorkers
    from sim.runs.runner import collect, simulate

    model = simulate(baseline, 1, progress=False)
    record = RunRecord.from_model(model, collect(model, baseline, 1).daily, 1)
    here, there = tmp_path / "here", tmp_path / "there"
    drawn_here = run_figures(record, here)
    there.mkdir()
    workers = FigureWorkers(2)
    try:
        drawn_there = workers.draw(figure_jobs(record, there))
    finally:
        workers.close()
    assert [p.name for p in drawn_here] == [p.name for p in drawn_there]
    for a, b in zip(drawn_here, drawn_there, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
