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


TWO_ENSURES = MAX.replace("  ensures m > a\n", "  ensures m >= a\n  ensures m > b\n")  # `if` on line 5


def test_an_earlier_postcondition_known_in_the_vc_is_named_by_its_ensures_line() -> None:
    from kernel_ext.present.html import obligation_vc

    (ob, *_) = verify(TWO_ENSURES, "t.dfy").errors
    vc = obligation_vc(ob)
    assert "checked at line 2, then known" in vc and "[postcondition at line 3]" in vc
    assert "checked at line 5" not in vc, vc  # the return path's position, Dafny's


def test_the_views_show_the_false_ensures_first_then_the_return_path() -> None:
    from kernel_ext.lang.source import SourceFile
    from kernel_ext.present.views import ReportView

    report = verify(TWO_ENSURES, "t.dfy")
    view = ReportView(report, SourceFile("t.dfy", TWO_ENSURES))
    for form in (view.to_text(), view.to_html()):
        ensures = form.index("line 3: This is the postcondition that might not hold.")
        path = form.index("line 5: the return path, when Max returns after the then branch")
        assert ensures < path
