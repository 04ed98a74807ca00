"""The state a scenario starts from, when it is not the map's: who holds each community, who lives there.

A scenario's ``initial_state:`` names a control file, a population file and/or another scenario's run on a
given day (``from_run``). Each community's controller and people come from the last of: the map, the run
(every community), the file (the communities it lists). The files are CSV, one row per community, so that
a table from OCHA, the CCCM cluster or a news map can be typed in and each row says where it comes from:

* control: ``pcode`` or ``name`` (either or both; a name may be any of the map's aliases), ``controller``
  (a faction of the scenario), ``source`` (required: who says so);
* population: ``pcode`` or ``name``, ``present`` (people there on the first day), optionally ``displaced``
  (of them, people displaced from elsewhere), ``source``.

The displaced of a population file start as the map's pre-offensive camp residents do: living in the
community's camps (its camp places are as many), not counted by the run's displacement columns (those count
people displaced since the run's start), and with the community as their home, since the file does not say
where they came from. Reading a file checks it against the map and the scenario: every error is one line
naming the CSV file, the line and column, and the problem. Running the other scenario is ``sim.runs.start``.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field

from sim.inputs.errors import InputError, shorten
from sim.inputs.fields import NUMBER, Date, Strict, bounds
from sim.inputs.geography import Theatre
from sim.inputs.yamlio import read_text_bounded

MAX_CSV_BYTES = 5_000_000  # a file listing all 1,820 communities of the village map is about 200 kB
MAX_PEOPLE = 10_000_000  # in one community: more than the whole of northwestern Syria (about 4.5 million)
MAX_SOURCE = 1_000  # characters of a row's source
CONTROL_COLUMNS = ("pcode", "name", "controller", "source")
POPULATION_COLUMNS = ("pcode", "name", "present", "displaced", "source")


class FromRunSpec(Strict):
    scenario: str = Field(
        description="The scenario whose run gives the start state, relative to this scenario file; it runs "
        "with its own parameters, orders and events, on the same map."
    )
    day: Date = Field(description="The state at the end of this day of that run.")
    seed: Annotated[
        int,
        Field(ge=0, le=2**63 - 1, json_schema_extra=bounds("a run's seed, as --seed takes: 0 to 2^63-1")),
        NUMBER,
    ] = Field(description="The seed of that run: the same scenario, day and seed give the same state.")


class InitialStateSpec(Strict):
    """Where the first day's control and population come from when not from the map: a file, another
    scenario's run, or both (a file overrides the run for the communities it lists). Forces always come
    from this scenario's own formations; a formation placed where its side does not hold starts at the
    nearest community its side holds, as a reinforcement does."""

    control: str | None = Field(
        None,
        description="CSV: pcode or name, controller, source; communities not listed keep their controller "
        "(the run's, else the map's). Relative to this scenario file.",
    )
    population: str | None = Field(
        None,
        description="CSV: pcode or name, present, displaced (optional), source; communities not listed keep "
        "their people (the run's, else the map's). Relative to this scenario file.",
    )
    from_run: FromRunSpec | None = Field(
        None, description="Start from another scenario's control and people at the end of a day of its run."
    )


@dataclass(frozen=True)
class StartState:
    """Per community of the map: the controller (a faction id), the people present on the first day, and
    of them those displaced from elsewhere (who start in its camps)."""

    controller: list[str]
    present: np.ndarray
    displaced: np.ndarray

    @classmethod
    def of_map(cls, theatre: Theatre) -> StartState:
        """The map's own first day: its controllers, populations and pre-offensive camp residents (the
        civilians cap the camp residents at the population, as for the map)."""
        return cls(list(theatre.controller0), theatre.population.copy(), theatre.camp_capacity.copy())

    def apply(self, theatre: Theatre) -> Theatre:
        return theatre.with_start(self.controller, self.present, self.displaced)

    def overlay(
        self, control: dict[int, str] | None, population: dict[int, tuple[float, float | None]] | None
    ) -> StartState:
        """This state with the communities a file lists replaced (a population file without ``displaced``
        keeps the displaced a community had, the map's camp residents or the run's, at most everyone
        present)."""
        controller = list(self.controller)
        present, displaced = self.present.copy(), self.displaced.copy()
        for node, fid in (control or {}).items():
            controller[node] = fid
        for node, (people, away) in (population or {}).items():
            present[node] = people
            displaced[node] = min(displaced[node], people) if away is None else away
        return StartState(controller, present, displaced)


def _rows(path: Path, known: tuple[str, ...], needed: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file with their line numbers, each as {column: stripped text}; the header
    must name a community column (pcode or name), ``needed`` columns and no column outside ``known``."""
    try:
        text = read_text_bounded(path, MAX_CSV_BYTES)
    except (OSError, ValueError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(path, "", f"cannot read: {problem}") from None
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))  # a spreadsheet's byte-order mark
    try:
        header = [h.strip() for h in next(reader, [])]
        if not any(header):
            raise InputError(path, "", f"empty: expected a header line ({', '.join(known)})")
        for h in header:
            if h not in known:
                raise InputError(
                    path, "line 1", f"unknown column '{shorten(h, 40)}' (expected {', '.join(known)})"
                )
            if header.count(h) > 1:
                raise InputError(path, "line 1", f"column '{h}' appears twice")
        for h in ("pcode or name", *needed):
            if not any(c in header for c in h.split(" or ")):
                raise InputError(path, "line 1", f"missing column '{h}'")
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(values) != len(header):
                problem = f"{len(values)} fields, the header has {len(header)}"
                raise InputError(path, f"line {reader.line_num}", problem)
            rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    except csv.Error as exc:
        raise InputError(path, f"line {reader.line_num}", f"not CSV: {exc}") from None
    return rows


class _Communities:
    """Resolves a row's ``pcode`` and ``name`` to a node of the map, and refuses a community listed twice."""

    def __init__(self, path: Path, theatre: Theatre) -> None:
        self.path = path
        self.theatre = theatre
        self.by_pcode = {p: i for i, p in enumerate(theatre.pcode) if p}
        self.seen: dict[int, int] = {}  # node -> the line that listed it

    def node(self, line: int, row: dict[str, str]) -> int:
        t, pcode, name = self.theatre, row.get("pcode", ""), row.get("name", "")
        if not pcode and not name:
            raise InputError(self.path, f"line {line}", "names no community: give its pcode or name")
        node = None
        if pcode:
            node = self.by_pcode.get(pcode)
            if node is None:
                problem = f"unknown P-code '{shorten(pcode, 40)}' (not a community of {t.path.name})"
                raise InputError(self.path, f"line {line}, pcode", problem)
        if name:
            try:
                named = t.id(name)
            except KeyError as exc:  # unknown, or an alias that names several communities
                hint = t.suggest(name) if str(exc.args[0]).startswith("unknown") else None
                extra = f" (did you mean '{hint}'?)" if hint else ""
                raise InputError(self.path, f"line {line}, name", f"{exc.args[0]}{extra}") from None
            if node is not None and named != node:
                problem = f"'{name}' is {t.names[named]}, but P-code {pcode} is {t.names[node]}"
                raise InputError(self.path, f"line {line}, name", problem)
            node = named
        if node in self.seen:
            problem = f"{t.names[node]} is listed twice (first on line {self.seen[node]})"
            raise InputError(self.path, f"line {line}", problem)
        self.seen[node] = line
        return node


def _source(path: Path, line: int, row: dict[str, str]) -> str:
    """A row's source: required (a start state is evidence, and evidence says where it is from)."""
    text = row.get("source", "")
    if not text:
        raise InputError(path, f"line {line}, source", "empty: say where this row comes from")
    if len(text) > MAX_SOURCE:
        raise InputError(path, f"line {line}, source", f"longer than {MAX_SOURCE:,} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in text):
        raise InputError(path, f"line {line}, source", "contains an unprintable character")
    return text


def _people(path: Path, line: int, column: str, text: str) -> float:
    where = f"line {line}, {column}"
    try:
        value = float(text)
    except ValueError:
        raise InputError(path, where, f"expected a number of people, found '{shorten(text, 40)}'") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_PEOPLE:
        raise InputError(path, where, f"must be from 0 to {MAX_PEOPLE:,} people, found {shorten(text, 40)}")
    return value


def read_control(path: Path, theatre: Theatre, factions: list[str]) -> dict[int, str]:
    """A control file: node -> the faction that holds it on the first day."""
    communities = _Communities(path, theatre)
    out: dict[int, str] = {}
    for line, row in _rows(path, CONTROL_COLUMNS, ("controller", "source")):
        node = communities.node(line, row)
        fid = row["controller"]
        if fid not in factions:
            problem = f"unknown faction '{shorten(fid, 40)}' (the scenario's: {', '.join(factions)})"
            raise InputError(path, f"line {line}, controller", problem)
        _source(path, line, row)
        out[node] = fid
    return out


def read_population(path: Path, theatre: Theatre) -> dict[int, tuple[float, float | None]]:
    """A population file: node -> (people present, of them displaced from elsewhere, or None if the file
    has no ``displaced`` column)."""
    communities = _Communities(path, theatre)
    out: dict[int, tuple[float, float | None]] = {}
    for line, row in _rows(path, POPULATION_COLUMNS, ("present", "source")):
        node = communities.node(line, row)
        present = _people(path, line, "present", row["present"])
        displaced = None
        if "displaced" in row:
            displaced = _people(path, line, "displaced", row["displaced"])
            if displaced > present:
                problem = f"{row['displaced']} displaced of {row['present']} present: more than are there"
                raise InputError(path, f"line {line}, displaced", problem)
        _source(path, line, row)
        out[node] = (present, displaced)
    return out


def read_start_files(
    spec: InitialStateSpec, theatre: Theatre, factions: list[str], blame: Callable[[str], str]
) -> tuple[dict[int, str] | None, dict[int, tuple[float, float | None]] | None]:
    """The control and population files of ``spec`` (None where not given); a file that does not exist is
    blamed on ``blame(field)``, the scenario file that named it."""

    def path_of(field: str) -> Path | None:
        value = getattr(spec, field)
        if value is None:
            return None
        path = Path(value)
        try:
            exists = path.exists()
        except (OSError, ValueError):  # a name too long, a NUL byte
            exists = False
        if not exists:
            raise InputError(blame(field), f"initial_state.{field}", f"file not found: {shorten(value, 200)}")
        return path

    control_path, population_path = path_of("control"), path_of("population")
    control = read_control(control_path, theatre, factions) if control_path else None
    population = read_population(population_path, theatre) if population_path else None
    return control, population
