from __future__ import annotations

import pytest

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError, Phase
from kernel_ext.lang.parser import parse
from kernel_ext.lang.source import SourceFile, Span


def parse_text(text: str) -> ast.Program:
    return parse(SourceFile("t.dfy", text))


def parse_error(text: str):
    with pytest.raises(DiagnosticError) as caught:
        parse_text(text)
    return caught.value.diagnostics[0]


def only_expr(text: str) -> ast.Expr:
    program = parse_text(f"method M() {{ assert {text}; }}")
    stmt = program.methods()[0].body.stmts[0]
    assert isinstance(stmt, ast.Assert)
    return stmt.expr


def test_every_node_has_a_span() -> None:
    program = parse_text("method Abs(x: int) returns (y: int)\n  ensures y >= 0\n{\n  y := x;\n}\n")
    method = program.methods()[0]
    assert method.span == Span(1, 1, 5, 2)
    assert method.name_span == Span(1, 8, 1, 11)
    assert method.ensures[0].expr.token == Span(2, 13, 2, 15)
    assert method.body.open_brace == Span(3, 1, 3, 2)


def test_spans_do_not_take_part_in_equality() -> None:
    assert only_expr("x + 1") == only_expr("x  +  1")


def test_precedence_follows_dafny() -> None:
    expr = only_expr("a ==> b && c <==> d")
    assert isinstance(expr, ast.Binary) and expr.op == "<==>"
    assert expr.left.op == "==>" and expr.left.right.op == "&&"
    product = only_expr("1 + 2 * 3")
    assert product.op == "+" and product.right.op == "*"


def test_implication_is_right_associative() -> None:
    expr = only_expr("a ==> b ==> c")
    assert expr.op == "==>" and expr.right.op == "==>"


def test_chains_become_conjunctions_with_the_shared_middle() -> None:
    expr = only_expr("0 <= i <= n")
    assert expr.op == "&&"
    assert expr.left.op == "<=" and expr.right.op == "<="
    assert expr.left.right == expr.right.left == ast.Name(span=Span(0, 0, 0, 0), name="i")


def test_mixed_chain_directions_are_an_error() -> None:
    diagnostic = parse_error("method M() { assert 1 < 2 > 0; }")
    assert "one way" in diagnostic.message


def test_mixing_and_or_needs_parentheses_as_in_dafny() -> None:
    diagnostic = parse_error("method M() { assert a && b || c; }")
    assert diagnostic.span.start_col == 28
    assert "parentheses" in diagnostic.message
    only_expr("(a && b) || c")


def test_negative_literals_fold() -> None:
    assert only_expr("-3") == ast.IntLit(span=Span(0, 0, 0, 0), value=-3)


def test_missing_semicolon_underlines_the_last_token_of_the_line() -> None:
    diagnostic = parse_error("method M() {\n  var x := 1\n  x := 2;\n}")
    assert diagnostic.message == "missing ';' at the end of the statement"
    assert (diagnostic.span.start_line, diagnostic.span.start_col, diagnostic.span.end_col) == (2, 12, 13)


def test_error_names_expected_things_in_words() -> None:
    diagnostic = parse_error("method M() { assert x ==; }")
    assert diagnostic.message == "unexpected ';': expected an expression"
    assert diagnostic.phase == Phase.PARSE


def test_unclosed_brace_at_the_end() -> None:
    diagnostic = parse_error("method M() {\n  var x := 1;\n")
    assert "'{' is closed" in diagnostic.message
    assert diagnostic.span.start_line == 2


@pytest.mark.parametrize(
    "text, word",
    [
        ("class C { }", "`class`"),
        ("trait T { }", "`trait`"),
        ("module B refines A { }", "`refines`"),
        ("abstract module M { }", "`abstract`"),
        ("module M { export provides F }", "`export`"),
        ("iterator I() { }", "`iterator`"),
        ('include "x.dfy"', "`include`"),
        ("method {:axiom} M() { }", "attributes"),
        ("codatatype Stream = More(head: int, tail: Stream)", "`codatatype`"),
        ("function method F(): int { 1 }", "`function method`"),
        ("method M(m: map<int, int>) { }", "`map`"),
        ("method M() decreases * { }", "`decreases *`"),
        ("method M() { while true { break; } }", "`break`"),
    ],
)
def test_dafny_features_outside_minidafny_are_named(text: str, word: str) -> None:
    diagnostic = parse_error(text)
    assert word in diagnostic.message
    assert "not part of MiniDafny" in diagnostic.message
    assert diagnostic.phase == Phase.UNSUPPORTED
    assert diagnostic.span.start_line == 1 and diagnostic.span.start_col >= 1


def test_single_equals_suggests_the_right_operator() -> None:
    diagnostic = parse_error("method M() { var x := 1; x = 2; }")
    assert ":=" in diagnostic.message and "==" in diagnostic.message


def test_an_expression_alone_is_not_a_statement() -> None:
    diagnostic = parse_error("method M() { 1 + 2; }")
    assert "not a statement" in diagnostic.message


def test_identifiers_may_have_primes_and_keywords_are_reserved() -> None:
    program = parse_text("method M(x': int) { var ifx := x'; }")
    assert program.methods()[0].params[0].name == "x'"
    parse_error("method M(if: int) { }")


def test_comments_and_hex_literals() -> None:
    program = parse_text("/* a\n comment */ method M() { // rest\n assert 0x10 == 1_6; }")
    stmt = program.methods()[0].body.stmts[0]
    assert stmt.expr.left.value == 16 and stmt.expr.right.value == 16


def test_level_two_expressions() -> None:
    assert isinstance(only_expr("a[i] == s[i..j][0]"), ast.Binary)
    slice_ = only_expr("s[..j] == s")
    assert isinstance(slice_.left, ast.Slice) and slice_.left.lo is None
    assert isinstance(only_expr("|s| == a.Length").left, ast.Cardinality)
    assert isinstance(only_expr("x !in s").op, str) and only_expr("x !in s").op == "!in"
    assert isinstance(only_expr("s[0 := 1] == [1, 2]").left, ast.SeqUpdate)
    assert isinstance(only_expr("multiset(a[..]) == multiset{}").left, ast.MultisetOf)
    quantifier = only_expr("forall i, j :: 0 <= i < j < n ==> a[i] <= a[j]")
    assert isinstance(quantifier, ast.Quantifier) and [v.name for v in quantifier.bound] == ["i", "j"]


def test_a_quantifier_extends_to_the_right_as_in_dafny() -> None:
    expr = only_expr("b == forall k :: 0 <= k ==> k * k >= 0")
    assert expr.op == "==" and isinstance(expr.right, ast.Quantifier)
    assert expr.right.body.op == "==>"


def test_array_element_assignment_and_allocation() -> None:
    program = parse_text(
        "method M(a: array<int>) modifies a { a[0], a[1] := a[1], a[0]; var b := new int[3]; }"
    )
    method = program.methods()[0]
    assert [type(target).__name__ for target in method.body.stmts[0].targets] == ["Index", "Index"]
    assert isinstance(method.body.stmts[1].rhs[0], ast.NewArray)
    assert method.modifies[0] == ast.Name(span=Span(0, 0, 0, 0), name="a")


# ------------------------------------------------------------------ proof statements

CALC = """method M(x: int, s: set<int>) {
  calc <= {
    x + 0;
    == x;
    { assert x in {x}; } { calc { 1; 1 + 0; } }
    x + 1;
    < { } x + 2;
  }
}"""


def only_stmt(text: str) -> ast.Stmt:
    return parse_text(text).methods()[0].body.stmts[0]


def test_a_calc_has_its_lines_steps_and_hints() -> None:
    calc = only_stmt(CALC)
    assert isinstance(calc, ast.Calc) and calc.op == "<="
    assert calc.span == Span(2, 3, 8, 4)
    assert [type(line).__name__ for line in calc.lines] == ["Binary", "Name", "Binary", "Binary"]
    assert [step.op for step in calc.steps] == ["==", "", "<"]
    assert [len(step.hints) for step in calc.steps] == [0, 2, 1]
    assert calc.steps[0].op_span == Span(4, 5, 4, 7)
    assert calc.steps[1].op_span == calc.lines[2].span == Span(6, 5, 6, 10)  # no operator: the line
    assert calc.steps[1].hints[0].span == Span(5, 5, 5, 25)
    nested = calc.steps[1].hints[1].stmts[0]
    assert isinstance(nested, ast.Calc) and len(nested.lines) == 2 and nested.steps[0].op == ""


def test_a_brace_where_a_step_begins_is_a_hint_elsewhere_a_set_display() -> None:
    calc = only_stmt(CALC)
    hint_assert = calc.steps[1].hints[0].stmts[0]
    assert isinstance(hint_assert, ast.Assert) and isinstance(hint_assert.expr.right, ast.SetDisplay)
    calc = only_stmt("method M(x: int) { calc { x in {1, 2}; == x in {2} + {1}; } }")
    assert isinstance(calc.lines[0].right, ast.SetDisplay) and calc.steps[0].hints == ()
    assert isinstance(calc.lines[1].right.left, ast.SetDisplay)
    assert parse_error("method M(x: int) { calc { {1} == {1}; } }").message.startswith("unexpected '{'")


def test_an_empty_calc_and_a_one_line_calc() -> None:
    assert only_stmt("method M() { calc { } }") == ast.Calc(span=Span(0, 0, 0, 0))
    assert len(only_stmt("method M() { calc { 1; } }").lines) == 1


@pytest.mark.parametrize(
    "body, where",
    [
        ("calc { x; < x + 1; > x; }", "> x;"),
        ("calc < { x; > x + 1; }", "> x + 1"),
        ("calc ==> { x < 0; x < 1; <== x < 2; }", "<== x"),
        ("calc { x; != x + 1; != x + 2; }", "!= x + 2"),
    ],
)
def test_calc_operators_must_chain_as_in_dafny(body: str, where: str) -> None:
    text = f"method M(x: int) {{ {body} }}"
    diagnostic = parse_error(text)
    assert diagnostic.message == "this operator cannot continue this calculation"
    assert (diagnostic.span.start_line, diagnostic.span.start_col) == (1, text.index(where) + 1)
    assert diagnostic.phase == Phase.PARSE
    transitive = parse_error("method M(x: int) { calc != { x; x + 1; } }")
    assert transitive.message == "the main operator of a calculation must be transitive"
    assert transitive.span == Span(1, 25, 1, 27)


def test_forall_statements() -> None:
    stmt = only_stmt("method M(n: int) {\n  forall i: nat, j | i < j < n ensures i < n {\n    L(i);\n  }\n}")
    assert isinstance(stmt, ast.ForallStmt) and stmt.span == Span(2, 3, 4, 4)
    assert [(var.name, var.type_ref.name if var.type_ref else None) for var in stmt.bound] == [
        ("i", "nat"),
        ("j", None),
    ]
    assert isinstance(stmt.range, ast.Binary) and len(stmt.ensures) == 1
    assert stmt.lemma_call is None  # with an ensures clause, the call is only the proof
    call_form = only_stmt("method M(n: int) { forall i | 0 <= i < n { { L(i); } } }")
    assert call_form.lemma_call is not None and call_form.lemma_call.name == "L"
    no_range = only_stmt("method M() { forall x ensures x * 0 == 0 { } }")
    assert no_range.range is None and no_range.body.stmts == ()
    expression = parse_error("method M() { forall x :: x * 0 == 0; }")
    assert expression.span == Span(1, 23, 1, 25) and "assert forall" in expression.hint


def test_assert_by() -> None:
    stmt = only_stmt("method M(x: int) {\n  assert x == x by {\n    L(x);\n  }\n}")
    assert isinstance(stmt, ast.AssertBy) and stmt.span == Span(2, 3, 4, 4)
    assert stmt.expr.token == Span(2, 12, 2, 14)
    assert isinstance(stmt.body.stmts[0], ast.CallStmt)
    assert parse_error("method M(x: int) { assert x == x by; }").span == Span(1, 36, 1, 37)


def test_a_comparison_standing_alone_is_called_an_expression_not_a_generic() -> None:
    diagnostic = parse_error("method M(x: int) { x < 3; }")
    assert diagnostic.message.startswith("an expression is not a statement")
