"""Evaluating parameter points: run the scenario on seeds and score the runs against the targets.

Every method (screening, ABC-SMC, history matching, the selection among their candidates) asks the same
question of a point theta: how far are runs with theta from history? ``seed_errors`` answers per seed, since
history matching needs the spread of each target's error over the seeds; ``evaluate`` answers with each
target's error averaged over the seeds and the distance of that mean (``scoring.distance``: the RMS of
standardised errors, each target group weighted equally), overall and per group. Only the fit targets are
read unless asked otherwise: holdout targets stay unseen by every calibration.

``map_progress`` spreads jobs over a local process pool; each worker runs its numerics single-threaded, so
two cores give two runs at a time instead of two half-speed ones.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from tqdm import tqdm

from sim.fit.priors import overrides_for
from sim.fit.scoring import TargetError, distance, run_errors
from sim.inputs.geography import load_map
from sim.inputs.loader import load_scenario
from sim.inputs.targets import load_targets, on_map
from sim.runs.runner import collect, release, simulate, single_threaded_numerics

# (scenario, theta, seeds, targets path): one point to evaluate, as sent to a worker
Job = tuple[str, dict[str, float], list[int], str]


def seed_errors(
    scenario: str, theta: dict[str, float], seeds: list[int], targets_path: str, use: str | None = "fit"
) -> list[list[TargetError]]:
    """Run the scenario with parameters ``theta`` on each of ``seeds``; one list of target errors per seed."""
    single_threaded_numerics()
    loaded = load_scenario(scenario, overrides_for(theta))
    theatre = load_map(loaded.map_path)
    targets = on_map(load_targets(targets_path).select(use), theatre)
    m5 = theatre.highway_km("M5")
    per_seed = []
    for s in seeds:
        model = simulate(loaded, s, progress=False)
        r = collect(model, loaded, s)
        release(model)
        per_seed.append(
            run_errors(r.daily, r.captures, targets, loaded.scenario.end, m5, r.subdistricts, r.population)
        )
    return per_seed


def evaluate(
    scenario: str, theta: dict[str, float], seeds: list[int], targets_path: str, use: str | None = "fit"
) -> dict[str, Any]:
    """Run the scenario with parameters ``theta`` on ``seeds``; return the distance of the mean errors
    (``distance``), the same per target group (``d_<group>``) and each target's mean error (``errors``)."""
    per_seed = seed_errors(scenario, theta, seeds, targets_path, use)
    mean = []
    for k, e in enumerate(per_seed[0]):
        errs = [ps[k].error for ps in per_seed]
        sims = [ps[k].simulated for ps in per_seed]
        mean.append(
            TargetError(
                e.id,
                e.group,
                e.use,
                e.label,
                e.observed,
                float(np.mean(sims)),
                float(np.mean(errs)),
                e.scale,
                all(ps[k].censored for ps in per_seed),
            )
        )
    groups: dict[str, list[TargetError]] = {}
    for e in mean:
        groups.setdefault(e.group, []).append(e)
    return {
        "distance": distance(mean),
        **{f"d_{g}": distance(v) for g, v in groups.items()},
        "errors": {e.id: e.error for e in mean},
    }


def evaluate_job(job: Job) -> dict[str, Any]:
    """``evaluate`` of one job tuple (what ``map_progress`` sends a worker)."""
    return evaluate(*job)


def map_progress(
    jobs: list[Any],
    workers: int | None,
    label: str,
    fn: Callable[[Any], dict[str, Any]] = evaluate_job,
) -> list[dict[str, Any]]:
    """``fn`` over ``jobs`` on a local process pool with a progress bar; results in the jobs' order."""
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as ex:
        futs = [ex.submit(fn, j) for j in jobs]
        for _ in tqdm(futs, desc=label, file=sys.stderr, disable=not sys.stderr.isatty()):
            pass
        return [f.result() for f in futs]
