"""`python -m autograder.worker`: grade one submission read as JSON on stdin; the grade, its
text and its HTML as JSON on stdout. The grading side runs it in a fresh process per cell,
so that nothing of the student's kernel is involved and a runaway proof can be stopped."""

from __future__ import annotations

import json
import sys

from autograder.grading import Submission, grade
from autograder.views import GradeView


def main() -> None:
    request = json.load(sys.stdin)
    title = request.pop("title")
    request["context"] = tuple(request.get("context", ()))
    result = grade(Submission(**request))
    view = GradeView(result, title)
    json.dump({**result.to_json(), "text": view.to_text(), "html": view.to_html()}, sys.stdout)


if __name__ == "__main__":
    main()
