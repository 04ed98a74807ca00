"""``idlib-sim calibrate``: fit the parameters of a priors file to the fit targets, by ``--method``.

    idlib-sim calibrate --method morris --budget 300        # which parameters matter (sensitivity)
    idlib-sim calibrate --method abc --budget 3000 --write-fit --select 8
    idlib-sim calibrate --method history-matching --priors calibration/priors_history_matching.yaml

``abc``, ``morris`` and ``sobol`` need the ``calibrate`` extra (``pip install -e '.[calibrate]'``: pyabc and
SALib); history matching needs numpy and scipy only. Priors are in ``calibration/priors.yaml`` (``priors``).
A point is scored against the fit targets only (``Targets.select('fit')``): holdout targets are never read.

Everything a calibration writes goes under ``--out`` (default ``calibration``): the posterior, selection
and sensitivity tables, their figures (``OUT/figures``) and, with ``--write-fit``, the chosen point as
``OUT/fitted_parameters.yaml``; the record of the runs (pyabc's database, the history-matching waves, the
sensitivity samples) under ``OUT/runs``. The committed fit the selection re-scores is the one the scenario
runs with (its ``parameters_file``), so with the defaults a new fit replaces the file the baseline loads.
"""

from __future__ import annotations

import argparse

from sim.fit.abc_smc import run_abc
from sim.fit.history_matching import run_history_matching
from sim.fit.priors import load_priors
from sim.fit.sensitivity import run_sensitivity
from sim.inputs.errors import InputError
from sim.inputs.loader import load_scenario


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Check the inputs (and the extra, for the methods that need it), then run ``args.method``."""
    if args.method == "history-matching":  # numpy and scipy only: no extra needed
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
    load_scenario(args.scenario)  # fail fast on a bad scenario
    if args.method == "abc":
        run_abc(args, priors)
    else:
        run_sensitivity(args, priors)
    return 0
