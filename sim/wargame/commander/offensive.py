"""The offensive planner: one per active order, each morning.

An order gives an axis, a time window and an objective that may lie beyond what is reached. The planner
looks at the frontier (enemy-held settlements next to own-held ones), keeps those within ``axis_reach_km``
of the order's units (an axis is local) that bring the objective closer (within ``axis_corridor_km`` of the
best), prefers the faction's objective roads (the M5 first, then the M4) while they are not yet held, and
assigns formations greedily until the estimated power ratio reaches ``attack_ratio`` — up to
``max_targets`` settlements at once. Formations next to their target attack; the others march to a staging
settlement. Units no target needs (the second echelon) attack a frontier settlement beside them that each
can take alone, and otherwise follow the main effort. Line units on an order hold what it took.

Where a push gets and when a settlement falls is not decided here: that is the battle's outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.forces import Role
from sim.wargame.agents import Formation, Posture
from sim.wargame.axes import axis_point
from sim.wargame.commander.actions import assault, available, march
from sim.wargame.commander.redeployment import start_settlement
from sim.wargame.holding import stand_down

if TYPE_CHECKING:
    from sim.inputs.forces import OrderSpec
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def plan_offensive(
    model: IdlibModel,
    order_index: int,
    order: OrderSpec,
    faction: Faction,
    can_attack: bool,
    max_targets: int,
    formations: list[str] | None = None,
) -> set[int]:
    """Plan one order for today; return the ids of the formations it used. ``formations``: the order's
    formation ids that serve it today (all it names when None)."""
    bf = model.battlefield
    cp = model.params.commander
    names = order.formations if formations is None else formations
    forms = [model.formation_by_spec[fid] for fid in names if fid in model.formation_by_spec]
    forms = [f for f in forms if available(f) and f.faction == faction.fid and not f.redeploying]
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
    hold_gains(model, order_index, faction, holders)
    used_holders = {f.unique_id for f in holders}
    if not forms:
        return used_holders
    obj = axis_point(model.theatre, order, bf.friendly_mask(faction))
    final = obj == model.theatre.id(order.objective)
    frontier = bf.frontier(faction)
    frontier = frontier[~bf.deterred_mask(faction)[frontier]]
    road_name = bf.open_objective_road(faction) if order.road == "auto" else order.road
    road_nodes = np.array(model.theatre.highways.get(road_name, []) if road_name else [], dtype=np.int64)
    friendly = faction.friendly_lut()
    road_open = road_nodes.size > 0 and not friendly[bf.controller[road_nodes]].all()
    reached = final and bf.controller[obj] in faction.friendly_codes() and not road_open
    if reached and frontier.size:
        # objective reached: the axis reduces the encircled pockets left behind it, then stops
        pockets = bf.pockets(faction)
        frontier = frontier[pockets[frontier]]
    if frontier.size == 0:
        for f in forms:
            if reached and cp.stand_down:
                stand_down(model, f)
            else:
                f.hold()
        return {f.unique_id for f in forms} | used_holders
    dist, _ = bf.friendly_paths(faction)
    # the axis is local: only targets whose staging settlements lie within a march of its anchors - the
    # order's units or, if the order names a start point, that point and what the order has taken since
    near = bf.friendly_km_from(faction, _anchors(model, order_index, order, faction, forms))
    # road km from the anchors to each frontier settlement's nearest staging settlement
    stage_km = _staging_km(model, faction, frontier, near)
    keep = stage_km <= cp.axis_reach_km
    frontier, stage_km = frontier[keep], stage_km[keep]
    if frontier.size == 0:
        for f in forms:
            f.hold()
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
    elif bf.controller[obj] in faction.friendly_codes() and road_open:
        # objective held but the road is not: the axis continues to the nearest open stretch of the road
        open_nodes = road_nodes[~friendly[bf.controller[road_nodes]]]
        obj = int(open_nodes[np.argmin(road[frontier][:, open_nodes].min(axis=0))])
    dist_obj = road[frontier, obj]
    best = dist_obj.min()
    cands = frontier[dist_obj <= best + cp.axis_corridor_km]
    if (zone_km := model.params.combat.occupy_corridor_km) > 0:
        zone = model.occupy_zone[order_index] = np.zeros(model.theatre.n, dtype=bool)
        zone[frontier[dist_obj <= best + zone_km]] = True
    cands = np.union1d(cands, np.intersect1d(front, frontier))
    score = (
        road[cands, obj] + cp.defence_weight_km * np.array([bf.defence_estimate(t) for t in cands]) / 1000.0
    )
    if road_nodes.size:
        score -= cp.objective_road_km * (np.isin(cands, road_nodes).astype(float) + np.isin(cands, front))
    # persistence: an attack under way is pressed rather than switched for a marginally better one. Only
    # attacks actually going in count: a unit still marching to a second target gave that target the same
    # bonus, and the axis's main effort flipped between the two from day to day, losing a day of assault
    # each time
    pressing = {f.target for f in forms if f.target is not None and f.posture is Posture.ATTACK}
    score -= cp.persistence_km * np.array([t in pressing for t in cands])
    cands = cands[np.argsort(score, kind="stable")][:max_targets]
    cas_each = bf.expected_cas(faction) / max(1, len(cands))
    air = 1.0 + model.params.combat.air_support * cas_each
    free = sorted(forms, key=lambda f: (-f.strength, f.unique_id))
    assignment: dict[int, list[Formation]] = {}
    for k, t in enumerate(cands):
        need = cp.attack_ratio * bf.defence_estimate(t)
        staging = bf.staging_nodes(faction, t)
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
            power += bf.power(f) * air
        if k > 0 and power < need:
            free.extend(got)  # not enough for a second axis: keep them for the main effort
            continue
        assignment[int(t)] = got
    main = int(cands[0]) if len(cands) else None
    for t, group in assignment.items():
        ratio_ok = sum(bf.power(f) for f in group) * air >= bf.defence_estimate(t)
        for f in group:
            if can_attack and ratio_ok and f.pause_days <= 0 and model.theatre.adjacency[f.node, t]:
                assault(model, order, f, t)
            else:
                march(model, faction, f, t)
    in_play = set(assignment)
    for f in free:  # second echelon: widens the front where it alone suffices, else follows the main effort
        side = _side_target(model, f, frontier, in_play, obj, air) if can_attack else None
        if side is not None:
            in_play.add(side)
            assault(model, order, f, side)
        elif main is not None:
            march(model, faction, f, main)
        else:
            f.hold()
    return {f.unique_id for f in forms} | used_holders


def _side_target(
    model: IdlibModel, f: Formation, frontier: np.ndarray, in_play: set[int], obj: int, air: float
) -> int | None:
    """The frontier settlement next to a free (second-echelon) unit that it can assault on its own at
    ``attack_ratio``, nearest (road km) to the axis's objective; None if there is none or it is pausing.

    Why: a division not needed for the main effort took the villages beside it rather than queue behind
    the main effort: the flanks of a strongpoint fell with it or before it (Afs, taken on 6 Feb 2020 to
    encircle Saraqib; Kafr Battikh with Tell Mardikh on 30 Jan: seed [000]). Following the main effort
    only, an axis took Saraqib from the south and left its western flank (Afs, Nayrab) untouched. Only
    the axis's own frontier counts (within its reach, not deterred, pockets only once the objective is
    held), and a settlement already targeted is left to its attackers.
    """
    bf = model.battlefield
    if f.pause_days > 0:
        return None
    need = model.params.commander.attack_ratio
    power = bf.power(f) * air
    side = [
        int(t)
        for t in frontier
        if int(t) not in in_play
        and model.theatre.adjacency[f.node, t]
        and power >= need * bf.defence_estimate(int(t))
    ]
    if not side:
        return None
    road = model.theatre.road_km
    return min(side, key=lambda t: (road[t, obj], t))


def _road_front(model: IdlibModel, faction: Faction, road: str | None) -> np.ndarray:
    """Open settlements of a highway chain next (along the chain) to a stretch the faction holds."""
    bf = model.battlefield
    chain = model.theatre.highways.get(road or "", [])
    if not chain:
        return np.array([], dtype=np.int64)
    held = faction.friendly_lut()[bf.controller[chain]]
    out = [
        v
        for i, v in enumerate(chain)
        if not held[i] and ((i > 0 and held[i - 1]) or (i + 1 < len(chain) and held[i + 1]))
    ]
    return np.array(out, dtype=np.int64)


def _anchors(
    model: IdlibModel, order_index: int, order: OrderSpec, faction: Faction, forms: list[Formation]
) -> list[int]:
    """Where the axis grows from: the order's units or, if it names a start point, that point and what the
    order has taken since."""
    bf = model.battlefield
    if order.start_point is None:
        return [f.node for f in forms]
    friendly = bf.friendly_mask(faction)
    gains = [v for v in model.order_gains.get(order_index, []) if friendly[v]]
    return [start_settlement(model, faction, order.start_point), *gains]


def _staging_km(model: IdlibModel, faction: Faction, targets: np.ndarray, km: np.ndarray) -> np.ndarray:
    """For each target, the least ``km`` over its staging settlements (``Battlefield.staging_nodes``: its
    friendly-held road neighbours, at least one for a frontier settlement), over the adjacency's sparse
    rows at once rather than target by target."""
    adj = model.theatre.reach1
    starts = adj.indptr[targets]
    counts = adj.indptr[targets + 1] - starts
    first = np.cumsum(counts) - counts  # where each target's neighbours begin in ``nb``
    nb = adj.indices[np.arange(counts.sum()) - np.repeat(first - starts, counts)]
    values = np.where(faction.friendly_lut()[model.battlefield.controller[nb]], km[nb], np.inf)
    return np.minimum.reduceat(values, first)


def hold_gains(model: IdlibModel, order_index: int, faction: Faction, holders: list[Formation]) -> None:
    """Send holding units to the settlements this order took recently that are most exposed to
    counter-attack. Only this order's gains: the Jabal al-Zawiya holding force is not sent to Saraqib."""
    if not holders:
        return
    bf = model.battlefield
    cp = model.params.commander
    gains = np.zeros(model.theatre.n, dtype=bool)
    gains[model.order_gains.get(order_index, [])] = True
    recent = np.flatnonzero(
        gains & (bf.controller == faction.code) & (model.day - bf.last_capture_day <= cp.counterattack_days)
    )
    if recent.size == 0:
        for f in holders:
            f.hold()
        return
    threat = bf.threat(faction)
    dist, _ = bf.friendly_paths(faction)
    taken: set[int] = set()
    for f in sorted(holders, key=lambda f: (-f.strength, f.unique_id)):
        options = [int(v) for v in recent if v not in taken and np.isfinite(dist[f.node, v])]
        if not options:
            f.hold()
            continue
        v = max(options, key=lambda v: (threat[v] - dist[f.node, v], -v))
        taken.add(v)
        if v == f.node:
            f.hold()
        else:
            f.posture, f.destination, f.target = Posture.MOVE, v, None
