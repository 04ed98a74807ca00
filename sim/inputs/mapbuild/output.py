"""Writing a built map: the governorate outlines added to its meta, and the JSON written atomically.

Both builds (the village map and the 123-town map) write the same document shape, so a reader of either
(``sim.inputs.geography``) and the figures' outlines see one format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.files import atomic_write_text
from sim.inputs.mapbuild.areas import governorate_polygons


def write_map(
    out: Path,
    meta: dict[str, Any],
    settlements: list[dict[str, Any]],
    roads: list[Any],
    highways: dict[str, Any],
    posts: list[dict[str, Any]],
) -> dict[str, Any]:
    """Add the governorate outlines (every other vertex, 3 decimals) to ``meta``, write the map to ``out``
    atomically and return the document written."""
    meta["boundaries"] = {
        g: [[[round(x, 3), round(y, 3)] for x, y in ring[::2]] for ring in rings]
        for g, rings in sorted(governorate_polygons().items())
    }
    data = {
        "meta": meta,
        "settlements": settlements,
        "roads": roads,
        "highways": highways,
        "observation_posts": posts,
    }
    atomic_write_text(out, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data
