"""`VerifiedGrades`: the nbgrader preprocessor that decides the points of `%%verify` solutions.

It runs during `nbgrader autograde`, after nbgrader executed the submission, in nbgrader's
own process. For each check cell (a graded cell whose code calls `check("<solution id>",
method=...)`), it reads everything it trusts from nbgrader's gradebook, never from the
student's notebook or kernel: the check cell's code, the solution cell as released (its
declarations are the locked specification) and the locked `%%verify` cells. Only the
solution cell's text comes from the submission. It grades that text in a fresh process
(`autograder.worker`) with the exercise's fixed resource limit, and replaces the check
cell's outputs with the grade: the report's static view, and the score as the cell's
result, which is what nbgrader records. Whatever the student's kernel printed, defined or
patched is thrown away with those outputs.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from html import escape

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from autograder.grading import GRADING_RLIMIT


@dataclass(frozen=True)
class CheckCall:
    """`check("sum-solution", method="SumTo", partial=True)`, read without running it."""

    solution_id: str
    method: str
    partial: bool = False
    rlimit: int = GRADING_RLIMIT


def find_check(code: str) -> CheckCall | None:
    """The first `check(...)` call with literal arguments in a cell's code, if any."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_check(node.func) and node.args:
            try:
                solution_id = ast.literal_eval(node.args[0])
                options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
                return CheckCall(solution_id, **options)
            except (ValueError, TypeError):
                return None
    return None


def _is_check(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "check") or (
        isinstance(func, ast.Attribute) and func.attr == "check"
    )


class VerifiedGrades(NbGraderPreprocessor):
    """Grades `%%verify` solutions from nbgrader's side (see the module's docstring)."""

    timeout = Integer(120, help="Seconds one solution may take to grade; past it, zero points.").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        with Gradebook(info["db_url"]) as gradebook:
            self.gradebook = gradebook
            self.solutions = {
                cell.metadata.nbgrader["grade_id"]: cell
                for cell in nb.cells
                if cell.metadata.get("nbgrader", {}).get("solution")
            }
            self.context = self._locked_context(nb)
            for cell in nb.cells:
                self._grade_cell(cell)
        return nb, resources

    def _trusted_source(self, grade_id: str) -> str | None:
        try:
            return self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id).source
        except MissingEntry:
            return None

    def _locked_context(self, nb: NotebookNode) -> tuple[str, ...]:
        """The locked `%%verify` cells (specification functions), as the instructor wrote them."""
        texts = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if (
                cell.cell_type != "code"
                or not meta.get("locked")
                or meta.get("solution")
                or meta.get("grade")
            ):
                continue
            source = self._trusted_source(meta.get("grade_id", ""))
            if source is not None and source.lstrip().startswith("%%verify"):
                texts.append(source)
        return tuple(texts)

    def _grade_cell(self, cell: NotebookNode) -> None:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return
        trusted = self._trusted_source(meta["grade_id"])
        call = find_check(trusted) if trusted is not None else None
        if call is None:
            return  # not a MiniDafny check: nbgrader grades it as usual
        solution = self.solutions.get(call.solution_id)
        released = self._trusted_source(call.solution_id)
        request = {
            "title": f"{call.method} ({call.solution_id})",
            "solution": solution.source if solution is not None else "",
            "released": released,
            "method": call.method,
            "points": float(meta.get("points", 0)),
            "context": list(self.context),
            "partial": call.partial,
            "rlimit": call.rlimit,
        }
        cell.outputs = self._outputs(self._run(request))

    def _run(self, request: dict) -> dict:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "autograder.worker"],
                input=json.dumps(request),
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return _failure(request, f"the verification did not finish within {self.timeout} s")
        if done.returncode != 0:
            self.log.error("grading %s failed: %s", request["title"], done.stderr[-2000:])
            return _failure(request, "the grader failed on this solution (see the grading log)")
        return json.loads(done.stdout)

    def _outputs(self, result: dict) -> list[NotebookNode]:
        view = new_output("display_data", data={"text/plain": result["text"], "text/html": result["html"]})
        score = new_output(
            "execute_result", data={"text/plain": repr(float(result["score"]))}, execution_count=None
        )
        return [view, score]


def _failure(request: dict, reason: str) -> dict:
    text = f"{request['title']}: 0 of {request['points']:g} points: {reason}"
    html = f'<div class="mdy-grade"><strong>{escape(text)}</strong></div>'
    return {
        "score": 0.0,
        "points": request["points"],
        "verdict": reason,
        "findings": [],
        "text": text,
        "html": html,
    }
