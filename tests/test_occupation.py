"""Occupation: a settlement nobody defends passes without a fight to an enemy unit next to it."""

from __future__ import annotations

import pytest

from sim.wargame import events, holding
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
