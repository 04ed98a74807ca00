"""A run's record by sub-district: the table humanitarian planners read (``subdistricts.csv``).

OCHA and the CCCM cluster count displacement by sub-district (admin3), so the model reports it that way: per
day and sub-district, the people present in its communities and the displaced among them, the people whose
home is there and who are away from it (``displaced_from``: elsewhere, or on the road), and the people who
arrived at or set off from its communities that day (flight and return; a move between two communities of the
same sub-district counts in both). Empty for a map without sub-districts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel

COLUMNS = [
    "date",
    "subdistrict_pcode",
    "subdistrict",
    "present",
    "displaced_present",
    "displaced_from",
    "arrivals",
    "departures",
]


def subdistricts_table(model: IdlibModel) -> pd.DataFrame:
    """subdistricts.csv: one row per day and sub-district (days outer, sub-districts by P-code), counts
    rounded to whole people."""
    codes, keys = model.theatre.subdistricts
    days = len(model.away_history)
    if not keys or days == 0:
        return pd.DataFrame(columns=COLUMNS)
    n, k = len(codes), len(keys)
    inside = codes >= 0
    member = csr_matrix((np.ones(int(inside.sum())), (np.flatnonzero(inside), codes[inside])), shape=(n, k))

    def by_subdistrict(history: list[np.ndarray]) -> np.ndarray:
        return np.rint(np.asarray(history) @ member).astype(np.int64).ravel()

    dates = np.array([d.isoformat() for d in model.timeline.dates[:days]])
    return pd.DataFrame(
        {
            "date": np.repeat(dates, k),
            "subdistrict_pcode": np.tile([c for c, _ in keys], days),
            "subdistrict": np.tile([a for _, a in keys], days),
            "present": by_subdistrict(model.present_history),
            "displaced_present": by_subdistrict(model.displaced_history),
            "displaced_from": np.rint(np.asarray(model.away_history)).astype(np.int64).ravel(),
            "arrivals": by_subdistrict(model.arrivals_history),
            "departures": by_subdistrict(model.departures_history),
        }
    )
