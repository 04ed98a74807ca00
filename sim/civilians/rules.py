"""The civilians' rules as plain functions: how frightening a day is at each settlement, how a strike's
fright thins out over a large town, and the kinds of shelter; plus ``DayInputs``, all the war tells the
population each day.

Danger per settlement, the sum of four terms:

    bombardment   w_b (1 - exp(-strikes x e / b0)),
                  e = (10,000 / pre-offensive population) ** strike_exposure
    fighting      w_f exp(-km to the nearest settlement fought over lately / L)
    captures      capture_news x w_f exp(-km to the nearest recent capture / L)
    capture       w_c where the settlement is now held by a faction the displaced avoid
    destruction   w_d (1 - exp(-strikes so far x e / d0)): a town bombed for weeks becomes unliveable

A quiet front line frightens nobody new: people near it in December 2019 had lived there for months.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sim.inputs.parameters import CivilianParams

EXPOSURE_REFERENCE = 10_000.0  # people: the settlement size at which a strike counts as one strike
# people: smaller settlements count as this size for the death risk and fright per strike (a strike falls on
# a neighbourhood, and a hamlet's few hundred people are not all under it)
POPULATION_FLOOR = 1000.0


def strike_exposure(pop0: np.ndarray, exponent: float) -> np.ndarray:
    """Per settlement, how many strikes of fright one strike is: ``(EXPOSURE_REFERENCE / pop0) ** exponent``.

    Why: a strike falls on one neighbourhood. In a village of 3,000 every household hears it and knows
    someone under it; in Idlib city (200,000) or Atmeh (240,000 with its camps) most households do not. The
    death risk already thins out this way (``deaths_per_strike x strikes / initial population``); without
    the same for fear, a few strikes a day on the crowded towns by the border sent their most anxious tenth
    on the road in late February 2020, so the displacement count kept rising after the seeds' count had
    levelled off (900,000 on 17 Feb, 980,000 on 4 Mar). The pre-offensive population stands for the
    built-up area a strike is diluted over, so a town that empties does not grow more frightening per
    strike. Populations under ``POPULATION_FLOOR`` count as that floor (as for the death risk).
    ``exponent`` 0 gives exactly 1 everywhere (every strike counts the same).
    """
    return (EXPOSURE_REFERENCE / np.maximum(pop0, POPULATION_FLOOR)) ** exponent


def stable_order(keys: np.ndarray, n: int) -> np.ndarray:
    """Stable argsort of settlement indices; as int16 numpy uses a radix sort (several times faster).

    A stable order is unique, so this is the same permutation as ``np.argsort(keys, kind="stable")``.
    """
    if n <= np.iinfo(np.int16).max:
        keys = keys.astype(np.int16, copy=False)
    return np.argsort(keys, kind="stable")


class Shelter(IntEnum):
    HOME = 0
    HOST = 1  # with relatives, host families, or renting
    CAMP = 2
    UNFINISHED = 3  # unfinished or damaged buildings
    OPEN_AIR = 4
    TRANSIT = 5


SHELTER_COLUMNS = {
    Shelter.HOST: "shelter_host",
    Shelter.CAMP: "shelter_camp",
    Shelter.UNFINISHED: "shelter_unfinished",
    Shelter.OPEN_AIR: "shelter_open_air",
    Shelter.TRANSIT: "in_transit",
}


@dataclass
class DayInputs:
    """What the wargame core gives the civilians each day (all arrays per settlement)."""

    strikes: np.ndarray
    hostile: np.ndarray  # held by a faction the displaced avoid
    km_to_fighting: np.ndarray  # road km to the nearest ground fighting of the last three days
    km_to_recent_capture: np.ndarray
    returns_allowed: bool


def danger(
    d: DayInputs, exposure: np.ndarray, p: CivilianParams, cumulative: np.ndarray | None = None
) -> np.ndarray:
    """The day's danger at every settlement (see the module docstring); ``exposure`` is
    ``strike_exposure`` of the settlements' pre-offensive populations, ``cumulative`` the exposure-weighted
    strikes so far (for the lasting danger of destruction, ``destruction_weight``)."""
    bomb = p.bomb_weight * (1.0 - np.exp(-d.strikes * exposure / p.bomb_scale))
    front = p.front_weight * np.exp(-d.km_to_fighting / p.front_scale_km)
    news = p.capture_news * p.front_weight * np.exp(-d.km_to_recent_capture / p.front_scale_km)
    captured = p.capture_weight * d.hostile
    out = bomb + front + news + captured
    if p.destruction_weight > 0 and cumulative is not None:
        out = out + p.destruction_weight * (1.0 - np.exp(-cumulative / p.destruction_scale))
    return out


def departure_rates(d: DayInputs, p: CivilianParams) -> np.ndarray | None:
    """Today's daily probability of setting off once decided, per settlement: ``departure_rate``, or the
    higher ``conflict_departure_rate`` in conflict zones (within ``conflict_km`` of ground fighting, or held
    by a faction the displaced avoid). None: everyone who has decided leaves today (no draws)."""
    rate = p.departure_rate
    if p.conflict_departure_rate <= rate:
        return None if rate >= 1.0 else np.full(d.hostile.size, rate)
    conflict = (d.km_to_fighting <= p.conflict_km) | d.hostile
    return np.where(conflict, p.conflict_departure_rate, rate)


def death_risk(
    strikes: np.ndarray,
    pop0: np.ndarray,
    loc: np.ndarray,
    transit: np.ndarray,
    shelter: np.ndarray,
    p: CivilianParams,
) -> tuple[np.ndarray, np.ndarray]:
    """The cohorts exposed to today's strikes (at a struck settlement, not on the road; with
    ``open_air_lethality`` every cohort at a settlement) and each one's chance of death per person:
    ``deaths_per_strike x strikes / pre-offensive population`` (a strike falls on one neighbourhood; small
    places count as ``POPULATION_FLOOR``), plus ``open_air_lethality`` for those in the open air; at most
    1."""
    prob = np.minimum(p.deaths_per_strike * strikes / np.maximum(pop0, POPULATION_FLOOR), 1.0)
    struck = np.ones(prob.size, dtype=bool) if p.open_air_lethality > 0 else prob > 0
    if not struck.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    exposed = np.flatnonzero(struck[loc] & (transit == 0))
    risk = prob[loc[exposed]]
    if p.open_air_lethality > 0:
        risk = np.minimum(risk + p.open_air_lethality * (shelter[exposed] == Shelter.OPEN_AIR), 1.0)
    return exposed, risk
