"""Raids: the opposition's short attacks at poor odds, with surprise, on villages it has just lost.

Recently lost settlements are also what local counter-attacks aim at (``defence``), so the query that
finds them lives here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.inputs.forces import Role
from sim.wargame.agents import Formation, Posture

if TYPE_CHECKING:
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def recently_lost_neighbours(model: IdlibModel, faction: Faction, f: Formation) -> list[int]:
    """Enemy-held settlements next to ``f`` that its side lost in the last ``counterattack_days`` days."""
    bf = model.battlefield
    return [
        int(t)
        for t in model.theatre.neighbours[f.node]
        if bf.is_enemy_held(faction, int(t)) and bf.recently_lost(faction, int(t), model.day)
    ]


def raid_targets(model: IdlibModel, faction: Faction, f: Formation) -> list[int]:
    """The settlements ``f`` could counter-attack, less those a third party's presence deters."""
    bf = model.battlefield
    return [t for t in recently_lost_neighbours(model, faction, f) if not bf.deterred(faction, t)]


def plan_raids(model: IdlibModel, faction: Faction, ready: list[Formation]) -> None:
    """Raids: each ready manoeuvre or line unit next to a settlement its side just lost decides, with
    probability ``raid_rate`` a day, to raid the weakest such settlement if its power with ``raid_surprise``
    reaches ``raid_ratio`` times the defence there, air cover included (``Battlefield.air_cover``).

    Why: the HTS counter-attacks of 24 Dec (Tell Mannas, al-Ghadfa) and 20-24 Feb (Nayrab) went in at odds a
    deliberate counter-attack would refuse, led by SVBIEDs and inghimasi groups, and held villages for days
    (seed [000]). Raids are costly: the combat step charges raiders the defender's full fire. One uniform
    draw per eligible unit, in a fixed order (strength, id), so runs stay reproducible.
    """
    bf = model.battlefield
    cp = model.params.commander
    surprise = model.params.combat.raid_surprise
    min_morale = model.params.combat.morale_break + cp.raid_morale_margin
    for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
        if f.posture is Posture.ATTACK or f.role not in (Role.MANOEUVRE, Role.LINE) or f.morale < min_morale:
            continue
        targets = raid_targets(model, faction, f)
        if not targets:
            continue
        if model.rng.random() >= cp.raid_rate:
            continue
        t = min(targets, key=lambda t: (bf.defence_estimate(t), t))
        power = bf.power(f) * surprise * bf.ally_support(faction, t)
        if power >= cp.raid_ratio * max(bf.defence_estimate(t) * bf.air_cover(t), 1.0):
            f.posture, f.target, f.destination, f.raiding = Posture.ATTACK, t, None, True
