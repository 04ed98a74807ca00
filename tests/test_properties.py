"""Property-based tests (hypothesis): what validates runs, what does not gets a clean error, and the model's
invariants hold over random parameters, scenario numbers and seeds.

* Scenario mutations (tests/fuzzing.py: odd values, unknown keys, renamed factions, malformed documents,
  through a derived file, ``--set`` or a standalone copy): either ``validate`` accepts and the run completes
  with its invariants, or it exits 2 with one line blaming the file or ``--set`` that made the change.
* Any parameters inside the schema's bounds (drawn from the bounds themselves, so the extremes are tried)
  and any seed: the run completes, and conservation, no negative strength or population, territory adding
  up to the map and captures consistent with control all hold; on the synthetic line theatre and on the
  real map.

Examples are few and scenarios short, to keep CI to about a minute; ``python -m tests.fuzz_inputs`` runs
many more mutations and prints a tally.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import annotated_types as at
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.inputs.parameters import Parameters
from sim.runs.runner import population_table
from sim.wargame.model import IdlibModel

from . import fuzzing
from .synthetic import line_theatre, scenario

# CI: few examples, the same every time; IDLIB_PROPERTY_EXAMPLES=500 explores (random, more examples)
EXPLORE = int(os.environ.get("IDLIB_PROPERTY_EXAMPLES", "0"))
SETTINGS = settings(
    max_examples=EXPLORE or 25,
    deadline=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.too_slow],
)
MAP_SETTINGS = settings(SETTINGS, max_examples=EXPLORE or 12)


def bounded(info: Any) -> st.SearchStrategy:
    """Values of a schema field within its bounds (the bounds themselves included)."""
    if info.annotation is bool:
        return st.booleans()
    lo = hi = None
    lo_open = hi_open = False
    for c in info.metadata:
        if isinstance(c, at.Ge):
            lo = c.ge
        elif isinstance(c, at.Gt):
            lo, lo_open = c.gt, True
        elif isinstance(c, at.Le):
            hi = c.le
        elif isinstance(c, at.Lt):
            hi, hi_open = c.lt, True
    assert lo is not None and hi is not None, info
    if info.annotation is int:
        return st.integers(int(lo) + lo_open, int(hi) - hi_open)
    return st.floats(lo, hi, exclude_min=lo_open, exclude_max=hi_open, allow_nan=False)


def parameters() -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    """Every mechanism parameter: its default, or any value within its bounds."""
    groups = {}
    for group, ginfo in Parameters.model_fields.items():
        model = ginfo.annotation
        groups[group] = st.fixed_dictionaries(
            {
                name: st.one_of(st.just(info.default), bounded(info))
                for name, info in model.model_fields.items()
            }
        )
    return st.fixed_dictionaries(groups)


def scalar(value: Any) -> str:
    """``value`` as YAML for ``--set`` (``1e-05`` from ``str`` would be read as a string)."""
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def result_of(model: IdlibModel) -> SimpleNamespace:
    captures = pd.DataFrame(
        model.captures, columns=["date", "settlement", "from_controller", "to_controller"]
    )
    return SimpleNamespace(
        model=model, daily=pd.DataFrame(model.daily), population=population_table(model), captures=captures
    )


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_a_mutated_scenario_runs_or_gets_a_clean_error(rng: random.Random):
    base = BASE_DATA
    m = fuzzing.make_mutation(rng, base, NAMES)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = fuzzing.check_mutation(m, base, Path(tmp), seed=rng.randrange(2**32))
    assert outcome.kind in fuzzing.OUTCOMES[:2], (m.what, m.channel, outcome.kind, outcome.detail)


@SETTINGS
@given(parameters(), st.integers(0, 2**63 - 1), st.integers(1, 5_000), st.booleans())
def test_invariants_over_any_parameters_on_the_line(params, seed, cohort, civilians):
    sc = scenario(parameters=params, civilians={"cohort_size": cohort})
    model = IdlibModel(sc, line_theatre(), civilians=civilians, rng=seed)
    model.run()
    assert fuzzing.invariants(result_of(model)) == []


NUMBERS = {  # scenario numbers of the base, varied within their bounds on the real map
    "factions.government.replacements_per_day": st.floats(0, 1_000),
    "factions.government.air_scale": st.floats(0, 10),
    "factions.opposition.support": st.floats(0, 1),
    "formations.0.strength": st.integers(1, 100_000),
    "formations.0.quality": st.floats(0.05, 5),
    "formations.2.morale": st.floats(0, 1),
    "events.push.sorties_per_day": st.floats(0, 1_000),
    "events.spring.strikes_per_day": st.floats(0, 1_000),
    "events.truce.compliance": st.floats(0, 1),
    "events.truce.corridor.half_width_km": st.floats(0.01, 50),
    "events.posts.strength_each": st.integers(1, 100_000),
    "civilians.cohort_size": st.integers(500, 100_000),
}


@MAP_SETTINGS
@given(
    parameters(),
    st.fixed_dictionaries({k: st.one_of(st.none(), v) for k, v in NUMBERS.items()}),
    st.integers(0, 2**32),
)
def test_invariants_over_any_numbers_on_the_map(params, numbers, seed):
    from sim.inputs.loader import load_scenario
    from sim.runs.runner import simulate

    sets = [f"{k}={scalar(v)}" for k, v in numbers.items() if v is not None]
    sets += [
        f"parameters.{g}.{name}={scalar(v)}" for g, values in params.items() for name, v in values.items()
    ]
    loaded = load_scenario(fuzzing.BASE, sets)
    model = simulate(loaded, seed, progress=False)
    assert fuzzing.invariants(result_of(model)) == []


BASE_DATA: dict[str, Any] = {}
NAMES: list[str] = []


@pytest.fixture(autouse=True, scope="module")
def _base() -> None:
    from sim.inputs.geography import load_map

    BASE_DATA.update(fuzzing.base_data())
    NAMES[:] = load_map(BASE_DATA["map"]).names
