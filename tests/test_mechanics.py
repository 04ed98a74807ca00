"""Each mechanic alone: attrition, breakpoints, supply, morale, air allocation, Turkish strikes, timeline."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.inputs.parameters import AirParams, CombatParams, MoraleParams
from sim.inputs.roads import RoadGraph
from sim.inputs.timeline import Timeline
from sim.wargame import air
from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel
from sim.wargame.rules.airpower import allocate_strikes, artillery_strikes, strategic_weights
from sim.wargame.rules.combat import (
    attacker_halts,
    defender_breaks,
    effective_power,
    expected_casualties,
    frontage_factor,
    resolve_engagement,
    split_losses,
)
from sim.wargame.rules.morale import update_morale
from sim.wargame.rules.supply import connected_to_sources, update_supply

from .synthetic import line_theatre, scenario


def test_effective_power_formula():
    p = effective_power(np.array([1000.0]), np.array([1.2]), np.array([0.5]), np.array([0.0]), 0.4)
    assert p[0] == pytest.approx(1000 * 1.2 * 0.5 * 0.4)


def test_attrition_matches_its_expectation():
    """Mean simulated losses equal the square-law expectation (Gamma intensity has mean 1)."""
    cp = CombatParams(kill_rate=0.02, dispersion_k=3.0)
    rng = np.random.default_rng(0)
    a_str, d_str = np.array([4000.0, 2000.0]), np.array([1500.0, 500.0])
    a_pow, d_pow = a_str * 0.9, d_str * 0.8
    protection, sorties = 1.5, 10.0
    runs = [
        resolve_engagement(rng, a_str, a_pow, d_str, d_pow, protection, sorties, 1.0, cp) for _ in range(4000)
    ]
    pa = a_pow.sum() * (1 + cp.air_support * sorties)
    e_def, e_att = expected_casualties(pa, d_pow.sum(), protection, cp.kill_rate)
    mean_def = np.mean([r.defender_losses.sum() for r in runs])
    mean_att = np.mean([r.attacker_losses.sum() for r in runs])
    assert mean_def == pytest.approx(e_def, rel=0.03)
    assert mean_att == pytest.approx(e_att, rel=0.03)
    # losses split in proportion to strength
    share = np.mean([r.defender_losses[0] / max(r.defender_losses.sum(), 1) for r in runs])
    assert share == pytest.approx(0.75, abs=0.02)


def test_square_law_direction():
    cp = CombatParams()
    e1, _ = expected_casualties(1000, 500, 1.0, cp.kill_rate)
    e2, _ = expected_casualties(2000, 500, 1.0, cp.kill_rate)
    e3, _ = expected_casualties(2000, 500, 2.0, cp.kill_rate)
    assert e2 == pytest.approx(2 * e1) and e3 == pytest.approx(e1)


def test_losses_never_exceed_strength():
    rng = np.random.default_rng(1)
    s = np.array([10.0, 3.0, 0.0])
    for _ in range(200):
        lost = split_losses(rng, s, 1e6)
        assert (lost <= s).all() and (lost >= 0).all()


def test_frontage_limits_defenders():
    assert frontage_factor(1000, 2000) == 1.0
    assert frontage_factor(4000, 2000) == 0.5


def test_breakpoints():
    cp = CombatParams(withdraw_attrition=0.06, defender_break_loss=0.2, morale_break=0.3)
    assert not defender_breaks(0.03, 0.1, 0.7, cp)
    assert defender_breaks(0.07, 0.1, 0.7, cp)  # ADM daily threshold
    assert defender_breaks(0.03, 0.21, 0.7, cp)  # Helmbold cumulative
    assert defender_breaks(0.03, 0.1, 0.25, cp)  # broken morale
    assert attacker_halts(0.31, 0.8, cp) and not attacker_halts(0.1, 0.8, cp)


def test_supply_cut_by_encirclement():
    # 0-1-2-3-4 line, source at 0; opposition holds 2 -> 3 and 4 are cut off
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
    passable = np.array([True, True, False, True, True])
    conn = connected_to_sources(edges, passable, np.array([0]))
    assert conn.tolist() == [True, True, False, False, False]
    assert connected_to_sources(edges, np.ones(5, bool), np.array([0])).all()
    s = update_supply(np.array([0.5, 0.5]), np.array([True, False]), 0.25, 0.1)
    assert s[0] > 0.5 > s[1]


def test_morale_drains_and_recovers():
    mp = MoraleParams()
    one = np.ones(1)
    m = update_morale(
        one * 0.7, one * 0.8, one * 0.1, one * 10, one * 0.2, np.array([True]), one * 3, one * 0, mp
    )
    assert m[0] < 0.7
    quiet = update_morale(
        one * 0.5, one * 0.8, one * 0, one * 0, one, np.array([False]), one * 0, one * 0, mp
    )
    assert 0.5 < quiet[0] <= 0.8
    extreme = update_morale(
        one * 0.1, one * 0.8, one * 5, one * 100, one * 0, np.array([True]), one * 9, one * 0, mp
    )
    assert extreme[0] >= 0.05


def test_air_allocation_conserves_sorties_in_expectation():
    rng = np.random.default_rng(2)
    ap = AirParams(front_share=0.6)
    cas_w = np.array([0, 0, 5, 0, 0.0])
    sw = strategic_weights(
        np.array([False, False, True, True, True]),
        np.array([0, 0, 1e4, 4e4, 9e4]),
        np.array([0, 0, 1, 10, 30.0]),
        np.ones(5),
        ap,
    )
    assert sw[0] == sw[1] == 0
    tot = np.zeros(5)
    cas_tot = np.zeros(5)
    for _ in range(3000):
        plan = allocate_strikes(rng, 50, cas_w, sw, ap.front_share)
        tot += plan.strikes
        cas_tot += plan.cas
        assert not plan.defence.any()
    assert tot.sum() / 3000 == pytest.approx(50, rel=0.02)
    assert cas_tot[2] / 3000 == pytest.approx(30, rel=0.03)
    assert tot[0] == tot[1] == 0  # nothing falls on own-held settlements


def test_close_support_splits_between_attack_and_defence():
    """CAS goes where the ground battle is: to own attacks and against enemy attacks, by attacking power;
    the defensive sorties land on the attackers' staging settlements and are conserved."""
    rng = np.random.default_rng(4)
    ap = AirParams(front_share=0.6)
    cas_w = np.array([0, 0, 5, 0, 0.0])  # own units attack settlement 2 with power 5
    def_w = np.array([15, 0, 0, 0, 0.0])  # enemy units attack own settlement 0 with power 15 ...
    staging = np.zeros((5, 5))
    staging[0, 3] = 1.0  # ... from settlement 3
    sw = np.array([0, 0, 1, 1, 1.0])
    n = 3000
    cas, dfc, hit = np.zeros(5), np.zeros(5), np.zeros(5)
    for _ in range(n):
        plan = allocate_strikes(rng, 40, cas_w, sw, ap.front_share, def_w, staging)
        cas += plan.cas
        dfc += plan.defence
        hit += plan.strikes
    # 24 CAS sorties a day: a quarter for the attack on 2, three quarters against the attack on 0
    assert cas[2] / n == pytest.approx(6, rel=0.05)
    assert dfc[0] / n == pytest.approx(18, rel=0.03)
    assert hit.sum() / n == pytest.approx(40, rel=0.02)
    assert hit[0] == 0 and hit[1] == 0  # nothing falls on own-held settlements
    assert hit[3] / n > 18  # the defensive sorties hit the attackers where they stand


def test_defensive_air_support_multiplies_the_defender():
    p = CombatParams(air_support=0.02, dispersion_k=1e6)
    args = (np.array([3000.0]), np.array([3000.0]), np.array([1000.0]), np.array([1000.0]), 1.3, 0.0, 1.0, p)
    none = resolve_engagement(np.random.default_rng(1), *args)
    held = resolve_engagement(np.random.default_rng(1), *args, defence_sorties=20)
    assert held.defence_power == pytest.approx(1.4 * none.defence_power)
    assert held.attack_power == pytest.approx(none.attack_power)
    assert held.attacker_losses.sum() > none.attacker_losses.sum()


def test_artillery_spreads_over_adjacent_enemy():
    art = artillery_strikes([np.array([2, 3]), np.array([], dtype=int)], np.array([2000.0, 5000.0]), 1.0, 5)
    assert art.tolist() == [0, 0, 1.0, 1.0, 0]


def test_timeline_weather_and_sorties():
    sc = scenario(
        events={
            "storm": {
                "kind": "weather",
                "start": dt.date(2020, 1, 5),
                "end": dt.date(2020, 1, 6),
                "air_factor": 0.2,
                "ground_factor": 0.5,
            },
            "surge": {
                "kind": "air_campaign",
                "faction": "government",
                "start": dt.date(2020, 1, 3),
                "end": dt.date(2020, 1, 10),
                "sorties_per_day": 80,
            },
        }
    )
    tl = Timeline(sc)
    assert tl.planned_sorties["government"][0] == 10
    assert tl.planned_sorties["government"][2] == 80
    assert tl.air_factor[4] == 0.2 and tl.air_factor[6] == 1.0
    assert tl.ground_factor[5] == 0.5


def test_turkish_strikes_kill_and_hurt_morale():
    from sim.inputs.parameters import TurkeyParams
    from sim.wargame.rules.guarantor import incident_probability, strike_formations

    class F:
        def __init__(self):
            self.strength, self.morale = 1000.0, 0.8

        def lose(self, men):
            men = min(men, self.strength)
            self.strength -= men
            return men

    rng = np.random.default_rng(3)
    fs = [F(), F()]
    killed = strike_formations(rng, fs, 20, TurkeyParams(strike_kills=3.0))
    assert killed > 0
    assert all(f.morale < 0.8 for f in fs) or any(f.morale < 0.8 for f in fs)
    assert incident_probability(np.array([0.0, 10.0]), 0.05).tolist()[0] == 0.0


def test_a_unit_out_of_the_line_recovers_faster():
    mp = MoraleParams(recovery=0.05, rest_recovery=0.2)
    one = np.ones(2)
    args = (one * 0.2, one * 0.7, one * 0, one * 0, one, np.zeros(2, bool), one * 0, one * 0, mp)
    m = update_morale(*args, resting=np.array([True, False]))
    assert m[0] == pytest.approx(0.2 + 0.2 * 0.5)
    assert m[1] == pytest.approx(0.2 + 0.05 * 0.5)
    assert update_morale(*args)[0] == pytest.approx(m[1])  # no resting mask: everyone in the line


def test_air_power_meets_a_counter_attack():
    """A government air force with no attack of its own flies its close support against the opposition
    unit attacking a government-held settlement (seed [000], Nayrab, 20 Feb 2020)."""
    m = IdlibModel(
        scenario(orders=[]),
        line_theatre(controllers=["government"] * 3 + ["opposition"] * 4),
        civilians=False,
        rng=1,
    )
    raider = m.formation_by_spec["o1"]  # at S3, next to government-held S2
    raider.posture, raider.target = Posture.ATTACK, 2
    m.faction_by_id["government"].sorties_today = 40.0
    air.strike(m)
    assert m.cas.sum() == 0  # no government attack to support
    assert m.defence_cas[2] > 0  # the defenders of S2 get close support ...
    assert m.strikes_by["government"][3] > 0  # ... which lands on the attackers at S3


def test_two_link_reach_is_every_settlement_within_two_road_links():
    """Theatre.reach2, cached for IdlibModel.threat(hops=2), against breadth-first search on the graph."""
    import networkx as nx

    from tests.synthetic import line_theatre

    t = line_theatre(7)
    t.graph.add_edge(0, 4, length_km=8.0)  # a shortcut, so that reach is not just the band of a line
    for cached in ("adjacency", "edges", "edge_km", "neighbours", "road_graph", "reach1", "reach2", "degree"):
        t.__dict__.pop(cached, None)
    for i in range(t.n):
        within = nx.single_source_shortest_path_length(t.graph, i, cutoff=2)
        expect = np.zeros(t.n)
        expect[[j for j, hops in within.items() if hops >= 1 or t.graph.degree(i) > 0]] = 1.0
        assert np.array_equal(t.reach2[i].toarray().ravel(), expect)
    assert np.array_equal(t.reach1.toarray(), t.adjacency.astype(float))


def test_overrun_breaks_a_defence_at_overwhelming_odds_whatever_its_losses():
    """combat.overrun_ratio: off at 0 (the default); on, odds at or above it break a defence that lost
    little, and odds below it do not."""
    off = CombatParams(withdraw_attrition=0.06, defender_break_loss=0.2, morale_break=0.3)
    assert off.overrun_ratio == 0.0
    assert not defender_breaks(0.01, 0.01, 0.9, off, odds=50.0)
    on = CombatParams(withdraw_attrition=0.06, defender_break_loss=0.2, morale_break=0.3, overrun_ratio=6.0)
    assert defender_breaks(0.01, 0.01, 0.9, on, odds=6.0)
    assert not defender_breaks(0.01, 0.01, 0.9, on, odds=5.9)
    assert defender_breaks(0.07, 0.01, 0.9, on, odds=1.0)  # the loss breakpoints still hold
    # the odds an engagement reports are its attacking power over defending power x protection
    res = resolve_engagement(
        np.random.default_rng(1), np.array([900.0]), np.array([900.0]), np.array([100.0]),
        np.array([100.0]), 1.5, 0.0, 1.0, on,
    )  # fmt: skip
    assert np.isclose(res.odds, res.attack_power / (res.defence_power * 1.5))


def _random_roads(rng: np.random.Generator, n: int, draws: int) -> tuple[np.ndarray, RoadGraph]:
    """A random road network on ``n`` nodes: ``draws`` random pairs, self-loops and repeats dropped, as the
    map's sorted unique edge list, and its ``RoadGraph``."""
    pairs = {tuple(sorted(p)) for p in rng.integers(0, n, (draws, 2)).tolist() if p[0] != p[1]}
    edges = np.array(sorted(pairs), dtype=np.int64)
    return edges, RoadGraph(n, edges)


def test_road_graph_is_the_matrix_built_from_triplets():
    """Theatre.road_graph picks kept entries from a fixed sorted order instead of re-sorting triplets on
    each call; it must give the same sparse matrix, entry for entry, for any subset and weights."""
    from scipy.sparse import csr_matrix

    rng = np.random.default_rng(5)
    n = 30
    edges, graph = _random_roads(rng, n, 80)
    for _ in range(5):
        keep = rng.random(len(edges)) < 0.6
        w = rng.random(len(edges)) * 10
        e, ww = edges[keep], w[keep]
        ref = csr_matrix((np.r_[ww, ww], (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])), shape=(n, n))
        got = graph.csr(w, keep)
        assert np.array_equal(got.indptr, ref.indptr)
        assert np.array_equal(got.indices, ref.indices)
        assert np.array_equal(got.data, ref.data)
        assert graph.csr(None, keep).sum() == 2 * keep.sum()
        # among a subset of nodes: the same entries as scipy's fancy indexing of the whole graph
        nodes = np.flatnonzero(rng.random(n) < 0.5)
        inside = np.isin(edges, nodes).all(axis=1)
        sub = graph.csr(w, keep & inside, nodes=nodes)
        ref_sub = graph.csr(w, keep & inside)[nodes][:, nodes]
        assert sub.shape == (nodes.size, nodes.size)
        assert np.array_equal(sub.indptr, ref_sub.indptr)
        assert np.array_equal(sub.indices, ref_sub.indices)
        assert np.array_equal(sub.data, ref_sub.data)


def test_nearest_of_several_sources_is_the_minimum_of_their_rows():
    """``ShortestPaths.nearest``: one search from all the sources gives, node by node, the minimum of the
    sources' own distance rows (what the offensive planner took before, row by row)."""
    from sim.inputs.roads import ShortestPaths

    rng = np.random.default_rng(7)
    n = 60
    edges, graph = _random_roads(rng, n, 150)
    for _ in range(5):
        keep = rng.random(len(edges)) < 0.7  # some nodes unreachable: infinite either way
        paths = ShortestPaths(graph.csr(rng.random(len(edges)) * 10, keep))
        sources = rng.integers(0, n, 4).tolist()
        expected = np.min([paths.dist[s] for s in sources], axis=0)
        assert np.array_equal(paths.nearest(sources), expected)
