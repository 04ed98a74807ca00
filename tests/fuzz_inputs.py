"""Fuzz the inputs as a user would, and print a tally: ``python -m tests.fuzz_inputs --examples 1000``.

Scenario mutations of tests/data/fuzz_base.yaml (odd values, unknown keys, renamed factions, malformed
documents; through a derived file, ``--set`` or a standalone copy: tests/fuzzing.py), odd numbers on the
command line and odd arguments to the Python API. Every input must end in one of two ways: accepted, and
the run completes with the model's invariants holding; or rejected with one line that blames the right
file (or ``--set``) and exit code 2. Anything else is listed under its kind with the input that caused it.
Seeded: the same ``--seed`` gives the same inputs. tests/test_fuzz.py runs 300 of them (marked slow).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests import fuzzing

CLI_VALUES = [
    "-1",
    "0",
    "1",
    "2",
    "1e3",
    "1.5",
    "abc",
    "",
    " 7 ",
    "0x10",
    "9" * 5000,
    "-0",
    "+3",
    "٣",
    "1_000",
]
CLI_OPTIONS = [("run", "--seed"), ("run", "--cohort-size"), ("ensemble", "-n"), ("ensemble", "--workers")]
CLI_OPTIONS += [("ensemble", "--seed"), ("compare", "-n"), ("sweep", "--seed"), ("report", "-n")]
INVALID = {  # values each API argument must refuse
    "seed": [-1, 2**64, 1.5, True, "3", None, [1], float("nan")],
    "n": [0, -1, 2**64, 1.5, True, "3", None, float("nan")],
    "workers": [0, -1, 2**64, 1.5, True, "3", float("nan")],
    "overrides": ["name=x", 3, [3], {"name": "x"}, [None]],
}


def fuzz_command_line(rng: random.Random) -> fuzzing.Outcome:
    """An odd number for one option: parsing must exit 2 with one line, or accept a valid number."""
    from sim.cli import build_parser

    command, option = rng.choice(CLI_OPTIONS)
    value = rng.choice(CLI_VALUES)
    argv = [command, str(fuzzing.BASE), option, value]
    if command in ("ensemble", "compare", "sweep"):
        argv += ["--out", "unused"] + (["-n", "2"] if option != "-n" else [])
    if command == "sweep":
        argv += ["--param", "name", "--values", "x"]
    if command == "report":
        argv = ["report", option, value]
    what = f"idlib-sim {command} {option} {value[:20]!r}"
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            build_parser().parse_args(argv)
    except SystemExit as exc:
        lines = [x for x in err.getvalue().splitlines() if x.strip()]
        if exc.code == 2 and len(lines) == 1 and option.split("/")[0] in lines[0] and len(lines[0]) < 500:
            return fuzzing.Outcome("rejected with one clean line", lines[0], fuzzing.Mutation(what, "cli"))
        return fuzzing.Outcome(
            "error not one clean line", err.getvalue()[:300], fuzzing.Mutation(what, "cli")
        )
    except Exception as exc:
        return fuzzing.Outcome("traceback from validate", repr(exc)[:300], fuzzing.Mutation(what, "cli"))
    return fuzzing.Outcome("accepted, ran, invariants held", "parsed", fuzzing.Mutation(what, "cli"))


def fuzz_api(rng: random.Random, tmp: Path) -> fuzzing.Outcome:
    """An invalid seed, count, worker number or overrides from Python: `sim.InputError`, nothing written."""
    import sim

    ensemble = rng.random() < 0.5
    name = rng.choice(["seed", "n", "workers", "overrides"] if ensemble else ["seed", "overrides"])
    value = rng.choice(INVALID[name])
    kwargs = {"seed": 1, "n": 2, "workers": 1, "overrides": None} | {name: value}
    what = f"sim.{'run_ensemble' if ensemble else 'run_scenario'}({name}={value!r:.20})"
    out = tmp / "api"
    try:
        if ensemble:
            n, seed, workers = kwargs["n"], kwargs["seed"], kwargs["workers"]
            sim.run_ensemble(
                fuzzing.BASE, n, seed=seed, workers=workers, overrides=kwargs["overrides"], out=out
            )
        else:
            sim.run_scenario(fuzzing.BASE, seed=kwargs["seed"], overrides=kwargs["overrides"], out=out)
    except sim.InputError as exc:
        if out.exists():
            return fuzzing.Outcome("error not one clean line", f"wrote {out}", fuzzing.Mutation(what, "api"))
        return fuzzing.Outcome("rejected with one clean line", str(exc), fuzzing.Mutation(what, "api"))
    except Exception as exc:  # every escape is the finding
        return fuzzing.Outcome("traceback from validate", repr(exc)[:300], fuzzing.Mutation(what, "api"))
    return fuzzing.Outcome("odd input accepted", "ran", fuzzing.Mutation(what, "api"))


def fuzz(examples: int, seed: int, show: int = 5) -> Counter:
    """Run ``examples`` inputs (90 % scenario mutations, 5 % command line, 5 % API) and print the tally."""
    from sim.inputs.geography import load_map

    rng = random.Random(seed)
    base = fuzzing.base_data()
    names = load_map(base["map"]).names
    outcomes: list[fuzzing.Outcome] = []
    channels: Counter = Counter()
    start = time.time()
    for i in range(examples):
        with tempfile.TemporaryDirectory() as tmp:
            roll = rng.random()
            if roll < 0.05:
                outcome = fuzz_command_line(rng)
            elif roll < 0.10:
                outcome = fuzz_api(rng, Path(tmp))
            else:
                m = fuzzing.make_mutation(rng, base, names)
                outcome = fuzzing.check_mutation(m, base, Path(tmp), seed=i)
        outcomes.append(outcome)
        channels[outcome.mutation.channel if outcome.mutation else "?"] += 1
    counts = fuzzing.tally(outcomes)
    print(f"{examples} inputs (seed {seed}; {dict(channels)}) in {time.time() - start:.0f} s:")
    for kind in fuzzing.OUTCOMES:
        print(f"  {counts[kind]:5d}  {kind}")
        found = [o for o in outcomes if o.kind == kind]
        if kind not in fuzzing.OUTCOMES[:2]:
            for o in found[:show]:
                what = o.mutation.what if o.mutation else "?"
                print(f"         {what} [{o.mutation.channel if o.mutation else '?'}]: {o.detail}")
    return counts


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--show", type=int, default=5, help="inputs listed per kind of failure")
    a = ap.parse_args()
    result = fuzz(a.examples, a.seed, a.show)
    sys.exit(0 if sum(result[k] for k in fuzzing.OUTCOMES[2:]) == 0 else 1)
