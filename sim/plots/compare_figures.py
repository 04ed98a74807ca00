"""Counterfactual figures: overlaid fans, paired-difference fans, capture probabilities, outcome intervals,
and the sweep plot (outcomes against a swept value such as the ceasefire date)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.inputs.geography import Theatre
from sim.plots.common import add_derived, fan, format_time, mark_events, save

PALETTE = ["#444444", "#e6550d", "#3182bd", "#31a354", "#756bb1", "#d6616b", "#8c6d31"]
PANELS = [
    ("displaced_total", "displaced since 1 Dec (thousands)", 1e-3),
    ("gain_km2", "government territory gained since 19 Dec (km²)", 1.0),
    ("civilians_killed", "civilians killed", 1.0),
    ("turkish_killed", "Turkish soldiers killed", 1.0),
]


def overlaid_fans(dailies: dict[str, pd.DataFrame], out: Path) -> Path:
    fig, axes = plt.subplots(2, 2, figsize=(13, 8), dpi=120, sharex=True)
    for ax, (col, label, scale) in zip(axes.ravel(), PANELS, strict=True):
        for k, (name, d) in enumerate(dailies.items()):
            d = add_derived(d)
            if col in d:
                fan(ax, d, col, scale, colour=PALETTE[k % len(PALETTE)], label=name)
        ax.set_title(label, fontsize=9)
        format_time(ax)
        mark_events(ax)
        handles, labels = ax.get_legend_handles_labels()
        keep = [(h, lab) for h, lab in zip(handles, labels, strict=True) if lab in dailies]
        ax.legend([h for h, _ in keep], [lab for _, lab in keep], fontsize=7, loc="upper left")
    fig.suptitle("Scenarios compared (median, 50 % and 90 % of runs; common seeds)", fontsize=11)
    fig.tight_layout()
    p = out / "fans_compared.png"
    save(fig, p)
    return p


def difference_fans(dailies: dict[str, pd.DataFrame], out: Path) -> Path | None:
    names = list(dailies)
    if len(names) < 2:
        return None
    base = add_derived(dailies[names[0]]).set_index(["run", "date"])
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), dpi=120, sharex=True)
    for ax, (col, label, scale) in zip(axes, PANELS[:2], strict=True):
        for k, name in enumerate(names[1:], start=1):
            d = add_derived(dailies[name]).set_index(["run", "date"])
            diff = (d[col] - base[col]).dropna().reset_index()
            diff["run_"] = diff["run"]
            g = diff.groupby("date")[col].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack() * scale
            x = pd.to_datetime(g.index)
            c = PALETTE[k % len(PALETTE)]
            ax.fill_between(x, g[0.05], g[0.95], color=c, alpha=0.15, lw=0)
            ax.fill_between(x, g[0.25], g[0.75], color=c, alpha=0.3, lw=0)
            ax.plot(x, g[0.5], color=c, lw=2, label=f"{name} - {names[0]}")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(f"difference in {label}", fontsize=9)
        format_time(ax)
        mark_events(ax)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Paired differences run by run against the first scenario (median, 50 %, 90 %)", fontsize=11)
    fig.tight_layout()
    p = out / "differences.png"
    save(fig, p)
    return p


def capture_probabilities(
    captures: dict[str, pd.DataFrame], n_runs: dict[str, int], out: Path, theatre: Theatre | None = None
) -> Path:
    """The share of runs in which the government takes each of a list of towns (named as the seeds name
    them; matched to the map's names through ``theatre``)."""
    towns = [
        "Jarjnaz",
        "Ma'arrat al-Nu'man",
        "Saraqib",
        "Khan al-Asal",
        "Kafr Halab",
        "Atarib",
        "Haritan",
        "Kafr Nabl",
        "Ariha",
        "Jisr al-Shughur",
        "Idlib",
        "Darat Izza",
        "Sarmin",
        "Binnish",
    ]
    on_map = [theatre.canonical(t) for t in towns] if theatre is not None else towns
    fig, ax = plt.subplots(figsize=(12, 4.6), dpi=120)
    names = list(captures)
    w = 0.8 / max(1, len(names))
    for k, name in enumerate(names):
        c = captures[name]
        gov = c[c["to_controller"] == "government"] if len(c) else c
        probs = [
            len(set(gov.loc[gov["settlement"] == t, "run"])) / n_runs[name] if len(gov) else 0 for t in on_map
        ]
        ax.bar(np.arange(len(towns)) + k * w, probs, width=w, color=PALETTE[k % len(PALETTE)], label=name)
    ax.set_xticks(np.arange(len(towns)) + w * (len(names) - 1) / 2)
    ax.set_xticklabels(towns, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("share of runs in which the government takes it")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title("Probability of capture by the government (any time in the run)", fontsize=10)
    fig.tight_layout()
    p = out / "capture_probabilities.png"
    save(fig, p)
    return p


def outcome_intervals(results: dict[str, pd.DataFrame], out: Path, titles: Mapping[str, str]) -> Path:
    """Median, 50 % and 90 % of runs per scenario for the end-of-run outcomes; ``titles`` names each
    outcome column (the runs layer owns the outcome definitions, so they are passed in)."""
    cols = [
        c
        for c in (
            "displaced_total",
            "opposition_km2_lost",
            "civilians_killed",
            "turkish_killed",
            "killed_government",
        )
        if all(c in r for r in results.values())
    ]
    fig, axes = plt.subplots(1, len(cols), figsize=(3.2 * len(cols), 3.8), dpi=120)
    axes = np.atleast_1d(axes)
    names = list(results)
    for ax, col in zip(axes, cols, strict=True):
        for k, name in enumerate(names):
            v = results[name][col].to_numpy(dtype=float)
            q = np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95])
            c = PALETTE[k % len(PALETTE)]
            ax.plot([k, k], [q[0], q[4]], color=c, lw=1)
            ax.plot([k, k], [q[1], q[3]], color=c, lw=6, alpha=0.6)
            ax.scatter([k], [q[2]], color=c, s=30, zorder=5)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=40, ha="right", fontsize=7)
        ax.set_title(titles[col], fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle("Outcomes at the end of the run (median, 50 % and 90 % of runs)", fontsize=10)
    fig.tight_layout()
    p = out / "outcomes.png"
    save(fig, p)
    return p


def compare_figures(
    dailies: dict[str, pd.DataFrame],
    captures: dict[str, pd.DataFrame],
    results: dict[str, pd.DataFrame],
    out: Path,
    titles: Mapping[str, str],
    theatre: Theatre | None = None,
) -> list[Path]:
    """All comparison figures into ``out``: the scenarios in the order of ``dailies``, the first the base;
    ``results`` one row per run of outcomes, ``titles`` the outcome columns' panel titles."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [overlaid_fans(dailies, out)]
    p = difference_fans(dailies, out)
    if p is not None:
        paths.append(p)
    runs = {k: d["run"].nunique() for k, d in dailies.items()}
    paths.append(capture_probabilities(captures, runs, out, theatre))
    paths.append(outcome_intervals(results, out, titles))
    return paths


def sweep_figure(per_run: pd.DataFrame, param: str, path: Path) -> Path:
    values = list(dict.fromkeys(per_run["value"]))
    cols = [
        ("displaced_total", "people displaced by the end (thousands)", 1e-3),
        ("opposition_km2_lost", "opposition territory lost (km²)", 1.0),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), dpi=120)
    x = np.arange(len(values))
    for ax, (col, label, scale) in zip(axes, cols, strict=True):
        if col not in per_run:
            continue
        g = per_run.groupby("value")[col]
        q = g.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack().reindex(values) * scale
        ax.fill_between(x, q[0.05], q[0.95], color="#3182bd", alpha=0.18, lw=0, label="90 % of runs")
        ax.fill_between(x, q[0.25], q[0.75], color="#3182bd", alpha=0.35, lw=0, label="50 % of runs")
        ax.plot(x, q[0.5], color="#08519c", lw=2, marker="o", label="median")
        ax.set_xticks(x)
        ax.set_xticklabels(values, rotation=35, ha="right", fontsize=8)
        ax.set_xlabel(param)
        ax.set_title(label, fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(f"Sweep over {param}", fontsize=11)
    fig.tight_layout()
    save(fig, path)
    return path
