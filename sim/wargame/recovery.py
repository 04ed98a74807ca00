"""Phases 2 and 8: supply lines in the morning; supply, morale, replacements and local defenders at night.

* **Supply lines** (phase 2): a formation whose settlement is not joined to its faction's supply heads over
  roads its side holds is encircled today (``Battlefield.connected``).
* **Recovery** (phase 8): supply relaxes toward 1 where connected and decays where cut
  (``rules.supply``); morale drains with the day's losses, bombardment, lack of supply, encirclement and —
  for defenders of a settlement under attack — the threat to their flanks, and relaxes toward cohesion,
  faster for units resting out of the line (``rules.morale``); replacements (political support x daily
  rate) go to under-strength units; holding detachments far from the enemy rejoin their units
  (``holding.release_detachments``); local defenders regather from the people present where no fight is
  on, and slip away from a settlement being enveloped that no unit holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.wargame.agents import Posture, spread_men, under_strength
from sim.wargame.holding import release_detachments
from sim.wargame.rules.morale import update_morale
from sim.wargame.rules.supply import update_supply

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def supply_lines(model: IdlibModel) -> None:
    """Mark every formation cut off from its faction's supply heads as encircled."""
    bf = model.battlefield
    for fac in model.factions:
        conn = bf.connected(fac)
        for f in bf.formations_of(fac.fid):
            f.encircled = not bool(conn[f.node])


def recover(model: IdlibModel) -> None:
    """The night: supply and morale of every living formation, replacements, detachments, local defenders."""
    bf = model.battlefield
    sp = model.params.supply
    alive = [f for f in model.formations if f.alive]
    if alive:
        conn_by_fac = {fac.fid: bf.connected(fac) for fac in model.factions}
        conn = np.array([conn_by_fac[f.faction][f.node] for f in alive])
        supply = update_supply(np.array([f.supply for f in alive]), conn, sp.resupply, sp.decay)
        strikes_on = np.array(
            [sum(model.strikes_by[e][f.node] for e in bf.faction_by_id[f.faction].enemies) for f in alive]
        )
        # flank threat weighs only on defenders of settlements under attack today
        under_attack = bf.under_attack()
        engaged = np.array([f.posture is Posture.HOLD and under_attack[f.node] for f in alive])
        enemy_nb = np.array(
            [
                bf.enemy_neighbours(bf.faction_by_id[f.faction], f.node) if e else 0
                for f, e in zip(alive, engaged, strict=True)
            ]
        )
        morale = update_morale(
            np.array([f.morale for f in alive]),
            np.array([f.cohesion for f in alive]),
            np.array([model.loss_today.get(f.unique_id, 0.0) for f in alive]),
            strikes_on,
            supply,
            ~conn,
            enemy_nb,
            np.array([model.victory_today.get(f.unique_id, 0.0) for f in alive]),
            model.params.morale,
            resting=np.array([f.posture is Posture.RECOVER for f in alive]),
        )
        for f, s, m, c in zip(alive, supply, morale, conn, strict=True):
            f.supply, f.morale, f.encircled = float(s), float(m), not bool(c)
            f.days_in_place += 1
    # replacements: political support x daily rate, to units below their initial strength
    for fac in model.factions:
        rate = fac.spec.replacements_per_day * fac.support
        short, deficit = under_strength(bf.formations_of(fac.fid))
        if rate > 0 and deficit > 0:
            spread_men(short, deficit, rate)
    release_detachments(model)
    _local_defenders(model)
    bf.days_held += 1


def fortify_front(model: IdlibModel) -> None:
    """On the first day, the local-defence side's settlements within ``combat.front_depth_km`` of the enemy
    and in the scenario's ``fortified_front.areas`` (everywhere if it names none) hold at least
    ``combat.front_garrison`` men (``Battlefield.fortified``), and regather to that many.

    Why: local defenders are raised from the people present, a few men in a village of a few thousand, so
    an order's unit occupies such a village without a fight (``holding.occupy``). The fronts of 1 December
    2019 had stood for years (western Aleppo since 2016) and their villages were manned positions whatever
    their residents; without them the western Aleppo axis took 34 of its 38 communities by occupation and
    ran two weeks ahead of the seeds (calibration/gaps.md)."""
    bf = model.battlefield
    cp = model.params.combat
    code = bf.local_defence_code
    if cp.front_garrison <= 0.0 or code < 0:
        return
    near = bf.km_to(bf.enemy_mask(bf.factions[code])) <= cp.front_depth_km
    where = model.theatre.areas_mask(model.scenario.fortified_front.areas)  # the scenario's fortified front
    bf.fortified = np.where((bf.controller == code) & near & where, cp.front_garrison, 0.0)
    np.maximum(bf.garrison, bf.fortified, out=bf.garrison)


def _local_defenders(model: IdlibModel) -> None:
    """Local defenders regather from the people present where the local-defence faction holds and no
    fight is on (``combat.militia_regather`` of the gap a day); those of an enveloped settlement with no
    formation left to hold it slip away rather than be surrounded (seed [000]: rebels "fled west to avoid
    being encircled")."""
    bf = model.battlefield
    cp = model.params.combat
    code = bf.local_defence_code
    if code < 0:
        return
    present = model.civilians.present() if model.civilians is not None else model.theatre.population
    target = np.maximum(np.minimum(cp.militia_cap, cp.militia_per_capita * present), bf.fortified)
    quiet = ~bf.under_attack()
    enveloped = bf.enveloped(bf.factions[code])
    regather = (bf.controller == code) & quiet & ~enveloped
    bf.garrison[regather] += cp.militia_regather * (target[regather] - bf.garrison[regather])
    held_by_units = np.zeros(model.theatre.n, dtype=bool)
    for f in model.formations:
        if f.faction == bf.factions[code].fid and bf.fights(f):
            held_by_units[f.node] = True
    leave = enveloped & ~held_by_units
    bf.garrison[leave] *= 1.0 - cp.militia_flight
