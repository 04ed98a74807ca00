"""The planning brief's figures (``idlib-sim brief``), drawn from the brief's quantile tables:

* ``shelter.png``: a fan per shelter kind (host families, camps, unfinished buildings, open air, on the
  road): the median of the runs and its 5-95 % band, day by day;
* ``subdistricts.png``: the sub-districts people flee from and those they stay in on the last day, bars at
  the median with the 5-95 % band as a whisker.

Why these two: a planner sizes shelter by kind over time and places it by sub-district; a map of 67
sub-districts without their boundaries (the map holds community points only) would say less than a
ranked bar chart.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.plots.common import format_time, save

COLOURS = ("#2c7fb8", "#e6550d", "#756bb1", "#de2d26", "#636363")


def shelter_figure(shelter: pd.DataFrame, labels: dict[str, str], path: Path, title: str) -> Path:
    """``shelter``: date, metric, p5, median, p95 (every day); one panel per kind, in thousands."""
    kinds = [k for k in labels if k in set(shelter["metric"])]
    fig, axes = plt.subplots(1, len(kinds), figsize=(3.0 * len(kinds), 3.0), sharey=False)
    for ax, kind, colour in zip(np.atleast_1d(axes), kinds, COLOURS, strict=False):
        s = shelter[shelter["metric"] == kind].sort_values("date")
        x = pd.to_datetime(s["date"])
        ax.fill_between(x, s["p5"] / 1e3, s["p95"] / 1e3, color=colour, alpha=0.25, lw=0, label="5–95 %")
        ax.plot(x, s["median"] / 1e3, color=colour, lw=2, label="median")
        ax.set_title(labels[kind], fontsize=9)
        ax.set_ylim(bottom=0)
        format_time(ax, mondays=False)
        ax.tick_params(labelsize=7)
    np.atleast_1d(axes)[0].set_ylabel("people (thousands)")
    np.atleast_1d(axes)[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{title}: newly displaced people by shelter, median and 5–95 % of runs", fontsize=10)
    fig.tight_layout()
    save(fig, path)
    return path


def subdistricts_figure(origin: pd.DataFrame, arrival: pd.DataFrame, path: Path, title: str) -> Path:
    """Two ranked bar panels (origin, arrival): median with a 5-95 % whisker, in thousands."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.35 * max(len(origin), len(arrival), 3) + 1.2))
    panels = (
        (origin, "from (home sub-district, people away)", "#de2d26"),
        (arrival, "in (displaced people staying there)", "#2c7fb8"),
    )
    for ax, (table, label, colour) in zip(axes, panels, strict=True):
        t = table.iloc[::-1]
        y = np.arange(len(t))
        med = t["median"].to_numpy() / 1e3
        err = np.vstack([med - t["p5"].to_numpy() / 1e3, t["p95"].to_numpy() / 1e3 - med])
        ax.barh(y, med, color=colour, alpha=0.75, xerr=err, error_kw={"lw": 1, "capsize": 2})
        ax.set_yticks(y, t["subdistrict"], fontsize=8)
        ax.set_xlabel("people (thousands)")
        ax.set_title(label, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(
        f"{title}: displaced by sub-district on the last day, median and 5–95 % of runs", fontsize=10
    )
    fig.tight_layout()
    save(fig, path)
    return path


def brief_figures(
    shelter: pd.DataFrame,
    labels: dict[str, str],
    origin: pd.DataFrame,
    arrival: pd.DataFrame,
    out: Path,
    title: str,
) -> list[Path]:
    return [
        shelter_figure(shelter, labels, out / "shelter.png", title),
        subdistricts_figure(origin, arrival, out / "subdistricts.png", title),
    ]
