"""What grading takes from a submission (`autograder.submission`) and how the grading worker is
isolated (`autograder.isolation`): read without trust, rebuilt from the gradebook's record."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import autograder
from autograder.isolation import KILLED_BY_LIMIT, WorkerLimits, run_isolated, run_worker, worker_command
from autograder.marks import is_marked_graded, mark_graded
from autograder.submission import (
    Problem,
    TrustedCell,
    TrustedNotebook,
    notebook_problems,
    problems_about,
    read_submission,
    rebuild,
)

TRUSTED = TrustedNotebook(
    "01_max",
    (
        TrustedCell("intro", "markdown", "# Max", locked=True, checksum="a"),
        TrustedCell("context", "code", "%%verify\nfunction F(): int { 1 }", locked=True, checksum="b"),
        TrustedCell(
            "solution", "code", "%%verify\nmethod M() {\n  // YOUR CODE HERE\n}", False, "c", solution=True
        ),
        TrustedCell("check", "code", 'check("solution", method="M")', True, "d", grade=True, points=2.0),
    ),
)


def nbgrader_cell(
    grade_id: str, source: str, cell_type: str = "code", **flags: object
) -> nbformat.NotebookNode:
    metadata = {"nbgrader": {"grade_id": grade_id, **flags}}
    maker = new_code_cell if cell_type == "code" else new_markdown_cell
    return maker(source, metadata=metadata)


def submitted(*cells: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(new_notebook(cells=list(cells))).encode()


def answer(text: str = "  print 1;") -> nbformat.NotebookNode:
    return nbgrader_cell("solution", f"%%verify\nmethod M() {{\n{text}\n}}", solution=True)


def full_submission(solution: nbformat.NotebookNode | None = None) -> list[nbformat.NotebookNode]:
    return [
        nbgrader_cell("intro", "# Max", "markdown"),
        nbgrader_cell("context", "%%verify\nfunction F(): int { 1 }"),
        solution if solution is not None else answer(),
        nbgrader_cell("check", 'check("solution", method="M")'),
    ]


def sources(notebook: nbformat.NotebookNode) -> dict[str, str]:
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if "nbgrader" in cell.metadata
    }


def test_a_submission_is_graded_with_the_gradebooks_cells_and_its_own_solution_text() -> None:
    cells = full_submission()
    cells[1].source = "%%verify\nfunction F(): int { 0 }"  # an edited locked cell
    cells[3].source = "1.0"  # an edited test cell
    cells[3].metadata.nbgrader.update(points=100, solution=True, locked=False)  # and its metadata
    notebook = rebuild(TRUSTED, read_submission(submitted(*cells)))
    assert sources(notebook) == {
        "intro": "# Max",
        "context": "%%verify\nfunction F(): int { 1 }",
        "solution": "%%verify\nmethod M() {\n  print 1;\n}",
        "check": 'check("solution", method="M")',
    }
    check = notebook.cells[-1].metadata.nbgrader
    assert (check["points"], check["solution"], check["locked"], check["grade"]) == (2.0, False, True, True)
    nbformat.validate(notebook)
    assert "'context'" in notebook.cells[0].source  # the note says which cell was restored


def test_a_deleted_locked_cell_is_restored_where_it_was() -> None:
    cells = full_submission()
    del cells[1]
    notebook = rebuild(TRUSTED, read_submission(submitted(*cells)))
    assert [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells[1:]] == [
        "intro",
        "context",
        "solution",
        "check",
    ]
    problems = notebook_problems(notebook)
    assert [problem.affects_grade for problem in problems] == [False]


def test_a_renamed_solution_is_not_attempted_and_kept_as_a_cell_of_the_students() -> None:
    renamed = answer()
    renamed.metadata.nbgrader["grade_id"] = "mine"
    notebook = rebuild(TRUSTED, read_submission(submitted(*full_submission(renamed))))
    assert sources(notebook)["solution"] == TRUSTED.cells[2].source  # as released: not attempted
    extra = [cell for cell in notebook.cells if "nbgrader" not in cell.metadata and "print 1" in cell.source]
    assert len(extra) == 1 and extra[0].metadata == {}
    costly = list(problems_about(notebook_problems(notebook), {"solution"}))
    assert [problem.text.split(":")[0] for problem in costly] == [
        "the solution cell 'solution' is missing from the submission"
    ]


def test_two_different_copies_of_a_solution_are_ambiguous_and_two_equal_ones_are_not() -> None:
    first, second = answer("  print 1;"), answer("  print 2;")
    ambiguous = rebuild(TRUSTED, read_submission(submitted(*full_submission(first), second)))
    assert sources(ambiguous)["solution"] == TRUSTED.cells[2].source
    assert "appears 2 times" in next(problems_about(notebook_problems(ambiguous), {"solution"})).text
    same = rebuild(TRUSTED, read_submission(submitted(*full_submission(first), answer("  print 1;"))))
    assert "print 1" in sources(same)["solution"]
    assert not list(problems_about(notebook_problems(same), {"solution"}))


def test_the_students_own_cells_follow_the_cell_before_them_with_no_metadata_or_output() -> None:
    mine = new_code_cell(
        "print('hi')", metadata={"nbgrader": {"grade": True, "grade_id": "bonus", "points": 9}}
    )
    mine.outputs = [nbformat.v4.new_output("stream", text="10 of 2 points")]
    cells = full_submission()
    cells.insert(3, mine)
    notebook = rebuild(TRUSTED, read_submission(submitted(*cells)))
    index = next(i for i, cell in enumerate(notebook.cells) if cell.source == "print('hi')")
    assert notebook.cells[index - 1].metadata["nbgrader"]["grade_id"] == "solution"
    assert notebook.cells[index].metadata == {} and notebook.cells[index].outputs == []


def test_unreadable_files_say_why_and_grade_every_solution_as_not_attempted() -> None:
    cases = {
        b"{not json": "not valid JSON (line 1, column 2",
        b"\xff\xfe": "not UTF-8 text",
        b'{"nbformat": 3, "worksheets": []}': "no list of cells",
        b"[1, 2, 3]": "no list of cells",
        b"[" * 100_000: "nested too deeply",
    }
    for data, words in cases.items():
        read = read_submission(data)
        assert read.cells == () and words in read.problems[0].text, (data[:20], read.problems)
        notebook = rebuild(TRUSTED, read)
        assert sources(notebook)["solution"] == TRUSTED.cells[2].source
        assert [p.grade_id for p in problems_about(notebook_problems(notebook), {"solution"})] == [None]


def test_cells_of_the_wrong_shape_are_read_as_far_as_they_go() -> None:
    document = {
        "cells": [
            "not a cell",
            {
                "cell_type": "code",
                "source": ["%%verify\n", "method M() {}", 3],
                "metadata": {"nbgrader": {"grade_id": "solution"}},
            },
            {"cell_type": "code", "source": 42, "metadata": {"nbgrader": {"grade_id": ["check"]}}},
            {"cell_type": "weird", "metadata": "none"},
        ]
    }
    read = read_submission(json.dumps(document).encode())
    assert [(cell.cell_type, cell.source, cell.grade_id) for cell in read.cells] == [
        ("code", "%%verify\nmethod M() {}", "solution"),
        ("code", "", None),
        ("raw", "", None),
    ]


def test_a_notebook_is_marked_graded_only_by_grading() -> None:
    notebook = rebuild(TRUSTED, read_submission(submitted(*full_submission())))
    assert not is_marked_graded(notebook)
    mark_graded(notebook)
    assert is_marked_graded(json.loads(nbformat.writes(notebook)))
    assert not is_marked_graded({"metadata": {"minidafny": "graded"}})


def test_problems_that_cost_points_are_told_apart_from_notes() -> None:
    problems = (
        Problem("a", "solution"),
        Problem("b", None),
        Problem("c", "other"),
        Problem("d", None, False),
    )
    assert [p.text for p in problems_about(problems, {"solution"})] == ["a", "b"]


# ------------------------------------------------------------------ the isolated worker

PROBE = textwrap.dedent(
    """
    import json, os, resource, sys
    json.dump({
        "cwd": os.getcwd(), "path": sys.path, "env": dict(os.environ), "isolated": sys.flags.isolated,
        "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0], "memory": resource.getrlimit(resource.RLIMIT_AS)[0],
        "group": os.getpgrp() == os.getpid(), "stdin": sys.stdin.read(),
    }, sys.stdout)
    """
)


def test_the_worker_runs_isolated_in_an_empty_folder_with_a_clean_environment(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GRADER_SECRET", "hunter2")
    monkeypatch.chdir(tmp_path)
    limits = WorkerLimits(cpu_seconds=30, memory_bytes=2 * 1024**3)
    done = run_isolated([sys.executable, "-I", "-c", PROBE], "the request", limits)
    seen = json.loads(done.stdout)
    assert worker_command("m")[1:2] == ["-I"] and worker_command("m")[-1] == "m" and seen["isolated"] == 1
    assert str(tmp_path) not in seen["path"] and "" not in seen["path"]
    assert seen["cwd"] != str(tmp_path) and os.path.basename(seen["cwd"]).startswith("minidafny-grade-")
    assert not os.path.exists(seen["cwd"])  # removed afterwards
    assert set(seen["env"]) == {"PATH", "LANG", "HOME", "TMPDIR"} and "hunter2" not in str(seen["env"])
    assert seen["env"]["HOME"] == seen["cwd"]
    assert (seen["cpu"], seen["memory"], seen["group"], seen["stdin"]) == (
        30,
        2 * 1024**3,
        True,
        "the request",
    )


def test_a_module_in_the_graders_folder_or_python_path_is_not_the_one_the_worker_imports(
    tmp_path, monkeypatch
) -> None:  # noqa: ANN001
    fake = tmp_path / "autograder"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "worker.py").write_text("print('forged')")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    request = {
        "title": "M",
        "solution": "%%verify\nmethod M() ensures false {}",
        "released": None,
        "method": "M",
        "points": 1.0,
        "context": [],
        "partial": False,
        "rlimit": 100_000,
    }
    done = run_worker("autograder.worker", json.dumps(request))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["score"] == 0.0


def test_the_worker_imports_the_grading_sides_own_code_whatever_else_is_installed() -> None:
    command = worker_command("autograder.worker")
    assert command[1] == "-I" and command[-1] == "autograder.worker"
    assert Path(command[-2]) / "autograder" == Path(autograder.__file__).resolve().parent


def test_a_worker_past_its_wall_clock_limit_is_killed_with_everything_it_started(tmp_path) -> None:  # noqa: ANN001
    marker = tmp_path / "still-running"
    child = f"import time; time.sleep(2); open({str(marker)!r}, 'w')"
    script = (
        f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {child!r}])\ntime.sleep(60)\n"
    )
    started = time.monotonic()
    done = run_isolated([sys.executable, "-I", "-c", script], "", WorkerLimits(wall_seconds=1.0))
    assert done.timed_out and done.returncode == KILLED_BY_LIMIT and time.monotonic() - started < 30
    time.sleep(3)
    assert not marker.exists()  # the grandchild was killed with the group


def test_a_worker_over_its_cpu_limit_is_stopped() -> None:
    done = run_isolated([sys.executable, "-I", "-c", "while True: pass"], "", WorkerLimits(cpu_seconds=1))
    assert done.returncode < 0 and not done.timed_out
