"""What a commander tells one unit today: assault a settlement, march toward one, or hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.forces import OrderKind
from sim.wargame.agents import Formation, Posture

if TYPE_CHECKING:
    from sim.inputs.forces import OrderSpec
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def available(f: Formation) -> bool:
    """Can the unit be given a task today (alive, not resting, not a post)?"""
    return f.alive and f.posture not in (Posture.RECOVER, Posture.POST)


def assault(model: IdlibModel, order: OrderSpec, f: Formation, target: int) -> None:
    """Send ``f`` into an assault on ``target`` for ``order``. A counter-offensive's assault on a
    settlement its side did not assault yesterday opens with surprise: it counts ``combat.raid_surprise``
    on that first day, as a raid does (``Formation.raiding``).

    Why: the opposition's counter-offensives opened with SVBIEDs and inghimasi assault groups, at a time
    and place of their choosing (seed [000]: the counter-attack of 24 Dec 2019 toward Jarjnaz, "SVBIED
    used"; Nayrab on 20 and 24 Feb 2020); the government's deliberate assaults, prepared by days of air
    strikes and artillery, did not. Only the first day counts: after it the defender has reacted.
    """
    f.posture, f.target, f.destination = Posture.ATTACK, target, None
    opening = model.day - int(model.battlefield.last_assault_day[f.faction][target]) > 1
    f.raiding = order.kind is OrderKind.COUNTEROFFENSIVE and opening


def march(model: IdlibModel, faction: Faction, f: Formation, target: int) -> None:
    """Send ``f`` by friendly roads to the staging settlement of ``target`` nearest to it; a unit already
    there waits beside its target (holding, target kept) for the odds or the ceasefire to allow an attack."""
    bf = model.battlefield
    staging = bf.staging_nodes(faction, target)
    dist, _ = bf.friendly_paths(faction)
    if staging.size == 0:
        f.hold()
        return
    dest = int(staging[np.argmin(dist[f.node, staging])])
    if not np.isfinite(dist[f.node, dest]):
        f.hold()
        return
    if dest == f.node:
        f.hold()
        f.target = target  # waiting next to its target for the ratio (or the ceasefire) to allow an attack
        return
    f.posture, f.destination, f.target = Posture.MOVE, dest, target
