"""The seeds' spatial statements as targets: a flow of people in a window, where they came from by
sub-district, how many of a sub-district's people are away from it on a day, and how empty a town was when
it fell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sim.fit.scoring import run_errors
from sim.inputs.targets import Targets

CITE = {"use": "fit", "source": "000_5f6ff033b56ccd51.txt", "quote": "q"}


def _targets() -> Targets:
    return Targets.model_validate(
        {
            "flows": [
                {
                    "id": "f",
                    "start": "2020-02-13",
                    "end": "2020-02-14",
                    "value": 100.0,
                    "rel_uncertainty": 0.3,
                }
                | CITE
            ],
            "origins": [
                {
                    "id": "o",
                    "start": "2020-02-13",
                    "end": "2020-02-14",
                    "subdistricts": ["SY01"],
                    "share": 0.5,
                    "uncertainty": 0.1,
                }
                | CITE
            ],
            "away": [
                {"id": "a", "date": "2020-02-14", "subdistricts": ["SY02"], "value": 400.0}
                | {"rel_uncertainty": 0.5}
                | CITE
            ],
            "emptied": [
                {"id": "e", "settlement": "Town", "to": "government", "date": "2020-02-14"}
                | {"share_present": 0.1, "uncertainty": 0.05}
                | CITE
            ],
        }
    )


def _tables():
    dates = ["2020-02-12", "2020-02-13", "2020-02-14", "2020-02-15"]
    daily = pd.DataFrame({"date": dates, "fled_today": [1000, 60, 90, 1000]})
    sub = pd.DataFrame(
        {
            "date": [d for d in dates for _ in (0, 1)],
            "subdistrict_pcode": ["SY01", "SY02"] * 4,
            "departures": [500, 500, 45, 15, 45, 45, 500, 500],
            "displaced_from": [0, 0, 10, 100, 20, 300, 30, 700],
        }
    )
    population = pd.DataFrame(
        {"date": dates, "settlement": ["Town"] * 4, "present": [10_000, 8_000, 3_000, 1_000]}
    )
    captures = pd.DataFrame(
        {
            "date": ["2020-02-14"],
            "settlement": ["Town"],
            "from_controller": ["o"],
            "to_controller": ["government"],
        }
    )
    return daily, sub, population, captures


def test_flow_origin_and_emptied_errors():
    daily, sub, population, captures = _tables()
    errs = {
        e.id: e for e in run_errors(daily, captures, _targets(), dt.date(2020, 3, 31), None, sub, population)
    }
    assert errs["f"].simulated == 150 and errs["f"].error == pytest.approx(0.5)
    assert errs["o"].simulated == pytest.approx(90 / 150)  # 45 + 45 of 45 + 15 + 45 + 45
    assert errs["a"].simulated == 300 and errs["a"].error == pytest.approx(-0.25)  # SY02 on 14 Feb only
    assert errs["e"].simulated == pytest.approx(0.3) and not errs["e"].censored  # 3,000 of 10,000 that day


def test_spatial_targets_are_left_out_without_the_tables():
    daily, _, _, captures = _tables()
    ids = {e.id for e in run_errors(daily, captures, _targets(), dt.date(2020, 3, 31))}
    assert ids == {"f"}
