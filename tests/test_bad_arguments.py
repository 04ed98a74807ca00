"""Bad numbers on the command line and bad arguments to the Python API: one line and exit code 2, or
`sim.InputError`; and nothing written when the input is bad (no output folder, no stray manifest).

Before, ``run --seed -1``, ``ensemble -n 0`` and ``--workers -1`` printed tracebacks, the API raised bare
``ValueError``/``OverflowError``, an ``overrides`` string was read one character at a time, and a failed
ensemble or a run that died at its figures left folders and a ``manifest.json`` behind.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import sim
from sim.cli import main

from .conftest import BASELINE, ROOT
from .test_scenario_errors import assert_one_line_error

MINI = ROOT / "tests" / "data" / "mini.yaml"


@pytest.mark.parametrize(
    ("argv", "must"),
    [
        (["run", str(MINI), "--seed", "-1"], ["--seed", "from 0"]),
        (["run", str(MINI), "--seed", "1e3"], ["--seed", "whole number"]),
        (["run", str(MINI), "--seed", "9" * 5000], ["--seed"]),
        (["run", str(MINI), "--cohort-size", "0"], ["--cohort-size"]),
        (["ensemble", str(MINI), "-n", "0", "--out", "x"], ["-n/--runs", "from 1"]),
        (["ensemble", str(MINI), "-n", "-1", "--out", "x"], ["-n/--runs"]),
        (["ensemble", str(MINI), "-n", "1", "--workers", "-1", "--out", "x"], ["--workers"]),
        (["compare", str(MINI), "-n", "0", "--out", "x"], ["-n/--runs"]),
        (["sweep", str(MINI), "--param", "a", "--values", "1", "--seed", "-5", "--out", "x"], ["--seed"]),
        (["report", "-n", "0"], ["-n/--runs"]),
        (["run", str(MINI), "--no-such-option"], ["unrecognized"]),
        # calibrate's counts failed inside pyabc or a division, after OUT/runs was made
        (["calibrate", "--population", "0", "--out", "x"], ["--population", "from 2"]),
        (["calibrate", "--generations", "-1", "--out", "x"], ["--generations"]),
        (["calibrate", "--seeds", "0", "--out", "x"], ["--seeds", "from 1"]),
        (["calibrate", "--budget", "0", "--out", "x"], ["--budget"]),
        (["calibrate", "--select", "-1", "--out", "x"], ["--select"]),
        (["calibrate", "--select-seeds", "1", "--out", "x"], ["--select-seeds", "from 2"]),
        (["calibrate", "--points", "0", "--out", "x"], ["--points"]),
        (["calibrate", "--waves", "0", "--out", "x"], ["--waves"]),
        (["calibrate", "--order", "0", "--out", "x"], ["--order"]),
        (["calibrate", "--cutoff", "nan", "--out", "x"], ["--cutoff", "above 0"]),
        (["calibrate", "--cutoff", "0", "--out", "x"], ["--cutoff", "above 0"]),
    ],
)
def test_bad_numbers_on_the_command_line(capsys, tmp_path, monkeypatch, argv, must):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert_one_line_error(capsys.readouterr().err, *must)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("call", "must"),
    [
        (lambda: sim.run_scenario(MINI, seed=-1), "seed"),
        (lambda: sim.run_scenario(MINI, seed=2**64), "seed"),
        (lambda: sim.run_scenario(MINI, seed=1.5), "seed"),
        (lambda: sim.run_scenario(MINI, overrides="name=x"), "overrides"),
        (lambda: sim.run_scenario(None), "scenario"),
        (lambda: sim.run_ensemble(MINI, 0), "n"),
        (lambda: sim.run_ensemble(MINI, -1), "n"),
        (lambda: sim.run_ensemble(MINI, True), "n"),
        (lambda: sim.run_ensemble(MINI, 2, workers=-1), "workers"),
        (lambda: sim.run_ensemble(MINI, 2, seed=-1), "seed"),
        (lambda: sim.run_ensemble(MINI, 2, overrides="name=x"), "overrides"),
        (lambda: sim.load_scenario(MINI, "name=x"), "overrides"),
        (lambda: sim.load_scenario(MINI, ["start=2020-02-30"]), "--set"),
        (lambda: sim.load_scenario(MINI, [3]), "--set"),
    ],
)
def test_the_api_raises_input_error(tmp_path, monkeypatch, call, must):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sim.InputError) as exc:
        call()
    assert str(exc.value).startswith(must), str(exc.value)
    assert not (tmp_path / "outputs").exists()


def test_input_error_is_the_packages_own():
    from sim.inputs.errors import InputError

    assert sim.InputError is InputError
    assert "InputError" in sim.__all__


def test_a_bad_ensemble_writes_nothing(tmp_path, capsys):
    out = tmp_path / "ens"
    code = main(["ensemble", str(MINI), "-n", "2", "--out", str(out), "--set", "end=2020-02-30"])
    assert code == 2
    assert not out.exists()


def test_a_failed_first_run_leaves_no_manifest(tmp_path, monkeypatch):
    """If the ensemble fails before any run finished, what it created goes: the folder, or the manifest it
    added to a folder that existed."""
    import sim.runs.ensemble as ensemble

    def fail(*args, **kwargs):
        raise sim.InputError("a.yaml", "x", "bad in the worker")

    monkeypatch.setattr(ensemble, "_run_all", fail)
    new = tmp_path / "new" / "ens"
    with pytest.raises(sim.InputError):
        ensemble.run_ensemble(MINI, 2, out=new, figures=False, progress=False)
    assert not (tmp_path / "new").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine\n")
    with pytest.raises(sim.InputError):
        ensemble.run_ensemble(MINI, 2, out=existing, figures=False, progress=False)
    assert sorted(p.name for p in existing.iterdir()) == ["notes.txt"]


def test_a_run_that_fails_at_its_figures_leaves_no_folder(tmp_path, monkeypatch):
    import sim.plots.run_figures as run_figures
    import sim.plots.workers as workers

    def fail(*args, **kwargs):
        raise RuntimeError("the figures broke")

    # figures drawn in this process, whatever the machine's load (on an idle machine workers draw them)
    monkeypatch.setattr(workers, "usable_processes", lambda: 0)
    monkeypatch.setattr(run_figures, "run_figures", fail)
    out = tmp_path / "a" / "run"
    with pytest.raises(RuntimeError):
        sim.run_scenario(MINI, seed=1, out=out, progress=False)
    assert not (tmp_path / "a").exists()


def test_files_are_written_with_the_users_umask(tmp_path):
    """tempfile.mkstemp creates files 0600: results were unreadable to colleagues on a shared disk."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from sim.files import atomic_write_text\n"
        "atomic_write_text(Path(sys.argv[1]), 'x')\n"
    )
    for umask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        path = tmp_path / f"f{umask:o}.txt"
        subprocess.run(
            [sys.executable, "-c", code, str(path)],
            check=True,
            cwd=ROOT,
            preexec_fn=lambda u=umask: os.umask(u),  # the child process's umask is the point
        )
        assert path.stat().st_mode & 0o777 == mode, (oct(umask), oct(path.stat().st_mode))


def test_a_runs_files_have_the_umasks_mode(tmp_path):
    from sim.files import FILE_MODE

    sim.run_scenario(MINI, seed=1, out=tmp_path / "run", progress=False, figures=False)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "run").iterdir() if p.is_file()}
    assert modes and set(modes.values()) == {FILE_MODE}, modes


def test_validate_builds_what_run_builds(capsys):
    code = main(["validate", str(BASELINE)])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", ["run", "ensemble", "map", "compare"])
def test_an_output_folder_that_cannot_be_made_is_refused_before_the_run(capsys, tmp_path, command):
    """A file in the way was found only when the finished run was written (a traceback, the run lost)."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    argv = [command, str(MINI), "--out", str(blocker / "out")]
    argv += ["-n", "1"] if command in ("ensemble", "compare") else []
    assert main(argv) == 2
    assert_one_line_error(capsys.readouterr().err, "--out", "not a folder")
    with pytest.raises(sim.InputError):
        sim.run_scenario(MINI, out=blocker)


def test_compare_checks_every_scenario_before_running_any(capsys, tmp_path, write):
    """A typo in the last scenario used to be found after the ensembles of the others had run."""
    bad = write("bad.yaml", f"extends: {MINI}\nname: bad\nstart: 2019-02-30\n")
    out = tmp_path / "cmp"
    assert main(["compare", str(MINI), str(bad), "-n", "1", "--out", str(out)]) == 2
    assert_one_line_error(capsys.readouterr().err, "bad.yaml", "not a real date")
    assert not out.exists()
    assert main(["compare", str(MINI), str(MINI), "-n", "1", "--out", str(out)]) == 2
    assert_one_line_error(capsys.readouterr().err, "name", "also the name")
    assert not out.exists()


def test_sweep_checks_every_value_before_running_any(capsys, tmp_path):
    out = tmp_path / "sweep"
    argv = ["sweep", str(MINI), "--param", "civilians.cohort_size", "--values", "500", "0", "-n", "1"]
    assert main([*argv, "--out", str(out)]) == 2
    assert_one_line_error(capsys.readouterr().err, "--set", "civilians.cohort_size", "greater than")
    assert not out.exists()
