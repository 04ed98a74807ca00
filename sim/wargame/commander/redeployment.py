"""Redeployment: units earmarked for a later order leave in time to reach its start line by its start date."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.wargame.agents import Posture
from sim.wargame.commander.actions import available

if TYPE_CHECKING:
    from sim.wargame.agents import Faction
    from sim.wargame.model import IdlibModel


def plan_redeployment(model: IdlibModel, faction: Faction) -> set[int]:
    """Units earmarked for a later order that names a start point leave whatever they are doing in time
    to reach it by the order's start date (road km over ``move_km_per_day``, by own-held roads), march
    there and wait; return their ids. A unit with time to spare carries on where it is.

    Why: the campaign plan is a timetable. With units joining a new axis only on its first day, the two
    divisions given the Jabal al-Zawiya push of 23 Feb 2020 (seed [000]) were still at Atarib and Deir
    Hassan at the end of the western push and reached Hish days late, so Kafr Nabl (taken 25 Feb) fell in
    March or not at all.
    """
    bf = model.battlefield
    cp = model.params.commander
    today = model.date
    out: set[int] = set()
    # already on the way yesterday to this order's start: they keep going (or waiting). Keyed by the order:
    # a unit that reached one start line does not set off for the next order's the day the first begins
    was: dict[int, int] = {}
    for f in bf.formations_of(faction.fid):
        if f.redeploy_for is not None:
            was[f.unique_id] = f.redeploy_for
        f.redeploy_for = None
    upcoming = [
        (i, o)
        for i, o in enumerate(model.scenario.orders)
        if o.faction == faction.fid and o.start_point is not None and o.start > today
    ]
    if not upcoming:
        return out
    dist, _ = bf.friendly_paths(faction)
    for i, order in sorted(upcoming, key=lambda io: io[1].start):
        start = start_settlement(model, faction, order.start_point)
        days_left = (order.start - today).days
        for fid in order.formations:
            f = model.formation_by_spec.get(fid)
            if f is None or f.unique_id in out or not available(f) or f.faction != faction.fid:
                continue
            km = dist[start, f.node]  # one row per start point rather than one per unit (roads run both ways)
            if not np.isfinite(km):
                continue
            if was.get(f.unique_id) != i and days_left > np.ceil(km / cp.move_km_per_day):
                continue  # time to spare: it carries on where it is
            f.redeploy_for = i
            f.order_index = None
            if km > 0.0:
                f.posture, f.destination, f.target = Posture.MOVE, start, None
            else:
                f.hold()  # arrived: waits at the start line
            out.add(f.unique_id)
    return out


def start_settlement(model: IdlibModel, faction: Faction, name: str) -> int:
    """An order's start point, or the friendly settlement nearest to it (road km) if the enemy holds it."""
    bf = model.battlefield
    start = model.theatre.id(name)
    friendly = bf.friendly_mask(faction)
    if not friendly[start]:
        d = model.theatre.road_km[start].copy()
        d[~friendly] = np.inf
        start = int(np.argmin(d))
    return start
