"""Faction agents: the government coalition, the opposition, Turkey (and passive holders such as the SDF).

A faction is a Mesa agent without a place: it holds what the scenario gives it (objectives, supply sources,
allies and enemies, political support) and what the run accumulates (sorties flown, losses, Turkish deaths,
escalation state). Its formations are the ones whose ``faction`` equals its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .scenario import FactionKind, FactionSpec

if TYPE_CHECKING:
    from .model import IdlibModel


class Faction(mesa.Agent):
    def __init__(self, model: IdlibModel, fid: str, code: int, spec: FactionSpec) -> None:
        super().__init__(model)
        self.fid = fid
        self.code = code  # index used in the controller array
        self.spec = spec
        self.label = spec.label
        self.kind = spec.kind
        self.support = spec.support
        self.enemies: list[str] = list(spec.enemies)
        self.allies: list[str] = list(spec.allies)
        theatre = model.theatre
        self.sources = np.array([theatre.id(s) for s in spec.supply_sources], dtype=np.int64)
        self.objectives = list(spec.objectives)
        self.sorties_today = 0.0
        self.sorties_total = 0.0
        self.killed = 0.0  # men lost in all formations, cumulative
        self.enemy_deaths_caused = 0.0
        self.deaths_suffered = 0.0  # for Turkey: soldiers killed (drives retaliation)
        self.retaliation_due = 0.0  # strikes owed after losses
        self.intervening = False
        self.supporting = False  # backs its allies' attacks with fire today (intervention or fire support)

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
        if getattr(self, "_friendly_lut", None) is None:
            self._friendly_lut = np.zeros(len(self.model.factions), dtype=bool)
            self._friendly_lut[self.friendly_codes()] = True
        return self._friendly_lut

    def enemy_lut(self) -> np.ndarray:
        if getattr(self, "_enemy_lut", None) is None:
            self._enemy_lut = np.zeros(len(self.model.factions), dtype=bool)
            self._enemy_lut[self.enemy_codes()] = True
        return self._enemy_lut

    def friendly_codes(self) -> list[int]:
        codes = [self.code]
        codes += [self.model.faction_by_id[a].code for a in self.allies]
        return codes

    def enemy_codes(self) -> list[int]:
        return [self.model.faction_by_id[e].code for e in self.enemies]
