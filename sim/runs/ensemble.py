"""Ensembles: many seeded runs of one scenario, in parallel, identical for any number of workers, resumable.

* Seeds come from one master seed: run ``i`` gets ``SeedSequence(master).spawn(n)[i]``, so run ``i`` has the
  same seed whatever ``n`` workers, order of completion or executor (common random numbers across scenarios
  too: ``compare`` runs every scenario on the same seeds).
* Each run is written by its worker to ``DIR/runs/run_XXXX/`` (the same files as ``idlib-sim run``, without
  figures), atomically, with ``done.json`` written last. Run again with the same arguments and finished runs
  are skipped: an interrupted ensemble resumes and loses none. A ``manifest.json`` records the arguments; a
  different scenario, seed or override in the same directory is refused rather than mixed in.
* Workers are a local ``ProcessPoolExecutor`` by default or, with ``--scheduler ADDRESS``, a Dask cluster
  (``distributed.Client(address).get_executor()``; the ``cluster`` extra).
* When all runs are done the tables are concatenated with leading ``run`` and ``seed`` columns, and
  ``summary.csv`` gives per date and metric the median, 5 %, 25 %, 75 % and 95 %.
* Inputs are checked before anything is written: the arguments, the scenario, and the model it builds. If
  the ensemble fails before any run finished, it leaves nothing behind (no folder, no ``manifest.json``).
* Ctrl-C: only the parent handles SIGINT (workers ignore it, or a terminal's Ctrl-C, sent to the whole
  process group, would interrupt the run in each worker, which then went on to the next one); it cancels
  the runs not started and terminates the workers at once. Finished runs are kept for resume.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import atomic_write_csv, atomic_write_text, make_directory, remove_stale_stages
from sim.inputs.arguments import check_int, check_optional_int, check_output, check_overrides
from sim.inputs.errors import InputError
from sim.inputs.loader import LoadedScenario, load_scenario
from sim.runs.joining import join_runs, run_dir, summarise
from sim.runs.runner import file_sha256
from sim.runs.start import start_files_sha256
from sim.runs.storage import read_population
from sim.version import __version__


def derive_seeds(master: int, n: int) -> list[int]:
    """Run seeds from a master seed: the i-th is the same whatever n is (SeedSequence children)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master).spawn(n)]


@functools.lru_cache(maxsize=4)
def _loaded(scenario: str, overrides: tuple[str, ...]) -> LoadedScenario:
    """The scenario, loaded once per worker process: every run of an ensemble reads the same files (the
    parent checked them before the first run), and reading and validating them costs a quarter of a
    second a run."""
    return load_scenario(scenario, list(overrides))


def run_one(scenario: str, overrides: list[str], seed: int, index: int, out: str) -> dict[str, Any]:
    """Worker: one run, written to its own directory; module-level so that it pickles (spawn, Dask)."""
    from sim.runs.runner import collect, release, simulate, single_threaded_numerics, write_run

    single_threaded_numerics()
    loaded = _loaded(scenario, tuple(overrides))
    model = simulate(loaded, seed, progress=False)
    result = collect(model, loaded, seed)
    release(model)
    d = run_dir(Path(out), index)
    remove_stale_stages(d)  # left by a worker terminated mid-write
    write_run(result, d, figures=False, population_parquet=True)
    last = result.daily.iloc[-1].to_dict()
    atomic_write_text(d / "done.json", json.dumps({"run": index, "seed": seed}) + "\n")
    return {"run": index, "seed": seed, "displaced_total": last.get("displaced_total")}


@dataclass
class EnsembleResult:
    """The concatenated tables of an ensemble; the per-community population stays by run on disk and is
    read with filters (``population``)."""

    daily: pd.DataFrame
    captures: pd.DataFrame
    summary: pd.DataFrame
    out: Path
    seeds: list[int] = field(default_factory=list)
    _subdistricts: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def subdistricts(self) -> pd.DataFrame | None:
        """subdistricts.csv (None: the map has no sub-districts), read when first asked for: at a thousand
        village runs it is half a gigabyte that neither the figures nor the summary need."""
        if self._subdistricts is None and (self.out / "subdistricts.csv").exists():
            self._subdistricts = pd.read_csv(self.out / "subdistricts.csv")
        return self._subdistricts

    def population(
        self,
        dates: Iterable[str] | None = None,
        settlements: Iterable[str] | None = None,
        columns: list[str] | None = None,
        runs: Iterable[int] | None = None,
    ) -> pd.DataFrame:
        """The runs' population tables (``read_population``: only the runs, dates, settlements and columns
        asked for)."""
        which = list(runs) if runs is not None else list(range(len(self.seeds)))
        table = read_population(
            [run_dir(self.out, i) for i in which], [self.seeds[i] for i in which], dates, settlements, columns
        )
        if len(table):
            table["run"] = np.array(which)[table["run"].to_numpy()]
        return table


def inputs_fingerprint(loaded: LoadedScenario) -> str:
    """SHA-256 of everything a run reads: the resolved scenario (fitted parameters merged) and the map.

    Resuming must not mix runs made from different inputs: if the scenario file, a file it extends,
    the fitted parameters or the map changed since the finished runs were written, the fingerprint differs
    and the ensemble refuses to resume into that directory.
    """
    resolved = json.dumps(loaded.resolved_dict(), sort_keys=True, default=str)
    h = hashlib.sha256(resolved.encode("utf-8"))
    h.update(file_sha256(loaded.map_path).encode("ascii"))
    for sha in start_files_sha256(loaded).values():  # the start state's files (none without initial_state)
        h.update(sha.encode("ascii"))
    h.update(__version__.encode("ascii"))
    return h.hexdigest()


def _manifest(
    scenario: Path, overrides: list[str], master: int, n: int, inputs: str | None = None
) -> dict[str, Any]:
    return {
        "scenario": str(Path(scenario).resolve()),
        "overrides": list(overrides),
        "master_seed": master,
        "runs": n,
        "inputs_sha256": inputs,
    }


def _check_manifest(out: Path, manifest: dict[str, Any]) -> bool:
    """Refuse to mix ensembles; write the manifest. True if it was not there before."""
    path = out / "manifest.json"
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(path, "", f"not an ensemble's manifest ({exc}): use another --out") from None
        if not isinstance(old, dict):
            raise InputError(path, "", "not an ensemble's manifest: use another --out")
        for key in ("scenario", "overrides", "master_seed", "inputs_sha256"):
            if key not in old and key == "inputs_sha256":
                continue  # a manifest written before fingerprints existed
            if old.get(key) != manifest[key]:
                if key == "inputs_sha256":
                    raise InputError(
                        path,
                        key,
                        "the scenario, its fitted parameters or the map changed since these runs were made; "
                        "use another --out or delete the directory",
                    )
                raise InputError(
                    path,
                    key,
                    f"this directory holds an ensemble with {key}={old.get(key)!r}; "
                    f"use another --out for {manifest[key]!r}",
                )
    new = not path.exists()
    atomic_write_text(path, json.dumps(manifest, indent=1) + "\n")
    return new


def make_executor(workers: int | None, scheduler: str | None) -> tuple[Executor, Any]:
    """A local process pool, or a Dask cluster's executor when ``scheduler`` is given."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise InputError(
                "--scheduler", scheduler, "needs the 'cluster' extra: pip install -e '.[cluster]'"
            ) from exc
        client = Client(scheduler)
        return client.get_executor(), client
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, initializer=ignore_sigint), None


def ignore_sigint() -> None:
    """Worker initializer: Ctrl-C is the parent's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_workers(ex: Executor) -> None:
    """Cancel the runs not started and terminate the local workers now, rather than let each finish its
    run (what ``shutdown`` does): an interrupted ensemble stops within a second and leaves no process."""
    processes = list((getattr(ex, "_processes", None) or {}).values())  # ProcessPoolExecutor's workers
    ex.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.terminate()
    for p in processes:
        p.join(timeout=2)
        if p.is_alive():
            p.kill()
            p.join(timeout=1)


def run_ensemble(
    scenario: str | Path,
    n: int,
    seed: int = 2019,
    workers: int | None = None,
    out: str | Path | None = None,
    overrides: list[str] | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    figures: bool = True,
    population_csv: bool = False,
) -> EnsembleResult:
    """Run (or resume) an ensemble and return its concatenated tables (``population_csv``: also the runs'
    population tables as one CSV, beside their Parquet files)."""
    from sim.runs.runner import build_model

    n = check_int(n, "runs", "n")
    seed = check_int(seed, "seed")
    workers = check_optional_int(workers, "workers")
    overrides = check_overrides(overrides)
    loaded = load_scenario(scenario, overrides)  # validate once, before any worker starts
    seeds = derive_seeds(seed, n)
    build_model(loaded, seeds[0], civilians=False)  # and what each run builds first
    out = check_output(
        out if out is not None else Path("outputs") / f"{loaded.scenario.name}_ensemble", "out"
    )
    created = make_directory(out)
    new_manifest = False
    try:
        new_manifest = _check_manifest(
            out, _manifest(Path(scenario), overrides, seed, n, inputs_fingerprint(loaded))
        )
        todo = [i for i in range(n) if not (run_dir(out, i) / "done.json").exists()]
        show = sys.stderr.isatty() if progress is None else progress
        if todo:
            _run_all(todo, scenario, overrides, seeds, out, workers, scheduler, n, show)
    except BaseException:
        if not any(out.glob("runs/run_*/done.json")):  # nothing finished: leave nothing behind
            if created is not None:
                shutil.rmtree(created, ignore_errors=True)
            elif new_manifest:
                (out / "manifest.json").unlink(missing_ok=True)
        raise
    result = gather(out, n, seeds, population_csv)
    if figures:
        from sim.plots.ensemble_figures import ensemble_figures

        ensemble_figures(out, loaded, *figure_inputs(result, loaded))
    return result


def _run_all(
    todo: list[int],
    scenario: str | Path,
    overrides: list[str],
    seeds: list[int],
    out: Path,
    workers: int | None,
    scheduler: str | None,
    n: int,
    show: bool,
) -> None:
    ex, client = make_executor(workers, scheduler)
    try:
        futures: list[Future] = [
            ex.submit(run_one, str(scenario), overrides, seeds[i], i, str(out)) for i in todo
        ]
        _wait(futures, len(todo), n, show)
    except BaseException:
        if client is None:
            stop_workers(ex)
        raise
    finally:
        if client is not None:
            ex.shutdown(wait=True)
            client.close()
        else:
            ex.shutdown(wait=True, cancel_futures=True)


def _wait(futures: list[Future], todo: int, n: int, show: bool) -> None:
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=n, initial=n - todo, desc="ensemble", unit="run", file=sys.stderr)
    try:
        for fut in as_completed(futures):
            fut.result()  # a failed run raises here, after the others that finished are kept on disk
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()


MAP_COLUMNS = ["date", "settlement", "controller"]  # what the probability maps read of the other runs
CHUNK = 100  # runs read at a time for the probability maps' counts


def figure_inputs(result: EnsembleResult, loaded: LoadedScenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the ensemble's figures read of the population: per map date and settlement the runs in which
    the government holds it (``control_counts``, with run 0's every day for the first day's front), and run
    0's table whole (the animation).

    Why counts: the probability maps need no more, and the rows themselves grow with the runs (a thousand
    village runs on seven map dates are 13 million rows, 4 GB in the parent); the runs are read a hundred
    at a time and counted.
    """
    from sim.plots.ensemble_figures import add_counts, control_counts

    dates = [d.isoformat() for d in loaded.scenario.outputs.map_dates]
    first = result.population(runs=[0]) if result.seeds else pd.DataFrame(columns=MAP_COLUMNS)
    parts = [control_counts(first)]
    others = list(range(1, len(result.seeds)))
    for k in range(0, len(others), CHUNK):
        rows = result.population(dates=dates, columns=MAP_COLUMNS, runs=others[k : k + CHUNK])
        if len(rows):
            parts.append(control_counts(rows))
    return add_counts(parts), first


def gather(out: Path, n: int, seeds: Iterable[int], population_csv: bool = False) -> EnsembleResult:
    """Concatenate the runs' daily, captures and subdistricts tables (CSV, with leading run and seed
    columns) and summarise them; the population tables stay Parquet by run unless ``population_csv``."""
    seeds = list(seeds)
    missing = [i for i in range(n) if not (run_dir(out, i) / "done.json").exists()]
    if missing:
        raise RuntimeError(f"{len(missing)} runs unfinished in {out}: run the same command again to resume")
    for name in ("daily.csv", "captures.csv"):
        if not join_runs(out, n, seeds, name):
            raise RuntimeError(f"a finished run in {out} lacks its {name}: remove its done.json and resume")
    daily = pd.read_csv(out / "daily.csv")
    captures = pd.read_csv(out / "captures.csv")
    summary = summarise(daily)
    atomic_write_csv(summary, out / "summary.csv")
    if not join_runs(out, n, seeds, "subdistricts.csv"):
        (out / "subdistricts.csv").unlink(missing_ok=True)
    res = EnsembleResult(daily=daily, captures=captures, summary=summary, out=out, seeds=seeds)
    if population_csv:
        atomic_write_csv(res.population(), out / "population.csv")
    return res


def cmd_ensemble(args: argparse.Namespace) -> int:
    check_output(args.out)
    res = run_ensemble(
        args.scenario,
        args.runs,
        seed=args.seed,
        workers=args.workers,
        out=args.out,
        overrides=args.overrides,
        scheduler=args.scheduler,
        figures=not args.no_figures,
        population_csv=args.csv,
    )
    last = res.daily[res.daily["date"] == res.daily["date"].max()]
    disp = (
        last["displaced_total"].quantile([0.05, 0.5, 0.95]).to_numpy() if "displaced_total" in last else None
    )
    msg = f"{args.runs} runs -> {res.out}"
    if disp is not None:
        msg += (
            f"; displaced by {last['date'].iloc[0]}: median {disp[1]:,.0f} "
            f"(90 % {disp[0]:,.0f}-{disp[2]:,.0f})"
        )
    print(msg)
    return 0
