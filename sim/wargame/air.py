"""Phase 5: air power and artillery — where today's strikes fall, and what they cost the units under them.

Each faction with sorties today splits them between close air support (for its own assaults, and against
enemy units assaulting its settlements) and strikes in depth on the enemy-held settlements behind the
front, weighted toward the day's assaults and its orders' objectives (``rules.airpower``), and on the
places reported struck that day (``strike_report`` events). Attacking units add artillery on the enemy
settlements next to them. A bombardment (a timeline event: counted attacks without a ground offensive)
adds its attacks, placed by ``rules.airpower.bombardment_weights``. Strikes then kill men of the enemy
formations and garrisons where they land. The strikes are also what frightens and kills civilians (phase 9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix

from sim.wargame.agents import Faction, Formation, Posture
from sim.wargame.axes import axis_point
from sim.wargame.rules.airpower import (
    allocate_strikes,
    artillery_strikes,
    bombardment_weights,
    daily_attacks,
    place_attacks,
    preparation_weights,
    report_weights,
    strategic_weights,
)

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def strike(model: IdlibModel) -> None:
    """Plan and deliver every faction's strikes (``model.strikes``, ``strikes_by``, ``cas``, ``defence_cas``),
    then apply their losses."""
    t = model.theatre
    bf = model.battlefield
    ap = model.params.air
    model.strikes = np.zeros(t.n)
    model.cas = np.zeros(t.n)
    model.defence_cas = np.zeros(t.n)
    present = model.civilians.present() if model.civilians is not None else t.population
    for fac in model.factions:
        model.strikes_by[fac.fid] = np.zeros(t.n)
        attackers = [f for f in model.formations if f.faction == fac.fid and f.posture is Posture.ATTACK]
        cas_w = np.zeros(t.n)
        for f in attackers:
            cas_w[f.target] += bf.power(f)
        total = np.zeros(t.n)
        if fac.sorties_today > 0:
            def_w, staging = _attacks_on(model, fac)
            enemy = bf.enemy_mask(fac)
            friendly = bf.friendly_mask(fac)
            km_front = bf.km_to(friendly)
            focus_nodes = np.zeros(t.n, dtype=bool)
            focus_nodes[[f.target for f in attackers]] = True
            for _, o in model.orders_in_force(fac.fid):
                focus_nodes[axis_point(t, o, friendly)] = True
            focus = 1.0 + ap.axis_focus * np.exp(-bf.km_to(focus_nodes) / ap.depth_km)
            sw = strategic_weights(enemy, present, km_front, focus, ap)
            prep = _preparation(model, fac, enemy, present, km_front) if ap.preparation_share > 0 else None
            reported = _reported(model, fac, enemy, present) if ap.reported_share > 0 else None
            plan = allocate_strikes(
                model.rng,
                fac.sorties_today,
                cas_w,
                sw,
                ap.front_share,
                def_w,
                staging,
                preparation=prep,
                preparation_share=ap.preparation_share,
                reported=reported,
                reported_share=ap.reported_share,
            )
            total = plan.strikes
            model.cas += plan.cas
            model.defence_cas += plan.defence
            fac.sorties_total += fac.sorties_today
        # artillery: attacking formations shell their target's neighbourhood (preparatory fire)
        if attackers and model.can_attack.get(fac.fid, True):
            enemy = bf.enemy_mask(fac)
            adj_enemy = [t.neighbours[f.node][enemy[t.neighbours[f.node]]] for f in attackers]
            art = artillery_strikes(
                adj_enemy, np.array([f.strength for f in attackers]), ap.artillery_per_1000, t.n
            )
            total = total + model.rng.poisson(art)
        if model.timeline.bombardments(fac.fid, model.day):
            total = total + bombardment(model, fac, present)
        model.strikes_by[fac.fid] = total
        model.strikes += total
    _strike_losses(model)


def bombardment(model: IdlibModel, fac: Faction, present: np.ndarray) -> np.ndarray:
    """Today's attacks of the faction's bombardments per settlement: each kind's share of its count for
    the day (``daily_attacks``), placed on the enemy-held communities within its range of the front
    (``bombardment_weights``, in the event's ``areas``)."""
    t = model.theatre
    bf = model.battlefield
    enemy = bf.enemy_mask(fac)
    km_front = bf.km_to(bf.friendly_mask(fac))
    out = np.zeros(t.n)
    for _, ev in model.timeline.bombardments(fac.fid, model.day):
        area = t.areas_mask(ev.areas)
        day, days = model.timeline.window_day(ev, model.day)
        for kind in sorted(ev.fire):
            spec = ev.fire[kind]
            w = bombardment_weights(enemy, present, km_front, spec.range_km, area, model.params.air)
            out += place_attacks(model.rng, daily_attacks(spec.attacks, days, day), w)
    return out


def _preparation(
    model: IdlibModel, fac: Faction, enemy: np.ndarray, present: np.ndarray, km_front: np.ndarray
) -> np.ndarray | None:
    """The preparatory bombardment's weights over the faction's active axes (``preparation_weights`` per
    order, split by the orders' intensity); None when no axis has a town ahead of the front."""
    t = model.theatre
    friendly = model.battlefield.friendly_mask(fac)
    front = friendly & (t.reach1 @ enemy.astype(float) > 0)
    if not front.any():
        return None
    weights, total = np.zeros(t.n), 0.0
    for _, order in model.orders_in_force(fac.fid):
        to_obj = t.road_km[:, axis_point(t, order, friendly)]
        w = preparation_weights(
            enemy, present, km_front, to_obj, float(to_obj[front].min()), model.params.air
        )
        if w.any():
            weights += order.intensity * w
            total += order.intensity
    return weights / total if total > 0 else None


def _reported(model: IdlibModel, fac: Faction, enemy: np.ndarray, present: np.ndarray) -> np.ndarray | None:
    """The weights of the strikes placed by today's reports of the faction's strikes (``report_weights``);
    None on a day with no report."""
    places = model.timeline.strike_reports(fac.fid, model.day)
    if not places:
        return None
    t = model.theatre
    mask = np.zeros(t.n, dtype=bool)
    mask[[t.id(p) for p in places]] = True
    return report_weights(enemy, present, mask, model.params.air)


def _strike_losses(model: IdlibModel) -> None:
    """Losses to the formations and garrisons under each faction's strikes: a binomial draw per unit at
    ``air_kills_per_sortie`` per strike (capped at ``air.max_strike_loss`` of the men there), and a Poisson
    draw on the garrison at ``combat.garrison_air_exposure`` of that rate."""
    bf = model.battlefield
    cp = model.params.combat
    kills = cp.air_kills_per_sortie
    # where formations stand: a struck settlement with none has no unit to look up (most have none)
    occupied = {f.node for f in model.formations if f.alive}
    for fac in model.factions:
        s = model.strikes_by[fac.fid]
        if not s.any():
            continue
        for v in np.flatnonzero(s):
            targets = [
                f
                for f in (model.space[int(v)].agents if int(v) in occupied else ())
                if isinstance(f, Formation) and f.faction in fac.enemies and f.alive
            ]
            if bf.controller[v] in fac.enemy_codes():
                g_loss = min(bf.garrison[v], model.rng.poisson(cp.garrison_air_exposure * kills * s[v]))
                bf.garrison[v] -= g_loss
                model.killed_by_faction[bf.factions[int(bf.controller[v])].fid] += g_loss
            if not targets:
                continue
            w = np.array([f.strength for f in targets])
            p = min(model.params.air.max_strike_loss, kills * s[v] / max(w.sum(), 1.0))
            lost = model.rng.binomial(np.floor(w).astype(np.int64), p)
            for f, men in zip(targets, lost, strict=True):
                f.suffer(float(men))


def _attacks_on(model: IdlibModel, fac: Faction) -> tuple[np.ndarray, csr_matrix | None]:
    """Enemy attacks on ``fac``'s settlements today: the attacking power at each target, and a sparse (n, n)
    matrix whose row t spreads target t over the attackers' staging settlements (rows sum to 1); None when
    nobody attacks the faction today (most days: nothing to spread, and an empty sparse matrix costs as
    much to build as a full one)."""
    t = model.theatre
    bf = model.battlefield
    friendly = fac.friendly_lut()
    power = np.zeros(t.n)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for g in model.formations:
        if (
            g.alive
            and g.posture is Posture.ATTACK
            and g.target is not None
            and g.faction in fac.enemies
            and friendly[bf.controller[g.target]]
        ):
            pw = bf.power(g)
            power[g.target] += pw
            rows.append(g.target)
            cols.append(g.node)
            vals.append(pw)
    if not rows:
        return power, None
    staging = csr_matrix((vals, (rows, cols)), shape=(t.n, t.n))  # duplicates summed
    total = np.asarray(staging.sum(axis=1)).ravel()
    scale = np.divide(1.0, total, out=np.zeros(t.n), where=total > 0)
    # each row divided by its total in place: the products diag(scale) @ staging makes, entry for entry
    staging.data *= np.repeat(scale, np.diff(staging.indptr))
    return power, staging
