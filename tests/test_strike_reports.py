"""Reported strikes: the places a seed names as struck on given days (``strike_report`` events), and the
share of the day's strikes in depth that falls on them. The weights and the allocation as plain functions,
the days a report covers, its effect in a run, and the one-line errors of bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.cli import main
from sim.inputs.geography import load_map
from sim.inputs.loader import load_scenario
from sim.inputs.parameters import AirParams
from sim.inputs.timeline import Timeline
from sim.wargame.model import IdlibModel
from sim.wargame.rules.airpower import allocate_strikes, report_weights

from .conftest import BASELINE
from .test_scenario_errors import assert_one_line_error

REPORT = "events.reported_2019_12_20"


def test_report_weights_fall_on_reported_enemy_places_by_population():
    enemy = np.array([True, True, True, False, True])
    present = np.array([90_000.0, 10_000.0, 5_000.0, 50_000.0, 0.0])
    reported = np.array([True, True, False, True, True])  # 3 is the firer's own, 4 is empty
    w = report_weights(enemy, present, reported, AirParams(population_exponent=0.5))
    assert w[2] == w[3] == w[4] == 0.0 and w.sum() == pytest.approx(1.0)
    assert w[0] / w[1] == pytest.approx(3.0)  # (90,000 / 10,000) ** 0.5
    none = report_weights(enemy, present, np.array([False, False, False, True, False]), AirParams())
    assert not none.any()  # only the firer's own place reported: nothing to draw


def test_the_reported_share_moves_strikes_in_depth_onto_the_reported_places():
    n = 4
    strategic, prep = np.ones(n), np.array([0.0, 0.0, 1.0, 0.0])
    reported = np.array([0.0, 0.0, 0.0, 1.0])
    means = []
    for share in (0.0, 0.5):
        rng = np.random.default_rng(11)
        plans = [
            allocate_strikes(
                rng,
                400.0,
                np.zeros(n),
                strategic,
                0.5,
                preparation=prep,
                preparation_share=0.5,
                reported=reported,
                reported_share=share,
            )
            for _ in range(200)
        ]
        means.append(np.mean([p.strikes for p in plans], axis=0))
    # no ground battle: 400 in depth; preparation takes half onto 2, the rest a quarter each
    assert abs(means[0][3] - 50) < 4 and abs(means[0][2] - 250) < 8
    # a reported day: half of what that gives goes to the report, the rest keeps its proportions
    assert abs(means[1][3] - 225) < 8 and abs(means[1][2] - 125) < 6 and abs(means[1][0] - 25) < 3


def test_no_report_or_no_share_draws_exactly_as_before():
    n = 5
    strategic = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    plain = allocate_strikes(np.random.default_rng(3), 60.0, np.zeros(n), strategic, 0.5)
    for reported, share in ((None, 0.7), (np.array([0, 0, 0, 0, 1.0]), 0.0), (np.zeros(n), 0.7)):
        got = allocate_strikes(
            np.random.default_rng(3),
            60.0,
            np.zeros(n),
            strategic,
            0.5,
            reported=reported,
            reported_share=share,
        )
        assert np.array_equal(got.strikes, plain.strikes)


def test_a_report_covers_its_days_and_lists_each_place_once():
    sc = load_scenario(
        BASELINE,
        overrides=["events.reported_2019_12_24.places=[Saraqab, Maarrat An Numan]"],
    )
    tl = Timeline(sc.scenario)
    day = tl.day_of
    assert tl.strike_reports("government", day(dt.date(2019, 12, 18))) == []
    assert tl.strike_reports("government", day(dt.date(2019, 12, 21))) == ["Maarrat An Numan", "Saraqab"]
    assert tl.strike_reports("government", day(dt.date(2019, 12, 22))) == []  # the window is inclusive
    # a report without an end covers its start day only; two places named once each
    assert tl.strike_reports("government", day(dt.date(2019, 12, 24))) == ["Saraqab", "Maarrat An Numan"]
    assert tl.strike_reports("government", day(dt.date(2019, 12, 25))) == []
    assert tl.strike_reports("opposition", day(dt.date(2019, 12, 21))) == []


def test_reported_share_sends_the_days_strikes_to_the_reported_towns():
    """The baseline to 21 Dec: on the reported days Ma'arrat al-Nu'man and Saraqib are struck more with the
    share than without, and before the first report every strike falls where it did."""
    loaded = load_scenario(BASELINE)
    theatre = load_map(loaded.map_path)
    towns = [theatre.id("Maarrat An Numan"), theatre.id("Saraqab")]
    got: dict[float, list[np.ndarray]] = {}
    for share in (0.0, 0.8):
        sc = loaded.scenario.model_copy(deep=True)
        sc.parameters.air.reported_share = share
        m = IdlibModel(sc, theatre, rng=5)
        got[share] = []
        while m.timeline.dates[m.day] <= dt.date(2019, 12, 21):
            m.step()
            got[share].append(m.strikes_by["government"].copy())
    first = Timeline(sc).day_of(dt.date(2019, 12, 19))
    for d in range(first):
        assert np.array_equal(got[0.0][d], got[0.8][d])
    on_reported = [first + 1, first + 2]  # 20-21 Dec: "heavy air strikes on Ma'arrat al-Nu'man and Saraqib"
    assert (
        sum(got[0.8][d][towns].sum() for d in on_reported)
        > sum(got[0.0][d][towns].sum() for d in on_reported) + 20
    )


@pytest.mark.parametrize(
    ("override", "field", "problem"),
    [
        (f"{REPORT}.places=[Nowhere]", f"{REPORT}.places.0", "unknown settlement 'Nowhere'"),
        (f"{REPORT}.places=[]", f"{REPORT}.places", "at least 1"),
        (f"{REPORT}.end=2019-12-01", f"{REPORT}.end", "before it starts"),
        (f"{REPORT}.faction=rebels", f"{REPORT}.faction", "unknown faction 'rebels'"),
        ("parameters.air.reported_share=1.5", "air.reported_share", "less than or equal"),
    ],
)
def test_bad_strike_report_is_one_line(capsys, override, field, problem):
    code = main(["validate", str(BASELINE), "--set", override])
    assert code == 2
    assert_one_line_error(capsys.readouterr().err, field, problem)
