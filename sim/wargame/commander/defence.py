"""The defensive planner: every formation not on an order, each morning, after the offensive planners.

Withdrawn units regroup in depth; units leave settlements being enveloped rather than be encircled in
them; manoeuvre units counter-attack a neighbouring settlement their side lost in the last
``counterattack_days`` days when their power reaches ``counterattack_ratio`` times its defence under the
holder's air cover (local counter-attacks retake what was just lost; deeper offensives need an order);
raiding factions raid; free manoeuvre units come back for a highway town just lost; then line units and
reserves shift to the settlements where the threat most exceeds the defence, reserves only where an
attack is under way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.forces import FactionKind, Role
from sim.wargame.agents import Formation, Posture
from sim.wargame.commander.actions import available
from sim.wargame.commander.raids import (
    march_to_nearest_loss,
    plan_raid_marches,
    plan_raids,
    recently_lost_neighbours,
)

if TYPE_CHECKING:
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def plan_defence(model: IdlibModel, faction: Faction, used: set[int], can_attack: bool) -> None:
    """Regroup, reinforce threatened settlements, and counter-attack where strong enough."""
    bf = model.battlefield
    cp = model.params.commander
    forms = [f for f in bf.formations_of(faction.fid) if f.unique_id not in used and f.alive]
    if not forms:
        return
    dist, _ = bf.friendly_paths(faction)
    theatre = model.theatre
    # 1. withdrawn units regroup one step back from the front and recover
    for f in forms:
        f.order_index = None
        if f.posture is Posture.RECOVER:
            f.recover_days -= 1
            if bf.enemy_neighbours(faction, f.node) > 0:
                back = bf.safest_neighbour(faction, f.node)
                if back is not None:
                    f.move_to_node(back)
            if f.recover_days <= 0 and f.morale > model.params.combat.morale_break + cp.return_margin:
                f.hold()
    ready = [f for f in forms if available(f)]
    if not ready or faction.kind is FactionKind.GUARANTOR:
        return  # a guarantor's task forces stay where their government put them (scenario events)
    for f in ready:
        f.pause_days -= 1
    # 2a. trade space for time: leave a settlement that is being enveloped rather than be encircled in it
    enveloped = bf.enveloped(faction)
    leaving = set()
    for f in ready:
        if enveloped[f.node]:
            _leave_envelopment(model, faction, f, enveloped, dist)
            if f.posture is Posture.MOVE:
                leaving.add(f.unique_id)
    ready = [f for f in ready if f.alive and f.unique_id not in leaving]
    threat, sector = bf.threats(faction)
    attacked = bf.attacked_nodes(faction)
    defence = bf.defence_all()
    # 2. counter-attacks by manoeuvre units (and lines with high morale) when clearly stronger
    if faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
            if f.role is not Role.MANOEUVRE or f.posture is Posture.ATTACK:
                continue
            targets = recently_lost_neighbours(model, faction, f)
            if not targets:
                continue
            t = min(targets, key=lambda t: (bf.defence_estimate(t), t))
            partners = [
                g
                for g in ready
                if g.posture is not Posture.ATTACK
                and g.role is Role.MANOEUVRE
                and theatre.adjacency[g.node, t]
            ]
            if f not in partners:
                partners.append(f)
            power = sum(bf.power(g) for g in partners) * bf.ally_support(faction, t)
            cover = bf.air_cover(t)  # the holder's air force meets a counter-attack (seed [000])
            if power >= cp.counterattack_ratio * max(bf.defence_estimate(t) * cover, 1.0):
                for g in partners:
                    g.posture, g.target, g.destination = Posture.ATTACK, t, None
    # 2b. raids: short attacks at poor odds, with surprise, on settlements just lost
    if faction.spec.raids and faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        plan_raids(model, faction, ready)
    # 2c. a settlement just lost on one of the faction's objective roads draws its free manoeuvre units
    moved: set[int] = set()
    if faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        moved |= _march_on_lost_road(model, faction, ready, dist)
    # 2d. a raiding faction's free assault units go to stand next to a settlement just lost
    if faction.spec.raids and faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        free = [f for f in ready if f.unique_id not in moved]
        moved |= plan_raid_marches(model, faction, free, dist, threat, defence)
    # 3. reinforce: fill the largest deficits first (attacked settlements before merely threatened ones)
    need = np.where(threat > 0, threat / cp.attack_ratio - defence, 0.0)
    order = sorted(np.flatnonzero(need > 0), key=lambda v: (-(attacked[v] * 1e9 + need[v]), v))
    movers = [f for f in ready if f.posture is not Posture.ATTACK and f.unique_id not in moved]
    men = {int(v): bf.men_at(int(v)) for v in order}
    reach_of = {
        f.unique_id: cp.line_shift_km if f.role is Role.LINE else cp.reserve_march_days * cp.move_km_per_day
        for f in movers
    }
    road = theatre.road_km  # over all roads: a lower bound of the km over friendly ones
    for v in order:
        if need[v] <= 0 or men[v] >= bf.frontage(v):
            continue  # nobody is sent to v (the loop below would stop at its first unit)
        # units that could not reach v even over every road, or that the tests below would pass over
        # whatever their distance, are left out before their friendly-road distances are computed (it saves
        # most of those Dijkstras); the others are taken in the same order as among all of them
        near = [
            f
            for f in movers
            if road[f.node, v] <= reach_of[f.unique_id] and _may_go(f, int(v), moved, attacked, sector)
        ]
        for f in sorted(near, key=lambda f: (dist[f.node, v], f.unique_id)):
            if need[v] <= 0 or men[v] >= bf.frontage(v):
                break
            if f.unique_id in moved or f.node == v or not np.isfinite(dist[f.node, v]):
                continue
            reach = reach_of[f.unique_id]
            if dist[f.node, v] > reach:
                continue
            if f.role is Role.RESERVE and not attacked[v]:
                continue
            if f.role is Role.LINE and sector[f.node] > 0 and not attacked[v]:
                continue  # a line unit whose own sector faces the enemy stays unless a fight is under way
            own = f.node
            if threat[own] > 0 and defence[own] - bf.power(f) < threat[own] / cp.attack_ratio:
                continue  # leaving would open its own settlement
            f.posture, f.destination, f.target = Posture.MOVE, int(v), None
            moved.add(f.unique_id)
            need[v] -= bf.power(f)
            men[v] += f.strength
            defence[own] -= bf.power(f)
    for f in ready:
        if f.unique_id not in moved and f.posture is Posture.MOVE and f.order_index is None:
            f.hold()


def _may_go(f: Formation, v: int, moved: set[int], attacked: np.ndarray, sector: np.ndarray) -> bool:
    """The reinforcement tests that do not depend on distance: not sent elsewhere already, not already at
    ``v``, a reserve only to a fight, a line unit facing the enemy only to a fight."""
    if f.unique_id in moved or f.node == v:
        return False
    if f.role is Role.RESERVE and not attacked[v]:
        return False
    return not (f.role is Role.LINE and sector[f.node] > 0 and not attacked[v])


def _leave_envelopment(
    model: IdlibModel, faction: Faction, f: Formation, enveloped: np.ndarray, dist: np.ndarray
) -> None:
    """Step back to a neighbour that is not itself enveloped; if every neighbour is, march by own-held
    roads toward the nearest settlement that is neither enveloped nor cut off from supply. Stay and fight
    only when no road leads out (the unit is encircled). Why: stepping back into another enveloped
    settlement made units shuttle between two of them every day instead of getting out."""
    bf = model.battlefield
    back = bf.safest_neighbour(faction, f.node, avoid=enveloped)
    if back is not None:
        f.move_to_node(back)
        f.hold()
        f.engagement_loss = 0.0
        return
    ok = bf.friendly_mask(faction) & ~enveloped & bf.connected(faction)
    ok &= np.isfinite(dist[f.node])
    if not ok.any():
        return
    dest = int(np.flatnonzero(ok)[np.argmin(dist[f.node, ok])])
    f.posture, f.target, f.destination = Posture.MOVE, None, dest
    f.engagement_loss = 0.0


def _march_on_lost_road(
    model: IdlibModel, faction: Faction, ready: list[Formation], dist: np.ndarray
) -> set[int]:
    """Free manoeuvre units within ``reserve_march_days`` of march of a settlement their side lost in the last
    ``counterattack_days`` on one of its objective roads march to stand next to it; the local counter-attack
    rule then decides, at ``counterattack_ratio``, whether they attack. Return the ids of the marchers.

    Why: a highway the faction fights for is not given up for want of an order. The government's free
    divisions and the Iran-backed militias came back for Saraqib, cut on the M5 on 27 Feb, and retook it on
    2-3 Mar (seed [000]: Hezbollah "reinforcing Syrian troops on the Saraqib front"), while the planned
    offensive went on in Jabal al-Zawiya. Units already next to the settlement are left to rule 2.
    """
    bf = model.battlefield
    cp = model.params.commander
    roads = [v for obj in faction.objectives for v in model.theatre.highways.get(obj, [])]
    just_lost = bf.enemy_mask(faction) & bf.recently_lost_mask(faction, model.day)
    lost = sorted({int(v) for v in roads if just_lost[v]})
    out: set[int] = set()
    if not lost:
        return out
    reach = cp.reserve_march_days * cp.move_km_per_day
    staging = {t: bf.staging_nodes(faction, t) for t in lost}
    adjacency = model.theatre.adjacency
    for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
        if f.role is not Role.MANOEUVRE or f.posture is Posture.ATTACK:
            continue
        if march_to_nearest_loss(f, [t for t in lost if not adjacency[f.node, t]], staging, dist, reach):
            out.add(f.unique_id)
    return out
