"""`python -I -m autograder.worker`: grade one solution read as JSON on stdin; the grade, its
text and its HTML as JSON on stdout. The grading side runs it isolated, in a fresh process per
check (`autograder.isolation`), so that a runaway proof can be stopped and nothing of one
grading is left for the next."""

from __future__ import annotations

import dataclasses
import json
import sys

from autograder.grading import Grade, Submission, grade
from autograder.spec_grading import ALLOWANCE_LEMMA, SpecSubmission, grade_spec
from autograder.views import GradeView
from kernel_ext.report import ObligationResult
from kernel_ext.results import Status


def main() -> None:
    request = json.load(sys.stdin)
    title = request.pop("title")
    problems = tuple(request.pop("problems", ()))
    request["context"] = tuple(request.get("context", ()))
    # One thread: grading runs a worker per student side by side, which keeps the cores busy.
    if request.pop("kind", "solution") == "spec":
        result = _grade_spec(request)
    else:
        result = grade(Submission(**request), jobs=1)
    result = dataclasses.replace(result, findings=problems + result.findings)
    view = GradeView(result, title)
    record = {**result.to_json(), **grade_record(result)}
    json.dump({**record, "text": view.to_text(), "html": view.to_html()}, sys.stdout)


def grade_record(result: Grade) -> dict:
    """What the course report counts: the failed obligations of the solution's own lines (its
    kind, line and the conjunct it checks) and whether the solution was refused, and for `assume`."""
    failed = [
        {"kind": ob.kind.id, "line": _specification_line(ob), "description": ob.description}
        for ob in (result.report.obligations if result.report is not None else ())
        if ob.status != Status.PROVED and ob.owner != ALLOWANCE_LEMMA
    ]
    refused = "not accepted" in result.verdict
    uses_assume = any("`assume`" in finding for finding in result.findings)
    return {"failed": failed, "refused": refused, "assume": uses_assume}


def _grade_spec(request: dict) -> Grade:
    """A specification check; without its hidden bodies (the check cell lacks them), zero points."""
    if not request.get("reference") or not request.get("wrong"):
        reason = (
            "the check has no hidden implementations to grade the specification with (see the check cell)"
        )
        return Grade(0.0, request["points"], f"0 of {request['points']:g} points: {reason}")
    request["precondition"] = request.get("precondition") or "true"  # the grader always checks it
    return grade_spec(SpecSubmission(**request), jobs=1)


def _specification_line(ob: ObligationResult) -> int:
    """The line of the clause an obligation checks (a postcondition's, not its return path's)."""
    return ob.related[0].start_line if ob.related else ob.span.start_line


if __name__ == "__main__":
    main()
