"""The scenario timeline: what history imposed from outside, resolved into per-day conditions.

Weather, the air campaign's planned sorties, bombardments' counted attacks, the places reported struck,
ceasefires, reinforcements, new observation posts and interventions are inputs. This module turns the dated
events into arrays indexed by day so that the model step reads them in O(1); whether a ceasefire is *kept* on
a given day is drawn by the model from the ceasefire's compliance (a stochastic violation is an outcome, the
ceasefire itself an input).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from sim.inputs.events import (
    AirCampaignEvent,
    BombardmentEvent,
    CeasefireEvent,
    FireSupportEvent,
    InterventionEvent,
    ObservationPostsEvent,
    ReinforcementEvent,
    StrikeReportEvent,
    WeatherEvent,
)
from sim.inputs.schema import Scenario

W = TypeVar("W", CeasefireEvent, InterventionEvent, FireSupportEvent, BombardmentEvent, StrikeReportEvent)


@dataclass
class Timeline:
    scenario: Scenario
    dates: list[dt.date] = field(init=False)
    air_factor: np.ndarray = field(init=False)
    ground_factor: np.ndarray = field(init=False)
    planned_sorties: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        sc = self.scenario
        n = sc.days
        self.dates = [sc.start + dt.timedelta(days=i) for i in range(n)]
        self.air_factor = np.ones(n)
        self.ground_factor = np.ones(n)
        self.planned_sorties = {}
        for fid, f in sc.factions.items():
            base = f.air.base_sorties_per_day if f.air else 0.0
            self.planned_sorties[fid] = np.full(n, base)
        # air campaigns replace the base level on their days; overlapping campaigns add up
        covered: dict[str, np.ndarray] = {fid: np.zeros(n, dtype=bool) for fid in sc.factions}
        for _, ev in self.sorted_events():
            if isinstance(ev, WeatherEvent):
                s, e = self.span(ev.start, ev.end)
                self.air_factor[s:e] = np.minimum(self.air_factor[s:e], ev.air_factor)
                self.ground_factor[s:e] = np.minimum(self.ground_factor[s:e], ev.ground_factor)
            elif isinstance(ev, AirCampaignEvent):
                s, e = self.span(ev.start, ev.end)
                arr, cov = self.planned_sorties[ev.faction], covered[ev.faction]
                arr[s:e] = np.where(cov[s:e], arr[s:e] + ev.sorties_per_day, ev.sorties_per_day)
                cov[s:e] = True
        for fid, f in sc.factions.items():
            self.planned_sorties[fid] = self.planned_sorties[fid] * f.air_scale

    def sorted_events(self) -> list[tuple[str, object]]:
        """Events in a deterministic order (by name), never by set or hash order."""
        return sorted(self.scenario.events.items())

    def day_of(self, d: dt.date) -> int:
        return (d - self.scenario.start).days

    def span(self, start: dt.date, end: dt.date | None) -> tuple[int, int]:
        """Half-open day-index range [s, e) for an inclusive date range clipped to the run."""
        s = max(0, self.day_of(start))
        e = self.scenario.days if end is None else min(self.scenario.days, self.day_of(end) + 1)
        return s, max(s, e)

    def active(self, start: dt.date, end: dt.date | None, day: int) -> bool:
        s, e = self.span(start, end)
        return s <= day < e

    def in_force(self, kind: type[W], day: int) -> list[tuple[str, W]]:
        """Events of one windowed kind (with ``start`` and ``end``) whose window contains ``day``."""
        return [
            (k, ev)
            for k, ev in self.sorted_events()
            if isinstance(ev, kind) and self.active(ev.start, ev.end, day)
        ]

    def ceasefires(self, day: int) -> list[tuple[str, CeasefireEvent]]:
        return self.in_force(CeasefireEvent, day)

    def ceasefire_days_held(self, day: int) -> int:
        """Days since the start of the ceasefire in force today (0 if none)."""
        best = 0
        for _, ev in self.ceasefires(day):
            best = max(best, day - self.day_of(ev.start))
        return best

    def reinforcements(self, day: int) -> list[tuple[str, ReinforcementEvent]]:
        return [
            (k, ev)
            for k, ev in self.sorted_events()
            if isinstance(ev, ReinforcementEvent) and self.day_of(ev.date) == day
        ]

    def new_posts(self, day: int) -> list[tuple[str, ObservationPostsEvent]]:
        return [
            (k, ev)
            for k, ev in self.sorted_events()
            if isinstance(ev, ObservationPostsEvent) and self.day_of(ev.date) == day
        ]

    def interventions(self, day: int) -> list[tuple[str, InterventionEvent]]:
        """Interventions whose window contains ``day`` (a death trigger may still hold them back)."""
        return self.in_force(InterventionEvent, day)

    def fire_support(self, day: int) -> list[tuple[str, FireSupportEvent]]:
        """Fire-support windows that contain ``day``."""
        return self.in_force(FireSupportEvent, day)

    def bombardments(self, faction: str, day: int) -> list[tuple[str, BombardmentEvent]]:
        """The faction's bombardments whose window contains ``day``."""
        return [(k, ev) for k, ev in self.in_force(BombardmentEvent, day) if ev.faction == faction]

    def strike_reports(self, faction: str, day: int) -> list[str]:
        """The places reported struck by the faction today (its ``strike_report`` events in force; a
        report without an end covers its start day), in the events' order, each once."""
        places: list[str] = []
        for _, ev in self.sorted_events():
            in_force = isinstance(ev, StrikeReportEvent) and ev.faction == faction
            if in_force and self.active(ev.start, ev.end or ev.start, day):
                places += [p for p in ev.places if p not in places]
        return places

    def window_day(self, ev: BombardmentEvent, day: int) -> tuple[int, int]:
        """(day of the window, days in the window): the whole window as written, so a run that starts or
        ends inside it fires only its own days' share of the counts."""
        return day - self.day_of(ev.start), (ev.end - ev.start).days + 1
