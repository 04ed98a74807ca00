"""``calibrate`` and ``report`` write only under their ``--out``: never into the repository's calibration/
(whose files are the committed record) nor the working directory, and never into the committed fit they
re-score. Each runs the smallest case on a short scenario: where files go, not what they say."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from sim.cli import main

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini.yaml"
TARGETS = ROOT / "calibration" / "targets.yaml"
SKIP = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache"}
FIT = "meta: {status: a test fit}\nparameters:\n  combat: {kill_rate: 0.012}\n"


def listing(top: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``top`` (caches and environments left out) with its size and modification time."""
    out = {}
    for here, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in SKIP and not d.endswith(".egg-info")]
        for f in files:
            p = Path(here) / f
            st = p.stat()
            out[str(p.relative_to(top))] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    """A scenario extending the mini one with its own committed fit (which names no prior, so there is no
    incumbent and --write-fit always writes), a one-parameter priors file, and an empty working
    directory. Yields the temporary directory; checks afterwards that nothing was written outside OUT."""
    (tmp_path / "fit.yaml").write_text(FIT)
    (tmp_path / "priors.yaml").write_text(
        "priors:\n  - {name: civilians.threshold_median, low: 1.5, high: 3.5, scale: log}\n"
    )
    (tmp_path / "mini.yaml").write_text(f"extends: {MINI}\nparameters_file: fit.yaml\n")
    # to 6 Mar, for the report's pattern checks (which read dates up to the ceasefire)
    (tmp_path / "long.yaml").write_text("extends: mini.yaml\nname: mini_long\nend: 2020-03-06\n")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    repo = listing(ROOT)
    given = listing(tmp_path)
    yield tmp_path
    assert listing(ROOT) == repo, "written into the repository"
    after = {k: v for k, v in listing(tmp_path).items() if not k.startswith("out" + os.sep)}
    assert after == given, "written outside OUT (or into the committed fit)"


def _calibrate(tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "calibrate",
            "--scenario",
            str(tmp_path / "mini.yaml"),
            "--priors",
            str(tmp_path / "priors.yaml"),
            "--targets",
            str(TARGETS),
            "--seeds",
            "1",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "out"),
            *extra,
        ]
    )


def _fitted(out: Path) -> dict:
    data = yaml.safe_load((out / "fitted_parameters.yaml").read_text())
    # the committed fit's other values are kept, the fitted one added
    assert data["parameters"]["combat"] == {"kill_rate": 0.012}
    assert set(data["parameters"]["civilians"]) == {"threshold_median"}
    return data


def test_history_matching_writes_only_under_out(inputs, capsys):
    args = ("--method", "history-matching", "--points", "2", "--waves", "1", "--cutoff", "1e6")
    assert _calibrate(inputs, *args, "--select", "1", "--select-seeds", "2", "--write-fit") == 0
    out = inputs / "out"
    hm = out / "runs" / "history_matching"
    for name in ("points.csv", "targets.csv", "summary.json", "selection.csv", "history_matching.png"):
        assert (hm / name).exists(), name
    assert "history-matching" in _fitted(out)["meta"]["status"]


def test_abc_writes_only_under_out(inputs, capsys):
    pytest.importorskip("pyabc")
    args = ("--method", "abc", "--population", "2", "--generations", "1", "--budget", "2")
    assert _calibrate(inputs, *args, "--select", "1", "--select-seeds", "2", "--write-fit") == 0
    out = inputs / "out"
    for name in ("posterior.csv", "posterior_summary.csv", "selection.csv", "figures/posterior.png"):
        assert (out / name).exists(), name
    assert (out / "runs" / "abc.db").exists() and (out / "runs" / "abc_meta.json").exists()
    assert "ABC-SMC" in _fitted(out)["meta"]["status"]
    # resuming only to rewrite the files records the stored run's population, not this call's default
    assert _calibrate(inputs, "--method", "abc", "--resume", "--generations", "0", "--population", "7") == 0
    assert json.loads((out / "runs" / "abc_meta.json").read_text())["population"] == 2


def test_sensitivity_writes_only_under_out(inputs, capsys):
    pytest.importorskip("SALib")
    assert _calibrate(inputs, "--method", "morris", "--budget", "4") == 0
    out = inputs / "out"
    for name in ("sensitivity_morris.csv", "figures/sensitivity_morris.png", "runs/morris_samples.csv"):
        assert (out / name).exists(), name


def test_report_writes_only_under_out_and_names_the_scenarios_fit(inputs, capsys, monkeypatch):
    import sim.plots.ensemble_figures

    # the ensemble's day-by-day animation takes most of the time and the report does not use it
    monkeypatch.setattr(sim.plots.ensemble_figures, "animation", lambda *args, **kwargs: None)
    out = inputs / "out"
    code = main(
        [
            "report",
            "--scenario",
            str(inputs / "long.yaml"),
            "--targets",
            str(TARGETS),
            "-n",
            "2",
            "--workers",
            "1",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = (out / "report.md").read_text()
    # the fit is the scenario's parameters_file, shown as it is (outside the working directory: in full)
    assert f"(parameters: `{inputs / 'fit.yaml'}`, status: a test fit)" in text
    assert f"Targets: `{TARGETS}`" in text
    for name in (
        "validation_scores.csv",
        "validation_bar.json",
        "pattern_checks.csv",
        "figures/capture_errors.png",
    ):
        assert (out / name).exists(), name
