"""The village map (scenarios/maps/idlib_communities.json): every community a node, built from the gazetteer.

Checks the rules of ``sim/inputs/mapbuild`` on the committed file, that it is exactly what the build makes,
and that every settlement name the project uses (scenarios, targets, the test scenario, the figures' key
towns, the pattern checks) names exactly one node. ``Theatre.road_km`` (all pairs, Floyd-Warshall) is not
called here: it is too slow on 1,800 nodes.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import defaultdict

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from sim.inputs.geography import Terrain, haversine_km, load_map

from .conftest import ROOT, SCENARIOS
from .conftest import TOWNS_MAP as MAP

VILLAGE = SCENARIOS / "maps" / "idlib_communities.json"


@pytest.fixture(scope="module")
def village():
    return load_map(VILLAGE)


@pytest.fixture(scope="module")
def data():
    return json.loads(VILLAGE.read_text(encoding="utf-8"))


def test_map_rebuilds_identically(tmp_path):
    """The committed village map is exactly what ``python -m sim.inputs.mapbuild`` builds."""
    from sim.inputs.mapbuild.village import build_villages

    out = tmp_path / "villages.json"
    build_villages(out)
    assert out.read_text(encoding="utf-8") == VILLAGE.read_text(encoding="utf-8")


def test_every_community_of_the_theatre(village, data):
    assert 1_500 <= village.n <= 2_500
    assert set(village.governorate) == {"Idlib", "Aleppo", "Hama", "Latakia"}
    for s in data["settlements"]:
        assert {"pcode", "admin2", "admin3", "admin3_pcode", "confidence", "towns_map_cell"} <= set(s)
        assert s["admin3_pcode"].startswith("SY") and s["admin2"] and s["admin3"]
    # only the districts of the fighting (and the marked places, e.g. Latakia city in Lattakia district)
    allowed = {"Al Mara", "Ariha", "Harim", "Idleb", "Jisr-Ash-Shugur", "Jebel Saman", "Afrin", "Azaz"}
    allowed |= {"Hama", "As-Suqaylabiyah", "Muhradah", "Al-Haffa", "Lattakia"}
    assert set(village.admin2) == allowed
    pcodes = [p for p in village.pcode if p]
    assert len(pcodes) == len(set(pcodes)) and len(pcodes) > 1_400


def _scenario_names() -> dict[str, str]:
    """Every settlement name the scenarios, the test scenario, the targets, the figures' key towns and the
    pattern checks use -> where it is used."""
    from sim.fit import patterns
    from sim.inputs.events import ObservationPostsEvent, ReinforcementEvent
    from sim.inputs.loader import load_scenario
    from sim.inputs.targets import load_targets
    from sim.plots.basemap import KEY_TOWNS

    names: dict[str, str] = {}
    for path in [*sorted(SCENARIOS.glob("*.yaml")), ROOT / "tests" / "data" / "mini.yaml"]:
        sc = load_scenario(path, check_map=False).scenario
        used = [x.location for x in sc.formations]
        for f in sc.factions.values():
            used += [*f.supply_sources, *(o for o in f.objectives if o not in ("M4", "M5"))]
        for o in sc.orders:
            used += [o.objective, *([o.start_point] if o.start_point else [])]
        for ev in sc.events.values():
            if isinstance(ev, ReinforcementEvent):
                used += [x.location for x in ev.formations]
            if isinstance(ev, ObservationPostsEvent):
                used += list(ev.settlements)
        names.update(dict.fromkeys(used, path.name))
    names.update({c.settlement: "targets.yaml" for c in load_targets().captures})
    names.update(dict.fromkeys(KEY_TOWNS, "basemap.KEY_TOWNS"))
    names.update({patterns.MAARAT: "patterns.MAARAT", "Idlib": "patterns (Idlib city)"})
    return names


def test_every_name_the_project_uses_names_one_node(village):
    names = _scenario_names()
    assert len(names) >= 50
    unknown = {n: where for n, where in names.items() if not village.knows(n)}
    assert not unknown, unknown


def test_scenarios_pass_the_map_check_on_the_village_map(village):
    """What the lead will switch: every scenario's names, roads and governorates exist in the village map."""
    from sim.inputs.loader import check_against_map, load_scenario

    for path in [*sorted(SCENARIOS.glob("*.yaml")), ROOT / "tests" / "data" / "mini.yaml"]:
        check_against_map(load_scenario(path, check_map=False), village)


def test_names_and_aliases_name_one_node_each(village):
    seen: dict[str, set[int]] = defaultdict(set)
    for i, nm in enumerate(village.names):
        for a in [nm, *village.alt_names[i]]:
            seen[a.casefold()].add(i)
    assert all(len(v) == 1 for v in seen.values()), [k for k, v in seen.items() if len(v) > 1]
    unnamed = [n for n in village.names if n.startswith("near ")]
    assert len(unnamed) > 200 and all(n.endswith(")") and "(OCHA " in n for n in unnamed)


@pytest.mark.parametrize(
    "alias, name",
    [
        ("Ma'arrat al-Nu'man", "Maarrat An Numan"),
        ("Saraqib", "Saraqab"),
        ("Idlib", "Idleb"),
        ("Morek", "Murak"),
        ("Tell Mannas", "Telamnas"),
        ("Al-Eiss", "Iss"),
        ("Kafr Halab", "Kafr Aleppo"),
        ("Sarman", "Sarman"),
        ("Tell Touqan", "Tell Touqan"),
        ("Dana", "Dana"),
        ("Souran", "Suran (Suran)"),
        ("Suran (Azaz)", "Suran (Suran - Aleppo)"),
        ("Ziyarah", "Ziyara"),
        ("saraqib", "Saraqab"),
    ],
)
def test_theatre_resolves_aliases(village, alias, name):
    assert village.names[village.id(alias)] == name


def test_an_ambiguous_alias_is_an_error(village):
    alt = [list(a) for a in village.alt_names]
    alt[0].append("Twin")
    alt[1].append("Twin")
    t = dataclasses.replace(village, alt_names=alt)
    with pytest.raises(KeyError, match="ambiguous"):
        t.id("Twin")
    assert not t.knows("Twin")
    with pytest.raises(KeyError, match="unknown"):
        village.id("Atlantis")
    assert village.suggest("Maarat al-Numan") == "Maarrat An Numan"
    assert village.suggest("Jisr al-Shugur") == "Jisr-Ash-Shugur"


def test_hand_aliases_of_the_build_are_unique():
    from sim.inputs.mapbuild.aliases import hand_alias_index

    with pytest.raises(ValueError, match="names two nodes"):
        hand_alias_index([("Dana", 1, "a"), ("dana", 2, "b")])


def test_each_old_cell_keeps_its_population(village, data):
    """The 123-town map's populations are spread over the communities of each old cell, totals exact."""
    towns = {s["name"]: s for s in json.loads(MAP.read_text(encoding="utf-8"))["settlements"]}
    total: dict[str, int] = defaultdict(int)
    for s in data["settlements"]:
        total[s["towns_map_cell"]] += s["population"]
    assert len(total) == 111  # 123 less the 12 of districts left out
    for name, t in total.items():
        assert t == towns[name]["population"], name
    left_out = set(towns) - set(total)
    assert {towns[n]["controller"] for n in left_out} == {"government"}
    assert left_out == set(data["meta"]["build"]["towns_map_settlements_left_out"])
    assert (village.population >= 0).all()


def test_camps_stay_at_their_towns(village):
    for town, places in (("Atmeh", 200_000), ("Sarmada", 110_000), ("Qah", 70_000), ("Azaz", 40_000)):
        i = village.id(town)
        assert village.camp_capacity[i] == places
        assert village.population[i] >= places
    towns = load_map(MAP)
    assert village.camp_capacity.sum() == towns.camp_capacity.sum()


def test_pocket_population_about_three_million(village):
    pocket = np.array([c == "opposition" for c in village.controller0])
    assert 2.8e6 <= village.population[pocket].sum() <= 3.2e6


def test_cells(village, data):
    assert (village.area_km2 > 0).all()
    assert np.median(village.area_km2) <= 15.0
    assert village.area_km2.sum() == pytest.approx(data["meta"]["build"]["theatre_km2"])
    assert 5_200 <= village.area_by_governorate["Idlib"].sum() <= 5_600  # OCHA: 5,416 km²


def test_roads_connect_every_node_by_the_documented_rule(village):
    e = village.edges
    m = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(village.n, village.n))
    assert connected_components(m, directed=False)[0] == 1
    factor = village.meta["rules"]["road_factor"]
    for u, v, d in village.graph.edges(data=True):
        straight = haversine_km(village.lat[u], village.lon[u], village.lat[v], village.lon[v])
        f = factor["highway"] if d["highways"] else factor["secondary"]
        assert d["length_km"] == pytest.approx(straight * f, abs=0.02)
    deg = np.array([len(x) for x in village.neighbours])
    assert deg.min() >= 1 and 3.5 <= deg.mean() <= 5.0


@pytest.mark.parametrize(
    "road, towns",
    [
        ("M5", ["Hama", "Morek", "Khan Shaykhun", "Maar Hattat", "Ma'arrat al-Nu'man", "Saraqib", "Aleppo"]),
        ("M4", ["Latakia", "Jisr al-Shughur", "Ariha", "Nayrab", "Saraqib", "Aleppo"]),
    ],
)
def test_highways_are_ordered_chains_through_their_towns(village, road, towns):
    chain = village.highways[road]
    idx = [chain.index(village.id(t)) for t in towns]
    assert idx == sorted(idx) and idx[0] == 0 and idx[-1] == len(chain) - 1
    assert len(chain) > 2 * len(towns)  # the villages on the road are in the chain
    for a, b in itertools.pairwise(chain):
        assert village.graph.has_edge(a, b) and road in village.graph.edges[a, b]["highways"]
    assert village.km_from_line(road)[chain].max() < 1.5


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
        ("Jarjnaz", "opposition"),
        ("Salqin", "opposition"),
        ("Afrin", "turkey"),
        ("Azaz", "turkey"),
        ("Tall Rifaat", "sdf"),
        ("Nubl", "government"),
        ("Rashideen", "opposition"),
    ],
)
def test_control_on_1_december(village, name, controller):
    assert village.controller0[village.id(name)] == controller


def test_control_districts_and_overrides(village):
    from sim.inputs.mapbuild.control import CONTROL_OVERRIDES

    for i, a2 in enumerate(village.admin2):
        if a2 == "Harim":
            assert village.controller0[i] == "opposition", village.names[i]
        if a2 == "Afrin":
            assert village.controller0[i] == "turkey", village.names[i]
    for name, (ctl, _) in CONTROL_OVERRIDES.items():
        if village.knows(name):
            assert village.controller0[village.id(name)] == ctl, name


def test_marked_places(village):
    assert village.crossing[village.id("Bab al-Hawa")] and village.crossing[village.id("Azaz")]
    at = {p["name"]: p["settlement"] for p in village.observation_posts}
    assert at["Surman OP"] == "Sarman" and at["Maar Hattat OP"] == "Maar Hattat"
    assert all(village.knows(s) for s in at.values())
    assert village.kind[village.id("Abu al-Duhur Airbase")] == "airbase"


def test_terrain(village):
    assert village.terrain[village.id("Kafr Nabl")] in (Terrain.HILLS, Terrain.URBAN)
    assert village.terrain[village.id("Hazarin")] == Terrain.HILLS
    assert village.terrain[village.id("Ziyarah")] == Terrain.PLAIN
    assert village.terrain[village.id("Kabani")] == Terrain.MOUNTAIN
    assert village.terrain[village.id("Aleppo")] == Terrain.URBAN


def test_the_seeds_places_located(village, data):
    from sim.inputs.mapbuild.seeds import NOT_LOCATED, SEED_PLACES, seed_names

    places, _ = seed_names()
    located = [p for p in places if village.knows(p) and p not in NOT_LOCATED]
    assert len(located) == data["meta"]["build"]["seed_places_located"] >= 100
    for seed, (target, _) in SEED_PLACES.items():
        i = village.id(seed)
        assert village.pcode[i] == target or village.id(target) == i, seed


def test_network_geojson_carries_the_admin_units(village):
    from sim.plots.map_figure import network_geojson

    props = [
        f["properties"] for f in network_geojson(village)["features"] if f["geometry"]["type"] == "Point"
    ]
    i = village.id("Saraqib")
    assert props[i]["pcode"] == "C3916" and props[i]["admin3"] == "Saraqab"
    assert props[i]["admin2"] == "Idleb" and props[i]["admin3_pcode"].startswith("SY07")
    old = network_geojson(load_map(MAP))["features"][0]["properties"]
    assert old["pcode"] == old["admin2"] == old["admin3"] == old["admin3_pcode"] == ""
