"""The app's pictures: the day map of a run, its time series with a marker on the day, and probability maps.

Each is drawn once per run (or comparison) and then redrawn cheaply for every day the slider reaches: the
map is a ``DayMap`` (territory, front line, strikes, displaced, posts on the theatre drawn once), and the
time series are rendered once as pixels onto which the day's marker is painted. A slider step costs tens of
milliseconds, so the page follows the slider.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from sim.inputs.geography import Theatre
from sim.inputs.schema import Scenario
from sim.plots.common import format_time, mark_events
from sim.plots.daymap import DayMap, controller_rgba, population_areas
from sim.plots.run_figures import RunRecord, control_legend, faction_colours

MARKER = (214, 39, 40)  # the selected day on the time series
BUBBLE_AREA = 900.0  # displaced bubble area (points²) at the run's largest number present
STRIKE_AREA = 40.0  # strike marker area (points²) at the run's most strikes on a settlement in a day


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=3)
    return buf.getvalue()


class RunMap:
    """A run's map on any day: control, front line, strikes, displaced people present, posts, corridor."""

    def __init__(self, record: RunRecord) -> None:
        self.record = record
        sc = record.scenario
        legend = control_legend(sc, bool(record.corridor.any()))
        legend += [
            Line2D([], [], marker="o", ls="", mfc="#8e44ad", alpha=0.45, mec="#4a235a", ms=10,
                   label="displaced people present"),
            Line2D([], [], marker=(8, 2, 0), ls="", color="#111111", ms=7, label="strikes that day"),
        ]  # fmt: skip
        self.map = DayMap(record.theatre, faction_colours(sc), legend=legend, figsize=(7.6, 8.8), dpi=100)
        self.sizes = 0.5 * population_areas(record.theatre.population)
        displaced = record.displaced
        self.vmax = max(float(np.max(displaced)), 1.0) if displaced is not None else 1.0
        self.smax = max(float(np.max(record.strikes)), 1.0)
        self.offensive = list(sc.factions).index(sc.roles.offensive) if sc.roles.offensive else -1

    def png(self, k: int) -> bytes:
        r, t, m = self.record, self.record.theatre, self.map
        k = min(max(k, 0), r.days - 1)
        codes = r.controller[k]
        date = r.scenario.start + pd.Timedelta(days=k)
        held = int(np.sum(codes == self.offensive))
        displaced = r.displaced[k] if r.displaced is not None else None
        away = f"; {displaced.sum() / 1e3:,.0f}k displaced away from home" if displaced is not None else ""
        m.draw(
            f"{r.scenario.name}, seed {r.seed}: {date:%d %b %Y} (day {k})\n"
            f"{r.scenario.roles.offensive or 'offensive'} holds {held} of {t.n} settlements{away}",
            fill=controller_rgba(m.colours, codes, 0.28),
            front=codes,
            dots=(self.sizes, m.colours[codes]),
            bubbles=None if displaced is None else BUBBLE_AREA * np.sqrt(displaced / self.vmax),
            strikes=STRIKE_AREA * np.sqrt(r.strikes[k] / self.smax),
            posts=r.posts[k],
            rings=r.corridor[k],
        )
        return m.png()


class SeriesStrip:
    """Time series of a run (or several runs' medians) rendered once; ``png(k)`` marks day ``k``."""

    def __init__(self, daily: pd.DataFrame, scenario: Scenario, title: str = "") -> None:
        self.start = pd.Timestamp(scenario.start)
        fig = Figure(figsize=(9.5, 6.2), dpi=90)
        canvas = FigureCanvasAgg(fig)
        axes = fig.subplots(2, 2, sharex=True)
        x = pd.to_datetime(daily["date"])
        colours = {fid: f.color for fid, f in scenario.factions.items()}
        ax = axes[0, 0]
        if "displaced_total" in daily:
            ax.plot(
                x, daily["displaced_total"] / 1e3, color="#8e44ad", lw=2, label="displaced since the start"
            )
            ax.plot(x, daily["displaced_now"] / 1e3, color="#8e44ad", lw=1.2, ls="--", label="displaced now")
        ax.set_title("People displaced (thousands)", fontsize=9)
        ax = axes[0, 1]
        offensive = scenario.roles.offensive
        for fid, colour in colours.items():
            col = f"territory_{fid}_km2"
            if col in daily and (daily[col].max() > 0):
                ax.plot(x, daily[col] - daily[col].iloc[0], color=colour, lw=2, label=fid)
        ax.set_title("Territory gained or lost since the start (km²)", fontsize=9)
        ax = axes[1, 0]
        for fid, colour in colours.items():
            col = f"strength_{fid}"
            if col in daily and daily[col].max() > 0:
                ax.plot(x, daily[col] / 1e3, color=colour, lw=2, label=fid)
        ax.set_title("Forces: men in formations (thousands)", fontsize=9)
        ax = axes[1, 1]
        for fid, colour in colours.items():
            col = f"killed_{fid}"
            if col in daily and daily[col].max() > 0:
                ax.plot(x, daily[col], color=colour, lw=2, label=f"{fid} dead or disabled")
        if "civilians_killed" in daily:
            ax.plot(x, daily["civilians_killed"], color="black", lw=1.6, ls="--", label="civilians killed")
        ax.set_title("Casualties (cumulative)", fontsize=9)
        for a in axes.ravel():
            format_time(a, mondays=False)
            mark_events(a)
            a.tick_params(labelsize=7)
            if a.get_legend_handles_labels()[0]:
                a.legend(fontsize=6.5, loc="upper left")
        if offensive is None:
            axes[0, 1].set_title("Territory (km²)", fontsize=9)
        if title:
            fig.suptitle(title, fontsize=10)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=0.9 if title else 0.94, hspace=0.22)
        canvas.draw()
        self.pixels = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        h = self.pixels.shape[0]
        # per axes: its rows in the picture, and the pixel column of each date
        self.boxes = [(int(h - a.bbox.y1), int(h - a.bbox.y0), a) for a in axes.ravel()]
        self.days = len(daily)

    def png(self, k: int) -> bytes:
        pixels = self.pixels.copy()
        date = self.start + pd.Timedelta(days=min(max(k, 0), self.days - 1))
        for top, bottom, ax in self.boxes:
            x = ax.transData.transform((matplotlib.dates.date2num(date), 0))[0]
            col = round(x)
            pixels[top:bottom, max(col - 1, 0) : col + 1] = MARKER
        return _png(Image.fromarray(pixels))


class ProbabilityMap:
    """The probability that each settlement is held by one side, on a map drawn once for all days."""

    def __init__(self, theatre: Theatre, label: str, cmap: str = "Reds") -> None:
        self.theatre = theatre
        self.cmap = matplotlib.colormaps[cmap]
        self.map = DayMap(
            theatre,
            ["#222222", "#222222"],
            figsize=(6.4, 7.4),
            dpi=90,
            marks=False,
            colorbar=(cmap, label),
        )
        self.dots = (np.full(theatre.n, 6.0), np.tile(matplotlib.colors.to_rgba("#333333"), (theatre.n, 1)))

    def png(self, probability: np.ndarray, title: str, front: np.ndarray | None = None) -> bytes:
        fill = self.cmap(np.clip(probability, 0, 1))
        fill[:, 3] = 0.75
        self.map.draw(title, fill=fill, front=front, dots=self.dots)
        return self.map.png()


def probability_held(controllers: Sequence[np.ndarray], code: int) -> np.ndarray:
    """Share of runs in which each settlement is held by faction ``code``, per day: (days, settlements)."""
    stack = np.stack([np.asarray(c) == code for c in controllers])
    return stack.mean(axis=0)
