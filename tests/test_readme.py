"""What README.md and docs/ must keep.

* The README opens with the two commands that work on a fresh machine (set up and run the baseline; set up
  and run the tests, as .ci/run does), and stays short enough for a newcomer to read.
* The counterfactual results with their uncertainty: the README's headline table and the full table in
  docs/results.md. A rewrite of the section once dropped the table silently (commit 55c3f13).
* Every relative link in README.md and docs/*.md points to a file of this repository (and to a heading that
  exists, when it names one): moving the long material to docs/ must not leave dead links behind.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
RESULTS = ROOT / "docs" / "results.md"
MARKDOWN = [README, *sorted((ROOT / "docs").glob("*.md"))]
MAX_README_LINES = 150

SCENARIOS = ["baseline", "no_turkish_intervention", "early_ceasefire"]
SETUP_AND_RUN = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && "
    "idlib-sim run scenarios/baseline.yaml --seed 1 --out outputs/baseline"
)
RUN_TESTS = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]" && python -m pytest -q'


def _section(path: Path, heading: str) -> str:
    text = path.read_text()
    start = text.index(f"\n{heading}") + 1
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


def _rows(section: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_0-9]+)` \|.*$", section, re.M)}


def _check_counterfactual_table(rows: dict[str, str], where: str) -> None:
    for sc in SCENARIOS:
        assert sc in rows, f"{where}: the counterfactual table has no row for {sc}"
    assert re.search(r"\[[^\]]+–[^\]]+\]", rows["baseline"]), f"{where}: baseline row needs its 5-95 % range"
    for sc, row in rows.items():
        if sc != "baseline":
            paired = re.search(r"[+−]\S+ \[[+−]\S+, [+−]\S+\]", row)
            assert paired, f"{where}: {sc} row needs a paired interval"


def test_readme_headline_table_has_a_row_per_scenario_with_intervals():
    _check_counterfactual_table(_rows(_section(README, "## What the model says")), "README.md")


def test_results_full_table_has_a_row_per_scenario_with_intervals():
    rows = _rows(_section(RESULTS, "## What the calibrated model says"))
    _check_counterfactual_table(rows, "docs/results.md")
    assert len(rows) >= 8, "docs/results.md: the full table lost rows"


def test_readme_opens_with_the_two_commands():
    lines = README.read_text().splitlines()
    assert lines[0].startswith("# "), "README.md starts with its title"
    fence = next(i for i, line in enumerate(lines) if line.startswith("```"))
    before = " ".join(line for line in lines[1:fence] if line.strip())
    sentences = len(re.findall(r"[.!?](\s|$)", before))
    assert sentences <= 1, "at most a sentence between the title and the commands"
    close = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
    commands = [line for line in lines[fence + 1 : close] if line.strip() and not line.startswith("#")]
    assert commands == [SETUP_AND_RUN, RUN_TESTS]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r'pip install (--quiet )?-e "\.\[dev\]"', ci)
    assert re.search(r"^python -m pytest -q$", ci, re.M)


def test_readme_is_short():
    n = len(README.read_text().splitlines())
    assert n <= MAX_README_LINES, f"README.md: {n} lines, at most {MAX_README_LINES}; move detail to docs/"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


def _links(path: Path) -> list[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M)  # code blocks
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans (a link's text may be one)
    return re.findall(r"\[[^\]]*\]\(([^)\s]+)\)", text)


@cache
def _tracked() -> set[str] | None:
    """Files git tracks (None when this is not a git checkout: then existence on disk is the test)."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(out.stdout.splitlines())


def _in_repository(target: Path) -> bool:
    if not target.exists() or not target.is_relative_to(ROOT):
        return False
    tracked = _tracked()
    if tracked is None:
        return True
    rel = target.relative_to(ROOT).as_posix()
    return rel in tracked or (target.is_dir() and any(f.startswith(rel + "/") for f in tracked))


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_to_files_of_the_repository(path):
    broken = []
    for link in _links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", link):  # https:, mailto:
            continue
        name, _, anchor = link.partition("#")
        target = (path.parent / name).resolve() if name else path
        if not _in_repository(target):
            broken.append(f"{link}: no such file in the repository")
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            broken.append(f"{link}: no heading #{anchor} in {target.relative_to(ROOT)}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)


def test_no_reference_to_the_old_place_of_the_odd():
    for path in [*MARKDOWN, ROOT / "pyproject.toml"]:
        assert "sim/ODD.md" not in path.read_text(), f"{path.relative_to(ROOT)} still names sim/ODD.md"
