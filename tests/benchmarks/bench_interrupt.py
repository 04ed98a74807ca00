"""Seconds an ensemble takes to stop after SIGINT, and what it leaves behind.

    python tests/benchmarks/bench_interrupt.py [--mode group|parent|ignored] [--root DIR]

Starts ``idlib-sim ensemble scenarios/baseline.yaml -n 8 --workers 2 --no-figures`` in its own session, waits
for its first finished run, then sends SIGINT: to the whole process group (``group``: a terminal's Ctrl-C),
to the parent alone (``parent``: a script's ``kill -INT``), or to the parent started with SIGINT ignored
(``ignored``: as a shell starts a background job). Prints the exit code, the seconds from SIGINT to exit,
the processes of the group still running (zombies aside) and the runs finished. ``--root`` runs the code of
another checkout (e.g. an older commit unpacked with ``git archive``) to compare.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the test module's helper is imported from the checkout

from tests.test_interrupt import alive_in_group as alive  # noqa: E402  (after the path is set)


def measure(root: Path, out: Path, mode: str) -> str:
    cmd = [sys.executable, "-m", "sim", "ensemble", str(root / "scenarios" / "baseline.yaml"), "-n", "8"]
    cmd += ["--workers", "2", "--out", str(out), "--no-figures"]
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if mode == "ignored" else None
    proc = subprocess.Popen(
        cmd,
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(root)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=ignore,
    )
    while not list(out.glob("runs/run_*/done.json")) and proc.poll() is None:
        time.sleep(0.05)
    start = time.time()
    (os.killpg if mode == "group" else os.kill)(proc.pid, signal.SIGINT)
    try:
        code: object = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        code = "still running after 120 s"
    took = time.time() - start
    time.sleep(1.0)
    left = alive(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    done = len(list(out.glob("runs/run_*/done.json")))
    return (
        f"{mode}: exit {code}, {took:.2f} s after SIGINT; {len(left)} processes left 1 s later; {done} runs"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--mode", choices=["group", "parent", "ignored"], nargs="+", default=["group", "parent", "ignored"]
    )
    ap.add_argument("--root", type=Path, default=ROOT)
    a = ap.parse_args()
    for m in a.mode:
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(a.root.resolve(), Path(tmp) / "ens", m), flush=True)
