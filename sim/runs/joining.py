"""An ensemble's tables: its runs' tables joined into one, and the summary across runs.

Each run of an ensemble is written by its worker to ``DIR/runs/run_XXXX/``; when all are done the ensemble's
``daily.csv``, ``captures.csv`` and ``subdistricts.csv`` are the runs' tables one after the other with
leading ``run`` and ``seed`` columns (``join_runs``), and ``summary.csv`` gives per date and metric the
median, 5 %, 25 %, 75 % and 95 % across runs (``summarise``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from sim.files import atomic_write_chunks

QUANTILES = {"p5": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}


def run_dir(out: Path, i: int) -> Path:
    return out / "runs" / f"run_{i:04d}"


def join_runs(out: Path, n: int, seeds: list[int], name: str) -> bool:
    """Write ``out/name``: the runs' ``name`` tables one after the other, each row led by its run and seed
    (``run,seed,`` before the runs' own header). False, writing nothing, if a run lacks the table.

    Why as text: the runs' CSVs are complete tables already, so joining them needs no parsing, and at a
    thousand village runs parsing them and printing them again took most of a minute (their sub-district
    tables are half a gigabyte). Each run's rows are copied as its worker wrote them. The runs of one
    ensemble share a header (one scenario, one map); a run whose header differs is refused rather than
    joined under the wrong columns.
    """
    paths = [run_dir(out, i) / name for i in range(n)]
    if not all(p.exists() for p in paths):
        return False

    def chunks() -> Iterable[bytes]:
        header = None
        for i, path in enumerate(paths):
            head, _, body = path.read_bytes().partition(b"\n")
            if header is None:
                header = head
                yield b"run,seed," + head + b"\n"
            elif head != header:
                raise RuntimeError(f"{path}: its columns differ from run 0's; not joined into {out / name}")
            if body and not body.endswith(b"\n"):
                body += b"\n"
            if body:
                prefix = f"{i},{seeds[i]},".encode("ascii")
                yield prefix + body[:-1].replace(b"\n", b"\n" + prefix) + b"\n"

    atomic_write_chunks(out / name, chunks())
    return True


def summarise(daily: pd.DataFrame) -> pd.DataFrame:
    """Per date and metric: median, 5 %, 25 %, 75 % and 95 % across runs (long format)."""
    metrics = [
        c
        for c in daily.columns
        if c not in ("run", "seed", "date") and pd.api.types.is_numeric_dtype(daily[c])
    ]
    g = daily.groupby("date")[metrics]
    parts = {k: g.quantile(q) for k, q in QUANTILES.items()}
    long = []
    for k, df in parts.items():
        s = df.stack()
        s.name = k
        long.append(s)
    out = pd.concat(long, axis=1).reset_index()
    out.columns = ["date", "metric", *QUANTILES]
    return out[["date", "metric", "median", "p5", "p25", "p75", "p95"]].sort_values(
        ["metric", "date"], kind="stable"
    )
