"""The agents: factions (placeless Mesa agents) and formations (Mesa ``CellAgent``s on the road network).

A **faction** holds what the scenario gives it (objectives, supply sources, allies and enemies, political
support) and what the run accumulates (sorties flown, deaths suffered, retaliation owed, whether it
intervenes today). Its formations are the ones whose ``faction`` equals its id.

A **formation** stands on one settlement (a cell of the ``Network`` space) and carries the state the
mechanics read and write: strength (men), quality (Dupuy CEV), morale and cohesion, supply, posture and,
while it attacks, its target and the losses of the current engagement. The decisions (where to go, what to
attack) are its commander's (``sim.wargame.commander``); the outcomes are the combat, supply and morale
mechanics'. Formations never decide alone: that keeps the phases explicit in ``IdlibModel.step``, as Mesa's
example models do.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.discrete_space import CellAgent

from sim.inputs.forces import FactionKind, FactionSpec, FormationSpec, Role

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


class Posture(Enum):
    """What a formation is doing today."""

    HOLD = "hold"  # defending where it stands (hasty, then prepared after entrench_days)
    ATTACK = "attack"  # attacking ``target`` from an adjacent settlement
    MOVE = "move"  # marching along own-held roads toward ``destination``
    RECOVER = "recover"  # broke or withdrew; regrouping, does not fight until morale recovers
    POST = "post"  # observation post: present, not fighting (unless its faction intervenes)


class Formation(CellAgent):
    """A unit on the network. ``node`` is the settlement id of its cell."""

    model: IdlibModel

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
        self.redeploy_for: int | None = None  # the later order whose start point it marches to (redeployment)
        self.pause_days = 0  # consolidation after a capture: no new attack until it reaches zero
        self.killed = 0.0  # cumulative men lost (killed or disabled)
        self.cell = model.space[node]
        self.node = node  # kept equal to self.cell.coordinate (read far more often than it changes)

    @property
    def redeploying(self) -> bool:
        """Marching to (or waiting at) a later order's start point (``commander.redeployment``)."""
        return self.redeploy_for is not None

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

    def suffer(self, men: float, engagement: bool = False) -> None:
        """Take a day's losses and tell the model: the loss fraction (for morale; also the engagement's
        running loss, for the breakpoints, when ``engagement``) and the dead of the faction."""
        before = self.strength
        m = self.lose(men)
        frac = m / max(before, 1.0)
        if engagement:
            self.engagement_loss += frac
        self.model.loss_today[self.unique_id] += frac
        self.model.killed_by_faction[self.faction] += m

    def rest(self, days: int) -> None:
        """Step out of the line for ``days`` (posture recover): no target, no destination, a fresh start."""
        self.posture, self.target, self.destination = Posture.RECOVER, None, None
        self.recover_days = days

    def hold(self) -> None:
        """Stand and defend where it is (observation posts stay posts)."""
        if self.posture is not Posture.POST:
            self.posture, self.target, self.destination = Posture.HOLD, None, None

    def __repr__(self) -> str:
        return (
            f"Formation({self.spec_id}, {self.faction}, node={self.node}, strength={self.strength:.0f}, "
            f"morale={self.morale:.2f}, {self.posture.value})"
        )


def under_strength(units: list[Formation]) -> tuple[list[Formation], float]:
    """The units below their initial strength (posts excepted) and the men they lack together."""
    short = [f for f in units if f.alive and f.strength < f.initial_strength and f.role is not Role.POST]
    return short, sum(f.initial_strength - f.strength for f in short)


def spread_men(short: list[Formation], deficit: float, men: float) -> None:
    """Add ``men`` to under-strength units in proportion to what each lacks of ``deficit`` (their total)."""
    for f in short:
        f.strength += men * (f.initial_strength - f.strength) / deficit


class Faction(mesa.Agent):
    """A side of the war. ``code`` is its index in the battlefield's controller array."""

    model: IdlibModel

    def __init__(self, model: IdlibModel, fid: str, code: int, spec: FactionSpec) -> None:
        super().__init__(model)
        self.fid = fid
        self.code = code
        self.spec = spec
        self.label = spec.label
        self.kind = spec.kind
        self.support = spec.support
        self.enemies: list[str] = list(spec.enemies)
        self.allies: list[str] = list(spec.allies)
        self.sources = np.array([model.theatre.id(s) for s in spec.supply_sources], dtype=np.int64)
        self.objectives = list(spec.objectives)
        self.sorties_today = 0.0
        self.sorties_total = 0.0
        self.deaths_suffered = 0.0  # soldiers killed in incidents (a guarantor's retaliation follows them)
        self.retaliation_due = 0.0  # strikes owed after losses
        self.intervening = False
        self.supporting = False  # backs its allies' attacks with fire today (intervention or fire support)
        self._friendly_lut: np.ndarray | None = None
        self._enemy_lut: np.ndarray | None = None

    @property
    def active(self) -> bool:
        """Passive holders (and guarantors that have not intervened) never start ground attacks."""
        if self.kind is FactionKind.PASSIVE:
            return False
        if self.kind is FactionKind.GUARANTOR:
            return self.intervening
        return True

    def friendly_lut(self) -> np.ndarray:
        """Boolean lookup over controller codes: lut[controller] is the friendly mask (cheap, no np.isin)."""
        if self._friendly_lut is None:
            self._friendly_lut = np.zeros(len(self.model.factions), dtype=bool)
            self._friendly_lut[self.friendly_codes()] = True
        return self._friendly_lut

    def enemy_lut(self) -> np.ndarray:
        if self._enemy_lut is None:
            self._enemy_lut = np.zeros(len(self.model.factions), dtype=bool)
            self._enemy_lut[self.enemy_codes()] = True
        return self._enemy_lut

    def friendly_codes(self) -> list[int]:
        return [self.code] + [self.model.faction_by_id[a].code for a in self.allies]

    def enemy_codes(self) -> list[int]:
        return [self.model.faction_by_id[e].code for e in self.enemies]
