"""`for` loops, forall statements that assign array elements, `print`, and `Main` as the
method `minidafny run` starts with: parsed, resolved, verified and run."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel_ext import verify
from kernel_ext.cli import main
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.obligations import ObligationKind
from kernel_ext.present.magic import run_call
from kernel_ext.run import Outcome, make_array, run_method


def checked(text: str) -> CheckedProgram:
    return resolve(parse(SourceFile("t.dfy", text)))


def errors(text: str) -> list[str]:
    with pytest.raises(DiagnosticError) as caught:
        checked(text)
    return [d.message for d in caught.value.diagnostics]


# ------------------------------------------------------------------ for loops


def test_a_for_loop_is_a_while_loop_with_an_index_and_hidden_bounds() -> None:
    method = checked("method M(n: int) { for i := 0 to n + 1 { } for j: int := n downto 0 { } }").decl("M")
    up, down = method.body.stmts  # type: ignore[union-attr]
    assert isinstance(up, ast.ForLoop) and isinstance(up, ast.While) and not up.downto
    assert isinstance(down, ast.ForLoop) and down.downto
    assert [var.name for var in up.bounds] == ["i.lo", "i.hi"]
    assert isinstance(up.cond, ast.Binary) and up.cond.op == "!="
    assert up.cond.right.uid == up.bounds[1].uid  # type: ignore[attr-defined]
    assert down.cond.right.uid == down.bounds[0].uid  # type: ignore[attr-defined]
    assert down.lo is down.end and down.hi is down.start


def test_to_and_downto_are_contextual_keywords() -> None:
    checked("method M() { var to := 1; var downto := to; for i := to to downto { } }")
    assert errors("method M() { for i := 0 upto 3 { } }") == ["expected `to` or `downto` in a for loop"]


def test_the_index_is_read_only_and_local_and_the_loop_takes_no_decreases() -> None:
    assert errors("method M() { for i := 0 to 3 { i := 2; } }") == [
        "LHS of assignment must denote a mutable variable"
    ]
    assert errors("method M() returns (r: int) { for i := 0 to 3 { } r := i; }") == ["unknown identifier 'i'"]
    assert errors("method M() { for i := 0 to 3 decreases 3 - i { } }") == [
        "a for loop with an end bound takes no decreases clause: it is known to terminate"
    ]
    assert errors("method M() { for i: nat := 0 to 3 { } }") == [
        "a for-loop index of a type other than int is not part of MiniDafny"
    ]


@pytest.mark.parametrize(
    "header, seen",
    [("0 to 4", [0, 1, 2, 3]), ("4 downto 0", [3, 2, 1, 0]), ("2 to 2", []), ("-1 to 1", [-1, 0])],
)
def test_the_index_runs_from_lo_up_to_but_not_including_hi(header: str, seen: list[int]) -> None:
    program = checked(f'method Main() {{ for i := {header} {{ print i, ","; }} }}')
    result = run_method(program, "Main", {})
    assert result.outcome is Outcome.OK
    assert result.output == "".join(f"{i}," for i in seen)


def test_bounds_are_evaluated_once_and_lo_above_hi_is_a_violation() -> None:
    program = checked(
        "method M(n: int) returns (c: int) { var m := n; c := 0; for i := 0 to m { m := m + 1; c := c + 1; } }"
    )
    assert run_method(program, "M", {"n": 3}).returns["c"] == 3
    result = run_method(program, "M", {"n": -1})
    assert result.violation is not None and result.violation.kind is ObligationKind.FOR_RANGE
    assert result.violation.message == "lower bound must not exceed upper bound"


def test_the_verifier_checks_the_bounds_and_knows_the_index_range() -> None:
    bad = verify("method M(n: int) { for i := n to 3 { } }", "t.dfy")
    assert [ob.kind for ob in bad.errors] == [ObligationKind.FOR_RANGE]
    good = verify(
        "method M(a: array<int>) returns (s: int) { s := 0; for i := 0 to a.Length { s := s + a[i]; } }",
        "t.dfy",
    )
    assert good.verified
    wrong = verify(
        "method M(a: array<int>) returns (s: int) { s := 0; for i := a.Length downto 0 { s := a[i + 1]; } }",
        "t.dfy",
    )
    assert [ob.kind for ob in wrong.errors] == [ObligationKind.INDEX_RANGE]


def test_the_loop_table_shows_a_for_loop_by_its_header() -> None:
    from kernel_ext.run.loops import loop_table

    text = "method M(n: int) returns (s: int) requires n >= 0 { s := 0; for i := 0 to n invariant s == i { s := s + 1; } }"
    source = SourceFile("t.dfy", text)
    table = loop_table(resolve(parse(source)), "M", {"n": 2}, source=source)
    assert table.condition == "for i := 0 to n"
    assert table.decreases_text == "n - i (implicit)"
    assert table.columns == ("n", "s", "i")
    assert [row.values for row in table.rows] == [("2", "0", "0"), ("2", "1", "1"), ("2", "2", "2")]


# ------------------------------------------------------------------ forall updates


SHIFT = """
method Shift(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length - 1 ==> a[k] == old(a[k + 1])
{
  forall i | 0 <= i < a.Length - 1 { a[i] := a[i + 1]; }
}
"""


def test_a_forall_update_reads_the_state_before_it() -> None:
    assert verify(SHIFT, "t.dfy").verified
    array = make_array([1, 2, 3, 4])
    result = run_method(checked(SHIFT), "Shift", {"a": array})
    assert result.outcome is Outcome.OK and array.elements == [2, 3, 4, 4]


def test_a_forall_update_checks_every_index_and_the_frame() -> None:
    out_of_range = checked(
        "method Z(a: array<int>) modifies a { forall i | 0 <= i <= a.Length { a[i] := 0; } }"
    )
    array = make_array([5, 6])
    result = run_method(out_of_range, "Z", {"a": array})
    assert result.violation is not None and result.violation.kind is ObligationKind.INDEX_RANGE
    assert array.elements == [5, 6]  # nothing written before every check held
    frame = checked("method Z(a: array<int>) { forall i | 0 <= i < a.Length { a[i] := 0; } }")
    result = run_method(frame, "Z", {"a": make_array([1])})
    assert result.violation is not None and result.violation.kind is ObligationKind.MODIFIES


def test_other_forall_updates_are_refused() -> None:
    message = (
        "a forall statement that updates array elements other than `a[i]` for its one bound variable `i` "
        "is not part of MiniDafny"
    )
    assert errors("method Z(a: array<int>) modifies a { forall i | 0 <= i < 3 { a[i + 1] := 0; } }") == [
        message
    ]


# ------------------------------------------------------------------ print and Main


def test_print_writes_values_as_dafny_shows_them() -> None:
    program = checked(
        "datatype L = N | C(h: int, t: L)\n"
        'method Main() { print "x = ", 3, " ", [1, 2], " ", {2, 1}, " ", C(1, N), " ", true, "\\n\\t\\"q\\""; }'
    )
    assert run_method(program, "Main", {}).output == 'x = 3 [1, 2] {1, 2} C(1, N) true\n\t"q"'


def test_print_is_compiled_code_only() -> None:
    ghost = (
        "print statement is not allowed in this context (because this is a ghost method or because the "
        "statement is guarded by a specification-only expression)"
    )
    assert errors("lemma L() { print 1; }") == [ghost]
    assert errors("method M(ghost g: int) { print g; }") == [
        "ghost variables are allowed only in specification contexts"
    ]
    assert verify('method M() { print "hello"; }', "t.dfy").verified


def test_run_starts_with_main_and_shows_what_it_printed(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.dfy"
    path.write_text('method Other(x: int) { }\nmethod Main() { print "hi ", 1 + 1, "\\n"; }\n')
    assert main(["run", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["Running Main()", "hi 2"]
    path.write_text("method A() { }\nmethod B() { }\n")
    main(["run", str(path)])
    assert "there is no method Main: say which method to run with --method" in capsys.readouterr().out


def test_the_notebook_run_shows_the_output_before_the_result() -> None:
    program = checked('method Main() { print "sum: ", 1 + 2; }')
    assert run_call(program, "Main()") == "sum: 3\nMain() finished"
