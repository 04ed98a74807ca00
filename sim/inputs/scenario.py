"""Scenario files: schema, ``extends:`` inheritance, ``--set`` overrides and cross-checks against the map.

A scenario is YAML validated by pydantic. Inputs that history imposed from outside (the Turkish intervention,
ceasefires, weather, reinforcements, the air campaign) are dated *events*; the campaign plan is a list of
*orders* (axis, time window, objective), as a player's orders are in any wargame. Outcomes (which settlements
fall, and when) are never inputs: there is deliberately no way to write "X falls on date D" here.

Loading order, later wins: defaults in code < ``parameters_file`` < the parent scenario(s) named by
``extends:`` < the scenario itself < ``--set KEY=VALUE`` overrides. Every error is an `InputError` naming
the file (the one that wrote the offending value), the dotted field and the problem.
"""

from __future__ import annotations

import copy
import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from sim.inputs.errors import InputError
from sim.inputs.fields import Fraction, NonNegative, Positive, Strict
from sim.inputs.parameters import Parameters

# --------------------------------------------------------------------------------------------- schema


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
                        raise _FieldError(f"factions.{fid}.{attr}", f"unknown faction '{e}'")
        seen: set[str] = set()
        for i, f in enumerate(self.all_formations()):
            where = f"formations.{i}" if i < len(self.formations) else "events (reinforcement)"
            if f.faction not in factions:
                raise _FieldError(f"{where}.faction", f"unknown faction '{f.faction}'")
            if f.id in seen:
                raise _FieldError(f"{where}.id", f"duplicate formation id '{f.id}'")
            seen.add(f.id)
        for i, o in enumerate(self.orders):
            if o.faction not in factions:
                raise _FieldError(f"orders.{i}.faction", f"unknown faction '{o.faction}'")
            if o.end < o.start:
                raise _FieldError(f"orders.{i}.end", f"ends ({o.end}) before it starts ({o.start})")
            for fid in o.formations:
                if fid not in seen:
                    raise _FieldError(f"orders.{i}.formations", f"unknown formation '{fid}'")
        for role, fid in self.roles.model_dump().items():
            if fid is not None and fid not in factions:
                raise _FieldError(f"roles.{role}", f"unknown faction '{fid}'")
        guarantor = self.roles.guarantor
        if guarantor is not None and self.factions[guarantor].posts is None:
            raise _FieldError(
                "roles.guarantor", f"faction '{guarantor}' has no 'posts:' for the map's observation posts"
            )
        for name, ev in self.events.items():
            posts_event = isinstance(ev, ObservationPostsEvent) and ev.faction in factions
            if posts_event and self.factions[ev.faction].posts is None:
                raise _FieldError(f"events.{name}.faction", f"faction '{ev.faction}' has no 'posts:'")
            for attr in ("faction", "against"):
                val = getattr(ev, attr, None)
                if val is not None and val not in factions:
                    raise _FieldError(f"events.{name}.{attr}", f"unknown faction '{val}'")
            for p in getattr(ev, "parties", []):
                if p not in factions:
                    raise _FieldError(f"events.{name}.parties", f"unknown faction '{p}'")
        self._check_dates()
        return self

    def _check_dates(self) -> None:
        """Every dated input must fall inside the simulated period: a typo'd year is the usual culprit."""

        def check(field: str, d: dt.date | None) -> None:
            if d is not None and not (self.start <= d <= self.end):
                raise _FieldError(
                    field, f"date {d} is outside the scenario period {self.start} to {self.end}"
                )

        for i, o in enumerate(self.orders):
            check(f"orders.{i}.start", o.start)
            check(f"orders.{i}.end", o.end)
        for name, ev in self.events.items():
            for attr in ("start", "end", "date"):
                check(f"events.{name}.{attr}", getattr(ev, attr, None))
            start, end = getattr(ev, "start", None), getattr(ev, "end", None)
            if start is not None and end is not None and end < start:
                raise _FieldError(f"events.{name}.end", f"ends ({ev.end}) before it starts ({ev.start})")
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


class _FieldError(ValueError):
    """Raised inside validators to point at a precise dotted field rather than the model root."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


# --------------------------------------------------------------------------------------------- loading


class LoadedScenario:
    """A validated scenario with where it came from: the file, the map path and the merged raw mapping."""

    def __init__(self, scenario: Scenario, path: Path, raw: dict[str, Any], map_path: Path) -> None:
        self.scenario = scenario
        self.path = path
        self.raw = raw
        self.map_path = map_path

    def resolved_dict(self) -> dict[str, Any]:
        """The fully resolved scenario (defaults filled in) as plain YAML-able data, for config.yaml."""
        data = self.scenario.model_dump(mode="json")
        data["map"] = str(self.map_path)
        data["parameters_file"] = None  # already merged into 'parameters'
        return data


def _read_yaml(path: Path, referenced_from: tuple[Path, str] | None = None) -> dict[str, Any]:
    where = (str(referenced_from[0]), referenced_from[1]) if referenced_from else (str(path), "")
    if not path.exists():
        if referenced_from:
            raise InputError(where[0], where[1], f"file not found: {path}")
        raise InputError(path, "", "file not found")
    if path.is_dir():
        raise InputError(path, "", "is a directory, expected a YAML file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, "", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(path, "", f"broken YAML{pos}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(path, "", f"expected a mapping at the top level, found {type(data).__name__}")
    return data


def _deep_merge(
    base: dict[str, Any], over: dict[str, Any], origin: dict[tuple, str], file: str, prefix: tuple = ()
) -> dict[str, Any]:
    """Merge ``over`` into a copy of ``base``: mappings merge key by key, anything else is replaced.

    ``origin`` records, for every path written, the file that wrote it, so errors can blame the right file.
    """
    out = copy.deepcopy(base)
    for key, val in over.items():
        path = (*prefix, key)
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], val, origin, file, path)
        else:
            out[key] = copy.deepcopy(val)
            for p in [p for p in origin if p[: len(path)] == path]:
                del origin[p]
            _record(val, path, origin, file)
        origin.setdefault(path, file)
    return out


def _record(val: Any, path: tuple, origin: dict[tuple, str], file: str) -> None:
    origin[path] = file
    if isinstance(val, dict):
        for k, v in val.items():
            _record(v, (*path, k), origin, file)
    elif isinstance(val, list):
        for i, v in enumerate(val):
            _record(v, (*path, i), origin, file)


def _resolve(path: Path, stack: tuple[Path, ...], origin: dict[tuple, str]) -> dict[str, Any]:
    """Read ``path`` and, recursively, what it ``extends:``; detect loops."""
    path = path.resolve()
    if path in stack:
        chain = " -> ".join(p.name for p in (*stack, path))
        raise InputError(stack[-1], "extends", f"extends loop: {chain}")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    merged: dict[str, Any] = {}
    if parent is not None:
        if not isinstance(parent, str):
            raise InputError(path, "extends", f"expected a file name, found {type(parent).__name__}")
        parent_path = (path.parent / parent).resolve()
        if not parent_path.exists():
            raise InputError(path, "extends", f"file not found: {parent}")
        merged = _resolve(parent_path, (*stack, path), origin)
    # paths in a file are relative to that file: make them absolute before merging
    for key in ("map", "parameters_file"):
        if isinstance(data.get(key), str):
            data[key] = str((path.parent / data[key]).resolve())
    return _deep_merge(merged, data, origin, str(path))


def parse_set(assignments: list[str]) -> list[tuple[list[str], Any]]:
    """Parse ``KEY=VALUE`` strings; VALUE is read as YAML (so numbers, dates, null, lists work)."""
    out = []
    for item in assignments:
        if "=" not in item:
            raise InputError("--set", item, "expected KEY=VALUE")
        key, value = item.split("=", 1)
        key = key.strip()
        if not key or any(not part for part in key.split(".")):
            raise InputError("--set", key or item, "empty key")
        try:
            parsed = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            parsed = value
        out.append((key.split("."), parsed))
    return out


def _apply_set(data: dict[str, Any], key: list[str], value: Any, origin: dict[tuple, str]) -> None:
    node: Any = data
    path: tuple = ()
    for i, part in enumerate(key):
        last = i == len(key) - 1
        if isinstance(node, list):
            if not part.lstrip("-").isdigit() or not -len(node) <= int(part) < len(node):
                raise InputError("--set", ".".join(key), f"'{part}' is not an index of a list of {len(node)}")
            idx: Any = int(part)
        elif isinstance(node, dict):
            idx = part
        else:
            raise InputError("--set", ".".join(key), f"'{'.'.join(key[:i])}' is not a mapping or list")
        path = (*path, idx)
        if last:
            node[idx] = value
            _record(value, path, origin, "--set")
        else:
            if isinstance(node, dict) and idx not in node:
                node[idx] = {}
            node = node[idx]


def _blame(loc: tuple, origin: dict[tuple, str], default: str) -> str:
    for n in range(len(loc), 0, -1):
        if loc[:n] in origin:
            return origin[loc[:n]]
    return default


def _loc_to_field(loc: tuple) -> tuple[tuple, str]:
    """Pydantic locations include discriminator tags ('weather'); drop them for a user-facing path."""
    clean: list[Any] = []
    for part in loc:
        if (
            isinstance(part, str)
            and part
            in {
                "weather",
                "air_campaign",
                "ceasefire",
                "reinforcement",
                "observation_posts",
                "intervention",
            }
            and clean
            and clean[-1] not in ("events",)
            and len(clean) >= 2
            and clean[-2] == "events"
        ):
            continue
        clean.append(part)
    return tuple(clean), ".".join(str(p) for p in clean)


def load_scenario(
    path: str | Path, overrides: list[str] | None = None, check_map: bool = True
) -> LoadedScenario:
    """Load, inherit, override and validate a scenario; raise `InputError` on any bad input."""
    path = Path(path)
    origin: dict[tuple, str] = {}
    data = _resolve(path, (), origin)
    for key, value in parse_set(overrides or []):
        _apply_set(data, key, value, origin)
    # an event set to null (in a derived scenario or by --set) is removed: counterfactuals delete history
    if isinstance(data.get("events"), dict):
        data["events"] = {k: v for k, v in data["events"].items() if v is not None}
    # parameters_file: merged under the scenario's own 'parameters'
    pfile = data.get("parameters_file")
    if pfile is not None:
        if not isinstance(pfile, str):
            raise InputError(
                _blame(("parameters_file",), origin, str(path)), "parameters_file", "expected a file name"
            )
        fitted = _read_yaml(
            Path(pfile), (Path(_blame(("parameters_file",), origin, str(path))), "parameters_file")
        )
        unknown = set(fitted) - {"parameters", "meta"}
        if unknown:
            raise InputError(pfile, sorted(unknown)[0], "unknown key (expected 'parameters' and 'meta')")
        fitted_params = fitted.get("parameters") or {}
        if not isinstance(fitted_params, dict):
            raise InputError(pfile, "parameters", "expected a mapping")
        porigin: dict[tuple, str] = {}
        _record(fitted_params, ("parameters",), porigin, pfile)
        for k, v in origin.items():
            if k[:1] == ("parameters",):
                porigin[k] = v
        merged = _deep_merge(fitted_params, data.get("parameters") or {}, {}, "")
        data["parameters"] = merged
        origin.update({k: v for k, v in porigin.items() if k not in origin})
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = (err.get("ctx") or {}).get("error")
        if isinstance(inner, _FieldError):
            loc = tuple(inner.field.split("."))
            loc = tuple(int(p) if p.isdigit() else p for p in loc)
            raise InputError(_blame(loc, origin, str(path)), inner.field, inner.problem) from None
        loc, field = _loc_to_field(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif "input" in err and err["type"] not in ("missing",):
            shown = repr(err["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = f"{msg} (got {shown})"
        raise InputError(_blame(loc, origin, str(path)), field, msg) from None
    map_path = Path(scenario.map)
    loaded = LoadedScenario(scenario, path.resolve(), data, map_path)
    if check_map:
        from sim.inputs.geography import load_map  # local import: geography imports nothing from here

        if not map_path.exists():
            raise InputError(_blame(("map",), origin, str(path)), "map", f"file not found: {map_path}")
        theatre = load_map(map_path)
        check_against_map(loaded, theatre, origin)
    return loaded


def check_against_map(loaded: LoadedScenario, theatre: Any, origin: dict[tuple, str] | None = None) -> None:
    """Every settlement a scenario names must exist in the map (spelled as in the map file)."""
    sc = loaded.scenario
    origin = origin or {}
    names = theatre.index

    def need(field: str, name: str, loc: tuple) -> None:
        if name not in names:
            hint = theatre.suggest(name)
            extra = f" (did you mean '{hint}'?)" if hint else ""
            raise InputError(
                _blame(loc, origin, str(loaded.path)), field, f"unknown settlement '{name}'{extra}"
            )

    for fid, f in sc.factions.items():
        for i, s in enumerate(f.supply_sources):
            need(f"factions.{fid}.supply_sources.{i}", s, ("factions", fid, "supply_sources", i))
        for i, s in enumerate(f.objectives):
            if s not in theatre.highways:
                need(f"factions.{fid}.objectives.{i}", s, ("factions", fid, "objectives", i))
    for i, f in enumerate(sc.formations):
        need(f"formations.{i}.location", f.location, ("formations", i, "location"))
    for i, o in enumerate(sc.orders):
        need(f"orders.{i}.objective", o.objective, ("orders", i, "objective"))
        if o.start_point is not None:
            need(f"orders.{i}.start_point", o.start_point, ("orders", i, "start_point"))
        if o.road is not None and o.road != "auto" and o.road not in theatre.highways:
            raise InputError(
                _blame(("orders", i, "road"), origin, str(loaded.path)),
                f"orders.{i}.road",
                f"unknown road '{o.road}' (the map has {', '.join(sorted(theatre.highways))})",
            )
    for name, ev in sc.events.items():
        if isinstance(ev, ReinforcementEvent):
            for j, f in enumerate(ev.formations):
                need(
                    f"events.{name}.formations.{j}.location",
                    f.location,
                    ("events", name, "formations", j, "location"),
                )
        if isinstance(ev, ObservationPostsEvent):
            for j, s in enumerate(ev.settlements):
                need(f"events.{name}.settlements.{j}", s, ("events", name, "settlements", j))
        if isinstance(ev, CeasefireEvent) and ev.corridor and ev.corridor.road not in theatre.highways:
            raise InputError(
                _blame(("events", name), origin, str(loaded.path)),
                f"events.{name}.corridor.road",
                f"unknown road '{ev.corridor.road}'",
            )
