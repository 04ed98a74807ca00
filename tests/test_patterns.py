"""Pattern checks (issue 3 and 4 bars) computed from hand-made ensemble tables with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.fit.patterns import MAARAT, border_belt, pattern_checks


def _tables(theatre, maarat_days, idlib_day=None, slowdown=True, share_at_fall=0.05):
    dates = pd.date_range("2019-12-01", "2020-03-10").strftime("%Y-%m-%d")
    daily, caps, pops = [], [], []
    maarat, saraqib, idlib = (theatre.canonical(x) for x in (MAARAT, "Saraqib", "Idlib"))  # the map's names
    for run, mday in enumerate(maarat_days):
        # government territory grows 100 km²/day, 10 km²/day from 27 Feb when slowdown
        t = np.arange(len(dates), dtype=float)
        step = np.where((dates >= "2020-02-27") & slowdown, 10.0, 100.0)
        daily.append(
            pd.DataFrame(
                {
                    "run": run,
                    "date": dates,
                    "territory_government_km2": np.cumsum(step) + 0 * t,
                    "displaced_total": np.linspace(0, 1_000_000, len(dates)),
                }
            )
        )
        if mday is not None:
            caps.append((run, mday, maarat, "opposition", "government"))
        caps.append((run, "2020-02-06", saraqib, "opposition", "government"))
        if idlib_day is not None:
            caps.append((run, idlib_day, idlib, "opposition", "government"))
        present = np.full(len(dates), 100_000.0)
        if mday is not None:
            present[list(dates).index(mday)] = 100_000 * share_at_fall
        pops.append(
            pd.DataFrame(
                {"run": run, "date": dates, "settlement": maarat, "present": present, "displaced_present": 0}
            )
        )
        end = pd.DataFrame(
            {
                "run": run,
                "date": "2020-03-05",
                "settlement": [idlib, theatre.canonical("Afrin")],
                "controller": ["opposition", "turkey"],
                "present": 0,
                "displaced_present": [300_000, 100_000],
            }
        )
        pops.append(end)
    captures = pd.DataFrame(caps, columns=["run", "date", "settlement", "from_controller", "to_controller"])
    return pd.concat(daily), captures, pd.concat(pops)


def _met(table, start):
    row = table[table["check"].str.startswith(start)]
    assert len(row) == 1, start
    return bool(row["met"].iloc[0])


def test_historical_pattern_is_met(theatre):
    daily, caps, pop = _tables(theatre, ["2020-01-25", "2020-01-30", "2020-02-05"])
    t = pattern_checks(daily, caps, pop, theatre)
    assert _met(t, MAARAT + " falls") is True
    assert _met(t, "Saraqib") is True
    assert _met(t, "Idlib city") is True
    assert _met(t, "government gain") is True
    assert _met(t, MAARAT + ": people") is True
    assert _met(t, "where the displaced") is True


def test_each_failure_is_detected(theatre):
    daily, caps, pop = _tables(
        theatre, ["2020-03-01", None, None], idlib_day="2020-03-01", slowdown=False, share_at_fall=0.5
    )
    t = pattern_checks(daily, caps, pop, theatre)
    assert _met(t, MAARAT + " falls") is False
    assert _met(t, "Idlib city") is False
    assert _met(t, "government gain") is False
    assert _met(t, MAARAT + ": people") is False
    # displacement: 5 Mar value of the linear ramp is inside 0.6-1.4 M, 27 Dec is ~270 k: both met
    assert _met(t, "displaced by 27 Dec") is True


def test_border_belt_holds_the_camps_and_not_the_south(theatre):
    belt = border_belt(theatre)
    names = np.array(theatre.names)
    for town in ("Sarmada", "Atmeh", "Bab al-Hawa"):
        if town in theatre.index:
            assert belt[theatre.id(town)], town
    for town in ("Ma'arrat al-Nu'man", "Khan Shaykhun", "Saraqib"):
        assert not belt[theatre.id(town)], town
    assert 3 <= belt.sum() < len(names) / 2


def _with_retakes(caps, runs, per_run, taken_runs=(), town="Ariha"):
    rows = [caps]
    for run in range(runs):
        for k in range(per_run):
            rows.append(
                pd.DataFrame(
                    [(run, f"2020-02-{10 + k:02d}", "Nayrab", "government", "opposition")],
                    columns=caps.columns,
                )
            )
    for run in taken_runs:
        rows.append(
            pd.DataFrame([(run, "2020-02-20", town, "opposition", "government")], columns=caps.columns)
        )
    return pd.concat(rows, ignore_index=True)


def test_retakes_and_untaken_towns(theatre):
    daily, caps, pop = _tables(theatre, ["2020-01-25", "2020-01-30", "2020-02-05", "2020-01-28"])
    t = pattern_checks(daily, _with_retakes(caps, 4, 4), pop, theatre)
    assert _met(t, "opposition retakes") is True
    assert _met(t, "towns never taken") is True
    t = pattern_checks(daily, _with_retakes(caps, 4, 0, taken_runs=(0, 1)), pop, theatre)
    assert _met(t, "opposition retakes") is False  # no raids, no counter-offensives
    assert _met(t, "towns never taken") is False  # Ariha held by the government in 2 of 4 runs
    assert "Ariha 2/4" in t[t["check"].str.startswith("towns never")]["value"].iloc[0]
    # Darat Izza, opposition ground in the seeds through mid-February, is one of the towns checked
    darat = theatre.canonical("Darat Izza")
    t = pattern_checks(daily, _with_retakes(caps, 4, 4, taken_runs=(0, 1), town=darat), pop, theatre)
    assert _met(t, "towns never taken") is False
    assert "Darat Izza 2/4" in t[t["check"].str.startswith("towns never")]["value"].iloc[0]
