"""What the app runs: one run with its progress day by day, and a counterfactual against the baseline on
common seeds. No web code here: the page (``sim.app.page``) calls these in a thread and shows the results.

The runs are the command line's: a scenario file, the levers as ``--set`` overrides (``sim.app.levers``),
``sim.runs.runner`` to build, step and collect the model, and for a comparison the run seeds of
``idlib-sim ensemble``/``compare`` (``derive_seeds`` of the master seed), so every number on the page can be
reproduced with the command the page shows.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.app.levers import BASELINE, Levers, command_line, overrides, shown_path
from sim.app.worker import one_run, quiet_interrupt
from sim.inputs.errors import InputError
from sim.inputs.geography import Theatre, load_map
from sim.inputs.loader import LoadedScenario, load_scenario
from sim.plots.run_figures import RunRecord
from sim.runs.compare import compare_table
from sim.runs.ensemble import derive_seeds
from sim.runs.outcomes import m4_length_km, outcomes
from sim.runs.runner import build_model, collect, release

Progress = Callable[[float], None]  # told the share done, 0 to 1


@dataclass
class Run:
    """A finished run as the page shows it."""

    record: RunRecord
    captures: pd.DataFrame
    command: str


@dataclass
class Comparison:
    """A counterfactual and the baseline, ``n`` runs each on the same seeds."""

    names: list[str]  # the baseline first
    dailies: dict[str, pd.DataFrame]
    captures: dict[str, pd.DataFrame]
    held: dict[str, np.ndarray]  # per scenario: (days, settlements) share of runs the offensive side holds
    table: pd.DataFrame
    theatre: Theatre
    start: Any
    offensive: str  # the faction whose hold the maps show
    commands: list[str] = field(default_factory=list)


def load(levers: Levers, files: dict[str, Path]) -> tuple[LoadedScenario, list[str]]:
    """The scenario of ``levers`` with the levers applied, and the overrides that apply them."""
    if levers.scenario not in files:
        raise InputError("scenario", levers.scenario, f"not one of {', '.join(files)}")
    if BASELINE not in files:
        raise InputError("scenario", BASELINE, "the scenarios folder has no baseline.yaml")
    own = load_scenario(files[levers.scenario])
    baseline = own if levers.scenario == BASELINE else load_scenario(files[BASELINE])
    sets = overrides(levers, own, baseline)
    return (load_scenario(files[levers.scenario], sets) if sets else own), sets


class _Days:
    """A progress bar as ``IdlibModel.run`` expects one (``update(1)`` a day), reporting to ``progress``."""

    def __init__(self, progress: Progress, days: int) -> None:
        self.progress, self.days, self.done = progress, max(days, 1), 0

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.done % 5 == 0 or self.done == self.days:
            self.progress(self.done / self.days)


def run(levers: Levers, files: dict[str, Path], progress: Progress = lambda _: None) -> Run:
    """One run of the levers' scenario and seed (``runner.simulate``: build, then step day by day)."""
    loaded, sets = load(levers, files)
    model = build_model(loaded, levers.seed)
    model.run(_Days(progress, loaded.scenario.days))
    result = collect(model, loaded, levers.seed)
    record = RunRecord.from_model(model, result.daily, levers.seed)
    release(model)
    return Run(record, result.captures, command_line(files[levers.scenario], levers.seed, sets))


_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    """Worker processes for comparisons, started once per app: spawned, not forked, because the web server
    that asks for them runs threads, and a forked copy of a threaded process can deadlock."""
    global _POOL
    if _POOL is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        _POOL = ProcessPoolExecutor(
            max_workers=max(1, min(cores, 4)),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=quiet_interrupt,
        )
        atexit.register(_POOL.shutdown, wait=False, cancel_futures=True)
    return _POOL


def compare(
    levers: Levers, files: dict[str, Path], n: int, progress: Progress = lambda _: None
) -> Comparison:
    """The levers' scenario against the baseline as it is, ``n`` runs each on the run seeds derived from the
    levers' seed (as ``idlib-sim compare`` derives them from ``--seed``)."""
    if not 1 <= n <= 64:
        raise InputError("runs", str(n), "expected 1 to 64 runs per scenario")
    loaded, sets = load(levers, files)
    baseline = load_scenario(files[BASELINE])
    name = f"{levers.scenario} with the levers" if sets else levers.scenario
    if name == BASELINE:
        name = "baseline again"  # the baseline as it is, against itself: differences are zero
    names = [BASELINE, name]
    setups = {BASELINE: (files[BASELINE], []), name: (files[levers.scenario], sets)}
    seeds = derive_seeds(levers.seed, n)
    pool = _pool()
    futures: dict[Future[Any], tuple[str, int]] = {}
    for key in names:
        path, s = setups[key]
        for i, seed in enumerate(seeds):
            futures[pool.submit(one_run, str(path), s, seed)] = (key, i)
    results: dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame, np.ndarray]] = {}
    progress(0.0)
    for done, fut in enumerate(as_completed(futures), start=1):
        results[futures[fut]] = fut.result()
        progress(done / len(futures))
    dailies, captures, held = {}, {}, {}
    for key, scenario in ((BASELINE, baseline), (name, loaded)):
        runs = [results[(key, i)] for i in range(n)]
        dailies[key] = pd.concat(
            [r[0].assign(run=i, seed=seeds[i]) for i, r in enumerate(runs)], ignore_index=True
        )
        captures[key] = pd.concat(
            [r[1].assign(run=i, seed=seeds[i]) for i, r in enumerate(runs)], ignore_index=True
        )
        sc = scenario.scenario
        code = list(sc.factions).index(sc.roles.offensive) if sc.roles.offensive else -1
        held[key] = np.mean([r[2] == code for r in runs], axis=0)
    m4 = m4_length_km(baseline)
    table = compare_table({k: outcomes(dailies[k], captures[k], m4) for k in names})
    commands = [
        f"idlib-sim ensemble {shown_path(files[BASELINE])} -n {n} --seed {levers.seed} --out DIR_BASELINE",
        command_line(files[levers.scenario], levers.seed, sets)
        .replace("idlib-sim run", "idlib-sim ensemble", 1)
        .replace(f"--seed {levers.seed}", f"-n {n} --seed {levers.seed} --out DIR_COUNTERFACTUAL"),
    ]
    return Comparison(
        names=names,
        dailies=dailies,
        captures=captures,
        held=held,
        table=table,
        theatre=load_map(baseline.map_path),
        start=baseline.scenario.start,
        offensive=baseline.scenario.roles.offensive or "offensive side",
        commands=commands,
    )
