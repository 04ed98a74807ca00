"""``idlib-sim app``: serve the app's page (``sim.app.page``) with Solara's server on this machine.

The page works offline: Solara's assets come from the ``solara-assets`` package (pinned with Solara in the
``app`` extra, as the two must be of the same version), the maps are drawn by the server, and Solara's usage
telemetry is switched off. Without the extra installed, the command says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import warnings
from pathlib import Path

from sim.inputs.errors import InputError

EXTRA = "the 'app' extra: pip install -e '.[app]'"


def check_installed() -> None:
    for module in ("solara", "uvicorn", "mesa.visualization"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        if not found:
            raise InputError("idlib-sim app", "", f"{module} is not installed; it needs {EXTRA}")


def configure(scenarios: Path) -> None:
    """Environment for Solara and the page, set before either is imported."""
    from sim.app.levers import scenario_files

    scenario_files(scenarios)  # a missing or empty folder is told now, not in the page
    os.environ["IDLIB_SIM_SCENARIOS"] = str(scenarios.resolve())
    os.environ["SOLARA_APP"] = "sim.app.page"
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no calls home: it runs offline


def cmd_app(args: argparse.Namespace) -> int:
    check_installed()
    configure(args.scenarios)
    import uvicorn

    # served over http on this machine: Solara's advice on https cookies, at every page load, is noise
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    print(f"idlib-sim app: http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=args.host, port=args.port, log_level="warning")
    return 0
