"""Civilian flight in isolation: the delay between deciding to leave and setting off."""

from __future__ import annotations

import numpy as np

from sim.civilians import Civilians, DayInputs
from sim.parameters import CivilianParams


def _line(departure_rate: float, seed: int = 3) -> Civilians:
    """Three settlements 10 km apart, 20,000 people each (so there is room to go), in cohorts of 10; only
    the first is bombarded, and everyone there decides at the first strike (tiny thresholds, no memory)."""
    params = CivilianParams(
        fear_memory=0.0,
        threshold_median=0.01,
        threshold_sigma=0.3,
        departure_rate=departure_rate,
        deaths_per_strike=0.0,  # nobody dies, so every decided household can be counted leaving
    )
    return Civilians(
        population=np.full(3, 20_000.0),
        camp_population=np.zeros(3),
        hosts=np.ones(3, dtype=np.int64),
        edges=np.array([[0, 1], [1, 2]]),
        edge_km=np.array([10.0, 10.0]),
        cohort_size=10,
        params=params,
        rng=np.random.default_rng(seed),
    )


def _day(strikes: float) -> DayInputs:
    return DayInputs(
        strikes=np.array([strikes, 0.0, 0.0]),
        hostile=np.zeros(3, dtype=bool),
        km_to_fighting=np.full(3, np.inf),
        km_to_recent_capture=np.full(3, np.inf),
        returns_allowed=False,
    )


def _flights(civ: Civilians, days: int) -> list[int]:
    """People setting off each day: one day of bombardment on the first settlement, then quiet."""
    out = []
    for day in range(days):
        civ.step(_day(20.0 if day == 0 else 0.0), day)
        out.append(civ.fled_today)
    return out


def test_without_delay_everyone_who_decides_leaves_that_day():
    civ = _line(departure_rate=1.0)
    fled = _flights(civ, 5)
    assert fled[0] == 20_000
    assert fled[1:] == [0, 0, 0, 0]


def test_delay_spreads_departures_over_the_following_quiet_days():
    rate = 0.3
    civ = _line(departure_rate=rate)
    fled = _flights(civ, 40)
    # about `rate` of the decided set off on the first day (2,000 cohorts: binomial sd ~ 0.01)
    assert abs(fled[0] / 20_000 - rate) < 0.04
    # the others keep their decision and leave on later days although nothing falls on them any more,
    # each day about `rate` of those still waiting
    waiting = 20_000 - np.cumsum(fled)
    assert fled[1] > 0 and fled[2] > 0
    assert abs(fled[1] / waiting[0] - rate) < 0.05
    assert waiting[-1] == 0
    assert civ.summary()["displaced_total"] == 20_000
    assert not civ.leaving.any()
