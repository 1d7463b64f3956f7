"""The homework notebooks (`exercises/hw*/*.ipynb`, nbgrader source notebooks, one folder per set).

Each one has the cells the autograder relies on, in order: the locked instructions, the
locked `%load_ext kernel_ext`, optional locked `%%verify` context cells (the specification's
functions), the solution cell, a locked line of text and the graded check cell calling
`check("<solution id>", method=...)`, or for an exercise whose task is a specification,
`check_spec(...)` with the reference code and the wrong versions in the cell's hidden part. Its
`%%verify` cells verify as written (the reference solution, within `REFERENCE_CPU_SECONDS`;
`bench/bench_grading.py` measures how long grading takes); every submission in
`tests/exercise_cases.py` scores what it should; `nbgrader
generate_assignment` turns it into a released notebook whose solution regions are
`// YOUR CODE HERE`, and that stub still parses and type-checks, so a student starts from
failing obligations, not from errors.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.grading import Submission, grade
from autograder.nbgrader_plugin import find_check, find_spec_check
from autograder.spec_grading import SpecSubmission, grade_spec
from kernel_ext import verify
from tests.exercise_cases import CASES

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "hw1"
SETS = ("hw1", "hw2", "hw3", "hw4")
SOURCE = ROOT / "exercises" / ASSIGNMENT
NOTEBOOKS = sorted((ROOT / "exercises").glob("hw*/*.ipynb"))
NAMES = [f"{path.parent.name}/{path.stem}" for path in NOTEBOOKS]
CONFIG = ROOT / "autograder" / "course" / "nbgrader_config.py"
REFERENCE_CPU_SECONDS = 2.0

MAGIC = "%%verify"
BEGIN, END, STUB = "// BEGIN SOLUTION", "// END SOLUTION", "// YOUR CODE HERE"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
RULES = "Do not change the method's header, `requires` or `ensures`"
SPEC_RULES = "Do not change the method's header or its code"
CHECK_CALL = re.compile(
    r'from autograder import check\ncheck\("(?P<id>[\w-]+)", method="(?P<method>\w+)"(?P<partial>, partial=True)?\)'
)
SPEC_CALL = re.compile(
    r'from autograder import check_spec\ncheck_spec\("(?P<id>[\w-]+)", method="(?P<method>\w+)"\)'
    r"(?P<hidden>\n### BEGIN HIDDEN TESTS\n.*\n### END HIDDEN TESTS)",
    re.DOTALL,
)
METHOD = re.compile(r"^(?:method|lemma)\s+(\w+)", re.MULTILINE)
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


def _call(check_source: str) -> re.Match[str]:
    call = CHECK_CALL.fullmatch(check_source) or SPEC_CALL.fullmatch(check_source)
    assert call is not None, check_source
    return call


def _is_spec(notebook: nbformat.NotebookNode) -> bool:
    return notebook.cells[-1].source.startswith("from autograder import check_spec")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`nbgrader generate_assignment` of every set in a fresh course folder with the course's
    configuration; the folder of released sets."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(CONFIG, course / "nbgrader_config.py")
    for assignment in SETS:
        shutil.copytree(ROOT / "exercises" / assignment, course / "source" / assignment)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    # nbgrader runs `alembic` (installed beside it) from PATH to set up its gradebook
    env = {**os.environ, "PATH": f"{nbgrader.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for assignment in SETS:
        result = subprocess.run(
            [str(nbgrader), "generate_assignment", assignment, "--force"],
            cwd=course,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course / "release"


def _released(release: Path, path: Path) -> nbformat.NotebookNode:
    return _read(release / path.parent.name / path.name)


def test_there_are_four_sets_of_exercises() -> None:
    counts = {assignment: len(list((ROOT / "exercises" / assignment).glob("*.ipynb"))) for assignment in SETS}
    assert counts["hw1"] >= 6 and all(count >= 4 for count in counts.values()), counts
    assert sum(counts.values()) >= 23


def test_grade_ids_are_unique_in_each_assignment() -> None:
    for assignment in SETS:
        paths = [path for path in NOTEBOOKS if path.parent.name == assignment]
        ids = [_grade_id(cell) for path in paths for cell in _read(path).cells]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
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
    assert (SPEC_RULES if _is_spec(notebook) else RULES) in intro.source
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
    call = _call(check.source)
    assert call["id"] == f"{exercise}-solution"
    assert call["method"] in METHOD.findall(solution.source), (
        f"no method {call['method']} in the solution cell"
    )


def _header_lines(lines: list[str], method: str) -> tuple[int, int]:
    """The line of the method's (or lemma's) name and the line of its body's opening brace."""
    (header,) = [n for n, line in enumerate(lines) if re.match(rf"(method|lemma)\s+{method}\b", line)]
    return header, next(n for n in range(header, len(lines)) if lines[n].strip() == "{")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_solution_regions_leave_the_specification_locked(path: Path) -> None:
    """The header and contracts stay outside the regions; the loop invariants are the student's.
    In a specification exercise, the contracts are the region and the code stays outside it."""
    notebook = _read(path)
    source = _solution(notebook).source
    regions = _regions(source)
    assert regions, "the solution cell has no solution region"
    lines = source.split("\n")
    header, body = _header_lines(lines, _call(notebook.cells[-1].source)["method"])
    if _is_spec(notebook):
        assert len(regions) == 1 and header < regions[0][0] and regions[0][1] < body
    else:
        assert not any(begin <= n <= end for n in range(header, body + 1) for begin, end in regions)
    for number, line in enumerate(lines):
        if line.strip().startswith("invariant") and not _is_spec(notebook):
            assert _inside(number, regions), f"line {number + 1} is outside the solution regions: {line}"
    for cell in _verify_cells(notebook):
        assert not FORBIDDEN.search(cell.source), "the reference uses what the grader refuses"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_reference_solution_verifies_in_under_two_seconds(path: Path) -> None:
    started = time.process_time()
    report = verify(_program(_read(path)), path.name)
    spent = time.process_time() - started
    assert not report.diagnostics, [d.message for d in report.diagnostics]
    assert report.verified, [(ob.span.start_line, ob.message, ob.description) for ob in report.errors]
    assert spent < REFERENCE_CPU_SECONDS, f"{spent:.2f} s of CPU time"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_release_replaces_the_solution_by_the_stub(release: Path, path: Path) -> None:
    source, released = _read(path), _released(release, path)
    text = nbformat.writes(released)
    assert BEGIN not in text and END not in text
    assert [_grade_id(cell) for cell in released.cells] == [_grade_id(cell) for cell in source.cells]
    for mine, theirs in zip(source.cells, released.cells, strict=True):
        if mine.metadata["nbgrader"].get("solution"):
            assert STUB in theirs.source
            assert theirs.source == _stubbed(mine.source)
        elif mine.metadata["nbgrader"].get("grade") and _is_spec(source):
            assert theirs.source == mine.source.split("\n### BEGIN HIDDEN TESTS")[0]
        else:
            assert theirs.source == mine.source


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if _is_spec(_read(p))], ids=lambda p: p.stem)
def test_the_hidden_implementations_never_reach_the_released_notebook(release: Path, path: Path) -> None:
    hidden = find_spec_check(_read(path).cells[-1].source)
    assert hidden is not None and hidden.reference and len(hidden.wrong) >= 2
    text = nbformat.writes(_released(release, path))
    check = _released(release, path).cells[-1].source
    assert "HIDDEN" not in text and "reference=" not in check and "wrong=" not in check
    for body in hidden.wrong.values():
        assert json.dumps(body)[1:-1] not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_released_stub_type_checks_and_fails(release: Path, path: Path) -> None:
    """The student starts from obligations that fail (or, for a specification, from no
    specification at all, which earns nothing), not from parse or type errors."""
    released = _released(release, path)
    report = verify(_program(released), path.name)
    assert not report.diagnostics, [d.message for d in report.diagnostics]
    if _is_spec(released):
        assert _score(_read(path), _solution(released).source) == 0.0
    else:
        assert report.exit_code == 1 and not report.verified


# ------------------------------------------------------------------ submissions and their scores


def _filled(source: str, regions: list[str | None] | None) -> str:
    """The solution cell as released, each stub replaced by the entry's text for that region
    (None: the reference's)."""
    if regions is None:
        return source
    lines = source.split("\n")
    spans = _regions(source)
    assert len(regions) == len(spans), "one text per solution region"
    out: list[str] = []
    number = 0
    while number < len(lines):
        index = next((k for k, (begin, _) in enumerate(spans) if begin == number), None)
        if index is None:
            out.append(lines[number])
            number += 1
            continue
        begin, end = spans[index]
        text = regions[index]
        out.extend(lines[begin + 1 : end] if text is None else text.split("\n"))
        number = end + 1
    return "\n".join(out)


def _score(notebook: nbformat.NotebookNode, solution: str) -> float:
    """The score the grader gives `solution` in the exercise, graded as nbgrader's side does."""
    released = _stubbed(_solution(notebook).source)
    context = tuple(cell.source for cell in _verify_cells(notebook)[:-1])
    check = notebook.cells[-1]
    points = float(check.metadata["nbgrader"]["points"])
    spec = find_spec_check(check.source)
    if spec is not None:
        assert spec.reference is not None
        submission = SpecSubmission(
            solution, released, spec.method, points, spec.reference, spec.wrong, spec.precondition, context
        )
        return grade_spec(submission).score
    call = find_check(check.source)
    assert call is not None
    return grade(Submission(solution, released, call.method, points, context, call.partial)).score


CASE_PARAMS = [
    pytest.param(name, label, regions, expected, id=f"{name}:{label}")
    for name, cases in CASES.items()
    for label, regions, expected in cases
]


@pytest.mark.parametrize(("name", "label", "regions", "expected"), CASE_PARAMS)
def test_each_submission_scores_what_it_should(
    name: str, label: str, regions: list[str | None] | None, expected: float
) -> None:
    notebook = _read(ROOT / "exercises" / f"{name}.ipynb")
    solution = _solution(notebook).source
    text = solution if regions is None else _filled(solution, regions)
    assert _score(notebook, text) == expected


def test_every_new_exercise_has_the_reference_and_two_wrong_submissions() -> None:
    for name in NAMES:
        if name.startswith("hw1/"):
            continue
        cases = CASES[name]
        assert any(regions is None for _, regions, _ in cases), name
        wrong = [score for _, regions, score in cases if regions is not None]
        assert len(wrong) >= 2, name
