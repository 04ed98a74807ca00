"""The statistics of history matching: implausibility, the NROY cut, the waves' design and boxes.

Every fit target at every parameter point is scored by its implausibility (Vernon et al. 2010; Andrianakis
et al. 2015; McCulloch et al. 2022)

    I = |median error| / sqrt(obs_sd**2 + disc_sd**2 + ens_var * (1 + 1 / R))

where the error is simulated minus observed (``scoring.run_errors``: days for a capture, relative for the
displacement series, km² for territory), ``obs_sd`` the target's own uncertainty (the scale the ABC distance
standardises by), ``disc_sd`` the model discrepancy allowed for the target's group (``DISCREPANCY``), and
``ens_var`` the variance of the error over the R seeds: the world is one realisation of a stochastic
process (``ens_var``), and the centre comes from R runs (``ens_var / R``). A point is "not ruled out yet"
(NROY) when its ``order``-th largest implausibility over the matchable targets is under the cut-off (3:
Pukelsheim's three-sigma rule).

Why the median, and the variance of the runs that produced the event: a capture that a run never produces
is scored at the run's end plus the scoring's penalty (as in the ABC distance), so its errors are a mixture
of a timing and a far-off penalty. With the mean and the variance of all runs, a capture produced on time
in a third of the runs would have an implausibility of about sqrt((1 - p) / p) = 1.4 and pass; so would a
point whose offensive stalls in two runs of three. With the median it is judged at the penalty unless it is
produced in at least half the runs, and then on its timing, with the timing's spread: the same reading as
the bar's, which takes each settlement's median error over the runs. Targets that cannot be censored
(displacement, territory) use the variance of all runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.inputs.errors import InputError

# Model discrepancy (standard deviation) allowed per target group, in the group's error unit. Chosen, with
# reasons; override with --discrepancy GROUP=SD.
DISCREPANCY: dict[str, float] = {
    # a settlement stands for the villages of its map cell (median 113 km2), which fell over several days
    "capture": 3.0,
    # the seeds' displacement counts come from different counters and start dates (calibration/gaps.md)
    "displacement": 0.05,
    # one map cell (median 113 km2) either side of the front (calibration/gaps.md)
    "territory": 113.0,
    "highway": 3.0,
    "turkish_losses": 0.2,
    "civilian_deaths": 0.2,
    "shelter": 0.05,
}
PAD = 0.1  # widen the NROY box by this share of its width on each side (the NROY edge is sampled sparsely)


def parse_discrepancy(items: list[str] | None) -> dict[str, float]:
    """``GROUP=SD`` overrides on top of ``DISCREPANCY``; a bad item is an InputError naming it."""
    disc = dict(DISCREPANCY)
    for item in items or []:
        group, sep, val = item.partition("=")
        if not sep or group not in DISCREPANCY:
            raise InputError(
                "--discrepancy", item, f"expected GROUP=SD with GROUP one of {sorted(DISCREPANCY)}"
            )
        try:
            disc[group] = float(val)
        except ValueError:
            raise InputError("--discrepancy", item, f"'{val}' is not a number") from None
        if disc[group] < 0:
            raise InputError("--discrepancy", item, "a standard deviation cannot be negative")
    return disc


def latin_hypercube(dims: int, n: int, seed: int, wave: int) -> np.ndarray:
    """``n`` points of a Latin hypercube in the unit cube, reproducible from the seed and the wave."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, 0x484D, wave]))
    return qmc.LatinHypercube(d=dims, seed=rng).random(n)


def wave_seeds(seed: int, wave: int, n: int) -> list[int]:
    """The simulation seeds every point of a wave runs (common random numbers across its points)."""
    ss = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, 0x5EED, wave])
    return [int(s) for s in np.random.default_rng(ss).integers(0, 2**31, n)]


def implausibility(
    errors: np.ndarray, obs_sd: np.ndarray, disc_sd: np.ndarray, censored: np.ndarray | None = None
) -> np.ndarray:
    """Implausibility of each point and target from errors of shape (points, seeds, targets).

    ``obs_sd`` and ``disc_sd`` have one entry per target; ``censored`` (same shape as ``errors``) marks the
    runs that never produced the event, which count in the median but not in the spread. With fewer than
    two runs to measure it the spread is counted as zero (the measure is then too strict, never lenient).
    """
    errors = np.asarray(errors, dtype=float)
    if errors.ndim != 3:
        raise ValueError("errors must have shape (points, seeds, targets)")
    centre, spread = centre_and_spread(errors, censored)
    return implausibility_from_moments(centre, spread, errors.shape[1], obs_sd, disc_sd)


def centre_and_spread(
    errors: np.ndarray, censored: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Median error over the seeds (axis 1), and the standard deviation (ddof 1) of the errors of the
    seeds that produced the event (0 where fewer than two did)."""
    centre = np.median(errors, axis=1)
    ok = np.ones(errors.shape, dtype=bool) if censored is None else ~np.asarray(censored, dtype=bool)
    k = ok.sum(axis=1)
    m = np.where(ok, errors, 0.0).sum(axis=1) / np.maximum(k, 1)
    ss = np.where(ok, (errors - m[:, None, :]) ** 2, 0.0).sum(axis=1)
    spread = np.where(k >= 2, np.sqrt(ss / np.maximum(k - 1, 1)), 0.0)
    return centre, spread


def implausibility_from_moments(
    centre: np.ndarray, spread: np.ndarray, r: int, obs_sd: np.ndarray, disc_sd: np.ndarray
) -> np.ndarray:
    """The same from each point's median error and spread over ``r`` seeds (what targets.csv stores, so a
    wave can be cut again without re-running it)."""
    var = np.asarray(spread) ** 2 * (1.0 + 1.0 / r)
    return np.abs(centre) / np.sqrt(np.asarray(obs_sd) ** 2 + np.asarray(disc_sd) ** 2 + var)


def descending(imp: np.ndarray) -> np.ndarray:
    """Each point's (row's) implausibilities, largest first."""
    return np.sort(imp, axis=1)[:, ::-1]


def kth_largest(imp: np.ndarray, k: int) -> np.ndarray:
    """The ``k``-th largest implausibility of each point (row); k = 1 is the maximum."""
    if not 1 <= k <= imp.shape[1]:
        raise ValueError(f"order {k} outside 1..{imp.shape[1]}")
    return descending(imp)[:, k - 1]


def nroy_box(unit: np.ndarray, keep: np.ndarray, pad: float = PAD) -> tuple[np.ndarray, np.ndarray] | None:
    """The box (unit coordinates) that holds the kept points, widened by ``pad`` of its width; None if none.

    A dimension the kept points span narrowly still gets at least one Latin-hypercube stratum (1 / points).
    """
    pts = unit[keep]
    if len(pts) == 0:
        return None
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    stratum = 1.0 / len(unit)
    grow = np.maximum(stratum - (hi - lo), 0.0) / 2 + pad * np.maximum(hi - lo, stratum)
    return np.clip(lo - grow, 0.0, 1.0), np.clip(hi + grow, 0.0, 1.0)


def capture_bar(errors: np.ndarray, is_capture: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the bar's two capture figures over its seeds: the median over the fitted settlements of
    each settlement's median |error|, and how many are within 10 days."""
    med = np.abs(np.median(errors[:, :, is_capture], axis=1))
    return np.median(med, axis=1), (med <= 10.0).sum(axis=1)


def best_points(
    points: pd.DataFrame, targets: pd.DataFrame, excluded: list[str], order: int, k: int
) -> pd.DataFrame:
    """The ``k`` points (any wave) whose implausibilities over the matchable targets, largest first, are
    smallest from the ``order``-th on (lexicographically: the ``order``-th largest, ties broken by the
    next), i.e. the points that come closest to not being ruled out."""
    t = targets[~targets["target"].isin(excluded)]
    wide = t.pivot_table(index=["wave", "point"], columns="target", values="implausibility")
    ranked = descending(wide.to_numpy())[:, min(order, wide.shape[1]) - 1 :]
    idx = np.lexsort(ranked.T[::-1])[:k]
    keys = [wide.index[i] for i in idx]
    return points.set_index(["wave", "point"]).loc[keys].reset_index()


def ensemble_implausibility(
    errors: pd.DataFrame, discrepancy: dict[str, float] | None = None
) -> pd.DataFrame:
    """Implausibility of one model (one parameter point) per target, from an ensemble's per-run errors
    (``validation.ensemble_errors``: columns run, id, group, use, scale, error, censored), fit and holdout."""
    disc = discrepancy or DISCREPANCY
    first = errors.drop_duplicates("id").set_index("id")
    wide = errors.pivot(index="run", columns="id", values="error")[first.index]
    cens = errors.pivot(index="run", columns="id", values="censored")[first.index].astype(bool)
    e = wide.to_numpy(dtype=float)[None]
    centre, spread = centre_and_spread(e, cens.to_numpy()[None])
    disc_sd = np.array([disc.get(g, 0.0) for g in first["group"]])
    imp = implausibility_from_moments(
        centre, spread, len(wide), first["scale"].to_numpy(dtype=float), disc_sd
    )
    return pd.DataFrame(
        {
            "id": first.index,
            "group": first["group"].to_numpy(),
            "use": first["use"].to_numpy(),
            "runs": len(wide),
            "error_median": centre[0],
            "error_spread": spread[0],
            "share_never": cens.mean().to_numpy(),
            "obs_sd": first["scale"].to_numpy(dtype=float),
            "disc_sd": disc_sd,
            "implausibility": imp[0],
        }
    )
