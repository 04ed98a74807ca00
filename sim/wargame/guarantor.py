"""Turkey: observation posts, incidents, retaliation and direct intervention (Operation Spring Shield).

Before it intervenes Turkey is a guarantor: its posts and task forces stand in opposition-held settlements
without a mandate to fight (seed [002]), so the government bypasses and encircles them. What it does:

* **Incidents**: a Turkish position under government fire (strikes on its settlement, or a government attack
  on it) suffers an incident with probability ``1 - exp(-incident_rate x exposure)``; deaths per incident are
  Poisson. These are the 3 Feb and 10 Feb (Taftanaz) events of history as outcomes, not inputs.
* **Retaliation** (escalation rule): each Turkish death owes ``retaliation_per_death`` artillery strikes on
  government formations near the front, fired over the following days (at most 20 a day).
* **Intervention** (a scenario event such as Spring Shield from 27 Feb, or a death-triggered one): drone and
  artillery strikes on government formations every day, Turkish troops fight beside the opposition, and
  opposition attacks next to Turkish positions get ``rebel_support`` extra power.

Each strike kills Poisson(``strike_kills``) men of the struck formation and costs it ``strike_morale``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.parameters import TurkeyParams
from sim.wargame.agents import Formation

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def incident_probability(exposure: np.ndarray, rate: float) -> np.ndarray:
    return 1.0 - np.exp(-rate * exposure)


def strike_formations(
    rng: np.random.Generator, targets: list[Formation], strikes: float, p: TurkeyParams
) -> float:
    """Distribute ``strikes`` over ``targets`` (weighted by strength); return men killed."""
    if strikes <= 0 or not targets:
        return 0.0
    w = np.array([t.strength for t in targets], dtype=float)
    if w.sum() <= 0:
        return 0.0
    counts = rng.multinomial(int(rng.poisson(strikes)), w / w.sum())
    killed = 0.0
    for t, c in zip(targets, counts, strict=True):
        if c == 0:
            continue
        killed += t.lose(float(rng.poisson(p.strike_kills * c)))
        t.morale = max(0.05, t.morale - p.strike_morale * c)
    return killed


def front_targets(model: IdlibModel, against: str, hops: int = 2) -> list[Formation]:
    """Enemy formations within ``hops`` road links of opposition- or Turkish-held settlements."""
    theatre = model.theatre
    friendly = (
        np.isin(model.controller, model.faction_by_id["turkey"].friendly_codes())
        if ("turkey" in model.faction_by_id)
        else np.zeros(theatre.n, dtype=bool)
    )
    near = friendly.copy()
    for _ in range(hops):
        near = near | (theatre.adjacency[:, near].any(axis=1))
    return [f for f in model.formations_of(against) if f.alive and near[f.node]]
