"""Real numbers: literals, Dafny's printing of values, typing, the verifier's checks, the
interpreter's exact arithmetic, counterexamples with real values and their replay."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kernel_ext import verify
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse, parse_expression
from kernel_ext.lang.printer import show_expr
from kernel_ext.lang.reals import parse_real, show_real
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import REAL
from kernel_ext.obligations import ObligationKind
from kernel_ext.run import Outcome, run_method, show_value
from kernel_ext.run.inputs import candidates
from kernel_ext.run.literals import LiteralError, parse_literal


def run(text: str, method: str, **args: object):
    checked = resolve(parse(SourceFile("t.dfy", text)))
    return run_method(checked, method, args, source=SourceFile("t.dfy", text))


def errors(text: str) -> list[str]:
    try:
        resolve(parse(SourceFile("t.dfy", text)))
    except DiagnosticError as error:
        return [d.message for d in error.diagnostics]
    return []


@pytest.mark.parametrize(
    "value,text",
    [
        (Fraction(3, 2), "1.5"),
        (Fraction(-1, 4), "-0.25"),
        (Fraction(3), "3.0"),
        (Fraction(0), "0.0"),
        (Fraction(1, 1000), "0.001"),
        (Fraction(1, 3), "(1.0 / 3.0)"),
        (Fraction(-2, 3), "(-2.0 / 3.0)"),
    ],
)
def test_reals_are_written_as_dafny_prints_them(value: Fraction, text: str) -> None:
    assert show_real(value) == text
    assert show_value(value) == text


def test_literals_need_digits_on_both_sides_of_the_point() -> None:
    assert parse_real("1_000.25") == Fraction(4001, 4)
    expr = parse_expression(SourceFile("e", "-2.25"))
    assert isinstance(expr, ast.RealLit) and expr.value == Fraction(-9, 4)
    with pytest.raises(DiagnosticError):
        parse(SourceFile("t.dfy", "method M() { var a := .5; }"))
    with pytest.raises(DiagnosticError):
        parse(SourceFile("t.dfy", "method M() { var a := 1.; }"))


def test_as_binds_tighter_than_multiplication_and_a_comparison_follows_it() -> None:
    assert show_expr(parse_expression(SourceFile("e", "a * b as real"))) == "a * (b as real)"
    expr = parse_expression(SourceFile("e", "x as int < y"))
    assert isinstance(expr, ast.Binary) and isinstance(expr.left, ast.Conversion)


@pytest.mark.parametrize(
    "body,message",
    [
        ("var a := r + x;", "type of right argument to + (int) must agree with the result type (real)"),
        ("var a := r < x;", "arguments to < must have a common supertype (got real and int)"),
        ("var a := r % 2.0;", "arguments to % must be integer-numeric or bitvector types (got real)"),
        ("var a := x.Floor;", "type int does not have a member 'Floor'"),
        ("var a := r as bool;", "type conversions are not supported to this type (got bool)"),
        ("var a := r as nat;", "conversions to `nat` are not part of MiniDafny"),
        ("var a: real := 3;", "cannot initialise 'a' of type real with a value of type int"),
        ("var a := r && r;", "the left operand of '&&' must be of type bool, but this is of type real"),
        ("var a := -true;", "the operand of unary '-' must be of type int, but this is of type bool"),
    ],
)
def test_int_and_real_do_not_mix(body: str, message: str) -> None:
    assert errors(f"method M(r: real, x: int) {{ {body} }}") == [message]


def test_floor_and_conversions_are_typed() -> None:
    checked = resolve(parse(SourceFile("t.dfy", "function F(r: real): int { r.Floor + (r as int) }")))
    body = checked.program.functions()[0].body
    assert isinstance(body, ast.Binary)
    assert isinstance(body.left, ast.Conversion) and body.left.floor
    assert ast.type_of(body.left.expr) == REAL


def test_the_verifier_checks_that_as_int_is_given_a_whole_number() -> None:
    report = verify("method M(r: real) returns (n: int) { n := r as int; }", "t.dfy")
    assert [ob.kind for ob in report.errors] == [ObligationKind.IS_INTEGER]
    report = verify(
        "method M(r: real) returns (n: int) requires r == r.Floor as real { n := r as int; }", "t.dfy"
    )
    assert report.verified


def test_real_division_by_zero_is_an_obligation() -> None:
    report = verify("method M(x: real, y: real) returns (q: real) { q := x / y; }", "t.dfy")
    assert [ob.kind for ob in report.errors] == [ObligationKind.DIVISION_BY_ZERO]


def test_the_interpreter_computes_exactly() -> None:
    text = """
method M(a: real, b: real) returns (q: real, f: int, g: int)
{
  q := a / b;
  f := q.Floor;
  g := (-q).Floor;
}"""
    result = run(text, "M", a=Fraction(1), b=Fraction(3))
    assert result.outcome is Outcome.OK
    assert result.returns == {"q": Fraction(1, 3), "f": 0, "g": -1}
    assert all(isinstance(value, Fraction) for value in (result.returns["q"],))


def test_the_interpreter_checks_divisors_and_whole_numbers() -> None:
    text = "method M(a: real, b: real) returns (q: real, n: int) { q := a / b; n := q as int; }"
    result = run(text, "M", a=Fraction(1), b=Fraction(0))
    assert result.outcome is Outcome.VIOLATION and result.violation is not None
    assert result.violation.kind is ObligationKind.DIVISION_BY_ZERO
    result = run(text, "M", a=Fraction(1), b=Fraction(2))
    assert result.violation is not None and result.violation.kind is ObligationKind.IS_INTEGER
    assert run(text, "M", a=Fraction(4), b=Fraction(2)).returns == {"q": Fraction(2), "n": 2}


def test_a_counterexample_shows_real_values_and_replays_them() -> None:
    report = verify("method Half(x: real) returns (y: real) ensures y * 3.0 == x { y := x / 2.0; }", "t.dfy")
    trace = report.errors[0].trace
    assert trace is not None and trace.replay is not None
    assert trace.replay.verdict.value == "confirmed"
    shown = trace.inputs[0].text
    assert parse_literal(shown, REAL) == trace.inputs[0].value


def test_real_literals_are_arguments_and_small_inputs() -> None:
    assert parse_literal("-2.5", REAL) == Fraction(-5, 2)
    assert parse_literal("(1.0 / 3.0)", REAL) == Fraction(1, 3)
    with pytest.raises(LiteralError):
        parse_literal("3", REAL)
    values = candidates(REAL)
    assert Fraction(1, 2) in values and Fraction(-1) in values
    assert all(isinstance(value, Fraction) for value in values)


def test_quantifiers_over_reals_are_not_enumerated() -> None:
    text = "method M() { assert forall r: real :: 0.0 <= r <= 1.0 ==> r * r <= 1.0; }"
    result = run(text, "M")
    assert result.outcome is Outcome.CANNOT_EVALUATE


def test_wp_refuses_reals_by_name() -> None:
    from kernel_ext.verify.wp import weakest_precondition

    problems = weakest_precondition("x := 1;\ny := (x as real).Floor;", "y > 0").problems
    assert problems and all("real numbers: %%wp handles" in problem.describe() for problem in problems)
    typed = weakest_precondition("var r: real := 1.5;", "r > 0.0").problems
    assert any("%%wp handles int, nat and bool variables" in problem.describe() for problem in typed)


def test_an_untyped_bound_variable_is_real_when_its_use_needs_it() -> None:
    text = "lemma L() ensures forall x, y: real :: x < y ==> x < y + 1.0 { }"
    quantifier = resolve(parse(SourceFile("t.dfy", text))).program.methods()[0].ensures[0].expr
    assert isinstance(quantifier, ast.Quantifier)
    assert [ast.type_of(var) for var in quantifier.bound] == [REAL, REAL]
    assert errors("method M() { assert forall x :: x < x + 1; }") == []
    assert errors("method M(b: bool) { assert forall x :: x == b; }") == [
        "'==' compares values of different types: int and bool"
    ]


def test_a_real_measure_must_go_down_by_one_at_run_time() -> None:
    text = "method H(r: real) { var x := r; while x > 0.0 decreases x { x := x - 0.5; } }"
    result = run(text, "H", r=Fraction(3, 2))
    assert result.violation is not None and result.violation.kind is ObligationKind.DECREASES
    assert "a real must go down by at least 1.0" in result.violation.detail
    text = "method H(r: real) { var x := r; while x > 0.0 { x := x - 1.0; } }"
    assert run(text, "H", r=Fraction(5, 2)).outcome is Outcome.OK
