"""idlib-sim: an agent-based wargame of the 2019-2020 northwestern Syria offensive ("Dawn of Idlib 2").

Python API (see docs/usage.md): ``run_scenario``, ``run_ensemble``, ``load_scenario``, and ``InputError``, the
one exception it raises for bad input.
"""

from __future__ import annotations

from sim.inputs.errors import InputError
from sim.version import __version__

__all__ = ["InputError", "__version__", "load_scenario", "run_ensemble", "run_scenario"]


def __getattr__(name: str):  # lazy: `import sim` stays cheap for the CLI's --help
    if name == "run_scenario":
        from sim.runs.runner import run_scenario

        return run_scenario
    if name == "load_scenario":
        from sim.inputs.loader import load_scenario

        return load_scenario
    if name == "run_ensemble":
        from sim.runs.ensemble import run_ensemble

        return run_ensemble
    raise AttributeError(name)
