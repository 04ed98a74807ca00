"""Every number of a scenario has a finite, explained range, wide enough for every value in use.

Why: an unbounded field let ``.inf`` or ``1e300`` validate and then break the run inside numpy; a bound too
tight would reject a scenario, the committed fit or a calibration prior (and change runs). Both directions
are checked here: the schema's numbers all have a minimum, a maximum and a reason (``bounds``), and every
value the scenarios, ``calibration/fitted_parameters.yaml`` and the ranges of ``calibration/priors*.yaml``
use validates.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from sim.inputs.parameters import Parameters
from sim.inputs.schema import Scenario

from .conftest import ROOT


def _numbers(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The numeric schemas of a property: itself, its non-null alternatives, its list items."""
    if prop.get("type") in ("number", "integer"):
        return [prop]
    found = [alt for alt in prop.get("anyOf", []) if alt.get("type") in ("number", "integer")]
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        found += _numbers(prop["items"])
    return found


def numeric_fields() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    schema = Scenario.model_json_schema()
    models = [("Scenario", schema), *schema.get("$defs", {}).items()]
    return [
        (f"{model}.{name}", prop, number)
        for model, body in models
        for name, prop in body.get("properties", {}).items()
        for number in _numbers(prop)
    ]


def test_the_schema_has_numbers_to_check():
    assert len(numeric_fields()) > 100


@pytest.mark.parametrize(
    ("field", "prop", "number"), numeric_fields(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_number_has_a_finite_explained_range(field, prop, number):
    assert "minimum" in number or "exclusiveMinimum" in number, field
    assert "maximum" in number or "exclusiveMaximum" in number, field
    assert "bounds" in number or "bounds" in prop, f"{field}: the schema must say why the range is what it is"


def test_no_number_accepts_infinity_or_nan():
    from sim.inputs.fields import Strict

    assert Strict.model_config["allow_inf_nan"] is False


def prior_values() -> list[tuple[str, str, float]]:
    out = []
    for path in sorted((ROOT / "calibration").glob("priors*.yaml")):
        for prior in yaml.safe_load(path.read_text()).get("priors") or []:
            out += [(path.name, prior["name"], prior["low"]), (path.name, prior["name"], prior["high"])]
    return out


@pytest.mark.parametrize(("file", "name", "value"), prior_values())
def test_every_prior_range_is_inside_the_bounds(file, name, value):
    group, param = name.split(".")
    Parameters.model_validate({group: {param: value}})


def test_the_fitted_parameters_are_inside_the_bounds():
    fitted = yaml.safe_load((ROOT / "calibration" / "fitted_parameters.yaml").read_text())["parameters"]
    Parameters.model_validate(fitted)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_scenario_is_inside_the_bounds(path):
    from sim.inputs.loader import load_scenario

    load_scenario(path)
