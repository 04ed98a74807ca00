"""Figures of one run: control maps on chosen dates, territory, forces, displacement, the displaced.

The figures are drawn from a ``RunRecord``: the finished model's record as plain arrays and tables, so that
they can be drawn in other processes than the one that ran the model (``sim.plots.workers``). Maps are drawn
on one ``DayMap`` per kind (the theatre drawn once); by default a run draws the control maps on the
scenario's map dates, and with ``all_maps`` also where the displaced are on those dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from sim.inputs.geography import Theatre
from sim.inputs.schema import Scenario
from sim.inputs.targets import displacement_points
from sim.plots import basemap
from sim.plots.common import format_time, mark_events, save
from sim.plots.daymap import DayMap, controller_rgba, population_areas

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel

CHART_MARGINS = {"left": 0.1, "right": 0.98, "bottom": 0.07, "top": 0.96, "hspace": 0.12}
DISPLACED_AREA = 1200.0  # bubble area (points²) of the largest number of displaced people present in a run


@dataclass
class RunRecord:
    """What a run's figures are drawn from: per-day arrays by settlement (rows are days from the scenario's
    start) and daily.csv. Plain data, so it pickles cheaply into worker processes."""

    scenario: Scenario
    theatre: Theatre
    seed: int
    daily: pd.DataFrame
    controller: np.ndarray  # controller codes (the scenario's factions in order)
    strikes: np.ndarray
    corridor: np.ndarray
    displaced: np.ndarray | None
    posts: list[list[tuple[int, bool]]]
    subdistricts: pd.DataFrame | None = None  # subdistricts.csv (None: no sub-districts, or not given)

    @classmethod
    def from_model(
        cls, model: IdlibModel, daily: pd.DataFrame, seed: int, subdistricts: pd.DataFrame | None = None
    ) -> RunRecord:
        t = model.theatre
        # a fresh Theatre: the model's copy may carry large cached tables (all-pairs road distances)
        theatre = replace(t)
        return cls(
            scenario=model.scenario,
            theatre=theatre,
            seed=int(seed),
            daily=daily,
            controller=np.asarray(model.controller_history),
            strikes=np.asarray(model.strikes_history),
            corridor=np.asarray(model.corridor_history, dtype=bool),
            displaced=np.asarray(model.displaced_history) if model.displaced_history else None,
            posts=[list(p) for p in model.posts_history],
            subdistricts=subdistricts,
        )

    @property
    def days(self) -> int:
        return len(self.controller)

    def day(self, date: dt.date) -> int:
        """The row of ``date``, clamped to the days the run recorded."""
        return min(max((date - self.scenario.start).days, 0), self.days - 1)

    def map_dates(self) -> list[dt.date]:
        sc = self.scenario
        return list(sc.outputs.map_dates or [sc.start, sc.end])


def _dates(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["date"])


def faction_colours(scenario: Scenario) -> list[str]:
    return [f.color for f in scenario.factions.values()]


def control_legend(scenario: Scenario, corridor: bool) -> list[Line2D]:
    colours = {fid: f.color for fid, f in scenario.factions.items()}
    labels = {fid: f.label.split(" (")[0] for fid, f in scenario.factions.items()}
    handles = basemap.legend_handles(colours, labels)
    if corridor:
        handles.append(
            Line2D(
                [], [], marker="o", ls="", mfc="none", mec="#ff8c00", mew=1.6, ms=9,
                label="in the ceasefire's security corridor",
            )
        )  # fmt: skip
    return handles


def control_maps(record: RunRecord, out: Path, dates: list[dt.date] | None = None) -> list[Path]:
    sc, t = record.scenario, record.theatre
    dm = DayMap(t, faction_colours(sc), legend=control_legend(sc, bool(record.corridor.any())))
    sizes = population_areas(t.population)
    gov = list(sc.factions).index("government") if "government" in sc.factions else -1
    paths = []
    for d in dates or record.map_dates():
        k = record.day(d)
        codes = record.controller[k]
        dm.draw(
            f"{sc.name}, seed {record.seed}: control on {d:%d %b %Y} "
            f"(government holds {int(np.sum(codes == gov))} of {t.n} settlements)",
            fill=controller_rgba(dm.colours, codes, 0.28),
            front=codes,
            dots=(sizes, dm.colours[codes]),
            posts=record.posts[k],
            rings=record.corridor[k],
        )
        paths.append(dm.save(out / f"control_{d.isoformat()}.png"))
    return paths


def territory_figure(record: RunRecord, out: Path) -> Path:
    df = record.daily
    x = _dates(df)
    fig, axes = plt.subplots(3, 1, figsize=(9, 9), dpi=130, sharex=True)
    gain = df["territory_government_km2"] - df["territory_government_km2"].iloc[0]
    axes[0].plot(x, gain, color="#c0392b", lw=2, label="government gain since 1 Dec (km²)")
    axes[0].scatter(
        [pd.Timestamp("2020-02-11")],
        [600],
        color="black",
        zorder=5,
        label="seed [000]: 600 km² by 11 Feb (Reuters)",
    )
    axes[0].set_ylabel("km²")
    axes[0].legend(fontsize=8, loc="upper left")
    axes[0].set_title("Territory", fontsize=10)
    if "idlib_gov_share" in df:
        axes[1].plot(
            x, 100 * df["idlib_gov_share"], color="#c0392b", lw=2, label="government share of Idlib gov."
        )
        axes[1].scatter(
            [pd.Timestamp("2020-01-29")],
            [43],
            color="black",
            zorder=5,
            label="seed [000]: 43 % on 29 Jan (SOHR)",
        )
        axes[1].set_ylabel("% of Idlib governorate")
        axes[1].legend(fontsize=8, loc="upper left")
    for road, col in (("m5", "#333333"), ("m4", "#7b3294")):
        if f"{road}_km_gov" in df:
            axes[2].plot(x, df[f"{road}_km_gov"], color=col, lw=2, label=f"{road.upper()} km government-held")
    axes[2].set_ylabel("km of highway")
    axes[2].legend(fontsize=8, loc="upper left")
    for ax in axes:
        format_time(ax, mondays=ax is axes[-1])
        mark_events(ax)
    fig.subplots_adjust(**CHART_MARGINS)  # fixed margins: a layout engine would draw the figure twice
    p = out / "territory.png"
    save(fig, p, trim=False)
    return p


def forces_figure(record: RunRecord, out: Path) -> Path:
    df = record.daily
    x = _dates(df)
    fig, axes = plt.subplots(3, 1, figsize=(9, 9), dpi=130, sharex=True)
    for fid, spec in record.scenario.factions.items():
        if df[f"strength_{fid}"].max() <= 0:
            continue
        col = spec.color
        axes[0].plot(x, df[f"strength_{fid}"], color=col, lw=2, label=fid)
        axes[1].plot(x, df[f"morale_{fid}"], color=col, lw=2, label=fid)
        axes[2].plot(x, df[f"killed_{fid}"], color=col, lw=2, label=fid)
    axes[0].set_ylabel("formation strength (men)")
    axes[1].set_ylabel("mean morale")
    axes[2].set_ylabel("killed or disabled (cum.)")
    if "turkish_killed" in df:
        axes[2].plot(x, df["turkish_killed"], color="#2c7fb8", lw=1, ls="--", label="Turkish soldiers killed")
    for ax in axes:
        ax.legend(fontsize=8, loc="upper left")
        format_time(ax, mondays=ax is axes[-1])
        mark_events(ax)
    axes[0].set_title("Forces", fontsize=10)
    fig.subplots_adjust(**CHART_MARGINS)  # fixed margins: a layout engine would draw the figure twice
    p = out / "forces.png"
    save(fig, p, trim=False)
    return p


def displacement_figure(record: RunRecord, out: Path) -> Path | None:
    df = record.daily
    if "displaced_total" not in df:
        return None
    x = _dates(df)
    fig, axes = plt.subplots(2, 1, figsize=(9, 8), dpi=130, sharex=True)
    ax = axes[0]
    ax.plot(
        x, df["displaced_total"] / 1e3, color="#8e44ad", lw=2.2, label="displaced at least once since 1 Dec"
    )
    ax.plot(x, df["displaced_now"] / 1e3, color="#8e44ad", lw=1.2, ls="--", label="displaced now")
    pts = displacement_points()
    for use, marker in (("fit", "o"), ("holdout", "s")):
        sel = [(d, v) for d, v, u in pts if u == use]
        if sel:
            ax.scatter(
                [pd.Timestamp(d) for d, _ in sel],
                [v / 1e3 for _, v in sel],
                marker=marker,
                facecolors="black" if use == "fit" else "white",
                edgecolors="black",
                zorder=5,
                label=f"seeds ({use})",
            )
    ax.set_ylabel("thousand people")
    ax.set_title("Displacement", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    cols = [
        c
        for c in ("shelter_host", "shelter_camp", "shelter_unfinished", "shelter_open_air", "in_transit")
        if c in df
    ]
    labels = {
        "shelter_host": "relatives / host families",
        "shelter_camp": "camps",
        "shelter_unfinished": "unfinished buildings",
        "shelter_open_air": "open air",
        "in_transit": "on the road",
    }
    colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#aaaaaa"]
    axes[1].stackplot(
        x,
        *[df[c] / 1e3 for c in cols],
        labels=[labels[c] for c in cols],
        colors=colours[: len(cols)],
        alpha=0.85,
    )
    axes[1].set_ylabel("thousand people (all displaced since 1 Dec)")
    axes[1].legend(fontsize=8, loc="upper left")
    for a in axes:
        format_time(a, mondays=a is axes[-1])
        mark_events(a)
    fig.subplots_adjust(**CHART_MARGINS)  # fixed margins: a layout engine would draw the figure twice
    p = out / "displacement.png"
    save(fig, p, trim=False)
    return p


def subdistricts_figure(record: RunRecord, out: Path, top: int = 8) -> Path | None:
    """The displaced by sub-district, day by day (``subdistricts.csv``): above, the people of each
    sub-district who are away from it (where they fled from); below, the displaced staying in each (where
    they shelter). The ``top`` sub-districts by their peak, so a planner sees which ones carry the load."""
    sub = record.subdistricts
    if sub is None or sub.empty:
        return None
    fig, axes = plt.subplots(2, 1, figsize=(9, 8), dpi=130, sharex=True)
    panels = (
        ("displaced_from", "people of the sub-district away from it (where they fled from)"),
        ("displaced_present", "displaced people staying in the sub-district (where they shelter)"),
    )
    colours = plt.get_cmap("tab10").colors
    for ax, (column, title) in zip(axes, panels, strict=True):
        wide = sub.pivot(index="date", columns="subdistrict", values=column)
        wide.index = pd.to_datetime(wide.index)
        peak = wide.max()
        names = [n for n in peak.sort_values(ascending=False, kind="stable").index[:top] if peak[n] > 0]
        for k, name in enumerate(names):
            ax.plot(wide.index, wide[name] / 1e3, lw=1.6, color=colours[k % len(colours)], label=name)
        ax.set_ylabel("thousand people")
        ax.set_title(title, fontsize=10)
        if names:
            ax.legend(fontsize=7, loc="upper left", ncol=2)
        format_time(ax, mondays=ax is axes[-1])
        mark_events(ax)
    fig.subplots_adjust(**CHART_MARGINS)
    p = out / "subdistricts.png"
    save(fig, p, trim=False)
    return p


def displaced_maps(record: RunRecord, out: Path, dates: list[dt.date] | None = None) -> list[Path]:
    if record.displaced is None:
        return []
    sc, t = record.scenario, record.theatre
    dates = [d for d in (dates or record.map_dates()) if d > sc.start]
    if not dates:
        return []
    dm = DayMap(
        t, faction_colours(sc), labels=False, highway_labels=False, marks=False, notes=10, dot_edges=False
    )
    vmax = float(np.max(record.displaced)) or 1.0
    paths = []
    for d in dates:
        k = record.day(d)
        disp, codes = record.displaced[k], record.controller[k]
        top = [int(i) for i in np.argsort(-disp, kind="stable")[:10] if disp[i] > 0]
        dm.draw(
            f"Where the displaced are on {d:%d %b %Y}: {disp.sum() / 1e3:.0f}k people away from home\n"
            "(bubble area ~ displaced people present; ten largest labelled)",
            fill=controller_rgba(dm.colours, codes, 0.15),
            front=codes,
            dots=(np.full(t.n, 3.0), dm.colours[codes]),
            bubbles=DISPLACED_AREA * np.sqrt(disp / vmax),
            notes=[(i, f"{t.names[i]} {disp[i] / 1e3:.0f}k") for i in top],
        )
        paths.append(dm.save(out / f"displaced_{d.isoformat()}.png"))
    return paths


Job = tuple[Callable[..., Any], tuple[Any, ...]]


def figure_jobs(record: RunRecord, out: Path, all_maps: bool = False) -> list[Job]:
    """The figures of a run as independent jobs ``(function, arguments)``, each writing its files into
    ``out`` and returning their paths, the longest first: the control maps on the map dates and the
    charts; with ``all_maps`` also where the displaced are on the map dates."""
    dates = record.map_dates()
    jobs: list[Job] = [(control_maps, (record, out, dates))]
    if all_maps and record.displaced is not None:
        jobs.append((displaced_maps, (record, out, dates)))
    jobs += [
        (territory_figure, (record, out)),
        (forces_figure, (record, out)),
        (displacement_figure, (record, out)),
        (subdistricts_figure, (record, out)),
    ]
    return jobs


def run_job(job: Job) -> list[Path]:
    function, args = job
    result = function(*args)
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]


def run_figures(record: RunRecord, out: Path, all_maps: bool = False) -> list[Path]:
    """Draw every figure of a run into ``out``, one after the other, in this process."""
    out.mkdir(parents=True, exist_ok=True)
    return [p for job in figure_jobs(record, out, all_maps) for p in run_job(job)]
