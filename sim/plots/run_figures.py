"""Figures of one run: control maps on chosen dates, territory, forces, displacement, the displaced."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.inputs.targets import displacement_points
from sim.plots import basemap
from sim.plots.common import format_time, mark_events, save
from sim.plots.map_figure import control_map

if TYPE_CHECKING:
    from sim.runs.runner import RunResult


def _dates(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["date"])


def control_maps(result: RunResult, out: Path) -> list[Path]:
    model = result.model
    assert model is not None
    sc, t = model.scenario, model.theatre
    dates = sc.outputs.map_dates or [sc.start, sc.end]
    fids = [f.fid for f in model.factions]
    paths = []
    for d in dates:
        k = min(max((d - sc.start).days, 0), len(model.controller_history) - 1)
        ctl = [fids[c] for c in model.controller_history[k]]
        fig, ax = plt.subplots(figsize=(9, 9.5), dpi=130)
        gov = sum(1 for c in ctl if c == "government")
        control_map(
            ax,
            t,
            sc,
            ctl,
            f"{sc.name}, seed {result.config['seed']}: control on {d:%d %b %Y} "
            f"(government holds {gov} of {t.n} settlements)",
            posts=model.posts_history[k],
        )
        corridor = np.flatnonzero(model.corridor_history[k])
        if corridor.size:
            mark = basemap.draw_rings(ax, t, corridor, "#ff8c00", 150, 1.6)
            leg = ax.get_legend()
            handles = [*leg.legend_handles, mark]
            labels = [*(x.get_text() for x in leg.get_texts()), "in the ceasefire's security corridor"]
            ax.legend(handles, labels, loc="upper left", fontsize=6.5, framealpha=0.9)
        p = out / f"control_{d.isoformat()}.png"
        save(fig, p)
        paths.append(p)
    return paths


def territory_figure(result: RunResult, out: Path) -> Path:
    df = result.daily
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
        format_time(ax)
        mark_events(ax)
    fig.tight_layout()
    p = out / "territory.png"
    save(fig, p)
    return p


def forces_figure(result: RunResult, out: Path) -> Path:
    model = result.model
    assert model is not None
    df = result.daily
    x = _dates(df)
    fig, axes = plt.subplots(3, 1, figsize=(9, 9), dpi=130, sharex=True)
    for fac in model.factions:
        if df[f"strength_{fac.fid}"].max() <= 0:
            continue
        col = fac.spec.color
        axes[0].plot(x, df[f"strength_{fac.fid}"], color=col, lw=2, label=fac.fid)
        axes[1].plot(x, df[f"morale_{fac.fid}"], color=col, lw=2, label=fac.fid)
        axes[2].plot(x, df[f"killed_{fac.fid}"], color=col, lw=2, label=fac.fid)
    axes[0].set_ylabel("formation strength (men)")
    axes[1].set_ylabel("mean morale")
    axes[2].set_ylabel("killed or disabled (cum.)")
    if "turkish_killed" in df:
        axes[2].plot(x, df["turkish_killed"], color="#2c7fb8", lw=1, ls="--", label="Turkish soldiers killed")
    for ax in axes:
        ax.legend(fontsize=8, loc="upper left")
        format_time(ax)
        mark_events(ax)
    axes[0].set_title("Forces", fontsize=10)
    fig.tight_layout()
    p = out / "forces.png"
    save(fig, p)
    return p


def displacement_figure(result: RunResult, out: Path) -> Path | None:
    df = result.daily
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
        format_time(a)
        mark_events(a)
    fig.tight_layout()
    p = out / "displacement.png"
    save(fig, p)
    return p


def displaced_maps(result: RunResult, out: Path) -> list[Path]:
    model = result.model
    assert model is not None
    if not model.displaced_history:
        return []
    sc, t = model.scenario, model.theatre
    dates = [d for d in (sc.outputs.map_dates or [sc.end]) if d > sc.start]
    fids = [f.fid for f in model.factions]
    colours = {fid: f.color for fid, f in sc.factions.items()}
    paths = []
    vmax = max(float(np.max(h)) for h in model.displaced_history) or 1.0
    for d in dates:
        k = min((d - sc.start).days, len(model.displaced_history) - 1)
        disp = model.displaced_history[k]
        codes = model.controller_history[k]
        fig, ax = plt.subplots(figsize=(9, 9.5), dpi=130)
        basemap.setup_axes(ax, t)
        basemap.draw_boundaries(ax, t)
        basemap.draw_territory(ax, t, codes, list(colours.values()), alpha=0.15)
        basemap.draw_roads(ax, t, labels=False)
        ax.scatter(t.lon, t.lat, s=3, c=[colours[fids[c]] for c in codes], zorder=5)
        s = 1200 * np.sqrt(disp / vmax)
        ax.scatter(
            t.lon,
            t.lat,
            s=s,
            facecolors="#8e44ad",
            alpha=0.45,
            edgecolors="#4a235a",
            linewidths=0.6,
            zorder=6,
        )
        top = np.argsort(-disp)[:10]
        for i in top:
            if disp[i] > 0:
                ax.annotate(
                    f"{t.names[i]} {disp[i] / 1e3:.0f}k",
                    (t.lon[i], t.lat[i]),
                    xytext=(4, -8),
                    textcoords="offset points",
                    fontsize=6.5,
                    zorder=8,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
                )
        total = disp.sum()
        ax.set_title(
            f"Where the displaced are on {d:%d %b %Y}: {total / 1e3:.0f}k people away from home\n"
            "(bubble area ~ displaced people present; ten largest labelled)",
            fontsize=10,
        )
        basemap.scale_bar(ax, t)
        p = out / f"displaced_{d.isoformat()}.png"
        save(fig, p)
        paths.append(p)
    return paths


def run_figures(result: RunResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = control_maps(result, out)
    paths.append(territory_figure(result, out))
    paths.append(forces_figure(result, out))
    p = displacement_figure(result, out)
    if p is not None:
        paths.append(p)
    paths += displaced_maps(result, out)
    return paths
