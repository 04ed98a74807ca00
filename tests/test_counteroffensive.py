"""Counter-offensives open with surprise: the first day of a side's assault on a settlement counts
``combat.raid_surprise``, as a raid does; the government's deliberate offensives never do."""

from __future__ import annotations

from sim.wargame import commander
from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel

from .synthetic import GOV3, line_theatre, scenario


def _model(kind: str, seed: int = 5) -> IdlibModel:
    """Government holds S0-S2 with a small garrison at S2; an opposition assault unit at S3 has an order
    to retake S2 from 2 Jan."""
    formations = scenario().model_dump()["formations"]
    formations[1].update(role="manoeuvre", strength=4000, morale=0.8)
    sc = scenario(
        formations=formations,
        orders=[
            {
                "faction": "opposition",
                "axis": "retake S2",
                "kind": kind,
                "start": "2020-01-01",
                "end": "2020-01-20",
                "objective": "S2",
                "formations": ["o1"],
            }
        ],
    )
    m = IdlibModel(sc, line_theatre(controllers=GOV3), civilians=False, rng=seed)
    m.battlefield.garrison[2] = 300.0
    return m


def _plan(m: IdlibModel) -> None:
    fac = m.faction_by_id["opposition"]
    commander.plan_offensive(m, 0, m.scenario.orders[0], fac, True, 1)


def test_a_counteroffensive_opens_with_surprise():
    m = _model("counteroffensive")
    _plan(m)
    o1 = m.formation_by_spec["o1"]
    assert o1.posture is Posture.ATTACK and o1.target == 2
    assert o1.raiding


def test_no_surprise_once_its_assault_is_under_way():
    m = _model("counteroffensive")
    m.battlefield.last_assault_day["opposition"][2] = (
        m.day - 1
    )  # assaulted yesterday: the defender has reacted
    _plan(m)
    o1 = m.formation_by_spec["o1"]
    assert o1.posture is Posture.ATTACK and not o1.raiding


def test_a_settlement_just_lost_can_still_be_surprised():
    """The fight in which the enemy took it yesterday was the enemy's assault, not this side's."""
    m = _model("counteroffensive")
    m.battlefield.last_fight_day[2] = m.day - 1
    m.battlefield.last_assault_day["government"][2] = m.day - 1
    _plan(m)
    assert m.formation_by_spec["o1"].raiding


def test_combat_records_the_assaulting_side():
    m = _model("counteroffensive")
    m.step()
    assert m.battlefield.last_assault_day["opposition"][2] == 0
    assert m.battlefield.last_assault_day["government"][2] == -999


def test_a_deliberate_offensive_never_counts_surprise():
    m = _model("offensive")
    _plan(m)
    o1 = m.formation_by_spec["o1"]
    assert o1.posture is Posture.ATTACK and not o1.raiding


def test_the_opening_day_hits_harder_in_combat():
    """Same seed, same attack: the government loses more men on the counter-offensive's opening day."""
    killed = {}
    for kind in ("offensive", "counteroffensive"):
        m = _model(kind)
        m.step()
        assert m.battlefield.last_fight_day[2] == 0  # the assault went in on the first day
        killed[kind] = float(m.killed_by_faction["government"])
    assert killed["counteroffensive"] > killed["offensive"]


def test_surprise_assaults_are_counted_in_the_daily_record():
    for kind, expected in (("offensive", 0), ("counteroffensive", 1)):
        m = _model(kind)
        m.step()
        assert m.daily[-1]["surprise_assaults"] == expected
