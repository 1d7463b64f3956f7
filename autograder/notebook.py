"""The student's side of `check(...)`: the same grading, from the kernel's own history.

The kernel knows neither the notebook nor the locked specification, so this self-check
grades the latest `%%verify` cell that declares the method, with the session's other
`%%verify` declarations as context, and without the specification lock: nbgrader's side
adds that when it grades for real.
"""

from __future__ import annotations

import re

from IPython import get_ipython
from IPython.display import display

from autograder.grading import Submission, grade
from autograder.views import GradeView

SELF_CHECK_POINTS = 1.0


def self_check(solution_id: str, *, method: str, partial: bool, rlimit: int) -> float:
    """Show the grade of the latest solution for `method`; its score as a fraction of 1."""
    shell = get_ipython()
    declares = re.compile(rf"^\s*(method|lemma)\s+{re.escape(method)}\b", re.MULTILINE)
    raw = shell.history_manager.input_hist_raw if shell is not None else []
    solution = next(
        (text for text in reversed(raw) if text.startswith("%%verify") and declares.search(text)), None
    )
    if solution is None:
        print(f"{solution_id}: no %%verify cell declares {method} yet: run your solution cell first")
        return 0.0
    submission = Submission(
        solution, None, method, SELF_CHECK_POINTS, _context(shell, solution), partial, rlimit
    )
    result = grade(submission)
    display(GradeView(result, f"{method} ({solution_id}), self-check"))
    return result.score


def _context(shell, solution: str) -> tuple[str, ...]:  # noqa: ANN001 - an IPython shell
    """The other declarations of the notebook's `%%verify` cells, as the magic keeps them."""
    magics = shell.magics_manager.registry.get("VerifyMagics")
    if magics is None:
        return ()
    own = set(re.findall(r"^\s*(?:method|lemma|function|predicate)\s+(\w+)", solution, re.MULTILINE))
    texts = [text for name, text in magics.program.declarations.items() if name not in own]
    return ("\n\n".join(texts),) if texts else ()
