"""Calibration targets and scoring: citations are exact, fit and holdout never mix, errors are right."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from sim.fit.scoring import NEVER_PENALTY_DAYS, distance, run_errors
from sim.inputs.targets import Targets, capture_date, load_targets

from .conftest import ROOT


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def targets():
    return load_targets(ROOT / "calibration" / "targets.yaml")


def test_every_quote_is_in_its_seed(targets):
    seeds = {p.name: squash(p.read_text(encoding="utf-8")) for p in (ROOT / "seeds").glob("*.txt")}
    groups = [g for g, v in targets if isinstance(v, list)]  # every kind of target, new ones too
    n = 0
    for g in groups:
        for t in getattr(targets, g):
            assert t.source in seeds, (t.id, t.source)
            assert squash(t.quote) in seeds[t.source], t.id
            n += 1
    assert n >= 40


def test_ids_unique_and_settlements_on_the_map(targets, theatre):
    ids = [t.id for _, group in targets if isinstance(group, list) for t in group]
    assert len(ids) == len(set(ids))
    for c in [*targets.captures, *targets.emptied]:
        assert theatre.knows(c.settlement), c.settlement


def test_the_sub_districts_of_spatial_targets_are_on_the_map(targets, theatre):
    pcodes = set(theatre.admin3_pcode)
    for t in [*targets.origins, *targets.away]:
        assert set(t.subdistricts) <= pcodes, (t.id, t.subdistricts)


def test_fit_selection_excludes_holdouts(targets):
    fit = targets.select("fit")
    hold = targets.select("holdout")
    for g in ("captures", "displacement", "territory"):
        assert all(t.use == "fit" for t in getattr(fit, g))
        assert all(t.use == "holdout" for t in getattr(hold, g))
        assert len(getattr(fit, g)) + len(getattr(hold, g)) == len(getattr(targets, g))
    assert fit.captures and hold.captures and fit.displacement and hold.displacement


def tiny_targets(**kw) -> Targets:
    base = {"captures": [], "displacement": [], "territory": [], "highways": []}
    base.update(kw)
    return Targets.model_validate(base)


def cited(**kw):
    return {"use": "fit", "source": "x.txt", "quote": "q", **kw}


def test_capture_error_picks_the_change_closest_in_time():
    caps = pd.DataFrame(
        {
            "date": ["2020-02-05", "2020-02-27", "2020-03-02"],
            "settlement": ["Saraqib", "Saraqib", "Saraqib"],
            "to_controller": ["government", "opposition", "government"],
        }
    )
    assert capture_date(caps, "Saraqib", "government", dt.date(2020, 2, 7)) == pd.Timestamp("2020-02-05")
    assert capture_date(caps, "Saraqib", "government", dt.date(2020, 3, 3)) == pd.Timestamp("2020-03-02")
    assert capture_date(caps, "Idlib", "government", dt.date(2020, 3, 3)) is None


def test_run_errors_signs_and_censoring():
    days = pd.date_range("2019-12-01", "2020-03-31").strftime("%Y-%m-%d")
    daily = pd.DataFrame(
        {"date": days, "displaced_total": range(len(days)), "territory_government_km2": [100.0] * len(days)}
    )
    daily.loc[daily["date"] >= "2020-01-01", "territory_government_km2"] = 700.0
    caps = pd.DataFrame({"date": ["2020-01-30"], "settlement": ["Jarjnaz"], "to_controller": ["government"]})
    t = tiny_targets(
        captures=[
            cited(
                id="a", settlement="Jarjnaz", to="government", date=dt.date(2020, 1, 28), uncertainty_days=1
            ),
            cited(id="b", settlement="Idlib", to="government", date=dt.date(2020, 3, 1), uncertainty_days=5),
        ],
        displacement=[cited(id="c", date=dt.date(2019, 12, 11), value=5.0, rel_uncertainty=0.1)],
        territory=[
            cited(id="d", metric="gain_km2", date=dt.date(2020, 2, 11), value=500.0, uncertainty=100.0)
        ],
    )
    errs = {e.id: e for e in run_errors(daily, caps, t, dt.date(2020, 3, 31))}
    assert errs["a"].error == 2 and errs["a"].scale == 3  # uncertainty floored at 3 days
    assert errs["b"].censored and errs["b"].error == 30 + NEVER_PENALTY_DAYS
    assert errs["c"].error == pytest.approx((10 - 5) / 5)
    assert errs["d"].error == pytest.approx(100.0)  # 700 - 100 gained since 18 Dec, minus 500
    d = distance(list(errs.values()))
    assert d > 0 and distance([]) == float("inf")


def test_abc_particle_seeds_depend_only_on_calibration_seed_and_values():
    from sim.fit.abc_smc import particle_seeds

    a = particle_seeds(2019, [0.25, 0.5, 0.75], 3)
    assert a == particle_seeds(2019, [0.25, 0.5, 0.75], 3)
    assert len(set(a)) == 3
    assert a != particle_seeds(2019, [0.25, 0.5, 0.7500001], 3)
    assert a != particle_seeds(2020, [0.25, 0.5, 0.75], 3)


def test_selection_offers_the_committed_parameters(tmp_path):
    """--select scores the parameters it would replace too; priors new since that fit take the value the
    scenario runs with now."""
    from sim.fit.selection import committed_point

    names = ["combat.kill_rate", "civilians.departure_rate"]
    current = {"combat.kill_rate": 0.02, "civilians.departure_rate": 0.6}
    fit = tmp_path / "fitted_parameters.yaml"
    assert committed_point(names, current, fit) is None  # nothing committed yet
    assert committed_point(names, current, None) is None  # the scenario names no parameters file
    fit.write_text("meta: {}\nparameters:\n  combat: {kill_rate: 0.013}\n  morale: {bombardment: 0.004}\n")
    expected = {"combat.kill_rate": 0.013, "civilians.departure_rate": 0.6}
    assert committed_point(names, current, fit) == expected
    # a fit that names none of the priors offers no candidate
    assert committed_point(["civilians.departure_rate"], current, fit) is None


def test_the_incumbent_runs_a_new_mechanic_as_the_committed_model_does():
    """A parameter new since the committed fit enters the committed candidate at the value the baseline runs
    with (strike_exposure's default 0: the mechanic off), not at the new posterior's median; the committed
    fit is the one the scenario loads (its parameters_file)."""
    import yaml

    from sim.fit.selection import committed_file, committed_point, incumbent_point, scenario_values
    from tests.conftest import ROOT, SCENARIOS

    baseline = SCENARIOS / "baseline.yaml"
    names = ["civilians.threshold_median", "civilians.strike_exposure"]
    now = scenario_values(baseline, names)
    assert now["civilians.strike_exposure"] == 0.0
    fit = ROOT / "calibration" / "fitted_parameters.yaml"
    assert committed_file(baseline) == fit
    assert committed_file(SCENARIOS / "uncalibrated.yaml") is None
    fitted = yaml.safe_load(fit.read_text())["parameters"]
    assert now["civilians.threshold_median"] == fitted["civilians"]["threshold_median"]
    assert committed_point(names, now, fit) == now
    assert incumbent_point(baseline, names) == now


def test_a_subset_calibration_keeps_the_other_committed_parameters(tmp_path):
    """write_fit updates what was fitted and keeps the rest of the committed fit, saying which is which; it
    writes into its output directory and leaves the committed file as it was."""
    import yaml

    from sim.fit.selection import write_fit

    committed = tmp_path / "committed.yaml"
    text = "meta: {}\nparameters:\n  combat: {kill_rate: 0.013}\n  civilians: {departure_rate: 0.6}\n"
    committed.write_text(text)
    out = tmp_path / "out"
    path = write_fit({"civilians.departure_rate": 0.31234567}, {"generations": 1}, out, committed)
    assert path == out / "fitted_parameters.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["parameters"] == {"combat": {"kill_rate": 0.013}, "civilians": {"departure_rate": 0.31235}}
    assert data["meta"]["in_priors"] == ["civilians.departure_rate"]
    assert data["meta"]["not_in_priors_kept"] == ["combat.kill_rate"]
    assert committed.read_text() == text
    # no committed fit (a scenario without parameters_file): only the fitted values
    path = write_fit({"combat.kill_rate": 0.02}, {}, tmp_path / "bare", None)
    assert yaml.safe_load(path.read_text())["parameters"] == {"combat": {"kill_rate": 0.02}}


def _select(monkeypatch, committed: float, challenger: float, noise: float):
    """select_point on fake runs: distance = the parameter's value + a per-seed noise shared by all
    candidates on a seed (the seeds are the same for every candidate) + a small independent term."""
    import argparse

    import numpy as np
    import pandas as pd

    import sim.fit.selection as sel
    from sim.fit.abc_smc import select_point

    def fake_map(jobs, workers, label):
        out = []
        for _, th, (seed,), _ in jobs:
            own = np.random.default_rng([seed, int(th["combat.kill_rate"] * 1e6)]).normal(0, noise)
            shared = np.random.default_rng(seed).normal(0, 1.0)
            out.append({"distance": th["combat.kill_rate"] + shared + own, "d_capture": 0.0})
        return out

    monkeypatch.setattr(sel, "map_progress", fake_map)
    post = pd.DataFrame({"combat.kill_rate": [challenger], "weight": [1.0]})
    args = argparse.Namespace(select=1, seed=7, select_seeds=16, scenario="s", targets="t", workers=1)
    names = ["combat.kill_rate"]
    return select_point(args, names, post, {"combat.kill_rate": challenger}, {"combat.kill_rate": committed})


def test_selection_keeps_the_committed_fit_unless_the_gain_is_beyond_the_noise(monkeypatch):
    from sim.fit.selection import INCUMBENT

    # a challenger better by 0.05 with a per-run noise of 0.5: within two paired standard errors, kept
    point, table, chosen = _select(monkeypatch, committed=1.0, challenger=0.95, noise=0.5)
    assert chosen == INCUMBENT == "committed parameters (previous fit)" and point == {"combat.kill_rate": 1.0}
    assert {"paired_gain_vs_committed", "paired_se"} <= set(table.columns)
    # better by 0.5 with the same noise: replaced (the shared seed noise cancels in the paired difference)
    point, _, chosen = _select(monkeypatch, committed=1.0, challenger=0.5, noise=0.2)
    assert chosen == "weighted median" and point == {"combat.kill_rate": 0.5}


def test_confirm_selection_rejects_an_unknown_candidate(capsys):
    """calibration/confirm_selection.py: a label not in selection.csv is a one-line error, exit code 2,
    before any simulation runs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "confirm_selection", ROOT / "calibration/confirm_selection.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(SystemExit) as e:
        mod.main(["no such particle", "-n", "2"])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "selection.csv" in err and "candidate" in err


def test_a_perfect_replay_of_the_recorded_captures_is_counted_on_the_cells(theatre):
    """calibration/territory_replay.py: the communities the seeds name as taken by 11 Feb, on the village
    map, and their area (a lower bound of the seeds' 600 km²: unnamed villages are not counted)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("replay", ROOT / "calibration" / "territory_replay.py")
    replay = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(replay)
    nodes = replay.replay(theatre, "2019-12-19", "2020-02-11")
    assert theatre.id("Saraqib") in nodes and theatre.id("Ma'arrat al-Nu'man") in nodes
    assert len(nodes) >= 20 and 200 < theatre.area_km2[nodes].sum() < 1000


def test_selection_also_scores_the_closest_particles_when_the_weights_degenerate(monkeypatch):
    """With one particle holding nearly all the weight, the next highest-weight ones are close to a random
    draw: the candidates must also include the particles the ABC distance ranked best."""
    import argparse

    import pandas as pd

    import sim.fit.abc_smc as abc

    seen = []
    monkeypatch.setattr(abc, "score_candidates", lambda args, names, cands: seen.extend(cands))
    post = pd.DataFrame(
        {
            "combat.kill_rate": [0.1, 0.2, 0.3, 0.4],
            "weight": [0.97, 0.01, 0.01, 0.01],
            "distance": [4.0, 5.0, 3.0, 3.5],
        }
    )
    args = argparse.Namespace(select=2)
    abc.select_point(args, ["combat.kill_rate"], post, {"combat.kill_rate": 0.1}, None)
    values = sorted(th["combat.kill_rate"] for _, th in seen)
    # the weighted median (= the heaviest particle, scored once), the 2nd heaviest, and the 2 closest
    assert values == [0.1, 0.2, 0.3, 0.4]
    assert any("distance 3.00" in label for label, _ in seen)
