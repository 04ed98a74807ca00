"""The whole model: determinism, conservation, no negative strengths, ceasefires, encirclement, outputs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.runs.runner import collect, simulate
from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel

from .synthetic import line_theatre, scenario


def run_synthetic(sc, seed=1, civilians=True, days=None):
    m = IdlibModel(sc, line_theatre(), civilians=civilians, rng=seed)
    for _ in range(days or sc.days):
        m.step()
    return m


def test_synthetic_offensive_advances():
    m = run_synthetic(scenario())
    gov = m.faction_by_id["government"]
    assert (m.battlefield.controller == gov.code).sum() > 2, m.captures


def test_a_ceasefire_kept_stops_captures():
    sc = scenario(events={"truce": {"kind": "ceasefire", "start": dt.date(2020, 1, 1), "compliance": 1.0}})
    m = run_synthetic(sc)
    assert m.captures == []
    # and bombardment drops to the ceasefire's air factor
    assert all(row["strikes"] <= 10 for row in m.daily)


def test_encircled_formation_loses_supply_and_morale():
    th = line_theatre(
        controllers=[
            "government",
            "opposition",
            "government",
            "opposition",
            "opposition",
            "opposition",
            "opposition",
        ]
    )
    sc = scenario(
        formations=[
            {
                "id": "g1",
                "name": "G1",
                "faction": "government",
                "group": "SAA",
                "strength": 2000,
                "location": "S2",
                "morale": 0.8,
                "cohesion": 0.8,
            },
            {
                "id": "o1",
                "name": "O1",
                "faction": "opposition",
                "group": "HTS",
                "strength": 500,
                "location": "S5",
            },
        ],
        orders=[],
    )
    m = IdlibModel(sc, th, civilians=False, rng=1)
    g = m.formation_by_spec["g1"]
    for _ in range(6):
        m.step()
    assert g.encircled
    assert g.supply < 0.7
    assert g.morale < 0.8


def test_no_negative_strengths_and_conservation(baseline):
    m = simulate(baseline, seed=3, progress=False)
    assert all(f.strength >= 0 for f in m.formations)
    assert (m.battlefield.garrison >= 0).all()
    civ = m.civilians
    assert (civ.size >= 0).all()
    daily = pd.DataFrame(m.daily)
    assert (daily["civilians_alive"] + daily["civilians_killed"] == civ.initial_total).all()
    assert civ.size.sum() + civ.killed == civ.initial_total
    assert daily["displaced_total"].is_monotonic_increasing


def test_same_seed_same_output(baseline):
    a = collect(simulate(baseline, seed=7, progress=False), baseline, 7)
    b = collect(simulate(baseline, seed=7, progress=False), baseline, 7)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.captures, b.captures)
    pd.testing.assert_frame_equal(a.population, b.population)
    c = collect(simulate(baseline, seed=8, progress=False), baseline, 8)
    assert not a.daily.equals(c.daily)


def test_population_table_matches_daily(baseline):
    r = collect(simulate(baseline, seed=2, progress=False), baseline, 2)
    pop = r.population
    assert list(pop.columns) == [
        "date",
        "settlement",
        "lat",
        "lon",
        "controller",
        "present",
        "displaced_present",
        "strikes",
        "in_corridor",
    ]
    assert pop["in_corridor"].any() and not pop.loc[pop["date"] < "2020-03-06", "in_corridor"].any()
    assert (pop["strikes"] >= 0).all() and pop["strikes"].sum() > 0
    per_day = pop.groupby("date")["present"].sum()
    in_transit = r.daily.set_index("date")["in_transit"]
    alive = r.daily.set_index("date")["civilians_alive"]
    assert (per_day + in_transit == alive).all()
    assert (pop["displaced_present"] <= pop["present"]).all()


def test_posts_behind_government_lines_are_encircled(baseline):
    m = simulate(baseline, seed=1, progress=False, civilians=False)
    morek = [f for f in m.formations if f.posture is Posture.POST and f.node == m.theatre.id("Morek")]
    assert morek and morek[0].encircled


def test_daily_columns(baseline):
    m = simulate(baseline, seed=1, progress=False)
    cols = set(m.daily[0])
    need = {
        "date",
        "displaced_total",
        "displaced_now",
        "civilians_alive",
        "civilians_killed",
        "territory_government_km2",
        "settlements_government",
        "m5_km_gov",
        "m4_km_gov",
        "strength_government",
        "strength_opposition",
        "strength_turkey",
        "morale_government",
        "morale_opposition",
        "morale_turkey",
    }
    assert need <= cols
    assert len(m.daily) == baseline.scenario.days
    assert np.isfinite(pd.DataFrame(m.daily).select_dtypes("number").to_numpy()).all()


def test_config_text_is_the_config_dumped_whole(baseline):
    """config.yaml is written entry by entry with the resolved scenario dumped once per loaded scenario:
    the text is the same as dumping the whole config, for every run."""
    from sim.files import yaml_text
    from sim.runs.runner import config_text

    m = simulate(baseline, seed=3, progress=False, civilians=False)
    for seed in (3, 4):
        r = collect(m, baseline, seed)
        text = config_text(r.config, r.loaded)
        assert text == yaml_text(r.config)
        assert f"\nseed: {seed}\n" in text


def test_population_strings_are_the_columns_numpy_would_give(baseline):
    """The population table's string columns are gathered in Arrow where pandas stores strings there: the
    same values and dtype as indexing the NumPy arrays."""
    from sim.runs.runner import gather_strings

    names = np.array(["Saraqib", "Afs", "Ma'arrat al-Nu'man"])
    index = np.array([2, 0, 0, 1, 2])
    got = pd.Series(gather_strings(names, index))
    pd.testing.assert_series_equal(got, pd.Series(names[index]))
    m = simulate(baseline, seed=3, progress=False, civilians=False)
    pop = collect(m, baseline, 3).population
    n = m.theatre.n
    assert pop["settlement"].iloc[:n].tolist() == list(m.theatre.names)
    assert pop["settlement"].iloc[n : 2 * n].tolist() == list(m.theatre.names)
    assert (pop["date"].iloc[:n] == m.timeline.dates[0].isoformat()).all()
