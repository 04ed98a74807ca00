"""Occupation: a settlement nobody defends passes without a fight to an enemy unit next to it."""

from __future__ import annotations

import pytest

from sim.wargame import commander, events, holding
from sim.wargame.agents import Posture
from sim.wargame.metrics import daily_record
from sim.wargame.model import IdlibModel

from .synthetic import GOV3, line_theatre, scenario


def _empty_s3(occupy_below: float = 25.0, militia: float = 0.0) -> IdlibModel:
    """The government division g1, a unit of an order in force, holds S2; S3 (opposition) has ``militia``
    local defenders and no unit; the opposition unit o1 stands at S5."""
    sc = scenario(orders=[], parameters={"combat": {"occupy_below": occupy_below}})
    m = IdlibModel(sc, line_theatre(controllers=GOV3), civilians=False, rng=1)
    events.apply_day(m)
    m.formation_by_spec["g1"].move_to_node(2)
    m.formation_by_spec["g1"].posture = Posture.HOLD
    m.formation_by_spec["g1"].order_index = 0
    m.formation_by_spec["o1"].move_to_node(5)
    m.battlefield.garrison[3] = militia
    return m


def test_an_empty_settlement_next_to_an_enemy_unit_is_occupied_with_a_party_from_it():
    m = _empty_s3()
    g1 = m.formation_by_spec["g1"]
    men = g1.strength + float(m.battlefield.garrison.sum())
    holding.occupy(m)
    gov = m.faction_by_id["government"].code
    assert m.battlefield.controller[3] == gov
    assert m.battlefield.garrison[3] == pytest.approx(150.0)  # combat.garrison men from the occupier
    assert g1.node == 2 and g1.strength == pytest.approx(6000.0 - 150.0)
    assert g1.strength + float(m.battlefield.garrison.sum()) == pytest.approx(men)  # men are moved, not made
    assert m.captures[-1]["settlement"] == "S3" and m.captures[-1]["to_controller"] == "government"
    assert m.occupations_today == 1
    # only the settlement next to the unit passes: S4 is empty too but nobody stands next to it
    m.battlefield.garrison[4] = 0.0
    holding.occupy(m)
    assert m.battlefield.controller[4] != gov
    assert daily_record(m)["occupations"] == 0


@pytest.mark.parametrize(
    "setup",
    [
        "defended",  # local defenders at the threshold
        "held_by_unit",  # a unit of its holder stands in it (resting units count)
        "off",  # occupy_below 0
        "ceasefire",  # the side cannot attack today
        "occupier_moving",  # the only unit next to it is on the march
        "no_order",  # the only unit next to it holds a line under no order in force
    ],
)
def test_no_occupation_when_defended_held_off_or_unable(setup):
    m = _empty_s3(occupy_below=0.0 if setup == "off" else 25.0, militia=25.0 if setup == "defended" else 0.0)
    if setup == "held_by_unit":
        o1 = m.formation_by_spec["o1"]
        o1.move_to_node(3)
        o1.posture = Posture.RECOVER
    if setup == "ceasefire":
        m.can_attack["government"] = False
    if setup == "occupier_moving":
        m.formation_by_spec["g1"].posture = Posture.MOVE
    if setup == "no_order":
        m.formation_by_spec["g1"].order_index = None
    before = m.battlefield.controller.copy()
    holding.occupy(m)
    assert (m.battlefield.controller == before).all()
    assert m.occupations_today == 0
    assert m.formation_by_spec["g1"].strength == pytest.approx(6000.0)


def _branch(corridor_km: float) -> IdlibModel:
    """The line S0-S6 with a branch S7 off S2: the government's g1 holds S2 under the order east (objective
    S6); S3 (on the axis, 24 km from S6) and S7 (beside it, 40 km from S6 by road) are opposition-held and
    empty."""
    t = line_theatre(8, controllers=[*GOV3, "opposition"])
    t.graph.remove_edge(6, 7)
    t.graph.add_edge(2, 7, length_km=8.0, kind="secondary", highways=[])
    t.crossing[6] = True
    params = {"combat": {"occupy_below": 25.0, "occupy_corridor_km": corridor_km}}
    m = IdlibModel(scenario(parameters=params), t, civilians=False, rng=1)
    m.day = 1  # 2 Jan: the order is in force
    events.apply_day(m)
    m.formation_by_spec["g1"].move_to_node(2)
    m.formation_by_spec["o1"].move_to_node(5)
    m.battlefield.garrison[[3, 7]] = 0.0
    commander.plan(m)
    return m


@pytest.mark.parametrize("corridor_km", [0.0, 8.0, 20.0])
def test_occupation_along_the_axis_leaves_the_villages_beside_it(corridor_km):
    m = _branch(corridor_km)
    gov = m.faction_by_id["government"].code
    if corridor_km > 0:  # the order's plan wrote today's zone: the frontier within the corridor
        assert m.occupy_zone[0][3] and m.occupy_zone[0][7] == (24.0 + corridor_km >= 40.0)
    holding.occupy(m)
    assert m.battlefield.controller[3] == gov
    beside_taken = corridor_km == 0.0 or corridor_km >= 16.0  # off, or wide enough to reach S7
    assert (m.battlefield.controller[7] == gov) == beside_taken
    # a unit whose order planned nothing today has no zone: with the rule on it occupies nothing
    if corridor_km > 0:
        m2 = _branch(corridor_km)
        m2.occupy_zone.clear()
        holding.occupy(m2)
        assert m2.battlefield.controller[3] != gov and m2.battlefield.controller[7] != gov
