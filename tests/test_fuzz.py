"""The fuzz script's tally as a (slow) test: 300 inputs, each accepted and run with its invariants, or
rejected with one clean line blaming the right file. ``python -m pytest -m slow tests/test_fuzz.py``."""

from __future__ import annotations

import pytest

from . import fuzzing
from .fuzz_inputs import fuzz


@pytest.mark.slow
def test_fuzz_tally():
    counts = fuzz(300, seed=23)
    assert sum(counts[k] for k in fuzzing.OUTCOMES[2:]) == 0, counts
