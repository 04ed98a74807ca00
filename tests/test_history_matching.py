"""History matching: the implausibility measure, the waves' boxes, reproducibility and resuming."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.fit.implausibility import (
    implausibility,
    kth_largest,
    latin_hypercube,
    nroy_box,
    parse_discrepancy,
    wave_seeds,
)
from sim.inputs.errors import InputError


def test_implausibility_by_hand():
    # errors 2 and 4 days over two seeds: mean 3, variance 2 (ddof 1), times (1 + 1/2) = 3;
    # observation sd 1, discrepancy 0: sqrt(1 + 0 + 3) = 2, so I = 3 / 2
    errors = np.array([[[2.0], [4.0]]])
    assert implausibility(errors, np.array([1.0]), np.array([0.0]))[0, 0] == pytest.approx(1.5)
    # the discrepancy adds to the denominator
    assert implausibility(errors, np.array([1.0]), np.array([np.sqrt(5.0)]))[0, 0] == pytest.approx(1.0)
    # the sign of the error does not matter
    assert implausibility(-errors, np.array([1.0]), np.array([0.0]))[0, 0] == pytest.approx(1.5)


def test_one_seed_counts_no_ensemble_variance():
    errors = np.array([[[6.0]]])
    assert implausibility(errors, np.array([3.0]), np.array([0.0]))[0, 0] == pytest.approx(2.0)
    with pytest.raises(ValueError):
        implausibility(np.zeros((2, 3)), np.ones(3), np.zeros(3))


def test_a_capture_produced_in_under_half_the_runs_is_judged_at_the_penalty():
    """The median and the spread of the runs that produced the event (module docstring): produced in
    two runs of three, it is judged on their timing; in one of three, at the censoring penalty."""
    penalty = 120.0
    obs, disc = np.array([3.0]), np.array([3.0])
    errors = np.array([[[1.0], [5.0], [penalty]]])
    censored = np.array([[[False], [False], [True]]])
    # median 5; spread of (1, 5): sqrt(8), times (1 + 1/3); sqrt(9 + 9 + 8 * 4 / 3)
    got = implausibility(errors, obs, disc, censored)[0, 0]
    assert got == pytest.approx(5.0 / np.sqrt(18.0 + 32.0 / 3.0))
    once = np.array([[[1.0], [penalty], [penalty]]])
    assert implausibility(once, obs, disc, np.array([[[False], [True], [True]]]))[0, 0] > 3
    # with the mean and the variance of all runs the same point would pass (the reason for the median)
    m, v = once.mean(), once.var(ddof=1) * (1 + 1 / 3)
    assert m / np.sqrt(18.0 + v) < 3
    never = np.full((1, 3, 1), penalty)
    assert implausibility(never, obs, disc, np.ones((1, 3, 1), dtype=bool))[0, 0] > 3


def test_kth_largest():
    imp = np.array([[0.5, 4.0, 2.0], [1.0, 1.0, 9.0]])
    assert kth_largest(imp, 1).tolist() == [4.0, 9.0]
    assert kth_largest(imp, 2).tolist() == [2.0, 1.0]
    with pytest.raises(ValueError):
        kth_largest(imp, 4)


def test_latin_hypercube_is_stratified_and_reproducible():
    a = latin_hypercube(3, 10, seed=7, wave=1)
    assert a.shape == (10, 3) and (a >= 0).all() and (a < 1).all()
    for j in range(3):  # one point in each tenth of every dimension
        assert sorted(np.floor(a[:, j] * 10).astype(int)) == list(range(10))
    assert np.array_equal(a, latin_hypercube(3, 10, seed=7, wave=1))
    assert not np.array_equal(a, latin_hypercube(3, 10, seed=7, wave=2))
    assert wave_seeds(7, 1, 3) == wave_seeds(7, 1, 3) != wave_seeds(7, 2, 3)


def test_nroy_box_holds_the_kept_points_within_the_unit_cube():
    unit = np.array([[0.1, 0.5], [0.5, 0.52], [0.9, 0.9], [0.0, 0.99]])
    keep = np.array([True, True, False, False])
    lo, hi = nroy_box(unit, keep, pad=0.1)
    assert (lo <= unit[keep]).all() and (unit[keep] <= hi).all()
    assert lo[0] == pytest.approx(0.1 - 0.04) and hi[0] == pytest.approx(0.5 + 0.04)
    # a dimension spanned at a narrow range still gets a stratum's width (1 / 4 points)
    assert hi[1] - lo[1] >= 0.25
    assert nroy_box(unit, np.zeros(4, dtype=bool)) is None
    lo, hi = nroy_box(unit, np.ones(4, dtype=bool), pad=0.5)
    assert (lo >= 0).all() and (hi <= 1).all()


def test_discrepancy_overrides_and_errors():
    assert parse_discrepancy(["capture=5"])["capture"] == 5.0
    for bad in ("capture", "nonsense=1", "capture=x", "capture=-1"):
        with pytest.raises(InputError):
            parse_discrepancy([bad])


MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"


def _hm(capsys, out, *extra):
    code = main(
        [
            "calibrate",
            "--method",
            "history-matching",
            "--scenario",
            str(MINI),  # three weeks, a small order of battle: the mechanics of the waves, not the model
            "--priors",
            str(out.parent / "priors.yaml"),
            "--points",
            "2",
            "--seeds",
            "1",
            "--workers",
            "1",
            "--cutoff",
            "1e6",  # nothing ruled out: the waves always go on
            "--out",
            str(out),
            *extra,
        ]
    )
    return code, *capsys.readouterr()


@pytest.fixture
def priors(tmp_path):
    (tmp_path / "priors.yaml").write_text(
        "priors:\n  - {name: civilians.threshold_median, low: 1.5, high: 3.5, scale: log}\n"
    )
    return tmp_path


def test_waves_run_resume_and_reproduce(capsys, priors):
    """Two waves at once and one wave then a resumed second give the same files; every point has an
    implausibility per fit target; the second wave samples inside the first one's box."""
    a, b = priors / "a", priors / "b"
    code, out, _ = _hm(capsys, a, "--waves", "2")
    assert code == 0 and "wave 2" in out
    assert _hm(capsys, b, "--waves", "1")[0] == 0
    assert _hm(capsys, b, "--waves", "2", "--resume")[0] == 0
    for name in ("points.csv", "targets.csv"):
        pa, pb = (pd.read_csv(d / "runs" / "history_matching" / name) for d in (a, b))
        pd.testing.assert_frame_equal(pa, pb)
    summary = json.loads((a / "runs" / "history_matching" / "summary.json").read_text())
    assert [w["wave"] for w in summary["waves"]] == [1, 2]
    assert summary["excluded_targets"] == []
    targets = pd.read_csv(a / "runs" / "history_matching" / "targets.csv")
    assert len(targets) == 2 * 2 * len(summary["fit_targets"])
    assert targets["implausibility"].ge(0).all()
    points = pd.read_csv(a / "runs" / "history_matching" / "points.csv")
    lo, hi = summary["waves"][1]["box"]
    w2 = points.loc[points["wave"] == 2, "u_civilians.threshold_median"]
    assert w2.between(lo[0], hi[0]).all()
    assert (a / "runs" / "history_matching" / "history_matching.png").stat().st_size > 10_000


def test_resume_with_other_settings_is_a_clear_error(capsys, priors):
    assert _hm(capsys, priors / "c", "--waves", "1")[0] == 0
    code, _, err = _hm(capsys, priors / "c", "--waves", "2", "--resume", "--points", "3")
    assert code == 2
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "summary.json" in err and "other settings" in err
    code, _, err = _hm(capsys, priors / "d", "--waves", "1", "--resume")
    assert code == 2 and "no history-matching run to resume" in err
    assert not (priors / "d" / "runs").exists()


def test_another_cut_scores_the_stored_wave_again_as_a_fresh_run_would(capsys, priors):
    """--resume with another cut re-scores wave 1 from its stored errors (no simulation) and gives the
    files a fresh run with that cut gives."""
    assert _hm(capsys, priors / "e", "--waves", "1")[0] == 0
    recut = ("--waves", "1", "--discrepancy", "capture=0", "--cutoff", "2.5")
    code, out, _ = main_out = _hm(capsys, priors / "e", *recut, "--resume")
    assert code == 0 and "scored again" in out and "(stored)" in out, main_out
    assert _hm(capsys, priors / "f", *recut)[0] == 0
    for name in ("points.csv", "targets.csv"):
        pe, pf = (pd.read_csv(priors / d / "runs" / "history_matching" / name) for d in ("e", "f"))
        pd.testing.assert_frame_equal(pe, pf)
    se, sf = (json.loads((priors / d / "runs/history_matching/summary.json").read_text()) for d in "ef")
    assert se == sf


def test_the_committed_models_implausibility_and_the_report_section():
    from sim.fit.history_matching_report import report_section
    from sim.fit.implausibility import ensemble_implausibility

    rows = []
    for run, (a, b) in enumerate([(2.0, 0.1), (4.0, 0.3), (3.0, 0.2)]):
        rows.append(
            {
                "run": run,
                "id": "x_gov_2020_01_01",
                "group": "capture",
                "use": "fit",
                "scale": 3.0,
                "error": a,
                "censored": False,
            }
        )
        rows.append(
            {
                "run": run,
                "id": "displaced_1",
                "group": "displacement",
                "use": "holdout",
                "scale": 0.1,
                "error": b,
                "censored": False,
            }
        )
    imp = ensemble_implausibility(pd.DataFrame(rows), {"capture": 0.0, "displacement": 0.0})
    by = imp.set_index("id")
    # capture: median 3, spread 1, variance 1 x (1 + 1/3); obs sd 3: 3 / sqrt(9 + 4/3)
    assert by.loc["x_gov_2020_01_01", "implausibility"] == pytest.approx(3 / np.sqrt(9 + 4 / 3))
    assert by.loc["displaced_1", "use"] == "holdout" and by.loc["displaced_1", "runs"] == 3
    summary = {
        "config": {
            "cutoff": 3.0,
            "order": 1,
            "points": 4,
            "seeds_per_point": 2,
            "discrepancy": {"capture": 3.0},
            "priors": [["combat.kill_rate", 0.01, 0.05, "log"]],
        },
        "parameters": ["combat.kill_rate"],
        "fit_targets": ["x_gov_2020_01_01", "never_gov_2020_01_01"],
        "excluded_targets": ["never_gov_2020_01_01"],
        "waves": [
            {
                "wave": 1,
                "points": 4,
                "seeds": [1, 2],
                "nroy": 1,
                "nroy_share": 0.25,
                "best_capture_median_days": 5.0,
                "best_captures_within_10_days": 1,
                "next_box_parameters": {"combat.kill_rate": [0.02, 0.03]},
                "targets": {
                    "x_gov_2020_01_01": {"min_implausibility": 0.5, "share_below_cutoff": 0.5},
                    "never_gov_2020_01_01": {"min_implausibility": 12.0, "share_below_cutoff": 0.0},
                },
            }
        ],
    }
    text = "\n".join(report_section(summary, imp, "fig.png"))
    assert "`never_gov_2020_01_01` (12.0)" in text
    assert "| `combat.kill_rate` | 0.02-0.03 | 0.01-0.05 |" in text
    assert "not ruled out" in text and "1 of 1" in text
    assert "Not run yet" in "\n".join(report_section(None, imp, "fig.png"))


def test_best_points_rank_by_the_order_th_largest_implausibility_then_the_next():
    from sim.fit.implausibility import best_points

    imp = {  # point: implausibility of targets a, b, c (c is excluded)
        0: (9.0, 1.0, 50.0),
        1: (9.0, 0.5, 0.0),
        2: (2.0, 2.5, 0.0),
        3: (20.0, 0.1, 0.0),
    }
    targets = pd.DataFrame(
        [
            {"wave": 1, "point": p, "target": t, "implausibility": v}
            for p, vals in imp.items()
            for t, v in zip("abc", vals, strict=True)
        ]
    )
    points = pd.DataFrame({"wave": 1, "point": list(imp), "x": [10, 11, 12, 13]})
    # largest first over a, b: 0 -> (9, 1), 1 -> (9, 0.5), 2 -> (2.5, 2), 3 -> (20, 0.1)
    assert best_points(points, targets, ["c"], order=1, k=3)["point"].tolist() == [2, 1, 0]
    # from the second largest on: 3 (0.1), 1 (0.5), 0 (1), 2 (2)
    assert best_points(points, targets, ["c"], order=2, k=4)["point"].tolist() == [3, 1, 0, 2]
    assert best_points(points, targets, [], order=1, k=1)["point"].tolist() == [2]
