"""Where each value of a scenario came from, so that an error blames the file that wrote it.

While ``extends:`` files, ``parameters_file`` and ``--set`` overrides are merged, every path written is
recorded with the file that wrote it (``origin``). An error about a field is blamed on the file that wrote
the longest recorded prefix of its location; an error about a conflict between fields (an order dated
outside the period, a reference to a faction that a later file removed, a settlement missing from a map a
later file chose) on whichever of them was written last, in ``extends:`` order and then ``--set``: that
file introduced the conflict.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sim.inputs.errors import InputError, shorten
from sim.inputs.events import EVENT_KINDS
from sim.inputs.schema import FieldError


def deep_merge(
    base: dict[str, Any], over: dict[str, Any], origin: dict[tuple, str], file: str, prefix: tuple = ()
) -> dict[str, Any]:
    """Merge ``over`` into a copy of ``base``: mappings merge key by key, anything else is replaced.

    ``origin`` records, for every path written, the file that wrote it, so errors can blame the right file.
    """
    out = copy.deepcopy(base)
    for key, val in over.items():
        path = (*prefix, key)
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], val, origin, file, path)
        else:
            out[key] = copy.deepcopy(val)
            rewrite(val, path, origin, file)
        origin.setdefault(path, file)
    return out


def rewrite(val: Any, path: tuple, origin: dict[tuple, str], file: str) -> None:
    """``val`` replaced whatever was at ``path``: forget who wrote that and anything under it, and record
    ``file`` as the writer of ``val`` and everything in it."""
    for p in [p for p in origin if p[: len(path)] == path]:
        del origin[p]
    record(val, path, origin, file)


def record(val: Any, path: tuple, origin: dict[tuple, str], file: str) -> None:
    origin[path] = file
    if isinstance(val, dict):
        for k, v in val.items():
            record(v, (*path, k), origin, file)
    elif isinstance(val, list):
        for i, v in enumerate(val):
            record(v, (*path, i), origin, file)


def field_loc(field: str) -> tuple:
    """A dotted field as a location key of ``origin`` (list indices as integers)."""
    return tuple(int(p) if p.isdigit() else p for p in field.split("."))


def blame(loc: tuple, origin: dict[tuple, str], default: str) -> str:
    for n in range(len(loc), 0, -1):
        if loc[:n] in origin:
            return origin[loc[:n]]
    return default


def loc_to_field(loc: tuple) -> tuple[tuple, str]:
    """Pydantic locations include the event's discriminator tag (``events.NAME.weather.field``); drop it
    for a user-facing path, and so that the blame finds the path the files wrote."""
    clean: list[Any] = []
    for part in loc:
        if part in EVENT_KINDS and len(clean) == 2 and clean[0] == "events":
            continue
        clean.append(part)
    return tuple(clean), ".".join(str(p) for p in clean)


def latest(candidates: list[tuple[str, str]], chain: list[str]) -> tuple[str, str]:
    """Of (file, field) pairs, the one whose file came last (``extends:`` order, then ``--set``): that file
    introduced the conflict. The first of equals wins."""
    rank = {f: i for i, f in enumerate(chain)} | {"--set": len(chain)}
    return max(candidates, key=lambda b: rank.get(b[0], -1))


def validation_error(err: Any, origin: dict[tuple, str], chain: list[str], path: Path) -> InputError:
    """The `InputError` for pydantic's first error, blamed on the file that wrote the field (for a field of
    an event, on whichever file last wrote the field or the event's kind: changing an event's kind in a
    derived file makes the parent's fields wrong)."""
    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, FieldError):
        blamed = [(blame(field_loc(inner.field), origin, str(path)), inner.field)]
        for f in inner.related:  # a related part counts as written by whichever file wrote in it last
            loc = field_loc(f)
            inside = [(w, f) for p, w in origin.items() if p[: len(loc)] == loc]
            blamed.append(latest([(blame(loc, origin, str(path)), f), *inside], chain))
        file, field = latest(blamed, chain)
        return InputError(file, field, inner.problem + (f" ({inner.field})" if field != inner.field else ""))
    loc, field = loc_to_field(tuple(err["loc"]))
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
    file = blame(loc, origin, str(path))
    if len(loc) >= 3 and loc[0] == "events":
        kind = ("events", loc[1], "kind")
        file = latest([(file, field), (blame(kind, origin, str(path)), field)], chain)[0]
    return InputError(file, field, msg)
