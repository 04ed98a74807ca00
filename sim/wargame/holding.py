"""Control changes hands: captures, withdrawals, holding detachments, occupation and standing down.

Every change of a settlement's controller goes through ``capture``, so the bookkeeping (the previous
holder, the day, the garrison left, the gains of the capturing order, the record of captures) is written
once. The other functions are the ways units leave or hold ground around it:

* ``withdraw``: a beaten defender steps back to the friendly neighbour farthest from the enemy, or breaks
  out at a price if it is encircled;
* ``leave_holding_force``: a unit moving on from a recent gain leaves men to hold it, and
  ``release_detachments`` sends them back once the front has moved away;
* ``stand_down``: an assault unit whose order is done rests behind the line;
* ``occupy`` (a phase of the day): an enemy settlement nobody defends passes to the unit next to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.forces import FactionKind, Role
from sim.wargame.agents import Faction, Formation, Posture, spread_men, under_strength

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def capture(
    model: IdlibModel, node: int, fac: Faction, attackers: list[Formation], move_in: bool = True
) -> None:
    """``fac`` takes ``node``: the attackers leave ``combat.garrison`` men (at most
    ``combat.garrison_max_share`` of their strength) to hold it and the gain counts for their orders; with
    ``move_in`` they also move in and consolidate (an assault), without it they stay where they are (an
    occupation)."""
    bf = model.battlefield
    cp = model.params.combat
    old = bf.factions[int(bf.controller[node])]
    # non-fighting formations of the loser's side that are still here (RECOVER) pull out too
    for f in list(model.space[node].agents):
        if isinstance(f, Formation) and f.faction != fac.fid and f.posture is Posture.RECOVER:
            withdraw(model, f)
    bf.previous_controller[node] = bf.controller[node]
    bf.controller[node] = fac.code
    bf.held_back[node] = 0.0  # the loser's detachment fell with the settlement
    bf.control_version += 1
    bf.days_held[node] = 0
    bf.last_capture_day[node] = model.day
    bf.last_fight_day[node] = model.day
    detach = cp.garrison
    total = sum(f.strength for f in attackers)
    if total > 0:
        for f in attackers:
            share = detach * f.strength / total
            f.strength -= min(share, cp.garrison_max_share * f.strength)
    bf.garrison[node] = min(detach, cp.garrison_max_share * total) if total > 0 else 0.0
    for idx in sorted({f.order_index for f in attackers if f.order_index is not None}):
        model.order_gains.setdefault(idx, []).append(node)
    if move_in:
        for f in attackers:
            here = f.node
            f.move_to_node(node)
            if here != node:
                leave_holding_force(model, f, here)
            f.posture, f.target = Posture.HOLD, None
            f.engagement_loss = 0.0
            f.pause_days = model.params.commander.consolidation_days
            model.victory_today[f.unique_id] += 1.0
    model.record_capture(node, old.fid, fac.fid)


def withdraw(model: IdlibModel, f: Formation) -> None:
    """A beaten defender steps back to the friendly neighbour farthest from the enemy and rests. With no
    friendly neighbour it is encircled: it breaks out toward the nearest settlement its side holds, losing
    ``combat.breakout_loss`` of its strength, or is lost whole if its side holds nothing."""
    bf = model.battlefield
    fac = bf.faction_by_id[f.faction]
    back = bf.safest_neighbour(fac, f.node)
    if back is None:
        back = bf.nearest_friendly(fac, f.node, exclude_self=True)
        if back is None:
            model.killed_by_faction[f.faction] += f.lose(f.strength)
            return
        model.killed_by_faction[f.faction] += f.lose(model.params.combat.breakout_loss * f.strength)
    f.move_to_node(back)
    f.rest(model.params.commander.rest_days)
    f.engagement_loss = 0.0


def leave_holding_force(model: IdlibModel, f: Formation, node: int) -> None:
    """A unit moving on from a settlement its side took in the last ``counterattack_days`` leaves men
    behind to hold it: enough to bring the defence there up to the adjacent enemy power over
    ``attack_ratio`` (the bar the defensive planner reinforces to), at most ``hold_share`` of its
    strength. The men join the settlement's garrison (and return in ``release_detachments``).

    Why: with only the clearing party of ``combat.garrison`` men left in a town once its assault units
    moved on, the opposition retook several of the government's gains before 20 Feb where the seeds
    record none retaken between January and the counter-offensive of 20 Feb. Each gain held costs the
    advance men, as it does an army that garrisons what it takes.
    """
    bf = model.battlefield
    cp = model.params.commander
    fac = bf.faction_by_id[f.faction]
    if (
        cp.hold_share <= 0.0
        or not f.alive
        or fac.kind is not FactionKind.BELLIGERENT
        or f.role is Role.POST
        or bf.controller[node] != fac.code
        or model.day - bf.last_capture_day[node] > cp.counterattack_days
    ):
        return
    need = bf.threat(fac)[node] / cp.attack_ratio - bf.defence_estimate(node)
    if need <= 0.0:
        return
    per_man = bf.garrison_quality(node) * model.params.combat.garrison_fire * bf.protection(node)
    men = min(cp.hold_share * f.strength, need / per_man)
    f.strength -= men
    bf.garrison[node] += men
    bf.held_back[node] += men


def release_detachments(model: IdlibModel) -> None:
    """Holding detachments (``leave_holding_force``, tracked in ``held_back``) rejoin their side's
    under-strength units, as replacements do (by deficit), once no enemy unit stands within two road
    links of the settlement; the ordinary garrison or local defenders stay. Why: a detachment guards a
    gain against counter-attack; far behind the front it is men the offensive needs."""
    bf = model.battlefield
    # a garrison's losses fall on its ordinary men first; the detachment shrinks once they are gone
    bf.held_back = np.minimum(bf.held_back, bf.garrison)
    for fac in bf.factions:
        detached = np.where(bf.controller == fac.code, bf.held_back, 0.0)
        if fac.kind is not FactionKind.BELLIGERENT or not (detached > 0.5).any():
            continue
        short, deficit = under_strength(bf.formations_of(fac.fid))
        if not short:
            continue
        free = (detached > 0.5) & (bf.threat(fac, hops=2) <= 0.0)
        men = float(detached[free].sum())
        if men <= 0.0:
            continue
        men = min(men, deficit)
        back = detached[free] * (men / float(detached[free].sum()))
        bf.garrison[free] -= back
        bf.held_back[free] -= back
        spread_men(short, deficit, men)


def stand_down(model: IdlibModel, f: Formation) -> None:
    """An assault unit whose order is done steps back from the front to rest: it leaves a holding
    detachment on a recent gain (``leave_holding_force``) and moves to the friendly neighbour farthest
    from the enemy, resting there (``RECOVER``) for ``commander.rest_days``. A unit already out of
    contact holds where it is."""
    if f.posture is Posture.POST:
        return
    bf = model.battlefield
    fac = bf.faction_by_id[f.faction]
    in_contact = bf.enemy_neighbours(fac, f.node) > 0
    back = bf.safest_neighbour(fac, f.node) if in_contact else None
    if back is None:
        f.posture, f.target, f.destination = Posture.HOLD, None, None
        return
    node = f.node
    f.move_to_node(back)  # first: the detachment is sized to the defence left without the unit
    leave_holding_force(model, f, node)
    f.rest(model.params.commander.rest_days)


def occupy(model: IdlibModel) -> None:
    """Phase 6b. An enemy-held settlement that nobody defends passes without a fight to a unit standing
    next to it: no unit of its holder's side is there (resting or posted units included) and its local
    defenders or garrison number fewer than ``combat.occupy_below`` men. The occupier stays where it is and
    sends ``combat.garrison`` men (at most ``combat.garrison_max_share`` of its strength) to hold the place
    (``capture`` without moving in).

    Why: local defenders are raised from, and leave with, the people present (``recovery``), so a village
    emptied by bombardment is held by no one; without this phase it stays with its holder until some
    order chooses to assault it, and orders aim at their highway and objective. Kafr Battikh, taken "with"
    Tell Mardikh on 30 Jan (seed [000]), could keep its opposition flag with no man in it beside
    government divisions for weeks. An army that passes an empty village occupies it.

    Only units of an order in force occupy (``order_index`` set): a unit holding a line does not advance
    into the villages in front of it. On the village map, with hundreds of small front-line villages, units
    that merely held occupied a string of them in the first days of December, before any offensive, and
    took Kafr Hamra and Khan al-Asal two months early.

    Deterministic: settlements and units are taken in id order; a side keeping a ceasefire, in weather
    that stops ground attacks (``can_attack``), or deterred from a settlement by a third party's troops
    does not occupy; a settlement passes at most once a day.
    """
    cp = model.params.combat
    model.occupations_today = 0
    if cp.occupy_below <= 0.0:
        return
    bf = model.battlefield
    t = model.theatre
    changed = np.zeros(t.n, dtype=bool)
    for fac in bf.factions:
        if fac.kind is not FactionKind.BELLIGERENT or not fac.active or not model.can_attack[fac.fid]:
            continue
        units = sorted(
            (
                f
                for f in bf.formations_of(fac.fid)
                if f.alive
                and f.posture in (Posture.HOLD, Posture.ATTACK)
                and f.role is not Role.POST
                and not f.redeploying
                and not f.encircled
                and f.order_index is not None
                and bf.controller[f.node] in fac.friendly_codes()
            ),
            key=lambda f: f.unique_id,
        )
        if not units:
            continue
        # Only a settlement next to one of these units and under the threshold can pass; the checks on its
        # agents below are per settlement, so they are made for these few (the same ones, in the same order).
        beside = t.adjacency[[f.node for f in units]].any(axis=0)
        # deterrence at a settlement depends only on its own controller, which no occupation below changes
        # before that settlement's turn
        open_ = bf.enemy_mask(fac) & ~changed & beside & (bf.garrison < cp.occupy_below)
        for node in np.flatnonzero(open_ & ~bf.deterred_mask(fac)):
            node = int(node)
            holders = bf.factions[int(bf.controller[node])].friendly_codes()
            if any(
                isinstance(a, Formation) and a.alive and bf.faction_by_id[a.faction].code in holders
                for a in model.space[node].agents
            ):
                continue
            beside_node = (f for f in units if t.adjacency[f.node, node] and _may_occupy(model, f, node))
            occupier = next(beside_node, None)
            if occupier is None:
                continue
            capture(model, node, fac, [occupier], move_in=False)
            changed[node] = True
            model.occupations_today += 1


def _may_occupy(model: IdlibModel, f: Formation, node: int) -> bool:
    """Is ``node`` on the axis of ``f``'s order today (``combat.occupy_corridor_km``; always when 0)?

    Why: on the village map, where most villages have a handful of local defenders, occupation in every
    direction from every unit of an order is how most of an advance's ground is taken
    (calibration/war_refit/README.md); an axis clears the villages on its way and leaves those beside it
    until they are enveloped, assaulted or reached by a later order."""
    if model.params.combat.occupy_corridor_km <= 0:
        return True
    zone = model.occupy_zone.get(f.order_index)
    return zone is not None and bool(zone[node])
