"""Allied fire support: Turkish artillery backs rebel attacks next to its positions before Spring Shield."""

from __future__ import annotations

import pytest

from sim.inputs.events import FireSupportEvent
from sim.inputs.loader import load_scenario
from sim.wargame import events
from sim.wargame.model import IdlibModel

from .conftest import ROOT
from .synthetic import GOV3, line_theatre, scenario


def _model(events: dict, kind: str = "guarantor") -> IdlibModel:
    factions = scenario().model_dump()["factions"]
    factions["opposition"]["allies"] = ["turkey"]
    factions["turkey"] = {
        "label": "T",
        "color": "blue",
        "kind": kind,
        "enemies": ["government"],
        "allies": ["opposition"],
    }
    formations = scenario().model_dump()["formations"] + [
        {"id": "t1", "name": "TSK", "faction": "turkey", "group": "TSK", "strength": 500, "location": "S3"}
    ]
    sc = scenario(
        factions=factions,
        formations=formations,
        orders=[],
        events=events,
        parameters={"turkey": {"rebel_support": 0.5}},
    )
    return IdlibModel(sc, line_theatre(controllers=GOV3), civilians=False, rng=1)


def _fire(start: str, end: str) -> dict:
    return {"kind": "fire_support", "faction": "turkey", "start": start, "end": end}


def _support_by_day(m: IdlibModel, node: int) -> list[float]:
    out = []
    for _ in range(6):
        events.apply_day(m)
        out.append(m.battlefield.ally_support(m.faction_by_id["opposition"], node))
        m.day += 1
    return out


def test_fire_support_backs_attacks_next_to_turkish_positions_only_in_its_window():
    m = _model({"fire": _fire("2020-01-03", "2020-01-04")})
    assert _support_by_day(m, 2) == pytest.approx([1.0, 1.0, 1.5, 1.5, 1.0, 1.0])
    far = _model({"fire": _fire("2020-01-03", "2020-01-04")})
    assert _support_by_day(far, 0) == pytest.approx([1.0] * 6)  # S0 is two links from the TSK at S3


def test_fire_support_does_not_make_the_guarantor_fight_or_attack():
    m = _model({"fire": _fire("2020-01-01", "2020-01-10")})
    events.apply_day(m)
    tk = m.faction_by_id["turkey"]
    assert tk.supporting and not tk.intervening and not tk.active
    assert not m.battlefield.fights(m.formation_by_spec["t1"])


def test_a_passive_faction_gives_no_fire_support():
    m = _model({"fire": _fire("2020-01-01", "2020-01-10")}, kind="passive")
    assert _support_by_day(m, 2) == pytest.approx([1.0] * 6)


def test_an_intervention_supports_allies_unless_told_not_to():
    base = {"kind": "intervention", "faction": "turkey", "against": "government", "start": "2020-01-01"}
    yes = _model({"spring": {**base, "strikes_per_day": 0}})
    no = _model({"spring": {**base, "strikes_per_day": 0, "support_allies": False}})
    assert _support_by_day(yes, 2)[0] == pytest.approx(1.5)
    assert _support_by_day(no, 2)[0] == pytest.approx(1.0)


def test_counterfactuals_without_turkish_escalation_drop_the_fire_support():
    """The baseline has the two fire-support windows; the scenarios that remove Spring Shield remove them."""

    def windows(name: str) -> list[str]:
        sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml").scenario
        return sorted(k for k, ev in sc.events.items() if isinstance(ev, FireSupportEvent))

    assert windows("baseline") == ["turkish_fire_nayrab", "turkish_fire_saraqib"]
    assert windows("no_turkish_intervention") == []
    assert windows("ceasefire_5feb") == []
