"""Run one scenario: build the model, step it to the end, and turn its record into tables and files.

This is what ``idlib-sim run``, the ensemble workers and the Python API all call, so that a run is the same
run whichever way it is started. A run is fully determined by (scenario, seed).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv, atomic_write_text, atomic_write_yaml, staged_directory, yaml_text
from sim.inputs.arguments import check_output
from sim.inputs.geography import Theatre
from sim.inputs.loader import LoadedScenario, load_scenario
from sim.plots.workers import FigureWorkers, figure_workers
from sim.runs.start import build, file_sha256, start_files_sha256
from sim.runs.storage import POPULATION, write_parquet
from sim.runs.tables import subdistricts_table
from sim.version import __version__
from sim.wargame.model import IdlibModel


@dataclass
class RunResult:
    """The tables of one run (daily.csv, captures.csv, population.csv and config.yaml as written by
    ``write_run``) and, optionally, the model that produced them (for the figures)."""

    daily: pd.DataFrame
    captures: pd.DataFrame
    population: pd.DataFrame
    config: dict[str, Any]
    subdistricts: pd.DataFrame | None = None  # subdistricts.csv (None: the map has no sub-districts)
    model: IdlibModel | None = field(default=None, repr=False)
    loaded: LoadedScenario | None = field(default=None, repr=False)  # what ran (config.yaml's scenario text)


@functools.cache
def single_threaded_numerics() -> None:
    """Limit BLAS/OpenMP thread pools to one thread in this process (once per process).

    Why: a run's matrix products are small, so extra BLAS threads do not speed one run up, but in a pool of
    worker processes each worker's threads fight for the same cores and the whole ensemble slows down
    (``tests/benchmarks/bench_model.py --ensemble`` measures both). Ensemble and calibration workers call
    this first.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def build_model(loaded: LoadedScenario, seed: int, civilians: bool = True) -> IdlibModel:
    """The model on its first day: the map's, or the scenario's ``initial_state`` (``sim.runs.start``)."""
    return build(loaded, seed, civilians=civilians)


def simulate(
    loaded: LoadedScenario, seed: int, progress: bool | None = None, civilians: bool = True
) -> IdlibModel:
    """Run the model to the end of the scenario. ``progress=None`` shows a bar only on a terminal."""
    model = build_model(loaded, seed, civilians=civilians)
    show = sys.stderr.isatty() if progress is None else progress
    if show:
        from tqdm import tqdm

        with tqdm(
            total=loaded.scenario.days,
            desc=f"{loaded.scenario.name} seed {seed}",
            unit="day",
            file=sys.stderr,
            leave=False,
        ) as bar:
            model.run(bar)
    else:
        model.run()
    return model


def release(model: IdlibModel) -> None:
    """Let a finished model be garbage-collected: Mesa 3.3.1 keeps every model in ``Agent._ids``
    (mesa#3179, fixed after 3.3.1), which slows and bloats long-lived ensemble and calibration workers."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


def gather_strings(values: np.ndarray, index: np.ndarray) -> Any:
    """``values[index]`` as the column pandas would make of it. Where pandas keeps strings in Arrow (pandas
    3), they are gathered in Arrow: converting each of a village-level population table's 220,000 strings
    from NumPy cost a tenth of a second a run, three columns of it; the column is the same either way."""
    index = np.asarray(index, dtype=np.int64)
    dtype = pd.Series(values[:1]).dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        return pd.array(pa.array(values).take(pa.array(index)), dtype=dtype)
    return values[index]


def population_table(model: IdlibModel) -> pd.DataFrame:
    """population.csv: one row per day and settlement (days outer, settlements in map order) with its
    controller, the people present and the displaced among them, the strikes on it that day (counts
    rounded to whole numbers) and whether it lies in an active ceasefire's security corridor."""
    t: Theatre = model.theatre
    days = len(model.controller_history)
    names = np.array(t.names)
    ctl_names = np.array([f.fid for f in model.factions])
    if model.present_history:
        present = np.rint(np.array(model.present_history)).astype(np.int64)
        displaced = np.rint(np.array(model.displaced_history)).astype(np.int64)
    else:
        present = np.zeros((days, t.n), dtype=np.int64)
        displaced = np.zeros((days, t.n), dtype=np.int64)
    dates = np.array([d.isoformat() for d in model.timeline.dates[:days]])
    strikes = np.rint(np.array(model.strikes_history)).astype(np.int64).ravel()
    corridor = np.array(model.corridor_history, dtype=bool).ravel()
    return pd.DataFrame(
        {
            "date": gather_strings(dates, np.repeat(np.arange(days), t.n)),
            "settlement": gather_strings(names, np.tile(np.arange(t.n), days)),
            "lat": np.tile(t.lat, days),
            "lon": np.tile(t.lon, days),
            "controller": gather_strings(ctl_names, np.array(model.controller_history).ravel()),
            "present": present.ravel(),
            "displaced_present": displaced.ravel(),
            "strikes": strikes,
            "in_corridor": corridor,
        }
    )


@functools.lru_cache(maxsize=4)
def _scenario_text(loaded: LoadedScenario) -> str:
    """config.yaml's ``scenario`` entry (the resolved scenario) as text, once per loaded scenario: every run
    of an ensemble or a calibration writes the same one, and dumping it costs more than writing all of a
    run's tables."""
    return yaml_text({"scenario": loaded.resolved_dict()})


def config_text(config: dict[str, Any], loaded: LoadedScenario) -> str:
    """``config`` as ``yaml_text`` writes it, entry by entry (each top-level entry's text is the same alone as
    within the whole), with the resolved scenario's entry dumped once per loaded scenario."""
    return "".join(
        _scenario_text(loaded) if key == "scenario" else yaml_text({key: value})
        for key, value in config.items()
    )


def collect(model: IdlibModel, loaded: LoadedScenario, seed: int) -> RunResult:
    """The finished model's record as tables, and the config that reproduces the run: the resolved
    scenario, the seed, the map's SHA-256 and the version."""
    daily = pd.DataFrame(model.daily)
    captures = pd.DataFrame(
        model.captures, columns=["date", "settlement", "from_controller", "to_controller"]
    )
    config = {
        "idlib_sim_version": __version__,
        "seed": int(seed),
        "scenario_file": str(loaded.path),
        "map_sha256": file_sha256(loaded.map_path),
        "civilian_agents": model.civilians.agents if model.civilians is not None else 0,
        "scenario": loaded.resolved_dict(),
    }
    if loaded.scenario.initial_state is not None:  # the files the first day was read from, as the map's
        config["initial_state_sha256"] = start_files_sha256(loaded)
    subdistricts = subdistricts_table(model) if model.theatre.subdistricts[1] else None
    return RunResult(
        daily=daily,
        captures=captures,
        population=population_table(model),
        config=config,
        subdistricts=subdistricts,
        model=model,
        loaded=loaded,
    )


def write_run(
    result: RunResult,
    out: Path,
    figures: bool = True,
    all_maps: bool = False,
    workers: FigureWorkers | None = None,
    population_parquet: bool = False,
) -> None:
    """Write config.yaml, daily.csv, captures.csv, population.csv (population.parquet for an ensemble's
    run: ``sim.runs.storage``), subdistricts.csv and figures/ into ``out`` atomically; the figures in
    ``workers`` when given, with every map (``all_maps``) or the default ones."""
    with staged_directory(out) as stage:
        if result.loaded is not None:  # the resolved scenario's text dumped once per loaded scenario
            atomic_write_text(stage / "config.yaml", config_text(result.config, result.loaded))
        else:
            atomic_write_yaml(result.config, stage / "config.yaml")
        atomic_write_csv(result.daily, stage / "daily.csv")
        atomic_write_csv(result.captures, stage / "captures.csv")
        if population_parquet:
            write_parquet(result.population, stage / POPULATION)
        else:
            atomic_write_csv(result.population, stage / "population.csv")
        if result.subdistricts is not None:
            atomic_write_csv(result.subdistricts, stage / "subdistricts.csv")
        if figures and result.model is not None:
            from sim.plots.run_figures import RunRecord, figure_jobs, run_figures

            record = RunRecord.from_model(
                result.model, result.daily, result.config["seed"], result.subdistricts
            )
            if workers is None:
                run_figures(record, stage / "figures", all_maps)
            else:
                (stage / "figures").mkdir(parents=True, exist_ok=True)
                workers.draw(figure_jobs(record, stage / "figures", all_maps))


def run_scenario(
    scenario: str | Path | LoadedScenario,
    seed: int = 0,
    out: str | Path | None = None,
    overrides: list[str] | None = None,
    progress: bool | None = None,
    figures: bool = True,
    civilians: bool = True,
    all_maps: bool = False,
) -> RunResult:
    """Run a scenario file (or a loaded scenario) with one seed; write files if ``out`` is given, with
    figures (every map with ``all_maps``) drawn by worker processes that start before the model runs."""
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario, overrides)
    out = check_output(out, "out") if out is not None else None
    figures = figures and out is not None and loaded.scenario.outputs.figures
    with figure_workers(figures) as workers:
        model = simulate(loaded, seed, progress=progress, civilians=civilians)
        result = collect(model, loaded, seed)
        if out is not None:
            write_run(result, Path(out), figures=figures, all_maps=all_maps, workers=workers)
    return result
