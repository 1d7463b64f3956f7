"""`python -I -m autograder.worker`: grade one solution read as JSON on stdin; the grade, its
text and its HTML as JSON on stdout. The grading side runs it isolated, in a fresh process per
check (`autograder.isolation`), so that a runaway proof can be stopped and nothing of one
grading is left for the next."""

from __future__ import annotations

import dataclasses
import json
import sys

from autograder.grading import Grade, Submission, grade
from autograder.spec_grading import SpecSubmission, grade_spec
from autograder.views import GradeView


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
    json.dump({**result.to_json(), "text": view.to_text(), "html": view.to_html()}, sys.stdout)


def _grade_spec(request: dict) -> Grade:
    """A specification check; without its hidden bodies (the check cell lacks them), zero points."""
    if not request.get("reference") or not request.get("wrong"):
        reason = (
            "the check has no hidden implementations to grade the specification with (see the check cell)"
        )
        return Grade(0.0, request["points"], f"0 of {request['points']:g} points: {reason}")
    return grade_spec(SpecSubmission(**request), jobs=1)


if __name__ == "__main__":
    main()
