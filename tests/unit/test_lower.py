from __future__ import annotations

import pytest

from kernel_ext import verify
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.syntax import split_conjuncts
from kernel_ext.verify.smt import Status


def failures(text: str) -> list[tuple[int, str]]:
    report = verify(text, "t.dfy")
    assert not report.diagnostics, report.diagnostics
    return [(ob.span.start_line, ob.kind.id) for ob in report.errors]


def ensures_of(text: str):
    program = resolve(parse(SourceFile("t.dfy", text))).program
    return program.methods()[0].ensures[0].expr


@pytest.mark.parametrize(
    "spec, parts",
    [
        ("a && b", ["a", "b"]),
        ("0 <= x <= 9", ["0 <= x", "x <= 9"]),
        ("a ==> b && c", ["a ==> b", "a ==> c"]),
        ("a || b", ["a || b"]),
    ],
)
def test_conjuncts_are_checked_one_by_one(spec: str, parts: list[str]) -> None:
    text = f"method M(a: bool, b: bool, c: bool, x: int) ensures {spec} {{ assume false; }}"
    source = SourceFile("t.dfy", text)
    split = split_conjuncts(ensures_of(text))
    shown = [source.text_of(part.span) for part in split]
    assert shown[-1].endswith(parts[-1].split()[-1])
    assert len(split) == len(parts)


def test_the_failing_conjunct_is_named() -> None:
    report = verify(
        "method M(x: int) returns (y: int) requires x >= 0 ensures y >= 0 && y > x { y := x; }", "t.dfy"
    )
    [error] = report.errors
    assert error.description == "y > x"


POSTCONDITION_SITES = [
    ("straight line: the body's brace", "method M() returns (y: int)\n  ensures y > 0\n{\n  y := 0;\n}", 3),
    (
        "trailing if: the branch's brace",
        "method M(b: bool) returns (y: int)\n  ensures y > 0\n{\n  if b {\n    y := 1;\n  } else {\n    y := 0;\n  }\n}",
        6,
    ),
    (
        "trailing while: the loop",
        "method M() returns (y: int)\n  ensures y > 5\n{\n  y := 0;\n  while y < 5\n  {\n    y := y + 1;\n  }\n}",
        5,
    ),
    (
        "explicit return: the return",
        "method M(b: bool) returns (y: int)\n  ensures y > 0\n{\n  y := 1;\n  if b {\n    return 0;\n  }\n}",
        6,
    ),
]


@pytest.mark.parametrize("case, text, line", POSTCONDITION_SITES, ids=[c[0] for c in POSTCONDITION_SITES])
def test_postconditions_fail_where_dafny_reports_them(case: str, text: str, line: int) -> None:
    assert failures(text) == [(line, "postcondition")]


def test_division_respects_short_circuit_evaluation() -> None:
    assert failures("method M(a: int, b: int) { assert (b != 0 && a / b > 1) || true; }") == []
    assert failures("method M(a: int, b: int) requires b != 0 ==> a / b > 1 { }") == []
    assert failures("method M(a: int, b: int) { var c := if b == 0 then 0 else a % b; }") == []
    assert failures("method M(a: int, b: int) { var c := a / b; }") == [(1, "division-by-zero")]


def test_default_decreases_guess_follows_the_loop_condition() -> None:
    assert failures("method M(n: int) { var i := 0; while i < n { i := i + 1; } }") == []
    assert failures("method M(n: int) { var i := n; while i > 0 { i := i - 1; } }") == []
    assert failures("method M(n: int) { var i := 0; while i != n { i := i + 1; } }") == [(1, "decreases")]
    assert failures("method M(b: bool) { var c := b; while c { c := !c; } }") == [(1, "decreases")]


def test_recursion_needs_a_decreasing_measure() -> None:
    assert failures("function F(n: nat): nat { if n == 0 then 0 else F(n - 1) }") == []
    assert failures("function F(n: int): int { if n > 9 then 0 else F(n + 1) }") == [(1, "termination")]
    assert failures("function F(n: int): int decreases 9 - n { if n > 9 then 0 else F(n + 1) }") == []
    assert failures("lemma L(n: nat) { if n > 0 { L(n - 1); } }") == []
    assert failures("method R(n: int) { R(n - 1); }") == [(1, "termination")]


def test_recursion_is_found_inside_every_kind_of_expression() -> None:
    # F and G call each other only inside a sequence display, an index and a quantifier:
    # a missed cycle would skip the termination checks and let an inconsistent definition in.
    program = (
        "function F(n: int): int { [G(n) + 1][0] }\n"
        "function G(n: int): int { F(n) }\n"
        "predicate P(n: int) { forall k :: 0 <= k < n ==> Q(k) }\n"
        "predicate Q(n: int) { P(n + 1) }\n"
    )
    # P(n) calls Q(k) only where k < n, which decreases; Q(n) calls P(n + 1), which does not.
    assert failures(program) == [(1, "termination"), (2, "termination"), (4, "termination")]


def test_nat_is_a_subset_type_with_obligations() -> None:
    assert failures("method M(x: nat) { var y: nat := x - 1; }") == [(1, "subset-type")]
    assert failures("method M(x: nat) { var y: nat := x + 1; }") == []
    assert failures("function F(x: int): nat { x }") == [(1, "subset-type")]


def test_a_refuted_assertion_is_failed_not_unknown() -> None:
    report = verify("method M(x: int) { assert x > 0; }", "t.dfy")
    assert report.errors[0].status == Status.FAILED


# ------------------------------------------------------------------ proof statements

PROOFS = """function Double(n: nat): nat { if n == 0 then 0 else 2 + Double(n - 1) }
lemma DoubleIs(n: nat) ensures Double(n) == 2 * n { if n > 0 { DoubleIs(n - 1); } }
function Half(n: int): int requires n % 2 == 0 { n / 2 }
method M(n: nat) {
"""  # the method's body starts at line 5


@pytest.mark.parametrize(
    "body, expected",
    [
        # after a calc, its first line is related to its last by the chain's relation
        (
            ["calc { Double(n); == { DoubleIs(n); } 2 * n; < 2 * n + 1; }", "assert Double(n) < 2 * n + 1;"],
            [],
        ),
        # a hint's facts stay in the hint: here only Double(n) >= 0 is known afterwards
        (
            ["calc { Double(n); >= { DoubleIs(n); } 2 * n; >= 0; }", "assert Double(n) >= 2 * n;"],
            [(6, "assertion")],
        ),
        # a step needs its hint
        (["calc { Double(n);", "== 2 * n; }"], [(6, "assertion")]),
        # a line is well-formed under the line before `==>`, and its check is made once
        (["calc { n % 2 == 0; ==> Half(n) * 2 == n; }"], []),
        (["calc { n % 2 == 0; == Half(n) * 2 == n; }"], [(5, "function-precondition")]),
        (["calc { Half(n);", "== Half(n); }"], [(5, "function-precondition")]),
        # a forall statement's conclusion is known afterwards, its body's facts are not
        # (not of a literal such as Double(3): that one is computed)
        (["forall i: int | 0 <= i < n { DoubleIs(i); }", "assert n > 3 ==> Double(n - 1) == 2 * n - 2;"], []),
        (
            [
                "forall i: int | 0 <= i < n ensures Double(i) >= 0 { DoubleIs(i); }",
                "assert n > 3 ==> Double(n - 1) == 2 * n - 2;",
            ],
            [(6, "assertion")],
        ),
        (
            ["forall i: int | -1 <= i < n ensures Double(i + 1) >= 2 * i { DoubleIs(i); }"],
            [(5, "subset-type")],
        ),
        (["forall i: int | 0 <= i < n ensures Double(i) > 2 * i { DoubleIs(i); }"], [(5, "assertion")]),
        # assert-by: only the assertion leaves the proof
        (["assert Double(n) >= n by { DoubleIs(n); }", "assert Double(n) >= n;"], []),
        (["assert Double(n) >= n by { DoubleIs(n); }", "assert Double(n) == 2 * n;"], [(6, "assertion")]),
        (["assert Double(n) == 2 * n by { }"], [(5, "assertion")]),
    ],
)
def test_proof_statements(body: list[str], expected: list[tuple[int, str]]) -> None:
    assert failures(PROOFS + "\n".join(body) + "\n}\n") == expected


def test_a_failed_calc_step_and_forall_ensures_say_so_in_dafny_words() -> None:
    report = verify(
        PROOFS
        + "calc { n;\n== n + 1; }\n}\nmethod F(n: nat) { forall i: int | 0 <= i < n ensures i > 0 { } }\n",
        "t.dfy",
    )
    step, ensures = sorted(report.errors, key=lambda ob: ob.span.start_line)
    assert step.message == "the calculation step between the previous line and this line might not hold"
    assert (step.span.start_line, step.description) == (6, "n == n + 1")
    assert ensures.message == "possible violation of postcondition of forall statement"
    assert (ensures.span.start_line, ensures.description) == (8, "i > 0")


def test_a_lemma_called_in_a_proof_is_a_call_for_termination() -> None:
    text = """function Double(n: nat): nat { if n == 0 then 0 else 2 + Double(n - 1) }
lemma A(n: nat) ensures Double(n) == 2 * n {
  forall i: int | 0 <= i < n { A(i); }
  assert Double(n) == 2 * n by { A(n); }
}
"""
    assert failures(text) == [(4, "termination")]
