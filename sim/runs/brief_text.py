"""The planning brief's page (``brief.md``): the scenario's assumptions, read from its resolved
``config.yaml``, and the numbers of ``sim.runs.brief``, every one a median with its 5-95 % band.

Why a separate module: the page's wording (what a planner needs to read a number right: what is counted,
from when, over how many runs) is long, and the arithmetic stays short and testable beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.version import __version__

if TYPE_CHECKING:
    from sim.runs.brief import BriefInputs, BriefNumbers

# daily.csv's shelter columns (people displaced since the run's start, by where they stay that day) and
# their names on the page
SHELTER = {
    "shelter_host": "host families",
    "shelter_camp": "camps",
    "shelter_unfinished": "unfinished buildings",
    "shelter_open_air": "open air",
    "in_transit": "on the road",
}


def people(x: float) -> str:
    """A count of people, rounded to the nearest hundred (a civilian agent is 100 people in the committed
    scenarios; finer digits would be noise)."""
    return f"{round(float(x), -2):,.0f}"


def band(row: Any, fmt: Any = people) -> str:
    """``median [p5–p95]``."""
    return f"{fmt(row['median'])} [{fmt(row['p5'])}–{fmt(row['p95'])}]"


def count(x: float) -> str:
    return f"{float(x):,.0f}"


def _assumptions(sc: dict[str, Any]) -> list[str]:
    """The scenario's inputs a planner must know to read the numbers: start state, plan, air, guarantor."""
    lines = [
        f"* **Scenario** `{sc.get('name', '?')}`, {sc.get('start')} to {sc.get('end')}: "
        f"{' '.join(str(sc.get('description', '')).split())}"
    ]
    init = sc.get("initial_state") or {}
    if init.get("from_run"):
        fr = init["from_run"]
        lines.append(
            f"* **Start**: the lines and people of `{Path(str(fr.get('scenario'))).name}`'s run with seed "
            f"{fr.get('seed')} at the end of {fr.get('day')} (forces are this scenario's own)."
        )
    for key in ("control", "population"):
        if init.get(key):
            lines.append(f"* **Start {key}**: `{Path(str(init[key])).name}`.")
    orders = [o for o in sc.get("orders", []) if o.get("kind", "offensive") != "counteroffensive"]
    if orders:
        lines.append(
            "* **Orders** (axis → objective, window): "
            + "; ".join(f"{o['axis']} → {o['objective']}, {o['start']} to {o['end']}" for o in orders)
            + "."
        )
    events = sc.get("events") or {}
    air = [e for e in events.values() if e and e.get("kind") == "air_campaign"]
    if air:
        lines.append(
            "* **Air campaign**: "
            + "; ".join(f"{e['sorties_per_day']:g} sorties a day, {e['start']} to {e['end']}" for e in air)
            + "."
        )
    factions = sc.get("factions") or {}
    for fid, f in factions.items():
        if f.get("kind") != "guarantor":
            continue
        acts = [
            f"{e['kind'].replace('_', ' ')} from {e.get('start')}"
            for e in events.values()
            if e and e.get("faction") == fid and e.get("kind") in ("intervention", "fire_support")
        ]
        posture = (
            "; ".join(acts) if acts else "no intervention and no fire support (posts and task forces only)"
        )
        lines.append(f"* **{f.get('label', fid)}** (guarantor): {posture}.")
    return lines


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def render(inputs: BriefInputs, n: BriefNumbers, figures: list[Path], command: str = "") -> str:
    """The page; ``command`` is the one that made it (quoted at its foot)."""
    sc = inputs.scenario
    runs = "one run" if n.runs == 1 else f"{n.runs} runs"
    seeds = ", ".join(str(s) for s in n.seeds)
    origin = f"master seed {inputs.master_seed}, " if inputs.master_seed is not None else ""
    out = [
        f"# Planning brief: `{sc.get('name', '?')}`",
        "",
        f"{runs.capitalize()} of the model ({origin}run seeds {seeds}; idlib-sim {__version__}). Every "
        "number is the median of the runs with the 5–95 % band of the runs in brackets: the spread of "
        "outcomes the model gives, not a confidence interval on history. People are counted from the "
        "scenario's first day: those already displaced before it are not in these numbers. A model of a "
        "war that misses part of the 2019–2020 history (docs/calibration.md): read the orders of "
        "magnitude and the places, not the last digit.",
        "",
        "## Assumptions",
        "",
        *_assumptions(sc),
        "",
        "## Headline",
        "",
    ]
    head = n.headline.pivot(index=["milestone", "date"], columns="metric")
    rows = []
    for (milestone, date), r in head.sort_index(level="date").iterrows():
        cell = {m: {b: r[(b, m)] for b in ("p5", "median", "p95")} for m in head.columns.levels[1]}
        rows.append(
            [
                f"{milestone} ({date})",
                band(cell["displaced_total"]),
                band(cell["displaced_now"]),
                band(cell["civilians_killed"], count),
            ]
        )
    out += _table(["after", "displaced since the start", "away from home that day", "civilians killed"], rows)
    last = n.headline["date"].max()
    out += ["", f"## Where people flee from and to ({last})", ""]
    for title, table in (
        ("Sub-district of origin: people from it away from home", n.origin),
        ("Sub-district of arrival: displaced people staying there", n.arrival),
    ):
        out += [f"**{title}** (top {len(table)} by median)", ""]
        out += _table(
            ["sub-district", "P-code", "people"],
            [[r["subdistrict"], r["subdistrict_pcode"], band(r)] for _, r in table.iterrows()],
        )
        out.append("")
    out += ["## Shelter needs of the newly displaced, week by week", ""]
    kinds = list(SHELTER)
    wide = n.shelter.set_index(["date", "metric"])
    rows = []
    for date in sorted(n.shelter["date"].unique()):
        rows.append([date, *(band(wide.loc[(date, k)]) for k in kinds)])
    out += _table(["end of day", *(SHELTER[k] for k in kinds)], rows)
    out += ["", "## Figures", ""]
    out += [f"![{f.stem}]({f.as_posix()})" for f in figures]
    out += [
        "",
        "Every number of this page: `brief_numbers.csv`. Made by "
        f"`{command or f'idlib-sim brief {inputs.directory}'}`.",
        "",
    ]
    return "\n".join(out)
