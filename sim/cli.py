"""The ``idlib-sim`` command line (also ``python -m sim``).

Exit codes: 0 success; 2 bad input (one line on stderr naming the file, the field and the problem, never a
traceback); 130 interrupted. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim import __version__
from sim.inputs.errors import InputError

EXAMPLES = """examples:
  idlib-sim run scenarios/baseline.yaml --seed 1 --out outputs/baseline
  idlib-sim run scenarios/baseline.yaml --set events.moscow_ceasefire.start=2020-02-05
  idlib-sim validate scenarios/no_turkish_intervention.yaml
  idlib-sim map scenarios/baseline.yaml --out outputs/map
  idlib-sim ensemble scenarios/baseline.yaml -n 16 --workers 2 --out outputs/ensemble
  idlib-sim compare scenarios/baseline.yaml scenarios/no_turkish_intervention.yaml -n 16 --out outputs/cmp
"""


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario value by dotted path (repeatable), e.g. parameters.combat.kill_rate=0.04",
    )


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="idlib-sim",
        description="Agent-based wargame of the 2019-2020 northwestern Syria offensive.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"idlib-sim {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run one scenario with one seed")
    p.add_argument("scenario", type=Path)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=None, help="output directory (default outputs/<scenario>)")
    p.add_argument("--no-figures", action="store_true", help="write the tables only")
    p.add_argument(
        "--cohort-size",
        type=int,
        default=None,
        help="people per civilian agent (1 = every person an agent); same as --set civilians.cohort_size=N",
    )
    _add_set(p)

    p = sub.add_parser("validate", help="check a scenario file; exit 0 if valid, 2 with the first problem")
    p.add_argument("scenario", type=Path)
    _add_set(p)

    p = sub.add_parser("map", help="draw the scenario's map (map.png) and export network.geojson")
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, required=True)
    _add_set(p)

    p = sub.add_parser("ensemble", help="many seeded runs of one scenario, in parallel, resumable")
    p.add_argument("scenario", type=Path)
    p.add_argument("-n", "--runs", type=int, required=True)
    p.add_argument("--seed", type=int, default=2019, help="master seed the run seeds are derived from")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: CPU count)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--no-figures", action="store_true")
    _add_set(p)

    p = sub.add_parser("compare", help="several scenarios on common seeds, with outcome differences")
    p.add_argument("scenarios", type=Path, nargs="+")
    p.add_argument("-n", "--runs", type=int, required=True)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--scheduler", default=None)
    p.add_argument("--out", type=Path, required=True)
    _add_set(p)

    p = sub.add_parser("plot", help="(re)draw the figures of a run or ensemble directory")
    p.add_argument("directory", type=Path)

    p = sub.add_parser("sweep", help="one scenario value over a range, each point an ensemble")
    p.add_argument("scenario", type=Path)
    p.add_argument("--param", required=True, help="dotted path, e.g. events.moscow_ceasefire.start")
    p.add_argument("--values", required=True, nargs="+", help="values to try (YAML scalars)")
    p.add_argument("-n", "--runs", type=int, default=8)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--scheduler", default=None)
    p.add_argument("--out", type=Path, required=True)
    _add_set(p)

    p = sub.add_parser(
        "calibrate", help="ABC-SMC calibration (pyabc), sensitivity analysis (SALib) and history matching"
    )
    p.add_argument("--scenario", type=Path, default=Path("scenarios/baseline.yaml"))
    p.add_argument("--priors", type=Path, default=Path("calibration/priors.yaml"))
    p.add_argument("--targets", type=Path, default=Path("calibration/targets.yaml"))
    p.add_argument("--method", choices=["abc", "morris", "sobol", "history-matching"], default="abc")
    p.add_argument("--budget", type=int, default=2000, help="maximum number of simulations")
    p.add_argument("--population", type=int, default=64, help="ABC particles per generation")
    p.add_argument(
        "--generations", type=int, default=6, help="ABC generations to run (more generations with --resume)"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the latest ABC run in OUT/runs/abc.db (an interrupted calibration loses at most "
        "the generation in progress; with --generations 0 only rewrite posterior and figures), or the "
        "history matching in OUT/runs/history_matching after its last complete wave",
    )
    p.add_argument("--seeds", type=int, default=2, help="seeds averaged per particle")
    p.add_argument("--seed", type=int, default=2019, help="calibration seed: particle seeds derive from it")
    p.add_argument(
        "--select",
        type=int,
        default=0,
        help="re-score the K highest-weight ABC particles and the weighted median (history matching: the "
        "K points closest to not ruled out) with the committed parameters on fresh "
        "seeds; with --write-fit, commit the best (guards against a degenerate posterior)",
    )
    p.add_argument("--select-seeds", type=int, default=16, help="fresh seeds per candidate for --select")
    p.add_argument(
        "--points", type=int, default=None, help="history matching: points per wave (default 10 x parameters)"
    )
    p.add_argument("--waves", type=int, default=2, help="history matching: waves (more with --resume)")
    p.add_argument("--cutoff", type=float, default=3.0, help="history matching: implausibility cut-off")
    p.add_argument(
        "--order",
        type=int,
        default=1,
        help="history matching: a point is ruled out by its ORDER-th largest implausibility (1: the largest)",
    )
    p.add_argument(
        "--discrepancy",
        action="append",
        metavar="GROUP=SD",
        help="history matching: model discrepancy of a target group (sim/fit/implausibility.py: DISCREPANCY)",
    )
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--scheduler", default=None)
    p.add_argument(
        "--out",
        type=Path,
        default=Path("calibration"),
        help="where everything is written: tables, figures/, fitted_parameters.yaml; the pyabc database "
        "and history-matching waves in OUT/runs",
    )
    p.add_argument(
        "--write-fit",
        action="store_true",
        help="write the chosen point (the posterior median without --select) to OUT/fitted_parameters.yaml",
    )

    p = sub.add_parser("report", help="regenerate calibration/report.md from a validation ensemble")
    p.add_argument("--scenario", type=Path, default=Path("scenarios/baseline.yaml"))
    p.add_argument("--targets", type=Path, default=Path("calibration/targets.yaml"))
    p.add_argument("-n", "--runs", type=int, default=16)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--out", type=Path, default=Path("calibration"))
    return ap


def _cmd_run(args: argparse.Namespace) -> int:
    from sim.inputs.scenario import load_scenario
    from sim.runs.runner import run_scenario

    overrides = list(args.overrides)
    if args.cohort_size is not None:
        overrides.append(f"civilians.cohort_size={args.cohort_size}")
    loaded = load_scenario(args.scenario, overrides)
    out = args.out or Path("outputs") / loaded.scenario.name
    result = run_scenario(loaded, seed=args.seed, out=out, figures=not args.no_figures)
    last = result.daily.iloc[-1]
    print(
        f"{loaded.scenario.name} seed {args.seed}: {len(result.captures)} changes of control, "
        f"displaced {int(last.get('displaced_total', 0)):,}, civilians killed "
        f"{int(last.get('civilians_killed', 0)):,} -> {out}"
    )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from sim.inputs.scenario import load_scenario

    loaded = load_scenario(args.scenario, args.overrides)
    sc = loaded.scenario
    print(
        f"{args.scenario}: valid ({sc.name}: {sc.start} to {sc.end}, {len(sc.factions)} factions, "
        f"{len(sc.all_formations())} formations, {len(sc.orders)} orders, {len(sc.events)} events)"
    )
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from sim.inputs.geography import load_map
    from sim.inputs.scenario import load_scenario
    from sim.plots.map_figure import write_map

    loaded = load_scenario(args.scenario, args.overrides)
    theatre = load_map(loaded.map_path)
    write_map(theatre, loaded.scenario, args.out)
    print(f"wrote {args.out / 'map.png'} and {args.out / 'network.geojson'}")
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        return _cmd_run(args)
    if args.command == "validate":
        return _cmd_validate(args)
    if args.command == "map":
        return _cmd_map(args)
    if args.command == "ensemble":
        from sim.runs.ensemble import cmd_ensemble

        return cmd_ensemble(args)
    if args.command == "compare":
        from sim.runs.compare import cmd_compare

        return cmd_compare(args)
    if args.command == "sweep":
        from sim.runs.compare import cmd_sweep

        return cmd_sweep(args)
    if args.command == "plot":
        from sim.plots.replot import cmd_plot

        return cmd_plot(args)
    if args.command == "calibrate":
        from sim.fit.calibrate import cmd_calibrate

        return cmd_calibrate(args)
    if args.command == "report":
        from sim.fit.report import cmd_report

        return cmd_report(args)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except InputError as exc:
        print(f"idlib-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("idlib-sim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
