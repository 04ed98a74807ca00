"""Areas: a 1-km grid over the theatre, each cell owned by the nearest settlement.

Rule (step 6 of the build): ``area_km2`` of a settlement is the number of grid cells whose nearest
settlement (straight line, on a local equirectangular projection) it is, so areas sum to the theatre's area
and territory is counted in km². Cells are also tagged with their governorate (the polygons in
``sources/boundaries.json``, when present) to report the share of Idlib governorate held.
"""

from __future__ import annotations

import json
import math

import numpy as np
from matplotlib.path import Path as MplPath

from sim.inputs.mapbuild.paths import SOURCES
from sim.inputs.mapbuild.window import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, inside


def governorate_polygons() -> dict[str, list[np.ndarray]]:
    """Outer rings of the four governorates of the theatre, (lon, lat), from the boundary file if present."""
    bfile = SOURCES / "boundaries.json"
    if not bfile.exists():
        return {}
    data = json.loads(bfile.read_text(encoding="utf-8"))
    out: dict[str, list[np.ndarray]] = {}
    for f in data.get("features", []):
        name = f.get("properties", {}).get("name", "")
        if name not in ("Idlib", "Aleppo", "Hama", "Latakia"):
            continue
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[name] = [np.array(p[0]) for p in polys]
    return out


def grid_cells(
    poly: list[tuple[float, float]], lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The grid cells inside ``poly``: nearest settlement, governorate ('' if none), lon and lat of each.

    Cells are 1 km a side on an equirectangular projection at the window's mean latitude
    (110.574 km per degree of latitude, 111.320 x cos(lat0) per degree of longitude).
    """
    lat0 = math.radians((LAT_MIN + LAT_MAX) / 2)
    dlat = 1.0 / 110.574
    dlon = 1.0 / (111.320 * math.cos(lat0))
    glat = np.arange(LAT_MIN + dlat / 2, LAT_MAX, dlat)
    glon = np.arange(LON_MIN + dlon / 2, LON_MAX, dlon)
    GX, GY = np.meshgrid(glon, glat)
    gx, gy = GX.ravel(), GY.ravel()
    m = inside(poly, gx, gy)
    gx, gy = gx[m], gy[m]
    x = (gx[:, None] - lon[None, :]) * 111.320 * math.cos(lat0)
    y = (gy[:, None] - lat[None, :]) * 110.574
    owner = np.argmin(x * x + y * y, axis=1)
    gov = np.array([""] * len(gx), dtype=object)
    for g, polys in governorate_polygons().items():
        for p in polys:
            gov[MplPath(p).contains_points(np.column_stack([gx, gy]))] = g
    return owner, gov.astype(str), gx, gy


def areas(
    poly: list[tuple[float, float]], lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, list[str], dict[str, np.ndarray]]:
    """km² per settlement, the governorates present, and km² per settlement in each governorate."""
    n = len(lat)
    cell_owner, cell_gov, _cell_lon, _cell_lat = grid_cells(poly, lat, lon)
    area = np.bincount(cell_owner, minlength=n).astype(float)
    gov_names = sorted(set(cell_gov) - {""})
    area_by_gov = {g: np.bincount(cell_owner[cell_gov == g], minlength=n).astype(float) for g in gov_names}
    return area, gov_names, area_by_gov
