"""Ensembles, comparisons and figures: determinism across workers, resume, Dask, common seeds, figures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.runs.compare import run_compare
from sim.runs.ensemble import derive_seeds, gather, run_dir, run_ensemble

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini.yaml"


def read_all(out: Path) -> dict[str, str]:
    """The ensemble's tables as text: the concatenated CSVs and each run's population (Parquet)."""
    tables = {
        name: (out / name).read_text()
        for name in ("daily.csv", "captures.csv", "subdistricts.csv", "summary.csv")
    }
    for run in sorted(out.glob("runs/run_*")):
        tables[run.name] = pd.read_parquet(run / "population.parquet").to_csv(index=False)
    return tables


def test_population_tables_stay_by_run_and_are_read_with_filters(tmp_path):
    """An ensemble keeps each run's population as Parquet; --csv adds the concatenated CSV; the reader
    returns only the runs, dates and settlements asked for."""
    res = run_ensemble(
        MINI, 2, seed=5, workers=1, out=tmp_path, figures=False, progress=False, population_csv=True
    )
    assert not any(tmp_path.glob("runs/*/population.csv"))
    whole = pd.read_csv(tmp_path / "population.csv")
    assert len(whole) == sum(len(pd.read_parquet(p)) for p in tmp_path.glob("runs/*/population.parquet"))
    some = res.population(dates=["2019-12-20"], settlements=["Saraqab"], runs=[1])
    assert len(some) == 1 and some["run"].iloc[0] == 1 and some["seed"].iloc[0] == res.seeds[1]
    expect = whole[(whole["run"] == 1) & (whole["date"] == "2019-12-20") & (whole["settlement"] == "Saraqab")]
    assert (
        some.drop(columns=["run", "seed"]).values.tolist()
        == expect.drop(columns=["run", "seed"]).values.tolist()
    )
    assert res.subdistricts is not None and set(res.subdistricts["run"]) == {0, 1}


def test_seeds_do_not_depend_on_the_ensemble_size():
    assert derive_seeds(2019, 5)[:3] == derive_seeds(2019, 3)
    assert len(set(derive_seeds(2019, 50))) == 50


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    run_ensemble(MINI, 3, seed=11, workers=1, out=out, figures=False, progress=False)
    return out


def test_identical_for_any_number_of_workers(serial, tmp_path):
    run_ensemble(MINI, 3, seed=11, workers=2, out=tmp_path, figures=False, progress=False)
    assert read_all(tmp_path) == read_all(serial)


def test_tables_have_run_and_seed_columns(serial):
    daily = pd.read_csv(serial / "daily.csv")
    assert list(daily.columns[:3]) == ["run", "seed", "date"]
    assert sorted(daily["run"].unique()) == [0, 1, 2]
    assert daily.groupby("run")["seed"].nunique().eq(1).all()
    summary = pd.read_csv(serial / "summary.csv")
    assert list(summary.columns) == ["date", "metric", "median", "p5", "p25", "p75", "p95"]
    s = summary[summary["metric"] == "displaced_total"]
    assert (s["p5"] <= s["median"]).all() and (s["median"] <= s["p95"]).all()


def test_the_joined_tables_are_the_runs_tables_with_run_and_seed(serial):
    """The ensemble's daily, captures and sub-district tables are its runs' tables one after the other, as
    joining them in pandas gives; the sub-districts are read only when asked for."""
    seeds = derive_seeds(11, 3)
    for name in ("daily.csv", "captures.csv", "subdistricts.csv"):
        parts = []
        for i in range(3):
            df = pd.read_csv(run_dir(serial, i) / name)
            df.insert(0, "seed", seeds[i])
            df.insert(0, "run", i)
            parts.append(df)
        joined = pd.concat(parts, ignore_index=True)
        assert (serial / name).read_text() == joined.to_csv(index=False, lineterminator="\n"), name
    res = gather(serial, 3, seeds)
    assert res._subdistricts is None
    assert sorted(res.subdistricts["run"].unique()) == [0, 1, 2]


def test_runs_with_other_columns_are_not_joined(serial, tmp_path):
    import shutil

    out = tmp_path / "ens"
    shutil.copytree(serial, out)
    daily = run_dir(out, 1) / "daily.csv"
    daily.write_text(daily.read_text().replace("date,", "day,", 1))
    before = (out / "daily.csv").read_bytes()
    with pytest.raises(RuntimeError, match="columns differ"):
        gather(out, 3, derive_seeds(11, 3))
    assert (out / "daily.csv").read_bytes() == before  # the joined table is left as it was
    assert not list(out.glob(".daily.csv.*"))


def test_the_maps_counts_are_the_runs_rows_counted(serial, monkeypatch):
    """The probability maps read counts, not rows: counted a run at a time they are the counts of every
    run's rows on the map dates and of run 0's every day, and their shares are the rows' means."""
    import numpy as np

    from sim.inputs.geography import load_map
    from sim.inputs.loader import load_scenario
    from sim.plots.ensemble_figures import control_counts, government_share
    from sim.runs import ensemble

    loaded = load_scenario(MINI)
    res = gather(serial, 3, derive_seeds(11, 3))
    monkeypatch.setattr(ensemble, "CHUNK", 1)
    counts, first = ensemble.figure_inputs(res, loaded)
    dates = [d.isoformat() for d in loaded.scenario.outputs.map_dates]
    maps = res.population(dates=dates)
    rows = pd.concat([maps[maps["run"] != 0], res.population(runs=[0])], ignore_index=True)
    pd.testing.assert_frame_equal(counts, control_counts(rows))
    pd.testing.assert_frame_equal(first, res.population(runs=[0]))
    theatre = load_map(loaded.map_path)
    for d in dates:
        day = rows[rows["date"] == d]
        mean = day.assign(g=day["controller"] == "government").groupby("settlement")["g"].mean()
        expected = mean.reindex(theatre.names).fillna(0).to_numpy()
        assert np.array_equal(government_share(counts[counts["date"] == d], theatre), expected)
    assert set(counts.loc[counts["date"].isin(dates), "runs"]) == {3}


def test_resume_reruns_only_what_is_missing(serial, tmp_path):
    run_ensemble(MINI, 3, seed=11, workers=1, out=tmp_path, figures=False, progress=False)
    keep = run_dir(tmp_path, 0) / "daily.csv"
    stamp = keep.stat().st_mtime_ns
    lost = run_dir(tmp_path, 2)
    for f in lost.iterdir():  # as if the worker died before finishing run 2
        f.unlink()
    time.sleep(0.01)
    run_ensemble(MINI, 3, seed=11, workers=1, out=tmp_path, figures=False, progress=False)
    assert keep.stat().st_mtime_ns == stamp  # finished runs are not redone
    assert read_all(tmp_path) == read_all(serial)


def test_interrupted_ensemble_resumes(serial, tmp_path):
    """Kill a real ensemble process after its first run; the same command then completes it identically."""
    cmd = [
        sys.executable,
        "-m",
        "sim",
        "ensemble",
        str(MINI),
        "-n",
        "3",
        "--seed",
        "11",
        "--workers",
        "1",
        "--out",
        str(tmp_path),
        "--no-figures",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 120
    while time.time() < deadline and not (run_dir(tmp_path, 0) / "done.json").exists():
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = [i for i in range(3) if (run_dir(tmp_path, i) / "done.json").exists()]
    assert 0 in done and len(done) < 3
    assert not (tmp_path / "summary.csv").exists()
    assert main(cmd[3:]) == 0
    assert read_all(tmp_path) == read_all(serial)


def test_refuses_to_mix_ensembles(serial, capsys):
    code = main(["ensemble", str(MINI), "-n", "3", "--seed", "12", "--out", str(serial), "--no-figures"])
    assert code == 2
    assert "master_seed" in capsys.readouterr().err


def test_refuses_to_resume_after_the_inputs_changed(tmp_path, capsys):
    scen = tmp_path / "child.yaml"
    scen.write_text(f"extends: {MINI}\nname: child\n")
    out = tmp_path / "ens"
    cmd = ["ensemble", str(scen), "-n", "1", "--out", str(out), "--no-figures", "--workers", "1"]
    assert main(cmd) == 0
    assert main(cmd) == 0  # same inputs: resumes (nothing to do)
    scen.write_text(f"extends: {MINI}\nname: child\nparameters: {{combat: {{kill_rate: 0.05}}}}\n")
    assert main(cmd) == 2
    err = capsys.readouterr().err
    assert "inputs_sha256" in err and "changed" in err


def test_dask_local_cluster(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        out = Path(cluster.scheduler.address.replace("tcp://", "").replace(":", "_"))
        target = serial.parent / f"dask_{out}"
        run_ensemble(
            MINI, 3, seed=11, out=target, scheduler=cluster.scheduler.address, figures=False, progress=False
        )
    assert read_all(target) == read_all(serial)


def test_compare_uses_common_seeds(tmp_path):
    twin = tmp_path / "twin.yaml"
    twin.write_text(f"extends: {MINI}\nname: mini_twin\n")
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {MINI}\nname: mini_no_air\nfactions: {{government: {{air_scale: 0.0}}}}\n")
    table = run_compare([MINI, twin, other], 2, seed=5, out=tmp_path / "cmp", workers=1)
    per_run = pd.read_csv(tmp_path / "cmp" / "outcomes_per_run.csv")
    a = pd.read_csv(tmp_path / "cmp" / "mini" / "daily.csv")
    b = pd.read_csv(tmp_path / "cmp" / "mini_twin" / "daily.csv")
    assert (a["seed"] == b["seed"]).all()
    pd.testing.assert_frame_equal(a, b)  # same scenario, same seeds: identical runs, zero differences
    twin_rows = table[table["scenario"] == "mini_twin"]
    assert (twin_rows["diff_vs_mini"].fillna(0) == 0).all()
    assert set(per_run["scenario"]) == {"mini", "mini_twin", "mini_no_air"}
    no_air = table[
        (table["scenario"] == "mini_no_air") & (table["outcome"].str.startswith("people displaced"))
    ]
    assert no_air["diff_vs_mini"].iloc[0] < 0  # without air power fewer people flee
    for fig in ("fans_compared.png", "differences.png", "capture_probabilities.png", "outcomes.png"):
        assert (tmp_path / "cmp" / "figures" / fig).stat().st_size > 10_000


def test_every_figure_is_produced(tmp_path):
    out = tmp_path / "ens"
    assert main(["ensemble", str(MINI), "-n", "2", "--workers", "1", "--out", str(out)]) == 0
    figs = {p.name for p in (out / "figures").iterdir()}
    assert {"fans.png", "scorecard.png", "animation.gif", "control_probability_2020-01-04.png"} <= figs
    assert (out / "figures" / "animation.gif").read_bytes()[:3] == b"GIF"
    # redraw from the files alone
    for p in (out / "figures").iterdir():
        p.unlink()
    assert main(["plot", str(out)]) == 0
    assert {p.name for p in (out / "figures").iterdir()} >= {"fans.png", "scorecard.png"}
    # a single run's figures, then redrawn by `plot`
    run = tmp_path / "run"
    assert main(["run", str(MINI), "--seed", "3", "--out", str(run), "--all-maps"]) == 0
    names = {p.name for p in (run / "figures").iterdir()}
    assert {
        "territory.png",
        "forces.png",
        "displacement.png",
        "subdistricts.png",
        "control_2020-01-04.png",
        "displaced_2020-01-04.png",
    } <= names
    before = (run / "daily.csv").read_text()
    (run / "figures" / "subdistricts.png").unlink()
    assert main(["plot", str(run)]) == 0
    assert (run / "daily.csv").read_text() == before
    assert (run / "figures" / "subdistricts.png").stat().st_size > 10_000  # redrawn from the re-run
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == 2


def test_sweep(tmp_path):
    out = tmp_path / "sweep"
    assert (
        main(
            [
                "sweep",
                str(MINI),
                "--param",
                "factions.government.air_scale",
                "--values",
                "0.2",
                "1.0",
                "-n",
                "2",
                "--workers",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    df = pd.read_csv(out / "sweep.csv")
    assert set(df["value"].astype(str)) == {"0.2", "1.0"}
    assert (out / "sweep.png").stat().st_size > 10_000


def test_python_api(tmp_path):
    import sim

    r = sim.run_scenario(MINI, seed=1)
    assert {"displaced_total", "m5_km_gov"} <= set(r.daily.columns)
    e = sim.run_ensemble(MINI, 2, workers=1, out=tmp_path / "api", figures=False, progress=False)
    assert e.daily["run"].nunique() == 2 and not e.summary.empty


def test_scorecard_draws_the_capture_the_scoring_matches():
    """A recapture target is drawn at the capture closest to its date, not at the first one."""
    import pandas as pd

    from sim.plots.ensemble_figures import closest_capture_dates

    caps = pd.DataFrame(
        {
            "run": [0, 0, 1, 1],
            "date": ["2020-02-06", "2020-03-02", "2020-02-07", "2020-02-28"],
            "settlement": ["Saraqib"] * 4,
            "to_controller": ["government"] * 4,
        }
    )
    got = closest_capture_dates(caps, "Saraqib", "government", "2020-03-03")
    assert [d.strftime("%m-%d") for d in got] == ["02-28", "03-02"]
    assert closest_capture_dates(caps, "Afs", "government", "2020-02-06") == []


def test_the_scorecards_dates_are_the_scorings_run_by_run():
    """All runs at once, the scorecard picks per run the change ``capture_date`` picks (ties: the first)."""
    import numpy as np

    from sim.inputs.targets import capture_date
    from sim.plots.ensemble_figures import closest_capture_dates

    rng = np.random.default_rng(4)
    k = 400
    caps = pd.DataFrame(
        {
            "run": rng.integers(0, 40, k),
            "date": (pd.Timestamp("2020-02-01") + pd.to_timedelta(rng.integers(0, 30, k), "D")).strftime(
                "%Y-%m-%d"
            ),
            "settlement": rng.choice(["Saraqib", "Afs"], k),
            "to_controller": rng.choice(["government", "opposition"], k),
        }
    )
    for near in ("2020-02-10", "2020-02-15"):
        one_by_one = [capture_date(r, "Saraqib", "government", near) for _, r in caps.groupby("run")]
        expected = sorted(d for d in one_by_one if d is not None)
        assert closest_capture_dates(caps, "Saraqib", "government", near) == expected


def test_the_probability_maps_front_is_the_runs_first_day_not_the_maps():
    """A start state (the 2023 episode, a contingency) begins from other lines than the map's first day."""
    import pandas as pd

    from sim.plots.ensemble_figures import control_counts, start_front

    from .synthetic import line_theatre

    th = line_theatre()  # the map: government holds S0-S1
    rows = [
        {
            "run": r,
            "date": d,
            "settlement": f"S{i}",
            "controller": "government" if i <= held else "opposition",
        }
        for r, held in ((0, 3), (1, 3), (2, 2))
        for d, i in [(d, i) for d in ("2023-10-01", "2023-10-02") for i in range(th.n)]
    ]
    front, first = start_front(control_counts(pd.DataFrame(rows)), th)
    assert first.isoformat() == "2023-10-01"
    assert front.tolist() == [True, True, True, True, False, False, False]  # S3: two runs of three


def test_the_seeds_held_towns_are_ringed_in_map_order():
    """Not in a set's order, which changes with the process's hash seed: the same ensemble drew maps that
    differed by a few pixels."""
    import datetime as dt

    from sim.inputs.geography import load_map
    from sim.inputs.loader import load_scenario
    from sim.plots.ensemble_figures import historical_government_held

    theatre = load_map(load_scenario(ROOT / "scenarios" / "baseline.yaml").map_path)
    held = historical_government_held(theatre, dt.date(2020, 2, 11))
    assert held == sorted(set(held)) and len(held) > 10
    assert theatre.id("Saraqib") in held and theatre.id("Kafr Nabl") not in held
