"""``idlib-sim map``: the theatre on the scenario's start date, as a picture and as GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from sim.files import atomic_write_text
from sim.inputs.geography import TERRAIN_NAMES, Terrain, Theatre
from sim.inputs.schema import Scenario
from sim.plots import basemap
from sim.plots.common import save


def control_map(
    ax: Any,
    theatre: Theatre,
    scenario: Scenario,
    controller: list[str],
    title: str,
    posts: list[tuple[int, bool]] | None = None,
    sizes: np.ndarray | None = None,
) -> None:
    colours = {fid: f.color for fid, f in scenario.factions.items()}
    codes = np.array([list(scenario.factions).index(c) for c in controller])
    basemap.setup_axes(ax, theatre)
    basemap.draw_boundaries(ax, theatre)
    basemap.draw_territory(ax, theatre, codes, list(colours.values()))
    basemap.draw_roads(ax, theatre)
    basemap.draw_settlements(ax, theatre, controller, colours, sizes=sizes)
    basemap.draw_marks(ax, theatre, posts)
    basemap.scale_bar(ax, theatre)
    basemap.legend(ax, colours, {fid: f.label.split(" (")[0] for fid, f in scenario.factions.items()})
    ax.set_title(title, fontsize=10)


def write_map_png(theatre: Theatre, scenario: Scenario, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(10, 10.5), dpi=150)
    pop = theatre.population
    opp = sum(p for p, c in zip(pop, theatre.controller0, strict=True) if c == "opposition")
    control_map(
        ax,
        theatre,
        scenario,
        theatre.controller0,
        f"Northwestern Syria on {scenario.start:%d %b %Y}: {theatre.n} settlements, "
        f"{theatre.graph.number_of_edges()} roads; opposition-held population {opp / 1e6:.2f} M\n"
        "(circle area ~ population; shading = nearest-settlement territory; dashed = governorates)",
    )
    fig.tight_layout()
    save(fig, path)


def network_geojson(theatre: Theatre) -> dict[str, Any]:
    """Settlements as Points and roads as LineStrings, for QGIS or geojson.io. Points carry the OCHA
    community P-code, district, sub-district and sub-district P-code where the map has them (the village
    map), so they join to OCHA and IOM tables; empty strings otherwise."""
    feats: list[dict[str, Any]] = []
    posts: dict[str, list[str]] = {}
    for p in theatre.observation_posts:
        posts.setdefault(p["settlement"], []).append(p["name"])
    for i, name in enumerate(theatre.names):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(theatre.lon[i]), float(theatre.lat[i])]},
                "properties": {
                    "id": i,
                    "name": name,
                    "population": int(theatre.population[i]),
                    "controller": theatre.controller0[i],
                    "terrain": TERRAIN_NAMES[Terrain(int(theatre.terrain[i]))],
                    "area_km2": float(theatre.area_km2[i]),
                    "governorate": theatre.governorate[i],
                    "pcode": theatre.pcode[i] if theatre.pcode else "",
                    "admin2": theatre.admin2[i] if theatre.admin2 else "",
                    "admin3": theatre.admin3[i] if theatre.admin3 else "",
                    "admin3_pcode": theatre.admin3_pcode[i] if theatre.admin3_pcode else "",
                    "kind": theatre.kind[i],
                    "camp_capacity": int(theatre.camp_capacity[i]),
                    "border_crossing": bool(theatre.crossing[i]),
                    "observation_posts": posts.get(name, []),
                },
            }
        )
    for u, v, d in sorted(theatre.graph.edges(data=True)):
        feats.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [float(theatre.lon[u]), float(theatre.lat[u])],
                        [float(theatre.lon[v]), float(theatre.lat[v])],
                    ],
                },
                "properties": {
                    "kind": d.get("kind", "secondary"),
                    "highways": d.get("highways", []),
                    "length_km": float(d["length_km"]),
                    "from": theatre.names[u],
                    "to": theatre.names[v],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def write_map(theatre: Theatre, scenario: Scenario, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_map_png(theatre, scenario, out / "map.png")
    atomic_write_text(out / "network.geojson", json.dumps(network_geojson(theatre), indent=1) + "\n")
