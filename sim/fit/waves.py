"""One wave of history matching: its simulations, the same read back from its files, and its scoring.

A wave runs a Latin hypercube of points inside the current box, every point on the same seeds (common
random numbers), and keeps per point and target only the median error over the seeds, its spread and the
share of seeds that never produced the event (``WaveData``): all that the implausibility needs, so a stored
wave can be scored again under another cut without re-running it. Scoring applies the cut
(``implausibility``) and gives the rows of ``points.csv`` and ``targets.csv``, the wave's summary and the
box the next wave samples.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.fit.evaluation import Job, map_progress, seed_errors
from sim.fit.implausibility import (
    capture_bar,
    centre_and_spread,
    descending,
    implausibility_from_moments,
    latin_hypercube,
    nroy_box,
    wave_seeds,
)
from sim.fit.priors import Prior
from sim.inputs.errors import InputError


@dataclass
class WaveData:
    """What one wave's simulations gave: enough to score it again under another cut, without re-running."""

    wave: int
    unit: np.ndarray  # (points, parameters), unit coordinates of the priors
    thetas: list[dict[str, float]]
    seeds: list[int]
    ids: list[str]
    groups: list[str]
    obs_sd: np.ndarray  # (targets,)
    median: np.ndarray  # (points, targets): median error over the seeds
    spread: np.ndarray  # (points, targets): sd of the errors of the seeds that produced it
    never: np.ndarray  # (points, targets): share of seeds that never produced it
    capture_median: np.ndarray  # (points,)
    within_10: np.ndarray  # (points,)


def point_errors(job: Job) -> dict[str, Any]:
    """A point's errors per seed and target (``seed_errors`` of one job), as plain lists for the pool."""
    per_seed = seed_errors(*job)
    first = per_seed[0]
    return {
        "ids": [e.id for e in first],
        "groups": [e.group for e in first],
        "scales": [e.scale for e in first],
        "errors": [[e.error for e in ps] for ps in per_seed],
        "censored": [[e.censored for e in ps] for ps in per_seed],
    }


def simulate_wave(
    args: argparse.Namespace, priors: list[Prior], wave: int, lo: np.ndarray, hi: np.ndarray
) -> WaveData:
    """Run wave ``wave``: ``args.points`` Latin-hypercube points in the box ``lo``-``hi``, each on the wave's
    ``args.seeds`` seeds."""
    unit = lo + latin_hypercube(len(priors), args.points, args.seed, wave) * (hi - lo)
    seeds = wave_seeds(args.seed, wave, args.seeds)
    thetas = [{p.name: p.from_unit(u) for p, u in zip(priors, row, strict=True)} for row in unit]
    jobs = [(str(args.scenario), th, seeds, str(args.targets)) for th in thetas]
    res = map_progress(jobs, args.workers, f"history matching wave {wave} ({len(jobs)} points)", point_errors)
    groups = res[0]["groups"]
    errors = np.array([r["errors"] for r in res], dtype=float)  # (points, seeds, targets)
    censored = np.array([r["censored"] for r in res], dtype=bool)
    cap_med, within = capture_bar(errors, np.array([g == "capture" for g in groups]))
    median, spread = centre_and_spread(errors, censored)
    return WaveData(
        wave,
        unit,
        thetas,
        seeds,
        res[0]["ids"],
        groups,
        np.array(res[0]["scales"], dtype=float),
        median,
        spread,
        censored.mean(axis=1),
        cap_med,
        within,
    )


def stored_wave(
    points: pd.DataFrame, targets: pd.DataFrame, wave: int, names: list[str], seeds: list[int]
) -> WaveData:
    """Wave ``wave`` read back from the tables of ``points.csv`` and ``targets.csv``."""
    pts = points[points["wave"] == wave].sort_values("point")
    tg = targets[targets["wave"] == wave]
    ids = list(dict.fromkeys(tg["target"]))
    first = tg.drop_duplicates("target").set_index("target").loc[ids]

    def wide(col: str) -> np.ndarray:
        return tg.pivot(index="point", columns="target", values=col).loc[pts["point"], ids].to_numpy(float)

    return WaveData(
        wave,
        pts[[f"u_{n}" for n in names]].to_numpy(float),
        [{n: float(r[n]) for n in names} for _, r in pts.iterrows()],
        seeds,
        ids,
        list(first["group"]),
        first["obs_sd"].to_numpy(float),
        wide("error_median"),
        wide("error_spread"),
        wide("share_never"),
        pts["capture_median_days"].to_numpy(float),
        pts["captures_within_10_days"].to_numpy(int),
    )


def score_wave(
    d: WaveData,
    cfg: dict[str, Any],
    excluded: list[str] | None,
    priors: list[Prior],
    box: tuple[np.ndarray, np.ndarray],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], list[str], tuple | None]:
    """Implausibility, the NROY cut and the next box of one wave; rows for points.csv and targets.csv.

    ``excluded`` is None for the first wave: the targets no point of it matches (minimum implausibility
    at or above the cut-off) are then fixed as excluded for every wave. Returns the point rows, the target
    rows, the wave's summary, the excluded targets and the next box (None when no point is left).
    """
    cutoff, disc = cfg["cutoff"], cfg["discrepancy"]
    disc_sd = np.array([disc.get(g, 0.0) for g in d.groups])
    imp = implausibility_from_moments(d.median, d.spread, len(d.seeds), d.obs_sd, disc_sd)
    if excluded is None:  # fixed after the first wave, over the whole prior box
        excluded = [t for t, m in zip(d.ids, imp.min(axis=0), strict=True) if m >= cutoff]
    use = np.array([t not in excluded for t in d.ids])
    if not use.any():
        raise InputError("calibrate", "--cutoff", "no target is matched by any point of the first wave")
    ranked = descending(imp[:, use])
    nroy = ranked[:, min(cfg["order"], int(use.sum())) - 1] < cutoff
    names = [p.name for p in priors]
    point_rows, target_rows = [], []
    for i in range(len(d.unit)):
        row: dict[str, Any] = {"wave": d.wave, "point": i}
        row |= {f"u_{n}": float(u) for n, u in zip(names, d.unit[i], strict=True)}
        row |= {n: d.thetas[i][n] for n in names}
        row |= {f"I_{k + 1}": float(ranked[i, k]) for k in range(min(3, ranked.shape[1]))}
        row |= {
            "nroy": bool(nroy[i]),
            "capture_median_days": float(d.capture_median[i]),
            "captures_within_10_days": int(d.within_10[i]),
        }
        point_rows.append(row)
        for j, t in enumerate(d.ids):
            target_rows.append(
                {
                    "wave": d.wave,
                    "point": i,
                    "target": t,
                    "group": d.groups[j],
                    "error_median": float(d.median[i, j]),
                    "error_spread": float(d.spread[i, j]),
                    "obs_sd": float(d.obs_sd[j]),
                    "disc_sd": float(disc_sd[j]),
                    "implausibility": float(imp[i, j]),
                    "share_never": float(d.never[i, j]),
                }
            )
    nxt = nroy_box(d.unit, nroy)
    summary = {
        "wave": d.wave,
        "points": len(d.unit),
        "seeds": d.seeds,
        "simulations": len(d.unit) * len(d.seeds),
        "box": [box[0].tolist(), box[1].tolist()],
        "nroy": int(nroy.sum()),
        "nroy_share": float(nroy.mean()),
        "next_box": None if nxt is None else [nxt[0].tolist(), nxt[1].tolist()],
        "next_box_parameters": None
        if nxt is None
        else {
            p.name: [p.from_unit(float(a)), p.from_unit(float(b))]
            for p, a, b in zip(priors, nxt[0], nxt[1], strict=True)
        },
        "best_capture_median_days": float(d.capture_median.min()),
        "best_captures_within_10_days": int(d.within_10.max()),
        "targets": {
            t: {
                "min_implausibility": float(imp[:, j].min()),
                "median_implausibility": float(np.median(imp[:, j])),
                "share_below_cutoff": float((imp[:, j] < cutoff).mean()),
                "best_point": int(np.argmin(imp[:, j])),
            }
            for j, t in enumerate(d.ids)
        },
    }
    return point_rows, target_rows, summary, excluded, nxt
