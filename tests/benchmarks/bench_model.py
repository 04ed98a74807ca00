"""Seconds per baseline run: the model's own time (no file writing, no figures).

    python tests/benchmarks/bench_model.py [--repeats 3] [--cohort-size 100] [--seed 1]
    python tests/benchmarks/bench_model.py --ensemble 8 [--workers 2]

Reports, for the baseline scenario, the best and median of ``--repeats`` runs of ``sim.runs.runner.simulate``:
with civilians at the given cohort size (the default resolution is the scenario's, 100 people per agent) and
without civilians (the wargame core alone), plus agents and days, and the time per simulated day. Run it on
an idle machine; it is a benchmark, not a test (pytest does not collect ``bench_*.py``).

``--ensemble N`` instead times N runs on a process pool twice: with the workers' BLAS/OpenMP thread pools as
they come, and with one thread per worker (``sim.runs.runner.single_threaded_numerics``, what ensembles and
the calibration use), to show why workers are single-threaded.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from sim.inputs.loader import load_scenario
from sim.runs.runner import simulate, single_threaded_numerics


def _pool_run(args: tuple[str, int, bool]) -> float:
    scenario, seed, single = args
    if single:
        single_threaded_numerics()
    loaded = load_scenario(scenario)
    t0 = time.perf_counter()
    simulate(loaded, seed, progress=False)
    return time.perf_counter() - t0


def bench_ensemble(scenario: str, n: int, workers: int) -> None:
    print(f"{'ensemble of ' + str(n) + ' runs, ' + str(workers) + ' workers':<44}{'wall s':>8}{'s/run':>8}")
    for label, single in (("default BLAS thread pools", False), ("one BLAS thread per worker", True)):
        t0 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=workers) as ex:
            list(ex.map(_pool_run, [(scenario, 100 + i, single) for i in range(n)]))
        wall = time.perf_counter() - t0
        print(f"{label:<44}{wall:>8.1f}{wall / n:>8.2f}")


def timed(loaded, seed: int, civilians: bool) -> tuple[float, int]:
    t0 = time.perf_counter()
    model = simulate(loaded, seed, progress=False, civilians=civilians)
    dt = time.perf_counter() - t0
    return dt, model.civilians.agents if model.civilians is not None else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="scenarios/baseline.yaml")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cohort-size", type=int, default=None, help="override civilians.cohort_size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ensemble", type=int, default=0, help="time N runs on a process pool instead")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if args.ensemble:
        bench_ensemble(args.scenario, args.ensemble, args.workers)
        return
    overrides = [f"civilians.cohort_size={args.cohort_size}"] if args.cohort_size else []
    loaded = load_scenario(args.scenario, overrides)
    days = loaded.scenario.days
    timed(loaded, args.seed, True)  # warm-up: imports, map cache, path caches
    print(f"{'configuration':<34}{'agents':>10}{'best s':>9}{'median s':>10}{'ms/day':>8}")
    for label, civ in (("core + civilians", True), ("core only (no civilians)", False)):
        times, agents = [], 0
        for _ in range(args.repeats):
            t, agents = timed(loaded, args.seed, civ)
            times.append(t)
        print(
            f"{label:<34}{agents:>10,}{min(times):>9.2f}{statistics.median(times):>10.2f}"
            f"{1000 * min(times) / days:>8.1f}"
        )


if __name__ == "__main__":
    main()
