"""Commander logic: the decisions a faction's command makes each morning.

Two planners, used by every faction with ground forces:

* **Offensive** (one per active order): the order gives an axis, a time window and an objective that may lie
  beyond what is reached. The planner looks at the frontier (enemy-held settlements next to own-held ones),
  keeps those within ``axis_reach_km`` of the order's units (an axis is local) that bring the objective
  closer (within ``axis_corridor_km`` of the best), prefers
  the faction's objective roads (the M5 first, then the M4) while they are not yet held, and assigns
  formations greedily until the estimated power ratio reaches ``attack_ratio`` - up to ``max_targets``
  settlements at once. Formations next to their target attack; the others march to a staging settlement.
  Units no target needs (the second echelon) attack a frontier settlement beside them that each can take
  alone, and otherwise follow the main effort.
* **Defensive** (all formations not on an order): withdrawn units regroup in depth; line units and
  reserves shift to the settlements where the threat most exceeds the defence, reserves only where an
  attack is under way; manoeuvre units (only) counter-attack a neighbouring settlement their side lost in
  the last
  ``counterattack_days`` days when their power reaches ``counterattack_ratio`` times its defence under the
  holder's air cover (local counter-attacks retake what was just lost; deeper offensives need an order).

Before both, units earmarked for a later order with a start point leave in time to reach it by its start
date (``plan_redeployment``).

A unit moving on from a recent gain leaves a holding detachment sized to the threat there
(``IdlibModel._leave_holding_force``): that is the model's doing, not a planner's choice here.

Where a push gets and when a settlement falls is not decided here: that is the combat step's outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.schema import FactionKind, OrderKind, OrderSpec, Role
from sim.wargame.agents import Formation, Posture

if TYPE_CHECKING:
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def _ready(f: Formation) -> bool:
    return f.alive and f.posture not in (Posture.RECOVER, Posture.POST)


def plan_offensive(
    model: IdlibModel,
    order_index: int,
    order: OrderSpec,
    faction: Faction,
    can_attack: bool,
    max_targets: int,
) -> set[int]:
    """Plan one order for today; return the ids of the formations it used."""
    cp = model.params.commander
    forms = [model.formation_by_spec[fid] for fid in order.formations if fid in model.formation_by_spec]
    forms = [f for f in forms if _ready(f) and f.faction == faction.fid and not f.redeploying]
    if not forms:
        return set()
    for f in forms:
        f.pause_days -= 1
    for f in forms:
        f.order_index = order_index
    # line units on an order do not assault: they follow and hold what the assault units took; an order
    # given to line units only (the al-Ghab holding force) advances with them
    holders = [f for f in forms if f.role is Role.LINE]
    if len(holders) < len(forms):
        forms = [f for f in forms if f.role is not Role.LINE]
    else:
        holders = []
    _hold_gains(model, order_index, faction, holders)
    used_holders = {f.unique_id for f in holders}
    if not forms:
        return used_holders
    obj = model.theatre.id(order.objective)
    frontier = np.array(
        [t for t in model.frontier(faction) if not model.deterred(faction, int(t))], dtype=np.int64
    )
    road_name = model.open_objective_road(faction) if order.road == "auto" else order.road
    road_nodes = np.array(model.theatre.highways.get(road_name, []) if road_name else [], dtype=np.int64)
    friendly = faction.friendly_lut()
    road_open = road_nodes.size > 0 and not friendly[model.controller[road_nodes]].all()
    reached = model.controller[obj] in faction.friendly_codes() and not road_open
    if reached and frontier.size:
        # objective reached: the axis reduces the encircled pockets left behind it, then stops
        pockets = model.pockets(faction)
        frontier = frontier[pockets[frontier]]
    if frontier.size == 0:
        for f in forms:
            if reached and cp.stand_down:
                model.stand_down(f)
            else:
                _hold(f)
        return {f.unique_id for f in forms} | used_holders
    dist, _ = model.friendly_paths(faction)
    # the axis is local: only targets whose staging settlements lie within a march of its anchors - the
    # order's units or, if the order names a start point, that point and what the order has taken since
    near = dist[_anchors(model, order_index, order, faction, forms)].min(axis=0)
    # road km from the anchors to each frontier settlement's nearest staging settlement
    stage_km = np.array([near[model.staging_nodes(faction, int(t))].min() for t in frontier])
    keep = stage_km <= cp.axis_reach_km
    frontier, stage_km = frontier[keep], stage_km[keep]
    if frontier.size == 0:
        for f in forms:
            _hold(f)
        return {f.unique_id for f in forms} | used_holders
    if reached:  # the nearest pocket is the axis's objective now
        obj = int(frontier[np.argmin(stage_km)])
    road = model.theatre.road_km
    # a road is cleared in order: while it is open, the axis aims at the open road settlement next to the
    # held stretch that is nearest to its units, and turns to the order's objective once the road is held;
    # so a strongpoint on the road (Ma'arrat al-Nu'man on the M5) is taken rather than bypassed
    front = _road_front(model, faction, road_name) if road_nodes.size else np.array([], dtype=np.int64)
    on_front = np.isin(frontier, front)
    if road_open and on_front.any():
        obj = int(frontier[on_front][np.argmin(stage_km[on_front])])
    elif model.controller[obj] in faction.friendly_codes() and road_open:
        # objective held but the road is not: the axis continues to the nearest open stretch of the road
        open_nodes = road_nodes[~friendly[model.controller[road_nodes]]]
        obj = int(open_nodes[np.argmin(road[frontier][:, open_nodes].min(axis=0))])
    dist_obj = road[frontier, obj]
    best = dist_obj.min()
    cands = frontier[dist_obj <= best + cp.axis_corridor_km]
    cands = np.union1d(cands, np.intersect1d(front, frontier))
    score = road[cands, obj] + 2.0 * np.array([model.defence_estimate(t) for t in cands]) / 1000.0
    if road_nodes.size:
        score -= cp.objective_road_km * (np.isin(cands, road_nodes).astype(float) + np.isin(cands, front))
    # persistence: an attack under way is pressed rather than switched for a marginally better one. Only
    # attacks actually going in count: a unit still marching to a second target gave that target the same
    # bonus, and the axis's main effort flipped between the two from day to day (Tell Mannas and Deir
    # al-Sharqi, 23-25 Dec 2019, seed 2), losing a day of assault each time
    pressing = {f.target for f in forms if f.target is not None and f.posture is Posture.ATTACK}
    score -= cp.persistence_km * np.array([t in pressing for t in cands])
    cands = cands[np.argsort(score, kind="stable")][:max_targets]
    cas_each = model.expected_cas(faction) / max(1, len(cands))
    air = 1.0 + model.params.combat.air_support * cas_each
    free = sorted(forms, key=lambda f: (-f.strength, f.unique_id))
    assignment: dict[int, list[Formation]] = {}
    for k, t in enumerate(cands):
        need = cp.attack_ratio * model.defence_estimate(t)
        staging = model.staging_nodes(faction, t)
        if staging.size == 0:
            continue
        free.sort(key=lambda f, st=staging: (dist[f.node, st].min(), -f.strength, f.unique_id))
        got: list[Formation] = []
        power = 0.0
        while free and (power < need or (k == 0 and not got)):
            f = free.pop(0)
            if not np.isfinite(dist[f.node, staging].min()):
                continue
            got.append(f)
            power += model.power(f) * air
        if k > 0 and power < need:
            free.extend(got)  # not enough for a second axis: keep them for the main effort
            continue
        assignment[int(t)] = got
    main = int(cands[0]) if len(cands) else None
    for t, group in assignment.items():
        ratio_ok = sum(model.power(f) for f in group) * air >= model.defence_estimate(t)
        for f in group:
            if can_attack and ratio_ok and f.pause_days <= 0 and model.theatre.adjacency[f.node, t]:
                _assault(model, order, f, t)
            else:
                _march(model, faction, f, t)
    in_play = set(assignment)
    for f in free:  # second echelon: widens the front where it alone suffices, else follows the main effort
        side = _side_target(model, f, frontier, in_play, obj, air) if can_attack else None
        if side is not None:
            in_play.add(side)
            _assault(model, order, f, side)
        elif main is not None:
            _march(model, faction, f, main)
        else:
            _hold(f)
    return {f.unique_id for f in forms} | used_holders


def plan_redeployment(model: IdlibModel, faction: Faction) -> set[int]:
    """Units earmarked for a later order that names a start point leave whatever they are doing in time
    to reach it by the order's start date (road km over ``move_km_per_day``, by own-held roads), march
    there and wait; return their ids. A unit with time to spare carries on where it is.

    Why: the campaign plan is a timetable. With units joining a new axis only on its first day, the two
    divisions given the Jabal al-Zawiya push of 23 Feb 2020 (seed [000]) were still at Atarib and Deir
    Hassan at the end of the western push and reached Hish about six days late (seed 1001), so Kafr Nabl
    (taken 25 Feb) fell in March or not at all.
    """
    cp = model.params.commander
    today = model.date
    out: set[int] = set()
    was: set[int] = set()  # already on the way yesterday: they keep going (or waiting)
    for f in model.formations_of(faction.fid):
        if f.redeploying:
            was.add(f.unique_id)
        f.redeploying = False
    upcoming = [
        o
        for o in model.scenario.orders
        if o.faction == faction.fid and o.start_point is not None and o.start > today
    ]
    if not upcoming:
        return out
    dist, _ = model.friendly_paths(faction)
    for order in sorted(upcoming, key=lambda o: o.start):
        start = _start_settlement(model, faction, order.start_point)
        days_left = (order.start - today).days
        for fid in order.formations:
            f = model.formation_by_spec.get(fid)
            if f is None or f.unique_id in out or not _ready(f) or f.faction != faction.fid:
                continue
            km = dist[f.node, start]
            if not np.isfinite(km):
                continue
            if f.unique_id not in was and days_left > np.ceil(km / cp.move_km_per_day):
                continue  # time to spare: it carries on where it is
            f.redeploying = True
            f.order_index = None
            if km > 0.0:
                f.posture, f.destination, f.target = Posture.MOVE, start, None
            else:
                _hold(f)  # arrived: waits at the start line
            out.add(f.unique_id)
    return out


def _side_target(
    model: IdlibModel, f: Formation, frontier: np.ndarray, in_play: set[int], obj: int, air: float
) -> int | None:
    """The frontier settlement next to a free (second-echelon) unit that it can assault on its own at
    ``attack_ratio``, nearest (road km) to the axis's objective; None if there is none or it is pausing.

    Why: a division not needed for the main effort took the villages beside it rather than queue behind
    the main effort: the flanks of a strongpoint fell with it or before it (Afs, taken on 6 Feb 2020 to
    encircle Saraqib; Kafr Battikh with Tell Mardikh on 30 Jan: seed [000]). Following the main effort
    only, the model took Saraqib from the south and left its western flank (Afs, Nayrab) untouched in
    about 80 % of runs. Only the axis's own frontier counts (within its reach, not deterred, pockets
    only once the objective is held), and a settlement already targeted is left to its attackers.
    """
    if f.pause_days > 0:
        return None
    need = model.params.commander.attack_ratio
    power = model.power(f) * air
    side = [
        int(t)
        for t in frontier
        if int(t) not in in_play
        and model.theatre.adjacency[f.node, t]
        and power >= need * model.defence_estimate(int(t))
    ]
    if not side:
        return None
    road = model.theatre.road_km
    return min(side, key=lambda t: (road[t, obj], t))


def _road_front(model: IdlibModel, faction: Faction, road: str | None) -> np.ndarray:
    """Open settlements of a highway chain next (along the chain) to a stretch the faction holds."""
    chain = model.theatre.highways.get(road or "", [])
    if not chain:
        return np.array([], dtype=np.int64)
    held = faction.friendly_lut()[model.controller[chain]]
    out = [
        v
        for i, v in enumerate(chain)
        if not held[i] and ((i > 0 and held[i - 1]) or (i + 1 < len(chain) and held[i + 1]))
    ]
    return np.array(out, dtype=np.int64)


def _anchors(
    model: IdlibModel, order_index: int, order: OrderSpec, faction: Faction, forms: list[Formation]
) -> list[int]:
    if order.start_point is None:
        return [f.node for f in forms]
    friendly = model.friendly_mask(faction)
    gains = [v for v in model.order_gains.get(order_index, []) if friendly[v]]
    return [_start_settlement(model, faction, order.start_point), *gains]


def _start_settlement(model: IdlibModel, faction: Faction, name: str) -> int:
    """An order's start point, or the friendly settlement nearest to it (road km) if the enemy holds it."""
    start = model.theatre.id(name)
    friendly = model.friendly_mask(faction)
    if not friendly[start]:
        d = model.theatre.road_km[start].copy()
        d[~friendly] = np.inf
        start = int(np.argmin(d))
    return start


def _hold_gains(model: IdlibModel, order_index: int, faction: Faction, holders: list[Formation]) -> None:
    """Send holding units to the settlements this order took recently that are most exposed to
    counter-attack. Only this order's gains: the Jabal al-Zawiya holding force is not sent to Saraqib."""
    if not holders:
        return
    cp = model.params.commander
    gains = np.zeros(model.theatre.n, dtype=bool)
    gains[model.order_gains.get(order_index, [])] = True
    recent = np.flatnonzero(
        gains
        & (model.controller == faction.code)
        & (model.day - model.last_capture_day <= cp.counterattack_days)
    )
    if recent.size == 0:
        for f in holders:
            _hold(f)
        return
    threat = model.threat(faction)
    dist, _ = model.friendly_paths(faction)
    taken: set[int] = set()
    for f in sorted(holders, key=lambda f: (-f.strength, f.unique_id)):
        options = [int(v) for v in recent if v not in taken and np.isfinite(dist[f.node, v])]
        if not options:
            _hold(f)
            continue
        v = max(options, key=lambda v: (threat[v] - dist[f.node, v], -v))
        taken.add(v)
        if v == f.node:
            _hold(f)
        else:
            f.posture, f.destination, f.target = Posture.MOVE, v, None


def _assault(model: IdlibModel, order: OrderSpec, f: Formation, target: int) -> None:
    """Send ``f`` into an assault on ``target`` for ``order``. A counter-offensive's assault on a
    settlement its side did not assault yesterday opens with surprise: it counts ``combat.raid_surprise``
    on that first day, as a raid does (``Formation.raiding``).

    Why: the opposition's counter-offensives opened with SVBIEDs and inghimasi assault groups, at a time
    and place of their choosing (seed [000]: the counter-attack of 24 Dec 2019 toward Jarjnaz, "SVBIED
    used"; Nayrab on 20 and 24 Feb 2020); the government's deliberate assaults, prepared by days of air
    strikes and artillery, did not. Only the first day counts: after it the defender has reacted.
    """
    f.posture, f.target, f.destination = Posture.ATTACK, target, None
    opening = model.day - int(model.last_assault_day[f.faction][target]) > 1
    f.raiding = order.kind is OrderKind.COUNTEROFFENSIVE and opening


def _hold(f: Formation) -> None:
    if f.posture is not Posture.POST:
        f.posture, f.target, f.destination = Posture.HOLD, None, None


def _march(model: IdlibModel, faction: Faction, f: Formation, target: int) -> None:
    staging = model.staging_nodes(faction, target)
    dist, _ = model.friendly_paths(faction)
    if staging.size == 0:
        _hold(f)
        return
    dest = int(staging[np.argmin(dist[f.node, staging])])
    if not np.isfinite(dist[f.node, dest]):
        _hold(f)
        return
    if dest == f.node:
        _hold(f)
        f.target = target  # waiting next to its target for the ratio (or the ceasefire) to allow an attack
        return
    f.posture, f.destination, f.target = Posture.MOVE, dest, target


def _leave_envelopment(
    model: IdlibModel, faction: Faction, f: Formation, enveloped: np.ndarray, dist: np.ndarray
) -> None:
    """Step back to a neighbour that is not itself enveloped; if every neighbour is, march by own-held
    roads toward the nearest settlement that is neither enveloped nor cut off from supply. Stay and fight
    only when no road leads out (the unit is encircled). Why: stepping back into another enveloped
    settlement made units shuttle between two of them every day instead of getting out."""
    back = model.safest_neighbour(faction, f.node, avoid=enveloped)
    if back is not None:
        f.move_to_node(back)
        f.posture, f.target, f.destination = Posture.HOLD, None, None
        f.engagement_loss = 0.0
        return
    ok = model.friendly_mask(faction) & ~enveloped & model._connected(faction)
    ok &= np.isfinite(dist[f.node])
    if not ok.any():
        return
    dest = int(np.flatnonzero(ok)[np.argmin(dist[f.node, ok])])
    f.posture, f.target, f.destination = Posture.MOVE, None, dest
    f.engagement_loss = 0.0


def plan_defence(model: IdlibModel, faction: Faction, used: set[int], can_attack: bool) -> None:
    """Regroup, reinforce threatened settlements, and counter-attack where strong enough."""
    cp = model.params.commander
    forms = [f for f in model.formations_of(faction.fid) if f.unique_id not in used and f.alive]
    if not forms:
        return
    dist, _ = model.friendly_paths(faction)
    theatre = model.theatre
    # 1. withdrawn units regroup one step back from the front and recover
    for f in forms:
        f.order_index = None
        if f.posture is Posture.RECOVER:
            f.recover_days -= 1
            if model.enemy_neighbours(faction, f.node) > 0:
                back = model.safest_neighbour(faction, f.node)
                if back is not None:
                    f.move_to_node(back)
            if f.recover_days <= 0 and f.morale > model.params.combat.morale_break + 0.15:
                _hold(f)
    ready = [f for f in forms if _ready(f)]
    if not ready or faction.kind is FactionKind.GUARANTOR:
        return  # a guarantor's task forces stay where their government put them (scenario events)
    for f in ready:
        f.pause_days -= 1
    # 2a. trade space for time: leave a settlement that is being enveloped rather than be encircled in it
    enveloped = model.enveloped(faction)
    leaving = set()
    for f in ready:
        if enveloped[f.node]:
            _leave_envelopment(model, faction, f, enveloped, dist)
            if f.posture is Posture.MOVE:
                leaving.add(f.unique_id)
    ready = [f for f in ready if f.alive and f.unique_id not in leaving]
    threat = model.threat(faction)
    sector = model.threat(faction, hops=2)
    attacked = model.attacked_nodes(faction)
    defence = model.defence_all()
    # 2. counter-attacks by manoeuvre units (and lines with high morale) when clearly stronger
    if faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
            if f.role is not Role.MANOEUVRE or f.posture is Posture.ATTACK:
                continue
            targets = recently_lost_neighbours(model, faction, f)
            if not targets:
                continue
            t = min(targets, key=lambda t: (model.defence_estimate(t), t))
            partners = [
                g
                for g in ready
                if g.posture is not Posture.ATTACK
                and g.role is Role.MANOEUVRE
                and theatre.adjacency[g.node, t]
            ]
            if f not in partners:
                partners.append(f)
            power = sum(model.power(g) for g in partners) * model.ally_support(faction, t)
            cover = model.air_cover(t)  # the holder's air force meets a counter-attack (seed [000])
            if power >= cp.counterattack_ratio * max(model.defence_estimate(t) * cover, 1.0):
                for g in partners:
                    g.posture, g.target, g.destination = Posture.ATTACK, t, None
    # 2b. raids: short attacks at poor odds, with surprise, on settlements just lost
    if faction.spec.raids and faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        plan_raids(model, faction, ready)
    # 2c. a settlement just lost on one of the faction's objective roads draws its free manoeuvre units
    moved: set[int] = set()
    if faction.active and faction.kind is FactionKind.BELLIGERENT and can_attack:
        moved |= _march_on_lost_road(model, faction, ready, dist)
    # 3. reinforce: fill the largest deficits first (attacked settlements before merely threatened ones)
    need = np.where(threat > 0, threat / cp.attack_ratio - defence, 0.0)
    order = sorted(np.flatnonzero(need > 0), key=lambda v: (-(attacked[v] * 1e9 + need[v]), v))
    movers = [f for f in ready if f.posture is not Posture.ATTACK and f.unique_id not in moved]
    men = {int(v): model.men_at(int(v)) for v in order}
    for v in order:
        for f in sorted(movers, key=lambda f: (dist[f.node, v], f.unique_id)):
            if need[v] <= 0 or men[v] >= model.frontage(v):
                break
            if f.unique_id in moved or f.node == v or not np.isfinite(dist[f.node, v]):
                continue
            reach = cp.line_shift_km if f.role is Role.LINE else 2 * cp.move_km_per_day
            if dist[f.node, v] > reach:
                continue
            if f.role is Role.RESERVE and not attacked[v]:
                continue
            if f.role is Role.LINE and sector[f.node] > 0 and not attacked[v]:
                continue  # a line unit whose own sector faces the enemy stays unless a fight is under way
            own = f.node
            if threat[own] > 0 and defence[own] - model.power(f) < threat[own] / cp.attack_ratio:
                continue  # leaving would open its own settlement
            f.posture, f.destination, f.target = Posture.MOVE, int(v), None
            moved.add(f.unique_id)
            need[v] -= model.power(f)
            men[v] += f.strength
            defence[own] -= model.power(f)
    for f in ready:
        if f.unique_id not in moved and f.posture is Posture.MOVE and f.order_index is None:
            _hold(f)


def _march_on_lost_road(
    model: IdlibModel, faction: Faction, ready: list[Formation], dist: np.ndarray
) -> set[int]:
    """Free manoeuvre units within two days' march of a settlement their side lost in the last
    ``counterattack_days`` on one of its objective roads march to stand next to it; the local counter-attack
    rule then decides, at ``counterattack_ratio``, whether they attack. Return the ids of the marchers.

    Why: a highway the faction fights for is not given up for want of an order. The government's free
    divisions and the Iran-backed militias came back for Saraqib, cut on the M5 on 27 Feb, and retook it on
    2-3 Mar (seed [000]: Hezbollah "reinforcing Syrian troops on the Saraqib front"), while the planned
    offensive went on in Jabal al-Zawiya. Units already next to the settlement are left to rule 2.
    """
    cp = model.params.commander
    roads = [v for obj in faction.objectives for v in model.theatre.highways.get(obj, [])]
    lost = sorted(
        {
            int(v)
            for v in roads
            if model.is_enemy_held(faction, int(v)) and model.recently_lost(faction, int(v))
        }
    )
    out: set[int] = set()
    if not lost:
        return out
    reach = 2 * cp.move_km_per_day
    for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
        if f.role is not Role.MANOEUVRE or f.posture is Posture.ATTACK:
            continue
        options = []
        for t in lost:
            staging = model.staging_nodes(faction, t)
            if staging.size == 0 or model.theatre.adjacency[f.node, t]:
                continue
            k = int(staging[np.argmin(dist[f.node, staging])])
            if dist[f.node, k] <= reach:
                options.append((float(dist[f.node, k]), t, k))
        if options:
            _, t, k = min(options)
            f.posture, f.destination, f.target = Posture.MOVE, k, t
            out.add(f.unique_id)
    return out


def recently_lost_neighbours(model: IdlibModel, faction: Faction, f: Formation) -> list[int]:
    """Enemy-held settlements next to ``f`` that its side lost in the last ``counterattack_days`` days."""
    return [
        int(t)
        for t in model.theatre.neighbours[f.node]
        if model.is_enemy_held(faction, int(t)) and model.recently_lost(faction, int(t))
    ]


def raid_targets(model: IdlibModel, faction: Faction, f: Formation) -> list[int]:
    """The settlements ``f`` could counter-attack, less those a third party's presence deters."""
    return [t for t in recently_lost_neighbours(model, faction, f) if not model.deterred(faction, t)]


def plan_raids(model: IdlibModel, faction: Faction, ready: list[Formation]) -> None:
    """Raids: each ready manoeuvre or line unit next to a settlement its side just lost decides, with
    probability ``raid_rate`` a day, to raid the weakest such settlement if its power with ``raid_surprise``
    reaches ``raid_ratio`` times the defence there, air cover included (``IdlibModel.air_cover``).

    Why: the HTS counter-attacks of 24 Dec (Tell Mannas, al-Ghadfa) and 20-24 Feb (Nayrab) went in at odds a
    deliberate counter-attack would refuse, led by SVBIEDs and inghimasi groups, and held villages for days
    (seed [000]). Raids are costly: the combat step charges raiders the defender's full fire. One uniform
    draw per eligible unit, in a fixed order (strength, id), so runs stay reproducible.
    """
    cp = model.params.commander
    surprise = model.params.combat.raid_surprise
    min_morale = model.params.combat.morale_break + 0.2
    for f in sorted(ready, key=lambda f: (-f.strength, f.unique_id)):
        if f.posture is Posture.ATTACK or f.role not in (Role.MANOEUVRE, Role.LINE) or f.morale < min_morale:
            continue
        targets = raid_targets(model, faction, f)
        if not targets:
            continue
        if model.rng.random() >= cp.raid_rate:
            continue
        t = min(targets, key=lambda t: (model.defence_estimate(t), t))
        power = model.power(f) * surprise * model.ally_support(faction, t)
        if power >= cp.raid_ratio * max(model.defence_estimate(t) * model.air_cover(t), 1.0):
            f.posture, f.target, f.destination, f.raiding = Posture.ATTACK, t, None, True


def advance(model: IdlibModel, faction: Faction, f: Formation) -> None:
    """Move a marching formation along own-held roads, at most ``move_km_per_day`` today."""
    if f.posture is not Posture.MOVE or f.destination is None:
        return
    _dist, pred = model.friendly_paths(faction)
    path = [f.destination]
    while path[-1] != f.node:
        prev = pred[f.node, path[-1]]
        if prev < 0:
            _hold(f)
            return
        path.append(int(prev))
    path.reverse()
    budget = model.params.commander.move_km_per_day * model.ground_factor
    here = path[0]
    for nxt in path[1:]:
        step = model.theatre.graph.edges[here, nxt]["length_km"]
        if step > budget:
            break
        budget -= step
        here = nxt
    f.move_to_node(here)
    if here == f.destination:
        f.posture, f.destination = Posture.HOLD, None
