"""ABC-SMC calibration (pyabc) against the fit targets, and its posterior files.

    idlib-sim calibrate --method abc --budget 3000 --write-fit --select 8

A particle is a point of the priors' unit cube; it is scored by running the scenario on ``--seeds`` seeds,
averaging each fit target's error over them and taking the distance of the mean (``evaluate``). pyabc
keeps its SQLite history (``OUT/runs/abc.db``) as the record of the calibration, which ``--resume``
continues. The final population is written to ``OUT/posterior.csv`` (values on the parameters' own scale,
with the importance weights) and summarised in ``OUT/posterior_summary.csv``; ``--select`` re-scores
candidates of it (``selection``) and ``--write-fit`` writes the chosen point to
``OUT/fitted_parameters.yaml``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv, atomic_write_text
from sim.fit.evaluation import evaluate
from sim.fit.priors import Prior
from sim.fit.selection import (
    INCUMBENT,
    committed_file,
    incumbent_point,
    kept_committed,
    score_candidates,
    write_fit,
)
from sim.inputs.errors import InputError
from sim.plots.calibration_figures import posterior_figure


def particle_seeds(calib_seed: int, unit_values: list[float], n: int) -> list[int]:
    """Simulation seeds of one ABC particle, derived from the calibration seed and the particle's values.

    Why: pyabc's multicore sampler forks its workers, so a seed stream kept in the parent would be copied
    into every worker and particles evaluated by different workers would share seeds. Deriving the seeds
    from the parameter values makes every particle's simulations reproducible on their own, whichever
    worker runs them (pyabc's choice of particles is still not bit-reproducible across runs).
    """
    words = [int(calib_seed) & 0xFFFFFFFF] + [round(u * 2**32) & 0xFFFFFFFF for u in unit_values]
    return [int(s) for s in np.random.default_rng(np.random.SeedSequence(words)).integers(0, 2**31, n)]


def run_abc(args: argparse.Namespace, priors: list[Prior]) -> Path:
    """Run (or resume) ABC-SMC; write the posterior files under ``args.out``; return the database's path."""
    import pyabc
    from pyabc.sampler import DaskDistributedSampler, MulticoreEvalParallelSampler

    out = Path(args.out)
    runs = out / "runs"
    db = runs / "abc.db"
    if args.resume and not db.exists():
        raise InputError(str(db), "--resume", "no ABC database to resume; run without --resume first")
    runs.mkdir(parents=True, exist_ok=True)
    scenario, targets = str(args.scenario), str(args.targets)
    seeds_per = args.seeds
    calib_seed = int(getattr(args, "seed", 2019))

    def model(par: dict[str, float]) -> dict[str, float]:
        theta = {p.name: p.from_unit(float(par[p.name.replace(".", "__")])) for p in priors}
        seeds = particle_seeds(calib_seed, [float(par[p.name.replace(".", "__")]) for p in priors], seeds_per)
        r = evaluate(scenario, theta, seeds, targets)
        return {"distance": r["distance"]}

    prior = pyabc.Distribution(**{p.name.replace(".", "__"): pyabc.RV("uniform", 0.0, 1.0) for p in priors})
    if args.scheduler:
        from distributed import Client

        sampler = DaskDistributedSampler(dask_client=Client(args.scheduler))
    else:
        sampler = MulticoreEvalParallelSampler(n_procs=args.workers or os.cpu_count() or 1)
    abc = pyabc.ABCSMC(
        model, prior, lambda x, x0: x["distance"], population_size=args.population, sampler=sampler
    )
    url = f"sqlite:///{db.resolve()}"
    t0 = time.time()
    if args.resume:
        previous = pyabc.History(url).all_runs()
        if not previous:
            raise InputError(str(db), "--resume", "the database holds no ABC run")
        history = abc.load(url, previous[-1].id)
        if history.max_t < 0:
            raise InputError(str(db), "--resume", "the ABC run has no finished generation to continue from")
        done = history.max_t + 1
        print(f"ABC-SMC: resuming run {previous[-1].id} after {done} finished generation(s)")
    else:
        abc.new(url, {"distance": 0.0})
    if not args.resume or args.generations > 0:
        history = abc.run(
            minimum_epsilon=0.3,
            max_nr_populations=args.generations,
            max_total_nr_simulations=max(1, args.budget // seeds_per),
        )
    df, w = history.get_distribution()
    post = pd.DataFrame({p.name: [p.from_unit(u) for u in df[p.name.replace(".", "__")]] for p in priors})
    post["weight"] = w
    post["distance"] = history.get_weighted_distances()["distance"].to_numpy()
    atomic_write_csv(post, out / "posterior.csv")
    summary = posterior_summary(post, priors)
    atomic_write_csv(summary, out / "posterior_summary.csv")
    eps = history.get_all_populations()
    meta = {
        "generations": int(history.max_t + 1),
        "simulations": int(history.total_nr_simulations) * seeds_per,
        # wall time of all generations, including those run before a --resume
        "seconds": round(
            float(eps["wall_time"].fillna(0).sum()) if "wall_time" in eps else time.time() - t0, 1
        ),
        "epsilons": [float(x) for x in eps["epsilon"] if np.isfinite(x)],
        "population": len(post),  # the stored run's, not this call's --population (a --resume)
        "seeds_per_particle": seeds_per,
    }
    atomic_write_text(runs / "abc_meta.json", json.dumps(meta, indent=1) + "\n")
    names = [p.name for p in priors]
    point = None
    median = summary.set_index("parameter")["median"].to_dict()
    best, status = median, "ABC-SMC posterior median"
    chosen: str | None = None
    if getattr(args, "select", 0) > 0:  # re-scored with or without --write-fit: the table is the record
        best, table, chosen = select_point(args, names, post, median, incumbent_point(args.scenario, names))
        atomic_write_csv(table, out / "selection.csv")
        status = (
            f"ABC-SMC: the best of {len(table)} distinct candidates (the final population's "
            f"{args.select} highest-weight and {args.select} closest particles, its weighted median and "
            f"the previously committed "
            f"parameters), re-scored on {args.select_seeds} fresh seeds against the fit targets "
            f"({out / 'selection.csv'}; the committed ones are replaced only by a gain beyond two "
            f"paired standard errors): {chosen}"
        )
    if args.write_fit and not kept_committed(chosen, out):
        point = best
        write_fit(point, meta, out, committed_file(args.scenario), status)
    if point is None:  # without --write-fit the figure still marks what the baseline runs with
        point = incumbent_point(args.scenario, names)
    posterior_figure(post, priors, out / "figures" / "posterior.png", point)
    print(
        f"ABC-SMC: {meta['generations']} generations, {meta['simulations']} simulations, final epsilon "
        f"{meta['epsilons'][-1] if meta['epsilons'] else 'n/a'} -> {db}"
    )
    return db


def posterior_summary(post: pd.DataFrame, priors: list[Prior]) -> pd.DataFrame:
    """Per parameter: the prior range and the weighted median, 5 % and 95 % quantiles and mean of the
    final population (a weighted quantile is the first particle, in value order, whose cumulative weight
    reaches the level)."""
    rows = []
    w = post["weight"].to_numpy()
    w = w / w.sum()
    for p in priors:
        x = post[p.name].to_numpy()
        order = np.argsort(x)
        cw = np.cumsum(w[order])

        def q(level: float, x: np.ndarray = x, order: np.ndarray = order, cw: np.ndarray = cw) -> float:
            return float(x[order][min(np.searchsorted(cw, level), len(x) - 1)])

        rows.append(
            {
                "parameter": p.name,
                "prior_low": p.low,
                "prior_high": p.high,
                "scale": p.scale,
                "median": q(0.5),
                "p5": q(0.05),
                "p95": q(0.95),
                "mean": float((w * x).sum()),
            }
        )
    return pd.DataFrame(rows)


def select_point(
    args: argparse.Namespace,
    names: list[str],
    post: pd.DataFrame,
    median: dict[str, float],
    incumbent: dict[str, float] | None,
) -> tuple[dict[str, float], pd.DataFrame, str]:
    """Choose the parameter set to commit: re-score candidates of the final ABC population on fresh seeds.

    Why: with few particles the importance weights degenerate (an effective sample size near 1), so the
    "posterior median" is one particle that was scored on only ``--seeds`` seeds and may simply have been
    lucky. The candidates are the ``--select`` highest-weight particles, the ``--select`` particles with
    the lowest ABC distance (when the weights degenerate, the highest-weight ones after the first are
    close to a random draw of the population, while the distance still ranks them), the weighted median
    and the ``incumbent`` (the committed parameters, if any); ``selection.score_candidates`` re-scores
    them and applies the rule that keeps the incumbent unless a gain is beyond the noise.
    """
    top = post.sort_values("weight", ascending=False, kind="stable").head(args.select)
    if "distance" in post:
        closest = post.sort_values("distance", kind="stable").head(args.select)
        top = pd.concat([top, closest])
    cands = [("weighted median", median)]
    if incumbent is not None:
        cands.append((INCUMBENT, incumbent))
    for i, r in top.iterrows():
        theta = {n: float(r[n]) for n in names}
        if any(theta == seen for _, seen in cands):
            continue  # with degenerate weights the weighted median is a particle: score it once
        label = f"particle {i} (weight {r.weight:.3f}"
        label += f", distance {r.distance:.2f})" if "distance" in post else ")"
        cands.append((label, theta))
    return score_candidates(args, names, cands)
