"""Formation agents: brigades, divisions, task forces and observation posts on the road network.

A formation is a Mesa ``CellAgent`` standing on one settlement (a cell of the ``Network`` space). It carries
the state the mechanics read and write: strength (men), quality (Dupuy CEV), morale and cohesion, supply,
posture and, while it attacks, the settlement it attacks and the losses of the current engagement. The
decisions (where to go, what to attack) are the commander's (``commander.py``); the outcomes are the combat,
supply and morale mechanics'. Formations never decide alone: that keeps the phases explicit in
``IdlibModel.step``, as Mesa's example models do.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from mesa.discrete_space import CellAgent

from .scenario import FormationSpec, Role

if TYPE_CHECKING:
    from .model import IdlibModel


class Posture(Enum):
    """What a formation is doing today."""

    HOLD = "hold"  # defending where it stands (hasty, then prepared after entrench_days)
    ATTACK = "attack"  # attacking ``target`` from an adjacent settlement
    MOVE = "move"  # marching along own-held roads toward ``destination``
    RECOVER = "recover"  # broke or withdrew; regrouping, does not fight until morale recovers
    POST = "post"  # observation post: present, not fighting (unless its faction intervenes)


class Formation(CellAgent):
    """A unit on the network. ``node`` is the settlement id of its cell."""

    def __init__(self, model: IdlibModel, spec: FormationSpec, node: int) -> None:
        super().__init__(model)
        self.spec_id = spec.id
        self.name = spec.name
        self.faction = spec.faction
        self.group = spec.group
        self.role = spec.role
        self.strength = float(spec.strength)
        self.initial_strength = float(spec.strength)
        self.quality = spec.quality
        self.cohesion = spec.cohesion
        self.morale = spec.morale
        self.supply = 1.0
        self.encircled = False
        self.posture = Posture.POST if spec.role is Role.POST else Posture.HOLD
        self.target: int | None = None
        self.destination: int | None = None
        self.order_index: int | None = None
        self.days_in_place = 0
        self.engagement_loss = 0.0  # fraction of strength lost in the current engagement
        self.recover_days = 0
        self.astana_post = False  # one of the observation posts standing before the offensive
        self.raiding = False  # today's attack is a raid (surprise multiplier in combat)
        self.redeploying = False  # marching to a later order's start point (commander.plan_redeployment)
        self.pause_days = 0  # consolidation after a capture: no new attack until it reaches zero
        self.killed = 0.0  # cumulative men lost (killed or disabled)
        self.cell = model.space[node]
        self.node = node  # kept equal to self.cell.coordinate (read far more often than it changes)

    @property
    def alive(self) -> bool:
        return self.strength >= 1.0

    def move_to_node(self, node: int) -> None:
        if node != self.node:
            self.cell = self.model.space[node]
            self.node = node
            self.days_in_place = 0

    def lose(self, men: float) -> float:
        """Remove up to ``men`` from the formation; return what was actually lost (never below zero)."""
        men = min(max(men, 0.0), self.strength)
        self.strength -= men
        self.killed += men
        return men

    def __repr__(self) -> str:
        return (
            f"Formation({self.spec_id}, {self.faction}, node={self.node}, strength={self.strength:.0f}, "
            f"morale={self.morale:.2f}, {self.posture.value})"
        )
