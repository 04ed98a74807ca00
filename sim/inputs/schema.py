"""The scenario schema: factions, formations, orders, dated events, civilians, outputs, and their checks.

A scenario is YAML validated by pydantic. Inputs that history imposed from outside (the Turkish intervention,
ceasefires, weather, reinforcements, the air campaign) are dated *events*; the campaign plan is a list of
*orders* (axis, time window, objective), as a player's orders are in any wargame. Outcomes (which settlements
fall, and when) are never inputs: there is deliberately no way to write "X falls on date D" here.

Beyond the types, `Scenario` checks what pydantic cannot see field by field: every faction, formation and
party named anywhere exists, formation ids are unique, and every dated input lies inside the simulated
period. Such a check raises `FieldError` naming the dotted field, so that the loader can report it as
``file: field: problem`` and blame the file that wrote the value.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from sim.inputs.events import Event, ObservationPostsEvent, ReinforcementEvent
from sim.inputs.fields import Strict
from sim.inputs.forces import FactionSpec, FormationSpec, OrderSpec
from sim.inputs.parameters import Parameters


class FieldError(ValueError):
    """Raised inside validators to point at a precise dotted field rather than the model root."""

    def __init__(self, field: str, problem: str, related: tuple[str, ...] = ()) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem
        # other fields that take part in the conflict: the loader reports whichever of them the latest file
        # (in extends: order, --set last) wrote, since that file is where the conflict was introduced
        self.related = related


class CiviliansSpec(Strict):
    cohort_size: Annotated[int, Field(ge=1)] = Field(
        100, description="People per civilian agent; 1 makes every person an agent."
    )
    enter_government_areas: bool = Field(
        False, description="May the displaced flee into government-held settlements?"
    )
    safe_controllers: list[str] = Field(
        default_factory=lambda: ["opposition", "turkey"],
        description="Controllers whose settlements the displaced may enter.",
    )


class Roles(Strict):
    """The parts that some factions play and that the mechanics treat specially, each naming a faction of
    the scenario (or left out). The engine knows factions only through their kinds and these roles."""

    offensive: str | None = Field(
        None,
        description="The side whose gains headline the daily record: the share of outputs.governorates and "
        "the km of each highway it holds (the '_gov' columns of daily.csv).",
    )
    local_defence: str | None = Field(
        None,
        description="The side whose settlements are held by local defenders raised from the residents "
        "(combat.militia_per_capita; village volunteers, seed [002]) rather than by a garrison.",
    )
    guarantor: str | None = Field(
        None,
        description="The third party whose posts stand at the map's observation posts from the first day "
        "and whose incidents, retaliation and intervention strikes the guarantor phase plays (the "
        "'turkish_killed', 'turkey_intervening' and 'posts_encircled' columns of daily.csv).",
    )


class OutputSpec(Strict):
    map_dates: list[dt.date] = Field(default_factory=list, description="Dates of control-map figures.")
    governorates: list[str] = Field(
        default_factory=list,
        description="Governorates whose area share held by roles.offensive is recorded daily "
        "('<name>_gov_share' in daily.csv).",
    )
    figures: bool = True


class Scenario(Strict):
    name: str
    description: str = ""
    map: str = Field(description="Map data file, relative to this scenario file.")
    start: dt.date
    end: dt.date
    factions: dict[str, FactionSpec]
    formations: list[FormationSpec] = Field(default_factory=list)
    orders: list[OrderSpec] = Field(default_factory=list)
    events: dict[str, Event] = Field(
        default_factory=dict, description="Dated inputs; set one to null in a derived scenario to remove it."
    )
    roles: Roles = Roles()
    civilians: CiviliansSpec = CiviliansSpec()
    parameters: Parameters = Parameters()
    parameters_file: str | None = Field(
        None, description="YAML with a 'parameters:' mapping (calibrated fit)."
    )
    outputs: OutputSpec = OutputSpec()

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: Any) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"end {end} must be after start {start}")
        return end

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        factions = set(self.factions)
        for fid, f in self.factions.items():
            for attr in ("enemies", "allies"):
                for e in getattr(f, attr):
                    if e not in factions:
                        raise FieldError(f"factions.{fid}.{attr}", f"unknown faction '{e}'")
        seen: set[str] = set()
        for i, f in enumerate(self.all_formations()):
            where = f"formations.{i}" if i < len(self.formations) else "events (reinforcement)"
            if f.faction not in factions:
                raise FieldError(f"{where}.faction", f"unknown faction '{f.faction}'")
            if f.id in seen:
                raise FieldError(f"{where}.id", f"duplicate formation id '{f.id}'")
            seen.add(f.id)
        for i, o in enumerate(self.orders):
            if o.faction not in factions:
                raise FieldError(f"orders.{i}.faction", f"unknown faction '{o.faction}'")
            if o.end < o.start:
                raise FieldError(f"orders.{i}.end", f"ends ({o.end}) before it starts ({o.start})")
            for fid in o.formations:
                if fid not in seen:
                    raise FieldError(f"orders.{i}.formations", f"unknown formation '{fid}'")
        for role, fid in self.roles.model_dump().items():
            if fid is not None and fid not in factions:
                raise FieldError(f"roles.{role}", f"unknown faction '{fid}'")
        guarantor = self.roles.guarantor
        if guarantor is not None and self.factions[guarantor].posts is None:
            raise FieldError(
                "roles.guarantor",
                f"faction '{guarantor}' has no 'posts:' for the map's observation posts",
                related=(f"factions.{guarantor}.posts",),
            )
        for name, ev in self.events.items():
            posts_event = isinstance(ev, ObservationPostsEvent) and ev.faction in factions
            if posts_event and self.factions[ev.faction].posts is None:
                raise FieldError(
                    f"events.{name}.faction",
                    f"faction '{ev.faction}' has no 'posts:' for its observation posts",
                    related=(f"factions.{ev.faction}.posts",),
                )
            for attr in ("faction", "against"):
                val = getattr(ev, attr, None)
                if val is not None and val not in factions:
                    raise FieldError(f"events.{name}.{attr}", f"unknown faction '{val}'")
            for p in getattr(ev, "parties", []):
                if p not in factions:
                    raise FieldError(f"events.{name}.parties", f"unknown faction '{p}'")
        self._check_dates()
        return self

    def _check_dates(self) -> None:
        """Every dated input must fall inside the simulated period: a typo'd year is the usual culprit."""

        def check(field: str, d: dt.date | None) -> None:
            if d is not None and not (self.start <= d <= self.end):
                raise FieldError(field, f"date {d} is outside the scenario period {self.start} to {self.end}")

        for i, o in enumerate(self.orders):
            check(f"orders.{i}.start", o.start)
            check(f"orders.{i}.end", o.end)
        for name, ev in self.events.items():
            for attr in ("start", "end", "date"):
                check(f"events.{name}.{attr}", getattr(ev, attr, None))
            start, end = getattr(ev, "start", None), getattr(ev, "end", None)
            if start is not None and end is not None and end < start:
                raise FieldError(f"events.{name}.end", f"ends ({ev.end}) before it starts ({ev.start})")
        for i, d in enumerate(self.outputs.map_dates):
            check(f"outputs.map_dates.{i}", d)

    def all_formations(self) -> list[FormationSpec]:
        """The initial order of battle plus every formation that arrives by a reinforcement event."""
        out = list(self.formations)
        for ev in self.events.values():
            if isinstance(ev, ReinforcementEvent):
                out.extend(ev.formations)
        return out

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1
