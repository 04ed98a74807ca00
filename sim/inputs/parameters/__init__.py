"""Mechanism parameters: one place for every number that calibration may fit.

Scenario files carry a ``parameters:`` section (and ``parameters_file:``, by default the committed fit in
``calibration/fitted_parameters.yaml``) that override these defaults. Defaults are prior centres taken from
the combat-modelling literature (Dupuy's posture and terrain multipliers, Helmbold's breakpoints, Epstein's
withdrawal threshold) or, where the literature is silent, chosen by hand and marked as such. Each group is a
small model so that ``--set parameters.combat.kill_rate=0.03`` works and typos are rejected.
"""

from __future__ import annotations

from sim.inputs.fields import Strict
from sim.inputs.parameters.civilians import CivilianParams
from sim.inputs.parameters.combat import CombatParams, MoraleParams
from sim.inputs.parameters.operations import AirParams, CommanderParams, SupplyParams, TurkeyParams

__all__ = [
    "AirParams",
    "CivilianParams",
    "CombatParams",
    "CommanderParams",
    "MoraleParams",
    "Parameters",
    "SupplyParams",
    "TurkeyParams",
]


class Parameters(Strict):
    """All mechanism parameters, grouped by mechanic."""

    combat: CombatParams = CombatParams()
    morale: MoraleParams = MoraleParams()
    air: AirParams = AirParams()
    supply: SupplyParams = SupplyParams()
    commander: CommanderParams = CommanderParams()
    turkey: TurkeyParams = TurkeyParams()
    civilians: CivilianParams = CivilianParams()
