"""The house rules of the code's layout, checked: small modules, a short model class, and no faction id in
the engine (the wargame and the civilians know factions only through kinds and the scenario's roles)."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

SIM = ROOT / "sim"
MODULES = sorted(SIM.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SIM)))
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_the_model_class_module_is_short():
    assert len((SIM / "wargame" / "model.py").read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize(
    "path",
    sorted([*(SIM / "wargame").rglob("*.py"), *(SIM / "civilians").rglob("*.py")]),
    ids=lambda p: str(p.relative_to(SIM)),
)
def test_no_faction_id_in_the_engine(path):
    code = path.read_text(encoding="utf-8")
    hits = re.findall(r"[\"'](government|opposition|turkey|sdf)[\"']", code)
    assert not hits, f"{path.name} names faction ids {hits}: use kinds or the scenario's roles"
