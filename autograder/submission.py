"""What grading takes from a submitted notebook, and what it takes from the gradebook.

A submission is read without trusting anything in it: it may not be a notebook, its cells may
be missing, renamed, duplicated or reordered, and its metadata may say anything. `rebuild`
makes the notebook that is graded from the gradebook's own record of the assignment (every
nbgrader cell of the source notebook, with its metadata and, for locked and test cells, its
text), and takes from the submission only the text of the solution cells, matched by
`grade_id`. What the submission got wrong is said in plain words (`Problem`), attached to
the solution it affects: a solution that is missing or ambiguous is graded as not attempted.
The student's other cells are kept for the feedback, with no nbgrader metadata and no
outputs, and are never graded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from autograder.marks import METADATA_KEY

NBGRADER_SCHEMA = 3
MAX_NOTEBOOK_BYTES = 200 * 1024 * 1024  # beyond this, not even read


@dataclass(frozen=True)
class Problem:
    """Something wrong with the submission, for the feedback: about one cell (`grade_id`) or
    the whole notebook (None). One that does not `affect_grade` is only a note (a restored
    locked cell, a cell the student added)."""

    text: str
    grade_id: str | None = None
    affects_grade: bool = True


@dataclass(frozen=True)
class SubmittedCell:
    """A cell as the submission has it: only its type, its text and the `grade_id` it claims."""

    cell_type: str
    source: str
    grade_id: str | None


@dataclass(frozen=True)
class SubmittedNotebook:
    cells: tuple[SubmittedCell, ...]
    problems: tuple[Problem, ...] = ()


def read_submission(data: bytes) -> SubmittedNotebook:
    """The cells of a submitted notebook file, whatever the file holds (never raises)."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        size = len(data) / 1024 / 1024
        return _unreadable(
            f"the file is {size:.0f} MB; notebooks over {MAX_NOTEBOOK_BYTES >> 20} MB are not read"
        )
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        return _unreadable(f"the file is not UTF-8 text (byte {error.start})")
    except json.JSONDecodeError as error:
        return _unreadable(
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        )
    except RecursionError:
        return _unreadable("the file's JSON is nested too deeply")
    raw_cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(raw_cells, list):
        return _unreadable(
            "the file is JSON but not a notebook in the current format (it has no list of cells)"
        )
    return submitted_notebook(document)


def submitted_notebook(document: dict) -> SubmittedNotebook:
    """The cells of a notebook read as JSON (a NotebookNode is one), taking nothing on trust."""
    raw_cells = document.get("cells")
    cells = raw_cells if isinstance(raw_cells, list) else []
    return SubmittedNotebook(tuple(_cell(raw) for raw in cells if isinstance(raw, dict)))


def unreadable_file(reason: str) -> SubmittedNotebook:
    return _unreadable(f"the file cannot be opened ({reason})")


def _unreadable(reason: str) -> SubmittedNotebook:
    return SubmittedNotebook((), (Problem(f"the submitted notebook could not be read: {reason}"),))


def _cell(raw: dict) -> SubmittedCell:
    source = raw.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    if not isinstance(source, str):
        source = ""
    cell_type = raw.get("cell_type")
    metadata = raw.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return SubmittedCell(
        cell_type if cell_type in ("code", "markdown", "raw") else "raw",
        source,
        grade_id if isinstance(grade_id, str) else None,
    )


# ------------------------------------------------------------------ the gradebook's record


@dataclass(frozen=True)
class TrustedCell:
    """An nbgrader cell of the source notebook, as `generate_assignment` recorded it: test and
    locked cells with the instructor's text (hidden tests included), solution cells as released."""

    grade_id: str
    cell_type: str
    source: str
    locked: bool
    checksum: str | None
    solution: bool = False
    grade: bool = False
    task: bool = False
    points: float | None = None

    def metadata(self) -> dict:
        nbgrader: dict = {
            "grade": self.grade,
            "grade_id": self.grade_id,
            "locked": self.locked,
            "schema_version": NBGRADER_SCHEMA,
            "solution": self.solution,
            "task": self.task,
        }
        if self.points is not None:
            nbgrader["points"] = self.points
        if self.checksum is not None:
            nbgrader["checksum"] = self.checksum
        return {"nbgrader": nbgrader, "deletable": False, "editable": self.solution}


@dataclass(frozen=True)
class TrustedNotebook:
    name: str
    cells: tuple[TrustedCell, ...]
    kernelspec: dict = field(default_factory=dict, compare=False)

    @staticmethod
    def load(gradebook: Gradebook, notebook: str, assignment: str) -> TrustedNotebook:
        record = gradebook.find_notebook(notebook, assignment)
        graded = {cell.name: cell.max_score for cell in record.grade_cells}
        tasks = {cell.name: cell.max_score for cell in record.task_cells}
        solutions = {cell.name for cell in record.solution_cells}
        cells = tuple(
            TrustedCell(
                grade_id=cell.name,
                cell_type=cell.cell_type,
                source=cell.source or "",
                locked=bool(cell.locked),
                checksum=cell.checksum,
                solution=cell.name in solutions,
                grade=cell.name in graded,
                task=cell.name in tasks,
                points=graded.get(cell.name, tasks.get(cell.name)),
            )
            for cell in record.source_cells
        )
        return TrustedNotebook(notebook, cells, _kernelspec(record.kernelspec))

    def cell(self, grade_id: str) -> TrustedCell | None:
        return next((cell for cell in self.cells if cell.grade_id == grade_id), None)

    def solution_ids(self) -> set[str]:
        return {cell.grade_id for cell in self.cells if cell.solution}


def _kernelspec(text: str | None) -> dict:
    try:
        spec = json.loads(text or "{}")
    except ValueError:
        return {}
    return spec if isinstance(spec, dict) else {}


# ------------------------------------------------------------------ the notebook that is graded


def rebuild(trusted: TrustedNotebook, submitted: SubmittedNotebook) -> NotebookNode:
    """The notebook to grade: the gradebook's cells in their order, each solution cell with the
    submitted text (or, if there is no single one, as released); the student's own cells after
    the cell they followed, as plain cells. The problems found go into the notebook's metadata,
    which only the grading side writes."""
    solutions, problems = _solution_texts(trusted, submitted)
    extras = _extra_cells(trusted, submitted)
    cells = list(extras.get(None, ()))
    for cell in trusted.cells:
        source = solutions.get(cell.grade_id, cell.source) if cell.solution else cell.source
        cells.append(_notebook_cell(cell.cell_type, source, cell.metadata()))
        cells.extend(extras.get(cell.grade_id, ()))
    problems += _metadata_problems(trusted, submitted)
    if extras:
        count = sum(len(group) for group in extras.values())
        added = f"{_cells(count)} you added {'is' if count == 1 else 'are'} shown as you wrote them, but not graded"
        problems.append(Problem(f"{added}: only the solution cells are", affects_grade=False))
    if problems:
        cells.insert(0, grading_notes(problems))
    notebook = new_notebook(cells=cells)
    if trusted.kernelspec:
        notebook.metadata["kernelspec"] = trusted.kernelspec
    notebook.metadata[METADATA_KEY] = {"problems": [_problem_json(problem) for problem in problems]}
    return notebook


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"


def _solution_texts(
    trusted: TrustedNotebook, submitted: SubmittedNotebook
) -> tuple[dict[str, str], list[Problem]]:
    problems = list(submitted.problems)
    texts: dict[str, str] = {}
    unreadable = bool(submitted.problems)
    for grade_id in sorted(trusted.solution_ids()):
        copies = [cell.source for cell in submitted.cells if cell.grade_id == grade_id]
        if len(set(copies)) == 1:
            texts[grade_id] = copies[0]
        elif not copies and not unreadable:
            problems.append(
                Problem(
                    f"the solution cell '{grade_id}' is missing from the submission: it was deleted, "
                    "or its cell metadata was changed; it is graded as not attempted",
                    grade_id,
                )
            )
        elif copies:
            problems.append(
                Problem(
                    f"the solution cell '{grade_id}' appears {len(copies)} times with different texts "
                    "(a copied cell keeps the original's identity), so it is not clear which one is your "
                    "answer; it is graded as not attempted. Keep exactly one copy.",
                    grade_id,
                )
            )
    return texts, problems


def _extra_cells(
    trusted: TrustedNotebook, submitted: SubmittedNotebook
) -> dict[str | None, list[NotebookNode]]:
    """The submission's cells that are not the gradebook's, by the gradebook cell before them
    (None: before every gradebook cell)."""
    known = {cell.grade_id for cell in trusted.cells}
    groups: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    seen: set[str] = set()
    for cell in submitted.cells:
        if cell.grade_id in known and cell.grade_id not in seen:
            anchor = cell.grade_id
            seen.add(cell.grade_id)
        elif cell.grade_id not in known:
            groups.setdefault(anchor, []).append(_notebook_cell(cell.cell_type, cell.source, {}))
    return groups


def _metadata_problems(trusted: TrustedNotebook, submitted: SubmittedNotebook) -> list[Problem]:
    """Locked or test cells the submission lacks or changed: they are graded as the gradebook has them."""
    texts: dict[str, set[str]] = {}
    for cell in submitted.cells:
        if cell.grade_id is not None:
            texts.setdefault(cell.grade_id, set()).add(cell.source)
    changed = [
        cell.grade_id
        for cell in trusted.cells
        if not cell.solution and _changed(cell, texts.get(cell.grade_id, set()))
    ]
    if not changed or submitted.problems:
        return []
    names = ", ".join(f"'{grade_id}'" for grade_id in changed)
    text = f"cells missing or changed in the submission were graded as the assignment has them: {names}"
    return [Problem(text, affects_grade=False)]


def _changed(cell: TrustedCell, submitted_texts: set[str]) -> bool:
    """Missing, or (a cell without hidden tests, whose released text is the recorded one) edited."""
    return not submitted_texts or (not cell.grade and submitted_texts != {cell.source})


def _notebook_cell(cell_type: str, source: str, metadata: dict) -> NotebookNode:
    if cell_type == "code":
        return new_code_cell(source, metadata=metadata)
    if cell_type == "markdown":
        return new_markdown_cell(source, metadata=metadata)
    return NotebookNode({"cell_type": "raw", "source": source, "metadata": metadata})


def grading_notes(problems: list[Problem]) -> NotebookNode:
    """A first cell that says what grading found wrong with the submission's notebook."""
    lines = "\n".join(f"- {problem.text}" for problem in problems)
    return new_markdown_cell(f"**Notes from grading this notebook**\n\n{lines}")


def _problem_json(problem: Problem) -> dict:
    return {"text": problem.text, "grade_id": problem.grade_id, "affects_grade": problem.affects_grade}


def notebook_problems(notebook: NotebookNode) -> tuple[Problem, ...]:
    """The problems `rebuild` recorded in a notebook it made."""
    recorded = notebook.metadata.get(METADATA_KEY, {}).get("problems", [])
    return tuple(
        Problem(item["text"], item.get("grade_id"), item.get("affects_grade", True)) for item in recorded
    )


def problems_about(problems: tuple[Problem, ...], grade_ids: set[str]) -> Iterator[Problem]:
    """The problems that cost the given cells points: theirs, and the whole notebook's."""
    return (
        problem
        for problem in problems
        if problem.affects_grade and (problem.grade_id is None or problem.grade_id in grade_ids)
    )
