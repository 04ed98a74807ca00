"""The bombing of towns ahead of the ground offensive: an air-campaign rule (the axes' preparation) and the
lasting danger of a town bombed for weeks (destruction), both off in the committed fit until refitted."""

from __future__ import annotations

import numpy as np

from sim.civilians.rules import DayInputs, danger
from sim.inputs.parameters import AirParams, CivilianParams
from sim.wargame.rules.airpower import allocate_strikes, preparation_weights


def test_preparation_weights_fall_on_towns_ahead_of_the_front_by_population():
    enemy = np.array([False, True, True, True, True])
    present = np.array([0.0, 10_000.0, 40_000.0, 90_000.0, 50_000.0])
    km_front = np.array([0.0, 5.0, 12.0, 25.0, 45.0])
    to_objective = np.array([30.0, 25.0, 40.0, 0.0, 10.0])  # settlement 2 lies behind, 4 beyond reach
    w = preparation_weights(enemy, present, km_front, to_objective, 30.0, AirParams(preparation_km=30.0))
    assert w[0] == w[2] == w[4] == 0.0 and w.sum() == 1.0
    assert w[3] / w[1] == np.sqrt(90_000 / 10_000)  # population ** 0.5


def test_the_preparation_share_moves_strikes_in_depth_onto_the_axis():
    n = 4
    strategic = np.ones(n)
    prep = np.array([0.0, 0.0, 0.0, 1.0])
    means = []
    for share in (0.0, 0.5):
        rng = np.random.default_rng(7)
        plans = [
            allocate_strikes(
                rng, 400.0, np.zeros(n), strategic, 0.5, preparation=prep, preparation_share=share
            )
            for _ in range(200)
        ]
        means.append(np.mean([p.strikes for p in plans], axis=0))
    assert abs(means[0][3] - 100) < 5  # no ground battle: all 400 sorties in depth, a quarter each
    assert abs(means[1][3] - 250) < 8 and abs(means[1][0] - 50) < 4  # half of them now on the axis


def test_destruction_raises_danger_beyond_the_cap_of_one_days_bombardment():
    d = DayInputs(
        strikes=np.array([30.0, 30.0]),
        hostile=np.zeros(2, dtype=bool),
        km_to_fighting=np.full(2, np.inf),
        km_to_recent_capture=np.full(2, np.inf),
        returns_allowed=False,
    )
    cumulative = np.array([30.0, 400.0])  # a first day of bombardment; weeks of it
    p = CivilianParams(destruction_weight=1.5, destruction_scale=40.0)
    first_day, weeks = danger(d, np.ones(2), p, cumulative)
    assert first_day < weeks and weeks > p.bomb_weight + 1.4  # one day's strikes alone cap at bomb_weight
    off = CivilianParams()  # destruction_weight 0: the cumulative strikes change nothing
    assert np.array_equal(danger(d, np.ones(2), off, cumulative), danger(d, np.ones(2), off))
