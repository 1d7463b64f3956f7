"""Let-expressions, `:|` and literal patterns through the stages: parsed, resolved (scopes,
types, ghost rules), printed, run (with their checks) and refused where MiniDafny stops."""

from __future__ import annotations

import pytest

from kernel_ext import verify
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse, parse_expression
from kernel_ext.lang.printer import show_expr, show_stmt_head
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.semantics import missing_case_message, uncovered_ctors
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import INT, NAT
from kernel_ext.obligations import ObligationKind
from kernel_ext.run import DataValue, Outcome, run_method
from kernel_ext.run.choice import small_ints
from kernel_ext.verify import terms as t
from kernel_ext.verify.witnesses import candidates as witness_candidates
from kernel_ext.verify.wp import weakest_precondition

X = t.variable("x", "x", t.INT)
N = t.variable("n", "n", t.INT)


def checked(text: str) -> ast.Program:
    return resolve(parse(SourceFile("t.dfy", text))).program


def run(text: str, method: str, **args: object):
    program = resolve(parse(SourceFile("t.dfy", text)))
    return run_method(program, method, args, source=SourceFile("t.dfy", text))


def diagnostics(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(DiagnosticError) as caught:
        resolve(parse(SourceFile("t.dfy", text)))
    return [(d.span.start_line, d.span.start_col, d.message) for d in caught.value.diagnostics]


def failed_kinds(text: str) -> list[ObligationKind]:
    report = verify(text, "t.dfy")
    assert not report.diagnostics, [d.message for d in report.diagnostics]
    return [ob.kind for ob in report.errors]


# ------------------------------------------------------------------ let-expressions


def test_a_let_binds_its_variables_in_its_body_only() -> None:
    function = checked("function F(x: int): int { var a, b: nat := x, 1; a + b }").decls[0]
    assert isinstance(function, ast.Function) and isinstance(function.body, ast.Let)
    let = function.body
    assert [ast.type_of(var) for var in let.variables] == [INT, NAT]
    names = [node for node in ast.walk_expr(let.body) if isinstance(node, ast.Name)]
    assert [name.uid for name in names] == [var.uid for var in let.variables]
    assert diagnostics("function F(x: int): int { (var y := x; y) + y }") == [
        (1, 45, "unknown identifier 'y'")
    ]


def test_let_values_are_read_before_the_variables_are_bound() -> None:
    text = "function F(x: int): int { var x, y := x + 1, x; y }\nmethod M() { assert F(5) == 5; }"
    assert failed_kinds(text) == []
    assert run(text, "M").outcome is Outcome.OK


def test_let_types_and_arity_are_checked() -> None:
    [(_, _, arity)] = diagnostics("function F(x: int): int { var a, b := x; a }")
    assert arity == "2 variable(s) but 1 value(s) on the right of ':='"
    [(_, _, mismatch)] = diagnostics("function F(x: int): int { var b: bool := x; 0 }")
    assert mismatch == "cannot initialise 'b' of type bool with a value of type int"


def test_a_typed_let_is_a_subset_check_in_both_stages() -> None:
    text = "function H(x: int): int { var y: nat := x; y }\nmethod M(x: int) returns (r: int) { r := H(x); }"
    assert failed_kinds(text) == [ObligationKind.SUBSET_TYPE]
    result = run(text, "M", x=-1)
    assert result.outcome is Outcome.VIOLATION and result.violation.kind is ObligationKind.SUBSET_TYPE


def test_let_in_a_quantifier_keeps_its_trigger() -> None:
    text = """
method M(s: seq<int>)
  requires forall i :: 0 <= i < |s| ==> s[i] > 0
{
  assert forall i :: 0 <= i < |s| ==> var v := s[i]; v > -1;
}"""
    assert failed_kinds(text) == []


def test_a_let_is_printed_as_written() -> None:
    expr = parse_expression(SourceFile("e", "var a, b: nat := 1, 2; a + b"))
    assert show_expr(expr) == "var a, b: nat := 1, 2; a + b"
    outer = parse_expression(SourceFile("e", "(var y := 1; y) + 2"))
    assert show_expr(outer) == "(var y := 1; y) + 2"


def test_let_such_that_expressions_are_refused_clearly() -> None:
    with pytest.raises(DiagnosticError) as caught:
        parse(SourceFile("t.dfy", "function F(x: int): int { var y :| y > x; y }"))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.message.endswith("is not part of MiniDafny")
    assert (diagnostic.span.start_line, diagnostic.span.start_col) == (1, 33)


# ------------------------------------------------------------------ :|


def test_such_that_declares_or_assigns() -> None:
    method = checked("method M() { var k: nat :| k < 3; var j :| j > k; k :| k == 1; }").decls[0]
    assert isinstance(method, ast.Method) and method.body is not None
    first, second, third = method.body.stmts
    assert isinstance(first, ast.SuchThat) and ast.type_of(first.variables[0]) == NAT
    assert isinstance(second, ast.SuchThat) and ast.type_of(second.variables[0]) == INT
    assert isinstance(third, ast.SuchThat) and not third.variables and len(third.targets) == 1
    assert show_stmt_head(first) == "var k: nat :| k < 3;"
    assert show_stmt_head(third) == "k :| k == 1;"


def test_such_that_targets_are_variables() -> None:
    [(_, _, message)] = diagnostics(
        "method M(a: array<int>) requires a.Length > 0 modifies a { a[0] :| a[0] > 1; }"
    )
    assert message == "only variables can be given values with `:|`"
    [(_, _, message)] = diagnostics("method M(x: int) { x :| x > 1; }")
    assert "parameter" in message


def test_such_that_must_have_a_value() -> None:
    assert failed_kinds("method M() { var x :| x > 0 && x < 0; }") == [ObligationKind.SUCH_THAT]
    assert failed_kinds("method M() { var x: nat :| x < 0; }") == [ObligationKind.SUCH_THAT]
    assert failed_kinds("method M(n: int) { var x :| x > n; assert x == n + 1; }") == [
        ObligationKind.ASSERTION
    ]


def test_the_interpreter_takes_the_first_small_value_that_fits() -> None:
    text = "method M(n: int) returns (r: int) ensures r > n { r :| r > n && r % 7 == 3; }"
    result = run(text, "M", n=20)
    assert result.outcome is Outcome.OK and result.returns["r"] == 24
    pair = "method P() returns (x: nat, y: nat) ensures x + y == 5 && x > y { x, y :| x + y == 5 && x > y; }"
    result = run(pair, "P")
    assert result.outcome is Outcome.OK and result.returns == {"x": 3, "y": 2}


def test_the_interpreter_says_when_it_finds_no_value() -> None:
    text = "method M() returns (r: int) { r :| r > 5000; }"
    result = run(text, "M")
    assert result.outcome is Outcome.CANNOT_EVALUATE
    assert "`:|` at line 1" in result.message


def test_small_ints_go_by_size() -> None:
    assert small_ints(None)[:5] == [0, 1, -1, 2, -2]
    assert small_ints(0)[:3] == [0, 1, 2]


# ------------------------------------------------------------------ literal patterns


FIB = """
function Fib(n: nat): nat
{
  match n
  case 0 => 0
  case 1 => 1
  case n => Fib(n - 1) + Fib(n - 2)
}
method M(n: nat) returns (r: nat) ensures r == Fib(n) { r := Fib(n); }
"""


def test_literal_patterns_verify_and_run() -> None:
    assert failed_kinds(FIB) == []
    assert run(FIB, "M", n=10).returns["r"] == 55


def test_literal_patterns_are_parsed_with_their_values() -> None:
    text = "method M(x: int, b: bool) { match x { case -1 => case 0x10 => case _ => } match b { case true => case false => } }"
    method = checked(text).decls[0]
    assert isinstance(method, ast.Method) and method.body is not None
    on_int, on_bool = method.body.stmts
    assert isinstance(on_int, ast.MatchStmt) and isinstance(on_bool, ast.MatchStmt)
    assert [case.pattern.literal for case in on_int.cases] == [-1, 16, None]
    assert [case.pattern.literal for case in on_bool.cases] == [True, False]
    assert uncovered_ctors(on_bool, {}) == [] and uncovered_ctors(on_int, {}) == []


def test_a_match_on_an_int_without_a_catch_all_may_miss_a_case() -> None:
    text = "function D(n: int): int { match n case 0 => 0 case 1 => 1 }\nmethod M() { var x := D(2); }"
    match = checked(text).decls[0].body  # type: ignore[attr-defined]
    assert missing_case_message(match, uncovered_ctors(match, {})) == (
        "missing case in match expression: not all possibilities for selector of type int have been covered"
    )
    assert failed_kinds(text) == [ObligationKind.MATCH_COMPLETE]
    result = run(text, "M")
    assert result.outcome is Outcome.VIOLATION and result.violation.kind is ObligationKind.MATCH_COMPLETE


def test_a_literal_inside_a_constructor_pattern() -> None:
    text = """
datatype List = Nil | Cons(head: int, tail: List)
function Z(xs: List): int
{
  match xs
  case Nil => 0
  case Cons(0, t) => 1 + Z(t)
  case Cons(_, _) => 0
}
method M(xs: List) returns (r: int) { r := Z(xs); }
"""
    assert failed_kinds(text) == []
    zeros = DataValue("List", "Cons", (0, DataValue("List", "Cons", (0, DataValue("List", "Nil")))))
    assert run(text, "M", xs=zeros).returns["r"] == 2


def test_a_literal_of_another_type_is_refused() -> None:
    [(_, _, message)] = diagnostics("function F(x: int): int { match x case true => 1 case _ => 0 }")
    assert message == "the pattern `true` cannot match a value of type int"


# ------------------------------------------------------------------ %%wp


@pytest.mark.parametrize(
    ("snippet", "words"),
    [
        ("x := var y := 1; y;", "let-expressions"),
        ("x :| x > 0;", "`:|`"),
        ("match x { case 0 => x := 1; case _ => }", "a match statement"),
    ],
)
def test_wp_refuses_them_with_a_clear_message(snippet: str, words: str) -> None:
    [problem] = weakest_precondition(snippet, "x > 0", "x: int").problems
    assert words in problem.describe() and "use %%verify" in problem.describe()


def test_the_values_the_predicate_names_are_tried_as_witnesses() -> None:
    text = """
lemma L(n: nat)
  requires exists b: nat :: n == 2 * b + 1
{
  var p: nat :| n == 2 * p + 1;
  assert p == (n - 1) / 2;
}"""
    assert failed_kinds(text) == []
    body = t.and_(
        t.app(t.Op.GE, X, t.IntVal(0)),
        t.eq(N, t.app(t.Op.ADD, t.app(t.Op.MUL, t.IntVal(2), X), t.IntVal(1))),
    )
    solved = t.app(t.Op.DIV, t.app(t.Op.SUB, N, t.IntVal(1)), t.IntVal(2))
    assert {X.name: solved} in witness_candidates(body, (X,))


def test_an_untyped_such_that_variable_is_an_int_and_the_error_says_so() -> None:
    with pytest.raises(DiagnosticError) as caught:
        resolve(parse(SourceFile("t.dfy", "method M() { var s :| s == [1]; }")))
    [diagnostic] = caught.value.diagnostics
    assert "Without a type, 's' is an int here" in diagnostic.hint
