"""The app's levers, and how they become ``--set`` overrides of a scenario file.

Why overrides: a run made in the app must be the run ``idlib-sim run SCENARIO --seed N --set ...`` makes,
table for table. So a lever never reaches into the model: it is written as the dotted-path assignments the
command line takes, applied by the scenario loader with all its validation, and only where the lever
differs from the scenario's own value (a scenario chosen and run as it is has no overrides at all). Bad
values come back as ``InputError`` with a one-line message, as on the command line.

The levers are the questions analysts ask of this offensive: when the Moscow ceasefire
(``events.moscow_ceasefire``) comes into force, whether and when Turkey intervenes (Operation Spring Shield,
``events.spring_shield``; switched on in a scenario without it, it is the baseline's event), how much air
power the offensive side has (``factions.<offensive>.air_scale``, 0.35 is the Syrian air force without
Russia's) and how many people each civilian agent stands for (``civilians.cohort_size``).
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.inputs.errors import InputError
from sim.inputs.loader import LoadedScenario

BASELINE = "baseline"
CEASEFIRE = "moscow_ceasefire"
INTERVENTION = "spring_shield"
AIR_SCALE_MAX = 2.0


@dataclass(frozen=True)
class Levers:
    """One setting of the levers. ``ceasefire`` is None when the scenario has no Moscow ceasefire (the lever
    is then ignored); ``intervention_start`` is the first day of Spring Shield when it is on."""

    scenario: str
    seed: int
    ceasefire: dt.date | None
    intervention: bool
    intervention_start: dt.date | None
    air_scale: float
    cohort_size: int


def scenario_files(directory: Path) -> dict[str, Path]:
    """The scenario files of ``directory`` by name (the file's stem), the baseline first."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise InputError(directory, "", "no scenario files (*.yaml) here")
    by_name = {p.stem: p for p in files}
    order = sorted(by_name, key=lambda name: (name != BASELINE, name))
    return {name: by_name[name] for name in order}


def offensive_faction(loaded: LoadedScenario) -> str | None:
    return loaded.scenario.roles.offensive


def levers_of(name: str, loaded: LoadedScenario, seed: int = 1) -> Levers:
    """The levers as the scenario sets them."""
    sc = loaded.scenario
    ceasefire = sc.events.get(CEASEFIRE)
    intervention = sc.events.get(INTERVENTION)
    offensive = offensive_faction(loaded)
    return Levers(
        scenario=name,
        seed=seed,
        ceasefire=getattr(ceasefire, "start", None),
        intervention=intervention is not None,
        intervention_start=getattr(intervention, "start", None),
        air_scale=float(sc.factions[offensive].air_scale) if offensive in sc.factions else 1.0,
        cohort_size=int(sc.civilians.cohort_size),
    )


def overrides(levers: Levers, loaded: LoadedScenario, baseline: LoadedScenario) -> list[str]:
    """The ``--set`` assignments that turn the scenario ``loaded`` into ``levers`` (none where they agree);
    a Spring Shield switched on where the scenario has none is the baseline's, from ``intervention_start``."""
    own = levers_of(levers.scenario, loaded, levers.seed)
    out: list[str] = []
    if own.ceasefire is not None and levers.ceasefire is not None and levers.ceasefire != own.ceasefire:
        out.append(f"events.{CEASEFIRE}.start={levers.ceasefire.isoformat()}")
    if own.intervention and not levers.intervention:
        out.append(f"events.{INTERVENTION}=null")
    elif levers.intervention and not own.intervention:
        event = baseline.raw.get("events", {}).get(INTERVENTION)
        if event is None:
            raise InputError(
                baseline.path, f"events.{INTERVENTION}", "the baseline has no Turkish intervention"
            )
        event = {k: v for k, v in event.items() if k != "note"}
        if levers.intervention_start is not None:
            event["start"] = levers.intervention_start
        flow = yaml.safe_dump(event, default_flow_style=True, width=math.inf).strip()
        out.append(f"events.{INTERVENTION}={flow}")
    elif levers.intervention and levers.intervention_start not in (None, own.intervention_start):
        assert levers.intervention_start is not None
        out.append(f"events.{INTERVENTION}.start={levers.intervention_start.isoformat()}")
    offensive = offensive_faction(loaded)
    if offensive is not None and not math.isclose(levers.air_scale, own.air_scale):
        out.append(f"factions.{offensive}.air_scale={levers.air_scale:g}")
    if levers.cohort_size != own.cohort_size:
        out.append(f"civilians.cohort_size={levers.cohort_size}")
    return out


# ---------------------------------------------------------------- the page's values, checked


def _date(value: Any, label: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(label, str(value), "expected a date as YYYY-MM-DD, e.g. 2020-03-06") from None


def _whole(value: Any, label: str, least: int) -> int:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InputError(label, str(value), f"expected a whole number of at least {least}") from None
    if not number.is_integer() or number < least:
        raise InputError(label, str(value), f"expected a whole number of at least {least}")
    return int(number)


def parse(values: Mapping[str, Any]) -> Levers:
    """Levers from the page's raw values (text fields as typed); a bad value raises ``InputError`` naming
    the lever, so the page shows one line instead of a traceback."""
    try:
        air = float(values["air_scale"])
    except (TypeError, ValueError):
        raise InputError("air power", str(values["air_scale"]), "expected a number") from None
    if not 0 <= air <= AIR_SCALE_MAX:
        raise InputError("air power", f"{air:g}", f"expected a scale from 0 to {AIR_SCALE_MAX:g}")
    return Levers(
        scenario=str(values["scenario"]),
        seed=_whole(values["seed"], "seed", 0),
        ceasefire=_date(values["ceasefire"], "Moscow ceasefire"),
        intervention=bool(values["intervention"]),
        intervention_start=_date(values["intervention_start"], "Spring Shield start"),
        air_scale=air,
        cohort_size=_whole(values["cohort_size"], "cohort size", 1),
    )


def values_of(levers: Levers) -> dict[str, Any]:
    """The page's raw values showing ``levers`` (the inverse of ``parse``)."""
    return {
        "scenario": levers.scenario,
        "seed": str(levers.seed),
        "ceasefire": levers.ceasefire.isoformat() if levers.ceasefire else "",
        "intervention": levers.intervention,
        "intervention_start": levers.intervention_start.isoformat() if levers.intervention_start else "",
        "air_scale": levers.air_scale,
        "cohort_size": str(levers.cohort_size),
    }


def model_params(values: Mapping[str, Any], scenarios: list[str]) -> dict[str, dict[str, Any]]:
    """The levers as Mesa's SolaraViz describes a model's user-settable parameters (rendered by its
    ``UserInputs``), showing ``values``."""
    return {
        "scenario": {"type": "Select", "label": "Scenario", "value": values["scenario"], "values": scenarios},
        "seed": {"type": "InputText", "label": "Seed", "value": values["seed"]},
        "ceasefire": {
            "type": "InputText",
            "label": "Moscow ceasefire from (YYYY-MM-DD)",
            "value": values["ceasefire"],
        },
        "intervention": {
            "type": "Checkbox",
            "label": "Turkish intervention (Operation Spring Shield)",
            "value": values["intervention"],
        },
        "intervention_start": {
            "type": "InputText",
            "label": "Spring Shield from (YYYY-MM-DD)",
            "value": values["intervention_start"],
        },
        "air_scale": {
            "type": "SliderFloat",
            "label": "Air power",
            "value": values["air_scale"],
            "min": 0.0,
            "max": AIR_SCALE_MAX,
            "step": 0.05,
        },
        "cohort_size": {
            "type": "InputText",
            "label": "People per civilian agent",
            "value": values["cohort_size"],
        },
    }


LEVER_NOTES = (
    "*Air power*: the offensive side's air campaigns scaled (1 as in history; 0.35 is the Syrian air force "
    "without Russia's). *People per civilian agent*: 1 makes every person an agent (slower). A date left "
    "empty keeps the scenario's."
)


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it (as a user would type it)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def command_line(path: Path, seed: int, sets: list[str]) -> str:
    """The ``idlib-sim run`` command that makes the same run (shown on the page, for the record)."""
    path = Path(shown_path(path))
    return " ".join(
        ["idlib-sim run", shlex.quote(str(path)), f"--seed {seed}"]
        + [f"--set {shlex.quote(s)}" for s in sets]
    )
