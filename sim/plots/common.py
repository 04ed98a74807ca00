"""What every figure module shares: saving a figure, the time axis with its event markers, quantile fans.

Figures are written atomically (drawn to a hidden temporary file beside the target, then renamed), so an
interrupted run never leaves a half-written PNG behind a complete-looking name. Time series share one
date axis (months, with Monday ticks) and the same markers for the dates every scenario is read against.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

OFFENSIVE_START = "2019-12-18"  # the day before the offensive: gains are counted from its end
EVENTS = (
    (dt.date(2019, 12, 19), "offensive"),
    (dt.date(2020, 1, 12), "ceasefire 12 Jan"),
    (dt.date(2020, 2, 27), "Spring Shield"),
    (dt.date(2020, 3, 6), "ceasefire 6 Mar"),
)


def save(fig: Any, path: Path, trim: bool = True) -> None:
    """Write ``fig`` to ``path`` (creating its directory) atomically, trimmed to its content unless ``trim``
    is false (trimming draws the figure twice: figures laid out with fixed margins skip it), and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    if trim:
        fig.savefig(tmp, bbox_inches="tight", pad_inches=0.15)  # no empty margins around the map
    else:
        fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(path)


def mark_events(ax: plt.Axes) -> None:
    """Light markers for reference inputs: offensive start, ceasefires, Spring Shield."""
    for d, label in EVENTS:
        ax.axvline(pd.Timestamp(d), color="#888888", lw=0.7, ls=":")
        ax.text(
            pd.Timestamp(d),
            1.0,
            f" {label}",
            transform=ax.get_xaxis_transform(),
            fontsize=6.5,
            color="#666666",
            va="top",
            rotation=90,
        )


def format_time(ax: plt.Axes, mondays: bool = True) -> None:
    """Months as major ticks, Mondays as minor ticks (unless ``mondays`` is false: panels above the one
    with the dates skip them, as tick marks are most of a chart's drawing time), and a light grid."""
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    if mondays:
        ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=0))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    ax.grid(alpha=0.3)


def add_derived(daily: pd.DataFrame) -> pd.DataFrame:
    """Columns the figures and comparisons use that are differences of daily.csv columns.

    ``gain_km2`` = government territory on the date minus that run's government territory on
    ``OFFENSIVE_START`` (or on its first date when the run starts later).
    """
    daily = daily.copy()
    if "territory_government_km2" in daily:
        base = daily[daily["date"] == OFFENSIVE_START].set_index("run")["territory_government_km2"]
        if base.empty:
            base = daily.groupby("run")["territory_government_km2"].first()
        daily["gain_km2"] = daily["territory_government_km2"] - daily["run"].map(base)
    return daily


def fan(
    ax: Any, daily: pd.DataFrame, col: str, scale: float, colour: str = "#8e44ad", label: str | None = None
) -> None:
    """Median line with 50 % and 90 % bands across runs, per date, of ``col`` times ``scale``."""
    g = daily.groupby("date")[col]
    q = g.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack() * scale
    x = pd.to_datetime(q.index)
    ax.fill_between(
        x, q[0.05], q[0.95], color=colour, alpha=0.18, lw=0, label="90 % of runs" if label else None
    )
    ax.fill_between(
        x, q[0.25], q[0.75], color=colour, alpha=0.35, lw=0, label="50 % of runs" if label else None
    )
    ax.plot(x, q[0.5], color=colour, lw=2, label=label)
