"""Loading a scenario: YAML files, ``extends:`` inheritance, ``--set`` overrides and checks against the map.

Loading order, later wins: defaults in code < ``parameters_file`` < the parent scenario(s) named by
``extends:`` < the scenario itself < ``--set KEY=VALUE`` overrides. Every error is an `InputError` naming
the file (the one that wrote the offending value), the dotted field and the problem: while merging, every
path written is recorded with the file that wrote it, and a validation error is blamed on the file that
wrote the longest recorded prefix of its location.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.inputs.errors import InputError, shorten
from sim.inputs.geography import Theatre, load_map
from sim.inputs.mapcheck import check_against_map
from sim.inputs.order_edits import apply_order_edits
from sim.inputs.provenance import blame, deep_merge, record, rewrite, validation_error
from sim.inputs.schema import Scenario
from sim.inputs.start import read_start_files
from sim.inputs.yamlio import MAX_DEPTH, YAMLInputError, load_yaml, read_text_bounded, yaml_problem

MAX_PATH = 200  # characters of a path echoed back in an error
# the fields that name files, relative to the scenario file that writes them (a --set path: to the current
# folder)
PATH_FIELDS = (
    ("map",),
    ("parameters_file",),
    ("initial_state", "control"),
    ("initial_state", "population"),
    ("initial_state", "from_run", "scenario"),
)
MAX_FROM_RUN = 8  # scenarios started from one another's runs, one behind the other


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
        if referenced_from:  # the file that names an unreadable file is the one to fix
            where = (str(referenced_from[0]), referenced_from[1])
            raise InputError(*where, f"cannot read {shorten(str(path), MAX_PATH)}: {problem}") from None
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
    if isinstance(data.get("orders"), dict):  # changes to the parent's orders by axis, not a new list
        apply_order_edits(merged, data.pop("orders"), origin, str(path))
    # paths in a file are relative to that file: make them absolute before merging
    for keys in PATH_FIELDS:
        node = data
        for k in keys[:-1]:
            node = node.get(k) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(keys[-1]), str):
            try:
                node[keys[-1]] = str((path.parent / node[keys[-1]]).resolve())
            except (OSError, ValueError, RuntimeError) as exc:
                raise InputError(path, ".".join(keys), f"cannot resolve the path: {exc}") from None
    if chain is not None:
        chain.append(str(path))
    return deep_merge(merged, data, origin, str(path))


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
            rewrite(value, path, origin, "--set")
        else:
            if isinstance(node, dict) and idx not in node:
                node[idx] = {}
                origin[path] = "--set"  # a mapping the --set created: an error about it is the --set's
            node = node[idx]


def load_scenario(
    path: str | Path,
    overrides: list[str] | None = None,
    check_map: bool = True,
    from_runs: tuple[Path, ...] = (),
) -> LoadedScenario:
    """Load, inherit, override and validate a scenario; raise `InputError` on any bad input.
    ``from_runs``: the scenarios whose ``initial_state.from_run`` led here (a loop is an error)."""
    if not isinstance(path, str | Path):
        raise InputError("scenario", "", f"expected a file name, found {type(path).__name__}")
    path = Path(path)
    origin: dict[tuple, str] = {}
    chain: list[str] = []
    data = _resolve(path, (), origin, chain)
    for key, value in parse_set(overrides if overrides is not None else []):
        _apply_set(data, key, value, origin)
    _resolve_set_paths(data)
    # an event set to null (in a derived scenario or by --set) is removed: counterfactuals delete history
    if isinstance(data.get("events"), dict):
        data["events"] = {k: v for k, v in data["events"].items() if v is not None}
    _merge_parameters_file(data, origin, path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc.errors()[0], origin, chain, path) from None
    map_path = Path(scenario.map)
    loaded = LoadedScenario(scenario, path.resolve(), data, map_path)
    if check_map:
        if not map_path.exists():
            raise InputError(blame(("map",), origin, str(path)), "map", f"file not found: {map_path}")
        theatre = load_map(map_path)
        check_against_map(loaded, theatre, origin, chain)
        _check_initial_state(loaded, theatre, origin, from_runs)
    return loaded


def _resolve_set_paths(data: dict[str, Any]) -> None:
    """A start state's file given by ``--set`` is relative to the current folder: made absolute now, so
    that the run's config.yaml names it wherever ``idlib-sim state`` or a worker later reads it (the paths
    the scenario files write are absolute already)."""
    state = data.get("initial_state")
    if not isinstance(state, dict):
        return
    run = state.get("from_run")
    for node, key, field in (
        (state, "control", "initial_state.control"),
        (state, "population", "initial_state.population"),
        (run, "scenario", "initial_state.from_run.scenario"),
    ):
        if isinstance(node, dict) and isinstance(node.get(key), str):
            try:
                node[key] = str(Path(node[key]).resolve())
            except (OSError, ValueError, RuntimeError) as exc:
                raise InputError("--set", field, f"cannot resolve the path: {exc}") from None


def _check_initial_state(
    loaded: LoadedScenario, theatre: Theatre, origin: dict[tuple, str], from_runs: tuple[Path, ...]
) -> None:
    """The start state's files against the map and the factions, and the scenario ``from_run`` names: it
    loads (and so do the scenarios it starts from in turn), on the same map, with no faction this scenario
    lacks (any of them may hold ground by then), and the day falls in its period."""
    spec = loaded.scenario.initial_state
    if spec is None:
        return

    def blame_field(field: str) -> str:
        return blame(("initial_state", *field.split(".")), origin, str(loaded.path))

    read_start_files(spec, theatre, list(loaded.scenario.factions), blame_field)
    run = spec.from_run
    if run is None:
        return
    where = (blame_field("from_run.scenario"), "initial_state.from_run.scenario")
    try:
        source = Path(run.scenario).resolve()
        exists = source.is_file()
    except (OSError, ValueError, RuntimeError):
        exists = False
    if not exists:
        raise InputError(*where, f"file not found: {shorten(run.scenario, MAX_PATH)}")
    stack = (*from_runs, loaded.path)
    if source in stack:
        raise InputError(*where, f"from_run loop: {' -> '.join(p.name for p in (*stack, source))}")
    if len(stack) > MAX_FROM_RUN:
        raise InputError(*where, f"more than {MAX_FROM_RUN} runs started from one another")
    other = load_scenario(source, from_runs=stack)
    if other.map_path.resolve() != loaded.map_path.resolve():
        raise InputError(*where, f"runs on another map ({other.map_path.name}, here {loaded.map_path.name})")
    missing = [f for f in other.scenario.factions if f not in loaded.scenario.factions]
    if missing:
        raise InputError(*where, f"has faction '{missing[0]}', which is not a faction here")
    sc = other.scenario
    if not sc.start <= run.day <= sc.end:
        problem = f"{run.day} is outside the period of {source.name} ({sc.start} to {sc.end})"
        raise InputError(blame_field("from_run.day"), "initial_state.from_run.day", problem)


def _merge_parameters_file(data: dict[str, Any], origin: dict[tuple, str], path: Path) -> None:
    """Merge ``parameters_file`` under the scenario's own ``parameters`` (which win)."""
    pfile = data.get("parameters_file")
    own = data.get("parameters")
    if pfile is None:
        return
    if not isinstance(pfile, str):
        raise InputError(
            blame(("parameters_file",), origin, str(path)), "parameters_file", "expected a file name"
        )
    if own is not None and not isinstance(own, dict):
        where = blame(("parameters",), origin, str(path))
        raise InputError(where, "parameters", f"expected a mapping, found {type(own).__name__}")
    fitted = _read_yaml(
        Path(pfile), (Path(blame(("parameters_file",), origin, str(path))), "parameters_file")
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
    record(fitted_params, ("parameters",), porigin, pfile)
    for k, v in origin.items():
        if k[:1] == ("parameters",):
            porigin[k] = v
    data["parameters"] = deep_merge(fitted_params, own or {}, {}, "")
    origin.update({k: v for k, v in porigin.items() if k not in origin})
