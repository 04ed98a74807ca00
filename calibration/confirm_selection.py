"""Confirm a near-miss of ``idlib-sim calibrate --select``: re-score one candidate of
``calibration/selection.csv`` against the committed parameters on N seeds no earlier step used.

Why: ``--select`` keeps the committed parameters unless a candidate beats them by two paired standard
errors on ``--select-seeds`` seeds. A candidate that falls just short (a clear gain, but under two paired
standard errors) is settled here on independent seeds, with the same rule decided in advance, rather than
by re-running the calibration. Usage, with a label from the ``candidate`` column:

    python calibration/confirm_selection.py "weighted median" -n 32

A conditional refit of the civilians alone is judged on the target groups its parameters move
(``--groups displacement,origin,emptied``): the whole distance's paired noise is mostly the war's (the
highway group's alone is several times the civilian gain), which civilian parameters cannot change, so the
whole-distance rule cannot see them. With ``--groups`` the candidate replaces the committed parameters only
if the paired gain summed over those groups exceeds two standard errors and no other group is worse by more
than two. ``--stream`` picks another set of seeds (each confirmation its own, decided before it runs).
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
    ap.add_argument(
        "--selection",
        default=str(HERE / "selection.csv"),
        help="the selection table (default calibration/selection.csv; a conditional refit's own record)",
    )
    ap.add_argument("--groups", default=None, help="judge on these target groups (comma-separated)")
    ap.add_argument(
        "--stream", type=lambda v: int(v, 0), default=0xC0F1A, help="the seeds' stream (default 0xC0F1A)"
    )
    args = ap.parse_args(argv)
    sel = pd.read_csv(args.selection)
    names = [c for c in sel.columns if "." in c]
    points = {}
    for label in (args.candidate, INCUMBENT):
        rows = sel[sel["candidate"] == label]
        if rows.empty:
            print(f"error: {args.selection}: candidate: no row named {label!r}", file=sys.stderr)
            raise SystemExit(2)
        points[label] = {n: float(rows.iloc[0][n]) for n in names}
    rng = np.random.default_rng(np.random.SeedSequence([0, args.stream]))  # not the selection's stream
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
    # paired gains by target group (incumbent minus candidate: positive is better)
    group_gain = {
        g: np.array([x.get(g, np.nan) for x in res[args.n :]])
        - np.array([x.get(g, np.nan) for x in res[: args.n]])
        for g in sorted(k for k in res[0] if k.startswith("d_"))
    }
    group_se = {g: float(np.nanstd(diff, ddof=1) / np.sqrt(args.n)) for g, diff in group_gain.items()}
    for g, diff in group_gain.items():
        print(f"  {g}: paired gain {np.nanmean(diff):.3f} ± {group_se[g]:.3f}")
    if args.groups:
        judged = [f"d_{g.strip()}" for g in args.groups.split(",")]
        unknown = [g for g in judged if g not in group_gain]
        if unknown:
            print(f"error: --groups: no target group {unknown[0][2:]!r}", file=sys.stderr)
            raise SystemExit(2)
        gain = np.sum([group_gain[g] for g in judged], axis=0)
        se = float(gain.std(ddof=1) / np.sqrt(args.n))
        worse = [
            g for g, diff in group_gain.items() if g not in judged and np.nanmean(diff) < -2.0 * group_se[g]
        ]
        print(f"groups {', '.join(judged)}: paired gain {gain.mean():.3f} ± {se:.3f}")
        if worse:
            print(
                f"worse by more than two standard errors: {', '.join(worse)}: keep the committed parameters"
            )
            return
    else:
        print(f"paired gain {gain.mean():.3f} ± {se:.3f}")
    print("replace the committed parameters" if gain.mean() > 2.0 * se else "keep the committed parameters")


if __name__ == "__main__":
    main()
