"""The theatre: a latitude/longitude window, the places in it that are not part of the offensive's theatre,
and the theatre polygon (Syria inside the window).

Settlements and the 1-km area grid are both clipped to the polygon, so nothing beyond the coast or the
Turkish border enters the map; point-in-polygon tests use matplotlib's ``Path.contains_points``.
"""

from __future__ import annotations

import json

import numpy as np
from matplotlib.path import Path as MplPath

from sim.inputs.mapbuild.paths import SOURCES

# Theatre window (lat, lon) and the parts of it excluded as outside the theatre.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 35.10, 36.90, 35.74, 37.32
EXCLUDE_ADMIN1 = {"14", "13", "11"}  # Tartus, Homs, ... (GeoNames admin1 codes)
# Coastal plain south of Latakia and the Hama countryside south-east of the city are not part of the theatre.
EXCLUDE_NAMES = {
    "Jablah",
    "Baniyas",
    "Ar Rawdah",
    "Al Qamsiyah",
    "Hammam Wasil",
    "Al Annazah",
    "Talin",
    "As Salamiyah",
    "Sabburah",
    "Al Hamra'",
    "Kafr Buhum",
    "Ayyubiyah",
    "Wadi al Uyun",
    "Brummanat al Mashayikh",
    "Al Qadmus",
    "At Tawahin",
    "Kaff al-Jaa",
    "Masyaf",
}


def in_window(lat: float, lon: float) -> bool:
    """Is the point inside the latitude/longitude window (edges included)?"""
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


def inside(poly: list[tuple[float, float]], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which (lon, lat) points lie inside the polygon ``poly`` of (lon, lat) vertices."""
    return MplPath(np.array(poly)).contains_points(np.column_stack([lon, lat]))


def theatre_polygon() -> list[tuple[float, float]]:
    """Syria inside the window, as a (lon, lat) ring.

    With ``sources/boundaries.json`` (OCHA COD-AB, see that file) the ring follows the real coast and
    Syria-Turkey border (``syria_border_window``, ordered south to north-east) and closes along the window's
    east and south edges; without it, the window itself.
    """
    bfile = SOURCES / "boundaries.json"
    box = [(LON_MIN, LAT_MIN), (LON_MAX, LAT_MIN), (LON_MAX, LAT_MAX), (LON_MIN, LAT_MAX)]
    if not bfile.exists():
        return box
    data = json.loads(bfile.read_text(encoding="utf-8"))
    line = next(
        (
            f["geometry"]["coordinates"]
            for f in data.get("features", [])
            if f.get("properties", {}).get("name") == "syria_border_window"
        ),
        None,
    )
    if line is None:
        return box
    pts = [(float(a), float(b)) for a, b in line]
    # cut the border line at the south edge and the east edge of the window
    start = next(i for i, (_, la) in enumerate(pts) if la >= LAT_MIN)
    end = next(i for i, (lo, _) in enumerate(pts) if lo > LON_MAX)
    ring = pts[start:end]
    lo0, la0 = pts[start - 1]
    lo1, la1 = pts[start]
    t = (LAT_MIN - la0) / (la1 - la0)
    ring.insert(0, (lo0 + t * (lo1 - lo0), LAT_MIN))
    lo0, la0 = pts[end - 1]
    lo1, la1 = pts[end]
    t = (LON_MAX - lo0) / (lo1 - lo0)
    ring.append((LON_MAX, la0 + t * (la1 - la0)))
    ring.append((LON_MAX, LAT_MIN))
    return ring
