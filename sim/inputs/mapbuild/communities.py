"""The communities of the village map: the gazetteer's points, de-duplicated, given admin units, and
selected to the theatre.

Source: ``scenarios/maps/sources/gazetteer/places.csv`` (OCHA community points with P-codes, names from
IOM/OpenStreetMap and GeoNames, IOM 2026 populations; provenance in that folder's README). Rules, in order:

1. **Names.** ``name_en`` (the OCHA/IOM transliteration) folded to plain ASCII (GeoNames diacritics and
   ayn marks dropped, runs of spaces collapsed); ``alt_names`` folded the same way. A point without a name
   is *unnamed* (named later, in ``aliases``).
2. **Near-duplicates** (the gazetteer README's caveat). A point that is not an OCHA community point (a
   GeoNames-only town, or an IOM/OpenStreetMap place) near an OCHA point is the same place, and only the
   OCHA point is kept, at its own coordinates. A GeoNames-only town merges into the nearest OCHA point if it
   is unnamed and within ``MERGE_KM`` (the town's name becomes its name) or named and within
   ``NAMED_MERGE_KM`` (the town's name becomes an alias; a GeoNames town farther from a named point bears
   another village's name). An IOM/OpenStreetMap place carries its own P-code, so it merges only into an
   *unnamed* OCHA point within ``MERGE_KM`` (giving it name, P-code, admin units and population) and stays a
   community of its own next to a named one (two P-codes, two places). A merged point's population is the
   OCHA point's, or the merged point's when the OCHA point has none. Any other point is a community of its
   own.
3. **Admin units.** A point the gazetteer gives no sub-district (its unnamed points and the GeoNames-named
   ones) takes the governorate of the OCHA boundary polygon it lies in, and the district and sub-district
   of the nearest point of that governorate that has them (points named in ``SEATS`` first get the
   sub-district they are the seat of, which has no other named point). ``admin3_pcode`` comes from the IOM
   DTM location list (``admin3_pcodes.csv``: every (district, sub-district) has one).
4. **Theatre.** A community is in the theatre when it lies inside the theatre polygon (``window``) and in a
   district of the fighting (``THEATRE_DISTRICTS``: all of Idleb governorate; Jebel Saman, Afrin and Azaz
   of Aleppo; Hama, As-Suqaylabiyah and Muhradah of Hama; Al-Haffa of Lattakia), or in the Lattakia
   district's hill sub-districts east and north-east of the coastal plain (``LATTAKIA_HILLS``: Rabeea,
   Kasab, Qastal Maaf, Bahlolieh, Ein El-Bayda; the cut leaves out the city's own sub-district and Hanadi,
   the coastal plain). The build adds the marked places (Latakia city) on top.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sim.inputs.mapbuild.areas import governorate_polygons
from sim.inputs.mapbuild.paths import GAZETTEER
from sim.inputs.mapbuild.window import inside

MERGE_KM = 1.5
NAMED_MERGE_KM = 1.0  # a GeoNames town 1-1.5 km from a *named* OCHA point is another village
THEATRE_DISTRICTS = {
    "Idleb": {"Al Mara", "Ariha", "Harim", "Idleb", "Jisr-Ash-Shugur"},
    "Aleppo": {"Jebel Saman", "Afrin", "Azaz"},
    "Hama": {"Hama", "As-Suqaylabiyah", "Muhradah"},
    "Lattakia": {"Al-Haffa"},
}
LATTAKIA_HILLS = {"Rabeea", "Kasab", "Qastal Maaf", "Bahlolieh", "Ein El-Bayda"}
# Named points without admin units that are the seat of a sub-district no other named point falls in.
SEATS = {"Binnish": ("Idleb", "Idleb", "Bennsh"), "Taftanaz": ("Idleb", "Idleb", "Teftnaz")}
# the OCHA boundary file's governorate names -> the gazetteer's admin1
ADM1_OF_POLYGON = {"Idlib": "Idleb", "Aleppo": "Aleppo", "Hama": "Hama", "Latakia": "Lattakia"}
LAT0 = math.radians(35.8)  # the projection for distances (local equirectangular, km)


def xy_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 2) km coordinates on a local equirectangular projection (as the areas grid uses)."""
    return np.column_stack([np.asarray(lon) * 111.320 * math.cos(LAT0), np.asarray(lat) * 110.574])


def fold(name: str) -> str:
    """Plain ASCII: diacritics dropped, ayn/hamza marks (` ‘ ʿ ʾ) removed, spaces collapsed."""
    for mark in ("‘", "ʿ", "`", "ʾ"):
        name = name.replace(mark, "")
    name = name.replace("’", "'")
    nfkd = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in nfkd if not unicodedata.combining(c)).split())


def name_key(name: str) -> str:
    """A spelling-blind key for comparing transliterations: folded, lower case, without the article
    (al-, el-, as-, ...), "tell"/"tal" and anything but letters ("Tell Mardikh" and "Mardikh" agree)."""
    s = re.sub(r"[-'’]", " ", fold(name).lower())
    s = re.sub(r"\b(al|el|ar|as|at|ad|az|an|ash|tell|tall|tal)\b", " ", s)
    return re.sub(r"[^a-z]", "", s)


def read_places() -> pd.DataFrame:
    """``places.csv`` with folded names, alias lists, the OCHA record number and whether it is OCHA's."""
    raw = pd.read_csv(GAZETTEER / "places.csv", dtype={"pcode": str, "population_year": str})
    df = pd.DataFrame(
        {
            "name": [fold(n) if isinstance(n, str) else "" for n in raw["name_en"]],
            "lat": raw["lat"].astype(float),
            "lon": raw["lon"].astype(float),
            "population": raw["population"].astype(float),
            "admin1": raw["admin1"].fillna(""),
            "admin2": raw["admin2"].fillna(""),
            "admin3": raw["admin3"].fillna(""),
            "pcode": raw["pcode"].fillna(""),
            "feature_class": raw["feature_class"].fillna("community"),
            "source": raw["source"],
            "confidence": raw["confidence"],
        }
    )
    df["alts"] = [
        sorted({fold(a) for a in str(s).split("|") if a.strip()} - {n}) if isinstance(s, str) else []
        for s, n in zip(raw["alt_names"], df["name"], strict=True)
    ]
    df["is_ocha"] = df["source"].str.startswith("ocha_pplp_adm4_point")
    rec = df["source"].str.extract(r"ocha_pplp_adm4_point#(\d+)")[0]
    df["ocha"] = pd.to_numeric(rec).fillna(-1).astype(int)
    return df


def merge_near_duplicates(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rule 2: fold each non-OCHA point into the OCHA point it duplicates; returns the kept points and a
    line per merge (for the build summary)."""
    df = df.copy()
    ocha = np.flatnonzero(df["is_ocha"].to_numpy())
    tree = cKDTree(xy_km(df["lat"].to_numpy()[ocha], df["lon"].to_numpy()[ocha]))
    drop, log = [], []
    others = np.flatnonzero(~df["is_ocha"].to_numpy())
    for i in others:
        d, k = tree.query(xy_km(df.at[i, "lat"], df.at[i, "lon"])[0])
        q = int(ocha[k])
        geonames_only = df.at[i, "confidence"] == "geonames_only"
        named = bool(df.at[q, "name"])
        if d > (NAMED_MERGE_KM if named else MERGE_KM) or (named and not geonames_only):
            continue
        drop.append(i)
        if named:
            df.at[q, "alts"] = sorted(
                {*df.at[q, "alts"], df.at[i, "name"], *df.at[i, "alts"]} - {df.at[q, "name"]}
            )
            if np.isnan(df.at[q, "population"]):
                df.at[q, "population"] = df.at[i, "population"]
        else:
            for col in ("name", "alts", "population", "feature_class", "confidence"):
                df.at[q, col] = df.at[i, col]
            if df.at[i, "admin3"]:
                for col in ("admin1", "admin2", "admin3", "pcode"):
                    df.at[q, col] = df.at[i, col]
        df.at[q, "source"] = f"{df.at[q, 'source']}+{df.at[i, 'source']}"
        log.append(f"{df.at[i, 'name']} -> OCHA point {df.at[q, 'ocha']} ({df.at[q, 'name']}, {d:.2f} km)")
    return df.drop(index=drop).reset_index(drop=True), log


def fill_admin(df: pd.DataFrame) -> pd.DataFrame:
    """Rule 3: governorate from the boundary polygons, district and sub-district from the nearest point of
    that governorate that has them; ``admin3_pcode`` from the IOM list."""
    df = df.copy()
    for name, (a1, a2, a3) in SEATS.items():
        m = (df["name"] == name) & (df["admin3"] == "")
        df.loc[m, ["admin1", "admin2", "admin3"]] = [a1, a2, a3]
    xy = xy_km(df["lat"].to_numpy(), df["lon"].to_numpy())
    gov = np.full(len(df), "", dtype=object)
    for poly_name, rings in governorate_polygons().items():
        for ring in rings:
            gov[inside([tuple(p) for p in ring], df["lon"].to_numpy(), df["lat"].to_numpy())] = (
                ADM1_OF_POLYGON[poly_name]
            )
    known = (df["admin3"] != "").to_numpy()
    for g in sorted(set(gov[~known]) | {""}):
        need = np.flatnonzero(~known & (gov == g))
        if not len(need):
            continue
        pool = np.flatnonzero(known & ((df["admin1"] == g).to_numpy() if g else True))
        _, k = cKDTree(xy[pool]).query(xy[need])
        src = pool[k]
        for col in ("admin1", "admin2", "admin3"):
            df.loc[need, col] = df[col].to_numpy()[src]
    table = pd.read_csv(GAZETTEER / "admin3_pcodes.csv")
    code = {(r.adm2_name, r.adm3_name): r.adm3_pcode for r in table.itertuples()}
    df["admin3_pcode"] = [code[(a2, a3)] for a2, a3 in zip(df["admin2"], df["admin3"], strict=True)]
    return df


def in_theatre(df: pd.DataFrame, poly: list[tuple[float, float]]) -> np.ndarray:
    """Rule 4: inside the polygon and in a district (or Lattakia hill sub-district) of the fighting."""
    district = np.array(
        [a2 in THEATRE_DISTRICTS.get(a1, set()) for a1, a2 in zip(df["admin1"], df["admin2"], strict=True)]
    )
    hills = ((df["admin2"] == "Lattakia") & df["admin3"].isin(LATTAKIA_HILLS)).to_numpy()
    return inside(poly, df["lon"].to_numpy(), df["lat"].to_numpy()) & (district | hills)


def gazetteer_points() -> tuple[pd.DataFrame, list[str]]:
    """Every gazetteer point after rules 1-3 (the theatre and beyond: the areas need the points of the
    districts left out too), and the merge log."""
    df, log = merge_near_duplicates(read_places())
    return fill_admin(df), log
