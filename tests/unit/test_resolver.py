from __future__ import annotations

import pytest

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError, Phase
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import INT, NAT
from tests.soundness.mutants import walk
from tests.support import GOLDEN


def check(text: str):
    return resolve(parse(SourceFile("t.dfy", text)))


def errors(text: str) -> list[str]:
    with pytest.raises(DiagnosticError) as caught:
        check(text)
    assert all(d.phase == Phase.TYPE for d in caught.value.diagnostics)
    return [d.message for d in caught.value.diagnostics]


def test_names_get_types_and_unique_ids_through_shadowing() -> None:
    checked = check("method M(n: nat) { var x := n; if n > 0 { var x := 1; assert x == 1; } assert x == n; }")
    body = checked.program.methods()[0].body
    outer = body.stmts[0].variables[0]
    inner = body.stmts[1].then.stmts[0].variables[0]
    assert outer.ty == NAT and inner.ty == INT
    assert outer.uid != inner.uid
    inner_use = body.stmts[1].then.stmts[1].expr.left
    outer_use = body.stmts[2].expr.left
    assert inner_use.uid == inner.uid and outer_use.uid == outer.uid


def test_a_local_may_shadow_a_parameter_as_in_dafny() -> None:
    check("method M(n: int) { var n := 3; }")


def test_type_mismatch_says_what_was_found() -> None:
    [message] = errors("method M(x: int) { assert x + true > 0; }")
    assert "bool" in message and "int" in message


def test_unknown_names() -> None:
    assert errors("method M() { assert y > 0; }") == ["unknown identifier 'y'"]
    assert "unknown type" in errors("method M(x: real2) { }")[0]


def test_every_error_in_a_program_is_reported() -> None:
    messages = errors("method A() { assert y; }\nmethod B() { assert z; }")
    assert len(messages) == 2


def test_parameters_are_read_only() -> None:
    [message] = errors("method M(x: int) { x := 1; }")
    assert "parameter" in message


def test_call_arity_and_argument_types() -> None:
    program = "method Inc(x: int) returns (y: int) { y := x + 1; }\n"
    assert "takes 1 argument" in errors(program + "method M() { var a := Inc(1, 2); }")[0]
    assert "must be of type int" in errors(program + "method M() { var a := Inc(true); }")[0]
    assert "returns 1 value" in errors(program + "method M() { var a, b := Inc(1); }")[0]


def test_methods_are_statements_functions_are_expressions() -> None:
    program = "method Inc(x: int) returns (y: int) { y := x + 1; }\nfunction F(x: int): int { x }\n"
    assert (
        "cannot be called inside an expression" in errors(program + "method M() { var a := Inc(1) + 1; }")[0]
    )
    assert "not a statement" in errors(program + "method M() { F(1); }")[0]
    assert "cannot be called inside an expression" in errors(program + "function G(): int { Inc(1) }")[0]


def test_ghost_code_cannot_call_methods() -> None:
    program = "method Inc(x: int) returns (y: int) { y := x + 1; }\n"
    [message] = errors(program + "lemma L() { var a := Inc(1); }")
    assert "ghost" in message


def test_old_only_where_dafny_allows_it() -> None:
    check("method M(x: int) returns (y: int) ensures y == old(x) { y := x; }")
    assert "precondition" in errors("method M(x: int) requires old(x) > 0 { }")[0]
    assert "function" in errors("function F(x: int): int { old(x) }")[0]


def test_multiple_returns() -> None:
    checked = check(
        "method D(a: int) returns (q: int, r: int) { q, r := a, 0; }\n"
        "method M() { var x, y := D(3); return; }"
    )
    decl = checked.program.methods()[1].body.stmts[0]
    assert [v.ty for v in decl.variables] == [INT, INT]
    assert "gives 1" in errors("method D() returns (q: int, r: int) { return 1; }")[0]


def test_predicates_are_bool_and_functions_need_a_result_type() -> None:
    checked = check("predicate P(x: int) { x > 0 }\nmethod M() { assert P(1); }")
    call = checked.program.methods()[0].body.stmts[0].expr
    assert isinstance(call, ast.Call) and call.ty.name == "bool"
    assert "int" in errors("predicate P(x: int) { x + 1 }")[0]


def test_duplicate_declarations() -> None:
    assert "duplicate" in errors("method M() { }\nmethod M() { }")[0]
    assert "duplicate" in errors("method M() { var x := 1; var x := 2; }")[0]


def test_level_two_types() -> None:
    checked = check(
        "method M(a: array<int>, s: seq<int>) returns (t: seq<int>) modifies a\n"
        "{ t := a[..] + s[1..]; a[0] := |t|; var m := multiset(t); var e := []; assert e == t[..0]; }"
    )
    body = checked.program.methods()[0].body
    assert body.stmts[0].rhs[0].ty.name == "seq"
    assert body.stmts[2].variables[0].ty.name == "multiset"


def test_level_two_type_errors() -> None:
    assert "array or seq" in errors("method M(x: int) { assert x[0] == 1; }")[0]
    assert "sequences are values" in errors("method M(s: seq<int>) { s[0] := 1; }")[0]
    assert "`new` may only stand alone" in errors("method M() { var b := 1 + new int[3]; }")[0]
    assert "method's postconditions" in errors("function F(a: array<int>): bool { fresh(a) }")[0]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("var s: seq<bool> := [];", "seq<bool>"),
        ("var s: seq<seq<int>> := [[]];", "seq<seq<int>>"),
        ("var s: set<bool> := {} + {};", "set<bool>"),
        ("var s: seq<bool> := if true then [] else [];", "seq<bool>"),
    ],
)
def test_an_empty_display_takes_the_type_its_context_expects(text: str, expected: str) -> None:
    method = check(f"method M() {{ {text} }}").program.decls[0]
    decl = method.body.stmts[0]
    assert str(ast.type_of(decl.rhs[0])) == expected


def test_an_empty_display_takes_the_type_of_what_it_is_compared_with() -> None:
    method = check("method M(s: seq<bool>) { assert s == [] && false in {}; }").program.decls[0]
    both = method.body.stmts[0].expr
    assert str(ast.type_of(both.left.right)) == "seq<bool>"
    assert str(ast.type_of(both.right.right)) == "set<bool>"


def test_assigning_the_wrong_type_to_an_array_element_says_so() -> None:
    messages = errors("method M(a: array<int>) modifies a { a[0] := [1]; }")
    assert messages == ["cannot assign a value of type seq<int> to an array element of type int"]


# ------------------------------------------------------------------ proof statements

PROOF_PRELUDE = """lemma L(n: int)
  ensures n + 0 == n
method Compiled(n: int)
"""


def located(text: str) -> list[tuple[int, int, str]]:
    """Errors as (line, column, message), for a program after PROOF_PRELUDE's three lines."""
    with pytest.raises(DiagnosticError) as caught:
        check(PROOF_PRELUDE + text)
    return [(d.span.start_line - 3, d.span.start_col, d.message) for d in caught.value.diagnostics]


def test_calc_lines_are_typed_and_the_result_relation_is_computed() -> None:
    checked = check("method M(x: int) { calc < { x; x + 1; <= x + 2; == x + 2; } }")
    calc = checked.program.methods()[0].body.stmts[0]
    assert [step.op for step in calc.steps] == ["<", "<=", "=="]  # the leading operator by default
    assert calc.result_op == "<"
    assert all(ast.type_of(line) == INT for line in calc.lines)
    implication = check("method M(b: bool) { calc { b; ==> b || b; ==> true; } }").program.decls[0]
    assert implication.body.stmts[0].result_op == "==>"


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "calc { n; ==> n > 0; }",
            (2, 10, "the left operand of '==>' must be of type bool, but this is of type int"),
        ),
        (
            "calc { n > 0; < n; }",
            (2, 10, "the left operand of '<' must be of type int, but this is of type bool"),
        ),
        ("calc { n; == true; }", (2, 13, "'==' compares values of different types: int and bool")),
        ("calc { n; { Compiled(n); } n; }", (2, 15, "only ghost methods can be called from this context")),
        ("calc { n; { return; } n; }", (2, 15, "return statement is not allowed inside a hint")),
    ],
)
def test_calc_errors(body: str, expected: tuple[int, int, str]) -> None:
    assert located(f"method M(n: int) {{\n  {body}\n}}") == [expected]


def test_hints_and_proof_bodies_may_not_update_outer_variables() -> None:
    text = """method M(n: int) returns (r: int) {
  ghost var g := 0;
  var k := 0;
  calc { n; { g := 1; } n; { var mine := 1; mine := 2; } n; }
  forall i | 0 <= i < n { k := i; }
  forall i | 0 <= i < n { var j := i; j := j + 1; }
  assert n == n by { r := 1; }
}"""
    assert located(text) == [
        (4, 15, "a hint is not allowed to update a variable declared outside the hint"),
        (
            5,
            27,
            "body of forall statement is attempting to update a variable declared outside the forall statement",
        ),
        (7, 22, "the body of an assert-by statement is not allowed to update a variable declared outside it"),
    ]


def test_forall_statement_bodies_are_ghost() -> None:
    text = """method M(n: int) {
  forall i | 0 <= i < n { Compiled(i); }
  forall i | 0 <= i < n { return; }
  forall i | 0 <= i < n ensures i >= 0 { L(i); }
}"""
    assert located(text) == [
        (2, 27, "the body of the enclosing forall statement is not allowed to call non-ghost methods"),
        (3, 27, "return statement is not allowed inside a forall statement"),
    ]


def test_forall_statement_variables() -> None:
    checked = check("method M(n: int) { forall i: nat, j | i < j < n ensures i < n { var k := i + j; } }")
    stmt = checked.program.methods()[0].body.stmts[0]
    assert [var.ty for var in stmt.bound] == [NAT, INT]
    assert stmt.bound[0].uid != "i" and stmt.range.left.left.uid == stmt.bound[0].uid
    assert stmt.body.stmts[0].variables[0].ty == INT
    assert located("method M(n: int) {\n  forall i | i { }\n}") == [
        (2, 14, "the range of a forall statement must be of type bool, but this is of type int")
    ]
    check("method M(a: array<int>) modifies a {\n  forall i | 0 <= i < a.Length { a[i] := 0; }\n}")
    other_index = located(
        "method M(a: array<int>) modifies a {\n  forall i | 0 <= i < a.Length / 2 { a[2 * i] := 0; }\n}"
    )
    assert other_index == [
        (
            2,
            38,
            "a forall statement that updates array elements other than `a[i]` for its one bound "
            "variable `i` is not part of MiniDafny",
        )
    ]


def test_assert_by_is_ghost_and_scoped() -> None:
    checked = check(
        PROOF_PRELUDE + "{ } method M(n: int) { assert n + 0 == n by { var t := n; L(t); } var t := 1; }"
    )
    stmt = checked.program.decls[-1].body.stmts[0]
    assert isinstance(stmt, ast.AssertBy) and ast.type_of(stmt.expr).name == "bool"
    assert located("method M(n: int) {\n  assert n by { }\n}") == [
        (2, 10, "an assertion must be of type bool, but this is of type int")
    ]
    assert located("method M(n: int) {\n  assert true by { Compiled(n); }\n}") == [
        (2, 20, "only ghost methods can be called from this context")
    ]


def test_every_node_of_a_resolved_golden_program_has_a_type() -> None:
    """Stages after the resolver rely on a type everywhere (translate.sort_of and the
    interpreter fail on a node without one instead of taking it for an int)."""
    typed_kinds = (ast.Expr, ast.Param, ast.LocalVar, ast.BoundVar, ast.Pattern, ast.Field)
    checked_nodes = 0
    for path in sorted(GOLDEN.rglob("*.dfy")):
        try:
            program = resolve(parse(SourceFile(path.name, path.read_text()))).program
        except DiagnosticError:
            continue
        program_decls = {decl.name: decl for decl in program.decls}
        nodes = list(walk(program))
        method_calls = {  # a method's results are typed by their targets, not by the call
            id(rhs)
            for node in nodes
            if isinstance(node, ast.CallStmt | ast.VarDecl | ast.Assign)
            for rhs in ((node.call,) if isinstance(node, ast.CallStmt) else node.rhs)
            if isinstance(rhs, ast.Call) and isinstance(program_decls.get(rhs.name), ast.Method)
        }
        for node in nodes:
            if isinstance(node, typed_kinds) and id(node) not in method_calls:
                assert node.ty is not None, f"{path.name}: {type(node).__name__} at {node.span}"
                checked_nodes += 1
    assert checked_nodes > 10_000


EVERY_PART_WRONG = """method M(x: int) returns (y: int)
  requires x + true > 0
  requires x && x
  ensures y == false
{
  var i := 0;
  while i < true
    invariant i <= true
    invariant i + false == 0
  {
    i := i + true;
  }
  y := F(true, false);
}
function F(a: int, b: int): int
  requires a + true > 0
  ensures F(a, b) && true
{ a + false }
"""


def test_an_error_in_one_clause_or_part_does_not_hide_the_errors_in_the_others() -> None:
    with pytest.raises(DiagnosticError) as error:
        resolve(parse(SourceFile("t", EVERY_PART_WRONG)))
    lines = [d.span.start_line for d in error.value.diagnostics]
    assert lines == [2, 3, 4, 7, 8, 9, 11, 13, 16, 17, 18]


def test_a_variable_whose_initialiser_has_an_error_stays_declared() -> None:
    found = errors("method M(x: int) {\n  var a: bool := 1;\n  var b := x + true;\n  assert a && b;\n}\n")
    assert len(found) == 2 and not any("unknown identifier" in message for message in found)


def test_an_error_in_an_if_condition_does_not_hide_the_errors_in_its_branches() -> None:
    with pytest.raises(DiagnosticError) as error:
        check(
            "method M(x: int) returns (y: int)\n{\n  if x + true > 0 {\n    y := false;\n  } else {\n    y := x && x;\n  }\n}\n"
        )
    assert [d.span.start_line for d in error.value.diagnostics] == [3, 4, 6]
