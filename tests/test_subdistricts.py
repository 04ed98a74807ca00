"""Displacement by sub-district (subdistricts.csv): the counts add up to the population's own."""

from __future__ import annotations

import numpy as np

from sim.runs.tables import COLUMNS, subdistricts_table
from sim.wargame.model import IdlibModel

from .synthetic import line_theatre, scenario

WEST, EAST = "SY01", "SY02"


def _run(days: int = 20) -> IdlibModel:
    """The offensive comes from the west: S0-S2 are the West sub-district, S3-S6 the East."""
    th = line_theatre()
    th.admin3 = ["West"] * 3 + ["East"] * 4
    th.admin3_pcode = [WEST] * 3 + [EAST] * 4
    th.__dict__.pop("subdistricts", None)
    m = IdlibModel(scenario(), th, rng=3)
    for _ in range(days):
        m.step()
    return m


def test_subdistrict_rows_add_up_to_the_population():
    m = _run()
    table = subdistricts_table(m)
    assert list(table.columns) == COLUMNS
    assert sorted(set(table["subdistrict_pcode"])) == [WEST, EAST]
    by_day = table.groupby("date", sort=True)
    assert np.array_equal(
        by_day["present"].sum().to_numpy(), np.rint(np.array(m.present_history)).sum(axis=1).astype(int)
    )
    daily = {row["date"]: row for row in m.daily}
    for date, rows in by_day:
        assert rows["departures"].sum() == daily[date]["fled_today"] + daily[date]["returned_today"]
    # every departure has arrived somewhere, or is still on the road (nobody dies on the road)
    assert table["departures"].sum() == table["arrivals"].sum() + daily[max(daily)]["in_transit"]
    assert table["departures"].sum() > 0


def test_displaced_from_counts_the_people_of_a_subdistrict_who_are_away_from_it():
    m = _run()
    last = subdistricts_table(m).query("date == date.max()").set_index("subdistrict_pcode")
    civ = m.civilians
    west = np.isin(civ.home, [0, 1, 2])
    away = np.where(civ.transit > 0, True, np.isin(civ.loc, [0, 1, 2]) != west)
    assert last.loc[WEST, "displaced_from"] == civ.size[west & away].sum() > 0
    assert last.loc[EAST, "displaced_from"] == civ.size[~west & away].sum()
