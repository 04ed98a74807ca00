"""Paired run times of two checkouts, alternating, for a ratio that the machine's drift does not bias.

    python tests/benchmarks/bench_ratio.py REFERENCE_DIR [--candidate .] [--pairs 15] [--seed 1]

Each checkout runs in its own long-lived worker process (its own ``sim`` package: the checkout's directory
first on ``sys.path``), warmed up once; then the two run the same baseline run (``sim.runs.runner.simulate``
of the checkout's ``scenarios/baseline.yaml``, model time only, as ``bench_model.py``) one after the other,
``--pairs`` times, in alternating order. Printed: each pair's times and ratio (candidate / reference), and
the median and quartiles of the ratios.

Why: on a shared machine the speed of the cores drifts by 10-20 % within minutes, so two benchmarks run a
minute apart can differ by more than the change being measured; a pair run back to back sees the same
conditions. Also printed: the ratio of each checkout's fastest run, which noise can only slow down (a
second estimate, less sensitive to the pairs the machine disturbed). Used for the village map against the
123-town map (issue 21: "no slower than 1.5x"), e.g. with the reference
``git worktree add /tmp/ref123 1c5cf77^``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from sim.inputs.loader import load_scenario
from sim.runs.runner import simulate
loaded = load_scenario(sys.argv[1] + "/scenarios/baseline.yaml")
seed = int(sys.argv[2])
simulate(loaded, seed, progress=False)
print("ready", flush=True)
for _ in sys.stdin:
    t0 = time.perf_counter()
    simulate(loaded, seed, progress=False)
    print(time.perf_counter() - t0, flush=True)
"""


def _worker(checkout: Path, seed: int) -> subprocess.Popen[str]:
    p = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(checkout), str(seed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=checkout,
    )
    assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    return p


def _time(p: subprocess.Popen[str]) -> float:
    assert p.stdin is not None and p.stdout is not None
    p.stdin.write("run\n")
    p.stdin.flush()
    return float(p.stdout.readline())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", type=Path, help="the reference checkout (its own sim/ and scenarios/)")
    ap.add_argument("--candidate", type=Path, default=Path("."), help="the checkout measured (default: here)")
    ap.add_argument("--pairs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ref, cand = _worker(args.reference.resolve(), args.seed), _worker(args.candidate.resolve(), args.seed)
    ratios, ref_times, cand_times = [], [], []
    print(f"{'pair':>4}{'reference s':>13}{'candidate s':>13}{'ratio':>8}")
    for i in range(args.pairs):
        if i % 2 == 0:
            r, c = _time(ref), _time(cand)
        else:
            c, r = _time(cand), _time(ref)
        ratios.append(c / r)
        ref_times.append(r)
        cand_times.append(c)
        print(f"{i + 1:>4}{r:>13.3f}{c:>13.3f}{c / r:>8.2f}")
    q1, med, q3 = statistics.quantiles(ratios, n=4)
    print(f"ratio candidate/reference: median {med:.2f} (quartiles {q1:.2f}-{q3:.2f}), {len(ratios)} pairs")
    print(
        f"ratio of the fastest runs: {min(cand_times) / min(ref_times):.2f} "
        f"({min(cand_times):.3f} s against {min(ref_times):.3f} s)"
    )
    for p in (ref, cand):
        p.terminate()


if __name__ == "__main__":
    main()
