"""``idlib-sim plot DIR``: redraw the figures of a run, an ensemble or a comparison directory.

* an ensemble (``manifest.json``): from its CSV files;
* a comparison (``compare.csv``): from each scenario's ensemble CSVs, in the order of ``compare.csv``;
* a single run (``config.yaml``): the run is re-simulated from its resolved scenario and seed (a run is a
  deterministic function of the two, so the figures are those of the files beside them).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import yaml

from sim.inputs.errors import InputError
from sim.inputs.geography import load_map
from sim.inputs.loader import LoadedScenario, load_scenario
from sim.inputs.schema import Scenario


def _manifest_scenario(directory: Path) -> LoadedScenario:
    """The scenario an ensemble directory was made from, with its overrides (from ``manifest.json``)."""
    man = json.loads((directory / "manifest.json").read_text())
    return load_scenario(man["scenario"], man.get("overrides", []))


def replot_ensemble(directory: Path) -> list[Path]:
    from sim.plots.ensemble_figures import ensemble_figures
    from sim.runs.ensemble import EnsembleResult, derive_seeds, figure_inputs

    loaded = _manifest_scenario(directory)
    man = json.loads((directory / "manifest.json").read_text())
    seeds = derive_seeds(int(man["master_seed"]), int(man["runs"]))
    result = EnsembleResult(
        daily=pd.read_csv(directory / "daily.csv"),
        captures=pd.read_csv(directory / "captures.csv"),
        summary=pd.read_csv(directory / "summary.csv"),
        out=directory,
        seeds=seeds,
    )
    return ensemble_figures(directory, loaded, *figure_inputs(result, loaded))


def replot_comparison(directory: Path) -> list[Path]:
    from sim.plots.compare_figures import compare_figures
    from sim.runs.outcomes import CONTINUOUS, m4_length_km, outcomes

    dailies, caps, results = {}, {}, {}
    for sub in sorted(p for p in directory.iterdir() if (p / "manifest.json").exists()):
        loaded = _manifest_scenario(sub)
        dailies[sub.name] = pd.read_csv(sub / "daily.csv")
        caps[sub.name] = pd.read_csv(sub / "captures.csv")
        theatre = load_map(loaded.map_path)
        results[sub.name] = outcomes(dailies[sub.name], caps[sub.name], m4_length_km(loaded), theatre)
    order = list(pd.read_csv(directory / "compare.csv")["scenario"].drop_duplicates())
    dailies = {k: dailies[k] for k in order if k in dailies}
    caps = {k: caps[k] for k in order if k in caps}
    results = {k: results[k] for k in order if k in results}
    return compare_figures(dailies, caps, results, directory / "figures", titles=CONTINUOUS, theatre=theatre)


def replot_run(directory: Path) -> list[Path]:
    from sim.plots.run_figures import RunRecord, run_figures
    from sim.runs.runner import collect, simulate

    cfg = yaml.safe_load((directory / "config.yaml").read_text())
    data = cfg["scenario"]
    sc = Scenario.model_validate(data)
    loaded = LoadedScenario(sc, Path(cfg["scenario_file"]), data, Path(data["map"]))
    model = simulate(loaded, int(cfg["seed"]), progress=False)
    result = collect(model, loaded, int(cfg["seed"]))
    record = RunRecord.from_model(model, result.daily, int(cfg["seed"]), result.subdistricts)
    return run_figures(record, directory / "figures")


def replot(directory: Path) -> list[Path]:
    """Redraw the figures of ``directory`` into ``directory/figures``; the kind of directory is told by the
    file that only it holds, checked in the order ensemble, comparison, run."""
    if not directory.is_dir():
        raise InputError(directory, "", "not a directory")
    if (directory / "manifest.json").exists():
        return replot_ensemble(directory)
    if (directory / "compare.csv").exists():
        return replot_comparison(directory)
    if (directory / "config.yaml").exists():
        return replot_run(directory)
    raise InputError(directory, "", "no config.yaml, manifest.json or compare.csv: not a run directory")


def cmd_plot(args: argparse.Namespace) -> int:
    paths = replot(args.directory)
    print(f"{len(paths)} figures -> {args.directory / 'figures'}")
    return 0
