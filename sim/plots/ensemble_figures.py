"""Ensemble figures, all drawn from the CSV files (so ``idlib-sim plot DIR`` can redraw them):

* ``fans.png``: median, 50 % and 90 % bands of displacement, territory, casualties and strengths, with the
  seeds' figures as points (filled: fit targets, hollow: holdout);
* ``control_probability_<date>.png``: the probability that each settlement is government-held, with the
  settlements the seeds say the government held by then outlined;
* ``scorecard.png``: per settlement, the distribution of simulated capture dates against the seeds' date;
* ``animation.gif``: one run's front line and displaced population, day by day.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from sim.files import atomic_write_bytes
from sim.inputs.errors import InputError
from sim.inputs.geography import Theatre, load_map
from sim.inputs.loader import LoadedScenario
from sim.inputs.targets import load_targets, on_map
from sim.plots import basemap
from sim.plots.common import add_derived, fan, format_time, mark_events, save
from sim.plots.daymap import DayMap, controller_rgba

COUNT_COLUMNS = ["date", "settlement", "government", "runs"]
FANS = [
    ("displaced_total", "displaced since 1 Dec (thousands)", 1e-3, "displacement"),
    ("gain_km2", "government territory gained since 19 Dec (km²)", 1.0, "territory"),
    ("civilians_killed", "civilians killed (cumulative)", 1.0, "civilian_deaths"),
    ("turkish_killed", "Turkish soldiers killed (cumulative)", 1.0, "turkish_losses"),
    ("strength_government", "government formation strength (men)", 1.0, None),
    ("strength_opposition", "opposition formation strength (men)", 1.0, None),
]


def _targets(theatre: Theatre | None = None) -> Any:
    """The historical targets, with settlements named as ``theatre`` names them (None: not found)."""
    try:
        t = load_targets()
    except InputError:
        return None
    return on_map(t, theatre) if theatre is not None else t


def _history_points(ax: Any, kind: str, scale: float) -> None:
    t = _targets()
    if t is None or kind is None:
        return
    items: list[tuple[dt.date, float, str]] = []
    if kind == "displacement":
        items = [(x.date, x.value, x.use) for x in t.displacement]
    elif kind == "territory":
        items = [(x.date, x.value, x.use) for x in t.territory if x.metric == "gain_km2"]
    elif kind == "turkish_losses":
        items = [(x.date, x.value, x.use) for x in t.turkish_losses]
    elif kind == "civilian_deaths":
        items = [(x.date, x.value, x.use) for x in t.civilian_deaths]
    for use in ("fit", "holdout"):
        sel = [(d, v) for d, v, u in items if u == use]
        if sel:
            ax.scatter(
                [pd.Timestamp(d) for d, _ in sel],
                [v * scale for _, v in sel],
                zorder=6,
                s=28,
                facecolors="black" if use == "fit" else "white",
                edgecolors="black",
                label=f"seeds ({use})",
            )


def fans_figure(daily: pd.DataFrame, out: Path, title: str) -> Path:
    daily = add_derived(daily)
    cols = [f for f in FANS if f[0] in daily]
    fig, axes = plt.subplots(
        len(cols) // 2 + len(cols) % 2, 2, figsize=(13, 3.4 * ((len(cols) + 1) // 2)), dpi=120, sharex=True
    )
    axes = np.atleast_1d(axes).ravel()
    for ax, (col, label, scale, hist) in zip(axes, cols, strict=False):
        fan(ax, daily, col, scale, label="median")
        _history_points(ax, hist, scale)
        ax.set_title(label, fontsize=9)
        format_time(ax)
        mark_events(ax)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes[len(cols) :]:
        ax.set_visible(False)
    n = daily["run"].nunique()
    fig.suptitle(f"{title}: {n} runs", fontsize=11)
    fig.tight_layout()
    p = out / "fans.png"
    save(fig, p)
    return p


def historical_government_held(theatre: Theatre, date: dt.date) -> list[int]:
    """Settlements (ids, in map order) the seeds say changed to the government by ``date`` and were not lost
    again by then. In map order, not as a set: a set of names is iterated in an order that changes from
    process to process, and the rings drawn in that order made two drawings of one ensemble differ."""
    t = _targets(theatre)
    if t is None:
        return []
    events = sorted((c.date, c.settlement, c.to) for c in t.captures if c.date <= date)
    held: dict[str, str] = {}
    for _, s, to in events:
        held[s] = to
    return sorted(theatre.id(s) for s, to in held.items() if to == "government" and theatre.knows(s))


def control_counts(population: pd.DataFrame) -> pd.DataFrame:
    """Per date and settlement of ``population``'s rows (one a run), the runs in which the government holds
    it (``government``) and the runs with a row (``runs``): what the probability maps need, a few rows per
    settlement however many runs there are. Counts of several parts add up (``add_counts``)."""
    return add_counts(
        [population.assign(government=population["controller"] == "government", runs=1)[COUNT_COLUMNS]]
    )


def add_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The sum, per date and settlement, of ``control_counts`` tables."""
    both = pd.concat(parts, ignore_index=True)
    return both.groupby(["date", "settlement"], as_index=False, sort=True)[["government", "runs"]].sum()


def start_front(counts: pd.DataFrame, theatre: Theatre) -> tuple[np.ndarray, dt.date]:
    """Where the government stood on the runs' first day (held in most runs), and that day; ``counts``:
    ``control_counts``.

    Why not the map's controllers: a scenario with a start state (``initial_state``: the Moscow lines of
    2020 for the 2023 episode, a run's end for a contingency) begins from other lines than the map's."""
    first = counts["date"].min()
    held = government_share(counts[counts["date"] == first], theatre)
    return held > 0.5, dt.date.fromisoformat(str(first)[:10])


def government_share(day: pd.DataFrame, theatre: Theatre) -> np.ndarray:
    """Per settlement (the map's order), the share of the runs counted in ``day`` (``control_counts`` of one
    date) in which the government holds it (0 where no run is counted)."""
    g = day.groupby("settlement")[["government", "runs"]].sum()
    return (g["government"] / g["runs"]).reindex(theatre.names).fillna(0).to_numpy()


def probability_maps(
    counts: pd.DataFrame, n_runs: int, theatre: Theatre, loaded: LoadedScenario, out: Path
) -> list[Path]:
    """One map per map date of the share of runs in which each settlement is government-held; ``counts``:
    ``control_counts`` of every run on the map dates (and of run 0 on its first day, for the front)."""
    sc = loaded.scenario
    dates = [d for d in (sc.outputs.map_dates or [sc.end]) if d > sc.start]
    start, first = start_front(counts, theatre)
    paths = []
    for d in dates:
        day = counts[counts["date"] == d.isoformat()]
        if day.empty:
            continue
        prob = government_share(day, theatre)
        fig, ax = plt.subplots(figsize=(9, 9.5), dpi=120)
        basemap.setup_axes(ax, theatre)
        basemap.draw_boundaries(ax, theatre)
        basemap.draw_probability(ax, theatre, prob)
        basemap.draw_roads(ax, theatre, labels=True)
        ax.scatter(theatre.lon, theatre.lat, s=10, c="#333333", zorder=5)
        idx = historical_government_held(theatre, d)
        if idx:
            basemap.draw_rings(
                ax, theatre, idx, "black", 70, 1.4, label="government-held by this date per the seeds"
            )
        codes, extent = basemap.territory_raster(theatre, start.astype(int))
        ax.contour(
            np.linspace(extent[0], extent[1], codes.shape[1]),
            np.linspace(extent[2], extent[3], codes.shape[0]),
            np.where(codes < 0, np.nan, codes).astype(float),
            levels=[0.5],
            colors="#1f3a93",
            linewidths=1.2,
            linestyles="--",
            zorder=2,
        )
        ax.plot([], [], color="#1f3a93", ls="--", label=f"front line on {first:%d %b %Y}")
        basemap.draw_settlements(ax, theatre, ["x"] * theatre.n, {}, sizes=np.zeros(theatre.n), labels=True)
        ax.legend(loc="upper left", fontsize=7)
        ax.set_title(
            f"{sc.name}: probability a settlement is government-held on {d:%d %b %Y} ({n_runs} runs)",
            fontsize=10,
        )
        p = out / f"control_probability_{d.isoformat()}.png"
        save(fig, p)
        paths.append(p)
    return paths


def closest_capture_dates(captures: pd.DataFrame, settlement: str, to: str, date: Any) -> list[pd.Timestamp]:
    """Per run, the change of control of ``settlement`` to ``to`` closest in time to ``date``: the
    capture the scoring matches (``sim.inputs.targets.capture_date``). Why not the first capture in a window
    after the date: a settlement taken twice (a recapture target such as Saraqib to the government in early
    March) would then be drawn at the earlier capture while it is scored against the later one."""
    mine = captures[(captures["settlement"] == settlement) & (captures["to_controller"] == to)]
    when = pd.to_datetime(mine["date"])
    gap = (when - pd.Timestamp(date)).dt.days.abs()
    # per run, its first change with the smallest gap (``capture_date``'s choice), for every run at once:
    # a thousand runs' calls one by one took a minute and a half
    table = pd.DataFrame({"run": mine["run"].to_numpy(), "when": when.to_numpy(), "gap": gap.to_numpy()})
    nearest = table.sort_values(["run", "gap"], kind="stable").drop_duplicates("run")
    return sorted(pd.Timestamp(d) for d in nearest["when"])


def scorecard(
    captures: pd.DataFrame, n_runs: int, out: Path, title: str, theatre: Theatre | None = None
) -> Path | None:
    t = _targets(theatre)
    if t is None:
        return None
    rows = [
        (c, closest_capture_dates(captures, c.settlement, c.to, c.date))
        for c in sorted(t.captures, key=lambda c: c.date)
    ]
    fig, ax = plt.subplots(figsize=(11, 0.36 * len(rows) + 1.8), dpi=120)
    for k, (c, dates) in enumerate(rows):
        y = len(rows) - k
        colour = "#c0392b" if c.to == "government" else "#27ae60"
        if dates:
            jitter = np.linspace(-0.22, 0.22, len(dates))
            ax.scatter(dates, y + jitter, s=9, color=colour, alpha=0.55)
            ax.plot([min(dates), max(dates)], [y, y], color=colour, lw=0.6, alpha=0.5)
        ax.scatter(
            [pd.Timestamp(c.date)],
            [y],
            marker="D",
            s=36,
            color="black" if c.use == "fit" else "white",
            edgecolors="black",
            zorder=5,
        )
        share = 1 - len(dates) / n_runs
        ax.text(1.005, y, f"{share:4.0%} never", transform=ax.get_yaxis_transform(), fontsize=7, va="center")
    ax.set_yticks(range(len(rows), 0, -1))
    ax.set_yticklabels([f"{c.settlement} → {c.to[:3]} ({c.use})" for c, _ in rows], fontsize=7)
    format_time(ax)
    ax.set_title(
        f"{title}: capture dates, simulated (dots, one per run) vs seeds (diamond; filled = fit)", fontsize=10
    )
    fig.tight_layout()
    p = out / "scorecard.png"
    save(fig, p)
    return p


def animation(
    population: pd.DataFrame,
    theatre: Theatre,
    loaded: LoadedScenario,
    out: Path,
    run: int = 0,
    every: int = 2,
) -> Path | None:
    """GIF of one run: territory by controller and displaced people present, every ``every`` days.

    Drawn on one ``DayMap`` (the theatre once, then each frame's territory, front line and bubbles): drawing
    every frame from scratch took half a minute on the village map, more than all the ensemble's other
    figures together."""
    pop = population[population["run"] == run] if "run" in population else population
    if pop.empty:
        return None
    sc = loaded.scenario
    code = {fid: k for k, fid in enumerate(sc.factions)}
    dm = DayMap(
        theatre,
        [f.color for f in sc.factions.values()],
        figsize=(7.5, 8),
        dpi=80,
        labels=False,
        highway_labels=False,
        marks=False,
        dot_edges=False,
    )
    vmax = max(float(pop["displaced_present"].max()), 1.0)
    frames = []
    for date, g in list(pop.groupby("date", sort=True))[::every]:
        day = g.set_index("settlement").reindex(theatre.names)
        codes = day["controller"].map(code).to_numpy(dtype=np.int64)
        disp = day["displaced_present"].to_numpy(dtype=float)
        dm.draw(
            f"{sc.name}, run {run}: {date}  displaced away from home {disp.sum() / 1e3:,.0f}k",
            fill=controller_rgba(dm.colours, codes, 0.3),
            front=codes,
            bubbles=900 * disp / vmax,  # area in proportion: a village map's hundreds of bubbles stay apart
        )
        frames.append(Image.fromarray(np.asarray(dm.canvas.buffer_rgba())[..., :3].copy()))
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=250, loop=0)
    p = out / "animation.gif"
    atomic_write_bytes(p, buf.getvalue())
    return p


def ensemble_figures(
    out: Path, loaded: LoadedScenario, counts: pd.DataFrame, first_run: pd.DataFrame
) -> list[Path]:
    """The ensemble's figures into ``out/figures``; ``counts``: ``control_counts`` of the runs' population
    rows on the scenario's map dates and of run 0 whole, ``first_run``: run 0's population table (for the
    animation) — an ensemble keeps its population tables by run and its runner reads only these
    (``sim.runs.storage``)."""
    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    daily = pd.read_csv(out / "daily.csv")
    captures = pd.read_csv(out / "captures.csv")
    theatre = load_map(loaded.map_path)
    name = loaded.scenario.name
    n_runs = int(daily["run"].nunique())
    paths = [fans_figure(daily, figs, name)]
    paths += probability_maps(counts, n_runs, theatre, loaded, figs)
    sc = scorecard(captures, n_runs, figs, name, theatre)
    if sc is not None:
        paths.append(sc)
    gif = animation(first_run, theatre, loaded, figs)
    if gif is not None:
        paths.append(gif)
    return paths
