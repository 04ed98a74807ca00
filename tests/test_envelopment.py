"""Envelopment, local defenders' flight, pocket reduction, roads cleared in order, Astana posts."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.wargame import commander, events, guarantor, recovery
from sim.wargame.model import IdlibModel

from .synthetic import line_theatre, scenario

GOV, OPP = "government", "opposition"


def _unit(fid, faction, location, strength=1500, role="line"):
    return {"id": fid, "name": fid, "faction": faction, "group": "X", "strength": strength,
            "location": location, "role": role}  # fmt: skip


def _pocket_theatre(way_out: bool):
    """S2 and S3 opposition, ringed by government S1, S4 and S5 (S5 touches both); S6 opposition at the
    border crossing. With ``way_out`` a road S3-S6 leads out of the ring."""
    th = line_theatre(controllers=[GOV, GOV, OPP, OPP, GOV, GOV, OPP])
    th.graph.add_edge(2, 5, length_km=8.0, kind="secondary", highways=[])
    th.graph.add_edge(3, 5, length_km=8.0, kind="secondary", highways=[])
    if way_out:
        th.graph.add_edge(3, 6, length_km=8.0, kind="secondary", highways=[])
    return th


def test_enveloped_settlements_are_those_with_most_neighbours_enemy_held():
    th = _pocket_theatre(way_out=False)
    m = IdlibModel(scenario(orders=[]), th, civilians=False, rng=1)
    env = m.battlefield.enveloped(m.faction_by_id[OPP])
    assert env.tolist() == [False, False, True, True, False, False, False]  # S6: one enemy neighbour only


def _positions(way_out: bool, days: int) -> list[int]:
    """Where an opposition line unit starting in the enveloped S2 stands at the end of each day."""
    sc = scenario(orders=[], formations=[_unit("o1", OPP, "S2")])
    m = IdlibModel(sc, _pocket_theatre(way_out=way_out), civilians=False, rng=1)
    where = []
    for _ in range(days):
        m.step()
        where.append(m.formation_by_spec["o1"].node)
    return where


def test_units_in_a_closed_pocket_stay_rather_than_shuttle():
    assert _positions(way_out=False, days=4) == [2, 2, 2, 2]  # the old rule went back and forth S2-S3


def test_units_step_back_to_a_neighbour_that_is_not_enveloped():
    # S3 has an open road to S6: not enveloped (2 of 4 neighbours enemy-held)
    assert _positions(way_out=True, days=3) == [3, 3, 3]


def test_local_defenders_leave_an_enveloped_settlement_nobody_holds():
    th = line_theatre(controllers=[GOV, GOV, OPP, GOV, GOV, OPP, OPP])
    m = IdlibModel(scenario(orders=[], formations=[]), th, civilians=False, rng=1)
    g2, g5 = float(m.battlefield.garrison[2]), float(m.battlefield.garrison[5])
    m.step()
    flight = m.params.combat.militia_flight
    assert np.isclose(m.battlefield.garrison[2], g2 * (1 - flight))  # S2: both neighbours government-held
    assert m.battlefield.garrison[5] >= g5  # S5: one enemy neighbour of two, not enveloped: regathers


def test_an_order_whose_objective_is_held_reduces_pockets_only():
    th = line_theatre(controllers=[GOV, GOV, GOV, OPP, GOV, GOV, OPP])
    order = {"faction": GOV, "axis": "x", "start": dt.date(2020, 1, 2), "end": dt.date(2020, 1, 20),
             "objective": "S2", "formations": ["g1"]}  # fmt: skip
    sc = scenario(orders=[order], formations=[_unit("g1", GOV, "S2", 6000, "manoeuvre")])
    m = IdlibModel(sc, th, civilians=False, rng=1)
    for _ in range(12):
        m.step()
    taken = [c["settlement"] for c in m.captures if c["to_controller"] == GOV]
    assert taken == ["S3"]  # the cut-off S3 is cleared; S6, supplied from its crossing, is left alone


def test_a_road_is_cleared_in_order():
    """The M5 runs S0-S1-S2-S3; S4 is off the road but 2 km from the objective S6. The axis takes the
    road's next settlement S2 first instead of the short cut through S4."""
    th = line_theatre(controllers=[GOV, GOV, OPP, OPP, OPP, OPP, OPP])
    th.graph.remove_edges_from(list(th.graph.edges))
    for a, b, km in ((0, 1, 8), (1, 2, 30), (2, 3, 40), (3, 6, 40), (1, 4, 30), (4, 6, 2), (4, 5, 8)):
        th.graph.add_edge(a, b, length_km=float(km), kind="secondary", highways=[])
    th.highways["M5"] = [0, 1, 2, 3]
    order = {"faction": GOV, "axis": "x", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 20),
             "objective": "S6", "road": "M5", "formations": ["g1"]}  # fmt: skip
    sc = scenario(orders=[order], formations=[_unit("g1", GOV, "S1", 6000, "manoeuvre")])
    m = IdlibModel(sc, th, civilians=False, rng=1)
    events.apply_day(m)
    recovery.supply_lines(m)
    commander.plan(m)
    assert m.formation_by_spec["g1"].target == 2


def _turkish_losses(exposure: float, seeds=range(20)) -> float:
    factions = scenario().model_dump()["factions"]
    posts = {"group": "TSK", "strength": 150, "quality": 1.5, "cohesion": 0.9, "morale": 0.9}
    turkey = {
        "label": "T",
        "color": "blue",
        "kind": "guarantor",
        "enemies": [GOV],
        "allies": [OPP],
        "posts": posts,
    }
    factions["turkey"] = turkey
    roles = {"offensive": GOV, "local_defence": OPP, "guarantor": "turkey"}
    total = 0.0
    for seed in seeds:
        th = line_theatre()
        th.observation_posts.append({"name": "OP", "settlement": "S3"})
        params = {"turkey": {"astana_post_exposure": exposure}}
        sc = scenario(factions=factions, roles=roles, orders=[], parameters=params)
        m = IdlibModel(sc, th, civilians=False, rng=seed)
        m.strikes_by[GOV][3] = 30.0  # heavy government fire on the post's settlement
        guarantor.act(m)
        total += m.faction_by_id["turkey"].deaths_suffered
    return total


def test_astana_posts_are_besieged_rather_than_fired_on():
    assert _turkish_losses(0.0) == 0.0
    exposed, besieged = _turkish_losses(1.0), _turkish_losses(0.1)
    assert exposed > 3 * besieged and exposed > 0  # expected ratio about 5.6 at 30 strikes a day


def test_holding_units_hold_their_own_orders_gains():
    from sim.wargame import commander

    th = line_theatre(controllers=[GOV, GOV, GOV, OPP, GOV, GOV, OPP])
    sc = scenario(orders=[], formations=[_unit("h", GOV, "S1")])
    m = IdlibModel(sc, th, civilians=False, rng=1)
    m.battlefield.last_capture_day[[2, 5]] = 0  # both taken today, S5 by another order
    m.order_gains = {0: [2], 1: [5]}
    h = m.formation_by_spec["h"]
    commander.hold_gains(m, 0, m.faction_by_id[GOV], [h])
    assert h.destination == 2


def test_an_order_of_line_units_only_advances():
    line_g1 = [{**_unit("g1", GOV, "S1", 6000, "line"), "morale": 0.8, "cohesion": 0.8}]
    sc = scenario(formations=[*line_g1, _unit("o1", OPP, "S3")])
    m = IdlibModel(sc, line_theatre(), civilians=False, rng=1)
    for _ in range(sc.days):
        m.step()
    assert any(c["to_controller"] == GOV for c in m.captures)


def test_free_divisions_march_on_a_lost_highway_settlement():
    th = line_theatre(controllers=[GOV, GOV, GOV, OPP, GOV, GOV, OPP])
    th.highways["M5"] = list(range(7))
    factions = scenario().model_dump()["factions"]
    factions["government"]["objectives"] = ["M5"]
    sc = scenario(factions=factions, orders=[], formations=[_unit("g1", GOV, "S0", 6000, "manoeuvre")])
    m = IdlibModel(sc, th, civilians=False, rng=1)
    m.battlefield.previous_controller[3] = m.faction_by_id[GOV].code
    m.battlefield.last_capture_day[3] = -1
    events.apply_day(m)
    recovery.supply_lines(m)
    commander.plan(m)
    g1 = m.formation_by_spec["g1"]
    assert (g1.destination, g1.target) == (2, 3)
    # a settlement lost long ago, or off the faction's objective roads, draws nobody
    m.battlefield.last_capture_day[3] = -50
    commander.plan(m)
    assert g1.target != 3


def _flank_model(flank_defenders: int):
    """Government S0-S1, opposition S2-S6 eastward (objective S6) and S7, a flank village off S1. g1 is
    enough for the main effort on S2 alone; g2 is the second echelon, beside S7."""
    th = line_theatre(n=8, controllers=[GOV, GOV, OPP, OPP, OPP, OPP, OPP, OPP])
    th.graph.remove_edge(6, 7)
    th.graph.add_edge(1, 7, length_km=8.0, kind="secondary", highways=[])
    th.crossing[:] = False
    th.crossing[6] = True
    order = {"faction": GOV, "axis": "x", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 20),
             "objective": "S6", "formations": ["g1", "g2"]}  # fmt: skip
    forms = [_unit("g1", GOV, "S1", 8000, "manoeuvre"), _unit("g2", GOV, "S1", 2500, "manoeuvre"),
             _unit("o1", OPP, "S2", 1500)]  # fmt: skip
    if flank_defenders:
        forms.append(_unit("o2", OPP, "S7", flank_defenders))
    sc = scenario(orders=[order], formations=forms, parameters={"commander": {"max_targets": 1}})
    return IdlibModel(sc, th, civilians=False, rng=1)


def test_second_echelon_takes_a_weak_flank_beside_it():
    m = _flank_model(flank_defenders=0)
    m.step()
    g1, g2 = m.formation_by_spec["g1"], m.formation_by_spec["g2"]
    assert g1.target == 2  # the main effort: the road east
    assert [c["settlement"] for c in m.captures] == ["S7"]  # S7 (local defenders only) fell the same day
    assert g2.node == 7  # to the second echelon, which moved in


def test_second_echelon_follows_the_main_effort_where_the_flank_is_too_strong_for_it():
    m = _flank_model(flank_defenders=4000)
    m.step()
    assert m.formation_by_spec["g2"].target == 2
    assert "S7" not in [c["settlement"] for c in m.captures]
