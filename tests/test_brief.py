"""idlib-sim brief: the page's numbers are the quantiles of the tables, it is written atomically, a bad
directory gets one line and exit 2 with nothing written, a single run works, the contingency validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim.runs.brief
from sim.cli import main
from sim.runs.brief import write_brief
from sim.runs.brief_text import SHELTER, people
from sim.runs.ensemble import run_ensemble
from sim.runs.runner import run_scenario

from .conftest import ROOT, SCENARIOS

MINI = ROOT / "tests" / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ens")
    run_ensemble(MINI, 2, seed=7, workers=1, out=out, figures=False, progress=False)
    return out


def files(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


def bands(values: pd.Series) -> list[float]:
    return [float(np.quantile(values.to_numpy(dtype=float), q)) for q in (0.05, 0.5, 0.95)]


def test_numbers_are_quantiles_of_the_tables(ensemble, tmp_path):
    assert main(["brief", str(ensemble), "--out", str(tmp_path)]) == 0
    got = pd.read_csv(tmp_path / "brief_numbers.csv")
    daily = pd.read_csv(ensemble / "daily.csv")
    sub = pd.read_csv(ensemble / "subdistricts.csv")
    last = daily["date"].max()
    page = (tmp_path / "brief.md").read_text()

    def row(section: str, key: str, date: str) -> list[float]:
        r = got[(got["section"] == section) & (got["key"] == key) & (got["date"] == date)]
        assert len(r) == 1, (section, key, date)
        return r[["p5", "median", "p95"]].iloc[0].tolist()

    # headline: the end and the end of the 14th day (mini runs three weeks, so no 4-week point)
    for date in (last, "2019-12-28"):
        for metric in ("displaced_total", "displaced_now", "civilians_killed"):
            expect = bands(daily.loc[daily["date"] == date, metric])
            assert row("headline", metric, date) == pytest.approx(expect)
        assert people(bands(daily.loc[daily["date"] == date, "displaced_total"])[1]) in page
    assert set(got.loc[got["section"] == "headline", "date"]) == {last, "2019-12-28"}
    # sub-districts on the last day: every listed one's bands, and the top one by median is listed first
    end = sub[sub["date"] == last]
    for metric in ("displaced_from", "displaced_present"):
        listed = got[got["section"] == metric]
        assert 0 < len(listed) <= 10
        for key in listed["key"]:
            assert row(metric, key, last) == pytest.approx(bands(end.loc[end["subdistrict"] == key, metric]))
        medians = end.groupby("subdistrict")[metric].median()
        assert listed["median"].iloc[0] == pytest.approx(medians.max())
    # shelter at weekly points: the end of days 7 and 14, and the last day
    shelter = got[got["section"] == "shelter"]
    assert sorted(shelter["date"].unique()) == ["2019-12-21", "2019-12-28", last]
    for date in shelter["date"].unique():
        for kind in SHELTER:
            assert row("shelter", kind, date) == pytest.approx(bands(daily.loc[daily["date"] == date, kind]))
    assert (tmp_path / "brief_figures" / "shelter.png").stat().st_size > 0
    assert (tmp_path / "brief_figures" / "subdistricts.png").stat().st_size > 0
    assert "2 runs of the model (master seed 7" in page


def test_written_into_the_ensemble_by_default_and_nothing_left_on_failure(ensemble, monkeypatch, tmp_path):
    copy = tmp_path / "ens"
    shutil.copytree(ensemble, copy)
    before = files(copy)

    def broken(*args, **kwargs):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(sim.runs.brief, "render", broken)
    with pytest.raises(RuntimeError):
        write_brief(copy)
    assert files(copy) == before  # no brief.md, no half-made brief_figures/, no staging folder
    monkeypatch.undo()
    paths = write_brief(copy)
    assert paths[0] == copy / "brief.md"
    assert {p.name for p in copy.iterdir()} >= {"brief.md", "brief_numbers.csv", "brief_figures"}
    assert not list(copy.glob(".staging-*")) and not list(copy.rglob(".*.tmp*"))


def test_single_run(tmp_path):
    run_scenario(MINI, seed=3, out=tmp_path / "run", figures=False)
    assert main(["brief", str(tmp_path / "run"), "--out", str(tmp_path / "b")]) == 0
    got = pd.read_csv(tmp_path / "b" / "brief_numbers.csv")
    daily = pd.read_csv(tmp_path / "run" / "daily.csv")
    end = got[
        (got["section"] == "headline")
        & (got["key"] == "displaced_total")
        & (got["date"] == daily["date"].max())
    ]
    assert end[["p5", "median", "p95"]].iloc[0].tolist() == [daily["displaced_total"].iloc[-1]] * 3
    assert "One run of the model (run seeds 3;" in (tmp_path / "b" / "brief.md").read_text()


def _unfinished(ensemble: Path, tmp_path: Path) -> Path:
    d = tmp_path / "unfinished"
    shutil.copytree(ensemble, d)
    (d / "daily.csv").unlink()
    return d


def _wrong_columns(ensemble: Path, tmp_path: Path) -> Path:
    d = tmp_path / "wrong"
    shutil.copytree(ensemble, d)
    pd.read_csv(d / "subdistricts.csv").drop(columns="displaced_from").to_csv(d / "subdistricts.csv")
    return d


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda e, t: t / "absent", "not a directory"),
        (lambda e, t: (t / "a_file").write_text("x") and t / "a_file", "not a directory"),
        (lambda e, t: (t / "empty").mkdir() or t / "empty", "not an ensemble or run directory"),
        (_unfinished, "daily.csv: missing: not a finished run or ensemble"),
        (_wrong_columns, "subdistricts.csv: displaced_from: column missing"),
    ],
    ids=["missing", "file", "empty", "unfinished", "wrong-columns"],
)
def test_bad_directories_one_line_exit_2_nothing_written(ensemble, tmp_path, capsys, make, problem):
    d = make(ensemble, tmp_path)
    before = files(tmp_path)
    assert main(["brief", str(d)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("idlib-sim: error: ") and err.count("\n") == 1 and problem in err, err
    assert files(tmp_path) == before


def test_the_contingency_scenario_validates(capsys):
    assert main(["validate", str(SCENARIOS / "contingency_zawiya_m4.yaml")]) == 0
    assert "contingency_zawiya_m4: 2020-03-07 to 2020-05-01" in capsys.readouterr().out
