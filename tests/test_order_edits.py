"""A derived scenario changes or drops its parent's orders by axis (``sim.inputs.order_edits``); a bad edit
is one line naming the file and the axis, exit code 2."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.inputs.errors import InputError
from sim.inputs.loader import load_scenario

from .conftest import BASELINE
from .test_scenario_errors import assert_one_line_error, child, run_cli

GHAB = "A5 al-Ghab toward Jisr al-Shughur"
JANUARY = "A1 west of Abu al-Duhur"


def _orders(path):
    return load_scenario(path, check_map=False).scenario.orders


def test_an_order_is_changed_and_another_dropped_by_axis_and_the_rest_inherited(write):
    base = _orders(BASELINE)
    p = child(write, f'orders:\n  "{JANUARY}": {{end: 2020-01-20, intensity: 0.5}}\n  "{GHAB}": null\n')
    got = _orders(p)
    assert [o.axis for o in got] == [o.axis for o in base if o.axis != GHAB]
    for o in got:
        want = next(b for b in base if b.axis == o.axis)
        if o.axis == JANUARY:
            assert (o.end, o.intensity) == (dt.date(2020, 1, 20), 0.5)
            assert o.model_dump(exclude={"end", "intensity"}) == want.model_dump(exclude={"end", "intensity"})
        else:
            assert o == want


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ('orders:\n  "Nowhere": {end: 2020-01-20}\n', "orders.Nowhere", "no order of the parent"),
        (f'orders:\n  "{JANUARY}": soon\n', f"orders.{JANUARY}", "found str"),
        (f'orders:\n  "{JANUARY}": {{end: 2020-01-01}}\n', "orders.1.end", "before it starts"),
    ],
)
def test_a_bad_edit_is_one_line_naming_the_derived_file(capsys, write, body, field, problem):
    p = child(write, body)
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", field, problem)


def test_edits_need_a_parent(write):
    p = write("alone.yaml", f'name: x\norders:\n  "{GHAB}": null\n')
    with pytest.raises(InputError, match="needs a parent scenario"):
        load_scenario(p, check_map=False)


def test_an_inherited_error_behind_a_dropped_order_is_still_the_parent_s(capsys, write):
    """Dropping an order renumbers the ones after it: an error in one of them names the parent file and its
    new place in the list."""
    text = BASELINE.read_text()
    bad = text.replace("formations: [tip, hts_ghab]", "formations: [nobody]")
    assert bad != text
    bad = bad.replace("../calibration/", f"{BASELINE.parent.parent}/calibration/")
    parent = write("parent.yaml", bad.replace("map: maps/", f"map: {BASELINE.parent}/maps/"))
    p = write("child.yaml", f'extends: {parent}\norders:\n  "{GHAB}": null\n')
    n = len(_orders(BASELINE))
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "parent.yaml", f"orders.{n - 2}.formations.0")


def test_a_changed_field_behind_a_dropped_order_is_the_derived_file_s(capsys, write):
    """The changed field keeps its blame through the renumbering: the error names the derived file and the
    order's new place (without the renumbering it would blame the baseline)."""
    n = len(_orders(BASELINE))
    body = f'orders:\n  "{GHAB}": null\n  "al-Ghab counter-attack": {{end: 2020-02-01}}\n'
    code, _, err = run_cli(capsys, "validate", str(child(write, body)))
    assert code == 2
    assert_one_line_error(err, "child.yaml", f"orders.{n - 2}.end", "before it starts")
