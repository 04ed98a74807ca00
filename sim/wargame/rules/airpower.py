"""Air power and artillery: where the day's strikes fall.

Each faction with an air arm flies ``sorties`` today (the scenario's planned sorties x weather x ceasefire).
A share ``front_share`` is close air support on the settlements its formations attack today, split in
proportion to the attacking power; the rest strikes enemy-held settlements behind the front, weighted by
``population_present ** population_exponent x exp(-road km to the front / depth_km) x axis focus`` - the
pattern the seeds describe (towns emptied "before the regime entered", "a landscape of ghost towns").
Artillery adds strike-equivalents on enemy settlements next to the attacking faction's formations.
Expected strikes per settlement are drawn as Poisson counts, so a settlement's bombardment is stochastic.

A bombardment (fire without a ground offensive, the scenario's ``bombardment`` events) is counted, not
planned: each kind's attacks are spread evenly over the window (``daily_attacks``) and each lands on one
enemy-held community within the kind's range of the front, weighted as strikes in depth
(``bombardment_weights``, ``place_attacks``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from sim.inputs.parameters import AirParams


def strategic_weights(
    enemy_held: np.ndarray, present: np.ndarray, km_to_front: np.ndarray, focus: np.ndarray, p: AirParams
) -> np.ndarray:
    """Relative weight of each settlement as a target behind the front (0 where not enemy-held)."""
    w = np.power(np.maximum(present, 0.0), p.population_exponent) * np.exp(-km_to_front / p.depth_km) * focus
    return np.where(enemy_held, w, 0.0)


def preparation_weights(
    enemy_held: np.ndarray,
    present: np.ndarray,
    km_to_front: np.ndarray,
    km_to_objective: np.ndarray,
    front_to_objective: float,
    p: AirParams,
) -> np.ndarray:
    """Weight of each settlement as a target of one axis's preparatory bombardment: enemy-held, nearer
    the objective than the front is (``front_to_objective``, road km from the nearest friendly front
    settlement), and within ``preparation_km`` of the front; by people present ** ``population_exponent``
    (a town full of people is what the bombardment empties). Sums to 1 (0 everywhere if none qualifies)."""
    ahead = enemy_held & (km_to_objective < front_to_objective) & (km_to_front <= p.preparation_km)
    w = np.where(ahead, np.power(np.maximum(present, 0.0), p.population_exponent), 0.0)
    total = w.sum()
    return w / total if total > 0 else w


def report_weights(
    enemy_held: np.ndarray, present: np.ndarray, reported: np.ndarray, p: AirParams
) -> np.ndarray:
    """Weight of each settlement as a target of the strikes the day's reports place: enemy-held and
    reported struck (``reported``, a mask), by people present ** ``population_exponent`` as any strike in
    depth (a report names the place, not how hard it was hit). Sums to 1 (0 everywhere if none qualifies:
    a reported place the faction holds, or an empty one, draws nothing)."""
    w = np.where(enemy_held & reported, np.power(np.maximum(present, 0.0), p.population_exponent), 0.0)
    total = w.sum()
    return w / total if total > 0 else w


@dataclass
class StrikePlan:
    """One faction's strikes today, per settlement."""

    cas: np.ndarray  # close air support for the faction's attacks: multiplies the attacker's power there
    defence: np.ndarray  # close air support for the faction's defenders: multiplies their power there
    strikes: np.ndarray  # every strike that lands on a settlement (what kills and frightens)


def allocate_strikes(
    rng: np.random.Generator,
    sorties: float,
    cas_weight: np.ndarray,
    strategic_weight: np.ndarray,
    front_share: float,
    defence_weight: np.ndarray | None = None,
    staging: np.ndarray | csr_matrix | None = None,
    preparation: np.ndarray | None = None,
    preparation_share: float = 0.0,
    reported: np.ndarray | None = None,
    reported_share: float = 0.0,
) -> StrikePlan:
    """Split ``sorties`` between close air support and strikes in depth.

    Close air support goes where the ground battle is, in proportion to the attacking power engaged:
    on the settlements the faction's units attack (``cas_weight``) and on the enemy units attacking the
    faction's own settlements (``defence_weight``, indexed by the settlement attacked). Why the second:
    without it a counter-attack met no air power at all, and the opposition's rested units retook
    Ma'arrat al-Nu'man and Saraqib in early February in some runs; seed [000], 20 Feb 2020: "Russian air
    support allowed pro-government forces to eventually repel rebel ground elements and recapture" Nayrab.
    Defensive sorties land on the attackers' staging settlements: ``staging`` is an (n, n) matrix (dense or
    sparse) whose row t spreads settlement t's defensive sorties over them (rows sum to 1 where there is
    an attack).
    When there is no ground battle today, the CAS share goes to depth as well. ``preparation`` (weights
    summing to 1, ``preparation_weights`` over the active axes) takes ``preparation_share`` of the strikes in
    depth; then ``reported`` (weights summing to 1, ``report_weights``) takes ``reported_share`` of the
    strikes in depth and every other strike in depth shrinks by the same factor, so a reported day keeps the
    campaign's other strikes (the preparation's among them) in proportion.
    """
    n = strategic_weight.size
    dw = np.zeros(n) if defence_weight is None else defence_weight
    battle = float(cas_weight.sum() + dw.sum())
    cas_total = sorties * front_share if battle > 0 else 0.0
    depth_total = sorties - cas_total
    exp_cas = cas_total * cas_weight / battle if cas_total > 0 else np.zeros(n)
    sw = strategic_weight.sum()
    exp_depth = depth_total * strategic_weight / sw if sw > 0 else np.zeros(n)
    if preparation is not None and preparation_share > 0 and preparation.sum() > 0:
        # the axes' preparation takes its share of the strikes in depth (weights sum to 1 over the axes)
        exp_depth = (1.0 - preparation_share) * exp_depth + preparation_share * depth_total * preparation
    if reported is not None and reported_share > 0 and reported.sum() > 0:
        exp_depth = (1.0 - reported_share) * exp_depth + reported_share * depth_total * reported
    cas = rng.poisson(exp_cas).astype(float)
    depth = rng.poisson(exp_depth).astype(float)
    strikes = cas + depth
    defence = np.zeros(n)
    if defence_weight is not None and dw.any() and cas_total > 0:
        defence = rng.poisson(cas_total * dw / battle).astype(float)
        if staging is not None:
            strikes = strikes + defence @ staging
    return StrikePlan(cas=cas, defence=defence, strikes=strikes)


def artillery_strikes(
    adjacent_enemy: list[np.ndarray], strengths: np.ndarray, per_1000: float, n: int
) -> np.ndarray:
    """Expected artillery strike-equivalents per node from units next to enemy settlements."""
    out = np.zeros(n)
    for targets, s in zip(adjacent_enemy, strengths, strict=True):
        if targets.size:
            out[targets] += per_1000 * s / 1000.0 / targets.size
    return out


def daily_attacks(total: int, days: int, day: int) -> int:
    """Day ``day``'s share (0-based) of ``total`` attacks spread evenly over ``days`` days in whole attacks:
    ``floor((day+1) total / days) - floor(day total / days)``, so the window's days add up to ``total``
    exactly. Why even: the seed counts a month's attacks, not each day's."""
    if not 0 <= day < days:
        return 0
    return (day + 1) * total // days - day * total // days


def bombardment_weights(
    enemy_held: np.ndarray,
    present: np.ndarray,
    km_to_front: np.ndarray,
    range_km: float,
    area: np.ndarray,
    p: AirParams,
) -> np.ndarray:
    """Where one kind of fire falls when there is no ground battle to support: enemy-held communities in
    ``area`` within ``range_km`` road km of the firer's front, weighted as the air campaign weights its
    strikes in depth (``strategic_weights`` without an axis to focus on): people present **
    ``population_exponent`` x exp(-km to the front / ``depth_km``). Sums to 1 (0 everywhere if none
    qualifies)."""
    ok = enemy_held & area & (km_to_front <= range_km)
    focus = np.ones(enemy_held.size)
    w = strategic_weights(ok, present, km_to_front, focus, p)
    total = w.sum()
    return w / total if total > 0 else w


def place_attacks(rng: np.random.Generator, count: int, weights: np.ndarray) -> np.ndarray:
    """``count`` attacks, each on one community drawn with ``weights`` (a multinomial draw): the day's
    count is exact; none fall when no community qualifies."""
    if count <= 0 or weights.sum() <= 0:
        return np.zeros(weights.size)
    return rng.multinomial(count, weights / weights.sum()).astype(float)
