"""Grading a specification the student writes for given code (`autograder.spec_grading`), against a
student who games it: every way to make the given code "meet" a specification that says nothing,
or to make the hidden wrong versions fail for another reason than the specification, earns nothing."""

from __future__ import annotations

import json

import pytest

from autograder.isolation import run_worker
from autograder.nbgrader_plugin import find_spec_check
from autograder.spec_grading import ALLOWANCE_LEMMA, SpecSubmission, grade_spec

BODY = "{\n  if x < lo {\n    y := lo;\n  } else if x > hi {\n    y := hi;\n  } else {\n    y := x;\n  }\n}"
WRONG = {
    "it returns x unchanged": "{\n  y := x;\n}",
    "it ignores the upper bound": "{\n  if x < lo {\n    y := lo;\n  } else {\n    y := x;\n  }\n}",
    "it ignores the lower bound": "{\n  if x > hi {\n    y := hi;\n  } else {\n    y := x;\n  }\n}",
    "it puts values below the range at the upper bound": (
        "{\n  if x < lo {\n    y := hi;\n  } else if x > hi {\n    y := hi;\n  } else {\n    y := x;\n  }\n}"
    ),
}
HEADER = "method Clamp(x: int, lo: int, hi: int) returns (y: int)"
PRECISE = (
    "  requires lo <= hi\n  ensures lo <= y <= hi\n  ensures x < lo ==> y == lo\n"
    "  ensures x > hi ==> y == hi\n  ensures lo <= x <= hi ==> y == x"
)


def cell(spec: str, body: str = BODY, header: str = HEADER, before: str = "") -> str:
    return f"%%verify\n{before}{header}\n{spec}\n{body}"


RELEASED = cell("  // YOUR CODE HERE")


def score(solution: str, **changes: object) -> float:
    settings: dict = {"reference": BODY, "wrong": WRONG, "precondition": "lo <= hi", **changes}
    return grade_spec(SpecSubmission(solution, RELEASED, "Clamp", 4.0, **settings)).score


def test_a_precise_specification_earns_everything_and_a_partial_one_its_share() -> None:
    assert score(cell(PRECISE)) == 4.0
    assert score(cell("  requires lo <= hi\n  ensures lo <= y <= hi")) == 3.0
    assert score(cell("  requires lo <= hi\n  ensures y >= lo")) == 2.0


ATTACKS = {
    "ensures true": cell("  ensures true"),
    "requires false": cell("  requires false\n  ensures y == 42"),
    "a contradictory requires": cell("  requires lo <= hi && hi < lo\n  ensures y == 42"),
    "a requires narrower than the task's": cell("  requires lo == hi\n  ensures y == lo"),
    "a requires false in disguise": cell(
        "  requires Never(x)\n  ensures y == 42", before="predicate Never(x: int)\n{\n  x != x\n}\n\n"
    ),
    "a body-less helper": cell(
        "  requires lo <= hi\n  ensures Magic(x, lo, hi, y)",
        before="predicate Magic(x: int, lo: int, hi: int, y: int)\n\n",
    ),
    "a helper lemma": cell(PRECISE, before="lemma Helper()\n  ensures false\n{\n  Helper();\n}\n\n"),
    "a helper method": cell(PRECISE, before="method Helper() returns (z: int)\n{\n  z := 0;\n}\n\n"),
    "ensures false": cell("  requires lo <= hi\n  ensures false"),
    "a postcondition that is not well-formed": cell("  requires lo <= hi\n  ensures 10 / (y - y) == 0"),
    "its own code to fit a wrong specification": cell(
        "  requires lo <= hi\n  ensures y == lo", body="{\n  y := lo;\n}"
    ),
    "no body": cell(PRECISE, body=""),
    "a changed header": cell(
        PRECISE, header="method Clamp(x: int, lo: int, hi: int, z: int) returns (y: int)"
    ),
    "a lemma in place of the method": cell(
        PRECISE, header="lemma Clamp(x: int, lo: int, hi: int) returns (y: int)"
    ),
    "decreases *": cell(PRECISE + "\n  decreases *"),
    "the grader's own lemma's name": cell(
        PRECISE, before=f"predicate {ALLOWANCE_LEMMA}(x: int)\n{{\n  true\n}}\n\n"
    ),
    "the stub": RELEASED,
    "not MiniDafny": cell("  ensures y := 3"),
}


@pytest.mark.parametrize("solution", ATTACKS.values(), ids=list(ATTACKS))
def test_a_gamed_specification_earns_nothing(solution: str) -> None:
    assert score(solution) == 0.0


def test_a_requires_that_allows_more_than_the_task_is_fine() -> None:
    assert (
        score(cell(PRECISE.replace("requires lo <= hi", "requires lo <= hi || x == x"))) == 0.0
    )  # code fails
    assert score(cell(PRECISE.replace("requires lo <= hi", "requires lo <= hi && x == x"))) == 4.0


def test_a_wrong_version_that_fails_only_where_the_requires_no_longer_protects_it_is_not_rejected() -> None:
    """A wrong version rejected for an index out of range, not by a postcondition, counts for nothing."""
    body = "{\n  m := 0;\n}"
    reading = "{\n  var t := a[0];\n  m := 0;\n}"
    released = "%%verify\nmethod First(a: array<int>) returns (m: int)\n  // YOUR CODE HERE\n{\n  m := 0;\n}"
    solution = released.replace("  // YOUR CODE HERE", "  ensures m == 0")
    submission = SpecSubmission(solution, released, "First", 1.0, body, {"reads a[0]": reading}, "true")
    assert grade_spec(submission).score == 0.0


def test_the_feedback_names_the_wrong_versions_accepted_but_never_shows_their_code() -> None:
    grade = grade_spec(
        SpecSubmission(
            cell("  requires lo <= hi\n  ensures lo <= y <= hi"),
            RELEASED,
            "Clamp",
            4.0,
            BODY,
            WRONG,
            "lo <= hi",
        )
    )
    assert grade.findings == (
        "your specification accepts a wrong implementation: it puts values below the range at the upper bound",
    )
    shown = json.dumps(grade.to_json())
    assert all(json.dumps(body)[1:-1] not in shown for body in WRONG.values())


def test_without_hidden_wrong_versions_the_worker_gives_nothing() -> None:
    request = {
        "kind": "spec",
        "title": "Clamp",
        "solution": cell("  ensures true"),
        "released": RELEASED,
        "method": "Clamp",
        "points": 4.0,
        "context": [],
        "reference": BODY,
        "wrong": {},
        "precondition": "lo <= hi",
        "rlimit": 1_000_000,
    }
    done = run_worker("autograder.worker", json.dumps(request))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["score"] == 0.0
    request["wrong"] = WRONG
    request["solution"] = cell(PRECISE)
    assert json.loads(run_worker("autograder.worker", json.dumps(request)).stdout)["score"] == 4.0


def test_the_check_cell_is_read_without_running_it_and_its_hidden_call_completes_the_visible_one() -> None:
    code = (
        'from autograder import check_spec\ncheck_spec("c-solution", method="Clamp")\n'
        f'check_spec("c-solution", method="Clamp", reference={BODY!r}, wrong={WRONG!r}, precondition="lo <= hi")'
    )
    call = find_spec_check(code)
    assert (
        call is not None
        and call.reference == BODY
        and call.wrong == WRONG
        and call.precondition == "lo <= hi"
    )
    assert find_spec_check('check_spec("c", method=__import__("os").getcwd())') is None
    assert find_spec_check('check_spec("c", method="M", surprise=1)') is None
    assert find_spec_check("check(") is None


def test_the_students_self_check_says_whether_the_given_code_meets_the_specification() -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from autograder import check_spec

    shell = InteractiveShell.instance()
    try:
        shell.run_line_magic("load_ext", "kernel_ext")
        with capture_output() as captured:
            shell.run_cell(cell(PRECISE), store_history=True)
            accepted = check_spec("c-solution", method="Clamp")
            shell.run_cell(cell("  requires lo <= hi\n  ensures y == x"), store_history=True)
            refused = check_spec("c-solution", method="Clamp")
            graded = check_spec(
                "c-solution", method="Clamp", reference=BODY, wrong=WRONG, precondition="lo <= hi"
            )
        assert (accepted, refused, graded) == (1.0, 0.0, 0.0)
        assert "the given code meets your specification" in str(captured.outputs[1].data)
    finally:
        InteractiveShell.clear_instance()


def test_the_notebook_that_is_graded_or_run_holds_no_hidden_implementation() -> None:
    from nbformat.v4 import new_code_cell, new_notebook

    from autograder.nbgrader_plugin import hide_spec_implementations

    visible = 'from autograder import check_spec\ncheck_spec("c-solution", method="Clamp")'
    hidden = f'\n### BEGIN HIDDEN TESTS\ncheck_spec("c-solution", method="Clamp", wrong={WRONG!r})\n### END HIDDEN TESTS'
    other = 'from autograder import check\ncheck("m-solution", method="Max")'
    nb = hide_spec_implementations(
        new_notebook(cells=[new_code_cell(visible + hidden), new_code_cell(other)])
    )
    assert [cell.source for cell in nb.cells] == [visible, other]
