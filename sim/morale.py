"""Morale: losses, supply, encirclement, bombardment and flank threat drain it; cohesion restores it.

    M' = M - kappa*loss_fraction - beta*strikes - mu*(1 - supply) - nu*encircled - phi*max(0, enemy_nbrs - 1)
           + r*(cohesion - M) [+ victory bonus]

Sub-factions differ through cohesion (TIP and HTS high, local militias lower). Clamped to [0.05, 1].
"""

from __future__ import annotations

import numpy as np

from .parameters import MoraleParams


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
) -> np.ndarray:
    m = (
        morale
        - p.loss_sensitivity * loss_fraction
        - p.bombardment * strikes
        - p.unsupplied * (1.0 - supply)
        - p.encircled * encircled.astype(float)
        - p.flank_threat * np.maximum(0, enemy_neighbours - 1)
        + p.recovery * (cohesion - morale)
        + p.victory * victories
    )
    return np.clip(m, 0.05, 1.0)
