"""Where an order's axis points today: its road, its waypoints, then its objective.

An order is an input (a campaign plan): an axis, a time window, the settlements it passes through (``via``)
and an objective that may lie beyond what is reached. The planner and the air campaign both aim at the
same point of it, so that the bombing ahead of a push prepares the villages the push will reach next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.inputs.forces import OrderSpec
    from sim.inputs.geography import Theatre


def axis_point(theatre: Theatre, order: OrderSpec, friendly: np.ndarray) -> int:
    """The settlement the axis aims at: the waypoint after the last one its side holds, or the objective
    once the last waypoint is held.

    Why the last one held and not the first one missing: a waypoint passed and then lost to a raid
    behind the front does not turn the whole axis back (the units on the order hold what it took), while
    a waypoint taken out of order (a flank that collapsed) is not assaulted twice. No state is kept: the
    answer depends on today's control only, so a run resumed from any day plans the same.
    ``friendly`` is a boolean mask over settlements (held by the order's side or its allies).
    """
    via = [theatre.id(name) for name in order.via]
    held = [k for k, v in enumerate(via) if friendly[v]]
    k = held[-1] + 1 if held else 0
    return via[k] if k < len(via) else theatre.id(order.objective)
