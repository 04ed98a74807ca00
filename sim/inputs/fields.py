"""Shared pydantic base and field types: strict models, and every number bounded by what it measures.

A typo in a scenario key (``sortis_per_day``) must fail loudly rather than silently fall back to a default:
the whole point of a scenario file is that what you wrote is what ran. Likewise a number: ``.inf``, ``nan``
or ``1e300`` typed into a field that takes men, sorties or a multiplier validated and then broke the run
(numpy's Poisson draw overflows) or ran on meaninglessly. Every numeric field therefore has a finite range
that means something physically; the types below carry the range and, in the JSON schema's ``bounds``, why
it is what it is. The upper ends sit far above every value the scenarios, the fitted parameters and the
calibration priors use (tests/test_input_bounds.py checks both), so they reject typos, not choices.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


def _not_a_bool(value: Any) -> Any:
    """YAML reads yes, no, true and false as booleans, which pydantic takes as 1 and 0: a typo here."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, found {str(value).lower()}")
    return value


NUMBER = BeforeValidator(_not_a_bool)


def bounds(why: str) -> dict[str, str]:
    """The ``json_schema_extra`` of a bounded number: why its range is what it is (shown in the schema)."""
    return {"bounds": why}


Fraction = Annotated[
    float, Field(ge=0.0, le=1.0, json_schema_extra=bounds("a share or a probability: 0 to 1")), NUMBER
]
PositiveFraction = Annotated[
    float,
    Field(
        gt=0.0,
        le=1.0,
        json_schema_extra=bounds("a daily rate above 0 (0 switches the mechanism off) and at most 1 a day"),
    ),
    NUMBER,
]
Multiplier = Annotated[
    float,
    Field(
        ge=0.01,
        le=10.0,
        json_schema_extra=bounds(
            "a factor on combat power, morale or effort, from 0.01 (nearer 0 it cancels the term, and some "
            "divide by it) to 10: the combat-modelling literature's multipliers lie below 3 (Dupuy's "
            "postures and terrain)"
        ),
    ),
    NUMBER,
]
CEV = Annotated[
    float,
    Field(
        ge=0.05,
        le=5.0,
        json_schema_extra=bounds(
            "a combat effectiveness value (Dupuy CEV) relative to an average soldier: priors are 0.7-2.0 and "
            "Dupuy's largest measured ratios about 2.5, so 0.05-5 admits any plausible force"
        ),
    ),
    NUMBER,
]
Odds = Annotated[
    float,
    Field(
        ge=0.0,
        le=100.0,
        json_schema_extra=bounds(
            "a ratio of attacking to defending power: attacks are decided at 1-3, breakthroughs at about "
            "10; at 100 the test never passes"
        ),
    ),
    NUMBER,
]
Ratio = Annotated[
    float,
    Field(
        ge=0.1,
        le=100.0,
        json_schema_extra=bounds(
            "the power ratio an attack needs (the enemy's power is divided by it): at 0.1 a side attacks at "
            "one to ten, at 100 never"
        ),
    ),
    NUMBER,
]
MenInt = Annotated[
    int,
    Field(
        ge=1,
        le=100_000,
        json_schema_extra=bounds(
            "men in one formation or post: the largest in the scenarios has 8,000 and each side in the "
            "baseline about 60,000 in all, so 100,000 is more than a whole side"
        ),
    ),
    NUMBER,
]
Men = Annotated[
    float,
    Field(
        ge=0.0,
        le=100_000.0,
        json_schema_extra=bounds("a number of men or people: at most 100,000, more than a whole side"),
    ),
    NUMBER,
]
PerDay = Annotated[
    float,
    Field(
        ge=0.0,
        le=1_000.0,
        json_schema_extra=bounds(
            "sorties, strikes or men per day: the scenarios' heaviest day has 80 sorties and 120 "
            "replacements, so 1,000 admits any plausible campaign (numpy's Poisson draws overflow near 1e19)"
        ),
    ),
    NUMBER,
]
Km = Annotated[
    float,
    Field(
        ge=0.5,
        le=1_000.0,
        json_schema_extra=bounds(
            "a road distance or length scale in km: below 0.5 km (one village) exp(-km/scale) underflows "
            "to nothing; the map spans about 200 km"
        ),
    ),
    NUMBER,
]
KmBonus = Annotated[
    float,
    Field(
        ge=0.0,
        le=1_000.0,
        json_schema_extra=bounds("km of progress traded against other terms: at most 1,000, beyond the map"),
    ),
    NUMBER,
]
KmOrOff = Annotated[
    float,
    Field(
        ge=0.0,
        le=1_000.0,
        json_schema_extra=bounds("a road distance in km, or 0 for a rule that is off; the map spans 200 km"),
    ),
    NUMBER,
]
Days = Annotated[
    int,
    Field(
        ge=0,
        le=1_096,
        json_schema_extra=bounds("days: at most 1,096, the longest scenario period allowed (three years)"),
    ),
    NUMBER,
]
Weight = Annotated[
    float,
    Field(
        ge=0.0,
        le=100.0,
        json_schema_extra=bounds(
            "a weight, coefficient or small count (danger, morale, exposure, men per strike): defaults are "
            "0.001-3, and at 100 its term swamps every other"
        ),
    ),
    NUMBER,
]
Shape = Annotated[
    float,
    Field(
        ge=0.1,
        le=1e6,
        json_schema_extra=bounds(
            "the shape k of a Gamma(k, 1/k) daily intensity: below 0.1 nearly all fighting falls on a few "
            "days; at 1e6 every day is alike (the tests switch the randomness off so)"
        ),
    ),
    NUMBER,
]
Spread = Annotated[
    float,
    Field(
        ge=0.01,
        le=5.0,
        json_schema_extra=bounds(
            "a log-normal spread (log-sd): at 5 the thresholds span 10 orders of magnitude either way"
        ),
    ),
    NUMBER,
]
Exponent = Annotated[
    float,
    Field(
        ge=0.0,
        le=3.0,
        json_schema_extra=bounds(
            "an exponent on a population (up to a million): 1 is proportional, and beyond 3 the largest "
            "town takes everything"
        ),
    ),
    NUMBER,
]
Frontage = Annotated[
    float,
    Field(
        ge=1.0,
        le=100_000.0,
        json_schema_extra=bounds("men who can defend a settlement: at least one, at most more than a side"),
    ),
    NUMBER,
]
Settlements = Annotated[
    int,
    Field(ge=0, le=1_000, json_schema_extra=bounds("a number of settlements: the village map has 1,820")),
    NUMBER,
]
SettlementsAtLeastOne = Annotated[
    int,
    Field(
        ge=1,
        le=1_000,
        json_schema_extra=bounds("a number of settlements, at least one: the village map has 1,820"),
    ),
    NUMBER,
]
Scale = Annotated[
    float,
    Field(
        ge=0.01,
        le=10_000.0,
        json_schema_extra=bounds(
            "a positive scale (strikes, fear) that divides another term: at most 10,000"
        ),
    ),
    NUMBER,
]

# The period a scenario may simulate: the Syrian civil war to well after the offensive. A date outside it
# is a typo (2002 for 2020, or a number such as 0 read as 1970-01-01), never a choice.
FIRST_DATE = dt.date(2011, 3, 1)
LAST_DATE = dt.date(2035, 12, 31)
MAX_DAYS = 1_096  # three years: the map holds one front line and one season's population


def _not_a_number(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        raise ValueError(f"expected a date (YYYY-MM-DD), found the number {value!r}")
    return value


def _in_window(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"date {value} is outside {FIRST_DATE} to {LAST_DATE}")
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_not_a_number),
    AfterValidator(_in_window),
    Field(json_schema_extra=bounds(f"a real date from {FIRST_DATE} to {LAST_DATE}")),
]

_NAME = re.compile(r"\w[\w.\-]*")


def _drawable(value: str) -> str:
    """Text that is written to files and drawn in figures: no control characters (a NUL or an escape
    sequence broke the figures and garbles terminals), no unpaired surrogates (not encodable as UTF-8)."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t":
            raise ValueError(f"contains the unprintable character U+{ord(ch):04X}")
    return value


def _no_formula(value: str) -> str:
    if "$" in value:
        raise ValueError("contains '$', which starts a formula in the figures' text")
    return _drawable(value)


def _color(value: str) -> str:
    from matplotlib.colors import is_color_like  # only when a colour is checked: `--help` stays light

    if not is_color_like(value):
        raise ValueError(f"not a colour matplotlib knows: {value!r} (e.g. '#c0392b' or 'red')")
    return value


def _file_name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(
            f"expected letters, digits, '_', '-' or '.', starting with a letter or digit: {value!r}"
        )
    return value


Text = Annotated[str, Field(max_length=4_000), AfterValidator(_drawable)]
Label = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_formula)]
Name = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_file_name)]
FactionId = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_file_name)]
Color = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_color)]


class Strict(BaseModel):
    """Base for every scenario/parameter section: unknown keys are errors, assignments re-validated, and
    no number may be infinite or NaN."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
