"""Calibration: Morris/Sobol screening (SALib) and ABC-SMC (pyabc) against the fit targets only.

    idlib-sim calibrate --method morris --budget 300        # which parameters matter
    idlib-sim calibrate --method abc --budget 3000 --write-fit

Needs the ``calibrate`` extra (``pip install -e '.[calibrate]'``). Priors are in ``calibration/priors.yaml``
(name = dotted path under ``parameters``, uniform or log-uniform bounds). A particle is scored by running the
baseline with ``--seeds`` seeds, averaging each target's error over them, and taking the group-balanced RMS of
standardised errors (``scoring.distance``); holdout targets are never read here (``Targets.select('fit')``).
pyabc keeps its SQLite history (``calibration/runs/abc.db``) as the record of the calibration; the posterior
median is written to ``calibration/fitted_parameters.yaml`` with ``--write-fit``, which the baseline loads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.files import atomic_write_csv, atomic_write_text, atomic_write_yaml
from sim.inputs.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Prior:
    name: str  # dotted path under parameters, e.g. combat.kill_rate
    low: float
    high: float
    scale: str = "linear"  # or "log"
    note: str = ""

    def from_unit(self, u: float) -> float:
        if self.scale == "log":
            return float(np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low))))
        return float(self.low + u * (self.high - self.low))


def load_priors(path: Path) -> list[Prior]:
    if not path.exists():
        raise InputError(path, "", "priors file not found")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    from sim.inputs.parameters import Parameters

    base = Parameters().model_dump()
    for i, item in enumerate(data.get("priors", [])):
        try:
            p = Prior(**item)
        except TypeError as exc:
            raise InputError(path, f"priors.{i}", str(exc)) from None
        group, _, key = p.name.partition(".")
        if group not in base or key not in base[group]:
            raise InputError(path, f"priors.{i}.name", f"unknown parameter '{p.name}'")
        if not p.low < p.high or (p.scale == "log" and p.low <= 0) or p.scale not in ("linear", "log"):
            raise InputError(path, f"priors.{i}", "need low < high (and low > 0 for scale: log)")
        out.append(p)
    if not out:
        raise InputError(path, "priors", "no priors")
    return out


def overrides_for(theta: dict[str, float], base: list[str] | None = None) -> list[str]:
    from sim.inputs.parameters import Parameters

    ints = {
        f"{g}.{k}"
        for g, grp in Parameters().model_dump().items()
        for k, v in grp.items()
        if isinstance(v, int) and not isinstance(v, bool)
    }
    out = list(base or [])
    for k, v in theta.items():
        val = round(v) if k in ints else float(v)
        out.append(f"parameters.{k}={val}")
    return out


# ------------------------------------------------------------------------------------------ evaluation


def seed_errors(
    scenario: str, theta: dict[str, float], seeds: list[int], targets_path: str, use: str | None = "fit"
) -> list[list[Any]]:
    """Run the scenario with parameters ``theta`` on each of ``seeds``; one list of target errors per seed.

    Why apart from `evaluate`: history matching needs each seed's errors (the ensemble variance), ABC only
    their mean.
    """
    from sim.fit.scoring import run_errors
    from sim.inputs.geography import load_map
    from sim.inputs.loader import load_scenario
    from sim.inputs.targets import load_targets
    from sim.runs.runner import collect, release, simulate, single_threaded_numerics

    single_threaded_numerics()
    loaded = load_scenario(scenario, overrides_for(theta))
    targets = load_targets(targets_path).select(use)
    m5 = load_map(loaded.map_path).highway_km("M5")
    per_seed = []
    for s in seeds:
        model = simulate(loaded, s, progress=False)
        r = collect(model, loaded, s)
        release(model)
        per_seed.append(run_errors(r.daily, r.captures, targets, loaded.scenario.end, m5))
    return per_seed


def evaluate(
    scenario: str, theta: dict[str, float], seeds: list[int], targets_path: str, use: str | None = "fit"
) -> dict[str, Any]:
    """Run the scenario with parameters ``theta`` on ``seeds``; return mean errors and the distance."""
    from sim.fit.scoring import TargetError, distance

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
    groups = {}
    for e in mean:
        groups.setdefault(e.group, []).append(e)
    return {
        "distance": distance(mean),
        **{f"d_{g}": distance(v) for g, v in groups.items()},
        "errors": {e.id: e.error for e in mean},
    }


def _eval_star(args: tuple) -> dict[str, Any]:
    return evaluate(*args)


# ------------------------------------------------------------------------------------------ sensitivity


def run_sensitivity(args: argparse.Namespace, priors: list[Prior]) -> Path:
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
    results = _map_progress(jobs, args.workers, f"{args.method} ({len(jobs)} points)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
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
    path = ROOT / "calibration" / f"sensitivity_{args.method}.csv"
    atomic_write_csv(table, path)
    samples = pd.DataFrame(
        [{**th, **{k: r[k] for k in r if k.startswith("d")}} for th, r in zip(thetas, results, strict=True)]
    )
    atomic_write_csv(samples, out / f"{args.method}_samples.csv")
    from sim.plots.calibration_figures import sensitivity_figure

    sensitivity_figure(
        table, args.method, ROOT / "calibration" / "figures" / f"sensitivity_{args.method}.png"
    )
    print(f"{len(jobs)} points x {len(seeds)} seeds -> {path}")
    return path


def _map_progress(
    jobs: list[tuple], workers: int | None, label: str, fn: Any = _eval_star
) -> list[dict[str, Any]]:
    """``fn`` over ``jobs`` on a local process pool with a progress bar; results in the jobs' order."""
    from tqdm import tqdm

    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as ex:
        futs = [ex.submit(fn, j) for j in jobs]
        for _ in tqdm(futs, desc=label, file=sys.stderr, disable=not sys.stderr.isatty()):
            pass
        return [f.result() for f in futs]


# ------------------------------------------------------------------------------------------ ABC-SMC


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
    import pyabc
    from pyabc.sampler import DaskDistributedSampler, MulticoreEvalParallelSampler

    out = Path(args.out)
    db = out / "abc.db"
    if args.resume and not db.exists():
        raise InputError(str(db), "--resume", "no ABC database to resume; run without --resume first")
    out.mkdir(parents=True, exist_ok=True)
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
        runs = pyabc.History(url).all_runs()
        if not runs:
            raise InputError(str(db), "--resume", "the database holds no ABC run")
        history = abc.load(url, runs[-1].id)
        if history.max_t < 0:
            raise InputError(str(db), "--resume", "the ABC run has no finished generation to continue from")
        done = history.max_t + 1
        print(f"ABC-SMC: resuming run {runs[-1].id} after {done} finished generation(s)")
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
    atomic_write_csv(post, ROOT / "calibration" / "posterior.csv")
    summary = _posterior_summary(post, priors)
    atomic_write_csv(summary, ROOT / "calibration" / "posterior_summary.csv")
    eps = history.get_all_populations()
    meta = {
        "generations": int(history.max_t + 1),
        "simulations": int(history.total_nr_simulations) * seeds_per,
        # wall time of all generations, including those run before a --resume
        "seconds": round(
            float(eps["wall_time"].fillna(0).sum()) if "wall_time" in eps else time.time() - t0, 1
        ),
        "epsilons": [float(x) for x in eps["epsilon"] if np.isfinite(x)],
        "population": args.population,
        "seeds_per_particle": seeds_per,
    }
    atomic_write_text(out / "abc_meta.json", json.dumps(meta, indent=1) + "\n")
    from sim.plots.calibration_figures import posterior_figure

    point = None
    median = summary.set_index("parameter")["median"].to_dict()
    best, status = median, "ABC-SMC posterior median"
    if getattr(args, "select", 0) > 0:  # re-scored with or without --write-fit: the table is the record
        best, table, chosen = select_point(args, priors, post, median)
        atomic_write_csv(table, ROOT / "calibration" / "selection.csv")
        status = (
            f"ABC-SMC: the best of {len(table)} distinct candidates (the final population's "
            f"{args.select} highest-weight particles, its weighted median and the previously committed "
            f"parameters), re-scored on {args.select_seeds} fresh seeds against the fit targets "
            f"(calibration/selection.csv; the committed ones are replaced only by a gain beyond two "
            f"paired standard errors): {chosen}"
        )
    if args.write_fit:
        point = best
        write_fit(point, meta, status)
    if point is None:  # without --write-fit the figure still marks what the baseline runs with
        names = [p.name for p in priors]
        point = committed_point(names, scenario_values(args.scenario, names))
    posterior_figure(post, priors, ROOT / "calibration" / "figures" / "posterior.png", point)
    print(
        f"ABC-SMC: {meta['generations']} generations, {meta['simulations']} simulations, final epsilon "
        f"{meta['epsilons'][-1] if meta['epsilons'] else 'n/a'} -> {db}"
    )
    return db


def _posterior_summary(post: pd.DataFrame, priors: list[Prior]) -> pd.DataFrame:
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


INCUMBENT = "committed parameters (previous fit)"


def fit_path() -> Path:
    """The committed fit: written by ``--write-fit``, loaded by the baseline, re-scored by ``--select``."""
    return ROOT / "calibration" / "fitted_parameters.yaml"


def _committed_parameters() -> dict[str, dict[str, float]] | None:
    """The ``parameters`` groups of the committed fit, or None when nothing is committed."""
    path = fit_path()
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text()) or {}
    return {g: dict(grp) for g, grp in (data.get("parameters") or {}).items() if isinstance(grp, dict)}


def committed_point(names: list[str], current: dict[str, float]) -> dict[str, float] | None:
    """The parameters now in ``calibration/fitted_parameters.yaml`` as a selection candidate, or None.

    Why: a short ABC run that starts from the priors can end worse than the fit it would replace (the
    16-parameter run of this repository: 4.15 for its best particle, 4.01 for the previous point on the
    same 16 seeds), and a calibration should never commit a worse point by accident. Parameters the fit
    does not name take ``current``: the value the scenario runs with now (the default, for a mechanic
    new since that fit), so the incumbent is the model as committed. Until 2026-12-01 they took the
    weighted median instead, which made the "committed" candidate a new point (ABC run 10: the new
    ``strike_exposure`` at 0.278 where the committed model runs 0) and would have written it as kept."""
    committed = _committed_parameters()
    if committed is None:
        return None
    flat = {f"{g}.{k}": float(v) for g, grp in committed.items() for k, v in grp.items()}
    if not any(n in flat for n in names):
        return None
    return {n: flat.get(n, current[n]) for n in names}


def scenario_values(scenario: str | Path, names: list[str]) -> dict[str, float]:
    """What ``scenario`` runs with now (committed fit and scenario overrides applied) for ``names``."""
    from sim.inputs.loader import load_scenario

    params = load_scenario(scenario).scenario.parameters
    out = {}
    for n in names:
        group, key = n.split(".", 1)
        out[n] = float(getattr(getattr(params, group), key))
    return out


def select_point(
    args: argparse.Namespace, priors: list[Prior], post: pd.DataFrame, median: dict[str, float]
) -> tuple[dict[str, float], pd.DataFrame, str]:
    """Choose the parameter set to commit: re-score candidates of the final ABC population on fresh seeds.

    Why: with few particles the importance weights degenerate (an effective sample size near 1), so the
    "posterior median" is one particle that was scored on only ``--seeds`` seeds and may simply have been
    lucky. Re-scoring the ``--select`` highest-weight particles, the weighted median and the parameters
    already committed (``committed_point``) on ``--select-seeds`` seeds no particle was scored on (fit
    targets only: holdouts stay unseen) and keeping the lowest mean distance guards against that. Seeds
    derive from the calibration seed. The committed parameters are replaced only when the best candidate
    beats them by more than two paired standard errors (same seeds): a gain within the noise of 16 runs is
    not worth a new fit (the conditional refit of civilian flight after the second-echelon change gained
    3.86 against 4.00 with a front weight of 0.13 that left half of Ma'arrat al-Nu'man's people in the
    town the day it fell).
    """
    names = [p.name for p in priors]
    top = post.sort_values("weight", ascending=False, kind="stable").head(args.select)
    cands = [("weighted median", median)]
    incumbent = committed_point(names, scenario_values(args.scenario, names))
    if incumbent is not None:
        cands.append((INCUMBENT, incumbent))
    for i, r in top.iterrows():
        theta = {n: float(r[n]) for n in names}
        if any(theta == seen for _, seen in cands):
            continue  # with degenerate weights the weighted median is a particle: score it once
        cands.append((f"particle {i} (weight {r.weight:.3f})", theta))
    return score_candidates(args, names, cands)


def score_candidates(
    args: argparse.Namespace, names: list[str], cands: list[tuple[str, dict[str, float]]]
) -> tuple[dict[str, float], pd.DataFrame, str]:
    """Re-score labelled parameter points on ``--select-seeds`` fresh seeds (fit targets only) and pick the
    best; the committed parameters (label ``INCUMBENT``, if among them) give way only to a paired gain
    beyond two standard errors. Shared by ABC's and history matching's ``--select``."""
    has_incumbent = any(label == INCUMBENT for label, _ in cands)
    rng = np.random.default_rng(np.random.SeedSequence([int(args.seed), 0x5E1EC7]))
    seeds = [int(s) for s in rng.integers(0, 2**31, args.select_seeds)]
    jobs = [(str(args.scenario), th, [s], str(args.targets)) for _, th in cands for s in seeds]
    res = _map_progress(jobs, args.workers, f"selection ({len(cands)} x {len(seeds)} runs)")
    rows = []
    dists = {}
    for k, (label, th) in enumerate(cands):
        r = res[k * len(seeds) : (k + 1) * len(seeds)]
        d = np.array([x["distance"] for x in r])
        dists[label] = d
        rows.append(
            {
                "candidate": label,
                "mean_distance": float(d.mean()),
                "se": float(d.std(ddof=1) / np.sqrt(len(d))),
                **{g: float(np.mean([x[g] for x in r])) for g in r[0] if g.startswith("d_")},
                **th,
            }
        )
    table = pd.DataFrame(rows).sort_values("mean_distance", kind="stable").reset_index(drop=True)
    if has_incumbent:
        diffs = [dists[INCUMBENT] - dists[c] for c in table["candidate"]]  # same seeds: paired
        table["paired_gain_vs_committed"] = [float(x.mean()) for x in diffs]
        table["paired_se"] = [float(x.std(ddof=1) / np.sqrt(len(x))) for x in diffs]
    best = table.iloc[0]
    if has_incumbent and best["candidate"] != INCUMBENT:
        gain, se = best["paired_gain_vs_committed"], best["paired_se"]
        if not gain > 2.0 * se:
            print(f"{best['candidate']} gains {gain:.3f} ± {se:.3f} (paired): within the noise, fit kept")
            best = table[table["candidate"] == INCUMBENT].iloc[0]
    print(f"selected {best['candidate']}: mean distance {best['mean_distance']:.3f} on {len(seeds)} seeds")
    return {n: float(best[n]) for n in names}, table, str(best["candidate"])


def write_fit(
    point: dict[str, float],
    meta: dict[str, Any],
    status: str = "ABC-SMC posterior median",
    method: str = "abc",
) -> Path:
    """Write ``point`` to ``calibration/fitted_parameters.yaml``, keeping committed values it does not name.

    Why: after a change to one mechanic, refitting only the parameters it touches (a priors file with a
    subset) costs a fraction of a full calibration and has a far better-conditioned posterior, but it is
    conditional on the other committed values, which must survive. ``meta`` records which were fitted now
    and which were kept."""
    from sim.inputs.parameters import Parameters

    ints = {
        f"{g}.{k}"
        for g, grp in Parameters().model_dump().items()
        for k, v in grp.items()
        if isinstance(v, int) and not isinstance(v, bool)
    }
    path = fit_path()
    # a calibration of some parameters only (a priors file that names a subset) is conditional on the
    # committed values of the others: they are kept, not dropped back to the defaults
    params = _committed_parameters() or {}
    for name, value in point.items():
        group, key = name.split(".", 1)
        val = round(value) if name in ints else round(float(value), 5)
        params.setdefault(group, {})[key] = val
    kept = sorted(f"{g}.{k}" for g, grp in params.items() for k in grp if f"{g}.{k}" not in point)
    data = {
        "meta": {
            "status": f"{status} (idlib-sim calibrate --method {method})",
            "date": dt.datetime.now(dt.UTC).date().isoformat(),
            **meta,
            "in_priors": sorted(point),
            "not_in_priors_kept": kept,
        },
        "parameters": params,
    }
    atomic_write_yaml(data, path)
    return path


def cmd_calibrate(args: argparse.Namespace) -> int:
    if args.method == "history-matching":  # numpy and scipy only: no extra needed
        from sim.fit.history_matching import run_history_matching
        from sim.inputs.loader import load_scenario

        priors = load_priors(args.priors)
        load_scenario(args.scenario)
        run_history_matching(args, priors)
        return 0
    try:
        import pyabc  # noqa: F401
        import SALib  # noqa: F401
    except ImportError:
        raise InputError(
            "calibrate", "", "needs the 'calibrate' extra: pip install -e '.[calibrate]'"
        ) from None
    priors = load_priors(args.priors)
    from sim.inputs.loader import load_scenario

    load_scenario(args.scenario)  # fail fast on a bad scenario
    if args.method == "abc":
        run_abc(args, priors)
    else:
        run_sensitivity(args, priors)
    return 0
