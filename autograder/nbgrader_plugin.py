"""The nbgrader side of grading `%%verify` solutions: nothing a submission holds is trusted.

`nbgrader autograde` reads a submission in two passes, and the course configuration
(`autograder.course_config`) puts these in place of nbgrader's own steps:

- `SubmissionExporter` reads the submitted file whatever it holds: not JSON, not a notebook,
  50 MB. What cannot be read is said in the feedback, never as a crash.
- `RebuildFromGradebook` (the first pass) makes the notebook to grade from the gradebook's
  record of the assignment, taking from the submission only the text of its solution cells
  (`autograder.submission`). Deleted, renamed, duplicated or edited cells change nothing but
  that text; what was wrong is recorded for the feedback.
- `VerifiedGrades` (the second pass) grades each check cell (a test cell whose code calls
  `check("<solution id>", method=...)`). It reads everything it trusts from the gradebook
  first, never from the notebook: the check cell's code, every locked `%%verify` cell (the
  context, whether or not the submission still has it) and the solution cells as released
  (their declarations are the locked specification). It grades each solution's text in an
  isolated worker process (`autograder.isolation`) with the exercise's fixed resource limit,
  and writes the grade as the check cell's outputs: the report's static view, and the score
  as the cell's result, which nbgrader records.

By default no kernel runs during grading, so no student code ever runs with the grader's
rights. A course whose notebooks also have Python-graded cells runs them in a sandbox
(`autograder.sandbox`); without it, such a cell scores zero and says why.
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass, field
from html import escape

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer

from autograder.course_report import GRADE_MIME
from autograder.grading import GRADING_RLIMIT
from autograder.isolation import WorkerLimits, run_worker
from autograder.marks import METADATA_KEY, mark_graded
from autograder.submission import (
    MAX_NOTEBOOK_BYTES,
    Problem,
    SubmittedNotebook,
    TrustedCell,
    TrustedNotebook,
    notebook_problems,
    problems_about,
    read_submission,
    rebuild,
    submitted_notebook,
    unreadable_file,
)

WORKER = "autograder.worker"


@dataclass(frozen=True)
class CheckCall:
    """`check("sum-solution", method="SumTo", partial=True)`, read without running it."""

    solution_id: str
    method: str
    partial: bool = False
    rlimit: int = GRADING_RLIMIT


def find_check(code: str) -> CheckCall | None:
    """The first `check(...)` call with literal arguments in a cell's code, if any."""
    for node in _calls_to(code, "check")[:1]:
        try:
            solution_id = ast.literal_eval(node.args[0])
            options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
            return CheckCall(solution_id, **options)
        except (ValueError, TypeError):
            return None
    return None


def _calls_to(code: str, name: str) -> list[ast.Call]:
    """The calls of a function or method `name` with an argument in a cell's code, in the
    order `ast.walk` meets them (none if the code does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_named(node.func, name) and node.args
    ]


@dataclass(frozen=True)
class SpecCheckCall:
    """`check_spec("abs-solution", method="Abs")` and, in the check cell's hidden part, the same call
    with the reference body, the wrong bodies and the task's precondition; read without running
    them, the later calls' arguments over the earlier ones'."""

    solution_id: str
    method: str
    reference: str | None = None
    wrong: dict[str, str] = field(default_factory=dict)
    precondition: str = "true"
    rlimit: int = GRADING_RLIMIT


def find_spec_check(code: str) -> SpecCheckCall | None:
    """The `check_spec(...)` calls of a cell's code, merged, if there are any with literal arguments."""
    merged: dict[str, object] = {}
    for node in _calls_to(code, "check_spec"):
        try:
            merged["solution_id"] = ast.literal_eval(node.args[0])
            merged.update({keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords})
        except (ValueError, TypeError, SyntaxError):
            return None
    try:
        return SpecCheckCall(**merged) if merged else None  # type: ignore[arg-type]
    except TypeError:
        return None


def _is_named(func: ast.expr, name: str) -> bool:
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


# ------------------------------------------------------------------ reading the submission


class SubmissionExporter(NotebookExporter):
    """nbconvert's notebook exporter, for a file that may not be a notebook. A valid notebook is
    read as usual; anything else becomes the cells that could be salvaged (maybe none), and
    what was wrong goes to the next step in `resources`."""

    def from_filename(self, filename: str, resources: dict | None = None, **kw: object) -> tuple[str, dict]:
        resources = resources if resources is not None else {}
        resources.setdefault("metadata", {})
        resources["metadata"]["name"] = os.path.splitext(os.path.basename(filename))[0]
        resources["metadata"]["path"] = os.path.dirname(filename)
        try:
            with open(filename, "rb") as file:
                data = file.read(MAX_NOTEBOOK_BYTES + 1)
        except OSError as error:
            data, unreadable = b"", unreadable_file(error.strerror or type(error).__name__)
        else:
            unreadable = None
        notebook = _valid_notebook(data) if unreadable is None else None
        if notebook is None:
            resources[METADATA_KEY] = unreadable or read_submission(data)
            notebook = nbformat.v4.new_notebook()
        return self.from_notebook_node(notebook, resources, **kw)


def _valid_notebook(data: bytes) -> NotebookNode | None:
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook)
    except Exception:  # noqa: BLE001 - whatever is wrong with it, it is read another way
        return None
    return notebook if notebook.get("nbformat") == 4 else None


class RebuildFromGradebook(NbGraderPreprocessor):
    """The first pass of `autograde`: the notebook to grade, from the gradebook (see
    `autograder.submission.rebuild`). It replaces nbgrader's sanitizing steps, which trust the
    submission's cell metadata and crash on some of it."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        trusted = _trusted(resources)
        salvaged = resources.pop(METADATA_KEY, None)
        submitted = salvaged if isinstance(salvaged, SubmittedNotebook) else submitted_notebook(nb)
        return hide_spec_implementations(rebuild(trusted, submitted)), resources


def hide_spec_implementations(nb: NotebookNode) -> NotebookNode:
    """The specification checks' cells as released: their hidden reference and wrong versions stay
    in the gradebook, out of the notebook that may run (sandbox mode) next to the student's code
    and that becomes the feedback. `VerifiedGrades` reads them from the gradebook."""
    for cell in nb.cells:
        if cell.cell_type == "code" and find_spec_check(cell.source) is not None:
            cell.source = without_hidden_tests(cell.source)
    return nb


def _trusted(resources: dict) -> TrustedNotebook:
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        return TrustedNotebook.load(gradebook, info["notebook"], info["assignment"])


# ------------------------------------------------------------------ grading


class VerifiedGrades(NbGraderPreprocessor):
    """The second pass of `autograde`: grades the check cells (see the module's docstring)."""

    timeout = Integer(120, help="Seconds one solution may take to grade; past it, zero points.").tag(
        config=True
    )
    memory_mb = Integer(4096, help="Memory one grading worker may use, in MB.").tag(config=True)
    notebook_was_run = Bool(
        False,
        help="Whether the notebook ran (in the sandbox) before this step: then test cells that are not "
        "MiniDafny checks keep the score their run gave; otherwise they score zero and say why.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        trusted = _trusted(resources)  # before anything of the submission is used
        problems = notebook_problems(nb)
        solutions = {
            _grade_id(cell): cell.source for cell in nb.cells if _grade_id(cell) in trusted.solution_ids()
        }
        context = _locked_context(trusted)
        graded: set[str] = set()
        for cell in nb.cells:
            check_cell = _test_cell(trusted, cell)
            if check_cell is None:
                continue
            spec_call = find_spec_check(check_cell.source)
            call = find_check(check_cell.source)
            if spec_call is not None:
                request = _spec_request(
                    spec_call, check_cell.points or 0.0, solutions, trusted, context, problems
                )
                cell.outputs = _outputs(self._run(request))
                cell.source = without_hidden_tests(check_cell.source)  # the feedback shows no wrong version
            elif call is not None:
                request = _request(call, check_cell.points or 0.0, solutions, trusted, context, problems)
                cell.outputs = _outputs(self._run(request))
                graded.add(call.solution_id)
            elif not self.notebook_was_run:
                cell.outputs = [_not_run_output()]
        drop_repeated_reports(nb, graded)
        mark_graded(nb)
        return nb, resources

    def _run(self, request: dict) -> dict:
        # The worker proves on every core at once: CPU time runs faster than the clock.
        cpu_seconds = self.timeout * (os.cpu_count() or 1) + 5
        limits = WorkerLimits(cpu_seconds, self.memory_mb * 1024 * 1024, self.timeout)
        done = run_worker(WORKER, json.dumps(request), limits)
        if done.timed_out:
            return _failure(request, f"the verification did not finish within {self.timeout} s")
        try:
            result = json.loads(done.stdout) if done.returncode == 0 else None
        except ValueError:
            result = None
        if result is None:
            self.log.error(
                "grading %s failed (exit %s): %s", request["title"], done.returncode, done.stderr[-2000:]
            )
            return _failure(request, _worker_failure(done.returncode))
        return result


def drop_repeated_reports(nb: NotebookNode, graded: set[str]) -> None:
    """A graded solution's check cell shows the report its grade rests on: the report the
    solution's own `%%verify` run left (a notebook run in the sandbox) would show it twice."""
    for cell in nb.cells:
        if (
            _grade_id(cell) in graded
            and cell.cell_type == "code"
            and cell.source.lstrip().startswith("%%verify")
        ):
            cell.outputs = []


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _test_cell(trusted: TrustedNotebook, cell: NotebookNode) -> TrustedCell | None:
    """The gradebook's record of an autograded test cell (a code cell with points), if it is one."""
    record = trusted.cell(_grade_id(cell) or "")
    if record is None or not record.grade or record.solution or record.cell_type != "code":
        return None
    return record


def _locked_context(trusted: TrustedNotebook) -> tuple[str, ...]:
    """Every locked `%%verify` cell that is neither a solution nor a test, as the instructor wrote it."""
    return tuple(
        cell.source
        for cell in trusted.cells
        if cell.cell_type == "code"
        and cell.locked
        and not cell.solution
        and not cell.grade
        and cell.source.lstrip().startswith("%%verify")
    )


def _request(
    call: CheckCall,
    points: float,
    solutions: dict[str | None, str],
    trusted: TrustedNotebook,
    context: tuple[str, ...],
    problems: tuple[Problem, ...],
) -> dict:
    released = trusted.cell(call.solution_id)
    return {
        "title": f"{call.method} ({call.solution_id})",
        "solution": solutions.get(call.solution_id, ""),
        "released": released.source if released is not None and released.solution else None,
        "method": call.method,
        "points": float(points),
        "context": list(context),
        "partial": call.partial,
        "rlimit": call.rlimit,
        "problems": [problem.text for problem in problems_about(problems, {call.solution_id})],
    }


HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def without_hidden_tests(code: str) -> str:
    """The code as released: without the lines from nbgrader's hidden-tests delimiters to their end."""
    kept, hidden = [], False
    for line in code.split("\n"):
        if line.strip() == HIDDEN_BEGIN:
            hidden = True
        elif line.strip() == HIDDEN_END:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def _spec_request(
    call: SpecCheckCall,
    points: float,
    solutions: dict[str | None, str],
    trusted: TrustedNotebook,
    context: tuple[str, ...],
    problems: tuple[Problem, ...],
) -> dict:
    """A specification check's request: the hidden bodies come from the gradebook's check cell."""
    check = CheckCall(call.solution_id, call.method, rlimit=call.rlimit)
    request = _request(check, points, solutions, trusted, context, problems)
    del request["partial"]
    hidden = {"reference": call.reference, "wrong": call.wrong, "precondition": call.precondition}
    return {**request, **hidden, "kind": "spec"}


def _worker_failure(returncode: int) -> str:
    if returncode < 0:
        return "the grader stopped on this solution: it used more memory or CPU time than grading allows"
    return "the grader failed on this solution (see the grading log)"


def _outputs(result: dict) -> list[NotebookNode]:
    record = {
        key: result[key]
        for key in ("score", "points", "verdict", "findings", "failed", "refused", "assume")
        if key in result
    }
    data = {"text/plain": result["text"], "text/html": result["html"], GRADE_MIME: record}
    view = new_output("display_data", data=data)
    score = new_output(
        "execute_result", data={"text/plain": repr(float(result["score"]))}, execution_count=None
    )
    return [view, score]


def _not_run_output() -> NotebookNode:
    reason = (
        "This test cell is graded by running the notebook, and this course grades notebooks without "
        "running them: it scores zero. (Instructor: use the sandbox grading mode for notebooks with "
        "Python-graded cells.)"
    )
    return new_output("error", ename="NotGraded", evalue=reason, traceback=[f"NotGraded: {reason}"])


def _failure(request: dict, reason: str) -> dict:
    lines = [f"{request['title']}: 0 of {request['points']:g} points: {reason}", *request.get("problems", ())]
    text = "\n  - ".join(lines)
    html = f'<div class="mdy-grade"><strong>{escape(lines[0])}</strong>{_html_list(lines[1:])}</div>'
    return {
        "score": 0.0,
        "points": request["points"],
        "verdict": reason,
        "findings": [],
        "text": text,
        "html": html,
    }


def _html_list(items: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{escape(item)}</li>' for item in items)}</ul>" if items else ""
