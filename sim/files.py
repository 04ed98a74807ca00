"""Writing results atomically: a file is either complete or absent, never half written.

Every file goes to a temporary name in the same directory and is moved into place with ``os.replace``
(atomic on POSIX and Windows). A run directory is assembled in a hidden staging directory inside it and its
files are moved in one by one at the end, so an interrupted run leaves the previous contents untouched, and a
run that fails before its end leaves no folder it created.

Files get the permissions of any file the user creates (``0o666`` less the umask, typically ``0o644``):
``tempfile.mkstemp`` creates them ``0o600``, which left results unreadable to colleagues on a shared disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import yaml


def _umask() -> int:
    """The process's umask (reading it means setting it: set it back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # read once, at import, before any worker thread exists


def _atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, give it the user's file mode and rename it into
    place: a reader sees the old file or the whole new one, never a part."""
    atomic_write_chunks(path, [data.encode("utf-8") if isinstance(data, str) else data])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """``atomic_write_bytes`` of the chunks one after the other, written as they come: a thousand runs'
    tables joined into one file without holding all of them in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            os.fchmod(fh.fileno(), FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    _atomic_write(path, text)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Binary twin of ``atomic_write_text`` (Parquet files)."""
    _atomic_write(path, data)


def atomic_write_csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write_text(path, df.to_csv(index=False, lineterminator="\n"))


def yaml_text(data: Any) -> str:
    """``data`` as the YAML text of the project's files (keys in their order, unicode as is, 100 columns)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def atomic_write_yaml(data: Any, path: Path) -> None:
    atomic_write_text(path, yaml_text(data))


def make_directory(out: Path) -> Path | None:
    """``mkdir -p out``; returns the outermost directory this created (None if ``out`` existed), which is
    what to remove to leave the disk as it was."""
    missing = [p for p in (out, *out.parents) if not p.exists()]
    out.mkdir(parents=True, exist_ok=True)
    return missing[-1] if missing else None


@contextlib.contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """Yield a staging directory; on success move its contents into ``out`` (files replaced one by one).
    On failure (or Ctrl-C) ``out`` is left as it was: removed if this created it."""
    created = make_directory(out)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield stage
        for src in sorted(stage.rglob("*")):
            if src.is_dir():
                continue
            dst = out / src.relative_to(stage)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def remove_stale_stages(out: Path) -> None:
    """Remove the staging directories of runs killed mid-write (a worker terminated on Ctrl-C, SIGKILL):
    they hold nothing finished, and the run is redone on resume."""
    for stage in out.glob(".staging-*"):
        shutil.rmtree(stage, ignore_errors=True)
