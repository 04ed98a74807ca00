"""Where the map build reads its hand-collected sources and writes the map file (paths in this repository)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_OUT = ROOT / "scenarios" / "maps" / "northwest_syria.json"
SOURCES = ROOT / "scenarios" / "maps" / "sources"
