"""Civilians as vectorised agents: who flees, where to, where they shelter, who dies, who returns.

Each civilian agent is a cohort of up to ``cohort_size`` people from one home settlement (``cohort_size=1``
makes every person an agent). Agents are parallel numpy arrays, never Python objects: a Mesa agent costs
about a microsecond per step, an array element about ten nanoseconds, and a run has millions of people.

One day (``Civilians.step``), in order:

1. **Danger** per settlement (``rules.danger``): bombardment, with a strike's fright thinned out over a
   large town (``strike_exposure``), proximity to ground fighting and to recent captures, and capture
   itself.
2. **Fear** is an exponential memory of the danger where the agent is; an agent decides to flee when its fear
   passes its personal threshold (lognormal across agents: heterogeneous households). A household that has
   decided sets off with a daily probability ``departure_rate`` (``conflict_departure_rate`` next to the
   fighting) and keeps its decision until it does: the days between deciding and leaving (fuel, a vehicle,
   money, somewhere to go) are why the seeds' counts kept rising after the bombardment of a place paused.
3. **Destination**: a settlement drawn with weight ``exp(-km/scale) x exp(-safety x danger) x crowding``
   over roads that avoid hostile-held settlements and cost more through settlements under fire
   (``route_fire_cost`` per strike, up to ``route_fire_cap`` strikes): the rule of the Flee model (Suleimenova
   et al. 2017), with safety and crowding in place of its camp and conflict weights. Never into a
   settlement the scenario forbids (by default government-held ones).
4. **Travel** takes ``ceil(km / speed)`` days; on arrival the household takes what shelter is free there, in
   order: relatives/host families, camps (the camp places of its sub-district: informal camps are clusters
   around the border villages, not one per town), unfinished buildings, otherwise the open air; those in the
   open air move into shelter as places free up. Camps grow by ``camp_growth_per_day`` once displacement
   starts.
5. **Deaths** from bombardment: each person present at a settlement dies with probability
   ``deaths_per_strike x strikes / initial population`` (plus an open-air risk), a binomial per cohort.
6. **Returns**: once a ceasefire has held ``return_after_days``, displaced households whose home is safe
   (danger under ``return_danger``) and held by a faction they accept return home with a daily probability.

Population is conserved exactly: sum of cohort sizes + killed = initial population, every day (tested).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from sim.civilians.cohorts import by_shelter_and_place, census, make_cohorts
from sim.civilians.routes import area_graph, flight_roads, open_origins
from sim.civilians.rules import (
    SHELTER_COLUMNS,
    DayInputs,
    Shelter,
    danger,
    death_risk,
    departure_rates,
    stable_order,
    strike_exposure,
)
from sim.civilians.shelter import allocate_shelter, camp_pull, free_places
from sim.inputs.parameters import CivilianParams
from sim.inputs.roads import RoadGraph


class Civilians:
    """All civilian agents of a run, as arrays. Built once per run from the settlement populations."""

    def __init__(
        self,
        population: np.ndarray,
        camp_population: np.ndarray,
        hosts: np.ndarray,
        edges: np.ndarray,
        edge_km: np.ndarray,
        cohort_size: int,
        params: CivilianParams,
        rng: np.random.Generator,
        camp_area: np.ndarray | None = None,
    ) -> None:
        self.p = params
        self.rng = rng
        self.n = population.size
        # the area whose camp places a household arriving at each settlement may take (its sub-district);
        # by default each settlement is its own area
        area = np.arange(self.n) if camp_area is None else np.asarray(camp_area, dtype=np.int64)
        _, self._camp_area = np.unique(area, return_inverse=True)
        self.edges = edges
        self.edge_km = edge_km
        self._road_graph = RoadGraph(len(population), edges)
        pop = np.round(population).astype(np.int64) * hosts
        camp = np.minimum(np.round(camp_population).astype(np.int64), pop) * hosts
        resident = pop - camp
        self.home, self.size, self.shelter = make_cohorts(resident, camp, cohort_size)
        self.loc = self.home.copy()
        m = self.home.size
        self.fear = np.zeros(m, dtype=np.float32)
        self.threshold = rng.lognormal(np.log(params.threshold_median), params.threshold_sigma, m).astype(
            np.float32
        )
        self.times_displaced = np.zeros(m, dtype=np.int16)
        self.leaving = np.zeros(m, dtype=bool)  # decided to flee, not yet set off
        self.transit = np.zeros(m, dtype=np.int16)
        # the cohorts' people as floats, kept equal to ``size``: the weights of every per-settlement count
        # (np.bincount converts integer weights to floats on each call, several times the count's own cost)
        self._people = self.size.astype(np.float64)
        self.initial_total = int(self.size.sum())
        self.pop0 = np.bincount(self.home, weights=self.size, minlength=self.n)
        self.strike_exposure = strike_exposure(self.pop0, params.strike_exposure)
        self.killed = 0
        self.killed_displaced = 0
        self.killed_at = np.zeros(self.n)
        self.host_capacity = params.host_share * resident.astype(float)
        self.unfinished_capacity = params.unfinished_share * resident.astype(float)
        self.camp_capacity = camp.astype(float)
        self._camp_share = camp / camp.sum() if camp.sum() > 0 else np.zeros(self.n)
        self._camp_pull = camp_pull(self._camp_area, self.camp_capacity, params.camp_weight)
        self.danger = np.zeros(self.n)
        self.cumulative_strikes = np.zeros(self.n)  # exposure-weighted strikes so far (destruction)
        self._present: np.ndarray | None = None
        self._displaced_present: np.ndarray | None = None
        self._totals: np.ndarray | None = None
        self._home_group: tuple[bytes, np.ndarray] = (b"", np.zeros(0, dtype=np.int64))
        # the never-displaced cohorts by (shelter, settlement), kept as they flee or die; and the others
        self._settled = by_shelter_and_place(self.shelter, self.loc, self._people, self.n)
        self._moved: np.ndarray | None = np.flatnonzero(self.times_displaced > 0)
        self._any_displaced = False
        self._travelling = False  # anyone with days of travel left (lets quiet days skip the road arithmetic)
        self.fled_today = 0
        self.returned_today = 0
        # people who set off from / arrived at each settlement today (flight and return)
        self.departures = np.zeros(self.n)
        self.arrivals = np.zeros(self.n)

    # ------------------------------------------------------------------ derived quantities

    @property
    def agents(self) -> int:
        return int(self.size.size)

    def present(self) -> np.ndarray:
        """People at each settlement (not on the road). Cached until the arrays next change."""
        if self._present is None:
            self._census()
        return self._present

    def displaced_present(self) -> np.ndarray:
        """People at each settlement who were displaced since the start and are not back home."""
        if self._displaced_present is None:
            self._census()
        return self._displaced_present

    def _displaced(self) -> np.ndarray:
        """The cohorts displaced at least once (ascending; the rest are at home in ``_settled``)."""
        if self._moved is None:
            self._moved = np.flatnonzero(self.times_displaced > 0)
        return self._moved

    def _census(self) -> None:
        i = self._displaced()
        self._present, self._displaced_present, self._totals = census(
            self.loc[i],
            self.transit[i],
            self.times_displaced[i],
            self.shelter[i],
            self._people[i],
            self._settled,
        )

    def _people_at(self, nodes: np.ndarray, which: np.ndarray) -> np.ndarray:
        """People of the cohorts ``which`` (a mask or indices) counted at ``nodes`` (one per cohort)."""
        return np.bincount(nodes, weights=self._people[which], minlength=self.n).astype(float)

    def away_from(self, group: np.ndarray, groups: int) -> np.ndarray:
        """Per group of settlements (``group[v]`` in 0..groups-1 for each settlement v), the people whose home
        is in the group and who are away from it: at a settlement of another group, or on the road."""
        key = group.tobytes()  # homes never change: each cohort's home group is kept for the same grouping
        if self._home_group[0] != key:
            self._home_group = (key, group[self.home])
        i = self._displaced()  # the others are at home
        home = self._home_group[1][i]
        away = (group[self.loc[i]] != home) | (self.transit[i] > 0)
        return np.bincount(home[away], weights=self._people[i][away], minlength=groups)

    def alive(self) -> int:
        return self.initial_total - self.killed

    def summary(self) -> dict[str, int]:
        """The day's totals for daily.csv from a single weighted count over (times displaced, shelter)."""
        if self._totals is None:
            self._census()
        c = self._totals  # people by times displaced (0, 1, 2+) and shelter
        displaced = c[1] + c[2]  # by shelter, people displaced once or more
        out = {
            "displaced_total": int(displaced.sum()) + self.killed_displaced,
            "displaced_now": int(displaced.sum() - displaced[Shelter.HOME]),
            "civilians_alive": self.alive(),
            "civilians_killed": self.killed,
        }
        out.update({col: int(displaced[s]) for s, col in SHELTER_COLUMNS.items()})
        out["displaced_repeat"] = int(c[2].sum())
        return out

    def displaced_total(self) -> int:
        """People displaced at least once since the start (the dead among them included: monotone)."""
        return self.summary()["displaced_total"]

    # ------------------------------------------------------------------ the day

    def compute_danger(self, d: DayInputs) -> np.ndarray:
        return danger(d, self.strike_exposure, self.p, self.cumulative_strikes)

    def step(self, d: DayInputs, day: int) -> None:
        p = self.p
        present = self._present  # yesterday's closing count: nothing moves people between two days
        self._invalidate()
        self.cumulative_strikes += d.strikes * self.strike_exposure
        self.danger = danger = self.compute_danger(d)
        if self._any_displaced:
            self.camp_capacity += p.camp_growth_per_day * self._camp_share
        self.departures = np.zeros(self.n)
        self.arrivals = np.zeros(self.n)
        # 1. arrivals of those already on the road (skipped while nobody is travelling)
        if self._travelling:
            on_road = self.transit > 0
            np.subtract(self.transit, 1, out=self.transit, where=on_road)
            here = self.transit == 0
            arrived = on_road & here
            self.arrivals = self._people_at(self.loc[arrived], arrived)
            present = None if present is None else present + self.arrivals  # whole numbers: exact
        else:
            here = np.ones(self.transit.size, dtype=bool)
            arrived = None
        self._present = present  # what ``present()`` would count now, without a pass over the cohorts
        # 2. fear and the decision to flee (only people at a settlement); elementwise the same arithmetic as
        #    fear[here] = memory * fear[here] + danger[loc[here]], without the gather/scatter of the mask
        updated = np.float32(p.fear_memory) * self.fear + danger.astype(np.float32)[self.loc]
        np.copyto(self.fear, updated, where=here)
        self.leaving |= here & (self.fear > self.threshold)  # _departures skips emptied cohorts
        flee = self._departures(here, d)
        self.fled_today = 0
        if flee.any():
            self._any_displaced = True
            self.fled_today = self._flee(np.flatnonzero(flee), danger, d)
        # 3. returns once a ceasefire has held
        self.returned_today = 0
        if d.returns_allowed:
            self._returns(danger, d)
        # 4. shelter for arrivals, and for those in the open air where places have freed up
        newly = None if arrived is None else arrived & (self.transit == 0) & (self.shelter == Shelter.TRANSIT)
        self._shelter(newly)
        if flee.any():
            self._travelling = True
        elif self._travelling:
            self._travelling = bool(self.transit.any())
        # 5. deaths from bombardment
        self._deaths(d.strikes)
        self._invalidate()

    # ------------------------------------------------------------------ pieces

    def _departures(self, here: np.ndarray, d: DayInputs) -> np.ndarray:
        """Who of those who have decided to leave sets off today (one draw per waiting household)."""
        waiting = self.leaving & here & (self.size > 0)
        if (rate := departure_rates(d, self.p)) is None:
            return waiting
        idx, go = np.flatnonzero(waiting), np.zeros_like(waiting)
        go[idx[self.rng.random(idx.size) < rate[self.loc[idx]]]] = True
        return go

    def _invalidate(self) -> None:
        self._present = None
        self._displaced_present = None
        self._totals = None

    def _crowding(self) -> np.ndarray:
        present = self.present()
        capacity = self.pop0 + self.host_capacity + self.unfinished_capacity + self.camp_capacity + 1.0
        return np.exp(-self.p.crowding_weight * present / capacity)

    def _flee(self, idx: np.ndarray, danger: np.ndarray, d: DayInputs) -> int:
        """Send the households ``idx`` on their way; return how many people set off (the trapped wait)."""
        p, rng = self.p, self.rng
        origins_all = self.loc[idx]
        origins = np.unique(origins_all)
        w, ok = flight_roads(self.edges, self.edge_km, p, origins, d.strikes, d.hostile)
        is_open, area = open_origins(self._road_graph.csr(w, ok), origins, d.hostile)
        reach = np.flatnonzero(is_open)  # the others are trapped: no draws
        # the day's routes among the settlements the open origins can reach (``area``, ascending: every
        # other settlement is at infinite distance, weight 0); ``km`` and ``cdfs`` have a column each
        at = np.full(self.n, -1, dtype=np.int64)
        at[area] = np.arange(area.size)
        km = (
            dijkstra(area_graph(self._road_graph, w, ok, area), directed=True, indices=at[origins[reach]])
            if reach.size
            else np.zeros((0, area.size))
        )
        attract = (np.exp(-p.safety_weight * danger) * self._crowding() * (~d.hostile))[area]
        attract = attract if self._camp_pull is None else attract * self._camp_pull[area]
        order = stable_order(origins_all, self.n)
        idx, origins_all = idx[order], origins_all[order]
        bounds = np.searchsorted(origins_all, origins)
        bounds = np.append(bounds, idx.size)
        moved: list[np.ndarray] = []
        dests: list[np.ndarray] = []
        hops: list[np.ndarray] = []
        # destination weights of every open origin at once (one row an origin: the same arithmetic as row
        # by row, attract x exp(-km / scale), in place), then each row's cumulative distribution (a
        # cumulative sum runs along its row in order)
        weights = np.negative(km)
        weights /= p.distance_scale_km
        np.exp(weights, out=weights)
        weights *= attract
        weights[np.arange(reach.size), at[origins[reach]]] = 0.0
        totals = weights.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            weights /= totals[:, None]
            cdfs = np.cumsum(weights, axis=1, out=weights)
            cdfs /= cdfs[:, -1:]
        for r, k in enumerate(reach):
            movers = idx[bounds[k] : bounds[k + 1]]
            total = totals[r]
            if total <= 0 or not np.isfinite(total):
                continue  # trapped: nowhere to go today
            # what Generator.choice(n, size, p=w/total) does, without its per-call validation overhead:
            # the same draws from the same stream, so results are unchanged
            col = cdfs[r].searchsorted(rng.random(movers.size), side="right")
            moved.append(movers)
            dests.append(area[col])
            hops.append(km[r, col])
        if not moved:
            return 0
        movers = np.concatenate(moved)
        dest = np.concatenate(dests)
        first = movers[self.times_displaced[movers] == 0]  # leave the never-displaced for good
        self._settled -= by_shelter_and_place(
            self.shelter[first], self.loc[first], self._people[first], self.n
        )
        self._moved = None
        self.departures += self._people_at(self.loc[movers], movers)
        self.loc[movers] = dest
        self.transit[movers] = np.maximum(1, np.ceil(np.concatenate(hops) / p.speed_km_per_day)).astype(
            np.int16
        )
        self.shelter[movers] = Shelter.TRANSIT
        self.times_displaced[movers] += 1
        self.leaving[movers] = False
        self.fear[movers] *= p.fear_after_leaving  # relief on leaving; fear builds again where they arrive
        return int(self.size[movers].sum())

    def _returns(self, danger: np.ndarray, d: DayInputs) -> None:
        p, rng = self.p, self.rng
        cand = np.flatnonzero(
            (self.times_displaced > 0) & (self.transit == 0) & (self.shelter != Shelter.HOME)
        )
        if cand.size == 0:
            return
        home = self.home[cand]
        ok = ~d.hostile[home] & (danger[home] < p.return_danger)
        go = cand[ok & (rng.random(cand.size) < p.return_rate)]
        if go.size == 0:
            return
        self.returned_today = int(self.size[go].sum())
        self.departures += self._people_at(self.loc[go], go)
        self.arrivals += self._people_at(self.home[go], go)
        self.loc[go] = self.home[go]
        self.shelter[go] = Shelter.HOME
        self.fear[go] = 0.0

    def _shelter(self, arrivals: np.ndarray | None) -> None:
        """Fill free places, node by node: host families, then camps, then unfinished buildings."""
        rng = self.rng
        here = self.transit == 0
        open_air = here & (self.shelter == Shelter.OPEN_AIR)
        seekers = np.flatnonzero(open_air if arrivals is None else arrivals | open_air)
        if seekers.size == 0:
            return
        # places in use, by shelter type and settlement (pre-offensive camp residents fill camp places too)
        i = self._displaced()  # the never-displaced are in ``_settled``; those on the road weigh 0
        used = self._settled + by_shelter_and_place(
            self.shelter[i], self.loc[i], self._people[i] * here[i], self.n
        )
        free_host, free_camp, free_unfinished = free_places(
            used, self.host_capacity, self.camp_capacity, self.unfinished_capacity, self._camp_area
        )
        seekers = seekers[rng.permutation(seekers.size)]
        seekers = seekers[stable_order(self.loc[seekers], self.n)]
        nodes = self.loc[seekers]
        assigned = allocate_shelter(
            nodes, self._people[seekers], self._camp_area, free_host, free_camp, free_unfinished
        )
        self.shelter[seekers] = assigned

    def _deaths(self, strikes: np.ndarray) -> None:
        exposed, risk = death_risk(strikes, self.pop0, self.loc, self.transit, self.shelter, self.p)
        if exposed.size == 0:
            return
        dead = self.rng.binomial(self.size[exposed], risk)
        if not dead.any():
            return
        s = self.times_displaced[exposed] == 0  # the never-displaced among the cohorts struck
        e = exposed[s]
        self._settled -= by_shelter_and_place(self.shelter[e], self.loc[e], dead[s].astype(float), self.n)
        self.size[exposed] -= dead.astype(np.int32)
        self._people[exposed] = self.size[exposed]
        self.killed += int(dead.sum())
        self.killed_displaced += int(dead[~s].sum())
        self.killed_at += np.bincount(self.loc[exposed], weights=dead, minlength=self.n)
