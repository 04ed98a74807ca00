"""Wall seconds of the README's main job, ``idlib-sim run`` with its figures, as a user starts it.

    python tests/benchmarks/bench_run.py [--repeats 5] [--seed 1] [--all-maps] [-- EXTRA ARGS]

Each repeat runs ``python -m sim run scenarios/baseline.yaml --seed SEED --out TMP`` in a fresh process
(interpreter start, imports, the run, the tables and the figures: everything the user waits for) and
reports the wall time, the CPU time of the process and its children, and the load average when it started:
on a shared machine the load says how far the wall time is from an idle machine's (figure workers are used
only when a core is free, ``sim.plots.workers``). Run it on an idle machine; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def one(seed: int, extra: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s of the run and its children, 1-minute load average before it)."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "sim",
            "run",
            "scenarios/baseline.yaml",
            "--seed",
            str(seed),
            "--out",
            tmp,
        ]
        t0 = time.perf_counter()
        subprocess.run([*cmd, *extra], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--all-maps", action="store_true", help="time the run with every map")
    ap.add_argument("extra", nargs="*", help="more arguments for idlib-sim run (after --)")
    args = ap.parse_args()
    extra = (["--all-maps"] if args.all_maps else []) + list(args.extra)
    walls = []
    print(f"{'repeat':>6}{'wall s':>9}{'CPU s':>9}{'load':>7}")
    for i in range(args.repeats):
        wall, cpu, load = one(args.seed, extra)
        walls.append(wall)
        print(f"{i + 1:>6}{wall:>9.2f}{cpu:>9.2f}{load:>7.2f}")
    print(f"best {min(walls):.2f} s, median {statistics.median(walls):.2f} s over {args.repeats} runs")


if __name__ == "__main__":
    main()
