"""The package version, in a module of its own that imports nothing.

Run configs (``idlib_sim_version``) and ensemble input fingerprints record it. It lives here rather than in
``sim/__init__.py`` because the package's lazy Python API there imports the runners: a runner reading the
version from ``sim`` would close an import circle through the package root.
"""

from __future__ import annotations

__version__ = "0.1.0"
