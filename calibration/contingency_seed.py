"""Which run seed's 6 March 2020 lines the contingency scenario starts from.

`scenarios/contingency_zawiya_m4.yaml` starts from a baseline run stopped at the end of 6 March 2020
(`initial_state.from_run`). Its seed is the one, of the first six run seeds of master seed 2019, whose lines
put the fewest of the settlements the seeds date (the last capture target on or before 6 March, per
settlement, in calibration/targets.yaml) on the wrong side. It reads the report's ensemble
(`idlib-sim report -n 16 --seed 2019`, runs under calibration/validation/runs), whose seeds are those of
`idlib-sim ensemble --seed 2019`.

    python calibration/contingency_seed.py [--runs 6]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from sim.inputs.geography import load_map
from sim.runs.ensemble import derive_seeds
from sim.runs.storage import read_population

ROOT = Path(__file__).resolve().parent.parent
DAY = "2020-03-06"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=6, help="the first RUNS run seeds are the candidates")
    args = ap.parse_args()
    captures = yaml.safe_load((ROOT / "calibration" / "targets.yaml").read_text())["captures"]
    side: dict[str, str] = {}
    for c in sorted(captures, key=lambda c: str(c["date"])):
        if str(c["date"]) <= DAY:
            side[c["settlement"]] = c["to"]
    theatre = load_map(ROOT / "scenarios" / "maps" / "idlib_communities.json")
    dated = {theatre.canonical(s): to for s, to in side.items() if theatre.knows(s)}
    seeds = derive_seeds(2019, args.runs)
    runs = [ROOT / "calibration" / "validation" / "runs" / f"run_{i:04d}" for i in range(args.runs)]
    pop = read_population(runs, seeds, [DAY], None, ["settlement", "controller"])
    print(f"{len(dated)} settlements with a dated side on {DAY} ({len(side)} in the targets)")
    for i, seed in enumerate(seeds):
        held = pop[pop["run"] == i].set_index("settlement")["controller"]
        wrong = sorted(n for n, to in dated.items() if (held.get(n) == "government") != (to == "government"))
        print(f"run seed {seed}: {len(wrong)} on the wrong side ({', '.join(wrong)})")


if __name__ == "__main__":
    main()
