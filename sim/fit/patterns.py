"""Pattern checks: the qualitative bars of the wargame core and the civilian model, on an ensemble.

Calibration scores the model against point targets; these checks ask whether the ensemble shows the
*patterns* history showed (pattern-oriented modelling): Ma'arrat al-Nu'man falls around 28 Jan, Saraqib by
late February, Idlib city holds, the offensive slows after the Turkish intervention, towns empty before
they fall, and the displaced go north to the border belt, Idlib city and Afrin/Azaz. Each check reports the
ensemble figure, the bar and whether it is met; ``idlib-sim report`` puts the table in report.md.

Destination regions are defined by a rule on the map, not by a list of names: *border belt* = within 25 km
of a border crossing (Bab al-Hawa) or a settlement with camp capacity; *Afrin/Azaz* = held by Turkey and its
allies; *Idlib city* = the settlement Idlib.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from sim.inputs.geography import Theatre, haversine_km

MAARAT = "Ma'arrat al-Nu'man"
PATTERN_END = "2020-03-05"  # the eve of the Moscow ceasefire: where the displaced are then
BORDER_BELT_KM = 25.0


def _first_capture(captures: pd.DataFrame, town: str, by: str = "government") -> pd.Series:
    """Per run, the date ``town`` first passed to ``by`` (NaT when it never did)."""
    c = captures[(captures["settlement"] == town) & (captures["to_controller"] == by)]
    first = pd.to_datetime(c.groupby("run")["date"].min())
    return first


def border_belt(theatre: Theatre) -> np.ndarray:
    """Boolean mask: settlements within BORDER_BELT_KM of a crossing, or with camp capacity."""
    mask = theatre.camp_capacity > 0
    for i in np.flatnonzero(theatre.crossing):
        mask |= haversine_km(theatre.lat, theatre.lon, theatre.lat[i], theatre.lon[i]) <= BORDER_BELT_KM
    return mask


def _row(check: str, value: str, bar: str, met: bool | None, issue: int) -> dict[str, Any]:
    return {"issue": issue, "check": check, "value": value, "bar": bar, "met": met}


def pattern_checks(
    daily: pd.DataFrame, captures: pd.DataFrame, population: pd.DataFrame | None, theatre: Theatre
) -> pd.DataFrame:
    """The issue-3, -4 and -6 pattern bars on an ensemble (tables with a ``run`` column)."""
    runs = sorted(daily["run"].unique())
    n = len(runs)
    rows: list[dict[str, Any]] = []

    maarat = _first_capture(captures, theatre.canonical(MAARAT)).reindex(runs)
    fell = maarat.notna()
    hist = pd.Timestamp("2020-01-28")
    med = maarat[fell].median() if fell.any() else pd.NaT
    off = abs((med - hist).days) if fell.any() else None
    rows.append(
        _row(
            f"{MAARAT} falls to the government; median date",
            f"{fell.sum()}/{n} runs; median {med.date() if fell.any() else 'never'}"
            + (f" ({(med - hist).days:+d} days)" if fell.any() else ""),
            "most runs; within ~14 days of 28 Jan",
            bool(fell.mean() > 0.5 and off is not None and off <= 14),
            3,
        )
    )
    saraqib = _first_capture(captures, theatre.canonical("Saraqib")).reindex(runs)
    by_late_feb = (saraqib <= pd.Timestamp("2020-02-29")).sum()
    rows.append(
        _row(
            "Saraqib falls by 29 Feb",
            f"{by_late_feb}/{n} runs; median first capture "
            f"{saraqib.median().date() if saraqib.notna().any() else 'never'}",
            "most runs",
            bool(by_late_feb > n / 2),
            3,
        )
    )
    idlib = _first_capture(captures, theatre.canonical("Idlib")).reindex(runs)
    early = (idlib <= pd.Timestamp("2020-03-06")).sum()
    rows.append(_row("Idlib city falls before 6 Mar", f"{early}/{n} runs", "never", bool(early == 0), 3))

    g = daily.pivot(index="date", columns="run", values="territory_government_km2")
    g.index = pd.to_datetime(g.index)

    def gain(a: str, b: str) -> pd.Series:
        return g.loc[pd.Timestamp(b)] - g.loc[pd.Timestamp(a)]

    mid_feb = gain("2020-02-10", "2020-02-17")
    after = gain("2020-02-27", "2020-03-05")
    slower = int((after < mid_feb).sum())
    rows.append(
        _row(
            "government gain 27 Feb - 5 Mar below its mid-February pace (10-17 Feb)",
            f"median {after.median():.0f} vs {mid_feb.median():.0f} km²/week; slower in {slower}/{n} runs",
            "below (median), most runs",
            bool(after.median() < mid_feb.median() and slower > n / 2),
            3,
        )
    )

    # issue 6: rebel retakes happen (raids, counter-offensives), and the towns the seeds never record as
    # taken in 2020 stay opposition-held at the ceasefire: Ariha and Jisr al-Shughur (seed [002]: the
    # "next objectives", not reached), Idlib city and Atarib, and two the seeds place on the opposition's
    # side late in February (seed [000]: Darat Izza among the "opposition settlements targeted by
    # airstrikes" of 11-17 Feb; Sarmin, from whose side the rebels counter-attacked Nayrab from 11 Feb)
    retakes = captures[
        (captures["to_controller"] == "opposition")
        & (captures["date"] >= "2019-12-19")
        & (captures["date"] <= "2020-03-05")
    ]
    per_run = retakes.groupby("run").size().reindex(runs, fill_value=0)
    rows.append(
        _row(
            "opposition retakes of map settlements, 19 Dec - 5 Mar (per run)",
            f"median {per_run.median():.0f} [{per_run.min()}-{per_run.max()}]",
            "3-15 (seeds: Tell Mannas, Al-Ghadfa, Nayrab twice, Saraqib on the map, more off it)",
            bool(3 <= per_run.median() <= 15),
            6,
        )
    )
    ceasefire = "2020-03-06"
    held = []
    for town in ("Ariha", "Jisr al-Shughur", "Atarib", "Idlib", "Darat Izza", "Sarmin"):
        c = captures[(captures["settlement"] == theatre.canonical(town)) & (captures["date"] <= ceasefire)]
        last = c.sort_values("date").groupby("run")["to_controller"].last().reindex(runs)
        held.append((town, int((last == "government").sum())))
    rows.append(
        _row(
            "towns never taken in 2020 held by the government on 6 Mar (runs)",
            "; ".join(f"{t} {k}/{n}" for t, k in held),
            "each in at most a quarter of runs",
            bool(all(k <= n / 4 for _, k in held)),
            6,
        )
    )

    if "displaced_total" in daily:
        d = daily.pivot(index="date", columns="run", values="displaced_total")
        d.index = pd.to_datetime(d.index)
        for date, lo, hi in (("2019-12-27", 80_000, 450_000), ("2020-03-05", 600_000, 1_400_000)):
            v = d.loc[pd.Timestamp(date)]
            inside = int(((v >= lo) & (v <= hi)).sum())
            rows.append(
                _row(
                    f"displaced by {dt.date.fromisoformat(date):%d %b %Y}",
                    f"median {v.median():,.0f} [{v.min():,.0f}-{v.max():,.0f}]; {inside}/{n} runs inside",
                    f"{lo:,}-{hi:,}",
                    bool(lo <= v.median() <= hi),
                    4,
                )
            )
    if population is not None and len(population):
        pop = population
        i = theatre.id(MAARAT)
        shares = []
        for run, day in maarat[fell].items():
            mine = (pop["run"] == run) & (pop["settlement"] == theatre.canonical(MAARAT))
            p = pop[mine].set_index("date")["present"]
            start = p.iloc[0] if len(p) else theatre.population[i]
            shares.append(float(p.get(day.date().isoformat(), np.nan)) / max(float(start), 1.0))
        shares_a = np.array(shares, dtype=float)
        rows.append(
            _row(
                f"{MAARAT}: people still there on the day it falls",
                f"median {np.nanmedian(shares_a):.1%} of its people [max {np.nanmax(shares_a):.1%}]"
                if len(shares_a)
                else "never falls",
                "< 20 %",
                bool(len(shares_a) and np.nanmax(shares_a) < 0.2),
                4,
            )
        )
        day = PATTERN_END
        end = pop[pop["date"] == day]
        if len(end):
            belt = set(np.array(theatre.names)[border_belt(theatre)])
            away = end.groupby("run")["displaced_present"].sum()
            in_belt = end[end["settlement"].isin(belt)].groupby("run")["displaced_present"].sum()
            idlib_city = end["settlement"] == theatre.canonical("Idlib")
            in_idlib = end[idlib_city].groupby("run")["displaced_present"].sum()
            in_afrin = end[end["controller"] == "turkey"].groupby("run")["displaced_present"].sum()
            share = {
                "border belt": (in_belt / away).median(),
                "Idlib city": (in_idlib.reindex(away.index, fill_value=0) / away).median(),
                "Afrin/Azaz": (in_afrin.reindex(away.index, fill_value=0) / away).median(),
            }
            total = sum(share.values())
            rows.append(
                _row(
                    "where the displaced are on 5 Mar",
                    "; ".join(f"{k} {v:.0%}" for k, v in share.items()) + f" (together {total:.0%})",
                    "most in the border belt, Idlib city and Afrin/Azaz",
                    bool(total > 0.5),
                    4,
                )
            )
    return pd.DataFrame(rows)
