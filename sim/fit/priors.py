"""Priors of a calibration: which parameters it fits, over which ranges, and how a point becomes a run.

A priors file (``calibration/priors.yaml`` and the subsets next to it) lists entries with a ``name`` (the
dotted path under ``parameters``, e.g. ``combat.kill_rate``), ``low`` and ``high`` bounds, a ``scale`` and
a ``note``. Every method samples the unit cube and maps each coordinate u to a value:

    linear:  low + u * (high - low)
    log:     exp(log(low) + u * (log(high) - log(low)))

so a log-scale prior is flat in the logarithm: the right prior for a rate known only to its order of
magnitude. A point reaches the scenario as ``--set`` overrides, integer parameters rounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from pydantic import ValidationError

from sim.inputs.errors import InputError
from sim.inputs.parameters import Parameters
from sim.inputs.yamlio import load_yaml, read_text_bounded, yaml_problem


@dataclass
class Prior:
    name: str  # dotted path under parameters, e.g. combat.kill_rate
    low: float
    high: float
    scale: str = "linear"  # or "log"
    note: str = ""

    def from_unit(self, u: float) -> float:
        if self.scale == "log":
            return float(np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low))))
        return float(self.low + u * (self.high - self.low))


def integer_parameters() -> set[str]:
    """Dotted names of the integer parameters: a sampled value is rounded before it reaches them."""
    return {
        f"{g}.{k}"
        for g, grp in Parameters().model_dump().items()
        for k, v in grp.items()
        if isinstance(v, int) and not isinstance(v, bool)
    }


def load_priors(path: Path) -> list[Prior]:
    """The priors of ``path``: one line naming the file and field for anything wrong (not YAML, not a list
    of mappings, an unknown parameter, a range that is empty, inverted, not finite or outside the
    parameter's own bounds), read with the scenario files' bounded reader."""
    if not path.exists():
        raise InputError(path, "", "priors file not found")
    try:
        data = load_yaml(read_text_bounded(path))
    except (OSError, ValueError) as exc:
        raise InputError(path, "", str(exc)) from None
    except yaml.YAMLError as exc:
        raise InputError(path, "", yaml_problem(exc)) from None
    items = data.get("priors") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError(path, "priors", "expected a list of priors under 'priors:'")
    out = []
    base = Parameters().model_dump()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(path, f"priors.{i}", "expected a mapping {name, low, high[, scale, note]}")
        try:
            p = Prior(**item)
        except TypeError as exc:
            raise InputError(path, f"priors.{i}", str(exc)) from None
        group, _, key = str(p.name).partition(".")
        if group not in base or key not in base[group]:
            raise InputError(path, f"priors.{i}.name", f"unknown parameter '{p.name}'")
        for end in ("low", "high"):
            value = getattr(p, end)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise InputError(path, f"priors.{i}.{end}", f"expected a finite number, found {value!r}")
            try:
                Parameters.model_validate({group: {key: value}})
            except ValidationError as exc:
                raise InputError(
                    path, f"priors.{i}.{end}", f"outside {p.name}'s bounds: {exc.errors()[0]['msg']}"
                ) from None
        if not p.low < p.high or (p.scale == "log" and p.low <= 0) or p.scale not in ("linear", "log"):
            raise InputError(path, f"priors.{i}", "need low < high (and low > 0 for scale: log)")
        out.append(p)
    if not out:
        raise InputError(path, "priors", "no priors")
    return out


def overrides_for(theta: dict[str, float], base: list[str] | None = None) -> list[str]:
    """``--set`` overrides that run the scenario at ``theta`` (after ``base``)."""
    ints = integer_parameters()
    out = list(base or [])
    for k, v in theta.items():
        val = round(v) if k in ints else float(v)
        out.append(f"parameters.{k}={val}")
    return out
