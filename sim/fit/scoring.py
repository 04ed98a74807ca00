"""How far a run (or an ensemble) is from history: one error per target of ``calibration/targets.yaml``.

Shared by the calibration (distance between simulation and the fit targets) and the validation report (fit
and holdout targets). Errors are signed (simulated minus observed):

* capture: days between the simulated change of the settlement to the target's side closest in time to the
  historical date (settlements can change hands more than once: Saraqib on 7 Feb, 27 Feb, 3 Mar) and that
  date; a settlement never taken counts as taken ``NEVER_PENALTY_DAYS`` after the end of the run (censored);
* displacement, Turkish losses, civilian deaths: relative error of the cumulative count on the date;
* territory: km² gained since 18 Dec (the day before the offensive) or share of Idlib governorate held;
* highway complete: days between the onset of a government hold of the whole road closest to the date and
  the date;
* shelter shares: share of the displaced in each shelter on the date of the UN figure (mid February).

``standardised`` divides each error by the target's stated uncertainty (minimum 3 days for dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.inputs.targets import Targets, capture_date, closest

NEVER_PENALTY_DAYS = 15
OFFENSIVE_EVE = "2019-12-18"
SHELTER_DATE = dt.date(2020, 2, 15)
SHELTER_COL = {
    "host": "shelter_host",
    "camp": "shelter_camp",
    "unfinished": "shelter_unfinished",
    "open_air": "shelter_open_air",
}


@dataclass
class TargetError:
    id: str
    group: str
    use: str
    label: str
    observed: float
    simulated: float
    error: float  # simulated - observed, in the target's unit (days, relative, km2 ...)
    scale: float  # uncertainty used to standardise
    censored: bool = False

    @property
    def standardised(self) -> float:
        return self.error / self.scale


def _day(d: str | dt.date) -> pd.Timestamp:
    return pd.Timestamp(d)


def _value_on(daily: pd.DataFrame, col: str, date: dt.date) -> float:
    s = daily.set_index("date")[col]
    key = date.isoformat()
    if key in s.index:
        return float(s[key])
    return float(s.iloc[-1]) if key > s.index[-1] else float(s.iloc[0])


def run_errors(
    daily: pd.DataFrame,
    captures: pd.DataFrame,
    targets: Targets,
    end: dt.date,
    m5_total: float | None = None,
    subdistricts: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
) -> list[TargetError]:
    """Errors of one run against every target in ``targets``; the spatial targets (origins by
    sub-district, settlements emptied) need the run's ``subdistricts`` and ``population`` tables and are
    left out without them."""
    out: list[TargetError] = []
    for c in targets.captures:
        when = capture_date(captures, c.settlement, c.to, c.date)
        censored = when is None
        if when is None:
            when = _day(end) + pd.Timedelta(days=NEVER_PENALTY_DAYS)
        err = float((when - _day(c.date)).days)
        out.append(
            TargetError(
                c.id,
                "capture",
                c.use,
                f"{c.settlement} -> {c.to}",
                0.0,
                err,
                err,
                max(c.uncertainty_days, 3.0),
                censored,
            )
        )
    if "displaced_total" in daily:
        for t in targets.displacement:
            sim = _value_on(daily, "displaced_total", t.date)
            out.append(
                TargetError(
                    t.id,
                    "displacement",
                    t.use,
                    f"displaced {t.date}",
                    t.value,
                    sim,
                    (sim - t.value) / t.value,
                    t.rel_uncertainty,
                )
            )
    for t in targets.territory:
        if t.metric == "gain_km2":
            sim = _value_on(daily, "territory_government_km2", t.date) - _value_on(
                daily, "territory_government_km2", dt.date.fromisoformat(OFFENSIVE_EVE)
            )
        elif "idlib_gov_share" in daily:
            sim = _value_on(daily, "idlib_gov_share", t.date)
        else:
            continue
        out.append(
            TargetError(
                t.id, "territory", t.use, f"{t.metric} {t.date}", t.value, sim, sim - t.value, t.uncertainty
            )
        )
    for t in targets.highways:
        col = f"{t.road.lower()}_km_gov"
        if col not in daily or not m5_total:
            continue
        complete = (daily[col] >= m5_total - 1e-6).to_numpy()
        onset = complete & ~np.concatenate([[False], complete[:-1]])
        when = closest(daily["date"][onset], t.date)
        censored = when is None
        if when is None:
            when = _day(end) + pd.Timedelta(days=NEVER_PENALTY_DAYS)
        err = float((when - _day(t.date)).days)
        out.append(
            TargetError(
                t.id,
                "highway",
                t.use,
                f"{t.road} complete",
                0.0,
                err,
                err,
                max(t.uncertainty_days, 3.0),
                censored,
            )
        )
    for group, items, col in (
        ("turkish_losses", targets.turkish_losses, "turkish_killed"),
        ("civilian_deaths", targets.civilian_deaths, "civilians_killed"),
    ):
        if col not in daily:
            continue
        for t in items:
            sim = _value_on(daily, col, t.date)
            out.append(
                TargetError(
                    t.id,
                    group,
                    t.use,
                    f"{col} {t.date}",
                    t.value,
                    sim,
                    (sim - t.value) / t.value,
                    max(t.uncertainty / t.value, 0.1),
                )
            )
    out += _spatial_errors(daily, captures, targets, subdistricts, population)
    if "displaced_now" in daily:
        now = _value_on(daily, "displaced_now", SHELTER_DATE)
        for t in targets.shelter_shares:
            col = SHELTER_COL[t.shelter]
            if col not in daily or now <= 0:
                continue
            sim = _value_on(daily, col, SHELTER_DATE) / now
            out.append(
                TargetError(
                    t.id, "shelter", t.use, f"share {t.shelter}", t.value, sim, sim - t.value, t.uncertainty
                )
            )
    return out


def _window(table: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return table[(table["date"] >= start.isoformat()) & (table["date"] <= end.isoformat())]


def _spatial_errors(
    daily: pd.DataFrame,
    captures: pd.DataFrame,
    targets: Targets,
    subdistricts: pd.DataFrame | None,
    population: pd.DataFrame | None,
) -> list[TargetError]:
    """Flows (people who set off in a window, from ``fled_today``), origins (the share of them from listed
    sub-districts), the people of listed sub-districts away from them on a day, and settlements emptied
    before they fell (people present on the day of the change as a
    share of those present on the first day)."""
    out: list[TargetError] = []
    if "fled_today" in daily:
        for t in targets.flows:
            sim = float(_window(daily, t.start, t.end)["fled_today"].sum())
            err = (sim - t.value) / t.value
            out.append(
                TargetError(
                    t.id, "flow", t.use, f"fled {t.start}-{t.end}", t.value, sim, err, t.rel_uncertainty
                )
            )
    if subdistricts is not None and len(subdistricts):
        for t in targets.origins:
            w = _window(subdistricts, t.start, t.end)
            total = float(w["departures"].sum())
            mine = float(w.loc[w["subdistrict_pcode"].isin(t.subdistricts), "departures"].sum())
            sim = mine / total if total > 0 else 0.0
            label = f"share fled from {'+'.join(t.subdistricts)}"
            out.append(TargetError(t.id, "origin", t.use, label, t.share, sim, sim - t.share, t.uncertainty))
        for a in targets.away:
            day = subdistricts[subdistricts["date"] == a.date.isoformat()]
            sim = float(day.loc[day["subdistrict_pcode"].isin(a.subdistricts), "displaced_from"].sum())
            label = f"away from {'+'.join(a.subdistricts)} on {a.date}"
            err = (sim - a.value) / a.value
            out.append(TargetError(a.id, "origin", a.use, label, a.value, sim, err, a.rel_uncertainty))
    if population is not None and len(population):
        for t in targets.emptied:
            rows = population[population["settlement"] == t.settlement]
            if rows.empty:
                continue
            when = capture_date(captures, t.settlement, t.to, t.date)
            day = when.date().isoformat() if when is not None else rows["date"].iloc[-1]
            first = float(rows["present"].iloc[0])
            there = float(rows.loc[rows["date"] == day, "present"].iloc[0])
            sim = there / first if first > 0 else 0.0
            label = f"{t.settlement} share present when it fell"
            out.append(
                TargetError(
                    t.id,
                    "emptied",
                    t.use,
                    label,
                    t.share_present,
                    sim,
                    sim - t.share_present,
                    t.uncertainty,
                    when is None,
                )
            )
    return out


def errors_frame(errors: list[TargetError]) -> pd.DataFrame:
    return pd.DataFrame([{**e.__dict__, "standardised": e.standardised} for e in errors])


def distance(errors: list[TargetError], weights: dict[str, float] | None = None, cap: float = 10.0) -> float:
    """Root-mean-square of standardised errors, each group weighted equally (capped per target)."""
    weights = weights or {}
    groups: dict[str, list[float]] = {}
    for e in errors:
        groups.setdefault(e.group, []).append(min(abs(e.standardised), cap) ** 2)
    if not groups:
        return float("inf")
    num = sum(weights.get(g, 1.0) * float(np.mean(v)) for g, v in groups.items())
    den = sum(weights.get(g, 1.0) for g in groups)
    return float(np.sqrt(num / den))
