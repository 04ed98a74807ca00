"""Figures drawn in worker processes that get ready while the model runs.

Why: a run's figures cost more than the run itself (importing matplotlib, laying out charts, the maps'
base), and a run uses one core. ``FigureWorkers`` forks its processes before the model starts, so that
importing the plotting modules happens on the other cores during the run; when the run is done its figure
jobs (``sim.plots.run_figures.figure_jobs``) are shared out, the longest first. Where forking is not
available (Windows, macOS's default), there is a single core, the cores are busy or the caller runs
threads, ``figure_workers`` yields ``None`` and the figures are drawn in the calling process, with the same
result (the same code draws the same pixels either way).

This module imports nothing heavy: the runner imports it for every run, ensemble workers included.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any


def _warm_up() -> None:
    """Worker initializer: leave Ctrl-C to the run (which then stops the pool) rather than print each
    worker's traceback; import the plotting modules (most of a figure job's cost when done cold)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import sim.plots.run_figures  # noqa: F401


def _ready() -> bool:
    return True


class FigureWorkers:
    """A pool of forked processes that draw figure jobs ``(function, arguments)``."""

    def __init__(self, processes: int) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("fork"), initializer=_warm_up
        )
        self.pool.submit(_ready)  # a forking pool starts all its processes at the first job

    def draw(self, jobs: Sequence[tuple[Any, tuple[Any, ...]]]) -> list[Path]:
        """Run the jobs (each returns a path, a list of paths or None) and return every path, in the order
        of the jobs; a job that fails raises here."""
        from sim.plots.run_figures import run_job

        futures: list[Future[list[Path]]] = [self.pool.submit(run_job, job) for job in jobs]
        return [p for f in futures for p in f.result()]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def others_running() -> float:
    """How many other processes are running on the machine now (Linux: the runnable count of
    /proc/loadavg, less this one); elsewhere the 1-minute load average. Why not the load average on Linux:
    it remembers the last minute, so a user's own previous runs would count as busy cores."""
    try:
        running = Path("/proc/loadavg").read_text().split()[3].split("/")[0]
        return max(int(running) - 1, 0)
    except (OSError, IndexError, ValueError):
        return os.getloadavg()[0]


def usable_processes() -> int:
    """How many figure workers to start: two when forking is safe and a core is free, else none.

    None without fork, from a process that runs threads (a notebook's kernel, a web server: a forked copy
    of a threaded process can deadlock), with one core, or when the other cores are busy: then workers
    importing matplotlib slow the run down rather than overlap with it, and drawing in this process is
    faster. Two, not more: a run has a few long figure jobs."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or others_running() > cores - 1.5:
        return 0
    return 2


@contextlib.contextmanager
def figure_workers(enabled: bool = True) -> Iterator[FigureWorkers | None]:
    """Workers for a run's figures, started now (before the run), or ``None`` to draw in this process."""
    processes = usable_processes() if enabled else 0
    if processes == 0:
        yield None
        return
    workers = FigureWorkers(processes)
    try:
        yield workers
    finally:
        workers.close()
