"""Phase 1: the timeline's inputs for the day — weather, planned sorties, ceasefires, reinforcements, new
observation posts, interventions and fire support.

What history imposed from outside is read from the scenario's ``Timeline``; the only draw here is whether
each party keeps each ceasefire in force today (a Bernoulli draw with the ceasefire's compliance): the
ceasefire is an input, a violation an outcome.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.events import CeasefireEvent
from sim.inputs.forces import FactionKind

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def ceasefire_kept(rng: np.random.Generator, ceasefire: CeasefireEvent) -> bool:
    """Does a party keep the ceasefire today? A Bernoulli draw with the ceasefire's compliance."""
    return bool(rng.random() < ceasefire.compliance)


def apply_day(model: IdlibModel) -> None:
    """Set the day's conditions: what each faction may fly and attack, who intervenes, who arrives."""
    tl, d = model.timeline, model.day
    cmd = model.params.commander
    model.ground_factor = float(tl.ground_factor[d])
    model.loss_today = defaultdict(float)
    model.victory_today = defaultdict(float)
    for _, ev in tl.reinforcements(d):
        for spec in ev.formations:
            model.add_formation(spec, relocate=True)
    for name, ev in tl.new_posts(d):
        for j, s in enumerate(ev.settlements):
            model.add_post(f"{name}_{j}", f"{s} post", ev.faction, s, ev.note, strength=ev.strength_each)
    ceasefires = tl.ceasefires(d)
    model.ceasefire_active = bool(ceasefires)
    for f in model.factions:
        bound, kept_all, air = False, True, 1.0
        for _, cf in ceasefires:
            if cf.parties and f.fid not in cf.parties:
                continue
            bound = True
            if ceasefire_kept(model.rng, cf):
                air = min(air, cf.air_factor)
            else:
                kept_all = False
        planned = float(tl.planned_sorties[f.fid][d])
        keeps = bound and kept_all
        f.sorties_today = planned * float(tl.air_factor[d]) * (air if keeps else 1.0)
        # a party keeping a ceasefire starts no ground attack; a violation is local
        model.can_attack[f.fid] = not keeps and model.ground_factor > cmd.min_ground_factor
        model.max_targets[f.fid] = (
            cmd.ceasefire_violation_targets if bound and not kept_all else cmd.max_targets
        )
    for _, cf in ceasefires:
        if cf.corridor is not None and not model.corridor.any():
            model.corridor = model.theatre.km_from_line(cf.corridor.road) <= cf.corridor.half_width_km
    for f in model.factions:
        if f.kind is FactionKind.GUARANTOR:
            f.intervening = False
        f.supporting = False
    for _, ev in tl.interventions(d):
        fac = model.faction_by_id[ev.faction]
        if ev.trigger_deaths is not None and fac.deaths_suffered < ev.trigger_deaths:
            continue
        fac.intervening = True
        fac.supporting = fac.supporting or ev.support_allies
    for _, fs in tl.fire_support(d):
        fac = model.faction_by_id[fs.faction]
        fac.supporting = fac.kind is not FactionKind.PASSIVE  # a passive faction does not escalate
