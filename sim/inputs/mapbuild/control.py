"""Who held what on 1 December 2019, after the summer-2019 offensive, and where each part of the line
comes from.

Rule (step 7 of the build): a settlement is government-held unless it lies inside the opposition pocket
polygon, inside the Turkish-held Afrin/Azaz polygon, or within ``SDF_HELD_RADIUS_KM`` of Tall Rifaat (later
rules win); ``CONTROL_OVERRIDES`` then settle the places the polygons' straight edges get wrong. Every
settlement carries the note of the rule that set its controller. Polygons are (lon, lat) rings. The village
map applies the same rules to its communities (``community_control``), plus ``DISTRICT_CONTROL`` (whole
districts one side held, whose border villages the polygons' straight edges cut off) and overrides for a
few places only it has; an override of a 123-town settlement covers that settlement's old cell.
"""

from __future__ import annotations

import numpy as np

from sim.inputs.geography import haversine_km
from sim.inputs.mapbuild.window import inside

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
    # places only the village map has (its communities), where the polygons' straight edges are wrong
    "Barsah": ("opposition", "seed [000]: Barsah, W of the Abu al-Duhur airbase, taken on 15 Jan 2020"),
    "Hayan": ("opposition", "taken by the government on 16-17 Feb 2020 with Anadan and Haritan [GK]"),
    "Bayanoun": ("opposition", "taken by the government on 16-17 Feb 2020 with Anadan and Haritan [GK]"),
}
# The Umm Jalal axis: seed [000] has the 19-22 Dec 2019 push "along the Umm Jalal axis" take "over 15 towns
# and villages" of the south-eastern countryside, so these were opposition-held on 1 Dec; the 123-town map
# put them in Al-Tamanah's cell (government since August 2019). Which villages: those of the Tamanaah
# sub-district north of Al-Tamanah and west of Umm al-Khalakhil (entered on 24 Nov) [est].
UMM_JALAL_AXIS = [
    "Umm Jalal",
    "near Um Jalal (OCHA 4041)",
    "near Um Jalal (OCHA 4045)",
    "Abu Habbeh",
    "Big Khwein",
    "near Big Khwein (OCHA 4047)",
    "Farja (Tamanaah)",
    "Breiseh",
    "near Breiseh (OCHA 4018)",
]
CONTROL_OVERRIDES.update(
    dict.fromkeys(
        UMM_JALAL_AXIS,
        (
            "opposition",
            "seed [000]: taken in the 19-22 Dec 2019 push along the Umm Jalal axis [est: which villages]",
        ),
    )
)
# Districts held whole by one side on 1 December 2019 (village map only: the polygons' straight edges cut
# their border villages off): Harim district by the opposition, Afrin district by Turkish-backed forces
# since March 2018.
DISTRICT_CONTROL = {
    "Harim": ("opposition", "Harim district, opposition-held as a whole on 1 Dec 2019 [GK]"),
    "Afrin": ("turkey", "Afrin district, held by Turkish-backed forces since March 2018 (seed [004])"),
}
CONTROL_NOTES = {
    "opposition": "Inside the 1 Dec 2019 pocket polygon: the front after the summer-2019 offensive (issue 2; "
    "seeds [000], [002]); vertices traced by hand from the front-line descriptions [GK].",
    "turkey": "Afrin and Azaz districts under Turkish-backed forces since 2016-2018 (issue 2; seed [004]).",
    "sdf": "Tall Rifaat enclave held by the SDF/YPG with a Russian presence [GK]; takes no part.",
    "government": "Outside the pocket: government-held (Aleppo city, Hama, Latakia, SE Idlib east of the "
    "Abu al-Duhur line) [GK].",
}


def polygon_control(
    lat: np.ndarray, lon: np.ndarray, sdf_centre: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Controller and note by the polygons and the SDF radius alone (later rules win)."""
    n = len(lat)
    controller = np.array(["government"] * n, dtype=object)
    note = np.array([CONTROL_NOTES["government"]] * n, dtype=object)
    opp = inside(OPPOSITION_POCKET, lon, lat)
    controller[opp] = "opposition"
    note[opp] = CONTROL_NOTES["opposition"]
    tk = inside(TURKISH_HELD, lon, lat)
    controller[tk] = "turkey"
    note[tk] = CONTROL_NOTES["turkey"]
    if sdf_centre is not None:
        c = sdf_centre
        sdf = haversine_km(lat, lon, lat[c], lon[c]) < SDF_HELD_RADIUS_KM
        controller[sdf] = "sdf"
        note[sdf] = CONTROL_NOTES["sdf"]
    return controller, note


def control(lat: np.ndarray, lon: np.ndarray, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Controller and control note of every settlement (in map order)."""
    controller, note = polygon_control(lat, lon, index.get(SDF_HELD_CENTRE))
    for nm, (ctl, why) in CONTROL_OVERRIDES.items():
        if nm in index:
            controller[index[nm]] = ctl
            note[index[nm]] = why
    return controller, note


def community_control(
    lat: np.ndarray,
    lon: np.ndarray,
    admin2: np.ndarray,
    resolve: dict[str, int],
    cells: dict[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Control of the village map's nodes, later rules winning: the same polygons and SDF radius; an
    override naming a 123-town settlement (resolved through aliases, ``resolve``: case-blind name -> node)
    for the communities of its old cell (``cells``: name -> nodes), which that map held as one place;
    ``DISTRICT_CONTROL`` by the node's district (``admin2``), surer than a cell's edge; every override for
    the community it names (so a community's own override wins over a neighbouring town's cell)."""
    controller, note = polygon_control(lat, lon, resolve.get(SDF_HELD_CENTRE.casefold()))
    named = {nm: resolve[nm.casefold()] for nm in CONTROL_OVERRIDES if nm.casefold() in resolve}
    for nm, (ctl, why) in CONTROL_OVERRIDES.items():
        if nm in named and nm in cells:
            controller[cells[nm]] = ctl
            note[cells[nm]] = f"{why} (the 123-town map's cell of {nm})"
    for district, (ctl, why) in DISTRICT_CONTROL.items():
        controller[admin2 == district] = ctl
        note[admin2 == district] = why
    for nm, (ctl, why) in CONTROL_OVERRIDES.items():
        if nm in named:
            controller[named[nm]] = ctl
            note[named[nm]] = why
    return controller, note
