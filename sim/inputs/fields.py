"""Shared pydantic base: strict models that reject unknown keys.

A typo in a scenario key (``sortis_per_day``) must fail loudly rather than silently fall back to a default:
the whole point of a scenario file is that what you wrote is what ran.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class Strict(BaseModel):
    """Base for every scenario/parameter section: unknown keys are errors, assignments re-validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
