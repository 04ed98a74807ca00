"""Seconds an ensemble spends after its runs: joining their tables, reading what the figures need, drawing.

    python tests/benchmarks/bench_ensemble_post.py DIR

``DIR`` is a finished ensemble (``idlib-sim ensemble ... --out DIR``); its manifest gives the scenario, the
master seed and the number of runs. Times ``gather`` (the joined CSVs and the summary), ``figure_inputs``
(what the figures read of the per-community tables) and ``ensemble_figures``, as ``run_ensemble`` calls
them, and rewrites the same files in ``DIR``. Run it on an idle machine; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sim.inputs.loader import load_scenario
from sim.plots.ensemble_figures import ensemble_figures
from sim.runs.ensemble import derive_seeds, figure_inputs, gather


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path)
    args = ap.parse_args()
    man = json.loads((args.directory / "manifest.json").read_text())
    loaded = load_scenario(man["scenario"], man.get("overrides", []))
    seeds = derive_seeds(int(man["master_seed"]), int(man["runs"]))
    t0 = time.perf_counter()
    result = gather(args.directory, len(seeds), seeds)
    t1 = time.perf_counter()
    counts, first_run = figure_inputs(result, loaded)
    t2 = time.perf_counter()
    ensemble_figures(args.directory, loaded, counts, first_run)
    t3 = time.perf_counter()
    print(
        f"{len(seeds)} runs: gather {t1 - t0:.1f} s, figure_inputs {t2 - t1:.1f} s "
        f"({len(counts):,} counts), figures {t3 - t2:.1f} s, total {t3 - t0:.1f} s"
    )


if __name__ == "__main__":
    main()
