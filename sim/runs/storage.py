"""Where an ensemble keeps its per-community tables: Parquet files by run, read back with filters.

A village-level run's ``population.csv`` has a row per day and community (about 220,000 rows); a thousand
runs of it would be tens of gigabytes of CSV, and no figure or score needs all of it at once. So each run of
an ensemble writes ``population.parquet`` (pyarrow; compressed, typed, readable column by column), the
ensemble keeps them by run, and readers take only the runs, dates, settlements and columns they need
(``read_population``). ``idlib-sim ensemble --csv`` also writes the concatenated ``population.csv``, for a
spreadsheet. Single runs keep their CSVs.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.files import atomic_write_bytes

POPULATION = "population.parquet"
READERS = 4  # threads reading the runs' files


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """``df`` as a Parquet file, written atomically (zstd-compressed; no index)."""
    buf = io.BytesIO()
    df.to_parquet(buf, index=False, compression="zstd")
    atomic_write_bytes(path, buf.getvalue())


def read_population(
    run_dirs: Sequence[Path],
    seeds: Sequence[int],
    dates: Iterable[str] | None = None,
    settlements: Iterable[str] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """The population tables of the runs in ``run_dirs`` (run ``i`` with seed ``seeds[i]``), restricted to
    ``dates`` and ``settlements`` if given, with leading ``run`` and ``seed`` columns. Reads
    ``population.parquet``, or ``population.csv`` for a run written before Parquet."""
    filters = []
    if dates is not None:
        filters.append(("date", "in", list(dates)))
    if settlements is not None:
        filters.append(("settlement", "in", list(settlements)))

    def one(i: int, d: Path, seed: int) -> pd.DataFrame:
        if (d / POPULATION).exists():
            df = pq.read_table(d / POPULATION, columns=columns, filters=filters or None).to_pandas()
        else:
            df = pd.read_csv(d / "population.csv", usecols=columns)
            for col, _op, values in filters:
                df = df[df[col].isin(values)]
        df.insert(0, "seed", seed)
        df.insert(0, "run", i)
        return df.reset_index(drop=True)

    # the files are read by a few threads (Arrow decodes without holding the GIL): a thousand runs' map
    # days took half a minute one file after another; the frames are joined in the runs' order
    jobs = list(enumerate(zip(run_dirs, seeds, strict=True)))
    with ThreadPoolExecutor(max_workers=READERS) as ex:
        frames = list(ex.map(lambda job: one(job[0], *job[1]), jobs))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
