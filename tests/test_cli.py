"""The command line as a table of subcommands: every row helps and resolves; the parser stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sim.runs.commands
from sim.cli import COMMANDS, build_parser, main

from .conftest import BASELINE, ROOT

NAMES = [c.name for c in COMMANDS]


def test_the_table_lists_every_command_once():
    assert len(set(NAMES)) == len(NAMES)
    assert set(NAMES) == {
        "run",
        "validate",
        "map",
        "ensemble",
        "compare",
        "plot",
        "sweep",
        "state",
        "brief",
        "calibrate",
        "report",
        "app",
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: idlib-sim {name}")


@pytest.mark.parametrize("command", COMMANDS, ids=NAMES)
def test_every_handler_resolves_to_a_function(command):
    handler = command.load_handler()
    assert callable(handler)
    assert command.handler.endswith(":" + handler.__name__)


def test_list_defaults_are_not_shared_between_parses():
    a = build_parser().parse_args(["validate", str(BASELINE)])
    a.overrides.append("x=1")
    b = build_parser().parse_args(["validate", str(BASELINE)])
    assert b.overrides == []


def test_building_the_parser_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from sim.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'matplotlib', 'mesa'})\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_interrupted_command_exits_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.runs.commands, "cmd_validate", interrupted)  # handlers resolve when run
    assert main(["validate", str(BASELINE)]) == 130
    assert capsys.readouterr().err.strip() == "idlib-sim: interrupted"
