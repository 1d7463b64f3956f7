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

from autograder.grading import CELL, Submission, cell_text, grade
from autograder.spec_grading import SpecSubmission, grade_spec, text_of
from autograder.views import GradeView
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.source import SourceFile

SELF_CHECK_POINTS = 1.0


def self_check(solution_id: str, *, method: str, partial: bool, rlimit: int) -> float:
    """Show the grade of the latest solution for `method`; its score as a fraction of 1."""
    shell = get_ipython()
    solution = _latest_solution(shell, solution_id, method)
    if solution is None:
        return 0.0
    submission = Submission(
        solution, None, method, SELF_CHECK_POINTS, _context(shell, solution), partial, rlimit
    )
    result = grade(submission)
    display(GradeView(result, f"{method} ({solution_id}), self-check"))
    return result.score


def self_check_spec(
    solution_id: str, *, method: str, hidden: tuple[str | None, dict[str, str], str | None], rlimit: int
) -> float:
    """Show how the latest specification of `method` fares: without the hidden bodies (a
    student's notebook), whether the cell's own code meets it, 1 if it does; with them (an
    instructor's), the grade as the grader gives it, as a fraction of 1."""
    shell = get_ipython()
    solution = _latest_solution(shell, solution_id, method)
    if solution is None:
        return 0.0
    reference, wrong, precondition = hidden
    own_code = reference is None
    if own_code:
        reference = _own_body(solution, method)  # and the task's precondition is not known here
    else:
        precondition = precondition or "true"
    submission = SpecSubmission(
        solution,
        None,
        method,
        SELF_CHECK_POINTS,
        reference or "{}",
        wrong,
        precondition,
        _context(shell, solution),
        rlimit,
    )
    result = grade_spec(submission)
    display(GradeView(result, f"{method} ({solution_id}), self-check"))
    accepted = own_code and not result.findings and "meets your specification" in result.verdict
    return 1.0 if accepted else result.score


def _own_body(solution: str, method: str) -> str | None:
    """The body of `method` as the student's cell has it (the given code), if it parses."""
    try:
        program = parse(SourceFile(CELL, cell_text(solution)))
    except DiagnosticError:
        return None
    decl = next((d for d in program.decls if d.name == method and isinstance(d, ast.Method)), None)
    if decl is None or decl.body is None:
        return None
    return text_of(cell_text(solution), decl.body.span)


def _latest_solution(shell, solution_id: str, method: str) -> str | None:  # noqa: ANN001 - an IPython shell
    declares = re.compile(rf"^\s*(method|lemma)\s+{re.escape(method)}\b", re.MULTILINE)
    raw = shell.history_manager.input_hist_raw if shell is not None else []
    solution = next(
        (text for text in reversed(raw) if text.startswith("%%verify") and declares.search(text)), None
    )
    if solution is None:
        print(f"{solution_id}: no %%verify cell declares {method} yet: run your solution cell first")
    return solution


def _context(shell, solution: str) -> tuple[str, ...]:  # noqa: ANN001 - an IPython shell
    """The other declarations of the notebook's `%%verify` cells, as the magic keeps them."""
    magics = shell.magics_manager.registry.get("VerifyMagics")
    if magics is None:
        return ()
    own = set(re.findall(r"^\s*(?:method|lemma|function|predicate)\s+(\w+)", solution, re.MULTILINE))
    texts = [text for name, text in magics.program.declarations.items() if name not in own]
    return ("\n\n".join(texts),) if texts else ()
