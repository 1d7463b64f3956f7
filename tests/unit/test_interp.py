"""The interpreter: Dafny's semantics, each run-time check at the verifier's position, loop
tables and the `run` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel_ext.cli import build_parser
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import INT, Type
from kernel_ext.obligations import (
    BOUNDED_BELOW,
    CALL_MODIFIES,
    LOOP_NEEDS_DECREASES,
    LOWER_BOUND,
    NEGATIVE_SIZE,
    UPPER_BOUND,
    ObligationKind,
)
from kernel_ext.run import (
    ArrayValue,
    DataValue,
    Multiset,
    Outcome,
    RunResult,
    make_array,
    run_method,
    show_value,
)
from kernel_ext.run.command import run_command
from kernel_ext.run.inputs import choose_inputs
from kernel_ext.run.interp import euclidean_div, euclidean_mod
from kernel_ext.run.literals import LiteralError, parse_literal
from kernel_ext.run.loops import loop_table


def checked(text: str) -> CheckedProgram:
    return resolve(parse(SourceFile("t.dfy", text)))


def run(text: str, method: str, step_limit: int = 100_000, **args: object) -> RunResult:
    return run_method(checked(text), method, args, step_limit=step_limit, source=SourceFile("t.dfy", text))


def violated(result: RunResult) -> tuple[ObligationKind, int, int]:
    assert result.outcome is Outcome.VIOLATION, (result.outcome, result.message)
    assert result.violation is not None
    return result.violation.kind, result.violation.span.start_line, result.violation.span.start_col


# ------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    ("a", "b", "quotient", "remainder"),
    [
        (7, 2, 3, 1),
        (-7, 2, -4, 1),
        (7, -2, -3, 1),
        (-7, -2, 4, 1),
        (6, 3, 2, 0),
        (-6, 3, -2, 0),
        (0, -5, 0, 0),
        (-1, 5, -1, 4),
        (1, -5, 0, 1),
    ],
)
def test_division_is_euclidean(a: int, b: int, quotient: int, remainder: int) -> None:
    assert (euclidean_div(a, b), euclidean_mod(a, b)) == (quotient, remainder)
    result = run(
        "method D(a: int, b: int) returns (q: int, r: int) requires b != 0 { q := a / b; r := a % b; }",
        "D",
        a=a,
        b=b,
    )
    assert result.outcome is Outcome.OK
    assert dict(result.returns) == {"q": quotient, "r": remainder}


def test_division_meets_its_definition_on_a_grid() -> None:
    for a in range(-9, 10):
        for b in [*range(-4, 0), *range(1, 5)]:
            q, r = euclidean_div(a, b), euclidean_mod(a, b)
            assert a == b * q + r and 0 <= r < abs(b)


def test_ints_are_unbounded() -> None:
    result = run(
        "method P() returns (x: int) { x := 1; var i := 0; while i < 100 { x := x * 2; i := i + 1; } }", "P"
    )
    assert result.returns["x"] == 2**100


def test_logic_short_circuits_as_in_dafny() -> None:
    text = """
method M(s: seq<int>, d: int) returns (a: bool, b: bool, c: bool, e: bool)
{
  a := |s| > 0 && s[0] == 1;
  b := |s| == 0 || s[0] == 1;
  c := d != 0 ==> 10 / d > 1;
  e := 10 % d == 0 <== d != 0;
}
"""
    result = run(text, "M", s=(), d=0)
    assert result.outcome is Outcome.OK
    assert dict(result.returns) == {"a": False, "b": True, "c": True, "e": True}


def test_comparison_chains_and_if_then_else() -> None:
    text = """method M(x: int) returns (b: bool, c: bool, y: int)
{
  b := 0 <= x < 10;
  c := 0 < x == 4;
  y := if x < 0 then -x else x;
}"""
    assert dict(run(text, "M", x=-3).returns) == {"b": False, "c": False, "y": 3}
    assert dict(run(text, "M", x=4).returns) == {"b": True, "c": True, "y": 4}
    assert dict(run(text, "M", x=5).returns) == {"b": True, "c": False, "y": 5}


# ------------------------------------------------------------------ collections


def test_sequence_operations() -> None:
    text = """
method M(s: seq<int>) returns (a: seq<int>, b: seq<int>, c: seq<int>, d: seq<int>, n: int, m: bool)
  requires |s| >= 3
{
  a := s[1..];
  b := s[..2] + [9];
  c := s[1..2];
  d := s[0 := 7];
  n := |s + s|;
  m := 5 !in s && 3 in s;
}
"""
    result = run(text, "M", s=(3, 1, 2))
    assert {name: show_value(value) for name, value in result.returns.items()} == {
        "a": "[1, 2]",
        "b": "[3, 1, 9]",
        "c": "[1]",
        "d": "[7, 1, 2]",
        "n": "6",
        "m": "true",
    }


def test_sets_and_multisets() -> None:
    text = """
method M(s: seq<int>) returns (u: set<int>, i: set<int>, sub: bool, same: bool, k: int, mem: bool)
{
  u := {3, 1} + {2};
  i := {1, 2, 3} * {2, 3, 4} - {3};
  sub := {1} <= u && {1} < u && !(u < u);
  same := multiset(s) + multiset{1} == multiset([1, 1, 2, 2]) && multiset(s) * multiset{2, 7} == multiset{2};
  k := |multiset(s) - multiset{2, 3}|;
  mem := 2 in multiset(s) && 5 !in multiset(s);
}
"""
    result = run(text, "M", s=(2, 1, 2))
    shown = {name: show_value(value) for name, value in result.returns.items()}
    assert shown == {
        "u": "{1, 2, 3}",
        "i": "{2}",
        "sub": "true",
        "same": "true",
        "k": "2",
        "mem": "true",
    }


def test_multiset_type() -> None:
    a, b = Multiset([1, 1, 2]), Multiset([2, 1, 1])
    assert a == b and hash(a) == hash(b) and len(a) == 3
    assert a + Multiset([3]) == Multiset([1, 1, 2, 3])
    assert a - Multiset([1, 5]) == Multiset([1, 2])
    assert a * Multiset([1, 3]) == Multiset([1])
    assert Multiset([1]) <= a and Multiset([1]) < a and not a < b
    assert 2 in a and 3 not in a


def test_values_are_shown_as_students_write_them() -> None:
    assert show_value(-3) == "-3"
    assert show_value(True) == "true"
    assert show_value((3, 1, 2)) == "[3, 1, 2]"
    assert show_value(make_array([3, 1, 2])) == "[3, 1, 2]"
    assert show_value(frozenset({2, 1})) == "{1, 2}"
    assert show_value(Multiset([2, 1, 1])) == "multiset{1, 1, 2}"
    assert show_value(((1,), ())) == "[[1], []]"


def test_new_arrays_start_with_zero_or_false() -> None:
    text = """
method M(n: nat) returns (a: array<int>, b: array<bool>)
  ensures fresh(a) && fresh(b)
{
  a := new int[n];
  b := new bool[n];
}
"""
    result = run(text, "M", n=2)
    assert show_value(result.returns["a"]) == "[0, 0]"
    assert show_value(result.returns["b"]) == "[false, false]"


# ------------------------------------------------------------------ each check, where the verifier reports it

CHECKS = [
    (
        "precondition",
        """method Pos(x: int) requires x > 0 { }
method Caller() {
  Pos(0);
}""",
        "Caller",
        {},
        (ObligationKind.PRECONDITION, 3, 3),
        ObligationKind.PRECONDITION.message,
    ),
    (
        "postcondition-fall-off",
        """method Inc(x: int) returns (y: int)
  ensures y > x
{
  y := x;
}""",
        "Inc",
        {"x": 1},
        (ObligationKind.POSTCONDITION, 3, 1),
        ObligationKind.POSTCONDITION.message,
    ),
    (
        "postcondition-return",
        """method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  if x < 0 {
    return x;
  }
  y := x;
}""",
        "Abs",
        {"x": -1},
        (ObligationKind.POSTCONDITION, 5, 5),
        ObligationKind.POSTCONDITION.message,
    ),
    (
        "postcondition-if-branch",
        """method Max(a: int, b: int) returns (m: int)
  ensures m >= a && m >= b
{
  if a > b {
    m := b;
  } else {
    m := b;
  }
}""",
        "Max",
        {"a": 2, "b": 1},
        (ObligationKind.POSTCONDITION, 4, 12),
        ObligationKind.POSTCONDITION.message,
    ),
    (
        "assertion",
        """method M(x: int) {
  var y := x * 2;
  assert y > 0 && y < 10;
}""",
        "M",
        {"x": 7},
        (ObligationKind.ASSERTION, 3, 21),
        ObligationKind.ASSERTION.message,
    ),
    (
        "invariant-entry",
        """method M(n: nat) {
  var i := 1;
  while i < n
    invariant i == 0
  {
    i := i + 1;
  }
}""",
        "M",
        {"n": 3},
        (ObligationKind.INVARIANT_ENTRY, 4, 17),
        ObligationKind.INVARIANT_ENTRY.message,
    ),
    (
        "invariant-maintained",
        """method M(n: nat) {
  var i := 0;
  while i < n
    invariant i <= 1
  {
    i := i + 1;
  }
}""",
        "M",
        {"n": 3},
        (ObligationKind.INVARIANT_MAINTAINED, 4, 17),
        ObligationKind.INVARIANT_MAINTAINED.message,
    ),
    (
        "decreases",
        """method M(n: nat) {
  var i := 0;
  while i < n
    decreases n + i
  {
    i := i + 1;
  }
}""",
        "M",
        {"n": 3},
        (ObligationKind.DECREASES, 3, 3),
        ObligationKind.DECREASES.message,
    ),
    (
        "decreases-bounded-below",
        """method M(n: int) {
  var i := n;
  while i > -3
    decreases i
  {
    i := i - 1;
  }
}""",
        "M",
        {"n": 1},
        (ObligationKind.DECREASES, 4, 15),
        BOUNDED_BELOW,
    ),
    (
        "decreases-guess",
        """method M(n: int) {
  var i := 0;
  while i < n
  {
    i := i - 1;
  }
}""",
        "M",
        {"n": 2},
        (ObligationKind.DECREASES, 3, 3),
        LOOP_NEEDS_DECREASES,
    ),
    (
        "index-array",
        """method M(a: array<int>) returns (x: int) {
  x := a[a.Length];
}""",
        "M",
        {"a": [1, 2]},
        (ObligationKind.INDEX_RANGE, 2, 9),
        ObligationKind.INDEX_RANGE.message,
    ),
    (
        "index-slice-lower",
        """method M(s: seq<int>) returns (t: seq<int>) {
  t := s[3..];
}""",
        "M",
        {"s": (1, 2)},
        (ObligationKind.INDEX_RANGE, 2, 9),
        LOWER_BOUND,
    ),
    (
        "index-slice-upper",
        """method M(a: array<int>) returns (t: seq<int>) {
  t := a[1..5];
}""",
        "M",
        {"a": [1, 2]},
        (ObligationKind.INDEX_RANGE, 2, 9),
        UPPER_BOUND.format(what="array"),
    ),
    (
        "negative-array-size",
        """method M(n: int) returns (a: array<int>) {
  a := new int[n - 1];
}""",
        "M",
        {"n": 0},
        (ObligationKind.INDEX_RANGE, 2, 16),
        NEGATIVE_SIZE,
    ),
    (
        "division-by-zero",
        """method M(x: int, y: int) returns (q: int) {
  q := x % (y - 1);
}""",
        "M",
        {"x": 3, "y": 1},
        (ObligationKind.DIVISION_BY_ZERO, 2, 10),
        ObligationKind.DIVISION_BY_ZERO.message,
    ),
    (
        "modifies",
        """method M(a: array<int>)
  requires a.Length > 0
{
  a[0] := 1;
}""",
        "M",
        {"a": [5]},
        (ObligationKind.MODIFIES, 4, 3),
        ObligationKind.MODIFIES.message,
    ),
    (
        "modifies-call",
        """method Z(a: array<int>) modifies a { }
method M(a: array<int>) {
  Z(a);
}""",
        "M",
        {"a": [5]},
        (ObligationKind.MODIFIES, 3, 3),
        CALL_MODIFIES,
    ),
    (
        "nat-assignment",
        """method M(x: int) {
  var n: nat := x - 1;
}""",
        "M",
        {"x": 0},
        (ObligationKind.SUBSET_TYPE, 2, 17),
        ObligationKind.SUBSET_TYPE.message,
    ),
    (
        "nat-argument",
        """method Take(n: nat) { }
method M(x: int) {
  Take(x);
}""",
        "M",
        {"x": -2},
        (ObligationKind.SUBSET_TYPE, 3, 8),
        ObligationKind.SUBSET_TYPE.message,
    ),
    (
        "nat-function-result",
        """function Pred(n: nat): nat
{
  n - 1
}
method M() {
  var p := Pred(0);
}""",
        "M",
        {},
        (ObligationKind.SUBSET_TYPE, 3, 3),
        ObligationKind.SUBSET_TYPE.message,
    ),
    (
        "function-precondition",
        """function Pred(n: int): int
  requires n > 0
{
  n - 1
}
method M(x: int) {
  assert Pred(x) < x;
}""",
        "M",
        {"x": 0},
        (ObligationKind.FUNCTION_PRECONDITION, 7, 10),
        ObligationKind.FUNCTION_PRECONDITION.message,
    ),
    (
        "reads",
        """predicate First(a: array<int>)
  requires a.Length > 0
{
  a[0] == 0
}
method M(a: array<int>) requires a.Length > 0 {
  var b := First(a);
}""",
        "M",
        {"a": [0]},
        (ObligationKind.READS, 4, 4),
        ObligationKind.READS.message,
    ),
    (
        "termination",
        """function F(n: nat): nat
{
  if n == 0 then 0 else F(n + 1)
}
method M() {
  var x := F(1);
}""",
        "M",
        {},
        (ObligationKind.TERMINATION, 3, 25),
        ObligationKind.TERMINATION.message,
    ),
    (
        "same-location",
        """method M(a: array<int>, i: int, j: int)
  requires 0 <= i < a.Length && 0 <= j < a.Length
  modifies a
{
  a[i], a[j] := 1, 2;
}""",
        "M",
        {"a": [0, 0], "i": 1, "j": 1},
        (ObligationKind.SAME_LOCATION, 5, 9),
        "when left-hand sides 0 and 1 may refer to the same location, they must be assigned the same value",
    ),
]


@pytest.mark.parametrize(
    ("text", "method", "args", "where", "message"),
    [case[1:] for case in CHECKS],
    ids=[case[0] for case in CHECKS],
)
def test_each_check_fails_where_the_verifier_reports_it(
    text: str, method: str, args: dict, where: tuple, message: str
) -> None:
    result = run(text, method, **args)
    assert violated(result) == where
    assert result.violation is not None and result.violation.message == message
    assert result.violation.detail


def test_a_postcondition_names_the_failing_conjunct() -> None:
    result = run("method M(x: int) returns (y: int)\n  ensures y >= 0 && y > x\n{\n  y := x;\n}", "M", x=1)
    assert result.violation is not None
    assert result.violation.description == "y > x"
    assert [span.start_line for span in result.violation.related] == [2]


def test_the_entry_precondition_makes_invalid_inputs_not_violations() -> None:
    text = "method M(x: int, n: nat) requires x > 0 { }"
    result = run(text, "M", x=0, n=1)
    assert result.outcome is Outcome.INVALID_INPUT and result.violation is None
    assert "x > 0" in result.message
    assert run(text, "M", x=1, n=-1).outcome is Outcome.INVALID_INPUT
    assert run(text, "M", x=1, n=0).outcome is Outcome.OK


def test_a_false_assumption_stops_the_run_without_a_violation() -> None:
    result = run("method M(x: int) returns (y: int) ensures y > 0 { assume x > 0; y := x; }", "M", x=0)
    assert result.outcome is Outcome.ASSUMPTION_FALSE and result.violation is None
    assert result.span is not None and result.span.start_line == 1


def test_a_nat_out_parameter_is_checked_on_return() -> None:
    result = run("method P(x: int) returns (n: nat)\n{\n  return x - 1;\n}", "P", x=0)
    assert violated(result) == (ObligationKind.SUBSET_TYPE, 3, 10)


# ------------------------------------------------------------------ arrays: aliasing, old, fresh

SET_BOTH = """
method SetBoth(a: array<int>, b: array<int>)
  requires a.Length > 0 && b.Length > 0
  modifies a, b
  ensures a[0] == 1 && b[0] == 2
{
  a[0] := 1;
  b[0] := 2;
}
"""


def test_arrays_are_references_and_the_run_changes_them() -> None:
    a, b = make_array([0]), make_array([0])
    assert run(SET_BOTH, "SetBoth", a=a, b=b).outcome is Outcome.OK
    assert (a.elements, b.elements) == ([1], [2])


def test_one_array_given_twice_is_aliased() -> None:
    shared = make_array([0])
    result = run(SET_BOTH, "SetBoth", a=shared, b=shared)
    assert violated(result) == (ObligationKind.POSTCONDITION, 6, 1)
    assert result.violation is not None and result.violation.description == "a[0] == 1"
    assert shared.elements == [2]


def test_an_alias_of_a_modifiable_array_may_be_written() -> None:
    text = "method W(a: array<int>, b: array<int>)\n  requires b.Length > 0\n  modifies a\n{\n  b[0] := 1;\n}"
    shared = make_array([0])
    assert run(text, "W", a=shared, b=shared).outcome is Outcome.OK
    assert violated(run(text, "W", a=make_array([0]), b=make_array([0])))[:2] == (ObligationKind.MODIFIES, 5)


def test_array_equality_is_identity() -> None:
    text = "method M(a: array<int>, b: array<int>) returns (same: bool) { same := a == b; }"
    shared = make_array([1])
    assert run(text, "M", a=shared, b=shared).returns["same"] is True
    assert run(text, "M", a=make_array([1]), b=make_array([1])).returns["same"] is False


def test_old_is_the_contents_at_each_method_entry() -> None:
    text = """
method Inc(a: array<int>)
  requires a.Length > 0
  modifies a
  ensures a[0] == old(a[0]) + 1
{
  a[0] := a[0] + 1;
}

method Outer(a: array<int>)
  requires a.Length > 1
  modifies a
  ensures a[0] == 6 && old(a[0]) == 1
  ensures a[1..] == old(a[1..])
  ensures multiset(a[..]) != multiset(old(a[..]))
{
  a[0] := 5;
  Inc(a);
  assert old(a[0]) == 1 && a[0] == 6;
}
"""
    a = make_array([1, 9])
    assert run(text, "Outer", a=a).outcome is Outcome.OK
    assert a.elements == [6, 9]


def test_fresh_is_allocated_since_the_method_began() -> None:
    text = """
method Make(n: nat) returns (r: array<int>)
  ensures fresh(r) && r.Length == n
{
  r := new int[n];
}

method Same(a: array<int>) returns (r: array<int>)
  ensures fresh(r)
{
  r := a;
}

method Use() {
  var b := Make(2);
  b[0] := 7;
  assert b[..] == [7, 0];
}
"""
    assert run(text, "Use").outcome is Outcome.OK
    assert violated(run(text, "Same", a=make_array([1])))[0] is ObligationKind.POSTCONDITION


# ------------------------------------------------------------------ quantifiers

QUANTIFIERS = """
predicate Sorted(a: seq<int>)
{
  forall i, j :: 0 <= i < j < |a| ==> a[i] <= a[j]
}

method Check(s: seq<int>, x: int) returns (sorted: bool, found: bool, positive: bool, between: bool)
{
  sorted := Sorted(s);
  found := exists k :: 0 <= k < |s| && s[k] == x;
  positive := forall v :: v in s ==> v > 0;
  between := forall k :: x < k <= x + 2 ==> k % 3 != 0;
}
"""


@pytest.mark.parametrize(
    ("s", "x", "expected"),
    [
        ((1, 2, 2, 5), 2, (True, True, True, False)),
        ((3, 1), 4, (False, False, True, False)),
        ((), 0, (True, False, True, True)),
        ((0, 1), -3, (True, False, False, True)),
        ((2, 1), 0, (False, False, True, True)),
    ],
)
def test_quantifiers_range_over_the_bounds_in_their_body(s: tuple, x: int, expected: tuple) -> None:
    result = run(QUANTIFIERS, "Check", s=s, x=x)
    assert result.outcome is Outcome.OK, result.message
    assert tuple(result.returns.values()) == expected


def test_a_quantifier_without_bounds_cannot_be_evaluated() -> None:
    text = "method M(n: int)\n{\n  assert forall k :: k * k != n;\n}"
    result = run(text, "M", n=2)
    assert result.outcome is Outcome.CANNOT_EVALUATE and result.violation is None
    assert "line 3" in result.message and "'k'" in result.message
    assert result.span is not None and result.span.start_line == 3


def test_a_quantified_variable_bounded_by_another_takes_its_bound() -> None:
    text = "method M(n: nat) returns (c: bool)\n{\n  c := exists i, j :: 0 <= i && i < j && j < n && i + j == 5;\n}"
    assert run(text, "M", n=4).returns["c"] is True
    assert run(text, "M", n=3).returns["c"] is False


# ------------------------------------------------------------------ limits


def test_a_loop_that_never_ends_hits_the_step_limit_and_is_named() -> None:
    text = "method M() {\n  var x := 0;\n  while true\n  {\n    x := x + 1;\n  }\n}"
    result = run(text, "M", step_limit=1_000)
    assert result.outcome is Outcome.STEP_LIMIT
    assert result.message == "the loop at line 3 did not finish within 1,000 steps"
    assert result.steps == 1_001


def test_the_step_limit_names_the_inner_loop_that_never_ends() -> None:
    text = """method M(n: nat) {
  var i := 0;
  while i < n
  {
    var j := 0;
    while true
    {
      j := j + 1;
    }
    i := i + 1;
  }
}"""
    result = run(text, "M", step_limit=2_000, n=3)
    assert result.outcome is Outcome.STEP_LIMIT and "line 6" in result.message


def test_a_wrong_decreases_guess_is_a_violation_even_when_the_loop_ends() -> None:
    text = """method Countdown(n: nat) {
  var x, y := n, 0;
  while x > 0
  {
    if y == 0 {
      x, y := x - 1, 2;
    } else {
      y := y - 1;
    }
  }
}"""
    result = run(text, "Countdown", n=2)
    assert violated(result) == (ObligationKind.DECREASES, 3, 3)
    assert result.violation is not None and result.violation.message == LOOP_NEEDS_DECREASES


def test_broad_recursion_hits_the_step_limit_and_names_the_function() -> None:
    text = """function Leaves(n: nat, k: nat): nat
{
  if n == 0 then 1 else Leaves(n - 1, 2 * k) + Leaves(n - 1, 2 * k + 1)
}
method M() returns (x: nat) {
  x := Leaves(30, 0);
}"""
    result = run(text, "M", step_limit=20_000)
    assert result.outcome is Outcome.STEP_LIMIT
    assert result.message.startswith("the recursive calls of Leaves")


def test_deep_recursion_stops_cleanly() -> None:
    text = "function Sum(n: nat): nat\n{\n  if n == 0 then 0 else n + Sum(n - 1)\n}\nmethod M(n: nat) returns (s: nat) { s := Sum(n); }"
    assert run(text, "M", n=300).returns["s"] == 300 * 301 // 2
    result = run(text, "M", n=100_000)
    assert result.outcome is Outcome.TOO_DEEP and "Sum" in result.message
    recursive_method = "method R(n: nat) returns (r: nat) { if n > 0 { r := R(n - 1); } }"
    assert run(recursive_method, "R", n=50_000).outcome is Outcome.TOO_DEEP


# ------------------------------------------------------------------ methods, returns, lemmas


def test_multiple_returns_and_simultaneous_assignment() -> None:
    text = """
method DivMod(a: nat, b: int) returns (q: nat, r: nat)
  requires b > 0
  ensures a == q * b + r && r < b
{
  q, r := 0, a;
  while r >= b
    invariant a == q * b + r
  {
    q, r := q + 1, r - b;
  }
}

method Test() returns (x: int, y: int)
{
  var q, r := DivMod(17, 5);
  x, y := r, q;
  x, y := y, x;
}
"""
    assert dict(run(text, "DivMod", a=17, b=5).returns) == {"q": 3, "r": 2}
    assert dict(run(text, "Test").returns) == {"x": 3, "y": 2}


LEMMAS = """
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumFormula(n: nat)
  ensures 2 * Sum(n) == n * (n + 1)
{
  if n > 0 {
    SumFormula(n - 1);
  }
}

lemma Wrong(n: nat)
  ensures Sum(n) < 10
{
}

method Use(n: nat) returns (s: nat)
  ensures s == Sum(n)
{
  SumFormula(n);
  Wrong(n);
  s := n * (n + 1) / 2;
}
"""


def test_lemmas_run_as_code_and_their_ensures_are_checked() -> None:
    assert run(LEMMAS, "SumFormula", n=6).outcome is Outcome.OK
    assert run(LEMMAS, "Use", n=3).outcome is Outcome.OK
    result = run(LEMMAS, "Use", n=4)
    assert violated(result) == (ObligationKind.POSTCONDITION, 17, 1)
    assert result.violation is not None and result.violation.owner == "Wrong"


def test_a_function_postcondition_is_checked_where_the_verifier_checks_it() -> None:
    text = "function Half(n: nat): nat\n  ensures Half(n) * 2 == n\n{\n  n / 2\n}\nmethod M(n: nat) { var h := Half(n); }"
    assert run(text, "M", n=4).outcome is Outcome.OK
    assert violated(run(text, "M", n=3)) == (ObligationKind.POSTCONDITION, 1, 10)


def test_the_trace_shows_each_statement_with_the_variables_after_it() -> None:
    result = run("method M(x: int) returns (y: int)\n{\n  var t := x + 1;\n  y := t * 2;\n}", "M", x=3)
    texts = [(step.span.start_line, step.text, dict(step.variables)) for step in result.trace]
    assert texts == [
        (3, "var t := x + 1;", {"x": "3", "y": "0", "t": "4"}),
        (4, "y := t * 2;", {"x": "3", "y": "8", "t": "4"}),
    ]


def test_the_trace_shows_arrays_as_they_were_at_each_step() -> None:
    text = "method M(a: array<int>)\n  requires a.Length == 2\n  modifies a\n{\n  a[0] := 5;\n  a[1] := 6;\n}"
    result = run(text, "M", a=make_array([0, 0]))
    assert [dict(step.variables)["a"] for step in result.trace] == ["[5, 0]", "[5, 6]"]


def test_bad_arguments_raise_value_errors() -> None:
    program = checked("method M(x: int, a: array<int>) { }")
    with pytest.raises(ValueError, match="no value given for 'a'"):
        run_method(program, "M", {"x": 1})
    with pytest.raises(ValueError, match="must be an int"):
        run_method(program, "M", {"x": True, "a": make_array([])})
    with pytest.raises(ValueError, match="no method or lemma named 'N'"):
        run_method(program, "N", {})
    assert isinstance(make_array([1]), ArrayValue)


# ------------------------------------------------------------------ loop tables

SUM_LOOP = """method SumTo(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i * (i + 1) / 2
  {
    i := i + 1;
    s := s + i;
  }
}
"""


def test_a_loop_table_with_a_correct_invariant() -> None:
    table = loop_table(checked(SUM_LOOP), "SumTo", {"n": 4})
    assert table.loop_line == 6 and table.columns == ("n", "s", "i")
    assert [(row.iteration, row.values) for row in table.rows] == [
        (0, ("4", "0", "0")),
        (1, ("4", "1", "1")),
        (2, ("4", "3", "2")),
        (3, ("4", "6", "3")),
        (4, ("4", "10", "4")),
    ]
    assert all(row.invariants == ("true", "true") for row in table.rows)
    assert [row.decreases for row in table.rows] == ["4", "3", "2", "1", "0"]
    assert table.first_violation is None and table.outcome is Outcome.OK
    assert table.invariant_texts == ("0 <= i <= n", "s == i * (i + 1) / 2")


def test_a_loop_table_marks_the_first_false_invariant() -> None:
    wrong = SUM_LOOP.replace("s := s + i;", "s := s + i + 1;")
    table = loop_table(checked(wrong), "SumTo", {"n": 4}, 6, source=SourceFile("t.dfy", wrong))
    assert table.first_violation == (1, 1)
    assert [row.invariants for row in table.rows] == [("true", "true"), ("true", "false")]
    assert table.outcome is Outcome.VIOLATION
    text = table.to_text()
    assert "false*" in text and "invariant 2 is first false at iteration 1" in text


def test_a_loop_table_chooses_small_inputs_from_the_precondition() -> None:
    text = SUM_LOOP.replace(
        "method SumTo(n: nat) returns (s: int)", "method SumTo(n: nat) returns (s: int)\n  requires n > 3"
    )
    table = loop_table(checked(text), "SumTo", None)
    assert table.inputs_chosen and table.inputs == (("n", "4"),)
    assert "chosen automatically" in table.to_text()
    assert choose_inputs(checked("method M(a: array<int>) requires a.Length == 0 { }"), "M") is not None


def test_a_loop_table_shows_cannot_evaluate() -> None:
    text = "method M(n: nat)\n{\n  var i := 0;\n  while i < n\n    invariant forall k :: k * k >= 0\n  {\n    i := i + 1;\n  }\n}"
    table = loop_table(checked(text), "M", {"n": 1})
    assert table.rows[0].invariants == ("cannot evaluate",)
    assert table.outcome is Outcome.CANNOT_EVALUATE


def test_a_loop_table_finds_a_loop_by_its_id_when_two_share_a_line() -> None:
    text = (
        "method M(n: nat)\n{\n  var i := 0; var j := 0;\n"
        "  while i < n { i := i + 1; } while j < 2 * n { j := j + 1; }\n}"
    )
    program = checked(text)
    method = program.decl("M")
    assert isinstance(method, ast.Method)
    second = [stmt for stmt in method.body.stmts if isinstance(stmt, ast.While)][1]
    by_line = loop_table(program, "M", {"n": 1}, 4)
    by_id = loop_table(program, "M", {"n": 1}, loop_id=second.nid)
    assert by_line.condition == "i < n" and len(by_line.rows) == 2
    assert by_id.condition == "j < 2 * n" and len(by_id.rows) == 3


def test_a_loop_table_refuses_a_line_without_a_loop() -> None:
    with pytest.raises(ValueError, match="no loop at line 3"):
        loop_table(checked(SUM_LOOP), "SumTo", {"n": 1}, 3)


# ------------------------------------------------------------------ datatypes

DATATYPES = """datatype List<T> = Nil | Cons(head: T, tail: List<T>)
datatype Tree = Leaf | Node(Tree, int, Tree)
datatype Color = Red | Green | Blue

function Length<T>(l: List<T>): nat
{
  match l
  case Nil => 0
  case Cons(_, rest) => 1 + Length(rest)
}

function Second(l: List<int>): int
{
  match l
  case Cons(_, Cons(y, _)) => y
  case _ => -1
}

method Build(n: nat) returns (l: List<int>, t: Tree, c: Color)
{
  l := Nil;
  var i := 0;
  while i < n
    decreases n - i
  {
    l := Cons(i, l);
    i := i + 1;
  }
  t := Node(Leaf, n, Node(Leaf, 2, Leaf));
  c := if n > 0 then Red else Blue;
}

method Inspect(l: List<int>) returns (h: int, empty: bool, second: int, same: bool)
{
  empty := l.Nil?;
  second := Second(l);
  same := l == Cons(1, Cons(2, Nil));
  h := l.head;
}

method Describe(t: Tree) returns (d: int)
{
  match t {
    case Leaf =>
      d := 0;
    case Node(Leaf, k, _) =>
      d := k;
    case Node(Node(_, k, _), _, r) =>
      d := 100 + k;
  }
}

method OnlyCons(l: List<int>) returns (x: int)
{
  match l {
    case Cons(y, _) =>
      x := y;
  }
}

function OnlyConsExpr(l: List<int>): int
{
  match l
  case Cons(y, _) => y
}

method CallOnlyConsExpr(l: List<int>) returns (x: int)
{
  x := OnlyConsExpr(l);
}
"""

NIL = DataValue("List", "Nil")
LEAF = DataValue("Tree", "Leaf")


def cons(*items: object) -> DataValue:
    value = NIL
    for item in reversed(items):
        value = DataValue("List", "Cons", (item, value))
    return value


def node(left: DataValue, key: int, right: DataValue) -> DataValue:
    return DataValue("Tree", "Node", (left, key, right))


def shown_returns(result: RunResult) -> dict[str, str]:
    assert result.outcome is Outcome.OK, result.message
    return {name: show_value(value) for name, value in result.returns.items()}


def test_datatype_values_are_built_and_shown_as_dafny_writes_them() -> None:
    assert shown_returns(run(DATATYPES, "Build", n=2)) == {
        "l": "Cons(1, Cons(0, Nil))",
        "t": "Node(Leaf, 2, Node(Leaf, 2, Leaf))",
        "c": "Red",
    }
    assert show_value(node(LEAF, 3, LEAF)) == "Node(Leaf, 3, Leaf)"
    assert show_value(cons(cons(-1), NIL)) == "Cons(Cons(-1, Nil), Cons(Nil, Nil))"
    assert show_value(frozenset({DataValue("Color", "Red"), DataValue("Color", "Blue")})) == "{Blue, Red}"
    assert show_value(cons(*range(2_000))).endswith("…" + ")" * 1_000)


def test_datatype_values_are_equal_by_constructor_and_arguments() -> None:
    assert cons(1, 2) == cons(1, 2) and hash(cons(1, 2)) == hash(cons(1, 2))
    assert cons(1, 2) != cons(2, 1) and cons(1) != DataValue("Other", "Cons", (1, NIL))
    assert len({cons(1), cons(1), NIL}) == 2
    long = cons(*range(100_000))  # compared and hashed without recursion
    assert long == cons(*range(100_000)) and long != cons(*range(99_999), 0)
    assert (cons(1, 2).height, cons(1, 2).size, node(node(LEAF, 1, LEAF), 2, LEAF).height) == (3, 3, 3)


def test_destructors_discriminators_and_equality() -> None:
    assert shown_returns(run(DATATYPES, "Inspect", l=cons(1, 2))) == {
        "h": "1",
        "empty": "false",
        "second": "2",
        "same": "true",
    }
    assert shown_returns(run(DATATYPES, "Inspect", l=cons(1, 3)))["same"] == "false"


def test_a_destructor_of_the_wrong_constructor_is_a_violation_where_the_verifier_reports_it() -> None:
    result = run(DATATYPES, "Inspect", l=NIL)
    assert violated(result) == (ObligationKind.DESTRUCTOR, 38, 10)
    assert result.violation is not None
    assert (
        result.violation.message
        == "destructor 'head' can only be applied to datatype values constructed by 'Cons'"
    )
    assert result.violation.detail.startswith("`l` is Nil, and 'head' exists only for 'Cons' (with l = Nil")


def test_match_runs_the_first_case_that_matches_with_nested_patterns() -> None:
    assert dict(run(DATATYPES, "Describe", t=LEAF).returns) == {"d": 0}
    assert dict(run(DATATYPES, "Describe", t=node(LEAF, 3, node(LEAF, 9, LEAF))).returns) == {"d": 3}
    result = run(DATATYPES, "Describe", t=node(node(LEAF, 7, LEAF), 3, LEAF))
    assert dict(result.returns) == {"d": 107}
    case, body = result.trace
    assert (case.span.start_line, case.text) == (48, "case Node(Node(_, k, _), _, r) =>")
    assert dict(case.variables) == {
        "t": "Node(Node(Leaf, 7, Leaf), 3, Leaf)",
        "d": "0",
        "k": "7",
        "r": "Leaf",
    }
    assert (body.text, dict(body.variables)["d"]) == ("d := 100 + k;", "107")
    assert shown_returns(run(DATATYPES, "Inspect", l=cons(5)))["second"] == "-1"  # the `_` case


def test_a_match_without_a_matching_case_is_a_violation() -> None:
    result = run(DATATYPES, "OnlyCons", l=NIL)
    assert violated(result) == (ObligationKind.MATCH_COMPLETE, 55, 3)
    assert result.violation is not None and result.violation.message == "missing case in match statement: Nil"
    assert "no case of the match matches the value Nil of `l`" in result.violation.detail
    assert dict(run(DATATYPES, "OnlyCons", l=cons(4)).returns) == {"x": 4}
    result = run(DATATYPES, "CallOnlyConsExpr", l=NIL)
    assert violated(result) == (ObligationKind.MATCH_COMPLETE, 63, 3)
    assert (
        result.violation is not None and result.violation.message == "missing case in match expression: Nil"
    )


TREE_RECURSION = """datatype Tree = Leaf | Node(left: Tree, key: int, right: Tree)
datatype List = Nil | Cons(head: int, tail: List)

function Size(t: Tree): nat
{
  match t
  case Leaf => 0
  case Node(l, _, r) => Size(l) + 1 + Size(r)
}

function Spin(t: Tree): int
{
  match t
  case Leaf => 0
  case Node(l, _, _) => Spin(Node(l, 0, Leaf))
}

method Count(t: Tree) returns (n: int)
{
  n := Size(t) + Spin(Leaf);
}

method Loop(t: Tree) returns (n: int)
{
  n := Spin(t);
}

method Walk(l: List, advance: bool) returns (s: int)
{
  s := 0;
  var cur := l;
  while cur.Cons?
    invariant s >= 0
    decreases cur
  {
    s := s + 1;
    if advance {
      cur := cur.tail;
    }
  }
}
"""


def test_termination_is_structural_for_datatype_values() -> None:
    tree = node(node(LEAF, 1, LEAF), 2, node(LEAF, 3, node(LEAF, 4, LEAF)))
    assert dict(run(TREE_RECURSION, "Count", t=tree).returns) == {"n": 4}
    result = run(TREE_RECURSION, "Loop", t=node(LEAF, 1, LEAF))
    assert violated(result) == (ObligationKind.TERMINATION, 15, 25)
    assert result.violation is not None and "Node(Leaf, 0, Leaf)" in result.violation.detail
    assert dict(run(TREE_RECURSION, "Walk", l=cons(5, 6), advance=True).returns) == {"s": 2}
    # a loop that makes no progress fails its `decreases`, checked before its invariants
    assert violated(run(TREE_RECURSION, "Walk", l=cons(5), advance=False))[:2] == (
        ObligationKind.DECREASES,
        32,
    )


def test_deep_datatype_values_stay_within_the_limits() -> None:
    text = (
        DATATYPES
        + """
method Long(n: nat) returns (k: nat, same: bool)
{
  var l := Nil;
  var m := Nil;
  var i := 0;
  while i < n
  {
    l := Cons(i, l);
    m := Cons(i, m);
    i := i + 1;
  }
  same := l == m;
  k := Length(l);
}"""
    )
    assert shown_returns(run(text, "Long", n=50)) == {"k": "50", "same": "true"}
    deep = run(text, "Long", n=1_500)
    assert deep.outcome is Outcome.TOO_DEEP and "Length" in deep.message
    assert any("…" in value for step in deep.trace for _, value in step.variables)
    assert run(text, "Long", step_limit=2_000, n=5_000).outcome is Outcome.STEP_LIMIT


def test_datatype_variables_start_at_a_constructor_that_needs_no_recursion() -> None:
    text = (
        DATATYPES
        + """
datatype Pair = MakePair(left: Tree, color: Color)
method Fresh() returns (l: List<int>, p: Pair)
{
}"""
    )
    assert shown_returns(run(text, "Fresh")) == {"l": "Nil", "p": "MakePair(Leaf, Red)"}


def test_datatype_literals_and_chosen_inputs() -> None:
    program = checked(DATATYPES)
    datatypes = program.program.datatypes()
    list_of_ints = Type("List", (INT,))
    assert parse_literal("Cons(1, Cons(2, Nil))", list_of_ints, "l", datatypes) == cons(1, 2)
    assert parse_literal("Nil", list_of_ints, "l", datatypes) == NIL
    assert parse_literal("Node(Leaf, 3, Leaf)", Type("Tree"), "t", datatypes) == node(LEAF, 3, LEAF)
    with pytest.raises(LiteralError, match="expected a value of type Tree, but this is of type Color"):
        parse_literal("Red", Type("Tree"), "t", datatypes)
    with pytest.raises(LiteralError, match="this has no value"):
        parse_literal("Nil.head", INT, "x", datatypes)
    text = DATATYPES + "method Pick(l: List<int>, t: Tree) requires Length(l) == 2 && t.Node? { }"
    chosen = choose_inputs(checked(text), "Pick")
    assert chosen is not None
    assert show_value(chosen["l"]).count("Cons") == 2 and show_value(chosen["t"]).startswith("Node(")


def test_a_loop_inside_a_match_case_has_a_table() -> None:
    text = (
        DATATYPES
        + """
method Repeat(t: Tree) returns (s: int)
{
  match t {
    case Leaf =>
      s := 0;
    case Node(_, k, _) =>
      s := 0;
      var i := 0;
      while i < k
        invariant s == 2 * i
      {
        s := s + 2;
        i := i + 1;
      }
  }
}"""
    )
    table = loop_table(checked(text), "Repeat", {"t": node(LEAF, 3, LEAF)})
    assert table.loop_line == 80 and len(table.rows) == 4 and table.outcome is Outcome.OK


def test_datatype_expressions_are_printed_back_when_the_source_is_not_at_hand() -> None:
    text = (
        DATATYPES
        + """
method Show(t: Tree) returns (b: bool)
{
  match t {
    case Node(Leaf, _, r) =>
      b := r.Node? && (match r case Node(_, k, _) => k case Leaf => 0) == 1;
    case _ =>
      b := t == Node(Leaf, 1, Leaf);
  }
}"""
    )
    result = run_method(checked(text), "Show", {"t": node(LEAF, 0, LEAF)})
    assert [step.text for step in result.trace] == [
        "case Node(Leaf, _, r) =>",
        "b := r.Node? && (match r case Node(_, k, _) => k case Leaf => 0) == 1;",
    ]
    result = run_method(checked(text), "Show", {"t": LEAF})
    assert [step.text for step in result.trace] == ["case _ =>", "b := t == Node(Leaf, 1, Leaf);"]


def test_the_run_command_takes_datatype_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "list.dfy"
    program.write_text(
        DATATYPES + "method Sum(l: List<int>) returns (s: int) { s := Length(l) + Second(l); }\n"
    )
    code, out = command(["run", str(program), "--method", "Sum", "--args", "Cons(1, Cons(2, Nil))"], capsys)
    assert code == 0 and "Running Sum(l = Cons(1, Cons(2, Nil)))" in out and "s = 4" in out
    code, out = command(["run", str(program), "--method", "Sum", "--args", "Cons(true, Nil)"], capsys)
    assert code == 2 and "l is a List<int>: write e.g. 'Cons(3, Cons(3, Nil))'" in out
    code, out = command(["run", str(program), "--method", "Sum"], capsys)
    assert code == 0 and "(inputs chosen automatically)" in out


# ------------------------------------------------------------------ literals and the command


def test_literals_are_parsed_and_checked_against_the_parameter_type() -> None:
    assert parse_literal("-2", INT) == -2
    assert parse_literal("[1, 2]", Type("seq", (INT,))) == (1, 2)
    assert show_value(parse_literal("[3, 1]", Type("array", (INT,)))) == "[3, 1]"
    assert parse_literal("{2, 1}", Type("set", (INT,))) == frozenset({1, 2})
    assert parse_literal("multiset{1, 1}", Type("multiset", (INT,))) == Multiset([1, 1])
    with pytest.raises(LiteralError) as caught:
        parse_literal("[1, true]", Type("seq", (INT,)))
    assert caught.value.problem.span.start_col == 5
    with pytest.raises(LiteralError, match="expected a value of type int"):
        parse_literal("[1]", INT)


def command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run_command(build_parser().parse_args(argv))
    return code, capsys.readouterr().out


def test_the_run_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "sum.dfy"
    program.write_text(SUM_LOOP)
    code, out = command(["run", str(program), "--method", "SumTo", "--args", "4"], capsys)
    assert code == 0 and "s = 10" in out

    program.write_text(SUM_LOOP.replace("s := s + i;", "s := s + i + 1;"))
    code, out = command(["run", str(program), "--args", "4"], capsys)
    assert code == 1
    assert f"{program}(8,17): Error: This loop invariant might not be maintained by the loop." in out

    code, out = command(["run", str(program), "--args", "4", "--table"], capsys)
    assert code == 1 and "false*" in out

    code, out = command(["run", str(program), "--args", "-1"], capsys)
    assert code == 2 and "Invalid input" in out


def test_the_run_command_reports_a_bad_literal_with_its_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "first.dfy"
    program.write_text("method First(s: seq<int>) returns (x: int) requires |s| > 0 { x := s[0]; }")
    code, out = command(["run", str(program), "--args", "[1, 2"], capsys)
    assert code == 2
    assert "argument 1 (s), line 1, column 5: Error:" in out  # under its last token, `2`
    code, out = command(["run", str(program), "--args", "[4, 2]"], capsys)
    assert code == 0 and "x = 4" in out


def test_the_run_command_prints_parse_errors_as_verify_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "broken.dfy"
    program.write_text("method M() {\n  var x := ;\n}\n")
    code, out = command(["run", str(program), "--method", "M"], capsys)
    assert code == 2
    assert out.startswith(f"{program}(2,12): Error:")
    assert "1 parse/type error detected" in out


# ------------------------------------------------------------------ proof statements

PROOF_RUN = """lemma L(n: int) ensures n + 0 == n { }
method M(n: int) returns (r: int) {
  calc { n; { L(n); } n + 0; < n + 1; }
  forall i: int | 0 <= i < n ensures i + 0 == i { L(i); }
  assert n + 0 == n by { L(n); }
  r := n;
  assert r > 2 by { L(r); }
}"""


def test_proof_statements_are_ghost_at_run_time_except_the_asserted_fact() -> None:
    assert run(PROOF_RUN, "M", n=5).outcome is Outcome.OK
    result = run(PROOF_RUN, "M", n=1)
    assert violated(result) == (ObligationKind.ASSERTION, 7, 12)
    shown = [step.text for step in result.trace]
    assert "calc { ... }" in shown and "forall i | 0 <= i < n" in shown


UNBOUNDED = """predicate Even(a: int) { exists b :: a == 2 * b }
predicate AllBelow(a: int) { forall b :: b < a }
method M(n: int) requires Even(n) { }
method N(n: int) requires AllBelow(n) { }
"""


def test_a_quantifier_without_a_range_is_decided_only_by_a_small_witness_or_counterexample() -> None:
    assert run(UNBOUNDED, "M", n=6).outcome is Outcome.OK  # b = 3 is a witness
    assert run(UNBOUNDED, "N", n=6).outcome is Outcome.INVALID_INPUT  # b = 6 is a counterexample
    unknown = run(UNBOUNDED, "M", n=7)  # no witness exists; none found is not a verdict
    assert unknown.outcome is Outcome.CANNOT_EVALUATE and "no range found for 'b'" in unknown.message
