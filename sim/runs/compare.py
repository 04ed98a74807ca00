"""Counterfactual comparisons on common random numbers.

``compare A B C -n N`` runs every scenario as an ensemble with the *same* run seeds (the same master seed),
so run ``i`` of A and run ``i`` of B share their random numbers as far as their histories coincide. Outcome
differences are then taken run by run against the first scenario (paired), which removes most of the seed
noise from the comparison; the table reports the median difference and its 5-95 % range across runs, and for
yes/no outcomes the share of runs in which they happen. The outcomes are those of ``sim.runs.outcomes``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv
from sim.inputs.arguments import check_int, check_output
from sim.inputs.errors import InputError
from sim.inputs.geography import load_map
from sim.inputs.loader import load_scenario
from sim.runs.ensemble import run_ensemble
from sim.runs.outcomes import BINARY, CONTINUOUS, m4_length_km, outcomes


def paired_differences(base: pd.DataFrame, other: pd.DataFrame) -> dict[str, Any]:
    """Per outcome, ``other - base`` run by run (same run index, same seed): median, 5 %, 95 % and mean of
    the differences; for yes/no outcomes the two shares of runs and their difference."""
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
    """One row per scenario and outcome: median and 5-95 % across runs and, for every scenario after the
    first, the median paired difference against the first (``diff_vs_<first>``) and its 5-95 % range."""
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
    """Run every scenario as an ensemble in ``out/<name>`` on the same seeds; write ``compare.csv``,
    ``outcomes_per_run.csv`` and the figures; return the comparison table."""
    # every scenario checked before the first ensemble starts: a typo in the last must not cost the others
    n, seed = check_int(n, "runs", "n"), check_int(seed, "seed")
    out = check_output(out, "out")
    loaded_all = [load_scenario(path, overrides) for path in scenarios]
    names: dict[str, Path] = {}
    for path, loaded in zip(scenarios, loaded_all, strict=True):
        name = loaded.scenario.name
        if name in names:
            raise InputError(
                path, "name", f"'{name}' is also the name of {names[name]}: each writes OUT/<name>"
            )
        names[name] = path
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, pd.DataFrame] = {}
    dailies: dict[str, pd.DataFrame] = {}
    captures: dict[str, pd.DataFrame] = {}
    for path, loaded in zip(scenarios, loaded_all, strict=True):
        name = loaded.scenario.name
        m4 = m4_length_km(loaded)
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
        theatre = load_map(loaded.map_path)
        results[name] = outcomes(res.daily, res.captures, m4, theatre)
        dailies[name] = res.daily
        captures[name] = res.captures
    table = compare_table(results)
    atomic_write_csv(table, out / "compare.csv")
    per_run = pd.concat(dict(results), names=["scenario", "run"]).reset_index()
    atomic_write_csv(per_run, out / "outcomes_per_run.csv")
    from sim.plots.compare_figures import compare_figures

    compare_figures(dailies, captures, results, out / "figures", titles=CONTINUOUS, theatre=theatre)
    return table


def cmd_compare(args: argparse.Namespace) -> int:
    check_output(args.out)
    table = run_compare(
        list(args.scenarios), args.runs, args.seed, args.out, args.workers, args.overrides, args.scheduler
    )
    with pd.option_context(
        "display.width", 160, "display.max_columns", 10, "display.float_format", "{:,.1f}".format
    ):
        print(table.to_string(index=False))
    print(f"-> {args.out / 'compare.csv'}")
    return 0
