"""The map every figure draws on: theatre, governorates, territory, roads, settlements, posts, labels.

Plain matplotlib at longitude/latitude with the aspect corrected for latitude (no tiles: the model runs
offline). Colours follow the convention of ISW/Liveuamap maps: red government, green opposition, blue Turkey.
Highways are drawn in colours no faction uses (M5 charcoal, M4 purple) so they never read as control.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from scipy.spatial import cKDTree

from sim.inputs.geography import Theatre

HIGHWAY_STYLE = {"M5": ("#333333", "M5 Hama-Aleppo"), "M4": ("#7b3294", "M4 Latakia-Aleppo")}
KEY_TOWNS = {
    "Aleppo",
    "Hama",
    "Latakia",
    "Idlib",
    "Ma'arrat al-Nu'man",
    "Saraqib",
    "Khan Shaykhun",
    "Ariha",
    "Jisr al-Shughur",
    "Kafr Nabl",
    "Atarib",
    "Darat Izza",
    "Afrin",
    "Azaz",
    "Sarmada",
    "Atmeh",
    "Harem",
    "Salqin",
    "Morek",
    "Jarjnaz",
    "Khan al-Asal",
    "Al-Eiss",
    "Taftanaz",
    "Binnish",
    "Sarmin",
    "Dana",
    "Maarrat Misrin",
    "Kabani",
    "Qalaat al-Madiq",
    "Bab al-Hawa",
    "Abu al-Duhur",
    "Al-Zarbah",
    "Haritan",
    "Anadan",
    "Kafr Halab",
    "Tell Touqan",
    "Hish",
    "Balyun",
    "Nayrab",
}


def faction_colours(factions: dict[str, str]) -> dict[str, str]:
    return dict(factions)


def setup_axes(ax: Axes, theatre: Theatre, pad: float = 0.03) -> None:
    lat0 = float(np.mean(theatre.lat))
    ax.set_aspect(1.0 / math.cos(math.radians(lat0)))
    poly = np.array(theatre.meta.get("theatre_polygon") or [])
    if poly.size:
        ax.set_xlim(poly[:, 0].min() - pad, poly[:, 0].max() + pad)
        ax.set_ylim(poly[:, 1].min() - pad, poly[:, 1].max() + pad)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.tick_params(labelsize=7)
    ax.set_facecolor("#dfe8ef")  # outside Syria: Turkey and the sea, muted


def territory_raster(
    theatre: Theatre, controller_codes: np.ndarray, cell_deg: float = 0.012
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Nearest-settlement raster of controller codes over the theatre polygon (-1 outside)."""
    poly = np.array(theatre.meta.get("theatre_polygon"))
    x0, x1 = poly[:, 0].min(), poly[:, 0].max()
    y0, y1 = poly[:, 1].min(), poly[:, 1].max()
    xs = np.arange(x0, x1, cell_deg)
    ys = np.arange(y0, y1, cell_deg)
    gx, gy = np.meshgrid(xs, ys)
    coslat = math.cos(math.radians(float(np.mean(theatre.lat))))
    # a k-d tree rather than all cell-settlement distances: memory and time stay small with thousands of
    # settlements (cells x settlements distances would be ~10^8 numbers for a village-level map)
    tree = cKDTree(np.column_stack([theatre.lon * coslat, theatre.lat]))
    _, owner = tree.query(np.column_stack([gx.ravel() * coslat, gy.ravel()]))
    inside = MplPath(poly).contains_points(np.column_stack([gx.ravel(), gy.ravel()]))
    codes = np.where(inside, controller_codes[owner], -1).reshape(gy.shape)
    return codes, (x0, x0 + cell_deg * len(xs), y0, y0 + cell_deg * len(ys))


def draw_territory(
    ax: Axes, theatre: Theatre, controller_codes: np.ndarray, colours: Sequence[str], alpha: float = 0.28
) -> None:
    codes, extent = territory_raster(theatre, controller_codes)
    rgba = np.zeros((*codes.shape, 4))
    for c, col in enumerate(colours):
        rgba[codes == c] = (*to_rgb(col), alpha)
    # imshow's default aspect would undo the latitude correction that setup_axes gave the axes
    ax.imshow(rgba, origin="lower", extent=extent, interpolation="nearest", aspect=ax.get_aspect(), zorder=0)
    # the front line: boundaries between cells of different controllers
    ax.contour(
        np.linspace(extent[0], extent[1], codes.shape[1]),
        np.linspace(extent[2], extent[3], codes.shape[0]),
        np.where(codes < 0, np.nan, codes).astype(float),
        levels=np.arange(-0.5, len(colours)),
        colors="#222222",
        linewidths=0.6,
        zorder=1,
    )


def draw_probability(ax: Axes, theatre: Theatre, prob: np.ndarray, cmap: str = "Reds") -> None:
    """Shade each settlement's cell by a probability (e.g. of government control)."""
    codes, extent = territory_raster(theatre, np.arange(theatre.n))
    vals = np.where(codes >= 0, prob[np.maximum(codes, 0)], np.nan)
    im = ax.imshow(
        vals,
        origin="lower",
        extent=extent,
        interpolation="nearest",
        cmap=cmap,
        vmin=0,
        vmax=1,
        alpha=0.75,
        aspect=ax.get_aspect(),
        zorder=0,
    )
    plt.colorbar(im, ax=ax, shrink=0.7, label="probability")


def draw_boundaries(ax: Axes, theatre: Theatre) -> None:
    poly = np.array(theatre.meta.get("theatre_polygon") or [])
    if poly.size:
        ax.fill(poly[:, 0], poly[:, 1], facecolor="#fbfaf6", edgecolor="#777777", lw=0.8, zorder=-1)
    for name, rings in theatre.meta.get("boundaries", {}).items():
        for ring in rings:
            r = np.array(ring)
            ax.plot(r[:, 0], r[:, 1], color="#999999", lw=0.6, ls=(0, (4, 2)), zorder=1)
        if name == "Idlib":
            ax.text(
                36.42,
                35.63,
                "IDLIB\nGOVERNORATE",
                fontsize=6,
                color="#888888",
                ha="center",
                zorder=1,
                style="italic",
            )


def draw_roads(ax: Axes, theatre: Theatre, labels: bool = True) -> None:
    # the secondary roads as one collection: one artist however many roads the map has
    g = theatre.graph
    minor = np.array([(u, v) for u, v, d in g.edges(data=True) if not d.get("highways")], dtype=np.int64)
    if minor.size:
        xy = np.stack([theatre.lon[minor], theatre.lat[minor]], axis=-1)  # (roads, 2 ends, lon/lat)
        ax.add_collection(LineCollection(xy, colors="#b0a58f", linewidths=0.7, zorder=2), autolim=False)
    for road, (colour, _) in HIGHWAY_STYLE.items():
        chain = theatre.highways.get(road, [])
        if not chain:
            continue
        offset = 0.004 if road == "M4" else 0.0  # shared Saraqib-Aleppo stretch: draw both side by side
        xs, ys = theatre.lon[chain] + offset, theatre.lat[chain] - offset
        ax.plot(xs, ys, color="white", lw=4.2, zorder=3, solid_capstyle="round")
        ax.plot(xs, ys, color=colour, lw=2.4, zorder=4, solid_capstyle="round")
        if labels:
            k = len(chain) // 3 if road == "M5" else len(chain) // 4
            ax.text(
                xs[k],
                ys[k],
                road,
                fontsize=7,
                color="white",
                weight="bold",
                ha="center",
                va="center",
                zorder=9,
                bbox={"boxstyle": "round,pad=0.15", "fc": colour, "ec": "none"},
            )


def draw_settlements(
    ax: Axes,
    theatre: Theatre,
    controller_names: Sequence[str],
    colours: dict[str, str],
    sizes: np.ndarray | None = None,
    labels: bool = True,
    label_set: set[str] | None = None,
) -> None:
    pop = theatre.population if sizes is None else sizes
    s = 4 + 220 * np.sqrt(np.maximum(pop, 0) / max(float(np.max(pop)), 1.0))
    cols = [colours.get(c, "#999999") for c in controller_names]
    ax.scatter(theatre.lon, theatre.lat, s=s, c=cols, edgecolors="#222222", linewidths=0.5, zorder=5)
    if labels:
        draw_labels(ax, theatre, label_set)


def draw_labels(ax: Axes, theatre: Theatre, label_set: set[str] | None = None) -> None:
    """Names of the key towns (or of ``label_set``) beside their settlements, in the spelling asked for (a
    primary name or an alias: the key towns are named as the seeds name them)."""
    chosen = label_set if label_set is not None else KEY_TOWNS
    for name, i in sorted((name, theatre.id(name)) for name in chosen if theatre.knows(name)):
        ax.annotate(
            name,
            (theatre.lon[i], theatre.lat[i]),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=6.2,
            zorder=8,
            color="#111111",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.65},
        )


def draw_marks(ax: Axes, theatre: Theatre, posts: list[tuple[int, bool]] | None = None) -> None:
    """Border crossings (stars) and Turkish observation posts (triangles; hollow when encircled)."""
    cx = np.flatnonzero(theatre.crossing)
    ax.scatter(
        theatre.lon[cx],
        theatre.lat[cx],
        marker="*",
        s=140,
        c="#ffd700",
        edgecolors="black",
        linewidths=0.6,
        zorder=7,
    )
    if posts is None:
        posts = [(theatre.id(p["settlement"]), False) for p in theatre.observation_posts]
    for node, encircled in posts:
        ax.scatter(
            theatre.lon[node] + 0.012,
            theatre.lat[node] + 0.012,
            marker="^",
            s=46,
            c="white" if encircled else "#2c7fb8",
            edgecolors="#2c7fb8",
            linewidths=1.2,
            zorder=7,
        )


def draw_rings(
    ax: Axes,
    theatre: Theatre,
    idx: Sequence[int] | np.ndarray,
    colour: str,
    size: float,
    width: float,
    label: str | None = None,
) -> Any:
    """Hollow circles around settlements ``idx`` (historical captures, the ceasefire corridor)."""
    return ax.scatter(
        theatre.lon[idx],
        theatre.lat[idx],
        s=size,
        facecolors="none",
        edgecolors=colour,
        linewidths=width,
        zorder=6,
        label=label,
    )


def scale_bar(ax: Axes, theatre: Theatre, km: float = 20.0) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    coslat = math.cos(math.radians(float(np.mean(theatre.lat))))
    dlon = km / (111.32 * coslat)
    x = x0 + 0.05 * (x1 - x0)
    y = y0 + 0.04 * (y1 - y0)
    ax.plot([x, x + dlon], [y, y], color="black", lw=2, zorder=9)
    ax.text(x + dlon / 2, y + 0.012 * (y1 - y0), f"{km:g} km", ha="center", fontsize=7, zorder=9)


def legend(ax: Axes, colours: dict[str, str], labels: dict[str, str], extra: bool = True) -> None:
    ax.legend(handles=legend_handles(colours, labels, extra), loc="upper left", fontsize=6.5, framealpha=0.9)


def legend_handles(colours: dict[str, str], labels: dict[str, str], extra: bool = True) -> list[Line2D]:
    """The map legend's entries: the controllers' colours and, with ``extra``, roads, posts, crossings."""
    handles = [
        Line2D([], [], marker="o", ls="", mfc=c, mec="#222222", ms=7, label=labels.get(k, k))
        for k, c in colours.items()
    ]
    if extra:
        for _road, (colour, label) in HIGHWAY_STYLE.items():
            handles.append(Line2D([], [], color=colour, lw=2.4, label=label))
        handles.append(Line2D([], [], color="#b0a58f", lw=0.8, label="secondary road"))
        handles.append(
            Line2D(
                [],
                [],
                marker="^",
                ls="",
                mfc="#2c7fb8",
                mec="#2c7fb8",
                ms=6,
                label="Turkish observation post",
            )
        )
        handles.append(
            Line2D([], [], marker="^", ls="", mfc="white", mec="#2c7fb8", ms=6, label="post encircled")
        )
        handles.append(
            Line2D([], [], marker="*", ls="", mfc="#ffd700", mec="black", ms=10, label="border crossing")
        )
    return handles


def codes_cmap(colours: Sequence[str]) -> ListedColormap:
    return ListedColormap(list(colours))
