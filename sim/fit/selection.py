"""Choosing the parameter point to commit, shared by ABC-SMC and history matching (``--select``).

The rule: each method offers labelled candidates (ABC its highest-weight particles and weighted median,
history matching its points closest to not ruled out), and the incumbent (``INCUMBENT``: the committed
fit, re-read from the scenario's ``parameters_file``) joins them. Every candidate runs on the same
``--select-seeds`` fresh seeds (derived from the calibration seed, none used to score a particle or a
point), fit targets only, and the lowest mean distance wins, except that the incumbent gives way only to a
paired gain beyond two standard errors:

    g_s = d_incumbent(s) - d_candidate(s)  on each seed s,   replace iff  mean(g) > 2 * sd(g) / sqrt(n)

Why: a method's best point was scored on few seeds and may have been lucky; fresh seeds remove the luck,
and the pairing (same seeds) removes the seed noise both share. A gain within the noise is not worth a new
fit: it would replace a model whose behaviour has been checked by one that merely scored a little better
on one set of seeds. A calibration must never commit a worse point by accident.

``write_fit`` writes the chosen point as ``fitted_parameters.yaml`` in the calibration's output directory;
with the default output directory that is the file the baseline loads.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.files import atomic_write_yaml
from sim.fit.evaluation import map_progress
from sim.fit.priors import integer_parameters
from sim.inputs.loader import load_scenario

INCUMBENT = "committed parameters (previous fit)"
FIT_FILE = "fitted_parameters.yaml"  # the name ``write_fit`` gives the fit in the output directory


def committed_file(scenario: str | Path) -> Path | None:
    """The committed fit ``scenario`` runs with: its ``parameters_file`` (None when it names none)."""
    pfile = load_scenario(scenario).scenario.parameters_file
    return Path(pfile) if pfile else None


def committed_parameters(path: Path | None) -> dict[str, dict[str, float]] | None:
    """The ``parameters`` groups of the fit in ``path``, or None when there is no such file."""
    if path is None or not path.exists():
        return None
    data = yaml.safe_load(path.read_text()) or {}
    return {g: dict(grp) for g, grp in (data.get("parameters") or {}).items() if isinstance(grp, dict)}


def committed_point(
    names: list[str], current: dict[str, float], path: Path | None
) -> dict[str, float] | None:
    """The parameters of the committed fit in ``path`` as a selection candidate, or None.

    Parameters the fit does not name take ``current``: the value the scenario runs with now (the default,
    for a mechanic new since that fit), so the incumbent is the model as committed. Taking anything else
    for them, e.g. the new posterior's median, would make the "committed" candidate a new point, which
    could then be written as if it had been kept.
    """
    committed = committed_parameters(path)
    if committed is None:
        return None
    flat = {f"{g}.{k}": float(v) for g, grp in committed.items() for k, v in grp.items()}
    if not any(n in flat for n in names):
        return None
    return {n: flat.get(n, current[n]) for n in names}


def scenario_values(scenario: str | Path, names: list[str]) -> dict[str, float]:
    """What ``scenario`` runs with now (committed fit and scenario overrides applied) for ``names``."""
    params = load_scenario(scenario).scenario.parameters
    out = {}
    for n in names:
        group, key = n.split(".", 1)
        out[n] = float(getattr(getattr(params, group), key))
    return out


def incumbent_point(scenario: str | Path, names: list[str]) -> dict[str, float] | None:
    """The committed fit of ``scenario`` over ``names`` (``committed_point``), or None."""
    return committed_point(names, scenario_values(scenario, names), committed_file(scenario))


def selection_seeds(seed: int, n: int) -> list[int]:
    """The fresh seeds every candidate runs on, derived from the calibration seed."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5E1EC7]))
    return [int(s) for s in rng.integers(0, 2**31, n)]


def score_candidates(
    args: argparse.Namespace, names: list[str], cands: list[tuple[str, dict[str, float]]]
) -> tuple[dict[str, float], pd.DataFrame, str]:
    """Re-score labelled parameter points on ``--select-seeds`` fresh seeds (fit targets only) and pick the
    best by the rule of this module; returns the chosen point, the table of all candidates (best first)
    and the chosen label."""
    has_incumbent = any(label == INCUMBENT for label, _ in cands)
    seeds = selection_seeds(args.seed, args.select_seeds)
    jobs = [(str(args.scenario), th, [s], str(args.targets)) for _, th in cands for s in seeds]
    res = map_progress(jobs, args.workers, f"selection ({len(cands)} x {len(seeds)} runs)")
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


def kept_committed(chosen: str | None, out: Path) -> bool:
    """Whether ``--select`` kept the committed parameters (``chosen`` is ``INCUMBENT``; None without
    ``--select``); if so, says that ``--write-fit`` writes nothing to ``out``."""
    if chosen != INCUMBENT:
        return False
    print(f"the committed parameters are kept: {out / FIT_FILE} is not written")
    return True


def write_fit(
    point: dict[str, float],
    meta: dict[str, Any],
    out: Path,
    committed: Path | None,
    status: str = "ABC-SMC posterior median",
    method: str = "abc",
) -> Path:
    """Write ``point`` to ``out/fitted_parameters.yaml``, keeping the values of the committed fit (the file
    ``committed``) that it does not name.

    Why: after a change to one mechanic, refitting only the parameters it touches (a priors file with a
    subset) costs a fraction of a full calibration and has a far better-conditioned posterior, but it is
    conditional on the other committed values, which must survive rather than drop back to the defaults.
    ``meta`` records which were fitted now and which were kept."""
    ints = integer_parameters()
    path = out / FIT_FILE
    params = committed_parameters(committed) or {}
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
