"""MiniDafny autograding with nbgrader.

In a notebook, `check("sum-solution", method="SumTo")` grades the latest `%%verify` cell
that declares `SumTo`, as the grader will, and shows the result: a self-check for the
student. The points that count are decided on nbgrader's side by
`autograder.nbgrader_plugin.VerifiedGrades`, which grades the submitted solution text against
the locked specification as the gradebook holds it, in an isolated process; no kernel runs
during grading (`autograder.course_config`), so nothing done in one can change them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Grade", "Submission", "check", "check_spec", "grade"]


def check(solution_id: str, *, method: str, partial: bool = False, rlimit: int | None = None) -> float:
    """Grade the notebook's latest `%%verify` cell declaring `method` as the grader would (without
    the specification lock), show the result, and return the score as a fraction of 1."""
    from autograder.grading import GRADING_RLIMIT
    from autograder.notebook import self_check

    return self_check(solution_id, method=method, partial=partial, rlimit=rlimit or GRADING_RLIMIT)


def check_spec(
    solution_id: str,
    *,
    method: str,
    reference: str | None = None,
    wrong: dict[str, str] | None = None,
    precondition: str | None = None,
    rlimit: int | None = None,
) -> float:
    """Check the specification written in the notebook's latest `%%verify` cell declaring `method`:
    the student's self-check says whether the given code meets it; the grader (and an instructor's
    notebook, whose check cell has the hidden wrong bodies) also counts the wrong bodies it rejects."""
    from autograder.grading import GRADING_RLIMIT
    from autograder.notebook import self_check_spec

    hidden = (reference, wrong or {}, precondition)
    return self_check_spec(solution_id, method=method, hidden=hidden, rlimit=rlimit or GRADING_RLIMIT)


def __getattr__(name: str) -> Any:  # noqa: ANN401
    """`Grade`, `Submission` and `grade`, loaded with the verifier when first used (grade-all
    and the other course tools do not need it)."""
    if name in ("Grade", "Submission", "grade"):
        from autograder import grading

        return getattr(grading, name)
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")
