"""Loading a scenario: YAML files, ``extends:`` inheritance, ``--set`` overrides and checks against the map.

Loading order, later wins: defaults in code < ``parameters_file`` < the parent scenario(s) named by
``extends:`` < the scenario itself < ``--set KEY=VALUE`` overrides. Every error is an `InputError` naming
the file (the one that wrote the offending value), the dotted field and the problem: while merging, every
path written is recorded with the file that wrote it, and a validation error is blamed on the file that
wrote the longest recorded prefix of its location.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.inputs.errors import InputError
from sim.inputs.events import EVENT_KINDS, CeasefireEvent, ObservationPostsEvent, ReinforcementEvent
from sim.inputs.geography import Theatre, load_map
from sim.inputs.schema import FieldError, Scenario


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


def _resolve(
    path: Path, stack: tuple[Path, ...], origin: dict[tuple, str], chain: list[str] | None = None
) -> dict[str, Any]:
    """Read ``path`` and, recursively, what it ``extends:``; detect loops. ``chain`` collects the files in
    the order they are merged (the most distant parent first)."""
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
        merged = _resolve(parent_path, (*stack, path), origin, chain)
    # paths in a file are relative to that file: make them absolute before merging
    for key in ("map", "parameters_file"):
        if isinstance(data.get(key), str):
            data[key] = str((path.parent / data[key]).resolve())
    if chain is not None:
        chain.append(str(path))
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


def _field_loc(field: str) -> tuple:
    """A dotted field as a location key of ``origin`` (list indices as integers)."""
    return tuple(int(p) if p.isdigit() else p for p in field.split("."))


def _blame(loc: tuple, origin: dict[tuple, str], default: str) -> str:
    for n in range(len(loc), 0, -1):
        if loc[:n] in origin:
            return origin[loc[:n]]
    return default


def _loc_to_field(loc: tuple) -> tuple[tuple, str]:
    """Pydantic locations include the event's discriminator tag (``events.NAME.weather.field``); drop it
    for a user-facing path, and so that the blame finds the path the files wrote."""
    clean: list[Any] = []
    for part in loc:
        if part in EVENT_KINDS and len(clean) == 2 and clean[0] == "events":
            continue
        clean.append(part)
    return tuple(clean), ".".join(str(p) for p in clean)


def load_scenario(
    path: str | Path, overrides: list[str] | None = None, check_map: bool = True
) -> LoadedScenario:
    """Load, inherit, override and validate a scenario; raise `InputError` on any bad input."""
    path = Path(path)
    origin: dict[tuple, str] = {}
    chain: list[str] = []
    data = _resolve(path, (), origin, chain)
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
        if isinstance(inner, FieldError):
            rank = {f: i for i, f in enumerate(chain)} | {"--set": len(chain)}
            blamed = [(_blame(_field_loc(f), origin, str(path)), f) for f in (inner.field, *inner.related)]
            file, field = max(blamed, key=lambda b: rank.get(b[0], -1))  # the first of equals: max is stable
            raise InputError(file, field, inner.problem) from None
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
        if not map_path.exists():
            raise InputError(_blame(("map",), origin, str(path)), "map", f"file not found: {map_path}")
        theatre = load_map(map_path)
        check_against_map(loaded, theatre, origin)
    return loaded


def check_against_map(
    loaded: LoadedScenario, theatre: Theatre, origin: dict[tuple, str] | None = None
) -> None:
    """Every settlement, road and governorate a scenario names must exist in the map (a settlement by its
    name or an alias that names one settlement, as ``Theatre.id`` resolves them)."""
    sc = loaded.scenario
    origin = origin or {}

    def need(field: str, name: str, loc: tuple) -> None:
        if not theatre.knows(name):
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
    for i, g in enumerate(sc.outputs.governorates):
        if g not in theatre.area_by_governorate:
            raise InputError(
                _blame(("outputs", "governorates", i), origin, str(loaded.path)),
                f"outputs.governorates.{i}",
                f"unknown governorate '{g}' (the map has {', '.join(sorted(theatre.area_by_governorate))})",
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
