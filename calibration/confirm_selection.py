"""Confirm a near-miss of ``idlib-sim calibrate --select``: re-score one candidate of
``calibration/selection.csv`` against the committed parameters on N seeds no earlier step used.

Why: ``--select`` keeps the committed parameters unless a candidate beats them by two paired standard
errors on ``--select-seeds`` seeds. A candidate that falls just short (a clear gain, but under two paired
standard errors) is settled here on independent seeds, with the same rule decided in advance, rather than
by re-running the calibration. Usage, with a label from the ``candidate`` column:

    python calibration/confirm_selection.py "weighted median" -n 32
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.fit.evaluation import map_progress
from sim.fit.selection import INCUMBENT

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("candidate", help="a 'candidate' label from calibration/selection.csv")
    ap.add_argument("-n", type=int, default=32, help="fresh seeds (default 32)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    sel = pd.read_csv(HERE / "selection.csv")
    names = [c for c in sel.columns if "." in c]
    points = {}
    for label in (args.candidate, INCUMBENT):
        rows = sel[sel["candidate"] == label]
        if rows.empty:
            print(f"error: calibration/selection.csv: candidate: no row named {label!r}", file=sys.stderr)
            raise SystemExit(2)
        points[label] = {n: float(rows.iloc[0][n]) for n in names}
    rng = np.random.default_rng(np.random.SeedSequence([0, 0xC0F1A]))  # not the selection's stream
    seeds = [int(s) for s in rng.integers(0, 2**31, args.n)]
    jobs = [
        (str(ROOT / "scenarios/baseline.yaml"), th, [s], str(HERE / "targets.yaml"))
        for th in points.values()
        for s in seeds
    ]
    res = map_progress(jobs, args.workers, f"confirmation (2 x {args.n} runs)")
    d = {
        label: np.array([x["distance"] for x in res[k * args.n : (k + 1) * args.n]])
        for k, label in enumerate(points)
    }
    gain = d[INCUMBENT] - d[args.candidate]
    se = float(gain.std(ddof=1) / np.sqrt(args.n))
    for label, v in d.items():
        print(f"{label}: mean distance {v.mean():.3f} on {args.n} seeds")
    verdict = (
        "replace the committed parameters" if gain.mean() > 2.0 * se else "keep the committed parameters"
    )
    print(f"paired gain {gain.mean():.3f} ± {se:.3f}: {verdict}")


if __name__ == "__main__":
    main()
