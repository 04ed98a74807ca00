"""Civilian flight in isolation: the delay between deciding to leave and setting off, and how a
strike's fright thins out over a large town."""

from __future__ import annotations

import numpy as np

from sim.civilians import Civilians, DayInputs
from sim.civilians.rules import Shelter, strike_exposure
from sim.inputs.parameters import CivilianParams


def _line(departure_rate: float, seed: int = 3) -> Civilians:
    """Three settlements 10 km apart, 20,000 people each (so there is room to go), in cohorts of 10; only
    the first is bombarded, and everyone there decides at the first strike (tiny thresholds, no memory)."""
    params = CivilianParams(
        fear_memory=0.0,
        threshold_median=0.01,
        threshold_sigma=0.3,
        departure_rate=departure_rate,
        deaths_per_strike=0.0,  # nobody dies, so every decided household can be counted leaving
    )
    return _civilians(np.full(3, 20_000.0), [[0, 1], [1, 2]], params, seed)


def _civilians(
    population: np.ndarray, edges: list[list[int]], params: CivilianParams, seed: int
) -> Civilians:
    """Settlements joined by 10-km roads, no camps, one host place per resident, cohorts of 10."""
    n = population.size
    return Civilians(
        population=population,
        camp_population=np.zeros(n),
        hosts=np.ones(n, dtype=np.int64),
        edges=np.array(edges),
        edge_km=np.full(len(edges), 10.0),
        cohort_size=10,
        params=params,
        rng=np.random.default_rng(seed),
    )


def _inputs(strikes: list[float]) -> DayInputs:
    """A day with these strikes per settlement and nothing else: no fighting, no captures, no returns."""
    n = len(strikes)
    return DayInputs(
        strikes=np.array(strikes, dtype=float),
        hostile=np.zeros(n, dtype=bool),
        km_to_fighting=np.full(n, np.inf),
        km_to_recent_capture=np.full(n, np.inf),
        returns_allowed=False,
    )


def _day(strikes: float) -> DayInputs:
    return _inputs([strikes, 0.0, 0.0])


def _flights(civ: Civilians, days: int) -> list[int]:
    """People setting off each day: one day of bombardment on the first settlement, then quiet."""
    out = []
    for day in range(days):
        civ.step(_day(20.0 if day == 0 else 0.0), day)
        out.append(civ.fled_today)
    return out


def test_without_delay_everyone_who_decides_leaves_that_day():
    civ = _line(departure_rate=1.0)
    fled = _flights(civ, 5)
    assert fled[0] == 20_000
    assert fled[1:] == [0, 0, 0, 0]


def test_delay_spreads_departures_over_the_following_quiet_days():
    rate = 0.3
    civ = _line(departure_rate=rate)
    fled = _flights(civ, 40)
    # about `rate` of the decided set off on the first day (2,000 cohorts: binomial sd ~ 0.01)
    assert abs(fled[0] / 20_000 - rate) < 0.04
    # the others keep their decision and leave on later days although nothing falls on them any more,
    # each day about `rate` of those still waiting
    waiting = 20_000 - np.cumsum(fled)
    assert fled[1] > 0 and fled[2] > 0
    assert abs(fled[1] / waiting[0] - rate) < 0.05
    assert waiting[-1] == 0
    assert civ.summary()["displaced_total"] == 20_000
    assert not civ.leaving.any()


def test_households_next_to_the_fighting_set_off_at_the_conflict_rate():
    """Flee's conflict zones: within ``conflict_km`` of ground fighting (or where the settlement has been
    taken) the decided set off at ``conflict_departure_rate``; elsewhere at ``departure_rate``."""
    from sim.civilians.rules import departure_rates

    params = CivilianParams(
        fear_memory=0.0,
        threshold_median=0.01,
        threshold_sigma=0.3,
        departure_rate=0.1,
        conflict_departure_rate=0.9,
        conflict_km=5.0,
        deaths_per_strike=0.0,
    )
    civ = _civilians(np.full(4, 20_000.0), [[0, 1], [1, 2], [2, 3]], params, seed=11)
    # everyone at the first two settlements decides today (struck); fighting 3 km from the first, 12 km
    # from the second: only the first is a conflict zone
    day = _inputs([20.0, 20.0, 0.0, 0.0])
    day.km_to_fighting = np.array([3.0, 12.0, 20.0, 30.0])
    rates = departure_rates(day, params)
    assert rates.tolist() == [0.9, 0.1, 0.1, 0.1]
    civ.step(day, 0)
    left = civ.departures
    assert abs(left[0] / 20_000 - 0.9) < 0.03  # 2,000 cohorts of 10: binomial sd about 0.007
    assert abs(left[1] / 20_000 - 0.1) < 0.03
    # a settlement held by a faction the displaced avoid is a conflict zone too
    day.hostile = np.array([False, False, False, True])
    assert departure_rates(day, params)[3] == 0.9
    # a conflict rate at or below the ordinary one changes nothing: the rule is off
    off = params.model_copy(update={"conflict_departure_rate": 0.1})
    assert departure_rates(day, off).tolist() == [0.1] * 4
    assert departure_rates(day, off.model_copy(update={"departure_rate": 1.0})) is None


def _direct_counts(civ: Civilians) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People present, displaced present (per settlement) and the displaced by shelter, counted cohort by
    cohort from the arrays: what the census must give."""
    here = civ.transit == 0
    people = civ.size.astype(float)
    present = np.bincount(civ.loc[here], weights=people[here], minlength=civ.n)
    away = here & (civ.times_displaced > 0) & (civ.shelter != Shelter.HOME)
    displaced_here = np.bincount(civ.loc[away], weights=people[away], minlength=civ.n)
    ever = civ.times_displaced > 0
    by_shelter = np.bincount(civ.shelter[ever], weights=people[ever], minlength=len(Shelter))
    return present, displaced_here, by_shelter


def test_the_census_is_the_cohorts_counted_one_by_one_at_every_point_of_the_day():
    """The counts are carried and cached (the people present before the flight are yesterday's plus the
    day's arrivals); they must equal a direct count whenever they are read: in the flight's crowding
    (after arrivals, before anyone sets off) and at the end of each day, over days with people on the
    road for several days, deaths and repeat flight. The same for the people away from their home's group
    of settlements (``away_from``)."""
    params = CivilianParams(threshold_median=0.5, speed_km_per_day=4.0, deaths_per_strike=2.0)
    pop = np.array([20_000.0, 5_000.0, 8_000.0, 3_000.0, 12_000.0])
    civ = _civilians(pop, [[0, 1], [1, 2], [2, 3], [3, 4], [0, 4]], params, seed=17)
    crowding = civ._crowding
    read_in_flight = []

    def checked_crowding() -> np.ndarray:
        read_in_flight.append(civ.present().copy())
        np.testing.assert_array_equal(civ.present(), _direct_counts(civ)[0])
        return crowding()

    civ._crowding = checked_crowding
    rng = np.random.default_rng(4)
    arrival_days = 0
    for day in range(30):
        civ.step(_inputs(list(rng.poisson(6.0, pop.size) * (rng.random(pop.size) < 0.5))), day)
        present, displaced_here, by_shelter = _direct_counts(civ)
        np.testing.assert_array_equal(civ.present(), present)
        np.testing.assert_array_equal(civ.displaced_present(), displaced_here)
        summary = civ.summary()
        assert summary["shelter_open_air"] == by_shelter[Shelter.OPEN_AIR]
        assert summary["in_transit"] == by_shelter[Shelter.TRANSIT]
        assert summary["displaced_now"] == by_shelter.sum() - by_shelter[Shelter.HOME]
        assert summary["civilians_alive"] - summary["displaced_total"] + civ.killed_displaced == int(
            civ.size[civ.times_displaced == 0].sum()
        )
        # people away from their home's group (here: settlements 0-1 and 2-4), counted one by one
        group = np.array([0, 0, 1, 1, 1])
        gone = (group[civ.loc] != group[civ.home]) | (civ.transit > 0)
        want = np.bincount(group[civ.home][gone], weights=civ.size[gone], minlength=2)
        np.testing.assert_array_equal(civ.away_from(group, 2), want)
        arrival_days += civ.arrivals.sum() > 0
    # the day's flights read the carried count, on days with arrivals, deaths and repeat flight; people
    # died both among those never displaced (kept apart, not recounted) and among the displaced
    assert len(read_in_flight) > 5 and arrival_days > 5 and civ.killed > civ.killed_displaced > 0
    assert civ.summary()["displaced_repeat"] > 0


# --- a strike's fright thins out over a large town (civilians.strike_exposure) ---------------------------


def _two_towns(exposure: float, seed: int = 5) -> Civilians:
    """A village of 5,000 and a town of 200,000, both struck alike, and a quiet third place to go to.
    Thresholds spread (lognormal, median 1) so that the share who decide measures the danger."""
    params = CivilianParams(
        fear_memory=0.0,
        threshold_median=0.5,
        threshold_sigma=0.8,
        bomb_scale=8.0,
        strike_exposure=exposure,
        deaths_per_strike=0.0,
    )
    return _civilians(np.array([5_000.0, 200_000.0, 50_000.0]), [[0, 2], [1, 2]], params, seed)


def _struck(strikes: float) -> DayInputs:
    return _inputs([strikes, strikes, 0.0])


def _fled_share(civ: Civilians) -> list[float]:
    """Share of the village's and the town's people who have set off."""
    gone = civ.times_displaced > 0
    return [float(civ.size[gone & (civ.home == i)].sum() / civ.pop0[i]) for i in (0, 1)]


def test_strike_exposure_is_one_at_the_reference_size_and_falls_with_population():
    pop0 = np.array([500.0, 10_000.0, 40_000.0, 200_000.0])
    e = strike_exposure(pop0, 0.5)
    assert e[1] == 1.0
    assert e[0] == (10_000.0 / 1000.0) ** 0.5  # under 1,000 counts as 1,000, as the death risk's floor
    assert np.isclose(e[2], 0.5) and np.isclose(e[3], (1 / 20) ** 0.5)
    assert np.array_equal(strike_exposure(pop0, 0.0), np.ones(4))


def test_without_exposure_a_strike_frightens_a_town_as_much_as_a_village():
    civ = _two_towns(exposure=0.0)
    civ.step(_struck(4.0), 0)
    assert civ.danger[0] == civ.danger[1] > 0
    share = _fled_share(civ)
    assert share[0] > 0.3 and abs(share[0] - share[1]) < 0.05


def test_with_exposure_the_same_strikes_send_fewer_of_a_large_town_on_the_road():
    civ = _two_towns(exposure=0.7)
    civ.step(_struck(4.0), 0)
    # danger = 1 - exp(-strikes x e / b0): the village's e is 2**0.7, the town's 0.05**0.7
    assert np.isclose(civ.danger[0], 1 - np.exp(-4.0 * 2**0.7 / 8.0))
    assert np.isclose(civ.danger[1], 1 - np.exp(-4.0 * 0.05**0.7 / 8.0))
    share = _fled_share(civ)
    assert share[0] > 0.3 and share[1] < share[0] / 3


def test_flight_searches_only_the_open_origins_components():
    """Two road components: an origin in the one with safe ground is open and its component is the flight
    area; a hostile-held origin whose component is all hostile is trapped and adds nothing to the area
    (every settlement outside the area is at infinite distance, destination weight 0)."""
    from sim.civilians.routes import open_origins
    from sim.inputs.roads import RoadGraph

    edges = np.array([[0, 1], [1, 2], [3, 4]])
    hostile = np.array([False, False, False, True, True])
    g = RoadGraph(5, edges).csr(np.full(3, 10.0), np.ones(3, dtype=bool))
    is_open, area = open_origins(g, np.array([0, 3]), hostile)
    assert is_open.tolist() == [True, False]
    assert area.tolist() == [0, 1, 2]


def test_the_displaced_go_only_where_roads_lead():
    """Households bombed out of a settlement with two roads out land only on settlements of their own road
    component: the flight area's columns map back to the right settlements."""
    params = CivilianParams(
        fear_memory=0.0, threshold_median=0.01, threshold_sigma=0.3, deaths_per_strike=0.0
    )
    civ = _civilians(np.full(5, 20_000.0), [[1, 2], [2, 3], [0, 4]], params, seed=5)
    civ.step(_inputs([0.0, 0.0, 20.0, 0.0, 0.0]), 0)
    assert civ.fled_today > 0
    moved = civ.home != civ.loc
    assert set(np.unique(civ.loc[moved]).tolist()) <= {1, 3}


def _arrivals_at_a_village(camp_area: list[int] | None) -> dict[Shelter, int]:
    """Village A (1,000 residents, no camp) and camp town B (1,000 camp residents, 500 new camp places)
    share a sub-district when ``camp_area`` says so; the 2,000 people of C, arriving at A all at once,
    look for shelter. The people in each kind of shelter at A."""
    civ = Civilians(
        population=np.array([1_000.0, 1_000.0, 2_000.0]),
        camp_population=np.array([0.0, 1_000.0, 0.0]),
        hosts=np.ones(3, dtype=np.int64),
        edges=np.array([[0, 1], [0, 2]]),
        edge_km=np.full(2, 10.0),
        cohort_size=10,
        params=CivilianParams(host_share=0.25, unfinished_share=0.12),
        rng=np.random.default_rng(5),
        camp_area=None if camp_area is None else np.array(camp_area),
    )
    civ.camp_capacity[1] += 500.0  # the camps have grown
    movers = civ.home == 2
    civ.loc[movers], civ.shelter[movers], civ.times_displaced[movers] = 0, Shelter.TRANSIT, 1
    civ._shelter(movers)
    at_a = civ.loc == 0
    return {s: int(civ.size[at_a & (civ.shelter == s)].sum()) for s in Shelter}


def test_arrivals_take_camp_places_anywhere_in_their_sub_district():
    """Host places at the village first (a quarter of its residents), then camp places in its
    sub-district, then unfinished buildings at the village (12 %), then the open air."""
    pooled = _arrivals_at_a_village(camp_area=[7, 7, 8])
    assert pooled[Shelter.HOST] == 250 and pooled[Shelter.CAMP] == 500
    assert pooled[Shelter.UNFINISHED] == 120 and pooled[Shelter.OPEN_AIR] == 2_000 - 870
    alone = _arrivals_at_a_village(camp_area=None)  # every settlement its own area: A has no camp places
    assert alone[Shelter.CAMP] == 0 and alone[Shelter.HOST] == 250 and alone[Shelter.UNFINISHED] == 120
    # the camp places in use never exceed the sub-district's: B's own residents keep theirs
    assert _arrivals_at_a_village(camp_area=[0, 0, 1])[Shelter.CAMP] == 500


def test_the_camps_draw_the_displaced_by_the_camp_weight():
    """Flee's camp weight: of two destinations alike in every other respect (the same road distance, no
    danger, crowding off), the one in a sub-district with camp places draws ``camp_weight`` times as many;
    at 1 there is no pull (and nothing is multiplied)."""
    from sim.civilians.shelter import camp_pull

    def shares(weight: float) -> float:
        params = CivilianParams(
            fear_memory=0.0, threshold_median=0.01, threshold_sigma=0.3, departure_rate=1.0,
            deaths_per_strike=0.0, crowding_weight=0.0, camp_weight=weight,
        )  # fmt: skip
        civ = Civilians(
            population=np.array([20_000.0, 5_000.0, 5_000.0]),
            camp_population=np.array([0.0, 0.0, 1_000.0]),  # camps at the third settlement only
            hosts=np.ones(3, dtype=np.int64),
            edges=np.array([[0, 1], [0, 2]]),
            edge_km=np.full(2, 10.0),
            cohort_size=10,
            params=params,
            rng=np.random.default_rng(8),
        )
        civ.step(_inputs([20.0, 0.0, 0.0]), 0)
        assert civ.fled_today == 20_000
        arrived = np.bincount(civ.loc[civ.home == 0], weights=civ.size[civ.home == 0], minlength=3)
        return arrived[2] / arrived.sum()

    assert abs(shares(1.0) - 0.5) < 0.03  # 2,000 cohorts: binomial sd about 0.011
    assert abs(shares(4.0) - 0.8) < 0.03
    # by sub-district: every settlement of an area with camp places is pulled, the others are not
    pull = camp_pull(np.array([0, 0, 1, 1, 2]), np.array([0.0, 50.0, 0.0, 0.0, 10.0]), 3.0)
    assert pull.tolist() == [3.0, 3.0, 1.0, 1.0, 3.0]
    assert camp_pull(np.array([0, 1]), np.array([5.0, 0.0]), 1.0) is None


def test_a_queue_member_fits_if_everyone_before_it_and_itself_fit():
    """``queue_fits`` against the rule written out member by member, on random queues (grouped keys, in
    queue order; household sizes and free places that make some queues overflow midway)."""
    from sim.civilians.shelter import queue_fits

    rng = np.random.default_rng(12)
    for _ in range(200):
        keys = np.sort(rng.integers(0, 12, rng.integers(1, 60)))
        sizes = rng.integers(1, 12, keys.size).astype(float)
        free_by_queue = rng.integers(0, 40, 12).astype(float)
        expected, used, last = [], 0.0, None
        for k, size in zip(keys, sizes, strict=True):
            used = size if k != last else used + size
            last = k
            expected.append(used <= free_by_queue[k])
        assert queue_fits(keys, sizes, free_by_queue[keys]).tolist() == expected
    assert queue_fits(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)).size == 0
