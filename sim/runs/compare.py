"""Counterfactual comparisons on common random numbers, and one-parameter sweeps.

``compare A B C -n N`` runs every scenario as an ensemble with the *same* run seeds (the same master seed),
so run ``i`` of A and run ``i`` of B share their random numbers as far as their histories coincide. Outcome
differences are then taken run by run against the first scenario (paired), which removes most of the seed
noise from the comparison; the table reports the median difference and its 5-95 % range across runs, and for
yes/no outcomes the share of runs in which they happen.

Outcomes per run: people displaced by the end; opposition territory lost (km²); civilians killed; Turkish,
government and opposition dead; settlements held by the government; and whether Ariha, Idlib city and the
M4 fall (the M4 "falls" when the government holds all of it).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv
from sim.inputs.loader import load_scenario
from sim.runs.ensemble import run_ensemble

CONTINUOUS = {
    "displaced_total": "people displaced since 1 Dec (end of run)",
    "opposition_km2_lost": "opposition territory lost (km²)",
    "civilians_killed": "civilians killed",
    "turkish_killed": "Turkish soldiers killed",
    "killed_government": "government dead or disabled",
    "killed_opposition": "opposition dead or disabled",
    "settlements_government": "settlements government-held at the end",
}
BINARY = {"ariha_falls": "Ariha falls", "idlib_falls": "Idlib city falls", "m4_falls": "the M4 falls"}


def outcomes(daily: pd.DataFrame, captures: pd.DataFrame, m4_km_total: float | None = None) -> pd.DataFrame:
    """One row per run with the comparison outcomes."""
    first = daily.sort_values("date").groupby("run").first()
    last = daily.sort_values("date").groupby("run").last()
    out = pd.DataFrame(index=last.index)
    for col in (
        "displaced_total",
        "civilians_killed",
        "turkish_killed",
        "killed_government",
        "killed_opposition",
        "settlements_government",
    ):
        if col in last:
            out[col] = last[col]
    if "territory_opposition_km2" in last:
        out["opposition_km2_lost"] = first["territory_opposition_km2"] - last["territory_opposition_km2"]
    gov = captures[captures["to_controller"] == "government"] if len(captures) else captures
    for town, col in (("Ariha", "ariha_falls"), ("Idlib", "idlib_falls")):
        runs = set(gov.loc[gov["settlement"] == town, "run"]) if len(gov) else set()
        out[col] = [r in runs for r in out.index]
    if "m4_km_gov" in daily and m4_km_total:
        mx = daily.groupby("run")["m4_km_gov"].max()
        out["m4_falls"] = (mx >= m4_km_total - 1e-6).reindex(out.index).fillna(False)
    return out


def paired_differences(base: pd.DataFrame, other: pd.DataFrame) -> dict[str, Any]:
    rows = {}
    for col in CONTINUOUS:
        if col in base and col in other:
            d = (other[col] - base[col]).to_numpy(dtype=float)
            rows[col] = {
                "median": np.median(d),
                "p5": np.quantile(d, 0.05),
                "p95": np.quantile(d, 0.95),
                "mean": d.mean(),
            }
    for col in BINARY:
        if col in base and col in other:
            rows[col] = {
                "share_base": base[col].mean(),
                "share": other[col].mean(),
                "median": other[col].mean() - base[col].mean(),
            }
    return rows


def compare_table(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    names = list(results)
    base = results[names[0]]
    rows = []
    for name in names:
        o = results[name]
        for col, label in CONTINUOUS.items():
            if col not in o:
                continue
            row = {
                "scenario": name,
                "outcome": label,
                "median": o[col].median(),
                "p5": o[col].quantile(0.05),
                "p95": o[col].quantile(0.95),
            }
            if name != names[0]:
                d = (o[col] - base[col]).to_numpy(dtype=float)
                row.update(
                    {
                        "diff_vs_" + names[0]: np.median(d),
                        "diff_p5": np.quantile(d, 0.05),
                        "diff_p95": np.quantile(d, 0.95),
                    }
                )
            rows.append(row)
        for col, label in BINARY.items():
            if col not in o:
                continue
            row = {"scenario": name, "outcome": label + " (share of runs)", "median": o[col].mean()}
            if name != names[0]:
                row["diff_vs_" + names[0]] = o[col].mean() - base[col].mean()
            rows.append(row)
    return pd.DataFrame(rows)


def run_compare(
    scenarios: list[Path],
    n: int,
    seed: int,
    out: Path,
    workers: int | None = None,
    overrides: list[str] | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, pd.DataFrame] = {}
    dailies: dict[str, pd.DataFrame] = {}
    captures: dict[str, pd.DataFrame] = {}
    for path in scenarios:
        loaded = load_scenario(path, overrides)
        name = loaded.scenario.name
        from sim.inputs.geography import load_map

        m4 = load_map(loaded.map_path).highway_km("M4")
        res = run_ensemble(
            path,
            n,
            seed=seed,
            workers=workers,
            out=out / name,
            overrides=overrides,
            scheduler=scheduler,
            figures=False,
        )
        results[name] = outcomes(res.daily, res.captures, m4)
        dailies[name] = res.daily
        captures[name] = res.captures
    table = compare_table(results)
    atomic_write_csv(table, out / "compare.csv")
    per_run = pd.concat(dict(results), names=["scenario", "run"]).reset_index()
    atomic_write_csv(per_run, out / "outcomes_per_run.csv")
    from sim.plots.compare_figures import compare_figures

    compare_figures(dailies, captures, results, out / "figures")
    return table


def cmd_compare(args: argparse.Namespace) -> int:
    table = run_compare(
        list(args.scenarios), args.runs, args.seed, args.out, args.workers, args.overrides, args.scheduler
    )
    with pd.option_context(
        "display.width", 160, "display.max_columns", 10, "display.float_format", "{:,.1f}".format
    ):
        print(table.to_string(index=False))
    print(f"-> {args.out / 'compare.csv'}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Each value of one scenario parameter as an ensemble on common seeds; outcomes against the value."""
    rows = []
    for value in args.values:
        ov = [*args.overrides, f"{args.param}={value}"]
        loaded = load_scenario(args.scenario, ov)
        from sim.inputs.geography import load_map

        m4 = load_map(loaded.map_path).highway_km("M4")
        safe = str(value).replace("/", "_").replace(":", "_")
        res = run_ensemble(
            args.scenario,
            args.runs,
            seed=args.seed,
            workers=args.workers,
            out=args.out / f"value_{safe}",
            overrides=ov,
            scheduler=args.scheduler,
            figures=False,
        )
        o = outcomes(res.daily, res.captures, m4)
        o.insert(0, "value", str(value))
        rows.append(o.reset_index())
    per_run = pd.concat(rows, ignore_index=True)
    atomic_write_csv(per_run, args.out / "sweep.csv")
    from sim.plots.compare_figures import sweep_figure

    sweep_figure(per_run, args.param, args.out / "sweep.png")
    print(
        f"{len(args.values)} values x {args.runs} runs -> {args.out / 'sweep.csv'}, {args.out / 'sweep.png'}"
    )
    return 0
