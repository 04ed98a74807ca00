"""``idlib-sim report``: validate the (calibrated) baseline on an ensemble and write calibration/report.md.

The report scores a ``-n`` run ensemble against every target of ``calibration/targets.yaml``, fit and holdout
separately, and states the bar of issue 6 plainly: median capture-date error on the fitted settlements <= 4
days and none off by more than 10 days; mean relative error of the displacement series <= 0.15; territory
taken from 19 Dec to 11 Feb within 350-900 km². It also gives the share of historical points inside the
ensemble's 90 % band (coverage), and embeds the figures (capture-date errors, displacement and territory fans
with the seeds' points, posterior and sensitivity when the calibration has produced them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .ensemble import run_ensemble
from .geography import load_map
from .outputs import atomic_write_csv, atomic_write_text
from .patterns import pattern_checks
from .scenario import load_scenario
from .scoring import run_errors
from .targets import load_targets


def score_ensemble(
    daily: pd.DataFrame, captures: pd.DataFrame, targets_path: Path, end: dt.date, m5_total: float
) -> pd.DataFrame:
    """One row per target: the ensemble's errors (median, 5 %, 95 %), coverage, censoring."""
    targets = load_targets(targets_path)
    rows: dict[str, dict[str, Any]] = {}
    for run, d in daily.groupby("run"):
        c = captures[captures["run"] == run] if len(captures) else captures
        for e in run_errors(d.reset_index(drop=True), c, targets, end, m5_total):
            r = rows.setdefault(
                e.id,
                {
                    "id": e.id,
                    "group": e.group,
                    "use": e.use,
                    "label": e.label,
                    "observed": e.observed,
                    "scale": e.scale,
                    "errors": [],
                    "sims": [],
                    "censored": [],
                },
            )
            r["errors"].append(e.error)
            r["sims"].append(e.simulated)
            r["censored"].append(e.censored)
    obs_dates = {c.id: c.date for c in targets.captures} | {h.id: h.date for h in targets.highways}
    out = []
    for r in rows.values():
        err = np.array(r["errors"], dtype=float)
        p5, med, p95 = np.quantile(err, [0.05, 0.5, 0.95])
        out.append(
            {
                "id": r["id"],
                "group": r["group"],
                "use": r["use"],
                "label": r["label"],
                "observed": r["observed"],
                "observed_date": obs_dates.get(r["id"]),
                "median": med,
                "p5": p5,
                "p95": p95,
                "sim_median": float(np.median(r["sims"])),
                "covered": bool(p5 <= 0 <= p95),
                "share_never": float(np.mean(r["censored"])),
                "scale": r["scale"],
            }
        )
    return pd.DataFrame(out)


def bar_figures(scores: pd.DataFrame) -> dict[str, Any]:
    """The issue-6 bar, for fit and for holdout targets."""
    res: dict[str, Any] = {}
    for use in ("fit", "holdout"):
        s = scores[scores["use"] == use]
        cap = s[s["group"] == "capture"]
        disp = s[s["group"] == "displacement"]
        terr = s[(s["group"] == "territory") & s["label"].str.startswith("gain_km2")]
        res[use] = {
            "captures": len(cap),
            "capture_median_abs_error_days": float(np.median(np.abs(cap["median"]))) if len(cap) else None,
            "capture_max_abs_error_days": float(np.max(np.abs(cap["median"]))) if len(cap) else None,
            "captures_within_10_days": int((np.abs(cap["median"]) <= 10).sum()) if len(cap) else 0,
            "displacement_mean_rel_error": float(np.mean(np.abs(disp["median"]))) if len(disp) else None,
            "territory_gain_11feb_km2": float(terr["sim_median"].iloc[0]) if len(terr) else None,
            "coverage_90": float(s["covered"].mean()) if len(s) else None,
        }
    fit = res["fit"]
    fit["bar"] = {
        "capture_median_le_4": fit["capture_median_abs_error_days"] is not None
        and fit["capture_median_abs_error_days"] <= 4,
        "capture_max_le_10": fit["capture_max_abs_error_days"] is not None
        and fit["capture_max_abs_error_days"] <= 10,
        "displacement_le_0.15": fit["displacement_mean_rel_error"] is not None
        and fit["displacement_mean_rel_error"] <= 0.15,
        "territory_350_900": fit["territory_gain_11feb_km2"] is not None
        and 350 <= fit["territory_gain_11feb_km2"] <= 900,
    }
    return res


def _fmt(x: Any, spec: str = ".1f") -> str:
    return "n/a" if x is None or (isinstance(x, float) and not np.isfinite(x)) else format(x, spec)


def write_report(
    scores: pd.DataFrame,
    bar: dict[str, Any],
    ens_dir: Path,
    out: Path,
    n: int,
    seed: int,
    scenario: Path,
    fitted: dict[str, Any],
    patterns: pd.DataFrame | None = None,
) -> Path:
    fit, hold = bar["fit"], bar["holdout"]
    yes = {True: "**met**", False: "**not met**"}
    lines = [
        "# Calibration and validation report",
        "",
        f"Generated by `idlib-sim report -n {n} --seed {seed}` from a {n}-run ensemble of `{scenario}` "
        "(parameters: `calibration/fitted_parameters.yaml`, status: "
        f"{fitted.get('meta', {}).get('status', 'n/a')}). Targets: `calibration/targets.yaml` (each cites "
        "its seed file and quote); fit targets were used by the calibration, holdout targets never.",
        "",
        "Errors are simulated minus observed. Capture dates: for each run, the simulated change of control "
        "closest in time to the historical one; a settlement never taken counts as taken 15 days after the "
        "end (censored). The ensemble error of a target is the median over runs.",
        "",
        "## The bar (issue 6), fit targets",
        "",
        "| criterion | value | bar |",
        "|---|---|---|",
        f"| median capture-date error, fitted settlements ({fit['captures']}) | "
        f"{_fmt(fit['capture_median_abs_error_days'])} days | ≤ 4 days: "
        f"{yes[fit['bar']['capture_median_le_4']]} |",
        f"| largest capture-date error | {_fmt(fit['capture_max_abs_error_days'])} days "
        f"({fit['captures_within_10_days']} of {fit['captures']} within 10) | ≤ 10 days: "
        f"{yes[fit['bar']['capture_max_le_10']]} |",
        f"| displacement series, mean relative error | {_fmt(fit['displacement_mean_rel_error'], '.2f')} | "
        f"≤ 0.15: {yes[fit['bar']['displacement_le_0.15']]} |",
        f"| territory taken 19 Dec - 11 Feb (median) | {_fmt(fit['territory_gain_11feb_km2'], '.0f')} km² | "
        f"350-900 km²: {yes[fit['bar']['territory_350_900']]} |",
        f"| share of fit points inside the 90 % band | {_fmt(fit['coverage_90'], '.0%')} | (coverage) |",
        "",
        "## Holdout targets (never seen by the calibration)",
        "",
        "| criterion | value |",
        "|---|---|",
        f"| median capture-date error ({hold['captures']} settlements) | "
        f"{_fmt(hold['capture_median_abs_error_days'])} days |",
        f"| largest capture-date error | {_fmt(hold['capture_max_abs_error_days'])} days "
        f"({hold['captures_within_10_days']} of {hold['captures']} within 10) |",
        "| displacement (holdout points), mean relative error | "
        f"{_fmt(hold['displacement_mean_rel_error'], '.2f')} |",
        f"| share of holdout points inside the 90 % band | {_fmt(hold['coverage_90'], '.0%')} |",
        "",
        "## Every target",
        "",
        "| target | use | observed | simulated (median) | error median [5 %, 95 %] | never | in band |",
        "|---|---|---|---|---|---|---|",
    ]
    for _, r in scores.sort_values(["group", "use", "id"]).iterrows():
        if r["group"] in ("capture", "highway"):
            obs = str(r["observed_date"])
            sim = f"{r['median']:+.0f} d"
            err = f"{r['median']:+.1f} [{r['p5']:+.0f}, {r['p95']:+.0f}] days"
        elif r["group"] in ("displacement", "turkish_losses", "civilian_deaths"):
            obs = f"{r['observed']:,.0f}"
            sim = f"{r['sim_median']:,.0f}"
            err = f"{r['median']:+.0%} [{r['p5']:+.0%}, {r['p95']:+.0%}]"
        else:
            obs = f"{r['observed']:,.2f}"
            sim = f"{r['sim_median']:,.2f}"
            err = f"{r['median']:+.2f} [{r['p5']:+.2f}, {r['p95']:+.2f}]"
        lines.append(
            f"| {r['label']} | {r['use']} | {obs} | {sim} | {err} | {r['share_never']:.0%} | "
            f"{'yes' if r['covered'] else 'no'} |"
        )
    if patterns is not None and len(patterns):
        lines += [
            "",
            "## Pattern checks (the qualitative bars of issues 3 and 4)",
            "",
            "Not calibration targets: patterns the ensemble should show (`sim/patterns.py` defines each).",
            "",
            "| issue | check | ensemble | bar | met |",
            "|---|---|---|---|---|",
        ]
        for _, r in patterns.iterrows():
            met = "n/a" if r["met"] is None else ("yes" if r["met"] else "**no**")
            lines.append(f"| {r['issue']} | {r['check']} | {r['value']} | {r['bar']} | {met} |")
    gaps = out / "gaps.md"
    if gaps.exists():  # hand-written diagnosis of the gaps, kept next to the report
        lines += ["", gaps.read_text(encoding="utf-8").rstrip()]
    lines += ["", "## Figures", ""]
    figs = [
        ("Capture-date error per settlement", "figures/capture_errors.png"),
        ("Ensemble fans with the seeds' figures (displacement, territory, casualties)", "figures/fans.png"),
        ("Capture dates, simulated vs seeds", "figures/scorecard.png"),
        ("Posterior distributions (ABC-SMC)", "figures/posterior.png"),
        ("Sensitivity (Morris)", "figures/sensitivity_morris.png"),
    ]
    for title, rel in figs:
        if (out / rel).exists():
            lines += [f"### {title}", "", f"![{title}]({rel})", ""]
    for name in ("posterior_summary.csv", "sensitivity_morris.csv"):
        p = out / name
        if p.exists():
            df = pd.read_csv(p)
            if name.startswith("sensitivity"):
                df = df[df["output"] == "distance"].sort_values("mu_star", ascending=False)
            lines += [f"### {name}", "", _markdown_table(df), ""]
    meta = out / "runs" / "abc_meta.json"
    if meta.exists():
        m = json.loads(meta.read_text())
        lines += [
            "### ABC-SMC run",
            "",
            f"{m['generations']} generations, {m['simulations']} simulations "
            f"({m['seeds_per_particle']} seeds per particle, population {m['population']}), "
            f"{m['seconds'] / 60:.0f} min; epsilons {', '.join(f'{e:.2f}' for e in m['epsilons'])}.",
            "",
        ]
    path = out / "report.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path


def _markdown_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        out.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r) + " |")
    return "\n".join(out)


def cmd_report(args: argparse.Namespace) -> int:
    import shutil

    import yaml

    from .plots.calibration_figures import capture_error_figure

    loaded = load_scenario(args.scenario)
    ens_dir = args.out / "validation"
    res = run_ensemble(args.scenario, args.runs, seed=args.seed, workers=args.workers, out=ens_dir)
    m5 = load_map(loaded.map_path).highway_km("M5")
    scores = score_ensemble(res.daily, res.captures, args.targets, loaded.scenario.end, m5)
    atomic_write_csv(scores, args.out / "validation_scores.csv")
    bar = bar_figures(scores)
    atomic_write_text(args.out / "validation_bar.json", json.dumps(bar, indent=1) + "\n")
    figs = args.out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    capture_error_figure(scores[scores["group"] == "capture"], figs / "capture_errors.png")
    for name in ("fans.png", "scorecard.png"):
        src = ens_dir / "figures" / name
        if src.exists():
            shutil.copyfile(src, figs / name)
    fitted_path = args.out / "fitted_parameters.yaml"
    fitted = yaml.safe_load(fitted_path.read_text()) if fitted_path.exists() else {}
    theatre = load_map(loaded.map_path)
    patterns = pattern_checks(res.daily, res.captures, res.population, theatre)
    atomic_write_csv(patterns, args.out / "pattern_checks.csv")
    path = write_report(scores, bar, ens_dir, args.out, args.runs, args.seed, args.scenario, fitted, patterns)
    print(patterns[["check", "value", "met"]].to_string(index=False))
    print(json.dumps(bar["fit"], indent=1))
    print(f"-> {path}")
    return 0
