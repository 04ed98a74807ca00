"""Holding forces: a unit moving on from a recent gain leaves men sized to the threat, who rejoin later."""

from __future__ import annotations

import pytest

from sim.wargame import holding, movement
from sim.wargame.agents import Posture
from sim.wargame.metrics import daily_record
from sim.wargame.model import IdlibModel

from .synthetic import GOV3, line_theatre, scenario


def _gain_at_s2(hold_share: float = 0.2, captured_days_ago: int = 1, enemy_at: int = 3) -> IdlibModel:
    """The government division g1 stands at S2, taken ``captured_days_ago`` days ago; an opposition unit
    stands at ``enemy_at``."""
    sc = scenario(orders=[], parameters={"commander": {"hold_share": hold_share, "attack_ratio": 2.0}})
    m = IdlibModel(sc, line_theatre(controllers=GOV3), civilians=False, rng=1)
    m.battlefield.last_capture_day[2] = m.day - captured_days_ago
    m.formation_by_spec["g1"].move_to_node(2)
    m.formation_by_spec["o1"].move_to_node(enemy_at)
    return m


def _men(m: IdlibModel) -> float:
    return sum(f.strength for f in m.formations) + float(m.battlefield.garrison.sum())


def test_a_unit_leaving_a_recent_gain_leaves_a_detachment_sized_to_the_threat():
    m = _gain_at_s2()
    g1, o1 = m.formation_by_spec["g1"], m.formation_by_spec["o1"]
    before_men, before_garrison = _men(m), float(m.battlefield.garrison[2])
    g1.move_to_node(1)
    holding.leave_holding_force(m, g1, 2)
    left = float(m.battlefield.garrison[2]) - before_garrison
    assert 0.0 < left <= 0.2 * 6000.0
    assert m.battlefield.held_back[2] == pytest.approx(left)
    assert _men(m) == pytest.approx(before_men)  # men are moved, not made
    # the defence there now reaches the adjacent enemy power over attack_ratio, or the cap binds
    cap_binds = left == pytest.approx(0.2 * (g1.strength + left))
    assert cap_binds or m.battlefield.defence_estimate(2) >= m.battlefield.power(o1) / 2.0 - 1e-6


def test_no_detachment_from_an_old_gain_without_a_threat_or_with_zero_share():
    for m in (
        _gain_at_s2(captured_days_ago=30),  # not a recent gain any more
        _gain_at_s2(enemy_at=5),  # no enemy next to it
        _gain_at_s2(hold_share=0.0),
    ):
        g1 = m.formation_by_spec["g1"]
        before = float(m.battlefield.garrison[2])
        g1.move_to_node(1)
        holding.leave_holding_force(m, g1, 2)
        assert m.battlefield.garrison[2] == before and m.battlefield.held_back[2] == 0.0
        assert g1.strength == 6000.0


def test_marching_away_in_the_movement_phase_leaves_the_detachment():
    m = _gain_at_s2()
    g1 = m.formation_by_spec["g1"]
    g1.posture, g1.destination, g1.target = Posture.MOVE, 0, None
    movement.march(m)
    assert g1.node != 2
    assert m.battlefield.held_back[2] > 0.0 and g1.strength < 6000.0


def test_detachment_rejoins_when_no_enemy_is_within_two_links():
    m = _gain_at_s2()
    g1, o1 = m.formation_by_spec["g1"], m.formation_by_spec["o1"]
    g1.move_to_node(1)
    holding.leave_holding_force(m, g1, 2)
    held, men = float(m.battlefield.held_back[2]), _men(m)
    holding.release_detachments(m)
    assert m.battlefield.held_back[2] == pytest.approx(held)  # the enemy is next door: it stays
    o1.move_to_node(6)  # the front moved away
    holding.release_detachments(m)
    assert m.battlefield.held_back[2] == pytest.approx(0.0)
    assert g1.strength == pytest.approx(6000.0)
    assert _men(m) == pytest.approx(men)


def test_a_detachment_falls_with_its_settlement():
    m = _gain_at_s2()
    g1, o1 = m.formation_by_spec["g1"], m.formation_by_spec["o1"]
    g1.move_to_node(1)
    holding.leave_holding_force(m, g1, 2)
    holding.capture(m, 2, m.faction_by_id["opposition"], [o1])
    assert m.battlefield.held_back[2] == 0.0


def test_detachments_are_reported_in_the_daily_record():
    m = _gain_at_s2()
    g1 = m.formation_by_spec["g1"]
    g1.move_to_node(1)
    holding.leave_holding_force(m, g1, 2)
    row = daily_record(m)
    assert row["detached_government"] == pytest.approx(float(m.battlefield.held_back[2]), abs=0.1)
    assert row["detached_government"] > 0.0 and row["detached_opposition"] == 0.0
    assert row["garrison_government"] >= row["detached_government"]


def test_stand_down_leaves_a_detachment_and_rests_away_from_the_front():
    """commander.stand_down: an assault unit whose order is done steps back from a recent gain at the
    front, leaving men to hold it, and rests; away from the front (no enemy-held neighbour) it holds."""
    m = _gain_at_s2()
    g1 = m.formation_by_spec["g1"]
    men = _men(m)
    holding.stand_down(m, g1)
    assert g1.node == 1  # the friendly neighbour away from the enemy at S3
    assert g1.posture is Posture.RECOVER and g1.recover_days == m.params.commander.rest_days
    assert m.battlefield.held_back[2] > 0.0 and g1.strength < 6000.0
    assert _men(m) == pytest.approx(men)
    behind = _gain_at_s2()
    g1 = behind.formation_by_spec["g1"]
    g1.move_to_node(1)  # no enemy-held settlement next to S1
    holding.stand_down(behind, g1)
    assert g1.node == 1 and g1.posture is Posture.HOLD and behind.battlefield.held_back.sum() == 0.0


def test_an_order_that_reached_its_objective_stands_its_units_down_only_when_asked():
    from sim.wargame.commander import plan_offensive

    for stand_down, node, posture in ((False, 2, Posture.HOLD), (True, 1, Posture.RECOVER)):
        order = {
            "faction": "government",
            "axis": "t",
            "start": "2020-01-02",
            "end": "2020-01-20",
            "objective": "S2",
            "formations": ["g1"],
        }
        sc = scenario(orders=[order], parameters={"commander": {"stand_down": stand_down, "hold_share": 0.2}})
        m = IdlibModel(sc, line_theatre(controllers=GOV3), civilians=False, rng=1)
        m.battlefield.last_capture_day[2] = m.day - 1
        g1 = m.formation_by_spec["g1"]
        g1.move_to_node(2)
        m.formation_by_spec["o1"].move_to_node(3)
        fac = m.faction_by_id["government"]
        plan_offensive(m, 0, m.scenario.orders[0], fac, True, 3)
        assert (g1.node, g1.posture) == (node, posture)
