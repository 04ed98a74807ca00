"""Morale: losses, supply, encirclement, bombardment and flank threat drain it; cohesion restores it.

    M' = M - kappa*loss_fraction - beta*strikes - mu*(1 - supply) - nu*encircled - phi*max(0, enemy_nbrs - 1)
           + r*(cohesion - M) [+ victory bonus]

with r = ``recovery`` for a unit in the line and ``rest_recovery`` for a unit out of it (posture recover).
Why two rates: with one slow rate (half-life 14 days) a broken unit resting in a town that took a few strikes
a day never climbed back above the return threshold, and much of the opposition's strength sat out the
war in the rear by late February 2020, where the seeds show its units counter-attacking through February
(Nayrab 20 and 24 Feb, Saraqib 27 Feb, 12 villages from 27 Feb). Sub-factions differ through cohesion (TIP
and HTS high, local militias lower). Clamped to [MORALE_FLOOR, 1].
"""

from __future__ import annotations

import numpy as np

from sim.inputs.parameters import MoraleParams

MORALE_FLOOR = 0.05  # a unit's morale never falls below this: a remnant that still exists holds together


def update_morale(
    morale: np.ndarray,
    cohesion: np.ndarray,
    loss_fraction: np.ndarray,
    strikes: np.ndarray,
    supply: np.ndarray,
    encircled: np.ndarray,
    enemy_neighbours: np.ndarray,
    victories: np.ndarray,
    p: MoraleParams,
    resting: np.ndarray | None = None,
) -> np.ndarray:
    """One day's morale for each unit; ``resting`` marks units out of the line (default: none)."""
    rate = p.recovery if resting is None else np.where(resting, p.rest_recovery, p.recovery)
    m = (
        morale
        - p.loss_sensitivity * loss_fraction
        - p.bombardment * strikes
        - p.unsupplied * (1.0 - supply)
        - p.encircled * encircled.astype(float)
        - p.flank_threat * np.maximum(0, enemy_neighbours - 1)
        + rate * (cohesion - morale)
        + p.victory * victories
    )
    return np.clip(m, MORALE_FLOOR, 1.0)
