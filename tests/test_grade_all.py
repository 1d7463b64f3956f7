"""`python -m autograder grade-all`: which students it grades, the gradebook it tells nbgrader
to use, its summary and exit codes, its arguments; and, with the real nbgrader on a small
course, Ctrl-C in the middle of an assignment and a rerun that grades only the rest."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from autograder import grade_all as grade_all_module
from autograder.__main__ import main, parser
from autograder.grade_all import (
    SQLITE_BUSY_TIMEOUT,
    Course,
    Outcome,
    Status,
    Summary,
    db_url_override,
    default_jobs,
    gradebook_url,
    plan,
)
from tests.test_nbgrader import MAX_BUG, MAX_OK, Edit, environment, solve

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_max.ipynb"


# Which students need grading: a course folder written by hand.


def write_notebook(path: Path, *, run: bool = True) -> None:
    """A notebook whose code cells ran (as nbgrader leaves it after grading) or never ran."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [new_markdown_cell("# Max"), new_code_cell("x = 1", execution_count=1 if run else None)]
    nbformat.write(new_notebook(cells=cells), path)


def make_older(path: Path, seconds: float = 60) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


@pytest.fixture
def handmade(tmp_path: Path) -> Course:
    """`source/hw1` and three students' submissions, all submitted before they were graded."""
    course = Course(tmp_path, "hw1")
    write_notebook(tmp_path / "source" / "hw1" / NOTEBOOK, run=False)
    for student in ("ann", "ben", "cat"):
        write_notebook(course.submitted(student) / NOTEBOOK, run=False)
        make_older(course.submitted(student) / NOTEBOOK)
        write_notebook(course.autograded(student) / NOTEBOOK)
    return course


def test_a_complete_autograded_folder_is_up_to_date(handmade: Course) -> None:
    assert plan(handmade, force=False) == ([], ["ann", "ben", "cat"])
    assert plan(handmade, force=True) == (["ann", "ben", "cat"], [])


def test_a_missing_autograded_folder_is_graded(handmade: Course) -> None:
    shutil.rmtree(handmade.autograded("ben"))
    assert plan(handmade, force=False) == (["ben"], ["ann", "cat"])


def test_a_missing_or_truncated_notebook_is_graded_again(handmade: Course) -> None:
    (handmade.autograded("ann") / NOTEBOOK).unlink()
    graded = handmade.autograded("ben") / NOTEBOOK
    graded.write_text(graded.read_text()[:100])
    assert plan(handmade, force=False) == (["ann", "ben"], ["cat"])


def test_a_notebook_nbgrader_has_not_run_yet_is_graded_again(handmade: Course) -> None:
    """nbgrader writes the submission with cleared outputs before running it: a crash then
    leaves a notebook that parses but was never graded."""
    write_notebook(handmade.autograded("cat") / NOTEBOOK, run=False)
    assert not handmade.is_up_to_date("cat")


def test_a_submission_newer_than_its_grading_is_graded_again(handmade: Course) -> None:
    make_older(handmade.autograded("ann") / NOTEBOOK, seconds=3600)
    assert plan(handmade, force=False) == (["ann"], ["ben", "cat"])


def test_a_new_timestamp_is_graded_again(handmade: Course) -> None:
    (handmade.submitted("ann") / "timestamp.txt").write_text("2025-03-01 12:00:00.000000 UTC\n")
    assert not handmade.is_up_to_date("ann")  # graded before there was a timestamp
    (handmade.autograded("ann") / "timestamp.txt").write_text("2025-03-01 12:00:00.000000 UTC")
    assert handmade.is_up_to_date("ann")
    (handmade.submitted("ann") / "timestamp.txt").write_text("2025-03-02 09:30:00.000000 UTC\n")
    assert not handmade.is_up_to_date("ann")


def test_only_the_assignments_notebooks_must_be_graded(handmade: Course) -> None:
    write_notebook(handmade.submitted("ann") / "scratch.ipynb", run=False)  # not in source/hw1
    assert handmade.is_up_to_date("ann")
    write_notebook(handmade.root / "source" / "hw1" / "02_divide.ipynb", run=False)  # not submitted
    assert handmade.is_up_to_date("ann")


def test_students_are_those_with_a_submission_of_the_assignment(handmade: Course) -> None:
    (handmade.root / "submitted" / "dan" / "hw2").mkdir(parents=True)
    assert handmade.students() == ["ann", "ben", "cat"]
    assert Course(handmade.root / "nowhere", "hw1").students() == []


# The gradebook: nbgrader's, with a long busy timeout for SQLite.


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Jupyter's configuration folders, empty: only the course's own configuration counts."""
    folder = tmp_path / "jupyter-config"
    folder.mkdir()
    monkeypatch.setattr(grade_all_module, "jupyter_config_path", lambda: [str(folder)])
    return folder


def test_the_default_gradebook_gets_a_busy_timeout(tmp_path: Path, no_user_config: Path) -> None:
    url = gradebook_url(tmp_path)
    assert url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}?timeout={SQLITE_BUSY_TIMEOUT}"
    assert SQLITE_BUSY_TIMEOUT == 120
    assert db_url_override(tmp_path) == url


def test_the_courses_configured_gradebook_is_honoured(tmp_path: Path, no_user_config: Path) -> None:
    (no_user_config / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.db_url = "sqlite:////srv/user.db"\n'
    )
    assert gradebook_url(tmp_path) == "sqlite:////srv/user.db?timeout=120"
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.db_url = "sqlite:////srv/grades/hw.db"\n'
    )
    assert gradebook_url(tmp_path) == "sqlite:////srv/grades/hw.db?timeout=120"


def test_a_configured_timeout_and_other_databases_are_left_alone(
    tmp_path: Path, no_user_config: Path
) -> None:
    config = tmp_path / "nbgrader_config.py"
    config.write_text('c = get_config()\nc.CourseDirectory.db_url = "sqlite:////srv/hw.db?timeout=5"\n')
    assert gradebook_url(tmp_path) == "sqlite:////srv/hw.db?timeout=5"
    postgres = "postgresql://grader:secret@db.example.org/course"
    config.write_text(f'c = get_config()\nc.CourseDirectory.db_url = "{postgres}"\n')
    assert gradebook_url(tmp_path) == postgres
    assert db_url_override(tmp_path) is None  # nbgrader reads it itself; the password stays out of `ps`


# The summary and the exit code.


def summary(*outcomes: Outcome, interrupted: bool = False) -> Summary:
    return Summary("hw1", outcomes, 12.34, 2, interrupted)


def test_a_summary_counts_each_outcome() -> None:
    done = summary(Outcome("ann", Status.GRADED, 3.0), Outcome("ben", Status.SKIPPED))
    assert done.text() == "hw1: 1 graded, 1 skipped, 0 failed in 12.3 s (2 jobs)"
    assert done.exit_code == 0


def test_a_failure_shows_the_end_of_its_log_and_exits_1() -> None:
    log = "\n".join(f"line {number}" for number in range(100)) + "\nNbGraderException: broken\n"
    done = summary(Outcome("ann", Status.GRADED), Outcome("ben", Status.FAILED, 1.0, log, 1))
    lines = done.text().splitlines()
    assert lines[0] == "FAILED ben (exit code 1); the end of its log:"
    assert lines[1:-1] == [f"    line {number}" for number in range(76, 100)] + [
        "    NbGraderException: broken"
    ]
    assert lines[-1] == "hw1: 1 graded, 0 skipped, 1 failed in 12.3 s (2 jobs)"
    assert done.exit_code == 1


def test_an_interrupted_summary_says_how_to_resume_and_exits_130() -> None:
    outcomes = (
        Outcome("ann", Status.GRADED),
        Outcome("ben", Status.FAILED, returncode=1),
        Outcome("cat", Status.STOPPED),
    )
    done = summary(*outcomes, interrupted=True)
    assert done.text().splitlines()[-2:] == [
        "hw1: 1 graded, 0 skipped, 1 failed, 1 stopped in 12.3 s (2 jobs)",
        "interrupted: finished grades are kept; run the command again to grade the rest",
    ]
    assert done.exit_code == 130


# The command line.


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as error:
        main(["grade-all", "hw1", "--jobs", jobs])
    assert error.value.code == 2
    assert "argument --jobs/-j" in capsys.readouterr().err


def test_by_default_one_more_student_than_cores_is_graded_at_once() -> None:
    args = parser().parse_args(["grade-all", "hw1"])
    assert args.jobs == default_jobs() == len(os.sched_getaffinity(0))
    assert args.course == Path.cwd() and not args.force


def test_an_assignment_without_submissions_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "submitted" / "ann" / "hw2").mkdir(parents=True)
    assert main(["grade-all", "hw1", "--course", str(tmp_path)]) == 2
    assert f"no submissions of hw1 in {tmp_path.resolve() / 'submitted'}" in capsys.readouterr().err


# The real nbgrader on a course of one exercise and four students.

STUDENTS: dict[str, tuple[list[Edit], float]] = {
    "ann": ([solve("max-solution", MAX_OK)], 1.0),
    "ben": ([solve("max-solution", MAX_BUG)], 0.0),
    "cat": ([solve("max-solution", MAX_OK)], 1.0),
    "dan": ([], 0.0),
}
SECONDS = 120  # for one student, on a busy machine


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course with `01_max` generated and submitted by every student, not graded yet."""
    root = tmp_path_factory.mktemp("released")
    shutil.copy(REPO / "autograder" / "course" / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source" / "hw1").mkdir(parents=True)
    shutil.copy(REPO / "exercises" / "hw1" / NOTEBOOK, root / "source" / "hw1")
    nbgrader = [str(Path(sys.executable).with_name("nbgrader")), "generate_assignment", "hw1", "--force"]
    done = subprocess.run(nbgrader, cwd=root, env=environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for student, (edits, _) in STUDENTS.items():
        notebook = nbformat.read(root / "release" / "hw1" / NOTEBOOK, as_version=4)
        for edit in edits:
            edit(notebook)
        (root / "submitted" / student / "hw1").mkdir(parents=True)
        nbformat.write(notebook, root / "submitted" / student / "hw1" / NOTEBOOK)
    return root


@pytest.fixture
def course(released: Path, tmp_path: Path) -> Path:
    """A copy of the released course (gradebook included) for one test."""
    return Path(shutil.copytree(released, tmp_path / "course"))


def start_grade_all(course: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "autograder", "grade-all", "hw1", *args]
    return subprocess.Popen(
        command, cwd=course, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def grade_all(course: Path, *args: str) -> tuple[int, str]:
    """Run grade-all to its end: its exit code and its output (the summary)."""
    process = start_grade_all(course, *args)
    output, _ = process.communicate(timeout=SECONDS * len(STUDENTS))
    return process.returncode, output


def scores(course: Path) -> dict[str, float | None]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        graded = {
            submission.student_id: submission.score for submission in gradebook.assignment_submissions("hw1")
        }
    return {student: graded.get(student) for student in STUDENTS}


def graded_folders(course: Path) -> list[str]:
    """The students with an `autograded/<student>/hw1` folder."""
    return sorted(path.parent.name for path in (course / "autograded").glob("*/hw1"))


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + SECONDS
    while not condition():
        assert process.poll() is None, "grade-all ended before it could be interrupted"
        assert time.monotonic() < deadline, "grade-all made no progress"
        time.sleep(0.05)


def test_ctrl_c_keeps_the_finished_grades_and_a_rerun_grades_only_the_rest(course: Path) -> None:
    graded = Course(course, "hw1")
    process = start_grade_all(course, "--jobs", "1")
    # One student at a time, in name order: once ben's nbgrader has begun, ann's has ended.
    wait_for(lambda: graded.is_up_to_date("ann") and graded.autograded("ben").exists(), process)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    # ben is stopped, or was just finishing: either way, his folder is complete or gone.
    finished = graded_folders(course)
    assert finished in (["ann"], ["ann", "ben"])
    assert f"hw1: {len(finished)} graded, 0 skipped, 0 failed, {4 - len(finished)} stopped in " in output
    assert "run the command again to grade the rest" in output
    assert all(graded.is_up_to_date(student) for student in finished)  # nothing half-graded
    assert {student: scores(course)[student] for student in finished} == {
        student: STUDENTS[student][1] for student in finished
    }

    returncode, output = grade_all(course, "--jobs", "1")
    assert returncode == 0, output
    assert output.startswith(f"hw1: {4 - len(finished)} graded, {len(finished)} skipped, 0 failed in ")
    assert scores(course) == {student: score for student, (_, score) in STUDENTS.items()}
    assert all(graded.is_up_to_date(student) for student in STUDENTS)


def test_a_failing_grading_is_reported_and_the_others_are_graded(course: Path) -> None:
    """A course folder nbgrader cannot write for one student (a file where that student's
    autograded folder goes): that student fails, with nbgrader's log; the other is graded."""
    for student in ("ben", "cat", "dan"):
        shutil.rmtree(course / "submitted" / student)
    shutil.copytree(course / "submitted" / "ann", course / "submitted" / "bad")
    (course / "autograded").mkdir()
    (course / "autograded" / "bad").write_text("not a folder")
    returncode, output = grade_all(course, "--jobs", "2")
    assert returncode == 1, output
    assert output.startswith("FAILED bad (exit code 1); the end of its log:\n")
    assert output.strip().splitlines()[-1].startswith("hw1: 1 graded, 0 skipped, 1 failed in ")
    assert graded_folders(course) == ["ann"]
    assert scores(course)["ann"] == 1.0
