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

from sim.inputs.errors import InputError, shorten
from sim.inputs.events import EVENT_KINDS, CeasefireEvent, ObservationPostsEvent, ReinforcementEvent
from sim.inputs.geography import Theatre, load_map
from sim.inputs.schema import FieldError, Scenario
from sim.inputs.yamlio import MAX_DEPTH, YAMLInputError, load_yaml, read_text_bounded, yaml_problem

MAX_PATH = 200  # characters of a path echoed back in an error


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
    """The top-level mapping of a YAML file, read with `BoundedLoader` (duplicate keys, impossible dates
    and oversized or over-nested documents are errors); ``referenced_from`` (file, field) is blamed when the
    file does not exist."""
    try:
        exists = path.exists()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        exists = False
        if not referenced_from:
            raise InputError(shorten(str(path), MAX_PATH), "", f"cannot read: {exc}") from None
    if not exists:
        if referenced_from:
            where = (str(referenced_from[0]), referenced_from[1])
            raise InputError(where[0], where[1], f"file not found: {shorten(str(path), MAX_PATH)}")
        raise InputError(shorten(str(path), MAX_PATH), "", "file not found")
    try:
        text = read_text_bounded(path)
    except (OSError, ValueError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(path, "", f"cannot read: {problem}") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(path, "", yaml_problem(exc)) from None
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
    try:
        path = path.resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        where = (stack[-1], "extends") if stack else (shorten(str(path), MAX_PATH), "")
        raise InputError(*where, f"cannot resolve the path: {exc}") from None
    if path in stack:
        chain = " -> ".join(p.name for p in (*stack, path))
        raise InputError(stack[-1], "extends", f"extends loop: {chain}")
    data = _read_yaml(path, (stack[-1], "extends") if stack else None)
    parent = data.pop("extends", None)
    merged: dict[str, Any] = {}
    if parent is not None:
        if not isinstance(parent, str):
            raise InputError(path, "extends", f"expected a file name, found {type(parent).__name__}")
        merged = _resolve(path.parent / parent, (*stack, path), origin, chain)
    # paths in a file are relative to that file: make them absolute before merging
    for key in ("map", "parameters_file"):
        if isinstance(data.get(key), str):
            try:
                data[key] = str((path.parent / data[key]).resolve())
            except (OSError, ValueError, RuntimeError) as exc:
                raise InputError(path, key, f"cannot resolve the path: {exc}") from None
    if chain is not None:
        chain.append(str(path))
    return _deep_merge(merged, data, origin, str(path))


def parse_set(assignments: list[str]) -> list[tuple[list[str], Any]]:
    """Parse ``KEY=VALUE`` strings; VALUE is read as YAML (so numbers, dates, null, lists work), with the
    checks of `BoundedLoader`; a VALUE that is not YAML at all is taken as the string it is."""
    if isinstance(assignments, str) or not isinstance(assignments, list | tuple):
        raise InputError(
            "overrides", "", f"expected a list of 'KEY=VALUE' strings, found {type(assignments).__name__}"
        )
    out = []
    for item in assignments:
        if not isinstance(item, str):
            raise InputError("--set", repr(item), "expected a 'KEY=VALUE' string")
        if "=" not in item:
            raise InputError("--set", item, "expected KEY=VALUE")
        key, value = item.split("=", 1)
        key = key.strip()
        if not key or any(not part for part in key.split(".")):
            raise InputError("--set", key or item, "empty key")
        if key.count(".") >= MAX_DEPTH:
            raise InputError("--set", key, f"more than {MAX_DEPTH} levels")
        try:
            parsed = load_yaml(value) if value.strip() else ""
        except YAMLInputError as exc:
            raise InputError("--set", key, yaml_problem(exc)) from None
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
            idx: Any = int(part) % len(node)  # the record (and so the blame) knows only non-negative indices
        elif isinstance(node, dict):
            idx = part
        else:
            raise InputError("--set", ".".join(key), f"'{'.'.join(key[:i])}' is not a mapping or list")
        path = (*path, idx)
        if last:
            node[idx] = value
            for p in [p for p in origin if p[: len(path)] == path]:
                del origin[p]
            _record(value, path, origin, "--set")
        else:
            if isinstance(node, dict) and idx not in node:
                node[idx] = {}
                origin[path] = "--set"  # a mapping the --set created: an error about it is the --set's
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
    if not isinstance(path, str | Path):
        raise InputError("scenario", "", f"expected a file name, found {type(path).__name__}")
    path = Path(path)
    origin: dict[tuple, str] = {}
    chain: list[str] = []
    data = _resolve(path, (), origin, chain)
    for key, value in parse_set(overrides if overrides is not None else []):
        _apply_set(data, key, value, origin)
    # an event set to null (in a derived scenario or by --set) is removed: counterfactuals delete history
    if isinstance(data.get("events"), dict):
        data["events"] = {k: v for k, v in data["events"].items() if v is not None}
    _merge_parameters_file(data, origin, path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _input_error(exc.errors()[0], origin, chain, path) from None
    map_path = Path(scenario.map)
    loaded = LoadedScenario(scenario, path.resolve(), data, map_path)
    if check_map:
        if not map_path.exists():
            raise InputError(_blame(("map",), origin, str(path)), "map", f"file not found: {map_path}")
        theatre = load_map(map_path)
        check_against_map(loaded, theatre, origin, chain)
    return loaded


def _merge_parameters_file(data: dict[str, Any], origin: dict[tuple, str], path: Path) -> None:
    """Merge ``parameters_file`` under the scenario's own ``parameters`` (which win)."""
    pfile = data.get("parameters_file")
    own = data.get("parameters")
    if pfile is None:
        return
    if not isinstance(pfile, str):
        raise InputError(
            _blame(("parameters_file",), origin, str(path)), "parameters_file", "expected a file name"
        )
    if own is not None and not isinstance(own, dict):
        where = _blame(("parameters",), origin, str(path))
        raise InputError(where, "parameters", f"expected a mapping, found {type(own).__name__}")
    fitted = _read_yaml(
        Path(pfile), (Path(_blame(("parameters_file",), origin, str(path))), "parameters_file")
    )
    unknown = set(fitted) - {"parameters", "meta"}
    if unknown:
        raise InputError(
            pfile, str(sorted(map(str, unknown))[0]), "unknown key (expected 'parameters' and 'meta')"
        )
    fitted_params = fitted.get("parameters") or {}
    if not isinstance(fitted_params, dict):
        raise InputError(pfile, "parameters", "expected a mapping")
    porigin: dict[tuple, str] = {}
    _record(fitted_params, ("parameters",), porigin, pfile)
    for k, v in origin.items():
        if k[:1] == ("parameters",):
            porigin[k] = v
    data["parameters"] = _deep_merge(fitted_params, own or {}, {}, "")
    origin.update({k: v for k, v in porigin.items() if k not in origin})


def _latest(candidates: list[tuple[str, str]], chain: list[str]) -> tuple[str, str]:
    """Of (file, field) pairs, the one whose file came last (``extends:`` order, then ``--set``): that file
    introduced the conflict. The first of equals wins."""
    rank = {f: i for i, f in enumerate(chain)} | {"--set": len(chain)}
    return max(candidates, key=lambda b: rank.get(b[0], -1))


def _input_error(err: Any, origin: dict[tuple, str], chain: list[str], path: Path) -> InputError:
    """The `InputError` for pydantic's first error, blamed on the file that wrote the field (for a field of
    an event, on whichever file last wrote the field or the event's kind: changing an event's kind in a
    derived file makes the parent's fields wrong)."""
    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, FieldError):
        blamed = [(_blame(_field_loc(f), origin, str(path)), f) for f in (inner.field, *inner.related)]
        file, field = _latest(blamed, chain)
        return InputError(file, field, inner.problem + (f" ({inner.field})" if field != inner.field else ""))
    loc, field = _loc_to_field(tuple(err["loc"]))
    msg = err["msg"]
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc, field = (*loc, "kind"), f"{field}.kind"
        tag = (err.get("ctx") or {}).get("tag")
        msg = f"unknown event kind {tag!r}" if tag is not None else "required field is missing"
        msg += f" (one of {', '.join(sorted(EVENT_KINDS))})"
    elif err["type"] == "value_error":
        msg = msg.removeprefix("Value error, ")
    elif err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required field is missing"
    elif "input" in err:
        msg = f"{msg} (got {shorten(repr(err['input']), 60)})"
    file = _blame(loc, origin, str(path))
    if len(loc) >= 3 and loc[0] == "events":
        kind = ("events", loc[1], "kind")
        file = _latest([(file, field), (_blame(kind, origin, str(path)), field)], chain)[0]
    return InputError(file, field, msg)


def check_against_map(
    loaded: LoadedScenario,
    theatre: Theatre,
    origin: dict[tuple, str] | None = None,
    chain: list[str] | None = None,
) -> None:
    """Every settlement, road and governorate a scenario names must exist in the map (spelled as in the map
    file)."""
    sc = loaded.scenario
    origin = origin or {}
    names = theatre.index
    held_by = sorted({c for c in theatre.controller0 if c not in sc.factions})
    if held_by:  # a faction removed or renamed: the scenario's factions must cover the map's front
        raise InputError(
            _blame(("factions",), origin, str(loaded.path)),
            "factions",
            f"the map ({theatre.path.name}) has settlements held by '{held_by[0]}', which is not a faction "
            f"here (the map's controllers: {', '.join(sorted(set(theatre.controller0)))})",
        )

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
                _blame(("events", name, "corridor", "road"), origin, str(loaded.path)),
                f"events.{name}.corridor.road",
                f"unknown road '{ev.corridor.road}'",
            )
