"""Bad input: one line on stderr naming the file, the field and the problem; exit code 2; no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.cli import main

from .conftest import BASELINE, ROOT


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *must: str) -> None:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for m in must:
        assert m in lines[0], (m, lines[0])


def child(write, body: str, name: str = "child.yaml"):
    return write(name, f"extends: {BASELINE}\n{body}")


def test_baseline_is_valid(capsys):
    code, out, err = run_cli(capsys, "validate", str(BASELINE))
    assert code == 0, err
    assert "valid" in out


def test_every_scenario_file_is_valid(capsys):
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        code, _, err = run_cli(capsys, "validate", str(path))
        assert code == 0, (path, err)


def test_broken_yaml(capsys, write):
    p = write("broken.yaml", "name: x\nfactions: {a: [1, 2\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "broken.yaml", "broken YAML", "line")


def test_wrong_type(capsys, write):
    p = child(write, "civilians: {cohort_size: many}\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "civilians.cohort_size", "integer")


def test_unknown_key(capsys, write):
    p = child(write, "parameters: {combat: {kill_rat: 0.1}}\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "parameters.combat.kill_rat", "unknown key")


def test_unknown_top_level_key(capsys, write):
    p = child(write, "weather: sunny\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "weather", "unknown key")


def test_missing_file(capsys, tmp_path):
    code, _, err = run_cli(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert_one_line_error(err, "nope.yaml", "not found")


def test_missing_parent(capsys, write):
    p = write("orphan.yaml", "extends: nowhere.yaml\nname: x\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "orphan.yaml", "extends", "nowhere.yaml")


def test_extends_loop(capsys, write):
    write("a.yaml", "extends: b.yaml\nname: a\n")
    b = write("b.yaml", "extends: a.yaml\nname: b\n")
    code, _, err = run_cli(capsys, "validate", str(b))
    assert code == 2
    assert_one_line_error(err, "extends", "loop")


def test_date_outside_period(capsys, write):
    p = child(write, "events: {moscow_ceasefire: {start: 2021-03-06}}\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "events.moscow_ceasefire.start", "outside the scenario period")


def test_order_date_outside_period_blames_the_file_that_wrote_it(capsys, write):
    p = child(write, "end: 2020-02-01\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    # the order is written in the parent, the period in the child: the message names the field
    assert_one_line_error(err, "orders.", "outside the scenario period")


def test_not_a_date(capsys, write):
    p = child(write, "start: yesterday\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "start", "date")


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ("objective: Maarat al-Numan", "orders.0.objective"),
        # a waypoint: the error names the order and its place in the route
        ("objective: Saraqib, via: [Ariha, Nowhere]", "orders.0.via.1"),
    ],
)
def test_unknown_settlement_in_an_order(capsys, write, place, field):
    p = child(
        write,
        f"orders:\n  - {{faction: government, axis: x, start: 2020-01-01, end: 2020-01-05, {place}}}\n",
    )
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, field, "unknown settlement")


def test_unknown_event_kind(capsys, write):
    p = child(write, "events: {x: {kind: earthquake, start: 2020-01-01}}\n")
    code, _, err = run_cli(capsys, "validate", str(p))
    assert code == 2
    assert_one_line_error(err, "child.yaml", "events.x")


def test_set_override_applies_and_is_checked(capsys):
    code, _, err = run_cli(
        capsys, "validate", str(BASELINE), "--set", "events.moscow_ceasefire.start=2020-02-05"
    )
    assert code == 0, err
    code, _, err = run_cli(capsys, "validate", str(BASELINE), "--set", "civilians.cohort_size=-3")
    assert code == 2
    assert_one_line_error(err, "--set", "civilians.cohort_size")
    code, _, err = run_cli(capsys, "validate", str(BASELINE), "--set", "nonsense")
    assert code == 2
    assert_one_line_error(err, "--set", "KEY=VALUE")


def test_null_removes_an_event(baseline, write):
    from sim.inputs.loader import load_scenario

    p = child(write, "events: {spring_shield: null}\n")
    sc = load_scenario(p).scenario
    assert "spring_shield" not in sc.events
    assert "spring_shield" in baseline.scenario.events


def test_extends_merges_mappings_and_replaces_lists(write):
    from sim.inputs.loader import load_scenario

    p = child(write, "name: variant\ncivilians: {cohort_size: 500}\n")
    sc = load_scenario(p).scenario
    assert sc.name == "variant"
    assert sc.civilians.cohort_size == 500
    assert sc.civilians.safe_controllers == ["opposition", "turkey"]  # kept from the parent


def test_module_entry_point_exit_code(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, "bad.yaml")


@pytest.mark.parametrize("argv", [["run", "missing.yaml"], ["map", "missing.yaml", "--out", "x"]])
def test_other_commands_report_bad_input_too(capsys, argv, tmp_path):
    argv = [a if a != "x" else str(tmp_path / "x") for a in argv]
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert_one_line_error(err, "missing.yaml")
    assert not (tmp_path / "x").exists()


def test_calibrate_resume_without_database_is_a_clear_error(capsys, tmp_path):
    pytest.importorskip("pyabc")
    pytest.importorskip("SALib")
    code, _, err = run_cli(capsys, "calibrate", "--resume", "--out", str(tmp_path / "runs"))
    assert code == 2
    assert_one_line_error(err, "abc.db", "--resume", "no ABC database")
    assert not (tmp_path / "runs").exists()


def test_input_error_survives_pickling():
    """Ensemble and calibration workers raise InputError in a child process; it must reach the parent."""
    import pickle

    from sim.inputs.errors import InputError

    err = pickle.loads(pickle.dumps(InputError("a.yaml", "parameters.x", "unknown key")))
    assert isinstance(err, InputError)
    assert (err.file, err.field, err.problem) == ("a.yaml", "parameters.x", "unknown key")
    assert str(err) == "a.yaml: parameters.x: unknown key"


@pytest.mark.parametrize("event", ["turkish_fire_nayrab", "winter_weather", "spring_shield", "saraqib_posts"])
def test_an_events_field_error_names_the_field_and_blames_the_set(capsys, event):
    """Every event kind's tag is dropped from the field path (fire_support's once was not: the path read
    'events.turkish_fire_nayrab.fire_support.bogus' and the baseline file was blamed for a --set)."""
    code, _, err = run_cli(capsys, "validate", str(BASELINE), "--set", f"events.{event}.bogus=1")
    assert code == 2
    assert_one_line_error(err, f"--set: events.{event}.bogus: unknown key")
