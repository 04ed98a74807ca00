"""Input errors that the command line reports as one line and exit code 2.

Users of the CLI are analysts editing YAML by hand: a traceback tells them nothing, a line that names the
file, the field and the problem tells them what to fix. Every loader in the package raises `InputError`
for bad input so that the CLI can catch exactly this class and nothing else.
"""

from __future__ import annotations

from pathlib import Path

MAX_FIELD = 80  # characters of a field (dotted path) echoed back
MAX_PROBLEM = 240  # characters of a problem, which may quote what the user wrote


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis: an error line quotes what the
    user wrote, and a 10,000-character key must not become a 10,000-character line."""
    one_line = " ".join(str(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class InputError(Exception):
    """Bad user input: a file, a field inside it (dotted path, may be empty) and what is wrong."""

    def __init__(self, file: str | Path, field: str, problem: str) -> None:
        self.file = str(file)
        self.field = shorten(field, MAX_FIELD)
        self.problem = shorten(problem, MAX_PROBLEM)  # always one line
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        """Pickle with the three fields: an error raised in a worker process must reach the parent intact
        (with the default pickling, unpickling failed in the pool's result thread and the pool hung)."""
        return (InputError, (self.file, self.field, self.problem))

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.problem}"
