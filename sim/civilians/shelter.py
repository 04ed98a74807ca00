"""Where arriving households shelter: the queues for host families, camps and unfinished buildings.

A plain function of the day's free places, so the rule tests alone (``Civilians._shelter`` counts the places
in use and applies the result).
"""

from __future__ import annotations

import numpy as np

from sim.civilians.rules import Shelter, stable_order


def allocate_shelter(
    nodes: np.ndarray,
    sizes: np.ndarray,
    camp_area: np.ndarray,
    free_host: np.ndarray,
    free_camp: np.ndarray,
    free_unfinished: np.ndarray,
) -> np.ndarray:
    """The shelter kind of each seeker: ``nodes`` (ascending) is where each stands, in queue order (random
    within a settlement), ``sizes`` its people; ``free_host`` and ``free_unfinished`` are free places by
    settlement, ``free_camp`` by camp area (``camp_area`` maps a settlement to its area: its sub-district).

    Host places at the settlement go first, then camp places in its area, then unfinished buildings at the
    settlement, each kind to the first in the queue for it; the rest stay in the open air. Why camps by
    area: the camps of the north-west are clusters of informal sites around the border villages, not one
    per town, so a household arriving at a village beside Atmeh can take a place in Atmeh's camps.
    """
    host = queue_fits(nodes, sizes, free_host[nodes])
    rest = np.flatnonzero(~host)
    by_area = rest[stable_order(camp_area[nodes[rest]], free_camp.size)]
    camp = np.zeros(nodes.size, dtype=bool)
    areas = camp_area[nodes[by_area]]
    camp[by_area] = queue_fits(areas, sizes[by_area], free_camp[areas])
    rest = np.flatnonzero(~host & ~camp)
    unfinished = np.zeros(nodes.size, dtype=bool)
    unfinished[rest] = queue_fits(nodes[rest], sizes[rest], free_unfinished[nodes[rest]])
    assigned = np.full(nodes.size, Shelter.OPEN_AIR, dtype=np.int8)
    assigned[unfinished] = Shelter.UNFINISHED
    assigned[camp] = Shelter.CAMP
    assigned[host] = Shelter.HOST
    return assigned


def free_places(
    used: np.ndarray,
    host_capacity: np.ndarray,
    camp_capacity: np.ndarray,
    unfinished_capacity: np.ndarray,
    camp_area: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Free host and unfinished places by settlement, and free camp places by camp area, from the places
    in ``used`` (people by shelter kind and settlement; pre-offensive camp residents fill camp places too).
    Camp places are counted by area: the camp settlements' places are shared by every settlement of their
    sub-district, whoever uses them."""
    k = int(camp_area.max()) + 1 if camp_area.size else 0
    free_camp = np.maximum(
        np.bincount(camp_area, weights=camp_capacity, minlength=k)
        - np.bincount(camp_area, weights=used[Shelter.CAMP], minlength=k),
        0.0,
    )
    free_host = np.maximum(host_capacity - used[Shelter.HOST], 0.0)
    return free_host, free_camp, np.maximum(unfinished_capacity - used[Shelter.UNFINISHED], 0.0)


def queue_fits(keys: np.ndarray, sizes: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Which members of queues fit the free places of their queue: ``keys`` (grouped: equal keys adjacent)
    names each member's queue, in queue order; ``free`` is the free places of each member's queue. A
    member fits if the people before it in its queue and its own fit (so a household too large for what
    is left does not get a place, nor does anyone after it)."""
    if keys.size == 0:
        return np.zeros(0, dtype=bool)
    # where each member's queue starts: the last index at or before it where the key changes (one pass; the
    # same indices as a binary search of each key among sorted keys)
    first = np.empty(keys.size, dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.maximum.accumulate(np.where(first, np.arange(keys.size), 0))
    csum = np.cumsum(sizes)
    end = csum - np.where(starts > 0, csum[starts - 1], 0.0)
    return end <= free


def camp_pull(camp_area: np.ndarray, camp_places: np.ndarray, weight: float) -> np.ndarray | None:
    """Each settlement's destination weight factor for the camps: ``weight`` in a camp area (sub-district)
    with camp places at the start, 1 elsewhere; None when ``weight`` is 1 (no pull, nothing multiplied).

    Why by area: the camps of the north-west are clusters of informal sites around the border villages and
    a household arriving anywhere in their sub-district may take a place in them (``allocate_shelter``);
    Flee weighs camp locations by a camp weight for the same reason: camps, aid and the border draw the
    displaced, who in the model otherwise spread over the whole pocket.
    """
    if weight == 1.0 or camp_area.size == 0:
        return None
    places = np.bincount(camp_area, weights=camp_places, minlength=int(camp_area.max()) + 1)
    return np.where(places[camp_area] > 0, weight, 1.0)
