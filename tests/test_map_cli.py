"""``idlib-sim map``: a picture and a GeoJSON that opens in QGIS."""

from __future__ import annotations

import json

from sim.cli import main

from .conftest import BASELINE


def test_map_command_writes_png_and_geojson(tmp_path, theatre):
    out = tmp_path / "map"
    assert main(["map", str(BASELINE), "--out", str(out)]) == 0
    png = out / "map.png"
    assert png.stat().st_size > 50_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gj = json.loads((out / "network.geojson").read_text())
    assert gj["type"] == "FeatureCollection"
    points = [f for f in gj["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in gj["features"] if f["geometry"]["type"] == "LineString"]
    assert len(points) == theatre.n
    assert len(lines) == theatre.graph.number_of_edges()
    for f in points:
        assert {"name", "population", "controller", "terrain", "area_km2"} <= set(f["properties"])
        lon, lat = f["geometry"]["coordinates"]
        assert 35.6 < lon < 37.4 and 35.0 < lat < 36.95
    kinds = {f["properties"]["kind"] for f in lines}
    assert {"M4", "M5", "secondary"} <= kinds
    assert all(f["properties"]["length_km"] > 0 for f in lines)
