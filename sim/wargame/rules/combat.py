"""Ground combat: a daily stochastic Lanchester (square-law) step with Dupuy multipliers and breakpoints.

For one contested settlement and one day (Lanchester's square law in Dupuy's quantified judgement form,
with Helmbold's and Epstein's breakpoints):

* effective power of a unit  P = strength x quality (CEV) x morale x (u + (1-u) x supply)
* close air support multiplies the side it supports: P_A = sum(P) x (1 + air_support x CAS sorties) x ground
  factor, and the same for the defender's power with the sorties flown against its attackers
* defender protection  = posture (hasty 1.3 / prepared 1.5) x terrain (open 1.0 ... mountain 1.6)
* expected casualties (square law in power units):
      defender  E[L_D] = kill_rate x P_A / protection
      attacker  E[L_A] = kill_rate x P_D
* one Gamma(k, 1/k) daily intensity G scales both (fat-tailed days, Washburn & Kress), and each unit's
  losses are Binomial(strength, share x G x E[L] / strength), so E[losses] = E[L] exactly (tested).
* a settlement has a frontage (``frontage_base + frontage_per_capita x population`` men): defenders beyond it
  add no power, and the daily loss fraction is measured on the engaged part;
* the defender breaks (withdraws) when its daily loss fraction exceeds the ADM threshold, its cumulative
  engagement loss exceeds the Helmbold breakpoint, its morale falls below ``morale_break``, or (when
  ``overrun_ratio`` > 0) the day's odds reach ``overrun_ratio``;
  the attacker calls off the attack past ``attacker_halt_loss`` or below ``morale_break``.

Everything here is a plain function of arrays so that it can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.inputs.geography import Terrain
from sim.inputs.parameters import CombatParams

MAX_DAILY_LOSS = 0.95  # no force loses more than this share of its men in one day's fighting


def effective_power(
    strength: np.ndarray, quality: np.ndarray, morale: np.ndarray, supply: np.ndarray, unsupplied_power: float
) -> np.ndarray:
    """Per-unit combat power: strength x CEV x morale x supply factor."""
    return strength * quality * morale * (unsupplied_power + (1.0 - unsupplied_power) * supply)


def terrain_multiplier(terrain: int, p: CombatParams) -> float:
    return {
        Terrain.OPEN: p.terrain_open,
        Terrain.PLAIN: p.terrain_plain,
        Terrain.URBAN: p.terrain_urban,
        Terrain.HILLS: p.terrain_hills,
        Terrain.MOUNTAIN: p.terrain_mountain,
    }[Terrain(terrain)]


def posture_multiplier(days_in_place: int, p: CombatParams) -> float:
    return p.posture_prepared if days_in_place >= p.entrench_days else p.posture_hasty


def frontage_factor(total_strength: float, frontage: float) -> float:
    """Share of a defending force that can fight at once (1 when it fits the settlement's frontage)."""
    return 1.0 if total_strength <= frontage else frontage / total_strength


def expected_casualties(
    attack_power: float, defence_fire: float, protection: float, kill_rate: float
) -> tuple[float, float]:
    """Square-law expected daily casualties (defender, attacker) in men."""
    return kill_rate * attack_power / protection, kill_rate * defence_fire


def split_losses(rng: np.random.Generator, strength: np.ndarray, expected_total: float) -> np.ndarray:
    """Distribute ``expected_total`` losses over units in proportion to strength, binomially per unit."""
    total = float(strength.sum())
    if total <= 0 or expected_total <= 0:
        return np.zeros_like(strength)
    p = min(expected_total / total, MAX_DAILY_LOSS)
    men = np.floor(strength).astype(np.int64)
    return rng.binomial(men, p).astype(float)


@dataclass
class EngagementResult:
    attacker_losses: np.ndarray
    defender_losses: np.ndarray
    defender_daily_fraction: float
    attacker_daily_fraction: float
    intensity: float
    attack_power: float
    defence_power: float
    odds: float  # attack_power / (defence_power x protection): what combat.overrun_ratio is measured on


def resolve_engagement(
    rng: np.random.Generator,
    att_strength: np.ndarray,
    att_power: np.ndarray,
    def_strength: np.ndarray,
    def_power: np.ndarray,
    protection: float,
    air_sorties: float,
    ground_factor: float,
    p: CombatParams,
    frontage: float = np.inf,
    defence_sorties: float = 0.0,
) -> EngagementResult:
    """One day of fighting at one settlement. Powers are per-unit effective powers (see module doc);
    ``air_sorties`` support the attacker and ``defence_sorties`` the defender, by the same factor."""
    phi = frontage_factor(float(def_strength.sum()), frontage)
    pa = float(att_power.sum()) * (1.0 + p.air_support * air_sorties) * ground_factor
    pd = float(def_power.sum()) * phi * (1.0 + p.air_support * defence_sorties) * ground_factor
    g = float(rng.gamma(p.dispersion_k, 1.0 / p.dispersion_k))
    e_def, e_att = expected_casualties(pa, pd, protection, p.kill_rate)
    dl = split_losses(rng, def_strength, g * e_def)
    al = split_losses(rng, att_strength, g * e_att)
    ds, as_ = float(def_strength.sum()), float(att_strength.sum())
    return EngagementResult(
        attacker_losses=al,
        defender_losses=dl,
        defender_daily_fraction=float(dl.sum() / (ds * phi)) if ds > 0 else 1.0,
        attacker_daily_fraction=float(al.sum() / as_) if as_ > 0 else 1.0,
        intensity=g,
        attack_power=pa,
        defence_power=pd,
        odds=pa / max(pd * protection, 1e-9),
    )


def defender_breaks(
    daily_fraction: float, cumulative_fraction: float, morale: float, p: CombatParams, odds: float = 0.0
) -> bool:
    """ADM withdrawal (daily attrition above threshold), Helmbold breakpoint, broken morale, or overrun.

    Overrun (``overrun_ratio`` > 0): a defence facing ``odds`` (the day's attacking power over its own
    power x protection) at or above the ratio gives way within the day. Why: the losses a square-law day
    inflicts grow only in proportion to the odds, so even an assault at eight or nine to one killed fewer
    defenders a day than break a defence, and needed several days for a village (Tell Mannas, and the M5
    north of Saraqib, taken one village per two to four days where the seeds record four villages in a
    morning and Saraqib to Khan al-Asal in four days; calibration/gaps.md). Wargames resolve such odds as
    an overrun or automatic victory; the Dupuy Institute notes that involuntary posture changes are
    "seldom related to casualties alone"."""
    return (
        daily_fraction > p.withdraw_attrition
        or cumulative_fraction > p.defender_break_loss
        or morale < p.morale_break
        or overruns(odds, p)
    )


def overruns(odds: float, p: CombatParams) -> bool:
    """The day's odds reach ``overrun_ratio`` (never while it is 0, off)."""
    return p.overrun_ratio > 0.0 and odds >= p.overrun_ratio


def attacker_halts(cumulative_fraction: float, morale: float, p: CombatParams) -> bool:
    return cumulative_fraction > p.attacker_halt_loss or morale < p.morale_break
