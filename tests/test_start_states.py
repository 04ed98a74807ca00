"""Start states: a scenario starting from a control file, a population file or another scenario's run on a
day (``initial_state:``), and a run's state written as those files (``idlib-sim state``).

All on the small test scenario (tests/data/mini.yaml, three weeks on the village map): its continuation
starts on 25 Dec 2019 from the state of its own run at the end of 24 Dec.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.inputs.errors import InputError
from sim.inputs.loader import load_scenario
from sim.runs.runner import build_model, collect, run_scenario
from sim.runs.start import state_of, write_state

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini.yaml"
DAY = dt.date(2019, 12, 24)  # the continuation starts the day after
# the continuation: mini's last eleven days, its order and air campaign moved to its first day
CONTINUATION = f"""extends: {MINI}
name: mini_cont
start: 2019-12-25
orders:
  - {{faction: government, axis: test, start: 2019-12-25, end: 2020-01-04, objective: "Ma'arrat al-Nu'man",
     road: auto, formations: [g1, g2]}}
events:
  push: {{start: 2019-12-25}}
outputs: {{map_dates: [2020-01-04]}}
"""


def scenario(write, initial_state: str, name: str = "cont.yaml"):
    return write(name, CONTINUATION + "initial_state:\n" + initial_state)


def csv(write, name: str, *lines: str):
    return write(name, "\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """mini's run with seed 1 written as a run directory, and its state at the end of DAY as the files."""
    out = tmp_path_factory.mktemp("start")
    run_scenario(MINI, seed=1, out=out / "run", figures=False, progress=False)
    write_state(load_scenario(MINI), 1, DAY, out / "state")
    return out


# ------------------------------------------------------------------ control and population files


def test_control_file_sets_the_first_days_controllers(write, theatre):
    maarat, kafr_nabl = theatre.id("Ma'arrat al-Nu'man"), theatre.id("Kafr Nabl")
    control = csv(
        write,
        "control.csv",
        "pcode,name,controller,source",
        f"{theatre.pcode[maarat]},,government,test: by P-code",
        ",Kafr Nabl,turkey,test: by name",
    )
    model = build_model(load_scenario(scenario(write, f"  control: {control.name}\n")), 1, civilians=False)
    bf = model.battlefield
    fid = [f.fid for f in model.factions]
    expected = list(theatre.controller0)
    expected[maarat], expected[kafr_nabl] = "government", "turkey"
    assert [fid[c] for c in bf.controller] == expected
    assert (bf.initial_controller == bf.controller).all()  # communities_changed counts from the start state
    # the opposition formation standing in Ma'arrat al-Nu'man starts on its own side's ground
    o1 = model.formation_by_spec["o1"]
    assert o1.node != maarat and fid[bf.controller[o1.node]] in ("opposition", "turkey")
    model.step()  # supply, fronts and every phase run from the new controllers
    assert model.daily[0]["communities_changed_turkey"] == 0 or bf.controller[kafr_nabl] != fid.index(
        "turkey"
    )


def test_population_file_sets_the_people_present_and_they_are_conserved(write, theatre):
    saraqib, atmeh = theatre.id("Saraqib"), theatre.id("Atmeh")
    population = csv(
        write,
        "people.csv",
        "name,present,displaced,source",
        "Saraqib,1234,0,test: a town half emptied",
        "Atmeh,500000,400000,test: the camps of 2023",
    )
    loaded = load_scenario(scenario(write, f"  population: {population.name}\n"))
    model = build_model(loaded, 1)
    civ = model.civilians
    present = civ.present()
    assert present[saraqib] == 1234 and present[atmeh] == 500_000
    # the displaced start as the map's camp residents do: in the camps, not counted as displaced by the run
    assert civ.camp_capacity[atmeh] == 400_000 and civ.displaced_present()[atmeh] == 0
    safe = np.isin(model.battlefield.controller, model.safe_codes)
    assert civ.initial_total == int(np.round(model.theatre.population).astype(np.int64)[safe].sum())
    others = np.setdiff1d(np.flatnonzero(safe), [saraqib, atmeh])
    assert (present[others] == np.round(theatre.population[others])).all()  # unlisted: the map's people
    model.run()
    assert civ.alive() + civ.killed == civ.initial_total
    assert civ.present().sum() + (civ.size * (civ.transit > 0)).sum() == civ.alive()


# ------------------------------------------------------------------ from a run, and the round trip


def test_exported_control_is_the_runs_control_on_that_day(exported, theatre):
    run = pd.read_csv(exported / "run" / "population.csv")
    on_day = run[run["date"] == DAY.isoformat()]
    control = pd.read_csv(exported / "state" / "control.csv", keep_default_na=False)
    assert list(control["name"]) == list(on_day["settlement"]) == theatre.names
    assert list(control["controller"]) == list(on_day["controller"])
    assert control["source"].str.contains("mini").all() and control["source"].str.contains("seed 1").all()
    people = pd.read_csv(exported / "state" / "population.csv", keep_default_na=False)
    assert (people["displaced"] <= people["present"]).all()


def test_from_run_equals_the_exported_state_read_back(exported, write):
    from_run = build_model(
        load_scenario(scenario(write, f"  from_run: {{scenario: {MINI}, day: {DAY}, seed: 1}}\n", "a.yaml")),
        5,
    )
    state = exported / "state"
    files = scenario(write, f"  control: {state / 'control.csv'}\n  population: {state / 'population.csv'}\n")
    from_files = build_model(load_scenario(files), 5)
    run = pd.read_csv(exported / "run" / "population.csv")
    codes = {f.fid: f.code for f in from_run.factions}
    on_day = run[run["date"] == DAY.isoformat()]["controller"].map(codes).to_numpy()
    assert (from_run.battlefield.controller == on_day).all()  # the round trip: the run's control on DAY
    assert (from_files.battlefield.controller == from_run.battlefield.controller).all()
    assert (from_files.theatre.population == from_run.theatre.population).all()
    assert (from_files.theatre.camp_capacity == from_run.theatre.camp_capacity).all()
    assert (from_files.civilians.present() == from_run.civilians.present()).all()
    # and the same start, scenario and seed make the same run
    from_run.run()
    from_files.run()
    assert pd.DataFrame(from_run.daily).equals(pd.DataFrame(from_files.daily))
    assert from_run.captures == from_files.captures


def test_from_run_is_deterministic_and_carries_the_runs_people(write):
    loaded = load_scenario(scenario(write, f"  from_run: {{scenario: {MINI}, day: {DAY}, seed: 1}}\n"))
    a, b = build_model(loaded, 2), build_model(loaded, 2)
    assert (a.battlefield.controller == b.battlefield.controller).all()
    assert (a.theatre.population == b.theatre.population).all()
    source = build_model(load_scenario(MINI), 1)
    while source.date <= DAY:
        source.step()
    state = state_of(source)
    assert (a.theatre.population == state.present).all()
    # the people of the run on that day are all there (the unmodelled communities keep their first day)
    modelled = source.civilians.pop0 > 0
    assert state.present[modelled].sum() == source.civilians.alive()
    a.run()
    b.run()
    ra, rb = collect(a, loaded, 2), collect(b, loaded, 2)
    assert ra.daily.equals(rb.daily) and ra.population.equals(rb.population)
    assert ra.config["initial_state_sha256"]["from_run"] == rb.config["initial_state_sha256"]["from_run"]


def test_idlib_sim_state_writes_the_files(exported, tmp_path, capsys):
    code = main(["state", str(exported / "run"), "--day", str(DAY), "--out", str(tmp_path / "s")])
    assert code == 0, capsys.readouterr().err
    for name in ("control.csv", "population.csv"):
        assert (tmp_path / "s" / name).read_text() == (exported / "state" / name).read_text()
    assert main(["state", str(exported / "run"), "--day", "2020-02-30", "--out", str(tmp_path)]) == 2
    assert main(["state", str(exported / "run"), "--day", "2019-12-01", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "--day" in err[0] and "outside the run's period" in err[1]


def test_paths_resolve_against_the_file_that_wrote_them_and_set_works(write, tmp_path, monkeypatch):
    csv(write, "control.csv", "name,controller,source", "Saraqib,government,test")
    (tmp_path / "sub").mkdir()
    parent = scenario(write, "  control: control.csv\n", "parent.yaml")
    child = tmp_path / "sub" / "child.yaml"
    child.write_text(f"extends: ../{parent.name}\n")
    assert load_scenario(child).scenario.initial_state.control == str(tmp_path / "control.csv")
    monkeypatch.chdir(tmp_path / "sub")
    other = csv(write, "other.csv", "name,controller,source", "Saraqib,sdf,test")
    loaded = load_scenario(child, ["initial_state.control=../other.csv"])  # relative to the current folder
    assert loaded.scenario.initial_state.control == str(tmp_path / "other.csv")
    m = build_model(loaded, 1, civilians=False)
    assert m.factions[m.battlefield.controller[m.theatre.id("Saraqib")]].fid == "sdf"
    assert other.exists()


# ------------------------------------------------------------------ bad files: one line each

HEAD = "pcode,name,controller,source"
BAD_CONTROL = {
    "unknown P-code": ([HEAD, "C0,,government,x"], "line 2, pcode", "unknown P-code 'C0'"),
    "unknown name": ([HEAD, ",Saraqbi,government,x"], "line 2, name", "'Saraqbi' (did you mean"),
    "no community": ([HEAD, ",,government,x"], "line 2", "names no community"),
    "name and P-code disagree": ([HEAD, "{kafr_nabl},Saraqib,government,x"], "line 2, name", "P-code"),
    "unknown faction": ([HEAD, ",Saraqib,russia,x"], "line 2, controller", "unknown faction 'russia'"),
    "empty source": ([HEAD, ",Saraqib,government,"], "line 2, source", "say where this row comes from"),
    "no source column": (["name,controller", "Saraqib,government"], "line 1", "missing column 'source'"),
    "no community column": (
        ["controller,source", "government,x"],
        "line 1",
        "missing column 'pcode or name'",
    ),
    "unknown column": (["name,controller,source,note", "Saraqib,government,x,y"], "line 1", "column 'note'"),
    "duplicate": ([HEAD, ",Saraqib,government,x", "{saraqib},,opposition,y"], "line 3", "listed twice"),
    "short row": ([HEAD, ",Saraqib,government"], "line 2", "3 fields, the header has 4"),
    "empty file": ([""], "control.csv", "empty"),
}
PEOPLE = "name,present,displaced,source"
BAD_POPULATION = {
    "negative": ([PEOPLE, "Saraqib,-5,0,x"], "line 2, present", "from 0 to"),
    "not a number": ([PEOPLE, 'Saraqib,"1,234",0,x'], "line 2, present", "expected a number of people"),
    "nan": ([PEOPLE, "Saraqib,nan,0,x"], "line 2, present", "from 0 to"),
    "infinite": ([PEOPLE, "Saraqib,inf,0,x"], "line 2, present", "from 0 to"),
    "more displaced than present": ([PEOPLE, "Saraqib,10,20,x"], "line 2, displaced", "more than are there"),
    "no source": (["name,present", "Saraqib,10"], "line 1", "missing column 'source'"),
    "duplicate by alias": ([PEOPLE, "Saraqib,1,0,x", "saraqib,2,0,y"], "line 3", "listed twice"),
}


def _one_line(exc: InputError, *must: str) -> None:
    line = str(exc)
    assert "\n" not in line
    for m in must:
        assert m in line, (m, line)


@pytest.mark.parametrize("case", list(BAD_CONTROL))
def test_a_bad_control_file_is_one_line_naming_file_line_and_column(case, write, theatre):
    lines, field, problem = BAD_CONTROL[case]
    codes = {
        "kafr_nabl": theatre.pcode[theatre.id("Kafr Nabl")],
        "saraqib": theatre.pcode[theatre.id("Saraqib")],
    }
    csv(write, "control.csv", *(x.format(**codes) for x in lines))
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(write, "  control: control.csv\n"))
    assert exc.value.file.endswith("control.csv")
    _one_line(exc.value, field, problem)


@pytest.mark.parametrize("case", list(BAD_POPULATION))
def test_a_bad_population_file_is_one_line_naming_file_line_and_column(case, write):
    lines, field, problem = BAD_POPULATION[case]
    csv(write, "people.csv", *lines)
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(write, "  population: people.csv\n"))
    assert exc.value.file.endswith("people.csv")
    _one_line(exc.value, field, problem)


def test_a_missing_file_blames_the_scenario_that_names_it(write):
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(write, "  population: nowhere.csv\n"))
    assert exc.value.file.endswith("cont.yaml")
    _one_line(exc.value, "initial_state.population", "file not found")


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ("{scenario: nowhere.yaml, day: 2019-12-24, seed: 1}", "from_run.scenario", "file not found"),
        ("{scenario: cont.yaml, day: 2019-12-24, seed: 1}", "from_run.scenario", "from_run loop"),
        (f"{{scenario: {MINI}, day: 2020-02-01, seed: 1}}", "from_run.day", "outside the period"),
        (f"{{scenario: {MINI}, day: 2019-12-24, seed: -1}}", "from_run.seed", "greater than or equal to 0"),
        (f"{{scenario: {MINI}, day: 2019-12-24}}", "from_run.seed", "required"),
    ],
)
def test_a_bad_from_run_is_one_line(write, body, field, problem):
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(write, f"  from_run: {body}\n"))
    assert exc.value.file.endswith("cont.yaml")
    _one_line(exc.value, f"initial_state.{field}", problem)


def test_from_run_needs_every_faction_of_the_other_scenario(write):
    extra = write("extra.yaml", f"extends: {MINI}\nfactions: {{russia: {{label: R, color: red}}}}\n")
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(write, f"  from_run: {{scenario: {extra.name}, day: {DAY}, seed: 1}}\n"))
    _one_line(exc.value, "cont.yaml", "initial_state.from_run.scenario", "faction 'russia'")
