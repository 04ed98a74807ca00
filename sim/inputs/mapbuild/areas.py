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


def community_areas(
    poly: list[tuple[float, float]],
    lat: np.ndarray,
    lon: np.ndarray,
    other_lat: np.ndarray,
    other_lon: np.ndarray,
    grid_km: float,
) -> tuple[np.ndarray, list[str], dict[str, np.ndarray], dict[str, float]]:
    """Areas of the village map: km² per node, the governorates present, km² per node in each, and totals.

    Rule: a ``grid_km`` grid over the theatre polygon (the projection of ``grid_cells``); each grid cell
    belongs to its nearest point among the nodes *and* the gazetteer's points of the districts the map
    leaves out (``other_lat``/``other_lon``), found with scipy's cKDTree. Cells nearest to a left-out point
    lie in a left-out district and are not part of the theatre, except inside Idlib governorate (all of it
    is in the theatre), where they go to the nearest node. So a node's area is its nearest-community cell
    and the theatre is the polygon cut to the districts of the fighting: without the cut, the coastal
    towns' cells would stretch over the whole Jablah plain. A node that owns no grid cell (two communities
    closer than a cell) takes the cell it lies in.
    """
    from scipy.spatial import cKDTree

    lat0 = math.radians((LAT_MIN + LAT_MAX) / 2)
    kx, ky = 111.320 * math.cos(lat0), 110.574
    glat = np.arange(LAT_MIN + grid_km / ky / 2, LAT_MAX, grid_km / ky)
    glon = np.arange(LON_MIN + grid_km / kx / 2, LON_MAX, grid_km / kx)
    GX, GY = np.meshgrid(glon, glat)
    gx, gy = GX.ravel(), GY.ravel()
    m = inside(poly, gx, gy)
    gx, gy = gx[m], gy[m]
    n = len(lat)
    cells = np.column_stack([gx * kx, gy * ky])
    every = np.column_stack([np.concatenate([lon, other_lon]) * kx, np.concatenate([lat, other_lat]) * ky])
    _, near = cKDTree(every).query(cells)
    gov = np.array([""] * len(gx), dtype=object)
    for g, polys in governorate_polygons().items():
        for p in polys:
            gov[MplPath(p).contains_points(np.column_stack([gx, gy]))] = g
    node_tree = cKDTree(every[:n])
    out_of_theatre = near >= n
    idlib = out_of_theatre & (gov == "Idlib")
    near[idlib] = node_tree.query(cells[idlib])[1]
    keep = near < n
    owner, gov = near[keep], gov[keep].astype(str)
    cells = cells[keep]
    empty = np.flatnonzero(np.bincount(owner, minlength=n) == 0)
    if len(empty):
        _, at = cKDTree(cells).query(every[empty])
        owner[at] = empty
    cell_km2 = grid_km * grid_km
    area = np.bincount(owner, minlength=n) * cell_km2
    gov_names = sorted(set(gov) - {""})
    area_by_gov = {g: np.bincount(owner[gov == g], minlength=n) * cell_km2 for g in gov_names}
    totals = {
        "theatre_km2": float(keep.sum() * cell_km2),
        "polygon_km2": float(m.sum() * cell_km2),
        "nodes_given_their_own_cell": float(len(empty)),
    }
    return area, gov_names, area_by_gov, totals
