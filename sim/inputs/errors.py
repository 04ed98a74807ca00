"""Input errors that the command line reports as one line and exit code 2.

Users of the CLI are analysts editing YAML by hand: a traceback tells them nothing, a line that names the
file, the field and the problem tells them what to fix. Every loader in the package raises `InputError`
for bad input so that the CLI can catch exactly this class and nothing else.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad user input: a file, a field inside it (dotted path, may be empty) and what is wrong."""

    def __init__(self, file: str | Path, field: str, problem: str) -> None:
        self.file = str(file)
        self.field = field
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        """Pickle with the three fields: an error raised in a worker process must reach the parent intact
        (with the default pickling, unpickling failed in the pool's result thread and the pool hung)."""
        return (InputError, (self.file, self.field, self.problem))

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.problem}"
