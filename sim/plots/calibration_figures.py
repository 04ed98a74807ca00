"""Calibration figures: sensitivity indices, posteriors, capture-date errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.plots.common import save


def sensitivity_figure(table: pd.DataFrame, method: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    outputs = list(dict.fromkeys(table["output"]))
    key = "mu_star" if method == "morris" else "ST"
    fig, axes = plt.subplots(
        1,
        len(outputs),
        figsize=(3.4 * len(outputs), 0.32 * table["parameter"].nunique() + 2),
        dpi=110,
        sharey=True,
    )
    axes = np.atleast_1d(axes)
    order = (
        table[table["output"] == "distance"].sort_values(key)["parameter"].tolist()
        if "distance" in outputs
        else sorted(table["parameter"].unique())
    )
    for ax, out in zip(axes, outputs, strict=True):
        t = table[table["output"] == out].set_index("parameter").reindex(order)
        ax.barh(range(len(order)), t[key], color="#3182bd")
        if method == "morris":
            ax.errorbar(
                t[key], range(len(order)), xerr=t["mu_star_conf"], fmt="none", ecolor="#333333", lw=0.8
            )
        ax.set_title(out.replace("d_", "distance: ") if out != "distance" else "overall distance", fontsize=8)
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels(order, fontsize=7)
        ax.grid(axis="x", alpha=0.3)
    what = "mu* (mean |elementary effect|)" if method == "morris" else "total Sobol index"
    fig.suptitle(f"Sensitivity ({method}: {what})", fontsize=10)
    fig.tight_layout()
    save(fig, path)
    return path


def posterior_figure(
    post: pd.DataFrame, priors: list[Any], path: Path, point: dict[str, float] | None = None
) -> Path:
    """Weighted marginal histograms of the final ABC population against the uniform prior.

    Log-scale priors are drawn on a log10 axis (labelled in the parameter's own units) so the flat
    prior is a flat line there too; a rug shows the particles, because with a low effective sample
    size a single heavy particle can make a tall bar on its own.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(priors)
    cols = 4
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.5 * rows), dpi=110)
    axes = np.atleast_1d(axes).ravel()
    w = post["weight"].to_numpy(dtype=float)
    w = w / w.sum()
    ess = 1.0 / float((w**2).sum())
    for ax, p in zip(axes, priors, strict=False):
        x = post[p.name].to_numpy(dtype=float)
        log = p.scale == "log"
        lo, hi = (np.log10(p.low), np.log10(p.high)) if log else (p.low, p.high)
        z = np.log10(x) if log else x
        ax.hist(z, bins=np.linspace(lo, hi, 16), weights=w, color="#756bb1", alpha=0.8, density=True)
        ax.axhline(1.0 / (hi - lo), color="#999999", ls="--", lw=0.8)
        order = np.argsort(z)
        median = z[order][min(int(np.searchsorted(np.cumsum(w[order]), 0.5)), len(z) - 1)]
        ax.axvline(median, color="#222222", lw=1.0)
        if point is not None and p.name in point:
            v = float(point[p.name])
            if log and v <= 0.0:
                # a mechanic the committed model has off (0) has no place on a log axis: say so instead
                ax.text(
                    0.02,
                    0.92,
                    f"committed: {v:g} (off)",
                    transform=ax.transAxes,
                    color="#c0392b",
                    fontsize=7,
                    va="top",
                )
            else:
                # clip_on=False: a committed value at a prior bound (a mechanic off at 0) stays visible
                ax.axvline(np.log10(v) if log else v, color="#c0392b", lw=2.0, ls=":", clip_on=False)
        ymax = ax.get_ylim()[1]
        ax.vlines(z, 0, 0.06 * ymax, color="#333333", lw=0.6, alpha=0.6)
        ax.set_xlim(lo, hi)
        if log:
            ticks = np.geomspace(p.low, p.high, 4)
            ax.set_xticks(np.log10(ticks), [f"{t:.2g}" for t in ticks])
            ax.set_xlabel("log scale", fontsize=7)
        ax.set_title(p.name, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle(
        f"ABC-SMC posterior: weighted final population of {len(w)} particles (ESS {ess:.1f}); "
        "solid: weighted median; dashed: uniform prior; ticks: particles"
        + ("; red dotted: committed (calibration/fitted_parameters.yaml)" if point else ""),
        fontsize=10,
    )
    fig.tight_layout()
    save(fig, path)
    return path


def capture_error_figure(table: pd.DataFrame, path: Path) -> Path:
    """Per settlement: ensemble-median capture-date error in days, with the 5-95 % range of runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = table.sort_values("observed_date")
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(t) + 1.6), dpi=110)
    y = np.arange(len(t))[::-1]
    colours = np.where(t["use"] == "fit", "#c0392b", "#7f8c8d")
    ax.hlines(y, t["p5"], t["p95"], color=colours, lw=1.2)
    ax.scatter(t["median"], y, c=colours, s=30, zorder=5)
    for yy, (_, r) in zip(y, t.iterrows(), strict=True):
        if r["share_never"] > 0:
            # outside the axes on the right, so it never hides a range
            ax.text(
                1.01,
                yy,
                f"{r['share_never']:.0%} never",
                fontsize=7,
                va="center",
                transform=ax.get_yaxis_transform(),
                clip_on=False,
            )
    ax.axvline(0, color="black", lw=0.8)
    for d in (-10, -4, 4, 10):
        ax.axvline(d, color="#bbbbbb", lw=0.6, ls=":")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{r.label} ({r.use})" for r in t.itertuples()], fontsize=7)
    ax.set_xlabel("simulated minus historical capture date (days); red = fit, grey = holdout")
    lo = float(np.nanmin(t["p5"])) if len(t) else -15.0
    hi = float(np.nanmax(t["p95"])) if len(t) else 15.0
    ax.set_xlim(min(-15.0, lo - 3.0), max(15.0, hi + 3.0))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Capture-date error per settlement (median and 90 % of runs)", fontsize=10)
    fig.tight_layout()
    save(fig, path)
    return path


def history_matching_figure(summary: dict[str, Any], targets: pd.DataFrame, path: Path) -> Path:
    """Left: each fit target's implausibility over the first wave's points (the box is the prior), with
    the cut-off; a target whose whole range lies right of it no setting of the fitted parameters reaches.
    Right: the box each wave sampled, per parameter, on the unit scale of its prior."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cutoff = summary["config"]["cutoff"]
    excluded = set(summary["excluded_targets"])
    w1 = targets[targets["wave"] == 1]
    # hardest first (at the top): the smallest share of points under the cut-off
    share = (w1["implausibility"] < cutoff).groupby(w1["target"]).mean()
    median = w1.groupby("target")["implausibility"].median()
    order = sorted(share.index, key=lambda t: (-share[t], median[t]))
    names = summary["parameters"]
    fig, (ax, bx) = plt.subplots(
        1,
        2,
        figsize=(12, max(4.5, 0.3 * max(len(order), len(names)) + 1.5)),
        dpi=110,
        gridspec_kw={"width_ratios": [1.3, 1]},
    )
    for y, t in enumerate(order):
        v = np.maximum(w1.loc[w1["target"] == t, "implausibility"].to_numpy(), 1e-2)
        q = np.percentile(v, [0, 5, 50, 95, 100])
        col = "#d62728" if t in excluded else "#3182bd"
        ax.plot([q[0], q[4]], [y, y], color=col, lw=0.8, alpha=0.6)
        ax.plot([q[1], q[3]], [y, y], color=col, lw=4, alpha=0.6, solid_capstyle="butt")
        ax.plot(q[2], y, "o", color="black", ms=3)
        ax.plot(q[0], y, "|", color=col, ms=8)
    ax.axvline(cutoff, color="black", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"{t} ({share[t]:.0%})" for t in order], fontsize=7)
    ax.set_xlabel(
        "implausibility over wave 1 (bar 5-95 %, line min-max, dot median; in brackets: share of points "
        "under the cut-off)",
        fontsize=8,
    )
    ax.set_title(f"Fit targets (red: no point under the cut-off {cutoff:g}, left out of the cut)", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    waves = summary["waves"]
    cmap = plt.get_cmap("viridis")
    for k, w in enumerate(waves):
        lo, hi = np.array(w["box"][0]), np.array(w["box"][1])
        off = (k - (len(waves) - 1) / 2) * 0.8 / max(len(waves), 1)
        col = cmap(k / max(len(waves), 2))
        bx.barh(
            np.arange(len(names)) + off,
            hi - lo,
            left=lo,
            height=0.8 / max(len(waves), 1),
            color=col,
            alpha=0.8,
            label=f"wave {w['wave']}: {w['points']} points, NROY {w['nroy']} ({w['nroy_share']:.0%})",
        )
    last = waves[-1]
    if last["next_box"] is None:
        bx.text(0.5, -0.9, f"no point of wave {last['wave']} is NROY: no next box", ha="center", fontsize=8)
    else:
        lo, hi = np.array(last["next_box"][0]), np.array(last["next_box"][1])
        for y in range(len(names)):
            bx.plot([lo[y], hi[y]], [y, y], color="black", lw=1.2)
        bx.plot([], [], color="black", lw=1.2, label="box holding the last wave's NROY points")
    bx.set_yticks(range(len(names)))
    bx.set_yticklabels(names, fontsize=7)
    bx.set_xlim(0, 1)
    bx.set_xlabel("share of the prior range (log priors on the log scale)")
    bx.set_title("Parameter box sampled by each wave", fontsize=9)
    bx.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    fig.suptitle("History matching: implausibility of the fit targets", fontsize=10)
    fig.tight_layout()
    save(fig, path)
    return path
