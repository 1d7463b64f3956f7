"""Dafny's termination and `match` rules (`kernel_ext/lang/semantics.py`), and the verifier
and the interpreter reading them alike. The programs' verdicts are Dafny 2.3's
(`dafny /compile:0`)."""

from __future__ import annotations

import pytest

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.parser import parse
from kernel_ext.lang.printer import show_expr
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.semantics import (
    BOOL_ORDER,
    INT_ORDER,
    MULTISET_ORDER,
    NO_ORDER,
    RANK_ORDER,
    SEQ_ORDER,
    SEQ_RANK_ORDER,
    SET_ORDER,
    bounded_below,
    declaration_measure,
    decreases,
    guessed_decreases,
    loop_measure,
    missing_case_message,
    order_of,
    uncovered_ctors,
)
from kernel_ext.lang.source import NO_SPAN, SourceFile
from kernel_ext.lang.types import BOOL, INT, NAT, Type
from kernel_ext.obligations import ObligationKind
from kernel_ext.pipeline import verify
from kernel_ext.run.interp import VALUES, Outcome, run_method
from kernel_ext.run.values import DataValue, Multiset
from kernel_ext.verify.wp import weakest_precondition

SETS = """method Drain(S0: set<int>, x: int)
{
  var S := S0;
  while x in S
    decreases S
  {
    S := S - {x};
  }
}

method Grow(S0: set<int>, x0: int)
{
  var S := S0;
  var x := x0;
  while x in S
    decreases S
  {
    S := S - {x} + {x + 1};
    x := x + 1;
  }
}

method DrainMultiset(m0: multiset<int>, x: int)
{
  var m := m0;
  while x in m
    decreases m
  {
    m := m - multiset{x};
  }
}

method DrainFirst(S0: set<int>, x: int, n: int)
{
  var S := S0;
  var k := n;
  while x in S || k > 0
    decreases S, k
  {
    if x in S { S := S - {x}; k := n; } else { k := k - 1; }
  }
}
"""

# F's measure is an int, G's a sequence: Dafny compares no component of different types, so
# neither call decreases, even where n - 1 < |s|.
MIXED = """function F(n: nat, s: seq<int>): int
  requires n <= |s|
  decreases n
{
  if n == 0 then 0 else G(n, s)
}

function G(n: nat, s: seq<int>): int
  requires n <= |s|
  decreases s
{
  if n == 0 then 0 else F(n - 1, s)
}

method CallG(n: nat, s: seq<int>) returns (r: int)
  requires n <= |s|
{
  r := G(n, s);
}
"""

DATATYPES = """datatype Color = Red | Green | Blue
datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)
"""


def checked(text: str) -> CheckedProgram:
    return resolve(parse(SourceFile("t.dfy", text)))


def failures(text: str) -> list[tuple[int, ObligationKind]]:
    report = verify(text, "t.dfy")
    assert not report.diagnostics, report.diagnostics
    return [(ob.span.start_line, ob.kind) for ob in report.errors]


def test_a_set_or_a_multiset_decreases_to_a_proper_subset_in_the_verifier() -> None:
    # Dafny 2.3: 4 verified, 1 error: line 15, "decreases expression might not decrease".
    assert failures(SETS) == [(15, ObligationKind.DECREASES)]


@pytest.mark.parametrize(
    ("method", "args", "outcome"),
    [
        ("Drain", {"S0": frozenset({1, 2}), "x": 1}, Outcome.OK),
        ("DrainMultiset", {"m0": Multiset([1, 1, 2]), "x": 1}, Outcome.OK),
        ("DrainFirst", {"S0": frozenset({1, 2}), "x": 1, "n": 2}, Outcome.OK),
        ("Grow", {"S0": frozenset({1, 2}), "x0": 1}, Outcome.VIOLATION),
    ],
)
def test_the_interpreter_orders_sets_and_multisets_as_the_verifier(
    method: str, args: dict[str, object], outcome: Outcome
) -> None:
    result = run_method(checked(SETS), method, args)
    assert result.outcome == outcome, result.violation
    if outcome == Outcome.VIOLATION:
        assert result.violation is not None and result.violation.kind == ObligationKind.DECREASES


def test_components_of_different_types_are_never_compared() -> None:
    # Dafny 2.3: 0 verified, 2 errors: "failure to decrease termination measure" at both calls.
    assert failures(MIXED) == [(5, ObligationKind.TERMINATION), (12, ObligationKind.TERMINATION)]
    result = run_method(checked(MIXED), "CallG", {"n": 1, "s": (1, 2)})
    assert result.outcome == Outcome.VIOLATION
    assert result.violation is not None and result.violation.kind == ObligationKind.TERMINATION


def test_each_type_has_its_order() -> None:
    datatypes = {d.name: d for d in checked(DATATYPES).program.datatypes()}
    expected = {
        INT: INT_ORDER,
        NAT: INT_ORDER,
        BOOL: BOOL_ORDER,
        Type("seq", (INT,)): SEQ_ORDER,
        Type("set", (NAT,)): SET_ORDER,
        Type("multiset", (INT,)): MULTISET_ORDER,
        Type("Tree"): RANK_ORDER,
        Type("seq", (Type("Tree"),)): SEQ_RANK_ORDER,
        Type("array", (INT,)): NO_ORDER,
        Type("T"): NO_ORDER,
    }
    assert {ty: order_of(ty, datatypes) for ty in expected} == expected
    assert INT_ORDER.bounded_below and not any(o.bounded_below for o in (SEQ_ORDER, SET_ORDER, RANK_ORDER))


def loop_in(text: str) -> ast.While:
    method = next(iter(checked(text).program.methods()))
    assert method.body is not None
    return next(stmt for stmt in method.body.stmts if isinstance(stmt, ast.While))


@pytest.mark.parametrize(
    ("cond", "guess"),
    [
        ("i < n", "n - i"),
        ("i <= n", "n - i"),
        ("n > i", "n - i"),
        ("i >= 0", "i - 0"),
        ("i != n", "if i < n then n - i else i - n"),
        ("b && i < n", "n - i"),
        ("i < n && b", "n - i"),
        ("b", None),
        ("b || i < n", None),
    ],
)
def test_dafny_guesses_a_loops_decreases_from_its_condition(cond: str, guess: str | None) -> None:
    loop = loop_in(f"method M(n: int, b: bool) {{ var i := 0; while {cond} {{ i := i + 1; }} }}")
    guessed = guessed_decreases(loop.cond)
    assert (None if guessed is None else show_expr(guessed)) == guess
    measure = loop_measure(loop)
    assert (None if measure is None else [show_expr(e) for e in measure]) == (
        None if guess is None else [guess]
    )


def test_a_written_decreases_clause_is_the_measure() -> None:
    loop = loop_in("method M(n: int) { var i := n; while i > 0 decreases i, 1 { i := i - 1; } }")
    assert [show_expr(expr) for expr in loop_measure(loop) or ()] == ["i", "1"]


def test_a_declaration_is_measured_by_its_parameters_but_arrays() -> None:
    program = checked(
        "method M(a: array<int>, n: int, s: seq<int>) { }\n"
        "function F(n: int, b: bool): int decreases b { 0 }\n"
    ).program
    method, function = next(iter(program.methods())), next(iter(program.functions()))
    assert [(show_expr(e), e.ty) for e in declaration_measure(method)] == [
        ("n", INT),
        ("s", Type("seq", (INT,))),
    ]
    assert [show_expr(e) for e in declaration_measure(function)] == ["b"]


def test_the_lexicographic_order_on_run_time_values() -> None:
    leaf = DataValue("Tree", "Leaf")
    tree = DataValue("Tree", "Node", (leaf, 1, leaf))
    other = DataValue("Tree", "Node", (leaf, 2, leaf))  # another value, of the same rank
    cases = [
        ([(3, INT_ORDER)], [(4, INT_ORDER)], True, True),
        ([(-2, INT_ORDER)], [(-1, INT_ORDER)], True, False),  # a call's check needs 0 <= old
        ([(False, BOOL_ORDER)], [(True, BOOL_ORDER)], True, True),
        ([(True, BOOL_ORDER)], [(True, BOOL_ORDER)], False, False),
        ([((1, 2), SEQ_ORDER)], [((5, 5, 5), SEQ_ORDER)], True, True),
        ([(frozenset({1}), SET_ORDER)], [(frozenset({1, 2}), SET_ORDER)], True, True),
        ([(frozenset({3}), SET_ORDER)], [(frozenset({1, 2}), SET_ORDER)], False, False),
        ([(Multiset([1]), MULTISET_ORDER)], [(Multiset([1, 1]), MULTISET_ORDER)], True, True),
        ([(leaf, RANK_ORDER)], [(tree, RANK_ORDER)], True, True),
        ([(other, RANK_ORDER), (0, INT_ORDER)], [(tree, RANK_ORDER), (1, INT_ORDER)], True, True),
        ([(5, INT_ORDER), (0, INT_ORDER)], [(5, INT_ORDER), (1, INT_ORDER)], True, True),
        ([(4, INT_ORDER)], [((1, 2, 3, 4, 5), SEQ_ORDER)], False, False),  # different types
        ([(1, INT_ORDER), (0, INT_ORDER)], [(1, INT_ORDER)], False, False),
    ]
    for new, old, loop, call in cases:
        assert decreases(new, old, VALUES, bounded=False) == loop, (new, old)
        assert decreases(new, old, VALUES, bounded=True) == call, (new, old)


def test_a_sequence_of_datatype_values_is_ranked_between_its_elements_and_their_parent() -> None:
    leaf = DataValue("Rose", "Node", ((),))
    pair = (leaf, DataValue("Rose", "Node", ((leaf,),)))
    node = DataValue("Rose", "Node", (pair,))
    below = [
        ((pair[1], RANK_ORDER), (pair, SEQ_RANK_ORDER)),  # an element, below its sequence
        ((pair, SEQ_RANK_ORDER), (node, RANK_ORDER)),  # a field, below the value that holds it
        ((pair[1], RANK_ORDER), (node, RANK_ORDER)),  # so a child, below its parent
        ((pair[1:], SEQ_RANK_ORDER), (pair, SEQ_RANK_ORDER)),  # a proper part, below the whole
        ((pair[:1], SEQ_RANK_ORDER), (pair, SEQ_RANK_ORDER)),
    ]
    for new, old in below:
        assert decreases([new], [old], VALUES, bounded=True), (new, old)
        assert not decreases([old], [new], VALUES, bounded=True), (old, new)
    # A shorter sequence that is not a part may hold a larger value: ranks, not lengths.
    assert not decreases([((node,), SEQ_RANK_ORDER)], [(pair, SEQ_RANK_ORDER)], VALUES, bounded=True)


def test_a_loop_checks_that_an_int_that_decreased_was_at_least_zero() -> None:
    assert bounded_below([(-2, INT_ORDER)], [(-1, INT_ORDER)], VALUES) is False
    assert bounded_below([(-2, INT_ORDER)], [(0, INT_ORDER)], VALUES) is True
    assert (
        bounded_below([(-9, INT_ORDER), (-1, INT_ORDER)], [(0, INT_ORDER), (-1, INT_ORDER)], VALUES) is True
    )
    assert bounded_below([((), SEQ_ORDER)], [((1,), SEQ_ORDER)], VALUES) is True


def test_a_match_misses_the_constructors_no_case_covers() -> None:
    program = checked(
        DATATYPES + "function Name(c: Color): int { match c case Red => 0 case Green => 1 case _ => 2 }\n"
        "function Part(c: Color): int { match c case Red => 0 case Blue => 1 }\n"
        "function Deep(t: Tree): int { match t case Leaf => 0 case Node(Leaf, _, _) => 1 }\n"
    ).program
    datatypes = {d.name: d for d in program.datatypes()}
    name, part, deep = program.functions()
    assert isinstance(name.body, ast.Match) and isinstance(part.body, ast.Match)
    assert isinstance(deep.body, ast.Match)
    assert uncovered_ctors(name.body, datatypes) == []
    assert uncovered_ctors(part.body, datatypes) == ["Green"]
    assert uncovered_ctors(deep.body, datatypes) == ["Node"]  # a nested pattern covers only part
    assert missing_case_message(part.body, ["Green"]) == "missing case in match expression: Green"
    assert missing_case_message(part.body, []) == ""


# ------------------------------------------------------------------ one printer of expressions


def test_wp_formulas_are_written_by_the_expression_printer_and_keep_their_meaning() -> None:
    negated_division = weakest_precondition("x := -(x / 3);", "x == 0", "x: int")
    assert [step.raw for step in negated_division.steps] == ["-(x / 3) == 0"]  # not (-x) / 3
    negated_remainder = weakest_precondition("x := -3 * -(x % 3) + 2;", "x == 0", "x: int")
    assert [step.raw for step in negated_remainder.steps] == ["-3 * -(x % 3) + 2 == 0"]
    minimal = weakest_precondition("x := z % 2 - z * z + x;", "z > x", "x: int, z: int")
    assert minimal.precondition == "z > z % 2 + x - z * z"  # not x - (z * z)


def binary(op: str, left: ast.Expr, right: ast.Expr) -> ast.Binary:
    """A binary expression built, not parsed: no text holds it."""
    return ast.Binary(span=NO_SPAN, op=op, left=left, right=right, op_span=NO_SPAN)


def test_a_chain_is_written_as_one_only_where_the_source_has_one() -> None:
    loop = loop_in("method M(n: int) { var i := 0; while 0 <= i < n { i := i + 1; } }")
    assert show_expr(loop.cond) == "0 <= i < n"
    zero, i, n = (
        ast.IntLit(span=NO_SPAN, value=0),
        ast.Name(span=NO_SPAN, name="i"),
        ast.Name(span=NO_SPAN, name="n"),
    )
    assert show_expr(binary("&&", binary("<=", zero, i), binary("<", i, n))) == "0 <= i && i < n"


def test_an_equivalence_inside_another_is_parenthesised() -> None:
    a, b, c = (ast.Name(span=NO_SPAN, name=name) for name in "abc")
    assert show_expr(binary("<==>", binary("<==>", a, b), c)) == "(a <==> b) <==> c"
    assert show_expr(binary("<==>", a, binary("<==>", b, c))) == "a <==> (b <==> c)"
