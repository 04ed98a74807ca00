"""Start states and runs: a scenario's ``initial_state`` made into its first day, and a run's state on a
day written as the files ``initial_state`` reads (``idlib-sim state``).

``build`` is how every run starts (``sim.runs.runner.build_model`` calls it): the map, then, when the
scenario has ``initial_state``, another scenario's run to the end of a day (``from_run``: its own parameters,
orders and events, the seed it names), then the control and population files over it. A run is a
deterministic function of its scenario and seed, so the state of a day is too: the same ``from_run`` gives
the same start, and ``idlib-sim state`` re-makes a run from its ``config.yaml`` to write the state of any of
its days. What carries over from a run is control and people by community; forces come from the starting
scenario's own order of battle.

A run's people by community on a day (``state_of``): those at each community at the end of the day, with
those still on the road counted where they are going, and of them ``displaced`` those not at home (with
hosts, in camps, in unfinished buildings, in the open air, on the road). Where the run models no one (the
civilians are the people of the communities held by ``civilians.safe_controllers`` on its first day), the
community keeps the people it had on that first day, unmodelled, as the map's populations are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.civilians import Shelter
from sim.files import atomic_write_csv
from sim.inputs.arguments import check_int, check_output
from sim.inputs.errors import InputError, shorten
from sim.inputs.geography import Theatre, load_map
from sim.inputs.loader import LoadedScenario, load_scenario
from sim.inputs.schema import Scenario
from sim.inputs.start import StartState, read_start_files
from sim.version import __version__
from sim.wargame.model import IdlibModel

CONTROL_FILE = "control.csv"
POPULATION_FILE = "population.csv"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def start_files_sha256(loaded: LoadedScenario) -> dict[str, str]:
    """The SHA-256 of each file ``initial_state`` names (the control and population files, the scenario
    ``from_run`` runs), recorded in ``config.yaml`` beside the map's."""
    spec = loaded.scenario.initial_state
    if spec is None:
        return {}
    files = {"control": spec.control, "population": spec.population}
    if spec.from_run is not None:
        files["from_run"] = spec.from_run.scenario
    return {k: file_sha256(Path(v)) for k, v in files.items() if v is not None}


def build(loaded: LoadedScenario, seed: int, civilians: bool = True) -> IdlibModel:
    """The model on its first day: the map's, or the scenario's start state."""
    seed = check_int(seed, "seed")
    theatre = load_map(loaded.map_path)
    start = start_state(loaded, theatre)
    return IdlibModel(loaded.scenario, theatre, civilians=civilians, rng=seed, start=start)


def start_state(loaded: LoadedScenario, theatre: Theatre) -> StartState | None:
    """The first day ``initial_state`` describes (None without one): the map, else the run of
    ``from_run``, with the files' communities over it."""
    spec = loaded.scenario.initial_state
    if spec is None:
        return None
    state = StartState.of_map(theatre)
    if spec.from_run is not None:
        source = load_scenario(spec.from_run.scenario, from_runs=(loaded.path,))
        state = state_of(run_to(source, spec.from_run.seed, spec.from_run.day))
    control, population = read_start_files(
        spec, theatre, list(loaded.scenario.factions), lambda field: str(loaded.path)
    )
    return state.overlay(control, population)


def run_to(loaded: LoadedScenario, seed: int, day: dt.date) -> IdlibModel:
    """The run of ``loaded`` with ``seed`` (civilians and all, as ``idlib-sim run`` makes it), stopped at
    the end of ``day``."""
    sc = loaded.scenario
    if not sc.start <= day <= sc.end:
        raise InputError("--day", "", f"{day} is outside the run's period ({sc.start} to {sc.end})")
    model = build(loaded, seed)
    while model.running and model.date <= day:
        model.step()
    return model


def state_of(model: IdlibModel) -> StartState:
    """Control and people by community at the end of the model's last day (see the module's docstring)."""
    t = model.theatre
    controller = [model.factions[int(c)].fid for c in model.battlefield.controller]
    civ = model.civilians
    if civ is None:
        raise ValueError("a run's state needs its civilians (run_to builds the run with them)")
    present = np.bincount(civ.loc, weights=civ.size, minlength=t.n)
    away = civ.shelter != Shelter.HOME
    displaced = np.bincount(civ.loc[away], weights=civ.size[away], minlength=t.n)
    unmodelled = civ.pop0 == 0  # its first-day people were not made agents (or it had none)
    present += np.where(unmodelled, t.population, 0.0)
    displaced += np.where(unmodelled, np.minimum(t.camp_capacity, t.population), 0.0)
    return StartState(controller, np.rint(present), np.rint(displaced))


def state_tables(state: StartState, theatre: Theatre, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The control and population files of ``state``, every community in map order, each row citing
    ``source``: exactly what ``initial_state.control`` and ``initial_state.population`` read."""
    names = list(theatre.names)
    control = pd.DataFrame(
        {"pcode": theatre.pcode, "name": names, "controller": state.controller, "source": source}
    )
    population = pd.DataFrame(
        {
            "pcode": theatre.pcode,
            "name": names,
            "present": state.present.astype(np.int64),
            "displaced": state.displaced.astype(np.int64),
            "source": source,
        }
    )
    return control, population


def run_source(loaded: LoadedScenario, seed: int, day: dt.date) -> str:
    """The ``source`` of an exported state's rows: which run, which day, which version made it."""
    sc = loaded.scenario
    return f"idlib-sim {__version__} run of {sc.name} ({loaded.path.name}), seed {seed}: end of {day}"


def write_state(loaded: LoadedScenario, seed: int, day: dt.date, out: Path) -> tuple[Path, Path]:
    """Run ``loaded`` with ``seed`` to the end of ``day`` and write its state as ``out/control.csv`` and
    ``out/population.csv``."""
    model = run_to(loaded, seed, day)
    control, population = state_tables(state_of(model), model.theatre, run_source(loaded, seed, day))
    paths = (out / CONTROL_FILE, out / POPULATION_FILE)
    atomic_write_csv(control, paths[0])
    atomic_write_csv(population, paths[1])
    return paths


def run_directory(directory: Path) -> tuple[LoadedScenario, int]:
    """The scenario and seed of a run directory, from its ``config.yaml`` (the resolved scenario), refusing
    a run whose map has changed since (its state could not be re-made)."""
    config = directory / "config.yaml"
    if not config.is_file():
        raise InputError(shorten(str(directory), 200), "", "no config.yaml: not a run directory")
    try:
        cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
        data = cfg["scenario"]
        loaded = LoadedScenario(
            Scenario.model_validate(data), Path(cfg["scenario_file"]), data, Path(data["map"])
        )
        seed = check_int(cfg["seed"], "seed")
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise InputError(config, "", f"not a run's config.yaml: {shorten(str(exc), 120)}") from None
    if not loaded.map_path.is_file() or file_sha256(loaded.map_path) != cfg.get("map_sha256"):
        raise InputError(config, "map_sha256", f"the map {loaded.map_path} has changed since the run")
    return loaded, seed


def cmd_state(args: argparse.Namespace) -> int:
    try:
        day = dt.date.fromisoformat(args.day)
    except ValueError:
        raise InputError(
            "--day", "", f"expected a date (YYYY-MM-DD), found {shorten(repr(args.day), 40)}"
        ) from None
    out = check_output(args.out)
    loaded, seed = run_directory(args.directory)
    control, population = write_state(loaded, seed, day, out)
    print(f"state of {loaded.scenario.name} seed {seed} at the end of {day} -> {control}, {population}")
    return 0
