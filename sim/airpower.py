"""Air power and artillery: where the day's strikes fall.

Each faction with an air arm flies ``sorties`` today (the scenario's planned sorties x weather x ceasefire).
A share ``front_share`` is close air support on the settlements its formations attack today, split in
proportion to the attacking power; the rest strikes enemy-held settlements behind the front, weighted by
``population_present ** population_exponent x exp(-road km to the front / depth_km) x axis focus`` - the
pattern the seeds describe (towns emptied "before the regime entered", "a landscape of ghost towns").
Artillery adds strike-equivalents on enemy settlements next to the attacking faction's formations.
Expected strikes per settlement are drawn as Poisson counts, so a settlement's bombardment is stochastic.
"""

from __future__ import annotations

import numpy as np

from .parameters import AirParams


def strategic_weights(
    enemy_held: np.ndarray, present: np.ndarray, km_to_front: np.ndarray, focus: np.ndarray, p: AirParams
) -> np.ndarray:
    """Relative weight of each settlement as a target behind the front (0 where not enemy-held)."""
    w = np.power(np.maximum(present, 0.0), p.population_exponent) * np.exp(-km_to_front / p.depth_km) * focus
    return np.where(enemy_held, w, 0.0)


def allocate_strikes(
    rng: np.random.Generator,
    sorties: float,
    cas_weight: np.ndarray,
    strategic_weight: np.ndarray,
    front_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Split ``sorties`` between close air support and strikes in depth; return (cas, strikes) per node.

    ``cas`` counts only close-air-support sorties (they multiply the attacker's power); ``strikes`` is the
    total number of strikes each settlement receives (CAS included), which is what kills and frightens.
    When there is no attack today, the CAS share goes to depth as well.
    """
    n = strategic_weight.size
    cas_total = sorties * front_share if cas_weight.sum() > 0 else 0.0
    depth_total = sorties - cas_total
    exp_cas = cas_total * cas_weight / cas_weight.sum() if cas_total > 0 else np.zeros(n)
    sw = strategic_weight.sum()
    exp_depth = depth_total * strategic_weight / sw if sw > 0 else np.zeros(n)
    cas = rng.poisson(exp_cas).astype(float)
    depth = rng.poisson(exp_depth).astype(float)
    return cas, cas + depth


def artillery_strikes(
    adjacent_enemy: list[np.ndarray], strengths: np.ndarray, per_1000: float, n: int
) -> np.ndarray:
    """Expected artillery strike-equivalents per node from units next to enemy settlements."""
    out = np.zeros(n)
    for targets, s in zip(adjacent_enemy, strengths, strict=True):
        if targets.size:
            out[targets] += per_1000 * s / 1000.0 / targets.size
    return out
