"""History matching: which parts of the prior box the fit targets do not rule out, wave by wave.

    idlib-sim calibrate --method history-matching --priors calibration/priors_history_matching.yaml \\
        --seeds 3 --waves 3 [--order 3]

The step before ABC (Vernon et al. 2010; Andrianakis et al. 2015; McCulloch et al. 2022): rule out the
parts of the parameter space that cannot match history, cheaply, before fitting inside what is left. Each
wave runs a Latin hypercube of parameter points, each on the same ``--seeds`` seeds, and scores every fit
target at every point by its implausibility (``implausibility``: the measure, the cut and why it takes the
median). The next wave samples the box that holds the points not ruled out yet (NROY), widened by ``PAD``,
so the waves show how far the targets narrow each parameter.

What this says that ABC does not: a target that no point of the first wave matches (every point's
implausibility at or above the cutoff) cannot be reached by any setting of the fitted parameters in their
prior ranges, i.e. within this design of experiments it is a gap in the mechanics, not in the calibration.
Those targets are listed and left out of the NROY cut (otherwise a single structural miss empties the space
and says nothing about the other targets).

No emulator: a run is cheap enough that the ensemble of R runs at each point is affordable, and its median
and spread are what the measure needs. Holdout targets are never read (``select('fit')``).

Reproducible: the points come from ``scipy.stats.qmc.LatinHypercube`` seeded from ``--seed`` and the wave
number, and every point of a wave runs the same seeds (common random numbers), derived the same way. Each
wave's results are written atomically when the wave ends (under ``OUT/runs/history_matching``);
``--resume`` continues after the last complete wave (an interrupted run loses at most the wave in
progress), and with another cut scores the stored first wave again without re-running it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv, atomic_write_text
from sim.fit.implausibility import PAD, best_points, parse_discrepancy
from sim.fit.priors import Prior
from sim.fit.selection import (
    INCUMBENT,
    committed_file,
    incumbent_point,
    kept_committed,
    score_candidates,
    write_fit,
)
from sim.fit.waves import WaveData, score_wave, simulate_wave, stored_wave
from sim.inputs.errors import InputError
from sim.plots.calibration_figures import history_matching_figure

# the settings that change the simulations; the others (cut-off, order, discrepancy) change only the cut
SIM_KEYS = ("scenario", "targets", "priors", "points", "seeds_per_point", "seed", "pad")


def run_config(args: argparse.Namespace, priors: list[Prior], disc: dict[str, float]) -> dict[str, Any]:
    """The settings of a run, as stored in summary.json (and hashed to decide what ``--resume`` may reuse)."""
    return {
        "scenario": str(args.scenario),
        "targets": str(args.targets),
        "priors": [[p.name, p.low, p.high, p.scale] for p in priors],
        "points": int(args.points),
        "seeds_per_point": int(args.seeds),
        "seed": int(args.seed),
        "pad": PAD,
        "cutoff": float(args.cutoff),
        "order": int(args.order),
        "discrepancy": disc,
    }


def config_key(config: dict[str, Any], keys: tuple[str, ...] | None = None) -> str:
    """A short hash of ``config`` (of its ``keys`` only, if given)."""
    part = {k: v for k, v in config.items() if keys is None or k in keys}
    return hashlib.sha256(json.dumps(part, sort_keys=True).encode()).hexdigest()[:16]


def run_history_matching(args: argparse.Namespace, priors: list[Prior]) -> Path:
    """Run (or resume) the waves; write points.csv, targets.csv, summary.json and history_matching.png
    under ``OUT/runs/history_matching``.

    ``--resume`` with the same simulation settings continues after the last complete wave. With another
    cut (``--cutoff``, ``--order``, ``--discrepancy``) it scores the first wave again from its stored
    errors, without re-running it, and samples the later waves afresh (theirs came from the old cut).
    """
    disc = parse_discrepancy(getattr(args, "discrepancy", None))
    if args.points is None:
        args.points = 10 * len(priors)  # 10 x D (McCulloch et al. 2022: 10-20 x D a wave)
    if args.points < 2 or args.waves < 1 or args.seeds < 1 or args.order < 1:
        raise InputError(
            "calibrate", "--points/--waves/--seeds/--order", "need at least 2 points, 1 wave, 1 seed, order 1"
        )
    cfg = run_config(args, priors, disc)
    out = Path(args.out) / "runs" / "history_matching"
    summary_path = out / "summary.json"
    names = [p.name for p in priors]
    stored: list[WaveData] = []
    if args.resume:
        if not summary_path.exists():
            raise InputError(str(summary_path), "--resume", "no history-matching run to resume")
        prev = json.loads(summary_path.read_text())
        if prev.get("sim_key") != config_key(cfg, SIM_KEYS):
            raise InputError(
                str(summary_path), "--resume", "the run there has other settings; run without --resume"
            )
        points, targets = pd.read_csv(out / "points.csv"), pd.read_csv(out / "targets.csv")
        stored = [stored_wave(points, targets, w["wave"], names, w["seeds"]) for w in prev["waves"]]
        if prev.get("cut_key") != config_key(cfg):
            print(
                "another cut than the stored run's: wave 1 is scored again from its errors"
                + (f"; waves 2-{len(stored)} are sampled afresh" if len(stored) > 1 else "")
            )
            stored = stored[:1]
    out.mkdir(parents=True, exist_ok=True)
    point_rows: list[dict[str, Any]] = []
    target_rows: list[dict[str, Any]] = []
    waves: list[dict[str, Any]] = []
    excluded: list[str] | None = None
    box: tuple | None = (np.zeros(len(priors)), np.ones(len(priors)))
    ids: list[str] = []
    for w in range(1, args.waves + 1):
        if box is None:
            print("no point is left: the waves stop here")
            break
        fresh = w > len(stored)
        d = simulate_wave(args, priors, w, *box) if fresh else stored[w - 1]
        pr, tr, summ, excluded, box = score_wave(d, cfg, excluded, priors, box)
        point_rows += pr
        target_rows += tr
        waves.append(summ)
        ids = d.ids
        if fresh or w == len(stored):
            atomic_write_csv(pd.DataFrame(point_rows), out / "points.csv")
            atomic_write_csv(pd.DataFrame(target_rows), out / "targets.csv")
            summary = {
                "sim_key": config_key(cfg, SIM_KEYS),
                "cut_key": config_key(cfg),
                "config": cfg,
                "priors_file": str(args.priors),
                "parameters": names,
                "fit_targets": ids,
                "fit_groups": d.groups,
                "excluded_targets": excluded,
                "waves": waves,
            }
            atomic_write_text(summary_path, json.dumps(summary, indent=1) + "\n")
        print(
            f"wave {w}{'' if fresh else ' (stored)'}: {summ['points']} points x {len(d.seeds)} seeds, "
            f"NROY {summ['nroy']} ({summ['nroy_share']:.0%}); targets no point matches: "
            f"{', '.join(excluded) or 'none'}"
        )
    if getattr(args, "select", 0) > 0:
        select(args, names, cfg, out, pd.DataFrame(point_rows), waves, excluded or [])
    history_matching_figure(
        json.loads(summary_path.read_text()), pd.read_csv(out / "targets.csv"), out / "history_matching.png"
    )
    return summary_path


def select(
    args: argparse.Namespace,
    names: list[str],
    cfg: dict[str, Any],
    out: Path,
    points: pd.DataFrame,
    waves: list[dict[str, Any]],
    excluded: list[str],
) -> None:
    """``--select K``: re-score the K points closest to not ruled out (``best_points``) and the committed
    parameters on the selection seeds, by the rule ABC's ``--select`` uses (``selection``); write the table
    to ``out/selection.csv``, and with ``--write-fit`` commit the winner unless it is the incumbent."""
    best = best_points(points, pd.read_csv(out / "targets.csv"), excluded, cfg["order"], args.select)
    cands = [
        (f"wave {int(r.wave)} point {int(r.point)}", {n: float(r[n]) for n in names})
        for _, r in best.iterrows()
    ]
    incumbent = incumbent_point(args.scenario, names)
    if incumbent is not None:
        cands.insert(0, (INCUMBENT, incumbent))
    point, table, chosen = score_candidates(args, names, cands)
    atomic_write_csv(table, out / "selection.csv")
    if args.write_fit and not kept_committed(chosen, Path(args.out)):
        meta = {
            "waves": len(waves),
            "simulations": int(sum(w["simulations"] for w in waves)),
            "points_per_wave": cfg["points"],
            "seeds_per_point": cfg["seeds_per_point"],
            "cutoff": cfg["cutoff"],
            "order": cfg["order"],
        }
        status = (
            f"history matching: the best of {len(cands)} candidates ({args.select} points closest to not "
            f"ruled out and the previously committed parameters), re-scored on {args.select_seeds} fresh "
            f"seeds against the fit targets ({out / 'selection.csv'}; the committed ones are "
            f"replaced only by a gain beyond two paired standard errors): {chosen}"
        )
        committed = committed_file(args.scenario)
        write_fit(point, meta, Path(args.out), committed, status, method="history-matching")
