"""Redeployment: units earmarked for a later order leave in time to reach its start point by its start."""

from __future__ import annotations

import datetime as dt

from sim.wargame import commander
from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel

from .synthetic import GOV3, line_theatre, scenario


def _model(start_point: str | None = "S0") -> IdlibModel:
    """g1 stands at S2; a later order (from 11 Jan) starts at S0, 100 km of road away (40 km a day)."""
    later = {
        "faction": "government",
        "axis": "later",
        "start": dt.date(2020, 1, 11),
        "end": dt.date(2020, 1, 20),
        "objective": "S6",
        "formations": ["g1"],
    }
    if start_point is not None:
        later["start_point"] = start_point
    sc = scenario(orders=[later], parameters={"commander": {"move_km_per_day": 40.0}})
    m = IdlibModel(sc, line_theatre(controllers=GOV3, km=50.0), civilians=False, rng=1)
    m.formation_by_spec["g1"].move_to_node(2)
    return m


def _on(m: IdlibModel, day: int) -> set[int]:
    m.day = day
    return commander.plan_redeployment(m, m.faction_by_id["government"])


def test_a_unit_with_time_to_spare_carries_on():
    m = _model()
    assert _on(m, 0) == set()  # 10 days left, 3 needed
    assert not m.formation_by_spec["g1"].redeploying


def test_it_leaves_when_the_march_needs_the_days_left_and_waits_at_the_start_line():
    m = _model()
    g1 = m.formation_by_spec["g1"]
    assert _on(m, 6) == set()  # 4 days left: not yet
    assert _on(m, 7) == {g1.unique_id}  # 3 days left, ceil(100 km / 40 km) = 3 days' march
    assert g1.posture is Posture.MOVE and g1.destination == 0 and g1.order_index is None
    g1.move_to_node(0)
    assert _on(m, 9) == {g1.unique_id}  # arrived early: it waits rather than going back
    assert g1.posture is Posture.HOLD and g1.redeploying
    assert _on(m, 10) == set()  # the order has started: its own planner takes over
    assert not g1.redeploying


def test_a_redeploying_unit_is_not_used_by_its_current_order():
    m = _model()
    g1 = m.formation_by_spec["g1"]
    _on(m, 7)
    now = m.scenario.orders[0].model_copy(update={"start": m.date, "objective": "S6", "start_point": None})
    assert commander.plan_offensive(m, 0, now, m.faction_by_id["government"], True, 3) == set()
    assert g1.destination == 0


def test_orders_without_a_start_point_are_not_redeployed_to():
    m = _model(start_point=None)
    assert _on(m, 9) == set()
