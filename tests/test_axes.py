"""Axes given as routes: an order's waypoints (``via``), which order a unit serves when two are in force,
and redeployment keyed by the order a unit marches for."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.wargame import commander
from sim.wargame.axes import axis_point
from sim.wargame.model import IdlibModel

from .synthetic import line_theatre, scenario

GOV, OPP = "government", "opposition"


def _fork():
    """S0-S1-...-S6 on a line, government S0-S1, and a side road S1-S5: from S1 the axis can go east
    (S2, toward S3) or up the side road (S5, toward S6)."""
    th = line_theatre(controllers=[GOV, GOV, OPP, OPP, OPP, OPP, OPP])
    th.graph.add_edge(1, 5, length_km=8.0, kind="secondary", highways=[])
    return th


def _order(**kw):
    o = {"faction": GOV, "axis": "a", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 20),
         "objective": "S3", "formations": ["g1"]}  # fmt: skip
    o.update(kw)
    return o


def _target_today(via: list[str]) -> int | None:
    sc = scenario(orders=[_order(via=via)], formations=[scenario().formations[0].model_dump()])
    m = IdlibModel(sc, _fork(), civilians=False, rng=1)
    m.day = 0
    commander.plan_offensive(m, 0, m.scenario.orders[0], m.faction_by_id[GOV], True, 1)
    g1 = m.formation_by_spec["g1"]
    return g1.target if g1.target is not None else g1.destination


def test_without_waypoints_the_axis_goes_straight_for_its_objective():
    assert _target_today([]) == 2


def test_a_waypoint_turns_the_axis_up_the_side_road():
    assert _target_today(["S6"]) == 5


def test_axis_point_is_the_waypoint_after_the_last_held_then_the_objective():
    th = _fork()
    sc = scenario(orders=[_order(via=["S5", "S6"])])
    o = sc.orders[0]
    held = np.zeros(th.n, dtype=bool)
    held[:2] = True
    assert axis_point(th, o, held) == 5
    held[5] = True
    assert axis_point(th, o, held) == 6
    held[6] = True
    assert axis_point(th, o, held) == 3  # every waypoint held: the objective
    held[5] = False  # the first waypoint lost behind the front: the axis does not turn back for it
    assert axis_point(th, o, held) == 3
    held[:] = False
    held[6] = True  # the second taken out of order: the first is not assaulted for its own sake
    assert axis_point(th, o, held) == 3


def test_a_unit_named_by_two_orders_in_force_serves_the_one_that_started_last():
    orders = [
        _order(axis="old", start=dt.date(2020, 1, 1), formations=["g1", "o1"]),
        _order(axis="new", start=dt.date(2020, 1, 5), formations=["g1"]),
        _order(axis="same day", start=dt.date(2020, 1, 5), formations=["g1"]),
    ]
    sc = scenario(orders=[{**o, "faction": GOV} for o in orders])
    owner = commander.order_of_units(list(enumerate(sc.orders)))
    assert owner == {"g1": 1, "o1": 0}  # of two that started the same day, the first listed


def test_only_the_newer_order_plans_a_unit_both_name():
    old = _order(axis="old", objective="S3", start=dt.date(2020, 1, 1))
    new = _order(axis="new", objective="S3", start=dt.date(2020, 1, 2), via=["S6"])
    # the newer order listed first: planned alone, the old order (planned after it) would win the unit back
    sc = scenario(orders=[new, old], formations=[scenario().formations[0].model_dump()])
    m = IdlibModel(sc, _fork(), civilians=False, rng=1)
    m.step()  # 1 Jan: only the old order: straight east, S2 taken
    g1 = m.formation_by_spec["g1"]
    assert g1.order_index == 1 and g1.node == 2
    m.step()  # 2 Jan: the new order sends the unit up the side road (S5), not on to S3
    assert g1.order_index == 0
    assert m.battlefield.controller[5] == m.faction_by_id[GOV].code or 5 in (g1.target, g1.destination)
    assert m.battlefield.controller[3] != m.faction_by_id[GOV].code


def test_a_unit_at_one_start_line_does_not_leave_for_the_next_order_when_the_first_begins():
    """g1 is earmarked for an order from 11 Jan at S0 and one from 1 Mar at S6: having waited at S0, on
    11 Jan it serves the first order rather than setting off at once for the second's start line."""
    first = _order(axis="first", start=dt.date(2020, 1, 11), end=dt.date(2020, 1, 20), objective="S6",
                   start_point="S0")  # fmt: skip
    second = _order(axis="second", start=dt.date(2020, 3, 1), end=dt.date(2020, 3, 10), objective="S6",
                    start_point="S6")  # fmt: skip
    sc = scenario(orders=[first, second], end=dt.date(2020, 3, 10),
                  parameters={"commander": {"move_km_per_day": 40.0}})  # fmt: skip
    m = IdlibModel(sc, line_theatre(controllers=[GOV] * 6 + [OPP], km=50.0), civilians=False, rng=1)
    g1 = m.formation_by_spec["g1"]
    g1.move_to_node(2)
    gov = m.faction_by_id[GOV]
    m.day = 7
    assert commander.plan_redeployment(m, gov) == {g1.unique_id}
    assert g1.redeploy_for == 0 and g1.destination == 0
    g1.move_to_node(0)
    m.day = 10  # 11 Jan: the first order has begun; the second is 50 days away
    assert commander.plan_redeployment(m, gov) == set()
    assert not g1.redeploying


def test_the_planners_frontier_queries_at_once_are_the_per_settlement_ones(baseline):
    """The planners' deterred settlements and staging distances, computed for every settlement at once
    (one pass over the formations; the adjacency's rows), are the rules applied settlement by settlement
    (the units standing in each settlement's cell; ``staging_nodes``) on the village map, on every day of a
    run up to the Turkish intervention, whose task forces deter the government."""
    from sim.inputs.forces import Role
    from sim.runs.runner import build_model
    from sim.wargame.agents import Formation
    from sim.wargame.commander.offensive import _staging_km

    def deterred_here(bf, fac, v: int) -> bool:  # the escalation rule, read from the settlement's agents
        return any(
            isinstance(a, Formation)
            and a.alive
            and a.role is not Role.POST
            and a.faction != fac.fid
            and a.faction not in fac.enemies
            and int(bf.controller[v]) in bf.faction_by_id[a.faction].friendly_codes()
            for a in bf.space[v].agents
        )

    m = build_model(baseline, 7, civilians=False)
    rng = np.random.default_rng(0)
    deterred_days = 0
    while m.date < dt.date(2020, 3, 3):
        m.step()
        bf = m.battlefield
        for fac in m.factions:
            frontier = bf.frontier(fac)
            if frontier.size == 0:
                continue
            each = np.array([deterred_here(bf, fac, v) for v in range(m.theatre.n)])
            np.testing.assert_array_equal(bf.deterred_mask(fac), each)
            deterred_days += bool(each.any())
            km = rng.random(m.theatre.n) * 100.0
            per_target = [km[bf.staging_nodes(fac, int(t))].min() for t in frontier]
            np.testing.assert_array_equal(_staging_km(m, fac, frontier, km), per_target)
    assert deterred_days > 0  # the deterrence case is exercised, not only the empty one
