"""The numbers given on the command line or to the Python API: seeds, run counts, workers, cohort sizes.

Why here: ``idlib-sim run --seed -1`` and ``run_scenario(seed=-1)`` are the same mistake and must get the
same answer, one line and `InputError` rather than numpy's ``ValueError`` from deep inside a run, or a
process pool's. `check_int` is the one check; `cli_int` wraps it as an ``argparse`` ``type=``, whose error
the command line prints as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import math
import numbers
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.inputs.errors import InputError, shorten

MAX_SEED = 2**63 - 1  # numpy's and Mesa's generators take any non-negative integer; this is int64's range
MAX_RUNS = 100_000  # an ensemble of 100,000 runs takes months on a workstation
MAX_WORKERS = 1_024  # local processes; more would only thrash
MAX_COHORT = 100_000  # as in the schema's civilians.cohort_size

LIMITS: dict[str, tuple[int, int]] = {
    "seed": (0, MAX_SEED),
    "runs": (1, MAX_RUNS),
    "workers": (1, MAX_WORKERS),
    "cohort_size": (1, MAX_COHORT),
    # calibrate's counts: a zero or negative count failed deep inside pyabc or a division, after the
    # run's folder was made
    "budget": (1, 10_000_000),
    "population": (2, 100_000),  # ABC-SMC needs at least two particles to weight
    "generations": (0, 1_000),  # 0: with --resume, only rewrite the posterior files
    "seeds_per_point": (1, 1_000),
    "select": (0, 10_000),
    "select_seeds": (2, 10_000),  # a paired standard error needs two seeds
    "points": (1, 1_000_000),
    "waves": (1, 1_000),
    "order": (1, 1_000),
}


def check_int(value: Any, name: str, label: str | None = None) -> int:
    """``value`` as an int within ``LIMITS[name]``; `InputError` naming ``label`` (default ``name``)
    otherwise. Booleans and floats are refused: ``n=2.5`` or ``seed=True`` is a mistake, not a number."""
    lo, hi = LIMITS[name]
    label = label or name
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(label, "", f"expected a whole number, found {shorten(repr(value), 40)}")
    if not lo <= int(value) <= hi:
        raise InputError(label, "", f"must be from {lo:,} to {hi:,}, found {shorten(str(value), 40)}")
    return int(value)


def check_optional_int(value: Any, name: str, label: str | None = None) -> int | None:
    return None if value is None else check_int(value, name, label)


def check_overrides(overrides: Any) -> list[str]:
    """``--set`` assignments from the API: a list of ``'KEY=VALUE'`` strings (a single string was read one
    character at a time)."""
    if overrides is None:
        return []
    if isinstance(overrides, str) or not isinstance(overrides, list | tuple):
        raise InputError(
            "overrides", "", f"expected a list of 'KEY=VALUE' strings, found {type(overrides).__name__}"
        )
    for item in overrides:
        if not isinstance(item, str):
            raise InputError("overrides", "", f"expected 'KEY=VALUE' strings, found {type(item).__name__}")
    return list(overrides)


def check_output(out: Any, label: str = "--out") -> Path:
    """An output folder that can be made: checked before a run, not found out after it (a file in the way,
    or a folder that cannot be written, failed only when the finished run was being written)."""
    if not isinstance(out, str | os.PathLike):
        raise InputError(label, "", f"expected a folder name, found {type(out).__name__}")
    path = Path(out)
    try:
        existing = next(p for p in (path, *path.parents) if p.exists())
    except (OSError, ValueError) as exc:
        raise InputError(label, "", f"cannot use {shorten(str(path), 200)}: {exc}") from None
    if not existing.is_dir():
        raise InputError(label, "", f"{shorten(str(existing), 200)} is a file, not a folder")
    try:  # a real probe: permissions, read-only and special file systems alike
        os.rmdir(tempfile.mkdtemp(prefix=".idlib-sim-probe-", dir=existing))
    except OSError as exc:
        raise InputError(
            label, "", f"cannot write in {shorten(str(existing), 200)}: {exc.strerror}"
        ) from None
    return path


def cli_int(name: str) -> Callable[[str], int]:
    """An ``argparse`` ``type=`` for a whole number within ``LIMITS[name]``."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number, found {shorten(repr(text), 40)}"
            ) from None
        try:
            return check_int(value, name)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    parse.__name__ = name  # argparse names the type in some messages
    return parse


def cli_positive_float(text: str) -> float:
    """An ``argparse`` ``type=`` for a finite number above zero (history matching's ``--cutoff``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, found {shorten(repr(text), 40)}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, found {shorten(text, 40)}")
    return value
