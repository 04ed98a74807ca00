"""The ``idlib-sim`` command line (also ``python -m sim``): a table of subcommands.

Each subcommand is one row (``sim.runs.commands.Command``): name, help, argument definitions and a handler
named ``"module:function"`` that is imported only when the command runs, so that ``idlib-sim --help`` stays
cheap. The rows of the running, checking and drawing commands live with them in ``sim.runs.commands``; the
calibration commands are declared here and handled by ``sim.fit``.

Exit codes: 0 success; 2 bad input (one line on stderr naming the file, the field and the problem, never a
traceback); 130 interrupted. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from sim.inputs.arguments import cli_int, cli_positive_float
from sim.inputs.errors import InputError
from sim.runs.commands import RUN_COMMANDS, Command, arg
from sim.version import __version__

EXAMPLES = """examples:
  idlib-sim run scenarios/baseline.yaml --seed 1 --out outputs/baseline
  idlib-sim run scenarios/baseline.yaml --set events.moscow_ceasefire.start=2020-02-05
  idlib-sim validate scenarios/no_turkish_intervention.yaml
  idlib-sim map scenarios/baseline.yaml --out outputs/map
  idlib-sim ensemble scenarios/baseline.yaml -n 16 --workers 2 --out outputs/ensemble
  idlib-sim compare scenarios/baseline.yaml scenarios/no_turkish_intervention.yaml -n 16 --out outputs/cmp
  idlib-sim app --port 8765
"""

CALIBRATE = Command(
    "calibrate",
    "ABC-SMC calibration (pyabc), sensitivity analysis (SALib) and history matching",
    (
        arg("--scenario", type=Path, default=Path("scenarios/baseline.yaml")),
        arg("--priors", type=Path, default=Path("calibration/priors.yaml")),
        arg("--targets", type=Path, default=Path("calibration/targets.yaml")),
        arg("--method", choices=["abc", "morris", "sobol", "history-matching"], default="abc"),
        arg("--budget", type=cli_int("budget"), default=2000, help="maximum number of simulations"),
        arg("--population", type=cli_int("population"), default=64, help="ABC particles per generation"),
        arg(
            "--generations",
            type=cli_int("generations"),
            default=6,
            help="ABC generations to run (more generations with --resume)",
        ),
        arg(
            "--resume",
            action="store_true",
            help="continue the latest ABC run in OUT/runs/abc.db (an interrupted calibration loses at most "
            "the generation in progress; with --generations 0 only rewrite posterior and figures), or the "
            "history matching in OUT/runs/history_matching after its last complete wave",
        ),
        arg("--seeds", type=cli_int("seeds_per_point"), default=2, help="seeds averaged per particle"),
        arg(
            "--seed",
            type=cli_int("seed"),
            default=2019,
            help="calibration seed: particle seeds derive from it",
        ),
        arg(
            "--select",
            type=cli_int("select"),
            default=0,
            help="re-score the K highest-weight ABC particles and the weighted median (history matching: "
            "the K points closest to not ruled out) with the committed parameters on fresh "
            "seeds; with --write-fit, commit the best (guards against a degenerate posterior)",
        ),
        arg(
            "--select-seeds",
            type=cli_int("select_seeds"),
            default=16,
            help="fresh seeds per candidate for --select",
        ),
        arg(
            "--points",
            type=cli_int("points"),
            default=None,
            help="history matching: points per wave (default 10 x parameters)",
        ),
        arg("--waves", type=cli_int("waves"), default=2, help="history matching: waves (more with --resume)"),
        arg(
            "--cutoff", type=cli_positive_float, default=3.0, help="history matching: implausibility cut-off"
        ),
        arg(
            "--order",
            type=cli_int("order"),
            default=1,
            help="history matching: a point is ruled out by its ORDER-th largest implausibility "
            "(1: the largest)",
        ),
        arg(
            "--discrepancy",
            action="append",
            metavar="GROUP=SD",
            help="history matching: model discrepancy of a target group "
            "(sim/fit/implausibility.py: DISCREPANCY)",
        ),
        arg("--workers", type=cli_int("workers"), default=None),
        arg("--scheduler", default=None),
        arg(
            "--out",
            type=Path,
            default=Path("calibration"),
            help="where everything is written: tables, figures/, fitted_parameters.yaml; the pyabc database "
            "and history-matching waves in OUT/runs",
        ),
        arg(
            "--write-fit",
            action="store_true",
            help="write the chosen point (the posterior median without --select) to "
            "OUT/fitted_parameters.yaml",
        ),
    ),
    "sim.fit.calibrate:cmd_calibrate",
)
REPORT = Command(
    "report",
    "regenerate calibration/report.md from a validation ensemble",
    (
        arg("--scenario", type=Path, default=Path("scenarios/baseline.yaml")),
        arg("--targets", type=Path, default=Path("calibration/targets.yaml")),
        arg("-n", "--runs", type=cli_int("runs"), default=16),
        arg("--seed", type=cli_int("seed"), default=2019),
        arg("--workers", type=cli_int("workers"), default=None),
        arg("--out", type=Path, default=Path("calibration")),
    ),
    "sim.fit.report:cmd_report",
)
APP = Command(
    "app",
    "the interactive app in the browser: levers, a day slider over the map, comparisons (extra 'app')",
    (
        arg("--host", default="127.0.0.1", help="address to serve on (default: this machine only)"),
        arg("--port", type=int, default=8765),
        arg("--scenarios", type=Path, default=Path("scenarios"), help="folder of the scenarios to offer"),
    ),
    "sim.app.server:cmd_app",
)
COMMANDS: tuple[Command, ...] = (*RUN_COMMANDS, CALIBRATE, REPORT, APP)


class Parser(argparse.ArgumentParser):
    """argparse with its errors on one line, like every other bad input (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    ap = Parser(
        prog="idlib-sim",
        description="Agent-based wargame of the 2019-2020 northwestern Syria offensive.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"idlib-sim {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_to(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C, or SIGINT from a script, interrupts: a shell starts background jobs with SIGINT ignored, and
    # Python then leaves it ignored, so `kill -INT` did nothing
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    args = build_parser().parse_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    try:
        return command.load_handler()(args)
    except InputError as exc:
        print(f"idlib-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("idlib-sim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
