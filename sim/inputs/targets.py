"""Historical targets (``calibration/targets.yaml``): what the seeds say happened, with citations.

Used by the calibration (fit targets only), by validation reports (fit and holdout), and by figures that put
the seeds' figures next to the model's. Every target names its seed file and an exact quote.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import Field, ValidationError

from sim.inputs.errors import InputError
from sim.inputs.fields import Strict
from sim.inputs.geography import Theatre
from sim.inputs.yamlio import load_yaml, read_text_bounded, yaml_problem

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TARGETS = ROOT / "calibration" / "targets.yaml"

Use = Literal["fit", "holdout"]


class Cited(Strict):
    id: str
    use: Use
    source: str
    quote: str
    note: str = ""


class CaptureTarget(Cited):
    settlement: str
    to: str
    date: dt.date
    uncertainty_days: float = Field(gt=0)


class SeriesTarget(Cited):
    date: dt.date
    value: float
    rel_uncertainty: float = Field(gt=0)


class TerritoryTarget(Cited):
    metric: Literal["gain_km2", "idlib_share"]
    date: dt.date
    value: float
    uncertainty: float = Field(gt=0)


class HighwayTarget(Cited):
    road: str
    event: Literal["complete"]
    date: dt.date
    uncertainty_days: float = Field(gt=0)


class CountTarget(Cited):
    date: dt.date
    value: float
    uncertainty: float = Field(gt=0)


class ShelterTarget(Cited):
    shelter: Literal["host", "camp", "unfinished", "open_air"]
    value: float
    uncertainty: float = Field(gt=0)


class OriginTarget(Cited):
    """Where the people who set off in a window came from: the share of them whose community lies in the
    listed sub-districts (P-codes), and optionally how many set off."""

    start: dt.date
    end: dt.date
    subdistricts: list[str] = Field(min_length=1)
    share: float = Field(ge=0.0, le=1.0)
    uncertainty: float = Field(gt=0)


class FlowTarget(Cited):
    """How many people set off from their communities between two dates (flight, not returns)."""

    start: dt.date
    end: dt.date
    value: float = Field(gt=0)
    rel_uncertainty: float = Field(gt=0)


class AwayTarget(Cited):
    """How many people whose homes are in the listed sub-districts (P-codes) are away from them on ``date``:
    in a community outside them or on the road (``subdistricts.csv``'s ``displaced_from``)."""

    date: dt.date
    subdistricts: list[str] = Field(min_length=1)
    value: float = Field(gt=0)
    rel_uncertainty: float = Field(gt=0)


class EmptiedTarget(Cited):
    """How empty a settlement was when it fell: the share of its pre-offensive people still there on the
    day it changed to ``to`` (the change nearest ``date``)."""

    settlement: str
    to: str
    date: dt.date
    share_present: float = Field(ge=0.0, le=1.0)
    uncertainty: float = Field(gt=0)


class Targets(Strict):
    meta: dict = Field(default_factory=dict)
    captures: list[CaptureTarget] = Field(default_factory=list)
    displacement: list[SeriesTarget] = Field(default_factory=list)
    territory: list[TerritoryTarget] = Field(default_factory=list)
    highways: list[HighwayTarget] = Field(default_factory=list)
    turkish_losses: list[CountTarget] = Field(default_factory=list)
    civilian_deaths: list[CountTarget] = Field(default_factory=list)
    shelter_shares: list[ShelterTarget] = Field(default_factory=list)
    origins: list[OriginTarget] = Field(default_factory=list)
    flows: list[FlowTarget] = Field(default_factory=list)
    away: list[AwayTarget] = Field(default_factory=list)
    emptied: list[EmptiedTarget] = Field(default_factory=list)

    def select(self, use: str | None) -> Targets:
        """The same targets restricted to ``fit`` or ``holdout`` (None: all)."""
        if use is None:
            return self
        data = self.model_dump()
        for key, val in data.items():
            if isinstance(val, list):
                data[key] = [t for t in val if t["use"] == use]
        return Targets.model_validate(data)


def on_map(targets: Targets, theatre: Theatre) -> Targets:
    """The targets with their settlements named as the map names them (targets cite the seeds' spellings;
    a run's tables use the map's primary names)."""
    data = targets.model_dump()
    for group in ("captures", "emptied"):
        for t in data[group]:
            t["settlement"] = theatre.canonical(t["settlement"])
    return Targets.model_validate(data)


@functools.lru_cache(maxsize=4)
def load_targets(path: str | Path = DEFAULT_TARGETS) -> Targets:
    path = Path(path)
    if not path.exists():
        raise InputError(path, "", "targets file not found")
    try:
        data = load_yaml(read_text_bounded(path))
    except (OSError, ValueError) as exc:
        raise InputError(path, "", f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, "", yaml_problem(exc)) from None
    try:
        return Targets.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(path, ".".join(str(x) for x in err["loc"]), err["msg"]) from None


def displacement_points() -> list[tuple[dt.date, float, str]]:
    """(date, value, use) of the seeds' cumulative displacement figures; empty without a targets file."""
    try:
        t = load_targets()
    except InputError:
        return []
    return [(d.date, d.value, d.use) for d in t.displacement]


# ---- matching a run's events to a target


def closest(dates: pd.Series, target: dt.date) -> pd.Timestamp | None:
    """The date in ``dates`` nearest to ``target`` (None if there is none)."""
    if dates.empty:
        return None
    d = pd.to_datetime(dates)
    return pd.Timestamp(d.iloc[int(np.argmin(np.abs((d - pd.Timestamp(target)).dt.days.to_numpy())))])


def capture_date(captures: pd.DataFrame, settlement: str, to: str, near: dt.date) -> pd.Timestamp | None:
    """The simulated change of ``settlement`` to ``to`` closest in time to ``near`` (None if never)."""
    if captures.empty:
        return None
    c = captures[(captures["settlement"] == settlement) & (captures["to_controller"] == to)]
    return closest(c["date"], near)
