"""MiniDafny autograding with nbgrader.

In a notebook, `check("sum-solution", method="SumTo")` grades the latest `%%verify` cell
that declares `SumTo`, as the grader will, and shows the result: a self-check for the
student. The points that count are decided on nbgrader's side by
`autograder.nbgrader_plugin.VerifiedGrades`, which grades the submitted cell text against the
locked specification in a fresh process; nothing done in the kernel can change them.
"""

from __future__ import annotations

from autograder.grading import GRADING_RLIMIT, Grade, Submission, grade

__all__ = ["Grade", "Submission", "check", "grade"]


def check(solution_id: str, *, method: str, partial: bool = False, rlimit: int = GRADING_RLIMIT) -> float:
    """Grade the notebook's latest `%%verify` cell declaring `method` as the grader would (without
    the specification lock), show the result, and return the score as a fraction of 1."""
    from autograder.notebook import self_check

    return self_check(solution_id, method=method, partial=partial, rlimit=rlimit)
