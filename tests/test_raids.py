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


def _assault_unit_behind(
    location: str = "S5", role: str = "manoeuvre", km: float = 8.0, march_days: int = 1, raids: bool = True
) -> IdlibModel:
    """Government took S2 yesterday and left a garrison (no division: none comes to its help); the
    opposition's only unit, an assault group (manoeuvre, motivated), stands at ``location`` behind its own
    line (S3-S6)."""
    factions = scenario().model_dump()["factions"]
    factions["opposition"]["raids"] = raids
    unit = {"id": "o2", "name": "O2", "faction": "opposition", "group": "HTS", "strength": 2000,
            "location": location, "role": role, "morale": 0.85, "cohesion": 0.9}  # fmt: skip
    sc = scenario(
        factions=factions,
        orders=[],
        formations=[unit],
        parameters={"commander": {"raid_rate": 1.0, "raid_ratio": 0.8, "raid_march_days": march_days}},
    )
    m = IdlibModel(sc, line_theatre(controllers=GOV3, km=km), civilians=False, rng=3)
    m.battlefield.previous_controller[2] = m.faction_by_id["opposition"].code
    m.battlefield.last_capture_day[2] = -1
    m.battlefield.garrison[2] = 150.0
    return m


def _marches(m: IdlibModel) -> set[int]:
    fac = m.faction_by_id["opposition"]
    ready = [f for f in m.battlefield.formations_of("opposition") if f.alive]
    dist, _ = m.battlefield.friendly_paths(fac)
    threat, _ = m.battlefield.threats(fac)
    return commander.plan_raid_marches(m, fac, ready, dist, threat, m.battlefield.defence_all())


def test_an_assault_unit_marches_to_stand_next_to_a_settlement_just_lost():
    m = _assault_unit_behind()
    o2 = m.formation_by_spec["o2"]
    assert _marches(m) == {o2.unique_id}
    assert (o2.posture, o2.destination, o2.target) == (Posture.MOVE, 3, 2)  # S3: S2's staging settlement


def test_the_march_is_followed_by_the_raid_that_retakes_it():
    m = _assault_unit_behind()
    for _ in range(3):
        m.step()
    assert [c["settlement"] for c in m.captures if c["to_controller"] == "opposition"] == ["S2"]
    assert m.formation_by_spec["o2"].node == 2


def test_raid_marches_reach_only_raid_march_days_of_march():
    # 30 km links: S5 is 60 km from S3, beyond a day's march (40 km) and within two
    assert not _marches(_assault_unit_behind(km=30.0, march_days=1))
    assert _marches(_assault_unit_behind(km=30.0, march_days=2))
    assert not _marches(_assault_unit_behind(march_days=0))  # 0: the rule is off


def test_only_assault_units_of_a_raiding_faction_march():
    assert not _marches(_assault_unit_behind(role="line"))
    m = _assault_unit_behind(raids=False)
    m.step()
    o2 = m.formation_by_spec["o2"]
    assert o2.target != 2 and o2.node == 5  # plan_defence does not send a non-raiding faction's units


def test_a_unit_already_next_to_the_loss_is_left_to_the_raid_rule():
    assert not _marches(_assault_unit_behind(location="S3"))
