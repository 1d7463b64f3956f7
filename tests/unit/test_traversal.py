"""Every statement kind reaches every stage: a program with one of each is parsed, resolved,
verified (the lowering), run (the interpreter) and walked, and the traversal in
`lang/syntax.py` fails loudly on a kind it does not know.

A new statement kind needs the grammar, the syntax, the resolver, the lowering and the
interpreter; this test fails until EVERY_STATEMENT uses it, and then fails in whichever
stage forgot it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kernel_ext import verify
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.run import DataValue, Outcome, make_array, run_method
from kernel_ext.run.loops import loops_of

EVERY_STATEMENT = """\
datatype Shape = Dot | Line(n: nat)

function Size(s: Shape): nat
{
  match s
  case Dot => 0
  case Line(n) => n
}

lemma SizeOfLine(n: nat)
  ensures Size(Line(n)) == n
{
}

method Next(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x + 1;
}

method Touch(a: array<int>)
  requires a.Length > 0
  modifies a
{
  a[0] := 1;
}

method Every(a: array<int>, s: Shape) returns (r: int)
  requires a.Length > 0
  modifies a
  ensures r >= 0
{
  var i: int := 0;
  var j: nat :| j < 2;
  j :| j == 1;
  i := Next(i);
  Touch(a);
  if i > 0 {
    a[0] := i;
  } else {
    assume false;
  }
  while i < 3
    invariant 1 <= i <= 3
    decreases 3 - i
  {
    i := i + 1;
  }
  for j := 0 to 2
    invariant 1 <= i <= 3
  {
    print "j = ", j, "\\n";
  }
  forall k | 0 <= k < a.Length {
    a[k] := a[k] + 1;
  }
  match s {
    case Dot => assert Size(s) == 0;
    case Line(n) => SizeOfLine(n);
  }
  calc {
    i + 1;
  ==
    1 + i;
  }
  forall k | 0 <= k < 2
    ensures Size(Line(k)) == k
  {
    SizeOfLine(k);
  }
  assert Size(Line(i)) == i by {
    SizeOfLine(i);
  }
  return i;
}
"""


def _kinds(cls: type) -> set[type]:
    """The statement kinds of the language (those the syntax module defines)."""
    found = set()
    for sub in cls.__subclasses__():
        if sub.__module__ == ast.__name__:
            found |= {sub} | _kinds(sub)
    return found


def _every() -> ast.Method:
    checked = resolve(parse(SourceFile("every.dfy", EVERY_STATEMENT)))
    method = checked.decl("Every")
    assert isinstance(method, ast.Method) and method.body is not None
    return method


def test_the_program_has_every_statement_kind() -> None:
    used = {type(stmt) for stmt in ast.walk_stmts(_every().body)}  # type: ignore[arg-type]
    assert used == _kinds(ast.Stmt)


def test_it_verifies_and_runs() -> None:
    report = verify(EVERY_STATEMENT, "every.dfy")
    assert report.verified, [ob.message for ob in report.errors] + [d.message for d in report.diagnostics]
    checked = resolve(parse(SourceFile("every.dfy", EVERY_STATEMENT)))
    for shape in (DataValue("Shape", "Dot"), DataValue("Shape", "Line", (2,))):
        result = run_method(checked, "Every", {"a": make_array([5]), "s": shape})
        assert result.outcome is Outcome.OK, result.message
        assert result.returns["r"] == 3


def test_each_statement_s_expressions_and_inner_statements_are_found() -> None:
    method = _every()
    loops = loops_of(method)
    assert [loop.span.start_line for loop in loops] == [
        EVERY_STATEMENT.splitlines().index("  while i < 3") + 1,
        EVERY_STATEMENT.splitlines().index("  for j := 0 to 2") + 1,
    ]
    kinds_with_exprs = {type(s) for s in ast.walk_stmts(method.body) if ast.stmt_exprs(s)}  # type: ignore[arg-type]
    assert kinds_with_exprs == _kinds(ast.Stmt) - {ast.Block}


@dataclass(frozen=True, kw_only=True)
class Unknown(ast.Stmt):
    """A statement kind the language does not have."""


def test_a_kind_the_traversal_does_not_know_is_an_error_not_a_silent_skip() -> None:
    with pytest.raises(TypeError, match="Unknown"):
        ast.stmt_children(Unknown())
    with pytest.raises(TypeError, match="Unknown"):
        ast.stmt_exprs(Unknown())
    with pytest.raises(TypeError, match="Unknown"):
        list(ast.walk_stmts(ast.Block(stmts=(Unknown(),))))
