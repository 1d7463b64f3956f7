"""The real nbgrader on a real course folder: generate the assignment, submit as twelve
students (correct, correct differently, partly correct, buggy, empty, and one for each
cheat of the threat model), autograde them all with `python -m autograder grade-all`, two
at a time, generate feedback. Every score is asserted exactly; every cheat scores what the
empty submission scores; nbgrader's own `autograde` gives the same scores; grading again
skips everyone already graded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("01_max", "03_sum")  # one all-or-nothing exercise (1 point), one with partial credit (2)
NBGRADER = Path(sys.executable).with_name("nbgrader")

MAX_OK = "  if a >= b {\n    m := a;\n  } else {\n    m := b;\n  }"
MAX_OTHER = "  m := a;\n  if b > a {\n    m := b;\n  }"
MAX_BUG = "  m := a;"
SUM_OK = (
    "  s := 0;\n  var i := 0;\n  while i < n\n    invariant 0 <= i <= n\n    invariant s == SumUpTo(i)\n"
    "    invariant s == i * (i + 1) / 2\n  {\n    i := i + 1;\n    s := s + i;\n  }"
)
SUM_OTHER = (
    "  s := 0;\n  var k := n;\n  while k > 0\n    invariant 0 <= k <= n\n"
    "    invariant s + SumUpTo(k) == SumUpTo(n)\n    invariant s + k * (k + 1) / 2 == n * (n + 1) / 2\n"
    "  {\n    s := s + k;\n    k := k - 1;\n  }"
)
SUM_PART = (  # proves the closed form, not SumUpTo: 1 of 2 parts
    "  s := 0;\n  var i := 0;\n  while i < n\n    invariant 0 <= i <= n\n    invariant s == i * (i + 1) / 2\n"
    "  {\n    i := i + 1;\n    s := s + i;\n  }"
)
SUM_BUG = "  s := n;"


Edit = Callable[[nbformat.NotebookNode], None]


def solve(grade_id: str, body: str) -> Edit:
    """Replace the stub of a solution cell with `body`."""

    def edit(nb: nbformat.NotebookNode) -> None:
        cell = _cell(nb, grade_id)
        cell.source = cell.source.replace("  // YOUR CODE HERE", body)

    return edit


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def python_cell(code: str) -> Edit:
    """A cell of the student's own, right after `%load_ext`."""

    def edit(nb: nbformat.NotebookNode) -> None:
        nb.cells.insert(2, new_code_cell(code))

    return edit


def rewrite(grade_id: str, old: str, new: str) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        cell = _cell(nb, grade_id)
        cell.source = cell.source.replace(old, new)

    return edit


def fake_output(grade_id: str, text: str) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        _cell(nb, grade_id).outputs = [
            new_output("execute_result", data={"text/plain": text}, execution_count=1)
        ]

    return edit


PATCH_KERNEL = (
    "import autograder, kernel_ext.pipeline as pipeline\n"
    "autograder.check = lambda *args, **kwargs: 100.0\n"
    "pipeline.verify = lambda *args, **kwargs: None\n"
)
STUDENTS: dict[str, tuple[list[Edit], list[Edit], float]] = {
    # name: (edits of 01_max, edits of 03_sum, expected total of 3 points)
    "alice": ([solve("max-solution", MAX_OK)], [solve("sum-solution", SUM_OK)], 3.0),
    "bob": ([solve("max-solution", MAX_OTHER)], [solve("sum-solution", SUM_OTHER)], 3.0),
    "carol": ([solve("max-solution", MAX_OK)], [solve("sum-solution", SUM_PART)], 2.0),
    "dave": ([solve("max-solution", MAX_BUG)], [solve("sum-solution", SUM_BUG)], 0.0),
    "empty": ([], [], 0.0),
    "patcher": (
        [python_cell(PATCH_KERNEL), solve("max-solution", MAX_BUG)],
        [python_cell(PATCH_KERNEL)],
        0.0,
    ),
    "redefiner": (
        [python_cell("def check(*args, **kwargs):\n    return 1.0\n"), solve("max-solution", MAX_BUG)],
        [python_cell("def check(*args, **kwargs):\n    return 2.0\n")],
        0.0,
    ),
    "locked-editor": (
        [rewrite("max-check", 'check("max-solution", method="Max")', "1.0"), solve("max-solution", MAX_BUG)],
        [rewrite("sum-check", "check(", "print(")],
        0.0,
    ),
    "faker": (
        [solve("max-solution", MAX_BUG), fake_output("max-check", "1.0")],
        [
            python_cell('print("sum-check: 2 of 2 points: every obligation is proved")'),
            fake_output("sum-check", "2.0"),
        ],
        0.0,
    ),
    "variable-setter": ([python_cell("score = 1.0\npoints = 1.0\npassed = True\n")], [], 0.0),
    "spec-weakener": (
        [
            rewrite("max-solution", "  ensures m == a || m == b\n", ""),
            solve("max-solution", "  m := a + b * b + 1;"),
        ],
        [rewrite("sum-solution", "  ensures s == SumUpTo(n)\n", ""), solve("sum-solution", SUM_PART)],
        0.0,
    ),
    "assumer": (
        [solve("max-solution", "  assume a >= b;\n  m := a;")],
        [solve("sum-solution", "  s := n * (n + 1) / 2;\n  assume s == SumUpTo(n);")],
        0.0,
    ),
}


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "NBGRADER_EXECUTION"}
    env["PATH"] = f"{NBGRADER.parent}{os.pathsep}{env.get('PATH', '')}"  # nbgrader runs `alembic` from it
    return env


def run(course: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, cwd=course, capture_output=True, text=True, env=environment(), check=False, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(course, [str(NBGRADER), *args])


def grade_all(course: Path, *args: str) -> str:
    """`python -m autograder grade-all hw1 --jobs 2 ...` in the course folder: its summary line."""
    command = [sys.executable, "-m", "autograder", "grade-all", "hw1", "--jobs", "2", *args]
    return run(course, command).stdout.strip().splitlines()[-1]


def scores(course: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission("hw1", student).score for student in STUDENTS}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course with hw1 generated, submitted by every student, autograded and given feedback."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "autograder" / "course" / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source" / "hw1").mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy(REPO / "exercises" / "hw1" / f"{name}.ipynb", root / "source" / "hw1")
    nbgrader(root, "generate_assignment", "hw1", "--force")
    for student, (max_edits, sum_edits, _) in STUDENTS.items():
        _submit(root, student, {"01_max": max_edits, "03_sum": sum_edits})
    assert grade_all(root).startswith(f"hw1: {len(STUDENTS)} graded, 0 skipped, 0 failed in ")
    nbgrader(root, "generate_feedback", "hw1")
    return root


def _submit(root: Path, student: str, edits: dict[str, list[Edit]]) -> None:
    folder = root / "submitted" / student / "hw1"
    folder.mkdir(parents=True)
    for name, changes in edits.items():
        nb = nbformat.read(root / "release" / "hw1" / f"{name}.ipynb", as_version=4)
        for change in changes:
            change(nb)
        nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.mark.parametrize("student", STUDENTS, ids=list(STUDENTS))
def test_each_student_gets_exactly_their_score(course: Path, student: str) -> None:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        score = gradebook.find_submission("hw1", student).score
    assert score == STUDENTS[student][2]


def test_every_cheat_scores_what_the_empty_submission_scores(course: Path) -> None:
    graded = scores(course)
    cheats = ("patcher", "redefiner", "locked-editor", "faker", "variable-setter", "spec-weakener", "assumer")
    assert {graded[cheat] for cheat in cheats} == {graded["empty"]}


def test_feedback_shows_the_failed_obligations(course: Path) -> None:
    max_feedback = (course / "feedback" / "dave" / "hw1" / "01_max.html").read_text()
    assert "0 of 1 points" in max_feedback
    assert "postcondition" in max_feedback and "line 5" in max_feedback
    assert "counterexample" in max_feedback
    sum_feedback = (course / "feedback" / "carol" / "hw1" / "03_sum.html").read_text()
    assert "1 of 2 points: 1 of 2 postcondition parts proved" in sum_feedback


def test_grading_twice_gives_the_same_scores(course: Path) -> None:
    """nbgrader's own `autograde` agrees with what grade-all wrote in the gradebook."""
    before = scores(course)
    nbgrader(course, "autograde", "hw1", "--force", "--student", "carol")
    assert scores(course) == before


def test_grade_all_again_skips_everyone_graded_and_grades_a_deleted_folder_again(course: Path) -> None:
    before = scores(course)
    assert grade_all(course).startswith(f"hw1: 0 graded, {len(STUDENTS)} skipped, 0 failed in ")
    shutil.rmtree(course / "autograded" / "carol")
    assert grade_all(course).startswith(f"hw1: 1 graded, {len(STUDENTS) - 1} skipped, 0 failed in ")
    assert (course / "autograded" / "carol" / "hw1" / "03_sum.ipynb").exists()
    assert scores(course) == before


def test_the_course_report_shows_scores_failures_and_refusals(course: Path) -> None:
    done = run(course, [sys.executable, "-m", "autograder", "report", "hw1"])
    assert done.stdout.strip() == f"hw1: report written to {course / 'reports' / 'hw1.html'}"
    page = (course / "reports" / "hw1.html").read_text()
    assert page.count("<img alt='plot' src='data:image/png;base64,") == 4
    assert f"<p>{len(STUDENTS)} student(s), 2 exercise(s).</p>" in page
    # graded, mean score, full marks (alice, bob, carol), refused (assumer, spec-weakener), used assume
    assert "<tr><td>01_max</td><td>12</td><td>0.25 / 1</td><td>3</td><td>2</td><td>1</td></tr>" in page
    assert "<tr><td>03_sum</td><td>12</td><td>0.42 / 2</td><td>2</td><td>2</td><td>1</td></tr>" in page
    # `m := a` (dave, and four cheats who submit it) fails `m >= b`, line 3 of the cell
    assert (
        "<tr><td>01_max</td><td>3</td><td>postcondition</td><td><code>m &gt;= b</code></td><td>5</td></tr>"
        in page
    )


def test_the_course_report_of_an_assignment_not_graded_says_so(course: Path) -> None:
    command = [sys.executable, "-m", "autograder", "report", "hw9"]
    done = subprocess.run(command, cwd=course, capture_output=True, text=True, env=environment(), check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "nothing of hw9 is graded" in done.stderr and "grade-all hw9" in done.stderr


# ------------------------------------------------------------------ every homework set, end to end

SETS = ("hw1", "hw2", "hw3", "hw4")
SET_STUDENTS = ("reference", "wrong", "spec-gamer")
SPEC_SETS = ("hw2", "hw3")  # the sets with specification exercises, which the spec-gamer games


def _students(assignment: str) -> tuple[str, ...]:
    return SET_STUDENTS if assignment in SPEC_SETS else SET_STUDENTS[:2]


GAMED_CHECK = '\ncheck_spec("{id}", method="{method}", reference="{{ }}", wrong={{"none": "{{ }}"}}, precondition="true")'


def _set_notebooks(assignment: str) -> list[Path]:
    return sorted((REPO / "exercises" / assignment).glob("*.ipynb"))


def _solution_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution"))


def _case(name: str, student: str) -> tuple[list[str | None] | None, float]:
    """What `student` submits for the exercise `name` ("hw2/01_clamp_spec") and what it must score."""
    from tests.exercise_cases import CASES
    from tests.test_exercises import _regions

    source = nbformat.read(REPO / "exercises" / f"{name}.ipynb", as_version=4)
    regions = len(_regions(_solution_cell(source).source))
    cases = CASES.get(name, [("the reference", None, float(source.cells[-1].metadata["nbgrader"]["points"]))])
    reference = next(score for _, texts, score in cases if texts is None)
    if student == "reference":
        return [None] * regions, reference
    if student == "spec-gamer":
        return (
            (["  ensures true"], 0.0) if "check_spec" in source.cells[-1].source else ([""] * regions, -1.0)
        )
    wrong = [(texts, score) for _, texts, score in cases if texts is not None]
    return wrong[0] if wrong else ([""] * regions, -1.0)


def _submit_set(root: Path, assignment: str, student: str) -> dict[str, float]:
    """The student's notebooks of the set; the expected score of each (-1: not checked)."""
    from tests.test_exercises import _filled

    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    expected = {}
    for path in _set_notebooks(assignment):
        regions, score = _case(f"{assignment}/{path.stem}", student)
        source = nbformat.read(path, as_version=4)
        nb = nbformat.read(root / "release" / assignment / path.name, as_version=4)
        _solution_cell(nb).source = _filled(_solution_cell(source).source, regions)
        if student == "spec-gamer" and "check_spec" in nb.cells[-1].source:
            solution_id = nb.cells[-1].metadata["nbgrader"]["grade_id"].replace("-check", "-solution")
            method = source.cells[-1].source.split('method="')[1].split('"')[0]
            nb.cells[-1].source += GAMED_CHECK.format(id=solution_id, method=method)
        nbformat.write(nb, folder / path.name)
        expected[path.stem] = score
    return expected


@pytest.fixture(scope="module")
def every_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One course with every set released, submitted by a student who hands in the references,
    one who hands in a wrong submission for each exercise and one who games the specification
    checks, each set graded by one grade-all and given feedback: a few nbgrader runs in all."""
    root = tmp_path_factory.mktemp("sets")
    shutil.copy(REPO / "autograder" / "course" / "nbgrader_config.py", root / "nbgrader_config.py")
    expected: dict = {}
    for assignment in SETS:
        shutil.copytree(REPO / "exercises" / assignment, root / "source" / assignment)
        nbgrader(root, "generate_assignment", assignment, "--force")
        for student in _students(assignment):
            expected[assignment, student] = _submit_set(root, assignment, student)
        command = [sys.executable, "-m", "autograder", "grade-all", assignment, "--jobs", "2"]
        summary = run(root, command).stdout.strip().splitlines()[-1]
        assert summary.startswith(
            f"{assignment}: {len(_students(assignment))} graded, 0 skipped, 0 failed in "
        )
        nbgrader(root, "generate_feedback", assignment)
    return root, expected


@pytest.mark.parametrize(
    ("assignment", "student"),
    [(assignment, student) for assignment in SETS for student in _students(assignment)],
)
def test_every_exercise_of_every_set_scores_what_it_should(
    every_set: tuple[Path, dict], assignment: str, student: str
) -> None:
    root, expected = every_set
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        graded = {
            name: gradebook.find_submission_notebook(name, assignment, student).score
            for name in expected[assignment, student]
        }
    wanted = {name: score for name, score in expected[assignment, student].items() if score >= 0}
    assert {name: graded[name] for name in wanted} == wanted


@pytest.mark.parametrize("assignment", SETS)
def test_every_set_has_feedback_for_every_notebook(every_set: tuple[Path, dict], assignment: str) -> None:
    root, _ = every_set
    for path in _set_notebooks(assignment):
        page = (root / "feedback" / "wrong" / assignment / f"{path.stem}.html").read_text()
        assert "points" in page
        assert "BEGIN HIDDEN TESTS" not in page and "wrong=" not in page
