"""A postcondition's return path, said in words: the report keeps Dafny's position of it."""

from __future__ import annotations

import pytest

from kernel_ext import verify
from kernel_ext.obligations import ObligationKind

MAX = """method Max(a: int, b: int) returns (m: int)
  ensures m > a
{
  if a >= b {
    m := a;
  } else {
    m := b;
  }
}"""

PATHS = {
    "then and else": (
        MAX,
        {
            (4, "when Max returns after the then branch of the if on line 4 (line 5)"),
            (6, "when Max returns after the else branch of the if on line 4 (line 7)"),
        },
    ),
    "end of the body": (
        "method Inc(x: int) returns (y: int)\n  ensures y > x + 1\n{\n  y := x + 1;\n}",
        {(3, "when Inc returns at the end of its body (line 5)")},
    ),
    "an if without else": (
        "method Pos(x: int) returns (y: int)\n  ensures y > 1\n{\n  y := x;\n  if y <= 0 {\n    y := 1;\n  }\n}",
        {(5, "when Pos returns after the then branch of the if on line 5 (line 6)")}
        | {(5, "when Pos returns when the condition of the if on line 5 is false")},
    ),
    "a return": (
        "method R(x: int) returns (y: int)\n  ensures y > 0\n{\n  y := x;\n  return;\n}",
        {(5, "when R returns at the return on line 5")},
    ),
    "a case": (
        "datatype L = N | C(h: int, t: L)\nmethod H(l: L) returns (y: int)\n  ensures y > 0\n{\n"
        "  match l {\n    case N => y := 1;\n    case C(h, t) => y := h;\n  }\n}",
        {(7, "when H returns after the case on line 7 (line 7)")},
    ),
    "a loop at the end": (
        "method W(n: nat) returns (i: int)\n  ensures i == n + 1\n{\n  i := 0;\n  while i < n\n"
        "    invariant i <= n\n  {\n    i := i + 1;\n  }\n}",
        {(5, "when W returns after the loop on line 5")},
    ),
}


@pytest.mark.parametrize("name", PATHS, ids=list(PATHS))
def test_each_return_path_is_said_in_words(name: str) -> None:
    text, expected = PATHS[name]
    report = verify(text, "t.dfy")
    failed = {
        (ob.span.start_line, ob.path) for ob in report.errors if ob.kind == ObligationKind.POSTCONDITION
    }
    assert failed and failed <= expected, failed


def test_the_trace_ends_where_the_method_returns_with_the_false_postcondition() -> None:
    report = verify(MAX, "t.dfy")
    for ob in report.errors:
        assert ob.trace is not None
        last = ob.trace.steps[-1]
        assert (last.kind.value, last.line, last.text) == ("return", 2, "ensures m > a")
        assert dict((b.name, b.text) for b in last.values) == dict(
            (b.name, b.text) for b in ob.trace.steps[-2].values
        )
        assert ob.to_json()["path"] == ob.path


def test_the_vc_names_the_ensures_line_and_the_row_the_return_path() -> None:
    from kernel_ext.present.html import goal_label, row_wording

    (ob, *_) = verify(MAX, "t.dfy").errors
    assert goal_label(ob) == "postcondition at line 2"
    assert row_wording(ob) == (
        "A postcondition might not hold when Max returns after the then branch of the if on line 4 (line 5)."
    )
