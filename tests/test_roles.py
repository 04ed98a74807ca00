"""Faction roles come from the scenario: the engine treats a faction specially only because the scenario's
``roles:`` (and a faction's ``posts:``) say so, never because of its id."""

from __future__ import annotations

import numpy as np
import pytest

from sim.cli import main
from sim.wargame.model import IdlibModel

from .conftest import BASELINE
from .synthetic import line_theatre, scenario


def _validate(capsys, write, body: str) -> tuple[int, str]:
    p = write("child.yaml", f"extends: {BASELINE}\n{body}")
    code = main(["validate", str(p)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ("roles: {offensive: regime}\n", "roles.offensive", "unknown faction 'regime'"),
        ("roles: {local_defence: rebels}\n", "roles.local_defence", "unknown faction 'rebels'"),
        ("roles: {guarantor: government}\n", "roles.guarantor", "has no 'posts:'"),
        # the child removed the posts the baseline's guarantor and posts events need: the child is blamed
        ("factions: {turkey: {posts: null}}\n", "factions.turkey.posts", "has no 'posts:'"),
        ("roles: {guarantor: null}\nfactions: {turkey: {posts: null}}\n", "factions.turkey.posts", "posts"),
        ("outputs: {governorates: [Idleb]}\n", "outputs.governorates.0", "unknown governorate 'Idleb'"),
    ],
)
def test_a_bad_role_is_a_one_line_error(capsys, write, body, field, problem):
    code, err = _validate(capsys, write, body)
    assert code == 2
    assert "child.yaml" in err and field in err and problem in err and len(err.strip().splitlines()) == 1


def test_local_defenders_belong_to_the_local_defence_role():
    """With the opposition as ``local_defence`` its villages are held by volunteers raised from the residents
    (militia_per_capita x population); with no such role, by a garrison of combat.garrison men."""
    th = line_theatre()
    militia = IdlibModel(scenario(), th, civilians=False, rng=1).battlefield
    cp = scenario().parameters.combat
    opp = militia.controller == militia.code("opposition")
    assert np.allclose(militia.garrison[opp], cp.militia_per_capita * th.population[opp])
    garrison = IdlibModel(scenario(roles={"offensive": "government"}), th, civilians=False, rng=1).battlefield
    assert np.allclose(garrison.garrison, cp.garrison)
    assert garrison.local_defence_code == -1


def test_the_guarantor_role_places_the_maps_posts_with_the_factions_post_statistics():
    factions = scenario().model_dump()["factions"]
    posts = {"group": "TSK", "strength": 120, "quality": 1.4, "cohesion": 0.85, "morale": 0.8}
    factions["observer"] = {"label": "Obs", "color": "blue", "kind": "guarantor", "posts": posts}
    th = line_theatre()
    th.observation_posts.append({"name": "OP", "settlement": "S4"})
    roles = {"offensive": "government", "local_defence": "opposition"}
    without = IdlibModel(scenario(factions=factions, roles=roles), th, civilians=False, rng=1)
    assert not [f for f in without.formations if f.faction == "observer"]
    with_role = IdlibModel(
        scenario(factions=factions, roles={**roles, "guarantor": "observer"}), th, civilians=False, rng=1
    )
    (post,) = [f for f in with_role.formations if f.faction == "observer"]
    assert (post.strength, post.quality, post.cohesion, post.morale) == (120, 1.4, 0.85, 0.8)
    assert post.astana_post and with_role.theatre.names[post.node] == "S4"
    with_role.step()
    assert "turkish_killed" in with_role.daily[-1] and "turkish_killed" not in (without.step() or {})


def test_the_headline_columns_follow_the_offensive_role():
    """The '_gov' columns measure roles.offensive: name the opposition and they measure its ground."""
    th = line_theatre()
    th.area_by_governorate = {"Idlib": np.full(th.n, 50.0)}
    sc = scenario(outputs={"governorates": ["Idlib"]})
    m = IdlibModel(sc, th, civilians=False, rng=1)
    m.step()
    gov = m.daily[-1]["idlib_gov_share"]
    flipped = scenario(outputs={"governorates": ["Idlib"]}, roles={"offensive": "opposition"})
    m2 = IdlibModel(flipped, th, civilians=False, rng=1)
    m2.step()
    assert m2.daily[-1]["idlib_gov_share"] == pytest.approx(1.0 - gov)
    none = IdlibModel(scenario(roles={}), th, civilians=False, rng=1)
    none.step()
    assert "idlib_gov_share" not in none.daily[-1]
