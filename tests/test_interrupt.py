"""Ctrl-C: a run or an ensemble stops within about two seconds, leaves no process behind, keeps every
finished run, and the same command then resumes to the same files.

Before, an ensemble took 6-9 s to stop (each worker, hit by the terminal's SIGINT too, abandoned its run
and started the next one, and the parent waited for them), and a SIGINT sent from a script to a process
started in the background was ignored. The SIGINT is sent two ways: to the parent alone, started with
SIGINT ignored as a shell starts a background job (a script's ``kill -INT``), and to the whole process
group (a terminal's Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.runs.ensemble import run_dir

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini.yaml"
LONGER = ["--set", "end=2020-02-20"]  # runs of about half a second: the interrupt lands mid-ensemble
STOP_SECONDS = 2.0


def alive_in_group(pgid: int) -> list[int]:
    """Processes of the process group that are not zombies (a zombie runs nothing; in a container whose
    init does not reap, an exited child can stay a zombie)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            pids.append(int(stat.parent.name))
    return pids


def interrupt(cmd: list[str], ready: Path, whole_group: bool) -> tuple[int, float, int]:
    """Start ``cmd`` in its own session, SIGINT it once ``ready`` exists; (exit code, seconds to stop,
    processes left in its group two seconds later)."""
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # a script's `kill -INT` goes to a process its shell started in the background, with SIGINT ignored
        preexec_fn=None if whole_group else lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    deadline = time.time() + 180
    while time.time() < deadline and not ready.exists() and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    start = time.time()
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    took = time.time() - start
    left = alive_in_group(proc.pid)
    for _ in range(40):  # the resource tracker exits on its own once the parent is gone
        if not left:
            break
        time.sleep(0.05)
        left = alive_in_group(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return code, took, len(left)


def ensemble_args(out: Path, workers: int) -> list[str]:
    return [
        "ensemble",
        str(MINI),
        "-n",
        "6",
        "--workers",
        str(workers),
        "--out",
        str(out),
        "--no-figures",
        *LONGER,
    ]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    assert main(ensemble_args(out, 1)) == 0
    return out


@pytest.mark.parametrize("whole_group", [False, True], ids=["kill-INT", "terminal-Ctrl-C"])
def test_ctrl_c_stops_an_ensemble_at_once_and_it_resumes(tmp_path, reference, whole_group):
    out = tmp_path / "ens"
    args = ensemble_args(out, 2)
    code, took, left = interrupt(
        [sys.executable, "-m", "sim", *args], run_dir(out, 0) / "done.json", whole_group
    )
    assert code == 130
    assert took < STOP_SECONDS, f"took {took:.1f} s to stop"
    assert left == 0, "a process outlived the ensemble"
    done = [i for i in range(6) if (run_dir(out, i) / "done.json").exists()]
    assert 0 in done and len(done) < 6
    stamps = {i: (run_dir(out, i) / "daily.csv").stat().st_mtime_ns for i in done}
    assert main(args) == 0  # resumes
    assert {i: (run_dir(out, i) / "daily.csv").stat().st_mtime_ns for i in done} == stamps
    assert not list(out.glob("runs/*/.staging-*"))
    for name in ("daily.csv", "captures.csv", "subdistricts.csv"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    for run in sorted(reference.glob("runs/run_*")):  # each run's population table, kept as Parquet
        mine = pd.read_parquet(out / "runs" / run.name / "population.parquet")
        assert mine.equals(pd.read_parquet(run / "population.parquet")), run.name


def test_ctrl_c_stops_a_run_and_writes_nothing(tmp_path):
    out = tmp_path / "run"
    ready = tmp_path / "started"
    # the run is interrupted while it steps: the progress file is written by a tiny wrapper when it starts
    code = (
        "import sys, pathlib\n"
        "from sim.cli import main\n"
        "import sim.runs.runner as r\n"
        "simulate = r.simulate\n"
        "def started(*a, **k):\n"
        f"    pathlib.Path({str(ready)!r}).write_text('')\n"
        "    return simulate(*a, **k)\n"
        "r.simulate = started\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    cmd = [sys.executable, "-c", code, "run", str(MINI), "--out", str(out), "--set", "end=2020-03-31"]
    exit_code, took, left = interrupt(cmd, ready, whole_group=False)
    assert exit_code == 130
    assert took < STOP_SECONDS
    assert left == 0
    assert not out.exists()
