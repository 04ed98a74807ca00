"""One-parameter sweeps: each value of one scenario setting as an ensemble, all on the same run seeds.

``sweep SCENARIO --param P --values v1 v2 ...`` runs, for every value, the scenario with ``--set P=value``
as an ensemble in ``OUT/value_<value>`` (``/`` and ``:`` in the value replaced by ``_``), with the same
master seed for every value, so that run ``i`` shares its random numbers across values as far as the
histories coincide and the outcomes (``sim.runs.outcomes``) change with the value rather than with the seed.
``sweep.csv`` holds one row per value and run; ``sweep.png`` draws the outcomes against the value.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.files import atomic_write_csv
from sim.inputs.arguments import check_int, check_output, check_overrides
from sim.inputs.errors import InputError
from sim.inputs.geography import load_map
from sim.inputs.loader import load_scenario
from sim.runs.ensemble import run_ensemble
from sim.runs.outcomes import m4_length_km, outcomes


def value_dir(out: Path, value: str) -> Path:
    """The ensemble directory of one swept value (a value may be a date or a path: no ``/`` or ``:``)."""
    safe = str(value).replace("/", "_").replace(":", "_")
    return out / f"value_{safe}"


def run_sweep(
    scenario: Path,
    param: str,
    values: list[str],
    n: int,
    seed: int,
    out: Path,
    workers: int | None = None,
    overrides: list[str] | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Run the sweep; write ``sweep.csv`` and ``sweep.png`` into ``out`` and return the per-run table."""
    # every value checked before the first ensemble starts: a bad last value must not cost the others
    n, seed = check_int(n, "runs", "n"), check_int(seed, "seed")
    out = check_output(out, "out")
    loaded_all = [load_scenario(scenario, [*check_overrides(overrides), f"{param}={v}"]) for v in values]
    dirs = [value_dir(out, v) for v in values]
    for i, d in enumerate(dirs):
        if d in dirs[:i]:
            raise InputError("--values", str(values[i]), f"writes the same folder as another value: {d.name}")
    rows = []
    for value, loaded in zip(values, loaded_all, strict=True):
        ov = [*(overrides or []), f"{param}={value}"]
        m4 = m4_length_km(loaded)
        res = run_ensemble(
            scenario,
            n,
            seed=seed,
            workers=workers,
            out=value_dir(out, value),
            overrides=ov,
            scheduler=scheduler,
            figures=False,
        )
        o = outcomes(res.daily, res.captures, m4, load_map(loaded.map_path))
        o.insert(0, "value", str(value))
        rows.append(o.reset_index())
    per_run = pd.concat(rows, ignore_index=True)
    atomic_write_csv(per_run, out / "sweep.csv")
    from sim.plots.compare_figures import sweep_figure

    sweep_figure(per_run, param, out / "sweep.png")
    return per_run


def cmd_sweep(args: argparse.Namespace) -> int:
    """Each value of one scenario parameter as an ensemble on common seeds; outcomes against the value."""
    check_output(args.out)
    run_sweep(
        args.scenario,
        args.param,
        args.values,
        args.runs,
        args.seed,
        args.out,
        args.workers,
        args.overrides,
        args.scheduler,
    )
    print(
        f"{len(args.values)} values x {args.runs} runs -> {args.out / 'sweep.csv'}, {args.out / 'sweep.png'}"
    )
    return 0
