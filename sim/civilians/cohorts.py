"""The civilian agents of a run: cohorts of up to ``cohort_size`` people from one home at the start, and the
daily census of where they are."""

from __future__ import annotations

import numpy as np

from sim.civilians.rules import Shelter


def make_cohorts(
    resident: np.ndarray, camp: np.ndarray, cohort_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(home, size, shelter) of every cohort: at each settlement in turn, its residents at home, then its
    pre-offensive camp residents (displaced before 1 Dec: not counted as displaced by the offensive); each
    group in cohorts of ``cohort_size`` people, the last one smaller."""
    homes, sizes, shelters = [], [], []
    for v in range(resident.size):
        for count, shelter in ((resident[v], Shelter.HOME), (camp[v], Shelter.CAMP)):
            if count <= 0:
                continue
            k = -(-count // cohort_size)
            s = np.full(k, cohort_size, dtype=np.int64)
            s[-1] = count - cohort_size * (k - 1)
            homes.append(np.full(k, v, dtype=np.int32))
            sizes.append(s)
            shelters.append(np.full(k, shelter, dtype=np.int8))
    if not homes:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int8)
    return np.concatenate(homes), np.concatenate(sizes).astype(np.int32), np.concatenate(shelters)


def by_shelter_and_place(shelter: np.ndarray, loc: np.ndarray, people: np.ndarray, n: int) -> np.ndarray:
    """People of the cohorts given, by (shelter, settlement): a len(Shelter) x n table."""
    key = shelter.astype(np.int64) * n + loc
    return np.bincount(key, weights=people, minlength=len(Shelter) * n).reshape(len(Shelter), n)


def census(
    loc: np.ndarray,
    transit: np.ndarray,
    times: np.ndarray,
    shelter: np.ndarray,
    people: np.ndarray,
    settled: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(people at each settlement, those of them displaced and not home, everybody by (displaced 0/1/2+
    times, shelter) as a 3 x len(Shelter) table): ``settled`` (``by_shelter_and_place`` of the cohorts never
    displaced, all at home) plus the displaced cohorts given (at ``loc`` with ``people`` each, those with
    days of ``transit`` left on the road, at no settlement). Whole numbers of people, so the sums are exact
    in any order.

    Why the never-displaced apart: they are most cohorts, and they only ever leave that group (by fleeing)
    or lose people (to strikes), so their table is kept up to date instead of counted again every day. Why
    two small weighted counts for the others rather than one over (settlement, road, times, shelter): that
    one had 36 bins a settlement, and summing its 65,000 bins back down cost as much as the count itself."""
    k, n = settled.shape
    away = shelter != Shelter.HOME  # displaced and not (back) home
    by_node = np.bincount(loc * 2 + away, weights=people * (transit == 0), minlength=2 * n).reshape(n, 2)
    displaced_present = by_node[:, 1].copy()
    totals = np.bincount(np.minimum(times, 2) * k + shelter, weights=people, minlength=3 * k).reshape(3, k)
    totals[0] = settled.sum(axis=1)
    return settled.sum(axis=0) + by_node[:, 0] + displaced_present, displaced_present, totals
