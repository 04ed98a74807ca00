"""Bombardment events (fire without a ground offensive) and the October 2023 scenario: the allocation rule
as plain functions, the counts as written, the frozen lines, and the one-line errors of bad input."""

from __future__ import annotations

import numpy as np
import pytest

from sim.cli import main
from sim.inputs.geography import load_map
from sim.inputs.parameters import AirParams
from sim.runs.runner import run_scenario
from sim.wargame.rules.airpower import bombardment_weights, daily_attacks, place_attacks

from .conftest import ROOT
from .test_scenario_errors import assert_one_line_error

ESCALATION = ROOT / "scenarios" / "escalation_2023_10.yaml"
BOMB = "events.october_bombardment"


@pytest.mark.parametrize(("total", "days"), [(160, 27), (70, 27), (57, 27), (5, 9), (0, 4), (287, 1)])
def test_daily_attacks_add_up_to_the_count_and_spread_evenly(total, days):
    per_day = [daily_attacks(total, days, d) for d in range(days)]
    assert sum(per_day) == total
    assert max(per_day) - min(per_day) <= 1
    assert daily_attacks(total, days, -1) == daily_attacks(total, days, days) == 0


def test_bombardment_weights_follow_the_rule():
    p = AirParams()
    enemy = np.array([True, True, True, True, False, True])
    present = np.array([400.0, 100.0, 900.0, 100.0, 10_000.0, 2500.0])
    km = np.array([2.0, 5.0, 30.0, 10.0, 0.0, 8.0])
    area = np.array([True, True, True, True, True, False])
    w = bombardment_weights(enemy, present, km, 20.0, area, p)
    # not enemy-held (4), out of range (2), outside the areas (5): nothing
    assert w[2] == w[4] == w[5] == 0.0
    expect = np.where([1, 1, 0, 1, 0, 0], present**p.population_exponent * np.exp(-km / p.depth_km), 0.0)
    np.testing.assert_allclose(w, expect / expect.sum())
    assert not bombardment_weights(enemy, present, km, 1.0, area, p).any()  # nothing within 1 km


def test_place_attacks_exact_and_deterministic():
    w = np.array([0.5, 0.0, 0.3, 0.2])
    a = place_attacks(np.random.default_rng(7), 40, w)
    b = place_attacks(np.random.default_rng(7), 40, w)
    assert a.sum() == 40 and a[1] == 0
    np.testing.assert_array_equal(a, b)
    assert not place_attacks(np.random.default_rng(7), 40, np.zeros(4)).any()


def test_escalation_runs_its_counts_and_the_lines_hold():
    # the whole count over a window of five days, to keep the run short
    res = run_scenario(
        ESCALATION,
        seed=3,
        overrides=["end=2023-10-09", f"{BOMB}.end=2023-10-09", "outputs.map_dates=[]"],
        figures=False,
    )
    daily = res.daily.set_index("date")
    assert daily.loc["2023-10-04", "strikes"] == 0  # before the window
    for i, date in enumerate(["2023-10-05", "2023-10-06", "2023-10-07", "2023-10-08", "2023-10-09"]):
        assert daily.loc[date, "strikes"] == sum(daily_attacks(n, 5, i) for n in (160, 70, 57))
    assert daily["strikes"].sum() == 287
    assert len(res.captures) == 0
    first = res.population[res.population["date"] == "2023-10-01"].set_index("settlement")["controller"]
    last = res.population[res.population["date"] == "2023-10-09"].set_index("settlement")["controller"]
    assert first.equals(last)
    assert daily["civilians_killed"].iloc[-1] > 0  # strikes kill, as any strike does


@pytest.mark.parametrize(
    ("override", "field", "problem"),
    [
        (f"{BOMB}.fire.artillery.attacks=-1", f"{BOMB}.fire.artillery.attacks", "greater than or equal"),
        (f"{BOMB}.fire.air.range_km=0", f"{BOMB}.fire.air.range_km", "greater than or equal"),
        (f"{BOMB}.fire={{}}", f"{BOMB}.fire", "at least 1"),
        (f"{BOMB}.areas=[Nowhere]", f"{BOMB}.areas.0", "unknown sub-district or settlement 'Nowhere'"),
        (f"{BOMB}.end=2023-10-02", f"{BOMB}.end", "before it starts"),
        (f"{BOMB}.faction=rebels", f"{BOMB}.faction", "unknown faction 'rebels'"),
        (f"{BOMB}.fire.air.shells=3", f"{BOMB}.fire.air.shells", ""),
    ],
)
def test_bad_bombardment_is_one_line(capsys, override, field, problem):
    code = main(["validate", str(ESCALATION), "--set", override])
    assert code == 2
    assert_one_line_error(capsys.readouterr().err, field, problem)


def test_areas_confine_the_attacks():
    res = run_scenario(
        ESCALATION,
        seed=3,
        overrides=[
            "end=2023-10-07",
            f"{BOMB}.end=2023-10-07",
            f"{BOMB}.areas=[Atareb]",
            "outputs.map_dates=[]",
        ],
        figures=False,
    )
    pop = res.population[res.population["strikes"] > 0]
    assert len(pop) > 0
    theatre = load_map(ROOT / "scenarios" / "maps" / "idlib_communities.json")
    assert {theatre.admin3[theatre.id(s)] for s in pop["settlement"]} == {"Atareb"}
