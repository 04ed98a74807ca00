"""Where the map build reads its sources and writes the map files (paths in this repository)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAPS = ROOT / "scenarios" / "maps"
# the 123-town map (GeoNames build, ``--towns``): also the source of the village map's pre-offensive
# populations, control overrides and marked places, so the village build reads it
DEFAULT_OUT = MAPS / "northwest_syria.json"
TOWNS_MAP = DEFAULT_OUT
# the village map (gazetteer build, the default)
VILLAGE_OUT = MAPS / "idlib_communities.json"
SOURCES = MAPS / "sources"
GAZETTEER = SOURCES / "gazetteer"
