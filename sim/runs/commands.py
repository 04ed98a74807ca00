"""The ``idlib-sim`` subcommands that run, check or draw scenarios: one table row per command.

A row holds the command's name, its one-line help, its argument definitions (as data: what is passed to
``argparse.ArgumentParser.add_argument``) and its handler, named ``"module:function"`` and imported only when
the command runs. Why: building the parser must stay cheap (``idlib-sim --help`` imports neither pandas nor
matplotlib), so this module imports only the standard library and every heavy import is inside a handler.
The calibration commands are declared the same way by the command line (``sim.cli``).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.inputs.arguments import cli_int

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Arg:
    """One ``add_argument(*flags, **options)`` call."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        # a fresh copy of list defaults per parser: a table row outlives many parsers (tests call main often)
        options = {k: list(v) if isinstance(v, list) else v for k, v in self.options.items()}
        parser.add_argument(*self.flags, **options)


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """A subcommand: ``idlib-sim NAME ARGUMENTS`` runs ``handler(args)``, whose return is the exit code."""

    name: str
    help: str
    arguments: tuple[Arg, ...]
    handler: str  # "package.module:function", imported when the command runs

    def add_to(self, subparsers: Any) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(self.name, help=self.help)
        for a in self.arguments:
            a.add_to(parser)
        return parser

    def load_handler(self) -> Handler:
        module, _, function = self.handler.partition(":")
        return getattr(importlib.import_module(module), function)


SET = arg(
    "--set",
    dest="overrides",
    action="append",
    default=[],
    metavar="KEY=VALUE",
    help="override a scenario value by dotted path (repeatable), e.g. parameters.combat.kill_rate=0.04",
)
SCENARIO = arg("scenario", type=Path)
WORKERS = arg("--workers", type=cli_int("workers"), default=None)
SEED = cli_int("seed")
RUNS = cli_int("runs")
SCHEDULER = arg("--scheduler", default=None)
OUT = arg("--out", type=Path, required=True)


def cmd_run(args: argparse.Namespace) -> int:
    from sim.inputs.arguments import check_output
    from sim.inputs.loader import load_scenario
    from sim.runs.runner import run_scenario

    overrides = list(args.overrides)
    if args.cohort_size is not None:
        overrides.append(f"civilians.cohort_size={args.cohort_size}")
    loaded = load_scenario(args.scenario, overrides)
    out = check_output(args.out or Path("outputs") / loaded.scenario.name)
    result = run_scenario(
        loaded, seed=args.seed, out=out, figures=not args.no_figures, all_maps=args.all_maps
    )
    last = result.daily.iloc[-1]
    print(
        f"{loaded.scenario.name} seed {args.seed}: {len(result.captures)} changes of control, "
        f"displaced {int(last.get('displaced_total', 0)):,}, civilians killed "
        f"{int(last.get('civilians_killed', 0)):,} -> {out}"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.inputs.loader import load_scenario
    from sim.runs.runner import build_model

    loaded = load_scenario(args.scenario, args.overrides)
    build_model(loaded, 0)  # what `run` builds before its first day, so that what validates also runs
    sc = loaded.scenario
    print(
        f"{args.scenario}: valid ({sc.name}: {sc.start} to {sc.end}, {len(sc.factions)} factions, "
        f"{len(sc.all_formations())} formations, {len(sc.orders)} orders, {len(sc.events)} events)"
    )
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    from sim.inputs.arguments import check_output
    from sim.inputs.geography import load_map
    from sim.inputs.loader import load_scenario
    from sim.plots.map_figure import write_map

    loaded = load_scenario(args.scenario, args.overrides)
    check_output(args.out)
    theatre = load_map(loaded.map_path)
    write_map(theatre, loaded.scenario, args.out)
    print(f"wrote {args.out / 'map.png'} and {args.out / 'network.geojson'}")
    return 0


RUN_COMMANDS: tuple[Command, ...] = (
    Command(
        "run",
        "run one scenario with one seed",
        (
            SCENARIO,
            arg("--seed", type=SEED, default=0),
            arg("--out", type=Path, default=None, help="output directory (default outputs/<scenario>)"),
            arg("--no-figures", action="store_true", help="write the tables only"),
            arg(
                "--all-maps",
                action="store_true",
                help="also draw where the displaced are on every map date (default: control maps and charts)",
            ),
            arg(
                "--cohort-size",
                type=cli_int("cohort_size"),
                default=None,
                help="people per civilian agent (1 = every person an agent); "
                "same as --set civilians.cohort_size=N",
            ),
            SET,
        ),
        "sim.runs.commands:cmd_run",
    ),
    Command(
        "validate",
        "check a scenario file; exit 0 if valid, 2 with the first problem",
        (SCENARIO, SET),
        "sim.runs.commands:cmd_validate",
    ),
    Command(
        "map",
        "draw the scenario's map (map.png) and export network.geojson",
        (SCENARIO, OUT, SET),
        "sim.runs.commands:cmd_map",
    ),
    Command(
        "ensemble",
        "many seeded runs of one scenario, in parallel, resumable",
        (
            SCENARIO,
            arg("-n", "--runs", type=RUNS, required=True),
            arg("--seed", type=SEED, default=2019, help="master seed the run seeds are derived from"),
            arg(
                "--workers",
                type=cli_int("workers"),
                default=None,
                help="local processes (default: CPU count)",
            ),
            arg("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786"),
            OUT,
            arg("--no-figures", action="store_true"),
            arg(
                "--csv",
                action="store_true",
                help="also write the runs' population tables as one population.csv (they are kept as "
                "Parquet by run: runs/run_XXXX/population.parquet)",
            ),
            SET,
        ),
        "sim.runs.ensemble:cmd_ensemble",
    ),
    Command(
        "compare",
        "several scenarios on common seeds, with outcome differences",
        (
            arg("scenarios", type=Path, nargs="+"),
            arg("-n", "--runs", type=RUNS, required=True),
            arg("--seed", type=SEED, default=2019),
            WORKERS,
            SCHEDULER,
            OUT,
            SET,
        ),
        "sim.runs.compare:cmd_compare",
    ),
    Command(
        "plot",
        "(re)draw the figures of a run or ensemble directory",
        (arg("directory", type=Path),),
        "sim.runs.replot:cmd_plot",
    ),
    Command(
        "state",
        "write a run's control and people on a day as the files a scenario's initial_state reads",
        (
            arg("directory", type=Path, help="a run directory (idlib-sim run --out): its config.yaml"),
            arg("--day", required=True, help="the state at the end of this day (YYYY-MM-DD)"),
            arg("--out", type=Path, required=True, help="folder for control.csv and population.csv"),
        ),
        "sim.runs.start:cmd_state",
    ),
    Command(
        "brief",
        "a one-page planning brief of an ensemble (or a run): displaced by sub-district, shelter needs",
        (
            arg("directory", type=Path, help="an ensemble directory (idlib-sim ensemble --out) or a run's"),
            arg(
                "--out",
                type=Path,
                default=None,
                help="folder for brief.md, brief_numbers.csv and brief_figures/ (default: DIRECTORY)",
            ),
        ),
        "sim.runs.brief:cmd_brief",
    ),
    Command(
        "sweep",
        "one scenario value over a range, each point an ensemble",
        (
            SCENARIO,
            arg("--param", required=True, help="dotted path, e.g. events.moscow_ceasefire.start"),
            arg("--values", required=True, nargs="+", help="values to try (YAML scalars)"),
            arg("-n", "--runs", type=RUNS, default=8),
            arg("--seed", type=SEED, default=2019),
            WORKERS,
            SCHEDULER,
            OUT,
            SET,
        ),
        "sim.runs.sweep:cmd_sweep",
    ),
)
