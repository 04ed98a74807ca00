"""Issue 23's classes of bad input, one case each: one line naming the right file (or ``--set``), the field
and the problem; exit code 2; no traceback.

Each case was a traceback, a crash after validation, a wrong blame or a silent acceptance before; they are
kept here as fast regression tests (the property suite, tests/test_properties.py, explores around them).
"""

from __future__ import annotations

import pytest

from sim.cli import main

from .conftest import BASELINE
from .test_scenario_errors import assert_one_line_error


def validate(capsys, *argv: str) -> tuple[int, str]:
    code = main(["validate", *argv])
    return code, capsys.readouterr().err


# (body of child.yaml, which extends the baseline; what the error line must contain)
CHILD_CASES = {
    "impossible date": ("start: 2020-02-30\n", ["child.yaml", "line 2", "not a real date"]),
    "date as a number": ("start: 0\n", ["child.yaml", "start", "expected a date"]),
    "date far away": ("end: 9999-12-31\n", ["child.yaml", "end", "outside"]),
    "period too long": ("start: 2012-01-01\n", ["child.yaml", "end", "longer than"]),
    "parameters a number": ("parameters: 1.5\n", ["child.yaml", "parameters", "expected a mapping"]),
    "parameters a list": ("parameters: [1]\n", ["child.yaml", "parameters", "expected a mapping"]),
    "parameters true": ("parameters: true\n", ["child.yaml", "parameters", "expected a mapping"]),
    "duplicate key": ("name: a\nname: b\n", ["child.yaml", "line 2", "duplicate key 'name'"]),
    "infinite replacements": (
        "factions: {government: {replacements_per_day: .inf}}\n",
        ["child.yaml", "factions.government.replacements_per_day", "finite"],
    ),
    "nan air scale": ("factions: {government: {air_scale: .nan}}\n", ["child.yaml", "air_scale", "finite"]),
    "huge quality": (
        "formations: [{id: a, name: A, faction: government, group: SAA, strength: 10, quality: 1.0e+300, "
        "location: Hama}]\n",
        ["child.yaml", "formations.0.quality", "less than or equal"],
    ),
    "huge strength": (
        "formations: [{id: a, name: A, faction: government, group: SAA, location: Hama, strength: "
        + "1"
        + "0" * 29
        + "}]\n",
        ["child.yaml", "formations.0.strength", "less than or equal"],
    ),
    "huge sorties": (
        "events: {air_main: {sorties_per_day: 1.0e+300}}\n",
        ["child.yaml", "events.air_main.sorties_per_day", "less than or equal"],
    ),
    "huge strikes": (
        "events: {spring_shield: {strikes_per_day: 1.0e+300}}\n",
        ["child.yaml", "events.spring_shield.strikes_per_day"],
    ),
    "huge cohort": (
        "civilians: {cohort_size: 100000000000000000000}\n",
        ["child.yaml", "civilians.cohort_size"],
    ),
    "unknown safe controller": (
        "civilians: {safe_controllers: [martians]}\n",
        ["child.yaml", "civilians.safe_controllers.0", "unknown faction 'martians'"],
    ),
    "unprintable name": ('name: "base\\x00line"\n', ["child.yaml", "name"]),
    "name with a path": ("name: ../../etc\n", ["child.yaml", "name"]),
    "formula in a label": ('factions: {government: {label: "$\\\\frac$"}}\n', ["child.yaml", "label", "'$'"]),
    "unknown colour": ("factions: {government: {color: blurple}}\n", ["child.yaml", "color", "colour"]),
    "event kind changed": (
        "events: {spring_shield: {kind: weather}}\n",
        ["child.yaml", "events.spring_shield"],
    ),
    "unknown event kind": (
        "events: {spring_shield: {kind: earthquake}}\n",
        ["child.yaml", "events.spring_shield.kind", "unknown event kind 'earthquake'"],
    ),
    "unknown corridor road": (
        "events: {moscow_ceasefire: {corridor: {road: M9}}}\n",
        ["child.yaml", "events.moscow_ceasefire.corridor.road", "unknown road 'M9'"],
    ),
    "extends a device": ("extends: /dev/zero\n", ["/dev/zero", "device"]),
    "a set": ("orders: !!set {a}\n", ["child.yaml", "not allowed"]),
    "recursive alias": ("x: &a [*a]\n", ["child.yaml", "alias"]),
}


@pytest.mark.parametrize("case", sorted(CHILD_CASES))
def test_a_bad_derived_file_is_blamed(capsys, write, case):
    body, must = CHILD_CASES[case]
    text = body if body.startswith("extends") else f"extends: {BASELINE}\n{body}"
    code, err = validate(capsys, str(write("child.yaml", text)))
    assert code == 2, err
    assert_one_line_error(err, *must)


SET_CASES = {
    "impossible date": ("start=2020-02-30", ["--set", "start", "not a real date"]),
    "misspelt group": ("parameters.combatt.kill_rate=0.1", ["--set", "parameters.combatt", "unknown key"]),
    "new nested key": ("a.b.c=1", ["--set", ": a:", "unknown key"]),
    "inf": ("parameters.combat.kill_rate=.inf", ["--set", "kill_rate", "finite"]),
    "duplicate key in a value": ("civilians={cohort_size: 1, cohort_size: 2}", ["--set", "duplicate key"]),
    "factions replaced": (
        "factions={government: {label: G, color: red}}",
        ["--set", "factions", "unknown faction 'opposition'"],
    ),
    "a faction renamed": ("roles.guarantor=turkey2", ["--set", "roles.guarantor", "unknown faction"]),
    "long key": ("x" * 10_000 + "=1", ["--set", "…", "unknown key"]),
    "deep key": (".".join(["a"] * 100) + "=1", ["--set", "levels"]),
}


@pytest.mark.parametrize("case", sorted(SET_CASES))
def test_a_bad_set_is_blamed(capsys, case):
    assignment, must = SET_CASES[case]
    code, err = validate(capsys, str(BASELINE), "--set", assignment)
    assert code == 2, err
    assert_one_line_error(err, *must)
    assert len(err) < 500


def test_a_deep_document(capsys, write):
    code, err = validate(capsys, str(write("deep.yaml", "name: " + "[" * 500 + "]" * 500 + "\n")))
    assert code == 2
    assert_one_line_error(err, "deep.yaml", "nested more than")


def test_an_alias_bomb(capsys, write):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    code, err = validate(capsys, str(write("bomb.yaml", "\n".join(lines) + "\n")))
    assert code == 2
    assert_one_line_error(err, "bomb.yaml", "alias")


def test_a_huge_file(capsys, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 2_000_000 + "\n")
    code, err = validate(capsys, str(big))
    assert code == 2
    assert_one_line_error(err, "big.yaml", "larger than")


def test_not_utf8(capsys, tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: Ma\xe2rrat\n".encode("latin-1"))
    code, err = validate(capsys, str(bad))
    assert code == 2
    assert_one_line_error(err, "latin1.yaml", "UTF-8")


def test_a_removed_faction_blames_the_scenario_not_the_map(capsys, write, tmp_path):
    """Renaming a faction consistently in a copy of the baseline validated and then failed under `run`,
    blaming the map; the map's front needs every controller it names."""
    text = BASELINE.read_text().replace("opposition", "rebels")
    text = text.replace("maps/", f"{BASELINE.parent}/maps/").replace(
        "../calibration", f"{BASELINE.parent.parent}/calibration"
    )
    code, err = validate(capsys, str(write("renamed.yaml", text)))
    assert code == 2
    assert_one_line_error(err, "renamed.yaml", "factions", "'opposition'")


def test_a_map_date_twice(capsys):
    """The fuzz found it: 100 copies of two dates validated and then drew the same two maps 50 times each."""
    code, err = validate(capsys, str(BASELINE), "--set", "outputs.map_dates=[2019-12-20, 2019-12-20]")
    assert code == 2
    assert_one_line_error(err, "--set", "outputs.map_dates.1", "twice")


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ("priors: [1, 2]\n", "priors.0", "expected a mapping"),
        ("priors: {a: 1}\n", "priors", "expected a list"),
        ("- 1\n", "priors", "expected a list"),
        ("priors: [\n", "", "broken YAML"),
        ("priors: [{name: combat.kill_rate, low: .nan, high: 0.1}]\n", "priors.0.low", "finite"),
        ("priors: [{name: combat.kill_rate, low: 0.01, high: 99}]\n", "priors.0.high", "bounds"),
        ("priors: [{name: combat.kill_rate, low: 0.05, high: 0.01}]\n", "priors.0", "low < high"),
        ("priors: [{name: nope.x, low: 0.1, high: 0.5}]\n", "priors.0.name", "unknown parameter"),
        ("priors: [{name: combat.kill_rate, lo: 0.1, high: 0.5}]\n", "priors.0", "lo"),
    ],
)
def test_a_bad_priors_file_is_one_line_naming_the_field(tmp_path, text, field, problem):
    """Before, these were tracebacks (a list of numbers, a list at the top) or were found only when the
    first simulation's ``--set`` fell outside the parameter's bounds."""
    from sim.fit.priors import load_priors
    from sim.inputs.errors import InputError

    path = tmp_path / "priors.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as exc:
        load_priors(path)
    message = str(exc.value)
    assert "\n" not in message and "priors.yaml" in message
    assert field in message and problem in message
