"""Phase 3: the commanders' decisions each morning, faction by faction.

Units earmarked for a later order leave in time to reach its start line (``redeployment``); each active
order is planned (``offensive``); every unit not on an order is planned by the defensive planner
(``defence``, with ``raids``: raids on villages just lost, and the assault units' marches to them).
``actions`` holds the three things a unit can be told: assault, march, hold.

The commanders read the battlefield and write only their units' postures, targets and destinations: where
a push gets and when a settlement falls are the battle's outcomes, not decisions made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.wargame.agents import Posture
from sim.wargame.commander.defence import plan_defence
from sim.wargame.commander.offensive import hold_gains, plan_offensive
from sim.wargame.commander.raids import plan_raid_marches, plan_raids, raid_targets, recently_lost_neighbours
from sim.wargame.commander.redeployment import plan_redeployment

if TYPE_CHECKING:
    from sim.inputs.forces import OrderSpec
    from sim.wargame.model import IdlibModel

__all__ = [
    "hold_gains",
    "order_of_units",
    "plan",
    "plan_defence",
    "plan_offensive",
    "plan_raid_marches",
    "plan_raids",
    "plan_redeployment",
    "raid_targets",
    "recently_lost_neighbours",
]


def order_of_units(in_force: list[tuple[int, OrderSpec]]) -> dict[str, int]:
    """Which of the orders in force each formation serves: the one that started last (the first listed of
    those that started the same day).

    Why: a campaign plan hands a division from one axis to the next (the 25th Special Mission Forces from
    the M5 to the push west of it on 10 Feb 2020, seed [000]) by giving it a new order while the old axis
    goes on with the others; planning it under both would give it two tasks a day.
    """
    owner: dict[str, int] = {}
    for i, order in sorted(in_force, key=lambda io: (io[1].start, -io[0])):
        for fid in order.formations:
            owner[fid] = i  # a later start (or an earlier place in the list) overwrites
    return owner


def plan(model: IdlibModel) -> None:
    """Yesterday's assaults are over: every unit starts the day without a target; then each faction's
    command plans its redeployments, its active orders and its defence, in the scenario's faction order."""
    model.occupy_zone = {}  # written by today's offensive plans (combat.occupy_corridor_km)
    for f in model.formations:
        f.raiding = False
        if f.posture is Posture.ATTACK:
            f.posture, f.target = Posture.HOLD, None
    for fac in model.factions:
        used: set[int] = set()
        can_attack = model.can_attack[fac.fid]
        if fac.active:
            used |= plan_redeployment(model, fac)
            in_force = model.orders_in_force(fac.fid)
            owner = order_of_units(in_force)
            for i, order in in_force:
                mine = [fid for fid in order.formations if owner[fid] == i]
                used |= plan_offensive(
                    model, i, order, fac, can_attack, model.max_targets[fac.fid], formations=mine
                )
        plan_defence(model, fac, used, can_attack)
