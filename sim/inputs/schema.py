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
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.inputs.fields import Fraction, NonNegative, Positive, Strict
from sim.inputs.parameters import Parameters


class FieldError(ValueError):
    """Raised inside validators to point at a precise dotted field rather than the model root."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


class FactionKind(StrEnum):
    BELLIGERENT = "belligerent"
    GUARANTOR = "guarantor"  # Turkey before it intervenes: present, armed, not attacking
    PASSIVE = "passive"  # e.g. the SDF at Tall Rif'at: holds ground, takes no part


class Role(StrEnum):
    """What a formation is for; the commander treats each role differently."""

    MANOEUVRE = "manoeuvre"  # attacks and counter-attacks
    LINE = "line"  # holds a sector, can be shifted to threatened settlements
    RESERVE = "reserve"  # held back, committed where the line is breaking
    POST = "post"  # Turkish observation post: static, can be encircled


class AirSpec(Strict):
    """An air arm. Sorties per day come from ``air_campaign`` events; this is the level between them."""

    base_sorties_per_day: NonNegative = 0.0


class PostSpec(Strict):
    """A faction's observation posts: a small garrison at a fixed position that does not fight unless its
    faction intervenes (seeds [000], [002]: the Turkish posts were bypassed and encircled)."""

    group: str = Field(description="Sub-faction of the posts' men (TSK).")
    strength: Annotated[int, Field(gt=0)] = Field(description="Men per post.")
    quality: Positive = Field(description="Combat effectiveness value (Dupuy CEV) of the posts' men.")
    cohesion: Fraction = Field(description="Morale the posts relax toward.")
    morale: Fraction = Field(description="Morale on the day a post is set up.")
    source: str = Field("", description="Where the figures come from (seed quote or documented estimate).")


class FactionSpec(Strict):
    label: str
    color: str
    kind: FactionKind = FactionKind.BELLIGERENT
    enemies: list[str] = Field(default_factory=list, description="Faction ids this faction fights.")
    allies: list[str] = Field(default_factory=list, description="Faction ids whose ground it may use.")
    support: Fraction = Field(0.7, description="Political will and outside backing; scales replacements.")
    objectives: list[str] = Field(
        default_factory=list, description="Road ids (M5, M4) or settlements, highest priority first."
    )
    supply_sources: list[str] = Field(default_factory=list, description="Settlements that are supply heads.")
    border_supply: bool = Field(
        False, description="Also supplied from settlements marked as border crossings."
    )
    replacements_per_day: NonNegative = Field(0.0, description="Men per day fed back into depleted units.")
    raids: bool = Field(
        False,
        description="Raids settlements it has just lost at poor odds, with surprise (HTS SVBIED and "
        "inghimasi counter-attacks, seed [000]); see commander.raid_rate.",
    )
    air: AirSpec | None = None
    air_scale: NonNegative = Field(
        1.0,
        description="Multiplier on every air campaign of this faction "
        "(0.3 = without Russian air power, only the Syrian air force).",
    )
    posts: PostSpec | None = Field(
        None, description="Its observation posts, if it keeps any (the map's and observation_posts events)."
    )


class FormationSpec(Strict):
    id: str
    name: str
    faction: str
    group: str = Field(description="Sub-faction (SAA, Hezbollah, HTS, NFL, TIP, TSK, ...).")
    strength: Annotated[int, Field(gt=0)]
    quality: Positive = Field(1.0, description="Combat effectiveness value (Dupuy CEV), prior 0.7-2.0.")
    cohesion: Fraction = Field(0.7, description="Morale the formation relaxes toward; sub-factions differ.")
    morale: Fraction = 0.75
    location: str
    role: Role = Role.LINE
    source: str = Field("", description="Where the strength comes from (seed quote or documented estimate).")


class OrderKind(StrEnum):
    OFFENSIVE = "offensive"
    COUNTEROFFENSIVE = "counteroffensive"


class OrderSpec(Strict):
    """A push along an axis during a window, toward an objective that may lie beyond what is reached."""

    faction: str
    axis: str
    start: dt.date
    end: dt.date
    objective: str
    road: str | None = Field(
        None,
        description="Highway the axis follows (M5, M4): settlements on it come "
        "first, and the order runs until the whole road is held, not only the objective. "
        "'auto': the first of the faction's objective roads it does not yet hold.",
    )
    start_point: str | None = Field(
        None,
        description="Settlement the push starts from (units redeploy there "
        "first); the axis then grows from it and from what the order takes.",
    )
    kind: OrderKind = Field(
        OrderKind.OFFENSIVE,
        description="'counteroffensive': each assault on a settlement the side did not assault the day "
        "before opens with surprise (combat.raid_surprise on its first day; SVBIEDs, inghimasi groups, "
        "seed [000]).",
    )
    formations: list[str] = Field(default_factory=list, description="Formation ids committed to the axis.")
    intensity: Positive = Field(1.0, description="Relative share of the faction's air effort for this axis.")
    note: str = Field("", description="Where this order comes from (seed and quote).")


class WeatherEvent(Strict):
    kind: Literal["weather"]
    start: dt.date
    end: dt.date
    air_factor: Fraction = Field(description="Share of planned sorties that can fly.")
    ground_factor: Fraction = Field(description="Share of ground combat intensity possible.")
    note: str = ""


class AirCampaignEvent(Strict):
    kind: Literal["air_campaign"]
    faction: str
    start: dt.date
    end: dt.date
    sorties_per_day: NonNegative
    note: str = ""


class CorridorSpec(Strict):
    road: str = "M4"
    half_width_km: Positive = 6.0


class CeasefireEvent(Strict):
    kind: Literal["ceasefire"]
    start: dt.date
    end: dt.date | None = Field(None, description="None: it holds to the end of the run.")
    compliance: Fraction = Field(description="Daily probability that each party keeps to it.")
    parties: list[str] = Field(default_factory=list, description="Factions bound; empty means all.")
    air_factor: Fraction = Field(0.1, description="Share of sorties flown on a day the ceasefire is kept.")
    corridor: CorridorSpec | None = None
    note: str = ""


class ReinforcementEvent(Strict):
    kind: Literal["reinforcement"]
    date: dt.date
    formations: list[FormationSpec]
    note: str = ""


class ObservationPostsEvent(Strict):
    """New observation posts of a faction (which must have ``posts:``), one per settlement."""

    kind: Literal["observation_posts"]
    date: dt.date
    faction: str
    settlements: list[str]
    strength_each: Annotated[int, Field(gt=0)] | None = Field(
        None, description="Men per post; default: the faction's posts.strength."
    )
    note: str = ""


class InterventionEvent(Strict):
    """Direct intervention (Operation Spring Shield): strikes on enemy formations, support to allies."""

    kind: Literal["intervention"]
    faction: str
    against: str
    start: dt.date
    end: dt.date | None = None
    strikes_per_day: NonNegative = Field(
        description="Drone and artillery strikes on enemy formations per day."
    )
    support_allies: bool = Field(
        True, description="Do the faction's allies' attacks next to its positions get turkey.rebel_support?"
    )
    trigger_deaths: NonNegative | None = Field(
        None,
        description="Escalation rule: if set, the intervention starts on the first day on or after "
        "'start' when the faction's cumulative deaths reach this number, instead of on 'start' itself.",
    )
    note: str = ""


class FireSupportEvent(Strict):
    """Fire support short of intervention: a guarantor's artillery backs its allies' attacks next to its
    positions (``turkey.rebel_support``), while its own units neither fight nor strike. Seed [000] records
    Turkish artillery behind the rebel attacks on Nayrab of 20 and 24 Feb 2020, a week before Spring Shield.
    """

    kind: Literal["fire_support"]
    faction: str
    start: dt.date
    end: dt.date | None = None
    note: str = ""


Event = Annotated[
    WeatherEvent
    | AirCampaignEvent
    | CeasefireEvent
    | ReinforcementEvent
    | ObservationPostsEvent
    | InterventionEvent
    | FireSupportEvent,
    Field(discriminator="kind"),
]


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
                "roles.guarantor", f"faction '{guarantor}' has no 'posts:' for the map's observation posts"
            )
        for name, ev in self.events.items():
            posts_event = isinstance(ev, ObservationPostsEvent) and ev.faction in factions
            if posts_event and self.factions[ev.faction].posts is None:
                raise FieldError(f"events.{name}.faction", f"faction '{ev.faction}' has no 'posts:'")
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
