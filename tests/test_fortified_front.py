"""The fortified front of the first day (``combat.front_garrison``, ``combat.front_depth_km``)."""

from __future__ import annotations

import numpy as np

from sim.cli import main
from sim.wargame import commander, events, holding, recovery
from sim.wargame.model import IdlibModel

from .conftest import BASELINE
from .synthetic import line_theatre, scenario
from .test_scenario_errors import assert_one_line_error

GOV, OPP = "government", "opposition"


def _model(
    front_garrison: float, depth_km: float, militia_per_capita: float = 0.008, areas: tuple = ()
) -> IdlibModel:
    """S0-S1 government, S2-S6 opposition, 8 km apart, 10,000 people each; one government unit at S1 on an
    order toward S6, no opposition unit."""
    params = {
        "combat": {
            "front_garrison": front_garrison,
            "front_depth_km": depth_km,
            "militia_per_capita": militia_per_capita,
            "occupy_below": 100.0,
        }
    }
    formations = [scenario().formations[0].model_dump()]
    sc = scenario(parameters=params, formations=formations, fortified_front={"areas": list(areas)})
    return IdlibModel(sc, line_theatre(), civilians=False, rng=1)


def test_the_first_days_front_is_manned_to_the_front_garrison():
    m = _model(front_garrison=200.0, depth_km=10.0)
    bf = m.battlefield
    militia = 0.008 * 10_000
    assert bf.fortified.tolist() == [0, 0, 200, 0, 0, 0, 0]  # only S2 is within 10 road km of S1
    assert bf.garrison[2] == 200.0 and bf.garrison[3] == militia
    deeper = _model(front_garrison=200.0, depth_km=20.0).battlefield
    assert deeper.fortified.tolist() == [0, 0, 200, 200, 0, 0, 0]
    off = _model(front_garrison=0.0, depth_km=20.0).battlefield
    assert not off.fortified.any() and off.garrison[2] == militia


def test_fortified_villages_regather_to_the_front_garrison_not_to_their_residents():
    m = _model(front_garrison=200.0, depth_km=10.0)
    bf, share = m.battlefield, m.params.combat.militia_regather
    bf.garrison[2] = bf.garrison[3] = 10.0
    recovery.recover(m)
    assert np.isclose(bf.garrison[2], 10.0 + share * (200.0 - 10.0))
    assert np.isclose(bf.garrison[3], 10.0 + share * (0.008 * 10_000 - 10.0))


def _occupied_s2(front_garrison: float) -> bool:
    m = _model(front_garrison=front_garrison, depth_km=10.0, militia_per_capita=0.0001)  # one man a village
    m.day = 1  # the order starts on the second day
    events.apply_day(m)
    recovery.supply_lines(m)
    commander.plan(m)
    holding.occupy(m)
    return m.faction_by_id[GOV].code == int(m.battlefield.controller[2])


def test_a_fortified_village_must_be_assaulted_not_occupied():
    assert _occupied_s2(front_garrison=0.0)  # one local defender: it passes without a fight
    assert not _occupied_s2(front_garrison=200.0)


def test_only_the_scenarios_fortified_areas_are_fortified():
    bf = _model(front_garrison=200.0, depth_km=20.0, areas=("S3", "S5")).battlefield
    assert bf.fortified.tolist() == [0, 0, 0, 200, 0, 0, 0]  # S2 is near but not named, S5 named but deep


def test_an_unknown_fortified_area_is_a_one_line_error(capsys):
    code = main(["validate", str(BASELINE), "--set", "fortified_front.areas=[Nowhereville]"])
    assert code == 2
    assert_one_line_error(capsys.readouterr().err, "fortified_front.areas.0", "Nowhereville")
