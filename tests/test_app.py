"""The app's levers and runs, without a browser: a run made in the app is the command line's run.

The page only shows what ``sim.app.session`` makes from ``sim.app.levers``; these tests hold the promise
the page makes by printing a command under every run: the same scenario, seed and ``--set`` overrides give
the same tables from ``idlib-sim run``, and a comparison's runs are an ensemble's runs on the same seeds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sim.app import levers as lv
from sim.app import session
from sim.inputs.errors import InputError
from sim.inputs.loader import load_scenario
from sim.runs.ensemble import derive_seeds
from sim.runs.runner import run_scenario

from .conftest import SCENARIOS

FILES = lv.scenario_files(SCENARIOS)


def test_every_scenario_is_offered_the_baseline_first():
    assert next(iter(FILES)) == "baseline"
    assert set(FILES) == {p.stem for p in SCENARIOS.glob("*.yaml")}


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_scenario_as_it_is_needs_no_override(name):
    loaded = load_scenario(FILES[name])
    levers = lv.levers_of(name, loaded)
    assert lv.overrides(levers, loaded, load_scenario(FILES["baseline"])) == []
    assert lv.parse(lv.values_of(levers)) == levers  # the page's values round-trip


def test_each_lever_is_one_override(baseline):
    own = lv.levers_of("baseline", baseline)
    cases = {
        "events.moscow_ceasefire.start=2020-02-05": replace(own, ceasefire=dt.date(2020, 2, 5)),
        "events.spring_shield=null": replace(own, intervention=False),
        "events.spring_shield.start=2020-02-11": replace(own, intervention_start=dt.date(2020, 2, 11)),
        "factions.government.air_scale=0.35": replace(own, air_scale=0.35),
        "civilians.cohort_size=50": replace(own, cohort_size=50),
    }
    for expected, levers in cases.items():
        assert lv.overrides(levers, baseline, baseline) == [expected]


def test_switching_the_intervention_on_where_there_is_none_brings_the_baselines(baseline):
    own = load_scenario(FILES["ceasefire_5feb"])
    levers = replace(
        lv.levers_of("ceasefire_5feb", own), intervention=True, intervention_start=dt.date(2020, 2, 20)
    )
    (setting,) = lv.overrides(levers, own, baseline)
    loaded = load_scenario(FILES["ceasefire_5feb"], [setting])
    event = loaded.scenario.events["spring_shield"]
    assert event.start == dt.date(2020, 2, 20)
    assert event.end == baseline.scenario.events["spring_shield"].end


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("seed", "abc", "seed"),
        ("seed", "-1", "seed"),
        ("seed", "1.5", "seed"),
        ("ceasefire", "2020-13-01", "Moscow ceasefire"),
        ("ceasefire", "6 March", "Moscow ceasefire"),
        ("intervention_start", "tomorrow", "Spring Shield start"),
        ("air_scale", "3", "air power"),
        ("cohort_size", "0", "cohort size"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_lever(baseline, field, value, named):
    values = lv.values_of(lv.levers_of("baseline", baseline)) | {field: value}
    with pytest.raises(InputError) as exc:
        lv.parse(values)
    assert str(exc.value).startswith(named) and "\n" not in str(exc.value)


def test_values_the_scenario_rejects_come_back_as_input_errors(baseline):
    own = lv.levers_of("baseline", baseline)
    for levers in (
        replace(own, ceasefire=dt.date(2019, 6, 1)),  # before the scenario starts
        replace(own, intervention_start=dt.date(2020, 3, 20)),  # after Spring Shield's end
    ):
        with pytest.raises(InputError):
            session.load(levers, FILES)


def test_the_levers_are_declared_as_solaraviz_declares_model_parameters(baseline):
    params = lv.model_params(lv.values_of(lv.levers_of("baseline", baseline)), list(FILES))
    assert set(params) == set(lv.values_of(lv.levers_of("baseline", baseline)))
    assert {p["type"] for p in params.values()} <= {"Select", "InputText", "Checkbox", "SliderFloat"}


def test_a_run_in_the_app_is_the_command_lines_run(baseline, tmp_path):
    levers = replace(lv.levers_of("baseline", baseline), seed=3, ceasefire=dt.date(2020, 2, 5), air_scale=0.5)
    shares: list[float] = []
    run = session.run(levers, FILES, progress=shares.append)
    sets = ["events.moscow_ceasefire.start=2020-02-05", "factions.government.air_scale=0.5"]
    assert run.command.endswith("--seed 3 " + " ".join(f"--set {s}" for s in sets))
    cli = run_scenario(FILES["baseline"], seed=3, overrides=sets, progress=False, figures=False)
    pd.testing.assert_frame_equal(run.record.daily, cli.daily)
    pd.testing.assert_frame_equal(run.captures, cli.captures)
    codes = {fid: i for i, fid in enumerate(baseline.scenario.factions)}
    ctl = cli.population["controller"].map(codes).to_numpy().reshape(run.record.days, -1)
    assert np.array_equal(run.record.controller, ctl)
    assert shares[-1] == 1.0 and shares == sorted(shares)


def test_a_comparisons_runs_are_an_ensembles_runs(baseline):
    levers = replace(lv.levers_of("baseline", baseline), seed=11, intervention=False)
    cmp = session.compare(levers, FILES, 1)
    assert cmp.names == ["baseline", "baseline with the levers"]
    (seed,) = derive_seeds(11, 1)
    for name, sets in (("baseline", []), ("baseline with the levers", ["events.spring_shield=null"])):
        cli = run_scenario(FILES["baseline"], seed=seed, overrides=sets, progress=False, figures=False)
        daily = cmp.dailies[name].drop(columns=["run", "seed"])
        pd.testing.assert_frame_equal(daily, cli.daily)
    held = cmp.held["baseline"]
    assert held.shape == (len(cmp.dailies["baseline"]), len(cmp.theatre.names))
    assert set(np.unique(held)) <= {0.0, 1.0}  # one run: held or not


def test_the_page_imports_when_the_app_extra_is_installed():
    pytest.importorskip("solara")
    import sim.app.page as page

    assert callable(page.Page)


def test_the_command_says_what_is_missing_instead_of_starting(tmp_path, monkeypatch, capsys):
    from sim.cli import main

    assert main(["app", "--scenarios", str(tmp_path)]) == 2  # an empty folder: told before serving
    assert "no scenario files" in capsys.readouterr().err
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert main(["app"]) == 2
    assert "pip install -e '.[app]'" in capsys.readouterr().err
