"""Shared fixtures: the repository's paths, the baseline scenario and map, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
MAP = SCENARIOS / "maps" / "idlib_communities.json"
TOWNS_MAP = SCENARIOS / "maps" / "northwest_syria.json"  # the 123-town map, a source of the village map


@pytest.fixture(scope="session")
def theatre():
    from sim.inputs.geography import load_map

    return load_map(MAP)


@pytest.fixture(scope="session")
def baseline():
    from sim.inputs.loader import load_scenario

    return load_scenario(BASELINE)


@pytest.fixture()
def write(tmp_path):
    """Write a YAML text to a file in tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write
