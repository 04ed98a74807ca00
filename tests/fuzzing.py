"""Mutations of a scenario as a user might make them, the outcome each must have, and the model's invariants.

Shared by the property suite (tests/test_properties.py, driven by hypothesis) and the fuzz script
(tests/fuzz_inputs.py, driven by a seeded ``random.Random`` for a reproducible tally). A mutation changes one
thing in tests/data/fuzz_base.yaml (a value replaced by an odd one, a key added, a faction renamed, a
malformed document) and delivers it through one channel: a file that ``extends:`` the base, a ``--set``, or a
standalone copy. The oracle: either ``validate`` accepts it and the run then completes with every invariant
holding, or ``validate`` exits 2 with one line that blames the channel (the base alone is valid, so the
mutation is always what is wrong). Values that no scenario should accept (infinities, impossible dates, an
unknown faction where a faction is named) are marked, and accepting one is a finding too.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import math
import random
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "data" / "fuzz_base.yaml"
FACTION_FIELDS = {"faction", "against", "parties", "enemies", "allies", "safe_controllers"}
FACTION_FIELDS |= {"offensive", "local_defence", "guarantor"}

OUTCOMES = (
    "accepted, ran, invariants held",
    "rejected with one clean line",
    "traceback from validate",
    "crash after validation",
    "invariant broken",
    "wrong file blamed",
    "odd input accepted",
    "error not one clean line",
    "did not finish in time",
)
TIME_LIMIT = 120  # seconds for one input: validate and run (a 3-year run of the base takes about 15 s)


class _TimeUp(BaseException):  # not an Exception: it must escape every `except Exception`
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise `_TimeUp` in the main thread after ``seconds`` (a run of 3 million days must not stall the
    tally)."""

    def expire(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Mutation:
    """One change and its channel: ``child`` (a file extending the base), ``set`` or ``standalone``."""

    what: str
    channel: str
    path: tuple = ()
    value: Any = None
    raw: str | None = None  # the whole text of the file, for document-level mutations
    bad: bool = False  # no scenario should accept it
    figures: bool = False  # it touches what the figures draw


@dataclass
class Outcome:
    kind: str
    detail: str = ""
    mutation: Mutation | None = field(default=None, repr=False)


def base_data() -> dict[str, Any]:
    """The base scenario merged with what it extends (the mini scenario), paths made absolute."""
    from sim.inputs.loader import load_scenario

    return copy.deepcopy(load_scenario(BASE).raw)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def parameter_paths() -> list[tuple]:
    from sim.inputs.parameters import Parameters

    return [
        ("parameters", group, name)
        for group, info in Parameters.model_fields.items()
        for name in info.annotation.model_fields
    ]


def _odd_number(rng: random.Random, current: Any) -> tuple[Any, bool]:
    bad = [math.inf, -math.inf, math.nan, 1e300, -1e300, 2**64, 10**30]
    fine = [0, -1, 0.5, 1, 2, 5e-324, 1e-9, 100, 1000, 99_999, 1e6, True, "abc", None, [], {}]
    if isinstance(current, int | float) and not isinstance(current, bool):
        fine += [current * 10, current * 1000, -current, current + 1]
    if rng.random() < 0.25:
        return rng.choice(bad), True
    return rng.choice(fine), False


def _odd_string(rng: random.Random, last: Any, names: list[str]) -> tuple[Any, bool]:
    if (last in FACTION_FIELDS or isinstance(last, int)) and rng.random() < 0.4:
        return "martians", True
    choices = ["", "x", "government", "opposition", "turkey", "sdf", "M4", "M5", "auto", 3, None, [], "\x00"]
    choices += [
        "$\\frac{$",
        "a" * 10_000,
        "../../x",
        "2020-02-30",
        rng.choice(names),
        rng.choice(names) + "x",
    ]
    value = rng.choice(choices)
    return value, value == "\x00"


def _odd_date(rng: random.Random, current: dt.date) -> tuple[Any, bool]:
    if rng.random() < 0.2:
        return rng.choice([0, 20200101, "2020-02-30", dt.date(1970, 1, 1), dt.date(9999, 12, 31)]), True
    choices = [current + dt.timedelta(days=rng.randint(-60, 60)), "yesterday", None, current.isoformat()]
    choices += [dt.date(2011, 3, 1), dt.date(2035, 12, 31), dt.datetime(2020, 1, 1, 12, 0)]  # noqa: DTZ001
    return rng.choice(choices), False


def odd_value(rng: random.Random, path: tuple, current: Any, names: list[str]) -> tuple[Any, bool]:
    """An odd replacement for ``current`` at ``path`` and whether no scenario should accept it."""
    last = path[-1] if path else None
    if isinstance(current, bool):
        return rng.choice([0, 1, "yes", "maybe", None, 2]), False
    if isinstance(current, int | float):
        return _odd_number(rng, current)
    if isinstance(current, dt.date):
        return _odd_date(rng, current)
    if isinstance(current, str):
        return _odd_string(rng, last if last not in (None,) else path[-2], names)
    if isinstance(current, list):
        return rng.choice([[], None, "x", {}, current * 50, [*current, *current], [None]]), False
    if isinstance(current, dict):
        return rng.choice([{}, None, [], "x", 1.5, {"bogus": 1}]), False
    return rng.choice([None, 1, "x", [], {}]), False


DOCUMENTS = {  # document-level oddities: (text after the 'extends:' line, should be rejected)
    "duplicate key": ("name: a\nname: b\n", True),
    "deep nesting": ("name: " + "[" * 200 + "]" * 200 + "\n", True),
    "alias bomb": (
        "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9) if i else 'lol'}]\n" for i in range(9)),
        True,
    ),
    "recursive alias": ("x: &a [*a]\n", True),
    "tab indentation": ("factions:\n\tgovernment: {support: 0.5}\n", True),
    "two documents": ("name: a\n---\nname: b\n", True),
    "a set": ("orders: !!set {a}\n", True),
    "a python tag": ("name: !!python/object:os.system [ls]\n", True),
    "unquoted impossible date": ("start: 2019-02-29\n", True),
    "long integer": ("factions: {government: {replacements_per_day: " + "9" * 5000 + "}}\n", True),
    "extends a device": (None, True),
    "not a mapping": ("- a\n- b\n", True),
    "empty": ("", False),
}


def make_mutation(rng: random.Random, base: dict[str, Any], names: list[str]) -> Mutation:
    """One random mutation of the base scenario."""
    roll = rng.random()
    if roll < 0.08:
        what = rng.choice(sorted(DOCUMENTS))
        text, bad = DOCUMENTS[what]
        raw = "extends: /dev/zero\n" if text is None else f"extends: {BASE}\n{text}"
        if what == "not a mapping":
            raw = text
        return Mutation(what, "child", raw=raw, bad=bad)
    if roll < 0.13:
        old = rng.choice(["government", "opposition", "turkey", "sdf"])
        new = rng.choice(["rebels", "regime", "gov", old.upper()])
        text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=10_000)
        return Mutation(f"faction {old} renamed", "standalone", raw=text.replace(old, new))
    if roll < 0.18:
        parent = rng.choice([p for p in _paths(base) if isinstance(_get(base, p), dict)] + [()])
        return Mutation("unknown key", rng.choice(["child", "set"]), (*parent, "bogus_key"), 1, bad=True)
    paths = _paths(base) + parameter_paths()
    path = rng.choice(paths)
    current = _get(base, path, default=_parameter_default(path))
    value, bad = odd_value(rng, path, current, names)
    figures = any(p in ("name", "label", "color", "map_dates") for p in path)
    channel = rng.choices(["child", "set", "standalone"], weights=[5, 4, 1])[0]
    return Mutation(
        f"{'.'.join(map(str, path))} = {value!r:.40}", channel, path, value, bad=bad, figures=figures
    )


def _get(node: Any, path: tuple, default: Any = None) -> Any:
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def _parameter_default(path: tuple) -> Any:
    if len(path) == 3 and path[0] == "parameters":
        from sim.inputs.parameters import Parameters

        return getattr(getattr(Parameters(), path[1]), path[2], None)
    return None


def _set_in(data: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    """``data`` with ``value`` at ``path`` (intermediate mappings created)."""
    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        if isinstance(node, dict) and part not in node:
            node[part] = {}
        node = node[part]
    node[path[-1]] = value
    return out


def _child_body(base: dict[str, Any], m: Mutation) -> dict[str, Any]:
    """What a derived file writes for the mutation: the path down to the first list is merged key by key,
    and a list is written whole (a derived file replaces lists)."""
    changed = _set_in(base, m.path, m.value)
    body: dict[str, Any] = {}
    node: Any = body
    src: Any = changed
    for i, part in enumerate(m.path):
        if isinstance(src, list) or i == len(m.path) - 1 or not isinstance(src.get(part), dict):
            node[part] = src[part] if not isinstance(src, list) else src
            break
        node = node.setdefault(part, {})
        src = src[part]
    return body


def deliver(m: Mutation, base: dict[str, Any], tmp: Path) -> tuple[list[str], str]:
    """Write the mutation; return (validate's arguments, the file or '--set' that must be blamed)."""
    if m.raw is not None:
        path = tmp / ("standalone.yaml" if m.channel == "standalone" else "child.yaml")
        path.write_text(m.raw, encoding="utf-8")
        return [str(path)], str(path)
    if m.channel == "set":
        value = yaml.safe_dump(m.value, default_flow_style=True, width=100_000).strip()
        value = value.removesuffix("\n...").removesuffix("...").strip()
        return [str(BASE), "--set", f"{'.'.join(map(str, m.path))}={value}"], "--set"
    if m.channel == "standalone":
        data = _set_in(base, m.path, m.value)
        path = tmp / "standalone.yaml"
    else:
        data = {"extends": str(BASE), **_child_body(base, m)}
        path = tmp / "child.yaml"
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000), encoding="utf-8"
    )
    return [str(path)], str(path)


def check_mutation(m: Mutation, base: dict[str, Any], tmp: Path, seed: int = 1) -> Outcome:
    """Validate the mutation as the command line does, then run it if accepted; classify the outcome."""
    try:
        with time_limit(TIME_LIMIT):
            return _check_mutation(m, base, tmp, seed)
    except _TimeUp:
        return Outcome("did not finish in time", f"over {TIME_LIMIT} s", m)


def _check_mutation(m: Mutation, base: dict[str, Any], tmp: Path, seed: int) -> Outcome:
    from sim.cli import main
    from sim.inputs.loader import load_scenario
    from sim.runs.runner import run_scenario

    argv, blamed = deliver(m, base, tmp)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["validate", *argv])
    except (Exception, SystemExit) as exc:
        return Outcome("traceback from validate", f"{type(exc).__name__}: {exc}"[:300], m)
    text = err.getvalue()
    if code == 2:
        lines = [x for x in text.splitlines() if x.strip()]
        if len(lines) != 1 or "Traceback" in text or len(lines[0]) > 500:
            return Outcome("error not one clean line", text[:300], m)
        if not lines[0].startswith(f"idlib-sim: error: {blamed}:"):
            return Outcome("wrong file blamed", lines[0][:300], m)
        return Outcome("rejected with one clean line", lines[0][:200], m)
    if code != 0:
        return Outcome("traceback from validate", f"exit {code}: {text[:200]}", m)
    if m.bad:
        return Outcome("odd input accepted", m.what, m)
    overrides = argv[2:][1::2] if len(argv) > 1 else []
    try:
        loaded = load_scenario(argv[0], overrides)
        result = run_scenario(loaded, seed=seed, out=tmp / "out", progress=False, figures=m.figures)
    except Exception as exc:
        return Outcome("crash after validation", f"{type(exc).__name__}: {exc}"[:300], m)
    broken = invariants(result)
    if broken:
        return Outcome("invariant broken", "; ".join(broken)[:300], m)
    return Outcome("accepted, ran, invariants held", "", m)


def invariants(result: Any) -> list[str]:
    """The model's invariants on a finished run (its tables and model); the list of those broken.

    Conservation (the living and the dead add up to the initial population every day, and the people in
    settlements and on the road to the living), nothing negative (strengths, losses, garrisons, people,
    strikes), every number finite, territory and settlements adding up to the map, and control consistent
    with the captures (replaying captures.csv from the map's first-day controllers gives population.csv's
    controller every day, and each capture is from the settlement's holder at the time)."""
    model = result.model
    daily, pop, captures = result.daily, result.population, result.captures
    t = model.theatre
    broken = []
    numbers = daily.select_dtypes("number")
    if not np.isfinite(numbers.to_numpy(dtype=float)).all():
        broken.append("a non-finite number in daily.csv")
    if len(daily) != model.scenario.days:
        broken.append(f"{len(daily)} days recorded of {model.scenario.days}")
    negative = [
        c for c in numbers.columns if c.split("_")[0] in ("strength", "killed", "garrison", "detached")
    ]
    negative += [
        c for c in ("strikes", "civilians_alive", "civilians_killed", "displaced_total") if c in daily
    ]
    for c in negative:
        if (daily[c] < 0).any():
            broken.append(f"negative {c}")
    if any(f.strength < 0 for f in model.formations) or (model.battlefield.garrison < 0).any():
        broken.append("a negative strength or garrison in the model")
    if model.civilians is not None:
        total = model.civilians.initial_total
        if not (daily["civilians_alive"] + daily["civilians_killed"] == total).all():
            broken.append("civilians not conserved")
        per_day = pop.groupby("date", sort=False)["present"].sum().to_numpy()
        if not (per_day + daily["in_transit"].to_numpy() == daily["civilians_alive"].to_numpy()).all():
            broken.append("people in settlements and on the road differ from the living")
        if (pop["present"] < 0).any() or (pop["displaced_present"] < 0).any():
            broken.append("negative people in population.csv")
        if (pop["displaced_present"] > pop["present"]).any():
            broken.append("more displaced than present")
    area = sum(daily[f"territory_{f.fid}_km2"] for f in model.factions)
    if ((area - t.area_km2.sum()).abs() > 0.05 * len(model.factions) + 1e-6).any():
        broken.append("territory does not add up to the map")
    if not (sum(daily[f"settlements_{f.fid}"] for f in model.factions) == t.n).all():
        broken.append("settlements do not add up to the map")
    broken += _control_matches_captures(t, pop, captures)
    return broken


def _control_matches_captures(t: Any, pop: pd.DataFrame, captures: pd.DataFrame) -> list[str]:
    held = dict(zip(t.names, t.controller0, strict=True))
    # not dict(groupby): dict() calls a .keys attribute, which on a GroupBy is the column name
    by_day = {d: g for d, g in captures.groupby("date", sort=False)} if len(captures) else {}  # noqa: C416
    for date, day in pop.groupby("date", sort=False):
        for c in by_day.get(date, pd.DataFrame()).itertuples():
            if held[c.settlement] != c.from_controller:
                was = held[c.settlement]
                return [f"{c.settlement} captured on {date} from {c.from_controller}, held by {was}"]
            held[c.settlement] = c.to_controller
        if dict(zip(day["settlement"], day["controller"], strict=True)) != held:
            return [f"control on {date} differs from the captures replayed"]
    return []


def tally(outcomes: list[Outcome]) -> Counter:
    counts = Counter(dict.fromkeys(OUTCOMES, 0))
    counts.update(o.kind for o in outcomes)
    return counts
