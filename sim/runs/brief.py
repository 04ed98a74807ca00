"""``idlib-sim brief DIR``: a one-page planning brief of an ensemble (or a run) for humanitarian planners.

What a planner asks of a contingency: how many people will be displaced and how fast, from which
sub-districts and to which, and what shelter they will need; each as a median with the 5-95 % band of the
runs, so that the spread of outcomes is on the page rather than one number. The brief reads only what it
needs: the ``daily.csv`` and ``subdistricts.csv`` tables (concatenated with ``run`` and ``seed`` columns in an
ensemble; a single run's are taken as one run) and the resolved scenario of ``config.yaml`` for the
assumptions; never the per-community Parquet files.

Everything is computed before anything is written; then ``brief.md``, ``brief_numbers.csv`` (every number of
the page, for a spreadsheet) and ``brief_figures/`` are written atomically (a staging folder, moved in file by
file), so a bad directory leaves nothing behind. Quantiles are those of ``summary.csv`` (pandas, linear
interpolation between runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.files import atomic_write_csv, atomic_write_text, staged_directory
from sim.inputs.arguments import check_output
from sim.inputs.errors import InputError, shorten
from sim.runs.brief_text import SHELTER, render

BANDS = {"p5": 0.05, "median": 0.5, "p95": 0.95}
DAILY_COLUMNS = ["date", "displaced_total", "displaced_now", "civilians_killed", *SHELTER]
SUBDISTRICT_COLUMNS = ["date", "subdistrict_pcode", "subdistrict", "displaced_present", "displaced_from"]
TOP = 10  # sub-districts listed in each table


@dataclass
class BriefInputs:
    """What the brief reads of a directory."""

    directory: Path
    kind: str  # "ensemble" or "run"
    daily: pd.DataFrame  # DAILY_COLUMNS with run and seed
    subdistricts: pd.DataFrame  # SUBDISTRICT_COLUMNS with run and seed
    scenario: dict[str, Any]  # the resolved scenario of config.yaml
    master_seed: int | None  # an ensemble's --seed (None for a run)


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(path, "", "missing: not a finished run or ensemble (run it again to finish it)")
    try:
        header = pd.read_csv(path, nrows=0).columns
    except (OSError, ValueError) as exc:
        raise InputError(path, "", f"not a CSV table: {shorten(str(exc), 100)}") from None
    missing = [c for c in ["run", "seed", *columns] if c not in header]
    if missing:
        raise InputError(path, missing[0], "column missing: not a table idlib-sim wrote")
    return pd.read_csv(path, usecols=["run", "seed", *columns])


def _config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(path, "", "missing: not a run directory")
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenario = cfg["scenario"]
        if not isinstance(scenario, dict):
            raise TypeError("scenario is not a mapping")
        return dict(cfg)
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise InputError(path, "", f"not a run's config.yaml: {shorten(str(exc), 100)}") from None


def load_inputs(directory: Path) -> BriefInputs:
    """The tables and scenario of an ensemble directory (``manifest.json``) or of a run (``config.yaml``);
    one-line ``InputError`` for anything else."""
    if not directory.is_dir():
        raise InputError(shorten(str(directory), 200), "", "not a directory")
    if (directory / "manifest.json").is_file():
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
            master = int(manifest["master_seed"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                directory / "manifest.json", "", f"not an ensemble's manifest ({shorten(str(exc), 80)})"
            ) from None
        daily = _read_csv(directory / "daily.csv", DAILY_COLUMNS)
        subdistricts = _read_csv(directory / "subdistricts.csv", SUBDISTRICT_COLUMNS)
        first = int(daily["run"].min()) if len(daily) else 0
        cfg = _config(directory / "runs" / f"run_{first:04d}" / "config.yaml")
        return BriefInputs(directory, "ensemble", daily, subdistricts, cfg["scenario"], master)
    if (directory / "config.yaml").is_file():
        cfg = _config(directory / "config.yaml")
        tables = []
        for name, columns in (("daily.csv", DAILY_COLUMNS), ("subdistricts.csv", SUBDISTRICT_COLUMNS)):
            path = directory / name
            if not path.is_file():
                raise InputError(path, "", "missing: not a finished run")
            header = pd.read_csv(path, nrows=0).columns
            missing = [c for c in columns if c not in header]
            if missing:
                raise InputError(path, missing[0], "column missing: not a table idlib-sim wrote")
            table = pd.read_csv(path, usecols=columns)
            table.insert(0, "seed", int(cfg.get("seed", 0)))
            table.insert(0, "run", 0)
            tables.append(table)
        return BriefInputs(directory, "run", tables[0], tables[1], cfg["scenario"], None)
    raise InputError(
        shorten(str(directory), 200), "", "no manifest.json or config.yaml: not an ensemble or run directory"
    )


def quantiles(values: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Per group of ``by``, the 5 %, median and 95 % across runs of each column (long: by, metric, bands)."""
    g = values.groupby(by)[columns]
    parts = []
    for name, q in BANDS.items():
        s = g.quantile(q).stack()
        s.name = name
        parts.append(s)
    out = pd.concat(parts, axis=1).reset_index()
    out.columns = [*by, "metric", *BANDS]
    return out


def milestones(daily: pd.DataFrame) -> dict[str, str]:
    """The dates of the headline: after two weeks, after four, and the last day (those within the run)."""
    dates = sorted(daily["date"].unique())
    first = dt.date.fromisoformat(dates[0])
    out = {}
    for label, days in (("2 weeks", 14), ("4 weeks", 28)):
        day = (first + dt.timedelta(days=days - 1)).isoformat()  # the end of the 14th (28th) day
        if day < dates[-1]:
            out[label] = day
    out["end"] = dates[-1]
    return out


def weekly_dates(daily: pd.DataFrame) -> list[str]:
    """The end of each week from the first day, and the last day."""
    dates = sorted(daily["date"].unique())
    first = dt.date.fromisoformat(dates[0])
    weeks = [(first + dt.timedelta(days=7 * k - 1)).isoformat() for k in range(1, len(dates) // 7 + 1)]
    return sorted({*[d for d in weeks if d in set(dates)], dates[-1]})


@dataclass
class BriefNumbers:
    """Every number on the page, each a median with its 5-95 % band across runs."""

    headline: pd.DataFrame  # milestone, date, metric, p5, median, p95
    origin: pd.DataFrame  # the top sub-districts by displaced_from on the last day
    arrival: pd.DataFrame  # the top sub-districts by displaced_present on the last day
    shelter: pd.DataFrame  # date, metric (shelter kind), p5, median, p95 at weekly points
    shelter_daily: pd.DataFrame  # the same, every day (for the figure)
    runs: int
    seeds: list[int]


def compute(inputs: BriefInputs) -> BriefNumbers:
    daily, sub = inputs.daily, inputs.subdistricts
    if daily.empty:
        raise InputError(inputs.directory / "daily.csv", "", "no rows")
    stones = milestones(daily)
    at = daily[daily["date"].isin(stones.values())]
    head = quantiles(at, ["date"], ["displaced_total", "displaced_now", "civilians_killed"])
    head.insert(0, "milestone", head["date"].map({v: k for k, v in stones.items()}))
    last = sub[sub["date"] == daily["date"].max()]
    if last.empty:
        raise InputError(inputs.directory / "subdistricts.csv", "", "no rows on the last day of daily.csv")
    by_sd = quantiles(last, ["subdistrict_pcode", "subdistrict"], ["displaced_from", "displaced_present"])
    top = {
        m: by_sd[by_sd["metric"] == m].sort_values(["median", "p95"], ascending=False).head(TOP)
        for m in ("displaced_from", "displaced_present")
    }
    shelter_daily = quantiles(daily, ["date"], list(SHELTER))
    shelter = shelter_daily[shelter_daily["date"].isin(weekly_dates(daily))]
    seeds = daily.drop_duplicates("run").sort_values("run")["seed"].astype(int).tolist()
    return BriefNumbers(
        head.reset_index(drop=True),
        top["displaced_from"].reset_index(drop=True),
        top["displaced_present"].reset_index(drop=True),
        shelter.reset_index(drop=True),
        shelter_daily,
        runs=len(seeds),
        seeds=seeds,
    )


def numbers_table(n: BriefNumbers) -> pd.DataFrame:
    """brief_numbers.csv: every number of the page in one long table (section, date, key, bands)."""
    parts = [
        n.headline.assign(section="headline", key=n.headline["metric"]),
        n.origin.assign(section="displaced_from", key=n.origin["subdistrict"]),
        n.arrival.assign(section="displaced_present", key=n.arrival["subdistrict"]),
        n.shelter.assign(section="shelter", key=n.shelter["metric"]),
    ]
    cols = ["section", "date", "key", "p5", "median", "p95"]
    rows = []
    for p in parts:
        if "date" not in p:
            p = p.assign(date=n.headline["date"].max())
        rows.append(p[cols])
    return pd.concat(rows, ignore_index=True)


def write_brief(directory: Path, out: Path | None = None) -> list[Path]:
    """Read ``directory``, compute the brief, then write ``brief.md``, ``brief_numbers.csv`` and
    ``brief_figures/`` into ``out`` (default: ``directory``) atomically. Returns the paths written."""
    from sim.plots.brief_figures import brief_figures

    inputs = load_inputs(directory)
    out = check_output(out if out is not None else directory)
    numbers = compute(inputs)
    written = []
    with staged_directory(out) as stage:
        figures = brief_figures(
            numbers.shelter_daily,
            SHELTER,
            numbers.origin,
            numbers.arrival,
            stage / "brief_figures",
            str(inputs.scenario.get("name", "")),
        )
        command = f"idlib-sim brief {directory}" + (f" --out {out}" if out != directory else "")
        text = render(inputs, numbers, [f.relative_to(stage) for f in figures], command)
        atomic_write_text(stage / "brief.md", text)
        atomic_write_csv(numbers_table(numbers), stage / "brief_numbers.csv")
        written = [out / p.relative_to(stage) for p in (stage / "brief.md", stage / "brief_numbers.csv")]
        written += [out / f.relative_to(stage) for f in figures]
    return written


def cmd_brief(args: argparse.Namespace) -> int:
    paths = write_brief(args.directory, args.out)
    print(f"brief of {args.directory} -> {paths[0]} ({len(paths) - 2} figures)")
    return 0
