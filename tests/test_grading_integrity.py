"""Grading integrity against a hostile student, with the real nbgrader and grade-all.

Each attack that once forged a grade is submitted by a student, and an innocent student is
graded right after each attacker (one at a time, in name order) and must keep their exact
score: a forged module in the course folder, a patched installed package, a `.pth` file in
site-packages, a rewritten gradebook, a detached process that outlives grading, and a deleted
locked cell redefined in the solution. Every attacker must score what the empty submission
scores. Then malformed submissions (not a notebook, renamed, duplicated or missing cells,
edited metadata, a 50 MB notebook, a solution too slow to grade): every student is graded,
each affected part scores zero with a line of feedback that says why, the rest as usual.

Everything runs from a throwaway copy of the Python environment (`tests/environment_copy.py`),
so an attack that worked would damage only the copy. A last test runs the same Python attacks
with the notebook executed unsandboxed, as nbgrader does by default, and shows that they then
do forge grades: the attacks are real, and the tests above can fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook

from tests.environment_copy import (
    copy_environment,
    environment_for,
    is_virtual_environment,
    restore_environment,
    tree_digest,
)
from tests.test_nbgrader import MAX_BUG, MAX_OK, SUM_BUG, SUM_OK, SUM_PART, Edit, python_cell, rewrite, solve

pytestmark = pytest.mark.skipif(
    not is_virtual_environment(),
    reason="the attacks run against a copy of the tests' virtual environment (`make test` makes one)",
)

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "autograder" / "course" / "nbgrader_config.py"
NOTEBOOKS = ("01_max", "03_sum", "06_sort")  # 1 point, 2 points with partial credit, 4 points
MARKER = "minidafny-attack-process"
SECONDS = 900


def sort_reference() -> str:
    notebook = nbformat.read(REPO / "exercises" / "hw1" / "06_sort.ipynb", as_version=4)
    solution = next(
        cell for cell in notebook.cells if cell.metadata["nbgrader"]["grade_id"] == "sort-solution"
    )
    body = solution.source.split("// BEGIN SOLUTION\n")[1].split("  // END SOLUTION")[0]
    return body.rstrip("\n")


INNOCENT = {"01_max": [solve("max-solution", MAX_OK)], "03_sum": [solve("sum-solution", SUM_PART)]}
INNOCENT_SCORE = 1.0 + 1.0 + 4.0
EMPTY: dict[str, list[Edit]] = {}


def innocent() -> dict[str, list[Edit]]:
    return {**INNOCENT, "06_sort": [solve("sort-solution", sort_reference())]}


def wrong(attack: str) -> dict[str, list[Edit]]:
    """Wrong solutions everywhere, and the attack's Python cell in the first notebook."""
    return {
        "01_max": [python_cell(attack), solve("max-solution", MAX_BUG)],
        "03_sum": [solve("sum-solution", SUM_BUG)],
    }


COURSE_ROOT = (
    "import pathlib\n"
    "root = next(p for p in pathlib.Path.cwd().resolve().parents if (p / 'gradebook.db').exists())\n"
)
FORGED = 'json.dump({"score": request["points"], "points": request["points"], "verdict": "forged", '
FORGED += '"findings": [], "text": "forged", "html": "forged"}, sys.stdout)'
COURSE_MODULE = COURSE_ROOT + (
    "(root / 'autograder').mkdir(exist_ok=True)\n"
    "(root / 'autograder' / '__init__.py').write_text('')\n"
    "(root / 'autograder' / 'worker.py').write_text(\n"
    f"    'import json, sys\\nrequest = json.load(sys.stdin)\\n' + {FORGED!r} + '\\n')\n"
)
FULL_MARKS = (
    "\nimport dataclasses as _dataclasses\n_real_grade = grade\n"
    "def grade(submission, *args, **kwargs):\n"
    "    return _dataclasses.replace(_real_grade(submission, *args, **kwargs), score=submission.points)\n"
)
PACKAGE_PATCH = f"import autograder.grading as target\nwith open(target.__file__, 'a') as file:\n    file.write({FULL_MARKS!r})\n"
HOOK_MODULE = (
    "try:\n    import autograder.grading as _g\n    _real = _g.grade\n"
    "    def _forged(submission, *args, **kwargs):\n        import dataclasses\n"
    "        return dataclasses.replace(_real(submission, *args, **kwargs), score=submission.points)\n"
    "    _g.grade = _forged\nexcept Exception:\n    pass\n"
)
SITE_PTH = (
    "import site, pathlib\nsite_packages = pathlib.Path(site.getsitepackages()[0])\n"
    f"(site_packages / 'zz_forge.py').write_text({HOOK_MODULE!r})\n"
    "(site_packages / 'zz_forge.pth').write_text('import zz_forge\\n')\n"
)
GRADEBOOK_REWRITE = COURSE_ROOT + (
    "import sqlite3\ndb = sqlite3.connect(root / 'gradebook.db')\n"
    "db.execute(\"UPDATE source_cell SET source = 'print(1)' WHERE name LIKE '%-check'\")\n"
    "db.commit()\n"
)
LATE_WRITER = (
    "import sqlite3, sys, time\nstudent, path = sys.argv[2], sys.argv[3]\n"
    "for _ in range(300):\n    time.sleep(0.2)\n    try:\n"
    "        db = sqlite3.connect(path, timeout=1)\n"
    "        db.execute('UPDATE grade SET auto_score = 1.0 WHERE notebook_id IN (SELECT sn.id FROM "
    "submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.student_id = ?)', "
    "(student,))\n"
    "        db.commit()\n        db.close()\n    except Exception:\n        pass\n"
)
DETACHED = COURSE_ROOT + (
    "import os, subprocess, sys\nstudent = pathlib.Path.cwd().resolve().parent.name\n"
    f"subprocess.Popen([sys.executable, '-c', {LATE_WRITER!r}, {MARKER!r}, student, str(root / 'gradebook.db')],\n"
    "    start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
)


def delete_cell(grade_id: str) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]

    return edit


TRIVIAL_SORTED = "%%verify\npredicate Sorted(a: array<int>)\n  reads a\n{\n  true\n}\n\n"
DELETED_CONTEXT = {
    "06_sort": [
        delete_cell("sort-context"),
        rewrite("sort-solution", "%%verify\n", TRIVIAL_SORTED),
        solve("sort-solution", ""),
    ]
}

ATTACKS: dict[str, dict[str, list[Edit]]] = {
    "a-course-module": wrong(COURSE_MODULE),
    "b-package-patch": wrong(PACKAGE_PATCH),
    "c-site-pth": wrong(SITE_PTH),
    "d-gradebook-rewrite": wrong(GRADEBOOK_REWRITE),
    "e-detached-process": wrong(DETACHED),
    "f-deleted-context": DELETED_CONTEXT,
}


# ------------------------------------------------------------------ the course


def run(python: Path, course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(python), *args],
        cwd=course,
        env=environment_for(python),
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def make_course(python: Path, root: Path, config: str = "") -> Path:
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(CONFIG.read_text() + config)
    (root / "source" / "hw1").mkdir(parents=True)
    for name in NOTEBOOKS:
        (root / "source" / "hw1" / f"{name}.ipynb").write_bytes(
            (REPO / "exercises" / "hw1" / f"{name}.ipynb").read_bytes()
        )
    run(python, root, "-m", "nbgrader", "generate_assignment", "hw1", "--force")
    return root


def submit(
    root: Path, student: str, edits: dict[str, list[Edit]], notebooks: tuple[str, ...] = NOTEBOOKS
) -> Path:
    folder = root / "submitted" / student / "hw1"
    folder.mkdir(parents=True)
    for name in notebooks:
        nb = nbformat.read(root / "release" / "hw1" / f"{name}.ipynb", as_version=4)
        for change in edits.get(name, []):
            change(nb)
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def grade_all(python: Path, root: Path, jobs: int) -> str:
    done = run(python, root, "-m", "autograder", "grade-all", "hw1", "--jobs", str(jobs))
    return done.stdout.strip().splitlines()[-1]


def scores(root: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {sub.student_id: sub.score for sub in gradebook.assignment_submissions("hw1")}


def check_sources(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / "gradebook.db") as db:
        return dict(db.execute("SELECT name, source FROM source_cell ORDER BY name").fetchall())


def marked_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if MARKER.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_marked() -> None:
    for pid in marked_processes():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Python of a throwaway copy of the environment."""
    yield copy_environment(tmp_path_factory.mktemp("environment") / "env")
    kill_marked()


# ------------------------------------------------------------------ attacks, graded as shipped


@pytest.fixture(scope="module")
def attacked(python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Each attacker followed by an innocent student, graded one at a time in that order."""
    root = make_course(python, tmp_path_factory.mktemp("attacked") / "course")
    prefix = python.parent.parent
    before = {"environment": tree_digest(prefix / "lib"), "gradebook": check_sources(root)}
    before["course"] = sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if "autograded" not in p.parts
    )
    for number, (attacker, edits) in enumerate(ATTACKS.items()):
        submit(root, attacker, edits)
        submit(root, f"{attacker[0]}-innocent-{number}", innocent())
    submit(root, "z-empty", EMPTY)
    summary = grade_all(python, root, jobs=1)
    yield {"root": root, "summary": summary, "before": before, "prefix": prefix}
    kill_marked()


def test_every_student_is_graded(attacked: dict) -> None:
    assert attacked["summary"].startswith(f"hw1: {2 * len(ATTACKS) + 1} graded, 0 skipped, 0 failed in ")


@pytest.mark.parametrize("attacker", ATTACKS)
def test_an_attack_scores_what_the_empty_submission_scores(attacked: dict, attacker: str) -> None:
    graded = scores(attacked["root"])
    assert graded[attacker] == graded["z-empty"] == 0.0


def test_the_innocent_student_after_each_attacker_keeps_their_exact_score(attacked: dict) -> None:
    graded = scores(attacked["root"])
    innocents = {student: score for student, score in graded.items() if "-innocent-" in student}
    assert innocents == dict.fromkeys(innocents, INNOCENT_SCORE) and len(innocents) == len(ATTACKS)


def test_no_attack_changed_the_environment_the_gradebook_or_the_course(attacked: dict) -> None:
    root, before = attacked["root"], attacked["before"]
    assert tree_digest(attacked["prefix"] / "lib") == before["environment"]
    assert check_sources(root) == before["gradebook"]
    course = sorted(str(p.relative_to(root)) for p in root.rglob("*") if "autograded" not in p.parts)
    new = set(course) - set(before["course"])
    assert all(path.startswith(("submitted", "feedback")) or path == "gradebook.db" for path in new), new


def test_no_process_of_a_student_outlives_grading(attacked: dict) -> None:
    assert marked_processes() == []


def test_the_redefined_locked_cell_is_not_accepted(attacked: dict) -> None:
    notebook = nbformat.read(
        attacked["root"] / "autograded" / "f-deleted-context" / "hw1" / "06_sort.ipynb", 4
    )
    check = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sort-check")
    text = check.outputs[0]["data"]["text/plain"]
    assert (
        "0 of 4 points: not accepted" in text and "Sorted is part of the exercise's locked cells" in text
    ), text


# ------------------------------------------------------------------ malformed submissions

SLOW_LEMMA = (
    "lemma Hard{n}(x: int, y: int, z: int)\n  requires x > 1 && y > 1 && z > 1\n"
    "  ensures x * x * y * z + y * y * z * x != z * z * x * y + 7 * x * y * z + {n}\n{{\n}}\n"
)
SLOW = MAX_OK + "\n}\n" + "\n".join(SLOW_LEMMA.format(n=n) for n in range(40)) + "\nlemma Last()\n{"
TIMEOUT = 15  # seconds a solution may take to grade in this course; the slow one needs about 40 s


def replace_file(data: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / "01_max.ipynb").write_bytes(data)

    return write


def set_metadata(cell_id: str, **changes: object) -> Edit:
    """Edit the nbgrader metadata of the cell whose grade id is `cell_id`."""

    def edit(nb: nbformat.NotebookNode) -> None:
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id)
        cell.metadata.nbgrader.update(changes)

    return edit


def duplicate(grade_id: str, body: str) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        index, cell = next(
            (i, c)
            for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
        )
        copy = nbformat.from_dict(json.loads(json.dumps(cell)))
        copy.id = f"{cell.id}-copy"
        copy.source = copy.source.replace("  // YOUR CODE HERE", body)
        nb.cells.insert(index + 1, copy)

    return edit


def big_cell(megabytes: int) -> Edit:
    def edit(nb: nbformat.NotebookNode) -> None:
        nb.cells.append(new_markdown_cell("x" * (megabytes * 1024 * 1024)))

    return edit


def fake_test_cell(nb: nbformat.NotebookNode) -> None:
    nb.cells.append(
        new_code_cell(
            "print('ok')",
            metadata={
                "nbgrader": {
                    "grade": True,
                    "grade_id": "bonus",
                    "points": 50,
                    "locked": True,
                    "solution": False,
                    "schema_version": 3,
                }
            },
        )
    )


ALL_CORRECT = {
    "01_max": [solve("max-solution", MAX_OK)],
    "03_sum": [solve("sum-solution", SUM_OK)],
}
FULL = 1.0 + 2.0 + 4.0


def correct(**changes: list[Edit]) -> dict[str, list[Edit]]:
    edits = {**ALL_CORRECT, "06_sort": [solve("sort-solution", sort_reference())]}
    return {name: [*edits.get(name, []), *changes.get(name, [])] for name in NOTEBOOKS}


# student: (edits, a raw file to write over 01_max, notebooks submitted, score, (notebook, grade id, feedback words))
MALFORMED: dict[str, tuple] = {
    "not-json": (
        correct(),
        replace_file(b'{"cells": [ this is not JSON'),
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", "not valid JSON"),
    ),
    "not-a-notebook": (
        correct(),
        replace_file(b'{"hello": "world"}'),
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", "not a notebook"),
    ),
    "not-utf8": (
        correct(),
        replace_file(b"\xff\xfe\x00garbage"),
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", "not UTF-8"),
    ),
    "renamed-context": (
        correct(**{"03_sum": [set_metadata("sum-context", grade_id="my-context")]}),
        None,
        NOTEBOOKS,
        FULL,
        ("03_sum", None, "'sum-context'"),
    ),
    "solution-flag-on-check": (
        correct(**{"01_max": [set_metadata("max-check", solution=True)]}),
        None,
        NOTEBOOKS,
        FULL,
        None,
    ),
    "points-edited": (
        correct(**{"06_sort": [set_metadata("sort-check", points=400)], "01_max": [fake_test_cell]}),
        None,
        NOTEBOOKS,
        FULL,
        ("01_max", None, "you added"),
    ),
    "renamed-solution": (
        correct(**{"01_max": [set_metadata("max-solution", grade_id="mine")]}),
        None,
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", "'max-solution' is missing"),
    ),
    "duplicated-solution": (
        {**correct(), "03_sum": [duplicate("sum-solution", SUM_BUG), solve("sum-solution", SUM_OK)]},
        None,
        NOTEBOOKS,
        5.0,
        ("03_sum", "sum-check", "appears 2 times"),
    ),
    "duplicated-same": (
        {**correct(), "03_sum": [duplicate("sum-solution", SUM_OK), solve("sum-solution", SUM_OK)]},
        None,
        NOTEBOOKS,
        FULL,
        None,
    ),
    "missing-notebook": (correct(), None, ("01_max", "06_sort"), 5.0, None),
    "huge-notebook": (
        correct(**{"03_sum": [big_cell(50)]}),
        None,
        NOTEBOOKS,
        FULL,
        ("03_sum", None, "you added"),
    ),
    "huge-solution": (
        correct(**{"01_max": [rewrite("max-solution", "{\n", "{\n" + "// padding\n" * 300_000)]}),
        None,
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", "characters"),
    ),
    "slow-solution": (
        correct(**{"01_max": [rewrite("max-solution", MAX_OK, SLOW)]}),
        None,
        NOTEBOOKS,
        6.0,
        ("01_max", "max-check", f"did not finish within {TIMEOUT} s"),
    ),
}


@pytest.fixture(scope="module")
def malformed(python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = make_course(
        python, tmp_path_factory.mktemp("malformed") / "course", f"\nc.VerifiedGrades.timeout = {TIMEOUT}\n"
    )
    for student, (edits, raw, notebooks, _, _) in MALFORMED.items():
        folder = submit(root, student, edits, notebooks)
        if raw is not None:
            raw(folder)
    summary = grade_all(python, root, jobs=2)
    run(python, root, "-m", "nbgrader", "generate_feedback", "hw1")
    return {"root": root, "summary": summary}


def test_every_malformed_submission_is_graded(malformed: dict) -> None:
    assert malformed["summary"].startswith(f"hw1: {len(MALFORMED)} graded, 0 skipped, 0 failed in ")


@pytest.mark.parametrize("student", MALFORMED)
def test_a_malformed_part_scores_zero_and_the_rest_as_usual(malformed: dict, student: str) -> None:
    assert scores(malformed["root"])[student] == MALFORMED[student][3]


@pytest.mark.parametrize("student", [s for s, case in MALFORMED.items() if case[4] is not None])
def test_the_feedback_says_why(malformed: dict, student: str) -> None:
    notebook, grade_id, words = MALFORMED[student][4]
    graded = nbformat.read(malformed["root"] / "autograded" / student / "hw1" / f"{notebook}.ipynb", 4)
    if grade_id is None:  # a note at the top of the notebook
        assert words in graded.cells[0].source, graded.cells[0].source
    else:
        cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        assert words in cell.outputs[0]["data"]["text/plain"]
    feedback = (malformed["root"] / "feedback" / student / "hw1" / f"{notebook}.html").read_text()
    assert words.replace("'", "&#39;") in feedback or words in feedback


# ------------------------------------------------------------------ the same attacks, run unsandboxed

UNSAFE = """
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", *c.Autograde.autograde_preprocessors
]
c.VerifiedGrades.notebook_was_run = True
"""


def test_the_python_attacks_forge_grades_when_the_notebook_runs_unsandboxed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The control experiment: nbgrader's default, executing the notebook with the grader's
    rights. Each attacker is graded alone, and what the attack did is undone after it."""
    folder = tmp_path_factory.mktemp("unsafe")
    python = copy_environment(folder / "env")
    prefix = python.parent.parent
    root = make_course(python, folder / "course", UNSAFE)
    clean = tree_digest(prefix / "lib")
    forged = {}
    for attacker, attack in {
        "b-package-patch": PACKAGE_PATCH,
        "c-site-pth": SITE_PTH,
        "e-detached": DETACHED,
    }.items():
        submit(root, attacker, {"01_max": [python_cell(attack), solve("max-solution", MAX_BUG)]}, ("01_max",))
        try:
            grade_all(python, root, jobs=1)
            forged[attacker] = eventually_forged(root, attacker)
        finally:
            kill_marked()
            restore_environment(prefix, clean)
    assert tree_digest(prefix / "lib") == clean
    # The worker graded with the patched package; it ran the .pth file's hook; the detached
    # process wrote into the gradebook after grading ended.
    assert forged["b-package-patch"] == forged["c-site-pth"] == 1.0
    assert forged["e-detached"] >= 1.0  # every grade of the student, the notebooks not submitted too


def eventually_forged(root: Path, student: str, seconds: float = 10.0) -> float:
    """The student's score once it is forged, or after `seconds` (a late writer takes a moment)."""
    deadline = time.monotonic() + seconds
    while (score := scores(root).get(student, 0.0)) == 0.0 and time.monotonic() < deadline:
        time.sleep(0.2)
    return score


# ------------------------------------------------------------------ the sandbox mode

MIXED = "99_mixed"


def mixed_notebook() -> nbformat.NotebookNode:
    """A notebook with a Python-graded test cell beside a MiniDafny check: it needs the sandbox."""

    def cell(kind: Callable, grade_id: str, source: str, **flags: object) -> nbformat.NotebookNode:
        meta = {"grade": False, "solution": False, "locked": True, **flags, "grade_id": grade_id}
        return kind(source, metadata={"nbgrader": {"schema_version": 3, **meta}})

    return nbformat.v4.new_notebook(
        cells=[
            cell(new_markdown_cell, "mixed-intro", "# A Python function and a verified method"),
            cell(new_code_cell, "mixed-load", "%load_ext kernel_ext"),
            cell(
                new_code_cell,
                "double-solution",
                "def double(x):\n    # // BEGIN SOLUTION\n    return 2 * x\n    # // END SOLUTION",
                solution=True,
                locked=False,
            ),
            cell(new_code_cell, "double-test", "assert double(21) == 42", grade=True, points=1),
            cell(
                new_code_cell,
                "max-solution",
                "%%verify\nmethod Max(a: int, b: int) returns (m: int)\n  ensures m >= a && m >= b\n"
                "  ensures m == a || m == b\n{\n  // BEGIN SOLUTION\n" + MAX_OK + "\n  // END SOLUTION\n}",
                solution=True,
                locked=False,
            ),
            cell(
                new_code_cell,
                "max-check",
                'from autograder import check\ncheck("max-solution", method="Max")',
                grade=True,
                points=1,
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def python_answer(body: str) -> Edit:
    return rewrite("double-solution", "// YOUR CODE HERE", body)


SANDBOX_ATTACKS = {
    name: code
    for name, code in zip(
        ("a-course-module", "b-package-patch", "c-site-pth", "d-gradebook-rewrite", "e-detached-process"),
        (COURSE_MODULE, PACKAGE_PATCH, SITE_PTH, GRADEBOOK_REWRITE, DETACHED),
        strict=True,
    )
}


@pytest.fixture(scope="module")
def sandboxed(python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A course graded in the sandbox mode: each attacker (wrong answers and an attack cell) is
    followed by an innocent student (right answers), one at a time."""
    root = tmp_path_factory.mktemp("sandboxed") / "course"
    root.mkdir()
    config = CONFIG.read_text().replace('GRADING_MODE = "text"', 'GRADING_MODE = "sandbox"')
    assert 'GRADING_MODE = "sandbox"' in config
    (root / "nbgrader_config.py").write_text(config)
    (root / "source" / "hw1").mkdir(parents=True)
    nbformat.write(mixed_notebook(), root / "source" / "hw1" / f"{MIXED}.ipynb")
    run(python, root, "-m", "nbgrader", "generate_assignment", "hw1", "--force")
    before = {"environment": tree_digest(python.parent.parent / "lib"), "gradebook": check_sources(root)}
    right = [python_answer("return x + x"), solve("max-solution", MAX_OK)]
    for number, (attacker, attack) in enumerate(SANDBOX_ATTACKS.items()):
        edits = [python_cell(attack), python_answer("return 0"), solve("max-solution", MAX_BUG)]
        submit(root, attacker, {MIXED: edits}, (MIXED,))
        submit(root, f"{attacker[0]}-innocent-{number}", {MIXED: right}, (MIXED,))
    submit(root, "z-empty", {}, (MIXED,))
    summary = grade_all(python, root, jobs=1)
    yield {"root": root, "summary": summary, "before": before, "prefix": python.parent.parent}
    kill_marked()


@pytest.mark.skipif(not Path("/usr/bin/bwrap").exists(), reason="the sandbox mode needs Debian's bubblewrap")
def test_in_the_sandbox_mode_attacks_fail_and_innocents_keep_their_score(sandboxed: dict) -> None:
    assert sandboxed["summary"].startswith(
        f"hw1: {2 * len(SANDBOX_ATTACKS) + 1} graded, 0 skipped, 0 failed in "
    )
    graded = scores(sandboxed["root"])
    assert {student: graded[student] for student in SANDBOX_ATTACKS} == dict.fromkeys(SANDBOX_ATTACKS, 0.0)
    assert graded["z-empty"] == 0.0
    innocents = {student: score for student, score in graded.items() if "-innocent-" in student}
    assert innocents == dict.fromkeys(innocents, 2.0) and len(innocents) == len(SANDBOX_ATTACKS)
    assert tree_digest(sandboxed["prefix"] / "lib") == sandboxed["before"]["environment"]
    assert check_sources(sandboxed["root"]) == sandboxed["before"]["gradebook"]
    assert not (sandboxed["root"] / "autograder").exists()
    assert marked_processes() == []


@pytest.mark.skipif(not Path("/usr/bin/bwrap").exists(), reason="the sandbox mode needs Debian's bubblewrap")
def test_in_the_sandbox_mode_the_python_test_cell_is_graded_by_running_it(sandboxed: dict) -> None:
    with Gradebook(f"sqlite:///{sandboxed['root'] / 'gradebook.db'}") as gradebook:
        innocent = gradebook.find_grade("double-test", MIXED, "hw1", "a-innocent-0").score
        attacker = gradebook.find_grade("double-test", MIXED, "hw1", "a-course-module").score
    assert (innocent, attacker) == (1.0, 0.0)


def test_in_the_text_mode_a_python_test_cell_scores_zero_and_says_why(python: Path, tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text(CONFIG.read_text())
    (root / "source" / "hw1").mkdir(parents=True)
    nbformat.write(mixed_notebook(), root / "source" / "hw1" / f"{MIXED}.ipynb")
    run(python, root, "-m", "nbgrader", "generate_assignment", "hw1", "--force")
    submit(root, "ann", {MIXED: [python_answer("return x + x"), solve("max-solution", MAX_OK)]}, (MIXED,))
    assert grade_all(python, root, jobs=1).startswith("hw1: 1 graded, 0 skipped, 0 failed")
    assert scores(root)["ann"] == 1.0  # the MiniDafny check only
    graded = nbformat.read(root / "autograded" / "ann" / "hw1" / f"{MIXED}.ipynb", 4)
    test = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "double-test")
    assert "use the sandbox grading mode" in test.outputs[0]["evalue"]
