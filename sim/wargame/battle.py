"""Phase 6: ground combat at every settlement under assault today; withdrawals and captures.

For each target (in settlement order), the attackers next to it fight its defenders — the formations of
the holder's side that fight today and the garrison or local defenders — for one day of the stochastic
Lanchester step (``rules.combat.resolve_engagement``: Dupuy posture and terrain, close air support for
both sides, frontage, a Gamma day intensity). Then the breakpoints: a defence that breaks (ADM attrition,
Helmbold loss, morale, or overrun at overwhelming odds) withdraws and the settlement is captured; an
attack that breaks (loss or morale) is called off and its units rest. A settlement nobody holds is taken
without a fight.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from sim.wargame.agents import Formation, Posture
from sim.wargame.holding import capture, withdraw
from sim.wargame.rules.combat import (
    attacker_halts,
    defender_breaks,
    effective_power,
    overruns,
    resolve_engagement,
)

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def _powers(units: list[Formation], unsupplied_power: float) -> np.ndarray:
    return effective_power(
        np.array([f.strength for f in units]),
        np.array([f.quality for f in units]),
        np.array([f.morale for f in units]),
        np.array([f.supply for f in units]),
        unsupplied_power,
    )


def fight(model: IdlibModel) -> None:
    """Resolve the day's engagements; count them (``engagements_today``, ``surprise_today``,
    ``overruns_today``) for the record."""
    cp = model.params.combat
    t = model.theatre
    bf = model.battlefield
    by_target: dict[int, list[Formation]] = defaultdict(list)
    for f in model.formations:
        if f.posture is Posture.ATTACK and f.target is not None and f.alive:
            by_target[f.target].append(f)
    model.engagements_today = 0
    model.surprise_today = 0  # engagements opened with surprise (raids, counter-offensives' first days)
    model.overruns_today = 0  # defences that gave way to the day's odds (combat.overrun_ratio)
    for target in sorted(by_target):
        attackers = [f for f in by_target[target] if f.alive and t.adjacency[f.node, target]]
        if not attackers:
            continue
        att_fac = bf.faction_by_id[attackers[0].faction]
        if not bf.is_enemy_held(att_fac, target):
            continue
        defenders = bf.defenders_at(target)
        g = float(bf.garrison[target])
        if not defenders and g < 1.0:
            capture(model, target, att_fac, attackers)
            continue
        model.engagements_today += 1
        bf.last_fight_day[target] = model.day
        bf.last_assault_day[att_fac.fid][target] = model.day
        model.surprise_today += any(f.raiding for f in attackers)
        d_str = np.array([f.strength for f in defenders] + [g])
        d_pow = np.concatenate(
            [_powers(defenders, cp.unsupplied_power), np.array([bf.garrison_power(target)])]
        )
        a_str = np.array([f.strength for f in attackers])
        a_pow = _powers(attackers, cp.unsupplied_power) * bf.ally_support(att_fac, target)
        a_pow = a_pow * np.array([cp.raid_surprise if f.raiding else 1.0 for f in attackers])
        res = resolve_engagement(
            model.rng,
            a_str,
            a_pow,
            d_str,
            d_pow,
            bf.protection(target),
            float(model.cas[target]),
            model.ground_factor,
            cp,
            bf.frontage(target),
            float(model.defence_cas[target]),
        )
        for f, men in zip(attackers, res.attacker_losses, strict=True):
            f.suffer(float(men), engagement=True)
        for f, men in zip(defenders, res.defender_losses[:-1], strict=True):
            f.suffer(float(men), engagement=True)
        g_loss = min(g, res.defender_losses[-1])
        bf.garrison[target] -= g_loss
        model.killed_by_faction[bf.factions[int(bf.controller[target])].fid] += g_loss
        # breakpoints
        d_total = float(d_str.sum())
        cum = (
            sum(f.engagement_loss * f.strength for f in defenders) / max(d_total - g, 1.0)
            if defenders
            else res.defender_daily_fraction
        )
        morale = (
            (sum(f.morale * f.strength for f in defenders) / max(d_total - g, 1.0))
            if defenders
            else cp.garrison_morale
        )
        model.overruns_today += overruns(res.odds, cp)
        if defender_breaks(res.defender_daily_fraction, cum, morale, cp, res.odds) or (
            sum(f.strength for f in defenders) + bf.garrison[target] < 1.0
        ):
            for f in defenders:
                withdraw(model, f)
            bf.garrison[target] = 0.0  # local defenders melt away
            capture(model, target, att_fac, [f for f in attackers if f.alive])
        else:
            a_cum = sum(f.engagement_loss * f.strength for f in attackers) / max(a_str.sum(), 1.0)
            a_mor = sum(f.morale * f.strength for f in attackers) / max(a_str.sum(), 1.0)
            if attacker_halts(a_cum, a_mor, cp):
                for f in attackers:
                    f.rest(model.params.commander.rest_days)
                    f.engagement_loss = 0.0
