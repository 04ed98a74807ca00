"""Raids: short attacks at poor odds, with surprise, on settlements a raiding faction has just lost."""

from __future__ import annotations

import numpy as np

from sim.wargame import commander
from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel

from .synthetic import GOV3, line_theatre, scenario


def _just_lost_s2(raids: bool, raid_rate: float = 1.0, garrison: float = 150.0, seed: int = 3) -> IdlibModel:
    """Government took S2 yesterday and left only a garrison; an opposition line unit stands at S3."""
    factions = scenario().model_dump()["factions"]
    factions["opposition"]["raids"] = raids
    sc = scenario(
        factions=factions,
        orders=[],
        parameters={"commander": {"raid_rate": raid_rate, "raid_ratio": 0.8}},
    )
    # 50 km links: the government division at S1 cannot march into S2 on the day of the raid
    m = IdlibModel(sc, line_theatre(controllers=GOV3, km=50.0), civilians=False, rng=seed)
    opp = m.faction_by_id["opposition"].code
    m.battlefield.previous_controller[2] = opp
    m.battlefield.last_capture_day[2] = -1
    m.battlefield.garrison[2] = garrison
    return m


def test_raid_retakes_a_weakly_held_settlement():
    m = _just_lost_s2(raids=True)
    m.step()
    assert [c["settlement"] for c in m.captures if c["to_controller"] == "opposition"] == ["S2"]
    raider = m.formation_by_spec["o1"]
    assert raider.node == 2  # the raiders moved in: the village is held, not only hit


def test_a_faction_that_does_not_raid_leaves_it():
    m = _just_lost_s2(raids=False)
    m.step()
    assert not [c for c in m.captures if c["to_controller"] == "opposition"]


def test_no_raid_at_hopeless_odds_or_with_zero_rate():
    strong = _just_lost_s2(raids=True, garrison=20_000.0)
    strong.step()
    assert not strong.captures
    never = _just_lost_s2(raids=True, raid_rate=0.0)
    never.step()
    assert not never.captures


def test_raids_only_target_recent_losses():
    m = _just_lost_s2(raids=True)
    m.battlefield.last_capture_day[2] = -50  # lost long ago: a deliberate counter-offensive needs an order
    m.step()
    assert not m.captures


def test_raid_rate_is_a_daily_probability():
    """Over many independent mornings the share of launched raids matches raid_rate."""
    launched = 0
    trials = 300
    for seed in range(trials):
        m = _just_lost_s2(raids=True, raid_rate=0.3, seed=seed)
        fac = m.faction_by_id["opposition"]
        ready = [f for f in m.battlefield.formations_of("opposition") if f.alive]
        commander.plan_raids(m, fac, ready)
        launched += int(any(f.raiding and f.posture is Posture.ATTACK for f in ready))
    share = launched / trials
    # binomial sd at p=0.3, n=300 is 0.026: a 4-sd band
    assert abs(share - 0.3) < 0.11, share


def test_surprise_multiplies_raiders_power_in_combat():
    """With raid_surprise the same raid inflicts more losses on the day (expected losses scale with power)."""

    def garrison_loss(surprise: float) -> float:
        out = []
        for seed in range(40):
            m = _just_lost_s2(raids=True, garrison=3000.0, seed=seed)
            m.params.combat.raid_surprise = surprise
            m.params.commander.raid_ratio = 0.01
            g0 = float(m.battlefield.garrison[2])
            m.step()
            taken = m.battlefield.controller[2] == m.faction_by_id["opposition"].code
            out.append(g0 if taken else g0 - float(m.battlefield.garrison[2]))
        return float(np.mean(out))

    assert garrison_loss(3.0) > 1.5 * garrison_loss(1.0)


def test_air_cover_deters_a_raid_at_marginal_odds():
    """A raid that goes in against a bare garrison is called off when the holder's air force is flying:
    the raiders count the close support the defenders would get."""
    launched = {}
    for sorties in (0.0, 200.0):
        m = _just_lost_s2(raids=True, garrison=1500.0)
        m.faction_by_id["government"].sorties_today = sorties
        fac = m.faction_by_id["opposition"]
        ready = [f for f in m.battlefield.formations_of("opposition") if f.alive]
        commander.plan_raids(m, fac, ready)
        launched[sorties] = any(f.raiding for f in ready)
    assert launched[0.0] and not launched[200.0]
