"""The start state of October 2023: the lines of the Moscow ceasefire (6 March 2020) and a 2023 population.

Writes ``scenarios/start/moscow_2020_control.csv`` and ``scenarios/start/population_2023.csv``, the files
``scenarios/escalation_2023_10.yaml`` reads as its ``initial_state``; ``scenarios/start/README.md`` gives the
sources and every estimate. Run from the repository root:

    python calibration/start_2023.py

**Control.** Why not a model run (``from_run`` of the baseline on 2020-03-06): with the committed
parameters the baseline's runs take 26-57 communities by 6 March (8 runs, seeds of ``idlib-sim ensemble``),
and agree with 4-10 of the 36 settlements whose 6-March controller the capture targets give; a start state
must be history's lines, not the model's miss. So the lines come from the seeds' record of captures
(``seeds/events.csv``, rows ``capture`` by the government and ``recapture_by_rebels``, the offensive's
episode, dated up to 6 March 2020): every community a row names (its place field or quote, as
``territory_replay.named_places`` reads them) that was opposition-held on 1 December 2019 takes the side of
its last change. Those are anchors; so are the seeds' other named places (``supplement_wanted.txt``) that
were opposition-held on 1 December and are recorded as taken by no one (held on 6 March, the record being
of captures). Every other community opposition-held on 1 December takes the side of its nearest anchor
(straight-line distance): the front runs half-way between the last named places each side held.
Communities held by the government, Turkey or the SDF on 1 December keep their controller.

**People.** In the communities the opposition holds on the start day: ``TOTAL`` people, of them ``CAMPS``
displaced living in camps. Residents (``TOTAL - CAMPS``) are shared in proportion to IOM's population of
April 2026 (the gazetteer's ``population``, by P-code; a community without one gets its sub-district's
median, as the map build does): used as relative weights only, as the map build uses them. Camp residents
are shared in proportion to the map's pre-offensive camp places (the camp belt along the border: the only
camp locations the repository has). Communities held by others keep the map's people.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
from territory_replay import named_places

from sim.inputs.geography import Theatre, load_map

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scenarios" / "start"
LINES_DATE = "2020-03-06"  # seeds [000], [002], [003]: the Moscow ceasefire from 00:00 6 March 2020
# seed [002] (May 2020): "Idlib's over three million inhabitants"; seed [000]: "a civilian population of
# three million". No seed gives a 2023 figure: [est] the 2020 figure entered at its bound, carried to 2023.
TOTAL = 3_000_000
# [est] the map's 595,000 pre-offensive camp residents (1 Dec 2019) plus the offensive's 980,000 displaced
# (seed [000], early March 2020), as if none had gone home by October 2023; no seed counts 2023's camps.
CAMPS = 595_000 + 980_000
CONTROL_SOURCE = (
    "seeds/events.csv: government captures and rebel recaptures up to 2020-03-06, nearest named place "
    "(calibration/start_2023.py)"
)
PEOPLE_SOURCE = (
    "[est] 3,000,000 in the opposition-held pocket (seed [002] 'over three million inhabitants', 2020), "
    "1,575,000 of them in camps (map's 2019 camps + seed [000]'s 980,000 displaced); residents by IOM "
    "population April 2026 as weights, camps by the map's camp places (calibration/start_2023.py)"
)


def anchors(theatre: Theatre) -> dict[int, str]:
    """The communities whose side on ``LINES_DATE`` the seeds give: named in a capture (last change wins),
    or named anywhere and never recorded as taken (held by the opposition)."""
    events = pd.read_csv(ROOT / "seeds" / "events.csv")
    rows = events[
        events["kind"].isin(["capture", "recapture_by_rebels"])
        & (events["episode"] == "dawn_of_idlib_2")
        & (events["date"].str[:10] <= LINES_DATE)
    ].sort_values("date", kind="stable")
    opp = {i for i in range(theatre.n) if theatre.controller0[i] == "opposition"}
    side: dict[int, str] = {}
    for _, row in rows.iterrows():
        if row["kind"] == "capture" and "government" not in str(row["actor"]):
            continue
        who = "government" if row["kind"] == "capture" else "opposition"
        for i in named_places(theatre, str(row["place"])) | named_places(theatre, str(row["quote"])):
            if i in opp:
                side[i] = who
    wanted = ROOT / "scenarios" / "maps" / "sources" / "supplement_wanted.txt"
    for line in wanted.read_text(encoding="utf-8").splitlines():
        name = line.split("|")[0].strip()
        if name and not name.startswith("#") and theatre.knows(name):
            i = theatre.id(name)
            if i in opp and i not in side:
                side[i] = "opposition"
    return side


def lines(theatre: Theatre) -> list[str]:
    """Every community's controller on ``LINES_DATE`` (see the module docstring)."""
    side = anchors(theatre)
    keys = sorted(side)
    lat = np.radians(theatre.lat)
    x, y = np.radians(theatre.lon) * np.cos(lat.mean()), lat
    ax, ay = x[keys], y[keys]
    out = list(theatre.controller0)
    for i in range(theatre.n):
        if out[i] == "opposition":
            j = int(np.argmin((ax - x[i]) ** 2 + (ay - y[i]) ** 2))
            out[i] = side[keys[j]]
    return out


def weights(theatre: Theatre) -> np.ndarray:
    """IOM's April 2026 population per community (gazetteer, by P-code); else the sub-district median."""
    places = pd.read_csv(ROOT / "scenarios" / "maps" / "sources" / "gazetteer" / "places.csv")
    pop = places.dropna(subset=["pcode", "population"]).groupby("pcode")["population"].max()
    w = np.array([float(pop.get(p, math.nan)) if p else math.nan for p in theatre.pcode])
    w[w <= 0] = math.nan
    sub = pd.Series(w).groupby(np.asarray(theatre.admin3_pcode)).transform("median").to_numpy()
    w = np.where(np.isnan(w), sub, w)
    return np.where(np.isnan(w), np.nanmedian(w), w)


def shares(total: int, w: np.ndarray) -> np.ndarray:
    """``total`` split in proportion to ``w`` in whole people (largest remainder: the sum is exact)."""
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def main() -> None:
    theatre = load_map(ROOT / "scenarios" / "maps" / "idlib_communities.json")
    ctl = lines(theatre)
    opp = np.array([c == "opposition" for c in ctl])
    camps = np.where(opp, theatre.camp_capacity, 0.0)
    displaced = np.zeros(theatre.n, dtype=np.int64)
    displaced[opp] = shares(CAMPS, camps[opp])
    present = displaced.copy()
    present[opp] += shares(TOTAL - CAMPS, weights(theatre)[opp])
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "moscow_2020_control.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["pcode", "name", "controller", "source"])
        for i in range(theatre.n):
            src = CONTROL_SOURCE if theatre.controller0[i] != ctl[i] or opp[i] else "the map, 1 Dec 2019"
            w.writerow([theatre.pcode[i], theatre.names[i], ctl[i], src])
    with (OUT / "population_2023.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["pcode", "name", "present", "displaced", "source"])
        for i in np.flatnonzero(opp):
            w.writerow([theatre.pcode[i], theatre.names[i], present[i], displaced[i], PEOPLE_SOURCE])
    taken = [i for i in range(theatre.n) if theatre.controller0[i] != ctl[i]]
    idlib = theatre.area_by_governorate.get("Idlib")
    gov = np.array([c == "government" for c in ctl])
    print(
        f"lines of {LINES_DATE}: {len(taken)} communities opposition-held on 1 Dec 2019 now government-held, "
        f"{theatre.area_km2[taken].sum():,.0f} km²; government share of Idlib governorate "
        f"{idlib[gov].sum() / idlib.sum():.1%}; opposition-held: {int(opp.sum())} communities, "
        f"{int(present.sum()):,} people, {int(displaced.sum()):,} in camps"
    )


if __name__ == "__main__":
    main()
