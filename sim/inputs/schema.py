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
from typing import Annotated

from pydantic import Field, model_validator

from sim.inputs.events import Event, ObservationPostsEvent, ReinforcementEvent
from sim.inputs.fields import MAX_DAYS, NUMBER, Date, FactionId, Label, Name, Strict, Text, bounds
from sim.inputs.forces import FactionSpec, FormationSpec, OrderSpec
from sim.inputs.parameters import Parameters
from sim.inputs.start import InitialStateSpec


class FieldError(ValueError):
    """Raised inside validators to point at a precise dotted field rather than the model root."""

    def __init__(self, field: str, problem: str, related: tuple[str, ...] = ()) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem
        # other fields that take part in the conflict: the loader reports whichever of them the latest file
        # (in extends: order, --set last) wrote, since that file is where the conflict was introduced
        self.related = related


def _unknown_faction(field: str, name: str) -> FieldError:
    """A reference to a faction the scenario does not have: the reference is wrong, or ``factions`` lost
    the faction (replaced in a later file or by ``--set``), whichever was written last."""
    return FieldError(field, f"unknown faction '{name}'", related=("factions",))


class CiviliansSpec(Strict):
    cohort_size: Annotated[
        int,
        Field(
            ge=1,
            le=100_000,
            json_schema_extra=bounds(
                "one person to 100,000 people per agent: larger cohorts than the largest towns' populations "
                "would make each town's flight all or nothing"
            ),
        ),
        NUMBER,
    ] = Field(100, description="People per civilian agent; 1 makes every person an agent.")
    enter_government_areas: bool = Field(
        False, description="May the displaced flee into government-held settlements?"
    )
    safe_controllers: list[FactionId] = Field(
        default_factory=lambda: ["opposition", "turkey"],
        description="Controllers whose settlements the displaced may enter.",
    )


class Roles(Strict):
    """The parts that some factions play and that the mechanics treat specially, each naming a faction of
    the scenario (or left out). The engine knows factions only through their kinds and these roles."""

    offensive: FactionId | None = Field(
        None,
        description="The side whose gains headline the daily record: the share of outputs.governorates and "
        "the km of each highway it holds (the '_gov' columns of daily.csv).",
    )
    local_defence: FactionId | None = Field(
        None,
        description="The side whose settlements are held by local defenders raised from the residents "
        "(combat.militia_per_capita; village volunteers, seed [002]) rather than by a garrison.",
    )
    guarantor: FactionId | None = Field(
        None,
        description="The third party whose posts stand at the map's observation posts from the first day "
        "and whose incidents, retaliation and intervention strikes the guarantor phase plays (the "
        "'turkish_killed', 'turkey_intervening' and 'posts_encircled' columns of daily.csv).",
    )


class FortifiedFrontSpec(Strict):
    """Where the local-defence side's front of the first day was fortified: the settlements of these areas
    within ``combat.front_depth_km`` of the enemy hold ``combat.front_garrison`` men (``recovery``). Which
    front stood fortified is history (an input); how many men and how deep are fitted parameters."""

    areas: list[Label] = Field(
        default_factory=list,
        description="Sub-districts (name or P-code) or settlements of the fortified front (empty: all).",
    )
    note: Text = ""


class OutputSpec(Strict):
    map_dates: list[Date] = Field(
        default_factory=list, max_length=100, description="Dates of control-map figures (at most 100)."
    )
    governorates: list[Label] = Field(
        default_factory=list,
        description="Governorates whose area share held by roles.offensive is recorded daily "
        "('<name>_gov_share' in daily.csv).",
    )
    figures: bool = True


class Scenario(Strict):
    name: Name = Field(description="Names the default output folder (outputs/<name>) and the figures.")
    description: Text = ""
    map: str = Field(description="Map data file, relative to this scenario file.")
    start: Date
    end: Date
    factions: dict[FactionId, FactionSpec] = Field(min_length=1)
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
    fortified_front: FortifiedFrontSpec = FortifiedFrontSpec()
    initial_state: InitialStateSpec | None = Field(
        None,
        description="Start from other control and people than the map's first day: a control file, a "
        "population file, another scenario's run on a given day (sim/inputs/start.py).",
    )

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        self._check_period()
        factions = set(self.factions)
        for fid, f in self.factions.items():
            for attr in ("enemies", "allies"):
                for j, e in enumerate(getattr(f, attr)):
                    if e not in factions:
                        raise _unknown_faction(f"factions.{fid}.{attr}.{j}", e)
        seen: set[str] = set()
        for where, f in self._formations_where():
            if f.faction not in factions:
                raise _unknown_faction(f"{where}.faction", f.faction)
            if f.id in seen:
                raise FieldError(f"{where}.id", f"duplicate formation id '{f.id}'")
            seen.add(f.id)
        for i, o in enumerate(self.orders):
            if o.faction not in factions:
                raise _unknown_faction(f"orders.{i}.faction", o.faction)
            if o.end < o.start:
                raise FieldError(f"orders.{i}.end", f"ends ({o.end}) before it starts ({o.start})")
            for j, fid in enumerate(o.formations):
                if fid not in seen:
                    problem = f"unknown formation '{fid}'"
                    raise FieldError(f"orders.{i}.formations.{j}", problem, related=("formations", "events"))
        for i, c in enumerate(self.civilians.safe_controllers):  # the default names the baseline's factions
            if c not in factions and "safe_controllers" in self.civilians.model_fields_set:
                raise _unknown_faction(f"civilians.safe_controllers.{i}", c)
        for role, fid in self.roles.model_dump().items():
            if fid is not None and fid not in factions:
                raise _unknown_faction(f"roles.{role}", fid)
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
                    raise _unknown_faction(f"events.{name}.{attr}", val)
            for j, p in enumerate(getattr(ev, "parties", [])):
                if p not in factions:
                    raise _unknown_faction(f"events.{name}.parties.{j}", p)
        self._check_dates()
        return self

    def _check_period(self) -> None:
        """The period first: when it is wrong, every dated input would seem to be outside it."""
        if self.end <= self.start:
            raise FieldError("end", f"end {self.end} must be after start {self.start}", related=("start",))
        if self.days > MAX_DAYS:
            raise FieldError(
                "end",
                f"the period {self.start} to {self.end} is longer than {MAX_DAYS} days: the map holds one "
                "front line and one season's population",
                related=("start",),
            )

    def _check_dates(self) -> None:
        """Every dated input must fall inside the simulated period: a typo'd year is the usual culprit."""

        def check(field: str, d: dt.date | None) -> None:
            if d is not None and not (self.start <= d <= self.end):
                raise FieldError(
                    field,
                    f"date {d} is outside the scenario period {self.start} to {self.end}",
                    related=("start", "end"),  # a later file that moved the period made the date wrong
                )

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
            if d in self.outputs.map_dates[:i]:
                raise FieldError(f"outputs.map_dates.{i}", f"{d} is listed twice (one figure per date)")

    def _formations_where(self) -> list[tuple[str, FormationSpec]]:
        """Every formation with the dotted field that writes it (an error names the field to fix)."""
        out = [(f"formations.{i}", f) for i, f in enumerate(self.formations)]
        for name, ev in self.events.items():
            if isinstance(ev, ReinforcementEvent):
                out += [(f"events.{name}.formations.{j}", f) for j, f in enumerate(ev.formations)]
        return out

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
