"""Phase 7: the guarantor power (Turkey) — incidents at its positions, retaliation, intervention strikes.

Before it intervenes a guarantor's posts and task forces stand in its allies' settlements without a
mandate to fight (seed [002]), so its allies' enemies bypass and encircle them. What it does each day:

* **Incidents**: a position under its enemies' fire (strikes on its settlement, or an assault on it)
  suffers an incident with probability ``1 - exp(-incident_rate x exposure)``; the posts that stood
  before the offensive are exposed less (``astana_post_exposure``: their positions were known); deaths per
  incident are Poisson. The 3 Feb and 10 Feb (Taftanaz) incidents of history are outcomes, not inputs.
* **Retaliation** (an escalation rule): each death owes ``retaliation_per_death`` strikes on enemy
  formations near its allies' ground, fired over the following days (at most ``max_retaliation_per_day``
  a day). A passive faction does not retaliate.
* **Intervention** (a scenario event such as Spring Shield from 27 Feb, or one triggered by deaths): its
  ``strikes_per_day`` on enemy formations every day; its units fight (``Battlefield.fights``) and its
  allies' attacks next to its positions get ``rebel_support`` (``Battlefield.ally_support``).

Which faction is the guarantor is the scenario's ``roles.guarantor``; with none, this phase does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.forces import FactionKind
from sim.wargame.agents import Faction, Formation
from sim.wargame.rules.guarantor import incident_probability, strike_formations

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def act(model: IdlibModel) -> None:
    """Incidents, then the day's retaliation and intervention strikes on each enemy's formations."""
    if model.scenario.roles.guarantor is None:
        return
    bf = model.battlefield
    tk = bf.faction_by_id[model.scenario.roles.guarantor]
    tp = model.params.turkey
    enemies = tk.enemies
    _incidents(model, tk)
    strikes = 0.0
    if tk.retaliation_due > 0:
        fire = min(tk.retaliation_due, tp.max_retaliation_per_day)
        tk.retaliation_due -= fire
        strikes += fire
    for _, ev in model.timeline.interventions(model.day):
        if bf.faction_by_id[ev.faction].intervening and ev.faction == tk.fid:
            strikes += ev.strikes_per_day
    for enemy in enemies:
        targets = front_targets(model, tk, enemy)
        before = {f.unique_id: f.strength for f in targets}
        killed = strike_formations(model.rng, targets, strikes / max(1, len(enemies)), tp)
        model.killed_by_faction[enemy] += killed
        for f in targets:
            if before[f.unique_id] > 0:
                model.loss_today[f.unique_id] += (before[f.unique_id] - f.strength) / before[f.unique_id]


def _incidents(model: IdlibModel, tk: Faction) -> None:
    """One draw per living unit of the guarantor (in order); deaths owe retaliation."""
    bf = model.battlefield
    tp = model.params.turkey
    attacked = bf.under_attack(tk.enemies)
    hostile_fire = sum((model.strikes_by[e] for e in tk.enemies), np.zeros(model.theatre.n))
    mine = [f for f in bf.formations_of(tk.fid) if f.alive]
    if not mine:
        return
    exposure = np.array(
        [
            (hostile_fire[f.node] + tp.assault_exposure * attacked[f.node])
            * (tp.astana_post_exposure if f.astana_post else 1.0)
            for f in mine
        ]
    )
    prob = incident_probability(exposure, tp.incident_rate)
    hit = model.rng.random(len(mine)) < prob
    for f, h in zip(mine, hit, strict=True):
        if h:
            deaths = f.lose(float(model.rng.poisson(tp.deaths_per_incident)))
            tk.deaths_suffered += deaths
            model.killed_by_faction[tk.fid] += deaths
            if tk.kind is not FactionKind.PASSIVE:
                tk.retaliation_due += tp.retaliation_per_death * deaths


def front_targets(model: IdlibModel, guarantor: Faction, against: str, hops: int = 2) -> list[Formation]:
    """Formations of ``against`` within ``hops`` road links of settlements the guarantor's side holds."""
    theatre = model.theatre
    near = np.isin(model.battlefield.controller, guarantor.friendly_codes())
    for _ in range(hops):
        near = near | (theatre.reach1 @ near.astype(float) > 0)
    return [f for f in model.battlefield.formations_of(against) if f.alive and near[f.node]]
