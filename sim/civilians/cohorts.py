"""The civilian agents of a run at the start: cohorts of up to ``cohort_size`` people from one home."""

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
