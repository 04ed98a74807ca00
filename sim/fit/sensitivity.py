"""Global sensitivity analysis (SALib): which parameters move the distance to the fit targets.

    idlib-sim calibrate --method morris --budget 300        # elementary effects: which parameters matter
    idlib-sim calibrate --method sobol --budget 3000        # variance shares, with interactions

Morris samples r trajectories of D + 1 points on a 4-level grid of the priors' unit cube, with r the
largest that fits the budget, ``budget // ((D + 1) * seeds)`` (at least 2); mu* (the mean absolute
elementary effect) ranks the parameters, sigma flags non-linearity or interaction. Sobol (Saltelli) takes
N (2D + 2) points, N the largest power of two that fits. Every point runs on the same seeds (common random
numbers), so the effects are the parameters' and not seed noise; each output (the distance and the
distance of each target group) gets its own indices.

Writes ``OUT/sensitivity_<method>.csv`` and ``OUT/figures/sensitivity_<method>.png``, and the sampled
points with their distances to ``OUT/runs/<method>_samples.csv``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv
from sim.fit.evaluation import map_progress
from sim.fit.priors import Prior
from sim.plots.calibration_figures import sensitivity_figure


def run_sensitivity(args: argparse.Namespace, priors: list[Prior]) -> Path:
    """Morris or Sobol (``args.method``) over the priors; return the path of the indices' table."""
    from SALib.analyze import morris as morris_a
    from SALib.analyze import sobol as sobol_a
    from SALib.sample import morris as morris_s
    from SALib.sample import sobol as sobol_s

    problem = {
        "num_vars": len(priors),
        "names": [p.name for p in priors],
        "bounds": [[0.0, 1.0]] * len(priors),
    }
    d = len(priors)
    if args.method == "morris":
        r = max(2, args.budget // ((d + 1) * args.seeds))
        unit = morris_s.sample(problem, N=r, num_levels=4, seed=args.seed if hasattr(args, "seed") else 1)
    else:
        n = 2 ** int(np.log2(max(2, args.budget // ((2 * d + 2) * args.seeds))))
        unit = sobol_s.sample(problem, n, calc_second_order=True, seed=1)
    thetas = [{p.name: p.from_unit(u) for p, u in zip(priors, row, strict=True)} for row in unit]
    seeds = list(range(1, args.seeds + 1))  # common random numbers across points: effects, not seed noise
    jobs = [(str(args.scenario), th, seeds, str(args.targets)) for th in thetas]
    results = map_progress(jobs, args.workers, f"{args.method} ({len(jobs)} points)")
    out = Path(args.out)
    ys = {k: np.array([r[k] for r in results]) for k in results[0] if k.startswith("d")}
    rows = []
    for k, y in ys.items():
        if args.method == "morris":
            res = morris_a.analyze(problem, unit, y, num_levels=4)
            for i, name in enumerate(problem["names"]):
                rows.append(
                    {
                        "output": k,
                        "parameter": name,
                        "mu_star": res["mu_star"][i],
                        "sigma": res["sigma"][i],
                        "mu_star_conf": res["mu_star_conf"][i],
                    }
                )
        else:
            res = sobol_a.analyze(problem, y, calc_second_order=True)
            for i, name in enumerate(problem["names"]):
                rows.append(
                    {
                        "output": k,
                        "parameter": name,
                        "S1": res["S1"][i],
                        "ST": res["ST"][i],
                        "ST_conf": res["ST_conf"][i],
                    }
                )
    table = pd.DataFrame(rows)
    path = out / f"sensitivity_{args.method}.csv"
    atomic_write_csv(table, path)
    samples = pd.DataFrame(
        [{**th, **{k: r[k] for k in r if k.startswith("d")}} for th, r in zip(thetas, results, strict=True)]
    )
    atomic_write_csv(samples, out / "runs" / f"{args.method}_samples.csv")
    sensitivity_figure(table, args.method, out / "figures" / f"sensitivity_{args.method}.png")
    print(f"{len(jobs)} points x {len(seeds)} seeds -> {path}")
    return path
