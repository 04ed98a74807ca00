"""One run of a comparison, in a worker process: the same run as ``idlib-sim run`` and ensemble members.

Kept apart from the page and its figures so that a spawned worker imports only what a run needs.
"""

from __future__ import annotations

import signal
from pathlib import Path

import numpy as np
import pandas as pd

from sim.inputs.loader import load_scenario
from sim.runs.runner import collect, release, simulate, single_threaded_numerics


def quiet_interrupt() -> None:
    """Worker initializer: Ctrl-C stops the server, which stops its workers; they print nothing of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def one_run(path: str, sets: list[str], seed: int) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """daily.csv and captures.csv of the run of ``path`` with ``sets`` and ``seed``, and its controller
    codes per day and settlement."""
    single_threaded_numerics()
    loaded = load_scenario(Path(path), sets)
    model = simulate(loaded, seed, progress=False)
    result = collect(model, loaded, seed)
    controller = np.asarray(model.controller_history, dtype=np.int8)
    release(model)
    return result.daily, result.captures, controller
