"""Raids: the opposition's short attacks at poor odds, with surprise, on villages it has just lost.

Recently lost settlements are also what local counter-attacks aim at (``defence``), so the query that
finds them lives here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

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
    targets = recently_lost_neighbours(model, faction, f)
    if not targets:
        return []
    deterred = model.battlefield.deterred_mask(faction)
    return [t for t in targets if not deterred[t]]


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


def plan_raid_marches(
    model: IdlibModel,
    faction: Faction,
    ready: list[Formation],
    dist: np.ndarray,
    threat: np.ndarray,
    defence: np.ndarray,
) -> set[int]:
    """Free assault units of a raiding faction go to stand next to a settlement their side just lost,
    within ``raid_march_days`` of march by own-held roads (the nearest such staging settlement); the raid
    rule then decides there, day by day, whether they go in. Return the ids of the marchers.

    Which units: manoeuvre units that are not attacking, are motivated enough to raid, are not already next
    to a settlement just lost (the raid rule decides for them where they are) and whose departure would not
    open their own settlement to the threat on it (the reinforcement rule's test). Settlements a third
    party's presence deters are not aimed at. Units in a fixed order (strength, id), the nearest staging
    settlement first (then the lower id): runs stay reproducible.
    """
    cp = model.params.commander
    if cp.raid_march_days <= 0:
        return set()
    bf = model.battlefield
    just_lost = bf.enemy_mask(faction) & bf.recently_lost_mask(faction, model.day)
    lost = [int(v) for v in np.flatnonzero(just_lost & ~bf.deterred_mask(faction))]
    out: set[int] = set()
    if not lost:
        return out
    adjacency = model.theatre.adjacency
    reach = cp.raid_march_days * cp.move_km_per_day
    min_morale = model.params.combat.morale_break + cp.raid_morale_margin
    staging = {t: bf.staging_nodes(faction, t) for t in lost}
    for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
        if f.role is not Role.MANOEUVRE or f.posture is Posture.ATTACK or f.morale < min_morale:
            continue
        if any(adjacency[f.node, t] for t in lost):
            continue
        own = f.node
        if threat[own] > 0 and defence[own] - bf.power(f) < threat[own] / cp.attack_ratio:
            continue
        if march_to_nearest_loss(f, lost, staging, dist, reach):
            out.add(f.unique_id)
    return out


def march_to_nearest_loss(
    f: Formation, lost: list[int], staging: dict[int, np.ndarray], dist: np.ndarray, reach: float
) -> bool:
    """Send ``f`` to the staging settlement (``staging[t]``: the friendly neighbours of ``t``) nearest it,
    by own-held roads, of the settlement ``t`` of ``lost`` whose staging is nearest, with ``t`` as its
    target, if that is within ``reach`` km (ties: the lower settlement id); True if it marches. Shared by
    the raid marches and the return for a highway town just lost (``defence``)."""
    options = []
    for t in lost:
        s = staging[t]
        if s.size == 0:
            continue
        k = int(s[np.argmin(dist[f.node, s])])
        if dist[f.node, k] <= reach:
            options.append((float(dist[f.node, k]), t, k))
    if not options:
        return False
    _, t, k = min(options)
    f.posture, f.destination, f.target = Posture.MOVE, k, t
    return True
