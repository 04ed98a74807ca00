"""Maps redrawn day after day: the theatre is drawn once, then only what changes from one day to the next.

Why: a run's maps, and the app's day slider, show the same theatre on many days. Drawing each map from
scratch redraws every road, label and mark and lays the figure out again (about a second a map). Here the
parts that never change are rendered once into three layers of pixels (the land and the axes under the
day's territory; boundaries and roads over the territory but under the settlements; names, border crossings,
scale and legend on top) and a day costs only the territory, the front line and the day's markers, whatever
the base holds. Settlements enter only through numpy arrays (colours, sizes, the nearest-settlement
raster), so a village-level map of a few thousand settlements costs about what the 123 towns cost.

The territory is the nearest-settlement raster of ``basemap.territory_raster``, computed once together with
the pixels each of its cells covers: a day's shading is one gather of per-settlement colours, blended onto
the land, and the front line is the contour between controllers' codes on the raster.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.transforms import Bbox
from PIL import Image

from sim.inputs.geography import Theatre
from sim.plots import basemap

OUTSIDE = -1  # raster cells outside the theatre polygon
SETTLEMENT_Z = 5  # static artists drawn below this zorder go under the settlements, the rest over them
POST_BLUE = to_rgba("#2c7fb8")


class DayMap:
    """One figure of the theatre, redrawn for any number of days.

    ``colours`` are the controllers' colours by controller code (they set the front line's levels). The
    static layers are chosen once: ``labels`` (key towns), ``highway_labels``, ``marks`` (border crossings),
    ``legend`` (matplotlib handles, drawn in the upper left), ``colorbar`` (a ``(cmap, label)`` pair for
    maps of a probability), ``notes`` (how many settlements a day may label) and ``dot_edges`` (outlined
    settlement markers). Each ``draw`` sets one
    day's content; ``save``, ``png`` and ``image`` give the picture, cut to its content.
    """

    def __init__(
        self,
        theatre: Theatre,
        colours: Sequence[str],
        *,
        figsize: tuple[float, float] = (8.2, 9.5),
        dpi: int = 130,
        labels: bool = True,
        highway_labels: bool = True,
        marks: bool = True,
        legend: Sequence[Artist] | None = None,
        colorbar: tuple[str, str] | None = None,
        notes: int = 0,
        dot_edges: bool = True,
    ) -> None:
        self.theatre = theatre
        self.colours = np.array([to_rgba(c) for c in colours])
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.add_subplot()
        basemap.setup_axes(ax, theatre)
        cells, self.extent = basemap.territory_raster(theatre, np.arange(theatre.n))
        self.inside = cells != OUTSIDE
        self.owner = np.where(self.inside, cells, 0)
        self.grid_x = np.linspace(self.extent[0], self.extent[1], cells.shape[1])
        self.grid_y = np.linspace(self.extent[2], self.extent[3], cells.shape[0])
        before = set(ax.get_children())
        basemap.draw_boundaries(ax, theatre)
        land = [a for a in ax.get_children() if a not in before and isinstance(a, Polygon)]
        basemap.draw_roads(ax, theatre, labels=highway_labels)
        if labels:
            basemap.draw_labels(ax, theatre)
        if marks:
            basemap.draw_marks(ax, theatre, posts=[])
        basemap.scale_bar(ax, theatre)
        static = [a for a in ax.get_children() if a not in before and a not in land]
        low = [a for a in static if a.get_zorder() < SETTLEMENT_Z] + list(ax.spines.values())
        high = [a for a in static if a.get_zorder() >= SETTLEMENT_Z]
        if legend:
            high.append(ax.legend(handles=list(legend), loc="upper left", fontsize=6.5, framealpha=0.9))
        if colorbar is not None:
            cmap, label = colorbar
            self.fig.colorbar(ScalarMappable(Normalize(0, 1), cmap), ax=ax, shrink=0.7, label=label)
        others = [a for a in self.fig.axes if a is not ax]  # the colour bar
        under = [self.fig.patch, ax.patch, *land, ax.xaxis, ax.yaxis, *others]
        # ---- what changes from day to day
        lon, lat = theatre.lon, theatre.lat
        self.dots = ax.scatter(
            lon, lat, s=0, edgecolors="#222222", linewidths=0.5 if dot_edges else 0, zorder=5
        )
        self.bubbles = ax.scatter(
            lon, lat, s=0, facecolors="#8e44ad", alpha=0.45, edgecolors="#4a235a", linewidths=0.6, zorder=6
        )
        # rings shrink on a dense map (a village map's corridor holds hundreds of communities)
        self.ring_size = 150.0 * min(1.0, 200.0 / max(theatre.n, 1)) ** 0.5
        ring_width = 1.6 if theatre.n <= 200 else 0.9
        self.rings = ax.scatter(lon, lat, s=0, facecolors="none", edgecolors="#ff8c00", linewidths=ring_width)
        self.strikes = ax.scatter(lon, lat, s=0, marker=(8, 2, 0), c="#111111", linewidths=0.8, zorder=7)
        self.posts = ax.scatter(
            np.zeros(0), np.zeros(0), marker="^", s=46, edgecolors="#2c7fb8", linewidths=1.2, zorder=7
        )
        self.notes = [
            ax.annotate(
                "",
                (0, 0),
                xytext=(4, -8),
                textcoords="offset points",
                fontsize=6.5,
                zorder=8,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            )
            for _ in range(notes)
        ]
        self.title = ax.set_title("day\nday", fontsize=10)
        self._dynamic: list[Artist] = [
            self.dots,
            self.bubbles,
            self.rings,
            self.strikes,
            self.posts,
            *self.notes,
            self.title,
        ]
        self._render_base(under, low, high)

    # ---------------------------------------------------------------- the base, once

    def _render_base(self, under: list[Artist], low: list[Artist], high: list[Artist]) -> None:
        """Render the three static layers as pixels; find the pixels each settlement's cells cover and the
        box the pictures are cut to."""
        fig, canvas = self.fig, self.canvas
        everything = [*under, *low, *high, *self._dynamic]
        shown = {a: a.get_visible() for a in everything}
        layers = []
        for layer in (under, low, high):
            for a in everything:
                a.set_visible(shown[a] and a in layer)
            canvas.draw()
            layers.append(np.asarray(canvas.buffer_rgba()).copy())
        for a in everything:
            a.set_visible(shown[a])
        self._under = layers[0]
        self._low, self._high = _Layer(layers[1]), _Layer(layers[2])
        renderer = canvas.get_renderer()
        self._box = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)
        # the raster cell under the centre of every pixel of the axes
        h, w = self._under.shape[:2]
        box = self.ax.bbox
        cols = np.arange(max(int(box.x0), 0), min(int(np.ceil(box.x1)), w))
        rows = np.arange(max(int(h - box.y1), 0), min(int(np.ceil(h - box.y0)), h))
        pc, pr = (g.ravel() for g in np.meshgrid(cols, rows))
        lon, lat = self.ax.transData.inverted().transform(np.column_stack([pc + 0.5, h - pr - 0.5])).T
        ny, nx = self.owner.shape
        cx = np.floor((lon - self.extent[0]) / (self.extent[1] - self.extent[0]) * nx).astype(np.int64)
        cy = np.floor((lat - self.extent[2]) / (self.extent[3] - self.extent[2]) * ny).astype(np.int64)
        ok = (cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny)
        ok[ok] = self.inside[cy[ok], cx[ok]]
        self._fill_index = pr[ok] * w + pc[ok]
        self._fill_owner = self.owner[cy[ok], cx[ok]]
        self._fill_under = self._under.reshape(-1, 4)[self._fill_index, :3].astype(np.float32)

    # ---------------------------------------------------------------- a day

    def draw(
        self,
        title: str,
        fill: np.ndarray | None = None,
        front: np.ndarray | None = None,
        dots: tuple[np.ndarray, np.ndarray] | None = None,
        bubbles: np.ndarray | None = None,
        strikes: np.ndarray | None = None,
        posts: Sequence[tuple[int, bool]] = (),
        rings: np.ndarray | None = None,
        notes: Sequence[tuple[int, str]] = (),
    ) -> None:
        """Draw one day.

        ``fill``: per-settlement RGBA (n, 4), floats 0-1, shading its cells; ``front``: per-settlement
        controller codes whose boundaries are drawn as the front line; ``dots``: marker areas (points²) and
        RGBA colours of the settlements; ``bubbles`` and ``strikes``: marker areas per settlement (0 for
        none); ``posts``: (settlement, encircled) of observation posts; ``rings``: a boolean mask of
        settlements to circle (the ceasefire corridor); ``notes``: (settlement, text) labels.
        """
        ax = self.ax
        pixels = np.asarray(self.canvas.buffer_rgba())  # the canvas's own pixels, drawn on below
        pixels[...] = self._under
        if fill is not None:
            rgba = fill.astype(np.float32)[self._fill_owner]
            a = rgba[:, 3:4]
            flat = pixels.reshape(-1, 4)
            flat[self._fill_index, :3] = (
                rgba[:, :3] * 255.0 * a + self._fill_under * (1.0 - a) + 0.5
            ).astype(np.uint8)
        if front is not None:
            codes = np.where(self.inside, front[self.owner], np.nan).astype(float)
            levels = np.arange(-0.5, len(self.colours))
            contours: Any = ax.contour(
                self.grid_x, self.grid_y, codes, levels=levels, colors="#222222", linewidths=0.6, zorder=1
            )
            ax.draw_artist(contours)
            contours.remove()
        self._low.blend_onto(pixels)
        n = self.theatre.n
        if dots is not None:
            self.dots.set_sizes(np.broadcast_to(dots[0], (n,)))
            self.dots.set_facecolor(dots[1])
            ax.draw_artist(self.dots)
        if bubbles is not None:
            self.bubbles.set_sizes(np.broadcast_to(bubbles, (n,)))
            ax.draw_artist(self.bubbles)
        if rings is not None and np.any(rings):
            self.rings.set_sizes(np.where(rings, self.ring_size, 0.0))
            ax.draw_artist(self.rings)
        if strikes is not None:
            self.strikes.set_sizes(np.broadcast_to(strikes, (n,)))
            ax.draw_artist(self.strikes)
        if len(posts):
            node = np.array([p for p, _ in posts], dtype=np.int64)
            encircled = np.array([e for _, e in posts], dtype=bool)
            self.posts.set_offsets(np.column_stack([self.theatre.lon[node], self.theatre.lat[node]]) + 0.012)
            self.posts.set_facecolor(np.where(encircled[:, None], (1.0, 1.0, 1.0, 1.0), POST_BLUE))
            ax.draw_artist(self.posts)
        self._high.blend_onto(pixels)
        for text, (i, label) in zip(self.notes, notes, strict=False):
            text.xy = (self.theatre.lon[i], self.theatre.lat[i])
            text.set_text(label)
            ax.draw_artist(text)
        self.title.set_text(title)
        ax.draw_artist(self.title)

    # ---------------------------------------------------------------- out

    def image(self) -> Image.Image:
        """The day drawn last, cut to the figure's content (as ``bbox_inches='tight'`` would)."""
        renderer = self.canvas.get_renderer()
        box = Bbox.union([self._box, self.title.get_window_extent(renderer)])
        pad = 0.15 * self.fig.dpi
        w, h = int(self.fig.bbox.width), int(self.fig.bbox.height)
        x0, x1 = max(int(box.x0 - pad), 0), min(int(np.ceil(box.x1 + pad)), w)
        y0, y1 = max(int(h - box.y1 - pad), 0), min(int(np.ceil(h - box.y0 + pad)), h)
        rgba = np.asarray(self.canvas.buffer_rgba())[y0:y1, x0:x1, :3]
        return Image.fromarray(np.ascontiguousarray(rgba))

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.image().save(buf, format="png", compress_level=3)
        return buf.getvalue()

    def save(self, path: Path) -> Path:
        """Write the day drawn last to ``path`` atomically (a hidden temporary file renamed into place)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp.png")
        self.image().save(tmp, format="png", compress_level=3)
        tmp.replace(path)
        return path


class _Layer:
    """The pixels of an RGBA picture that are not transparent, to draw over another picture of its size."""

    def __init__(self, rgba: np.ndarray) -> None:
        flat = rgba.reshape(-1, 4)
        self.index = np.flatnonzero(flat[:, 3])
        colour = flat[self.index].astype(np.float32)
        self.alpha = colour[:, 3:4] / 255.0
        self.premultiplied = colour[:, :3] * self.alpha

    def blend_onto(self, pixels: np.ndarray) -> None:
        flat = pixels.reshape(-1, 4)
        below = flat[self.index, :3].astype(np.float32)
        flat[self.index, :3] = (self.premultiplied + below * (1.0 - self.alpha) + 0.5).astype(np.uint8)


def controller_rgba(colours: np.ndarray, controller: np.ndarray, alpha: float) -> np.ndarray:
    """Per-settlement RGBA of its controller's colour at ``alpha`` (controller codes index ``colours``)."""
    rgba = colours[controller].copy()
    rgba[:, 3] = alpha
    return rgba


def population_areas(population: np.ndarray) -> np.ndarray:
    """Marker areas (points²) of settlements by population, as ``basemap.draw_settlements`` sizes them."""
    return 4 + 220 * np.sqrt(np.maximum(population, 0) / max(float(np.max(population)), 1.0))
