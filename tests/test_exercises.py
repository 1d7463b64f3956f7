"""The homework notebooks (`exercises/hw1/*.ipynb`, nbgrader source notebooks).

Each one has the cells the autograder relies on, in order: the locked instructions, the
locked `%load_ext kernel_ext`, optional locked `%%verify` context cells (the specification's
functions), the solution cell, a locked line of text and the graded check cell calling
`check("<solution id>", method=...)`. Its `%%verify` cells verify as written (the reference
solution; `bench/bench_grading.py` measures how long that takes); `nbgrader
generate_assignment` turns it into a released notebook whose solution regions are
`// YOUR CODE HERE`, and that stub still parses and type-checks, so a student starts from
failing obligations, not from errors.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kernel_ext import verify

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "hw1"
SOURCE = ROOT / "exercises" / ASSIGNMENT
NOTEBOOKS = sorted(SOURCE.glob("*.ipynb"))
CONFIG = ROOT / "autograder" / "course" / "nbgrader_config.py"

MAGIC = "%%verify"
BEGIN, END, STUB = "// BEGIN SOLUTION", "// END SOLUTION", "// YOUR CODE HERE"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
RULES = "Do not change the method's header, `requires` or `ensures`"
CHECK_CALL = re.compile(
    r'from autograder import check\ncheck\("(?P<id>[\w-]+)", method="(?P<method>\w+)"(?P<partial>, partial=True)?\)'
)
METHOD = re.compile(r"^method\s+(\w+)", re.MULTILINE)
FORBIDDEN = re.compile(r"\bassume\b|\bdecreases\s*\*")


def _locked(grade_id: str) -> dict:
    return {"grade": False, "solution": False, "locked": True, "grade_id": grade_id, "schema_version": 3}


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.metadata["nbgrader"]["grade_id"]


def _verify_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The `%%verify` cells, in notebook order: the context cells, then the solution."""
    return [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.startswith(MAGIC)]


def _solution(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    (cell,) = [cell for cell in notebook.cells if cell.metadata["nbgrader"].get("solution")]
    return cell


def _program(notebook: nbformat.NotebookNode) -> str:
    """The notebook's MiniDafny program, each magic line kept as an empty line."""
    return "\n".join("\n" + cell.source.partition("\n")[2] for cell in _verify_cells(notebook))


def _regions(source: str) -> list[tuple[int, int]]:
    """The solution regions as (begin line, end line) indices; well nested, or the test fails."""
    regions: list[tuple[int, int]] = []
    begin: int | None = None
    for number, line in enumerate(source.split("\n")):
        if BEGIN in line:
            assert begin is None, f"nested {BEGIN} at line {number + 1}"
            begin = number
        elif END in line:
            assert begin is not None, f"{END} without {BEGIN} at line {number + 1}"
            regions.append((begin, number))
            begin = None
    assert begin is None, f"{BEGIN} without {END}"
    return regions


def _inside(number: int, regions: list[tuple[int, int]]) -> bool:
    return any(begin < number < end for begin, end in regions)


def _stubbed(source: str) -> str:
    """The solution cell as released: each region replaced by the stub, indented like its begin line."""
    lines = source.split("\n")
    regions = _regions(source)
    kept: list[str] = []
    for number, line in enumerate(lines):
        region = next(((begin, end) for begin, end in regions if begin <= number <= end), None)
        if region is None:
            kept.append(line)
        elif number == region[0]:
            kept.append(line[: len(line) - len(line.lstrip())] + STUB)
    return "\n".join(kept)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`nbgrader generate_assignment` in a fresh course folder with the course's configuration."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(CONFIG, course / "nbgrader_config.py")
    shutil.copytree(SOURCE, course / "source" / ASSIGNMENT)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    # nbgrader runs `alembic` (installed beside it) from PATH to set up its gradebook
    env = {**os.environ, "PATH": f"{nbgrader.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(nbgrader), "generate_assignment", ASSIGNMENT, "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course / "release" / ASSIGNMENT


def test_there_are_exercises() -> None:
    assert len(NOTEBOOKS) >= 6


def test_grade_ids_are_unique_in_the_assignment() -> None:
    ids = [_grade_id(cell) for path in NOTEBOOKS for cell in _read(path).cells]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_the_cells_the_autograder_expects(path: Path) -> None:
    notebook = _read(path)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5)
    assert notebook.metadata.kernelspec == KERNELSPEC
    assert all(cell.get("id") for cell in notebook.cells)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "committed without outputs"

    intro, load, *middle, check_intro, check = notebook.cells
    *context, solution = middle
    exercise = _grade_id(intro).removesuffix("-intro")
    assert intro.cell_type == "markdown" and intro.metadata["nbgrader"] == _locked(f"{exercise}-intro")
    assert RULES in intro.source
    assert load.cell_type == "code" and load.source == "%load_ext kernel_ext"
    assert load.metadata["nbgrader"] == _locked(f"{exercise}-load")
    for number, cell in enumerate(context):
        suffix = "context" if number == 0 else f"context-{number + 1}"
        assert cell.cell_type == "code" and cell.source.startswith(MAGIC + "\n")
        assert cell.metadata["nbgrader"] == _locked(f"{exercise}-{suffix}")
        assert BEGIN not in cell.source and END not in cell.source
    assert solution.cell_type == "code" and solution.source.startswith(MAGIC + "\n")
    assert solution.metadata["nbgrader"] == {
        "grade": False,
        "solution": True,
        "locked": False,
        "grade_id": f"{exercise}-solution",
        "schema_version": 3,
    }
    assert check_intro.cell_type == "markdown"
    assert check_intro.source == "Run the next cell to check your solution."
    assert check_intro.metadata["nbgrader"] == _locked(f"{exercise}-check-intro")
    assert check.cell_type == "code"
    points = check.metadata["nbgrader"].get("points")
    assert isinstance(points, int) and 1 <= points <= 4, points
    assert check.metadata["nbgrader"] == {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": points,
        "grade_id": f"{exercise}-check",
        "schema_version": 3,
    }
    call = CHECK_CALL.fullmatch(check.source)
    assert call is not None, check.source
    assert call["id"] == f"{exercise}-solution"
    assert call["method"] in METHOD.findall(solution.source), (
        f"no method {call['method']} in the solution cell"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_solution_regions_leave_the_specification_locked(path: Path) -> None:
    """The header and contracts stay outside the regions; the loop invariants are the student's."""
    notebook = _read(path)
    source = _solution(notebook).source
    regions = _regions(source)
    assert regions, "the solution cell has no solution region"
    lines = source.split("\n")
    method = CHECK_CALL.fullmatch(notebook.cells[-1].source)["method"]
    (header,) = [n for n, line in enumerate(lines) if re.match(rf"method\s+{method}\b", line)]
    body = next(n for n in range(header, len(lines)) if lines[n].strip() == "{")
    assert not any(begin <= n <= end for n in range(header, body + 1) for begin, end in regions)
    for number, line in enumerate(lines):
        if line.strip().startswith("invariant"):
            assert _inside(number, regions), f"line {number + 1} is outside the solution regions: {line}"
    for cell in _verify_cells(notebook):
        assert not FORBIDDEN.search(cell.source), "the reference uses what the grader refuses"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_reference_solution_verifies(path: Path) -> None:
    report = verify(_program(_read(path)), path.name)
    assert not report.diagnostics, [d.message for d in report.diagnostics]
    assert report.verified, [(ob.span.start_line, ob.message, ob.description) for ob in report.errors]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_release_replaces_the_solution_by_the_stub(release: Path, path: Path) -> None:
    source, released = _read(path), _read(release / path.name)
    text = nbformat.writes(released)
    assert BEGIN not in text and END not in text
    assert [_grade_id(cell) for cell in released.cells] == [_grade_id(cell) for cell in source.cells]
    for mine, theirs in zip(source.cells, released.cells, strict=True):
        if mine.metadata["nbgrader"].get("solution"):
            assert STUB in theirs.source
            assert theirs.source == _stubbed(mine.source)
        else:
            assert theirs.source == mine.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_released_stub_type_checks_and_fails(release: Path, path: Path) -> None:
    """The student starts from obligations that fail, not from parse or type errors."""
    report = verify(_program(_read(release / path.name)), path.name)
    assert not report.diagnostics, [d.message for d in report.diagnostics]
    assert report.exit_code == 1 and not report.verified
