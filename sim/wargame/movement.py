"""Phase 4: movement. Marching units advance along roads their side holds, at most ``move_km_per_day``
(times the day's ground factor: mud slows columns); a unit that leaves a recent gain leaves a holding
detachment there; an assault needs its unit next to the target when it goes in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.wargame.agents import Faction, Formation, Posture
from sim.wargame.holding import leave_holding_force

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def march(model: IdlibModel) -> None:
    """Move every marching unit; then call off assaults whose unit is not next to its target."""
    bf = model.battlefield
    for f in model.formations:
        if f.alive and f.posture is Posture.MOVE:
            here = f.node
            advance(model, bf.faction_by_id[f.faction], f)
            if f.node != here:
                leave_holding_force(model, f, here)
    for f in model.formations:
        if f.posture is Posture.ATTACK and (
            f.target is None or not model.theatre.adjacency[f.node, f.target]
        ):
            f.posture, f.target = Posture.HOLD, None


def advance(model: IdlibModel, faction: Faction, f: Formation) -> None:
    """Move a marching formation along its shortest own-held road path, as far as today's march allows
    (whole road links only); it holds on arrival, or where it is if no friendly path remains."""
    if f.posture is not Posture.MOVE or f.destination is None:
        return
    _dist, pred = model.battlefield.friendly_paths(faction)
    path = [f.destination]
    while path[-1] != f.node:
        prev = pred[f.node, path[-1]]
        if prev < 0:
            f.hold()
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
