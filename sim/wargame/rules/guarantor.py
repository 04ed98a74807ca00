"""A guarantor power's fire: the chance of an incident at an exposed position, and strikes on formations.

* **Incidents**: a position under hostile fire (strikes on its settlement, or a ground assault on it)
  suffers an incident with probability ``1 - exp(-incident_rate x exposure)``.
* **Strikes**: a day's drone and artillery strikes, Poisson(strikes) in number, fall on the target
  formations in proportion to their strength (a multinomial draw); each kills Poisson(``strike_kills``)
  men of the formation it hits and costs it ``strike_morale``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.inputs.parameters import TurkeyParams
from sim.wargame.rules.morale import MORALE_FLOOR

if TYPE_CHECKING:
    from sim.wargame.agents import Formation


def incident_probability(exposure: np.ndarray, rate: float) -> np.ndarray:
    """Daily probability of an incident at positions with ``exposure`` strike-equivalents of hostile fire."""
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
        t.morale = max(MORALE_FLOOR, t.morale - p.strike_morale * c)
    return killed
