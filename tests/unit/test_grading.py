"""Grading one solution: the locked specification, what a proof may not use, vacuity and
partial credit. Every cheat scores what an empty solution scores."""

from __future__ import annotations

import pytest

from autograder.grading import Submission, grade
from autograder.nbgrader_plugin import CheckCall, find_check

RELEASED = """%%verify
method Max(a: int, b: int) returns (m: int)
  ensures m >= a && m >= b
  ensures m == a || m == b
{
  // YOUR CODE HERE
}"""
CORRECT = "  if a >= b { m := a; } else { m := b; }"


def submit(
    body: str, *, released: str | None = RELEASED, partial: bool = True, solution: str = ""
) -> Submission:
    text = solution or RELEASED.replace("  // YOUR CODE HERE", body)
    return Submission(text, released, "Max", 2.0, (), partial)


def test_a_correct_solution_gets_every_point() -> None:
    result = grade(submit(CORRECT))
    assert (result.score, result.findings) == (2.0, ())


def test_partial_credit_per_postcondition_part() -> None:
    result = grade(submit("  m := a;"))
    assert result.score == round(2 * 2 / 3, 2)  # `m >= b` fails; 2 of 3 parts hold
    assert result.findings == (
        "line 5: postcondition `m >= b`: failed (A postcondition might not hold on this return path.)",
    )


def test_without_partial_credit_it_is_all_or_nothing() -> None:
    assert grade(submit("  m := a;", partial=False)).score == 0.0
    assert grade(submit(CORRECT, partial=False)).score == 2.0


def test_padding_with_easy_assertions_earns_nothing() -> None:
    padded = "  m := a;\n" + "  assert 1 == 1;\n" * 20
    assert grade(submit(padded)).score == grade(submit("  m := a;")).score


def test_a_proof_resting_on_an_unproved_step_earns_nothing() -> None:
    """Dafny assumes a failed check afterwards, so what follows may lean on it: a false
    assertion, invariant or helper lemma would otherwise carry every postcondition."""
    assert grade(submit(CORRECT + "\n  assert a == b;")).score == 0.0
    false_lemma = "  Big(a, b);\n  m := a;\n}\nlemma Big(a: int, b: int) ensures a >= b\n{\n  assert true;"
    result = grade(submit(false_lemma))
    assert result.score == 0.0 and "other than a postcondition is not proved" in result.verdict


def test_each_postcondition_part_is_checked_without_the_parts_before_it() -> None:
    released = RELEASED.replace(
        "  ensures m >= a && m >= b\n  ensures m == a || m == b\n", "  ensures m == a + 1\n  ensures m > a\n"
    )
    wrong = released.replace("  // YOUR CODE HERE", "  m := a;")  # `m > a` follows from `m == a + 1` only
    assert grade(submit("", released=released, solution=wrong)).score == 0.0
    half = released.replace("  // YOUR CODE HERE", "  m := a + 2;")
    assert grade(submit("", released=released, solution=half)).score == 1.0


EMPTY = grade(submit("  // YOUR CODE HERE")).score
CHEATS = {
    "assume": "  assume a >= b;\n  m := a;",
    "assume in a proof": "  assert a >= b by { calc { a; { assume a >= b; } a; } assume a >= b; }\n  m := a;",
    "weakened ensures": RELEASED.replace("  ensures m == a || m == b\n", "").replace(
        "  // YOUR CODE HERE", "  m := a + b * b + 100;"
    ),
    "added requires": RELEASED.replace("{\n", "  requires a >= b\n{\n", 1).replace(
        "  // YOUR CODE HERE", "  m := a;"
    ),
    "false lemma": "  Max2(a, b);\n  m := a;\n}\nlemma Max2(a: int, b: int) ensures a >= b\n{\n  assert true;",
    "axiom lemma": "  Ax(a, b);\n  m := a;\n}\nlemma Ax(a: int, b: int)\n  ensures a >= b\nmethod Unused() {",
    "decreases star": "  m := a;\n  while m < b\n    decreases *\n  {\n    m := m + 1;\n  }",
    "renamed method": RELEASED.replace("method Max(", "method Max3(").replace("  // YOUR CODE HERE", CORRECT),
    "vacuous path": "  if a != a { m := a; } else { while true { } }",
    "stub left": "  // YOUR CODE HERE\n  raise NotImplementedError()",
}


@pytest.mark.parametrize("cheat", CHEATS, ids=list(CHEATS))
def test_every_cheat_scores_what_an_empty_solution_scores(cheat: str) -> None:
    text = CHEATS[cheat]
    submission = submit("", solution=text) if text.startswith("%%verify") else submit(text)
    assert EMPTY == 0.0
    assert grade(submission).score == EMPTY, grade(submission)


def test_a_dead_branch_beside_a_real_one_is_reported_but_costs_nothing() -> None:
    result = grade(submit("  if a < a { m := 7; } else if a >= b { m := a; } else { m := b; }"))
    assert result.score == 2.0
    assert any("vacuous" in finding for finding in result.findings)


def test_locked_functions_may_not_change() -> None:
    released = RELEASED.replace("%%verify\n", "%%verify\nfunction Big(): int { 100 }\n")
    changed = released.replace("{ 100 }", "{ 0 }").replace("  // YOUR CODE HERE", CORRECT)
    assert grade(submit("", released=released, solution=changed)).score == 0.0
    kept = released.replace("  // YOUR CODE HERE", CORRECT)
    assert grade(submit("", released=released, solution=kept)).score == 2.0


def test_parse_errors_score_zero_with_their_position() -> None:
    result = grade(submit("  m := ;"))
    assert result.score == 0.0 and result.findings[0].startswith("line 6, column")


def test_the_same_submission_gets_the_same_grade() -> None:
    assert grade(submit("  m := a;")) == grade(submit("  m := a;"))


def test_check_calls_are_read_without_running_them() -> None:
    code = 'from autograder import check\ncheck("max-solution", method="Max", partial=True)\n'
    assert find_check(code) == CheckCall("max-solution", "Max", partial=True)
    assert find_check("print(1)") is None
    assert find_check('check(name, method="Max")') is None  # not a literal: not ours to guess


def test_a_leftover_stub_comment_beside_a_real_solution_costs_nothing() -> None:
    assert grade(submit("  // YOUR CODE HERE\n" + CORRECT)).score == 2.0


def test_redefining_a_locked_context_function_scores_zero() -> None:
    context = "%%verify\nfunction Big(): int { 100 }\n"
    released = RELEASED.replace("  ensures m == a || m == b\n", "  ensures m == a || m == b || m == Big()\n")
    cheat = released.replace(
        "  // YOUR CODE HERE", "  m := 0;\n}\nfunction Big(): int { 0 }\nmethod Unused() {"
    )
    submission = Submission(cheat, released, "Max", 2.0, (context,), True)
    result = grade(submission)
    assert result.score == 0.0 and result.verdict.startswith("0 of 2 points: not accepted")
    assert result.findings == (
        "line 8: function Big is part of the exercise's locked cells: a solution may not declare it again",
    )


def test_a_grading_that_runs_out_of_time_scores_zero_and_says_so() -> None:
    from autograder.nbgrader_plugin import VerifiedGrades

    grader = VerifiedGrades(timeout=0)
    request = {"title": "Max (max-solution)", "points": 2.0, "solution": RELEASED, "released": RELEASED}
    result = grader._run({**request, "method": "Max", "context": [], "partial": False, "rlimit": 1})
    assert result["score"] == 0.0 and "did not finish within 0 s" in result["text"]


def test_a_check_names_a_method_of_a_module_by_its_own_name() -> None:
    """An exercise whose code is in a module: the check's `Max` is the module's `M.Max`."""
    released = RELEASED.replace("method Max", "module M {\nmethod Max") + "\n}"
    solution = released.replace("  // YOUR CODE HERE", CORRECT)
    result = grade(Submission(solution, released, "Max", 2.0, (), True))
    assert (result.score, result.findings) == (2.0, ())
    moved = (
        RELEASED.replace("  // YOUR CODE HERE", CORRECT).replace("method Max", "module M {\nmethod Max")
        + "\n}"
    )
    assert grade(Submission(moved, RELEASED, "Max", 2.0, (), True)).score == 0.0  # the exercise's Max is gone


def test_constants_are_no_axioms_with_or_without_a_value() -> None:
    # `const Pick: bool` is any value: nothing is assumed of it, so a solution may use it.
    solution = "  m := if Pick then a else b;\n  if m < a || m < b { m := if a >= b then a else b; }\n}\n"
    text = solution + "const Pick: bool\nconst Zero := 0\nmethod Unused() { assert Zero == 0;"
    result = grade(submit(text))
    assert (result.score, result.findings) == (2.0, ())


def test_a_graded_solution_shows_its_report_once() -> None:
    """Run in the sandbox, a solution cell has its own report; its check cell shows the graded one."""
    import nbformat

    from autograder.nbgrader_plugin import drop_repeated_reports

    report = nbformat.v4.new_output("display_data", data={"text/plain": "Max: 1 proved"})
    solution = nbformat.v4.new_code_cell(RELEASED, outputs=[report])
    solution.metadata["nbgrader"] = {"grade_id": "max-solution"}
    other = nbformat.v4.new_code_cell("%%verify\nmethod N() {}", outputs=[report])
    other.metadata["nbgrader"] = {"grade_id": "context"}
    nb = nbformat.v4.new_notebook(cells=[solution, other])
    drop_repeated_reports(nb, {"max-solution"})
    assert solution.outputs == [] and other.outputs == [report]
