"""Input Dafny accepts and MiniDafny now does too: a byte-order mark, `;` after clauses (a
warning), a `|` before the first constructor, qualified and shared constructor names, and
the exhaustiveness of a datatype's constructors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel_ext import verify
from kernel_ext.cli import main
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DEPRECATED_SEMICOLON, DiagnosticError, Severity
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.pipeline import Options
from kernel_ext.present.magic import NotebookProgram
from kernel_ext.present.text import dafny_lines
from kernel_ext.present.views import ReportView
from kernel_ext.present.widget import report_payload
from kernel_ext.run.interp import Outcome, run_method
from kernel_ext.run.values import DataValue, show_value

BOM = "\ufeff"
FAILING = "method M() { assert 1 == 2; }\n"
DATATYPES = "datatype A = Leaf | NodeA(a: int)\ndatatype B = Leaf | NodeB(b: int)\n"


def error_positions(text: str) -> list[tuple[int, int]]:
    return [(ob.span.start_line, ob.span.start_col) for ob in verify(text).errors]


def type_errors(text: str) -> list[str]:
    with pytest.raises(DiagnosticError) as caught:
        resolve(parse(SourceFile("t.dfy", text)))
    return [d.message for d in caught.value.diagnostics]


# ------------------------------------------------------------ byte-order mark


def test_a_byte_order_mark_is_skipped_and_column_one_follows_it() -> None:
    assert error_positions(BOM + FAILING) == error_positions(FAILING) == [(1, 23)]


def test_the_cli_reads_a_file_with_a_byte_order_mark(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bom.dfy"
    path.write_bytes(BOM.encode() + FAILING.encode())
    assert main(["verify", str(path)]) == 1
    assert f"{path}(1,23): Error: assertion might not hold" in capsys.readouterr().out


def test_a_cell_with_a_byte_order_mark_keeps_its_positions() -> None:
    cell = "\n" + BOM + FAILING  # as `%%verify` numbers a cell: its magic line is line 1
    report = NotebookProgram().check(cell, Options(), {"M"})
    assert [(ob.span.start_line, ob.span.start_col) for ob in report.errors] == [(2, 23)]
    assert "assert 1 == 2" in ReportView(report, SourceFile("cell", cell)).to_text()


# ------------------------------------------------------------ `;` after clauses

SEMICOLONS = """method M(x: int) returns (y: int)
  requires x > 0;
  ensures y > 0;
{
  y := x;
}
"""


def test_a_semicolon_after_a_clause_is_a_warning_not_an_error() -> None:
    report = verify(SEMICOLONS, "m.dfy")
    assert report.verified and report.exit_code == 0 and not report.diagnostics
    assert [(w.span.start_line, w.span.start_col) for w in report.warnings] == [(2, 17), (3, 16)]
    assert all(w.code == DEPRECATED_SEMICOLON and w.severity == Severity.WARNING for w in report.warnings)
    assert dafny_lines(report)[0] == "m.dfy(2,17): Warning: deprecated style: a semi-colon is not needed here"


def test_warnings_are_in_the_json_and_the_views() -> None:
    report = verify(SEMICOLONS, "m.dfy")
    data = json.loads(json.dumps(report.to_json()))
    assert data["verified"] is True and data["diagnostics"] == [] and data["errors"] == []
    assert [(w["line"], w["column"], w["code"]) for w in data["warnings"]] == [
        (2, 17, "W001"),
        (3, 16, "W001"),
    ]
    view = ReportView(report, SourceFile("m.dfy", SEMICOLONS))
    assert "warning W001: deprecated style" in view.to_text()
    assert "warning W001: deprecated style" in view.to_html()
    payload = report_payload(report, SourceFile("m.dfy", SEMICOLONS))
    assert [w["line"] for w in payload["warnings"]] == [2, 3] and payload["diagnostics"] == []


def test_warnings_are_kept_beside_a_type_error() -> None:
    report = verify("method M() requires true; { var x: bool := 1; }")
    assert report.diagnostics and len(report.warnings) == 1


def test_the_spec_clause_span_ends_before_the_semicolon() -> None:
    method = parse(SourceFile("t", SEMICOLONS)).methods()[0]
    assert method.requires[0].span.end_col == 17  # `x > 0` ends at column 16; the `;` is at 17


# ------------------------------------------------------------ datatypes


def test_a_bar_may_stand_before_the_first_constructor() -> None:
    program = parse(SourceFile("t", "datatype C =\n  | Red\n  | Green\n"))
    assert [ctor.name for ctor in program.datatypes()[0].ctors] == ["Red", "Green"]


@pytest.mark.parametrize(
    "expr",
    ["List.Cons(1, List.Nil)", "List<int>.Cons(1, List<int>.Nil)", "Cons(1, Nil)", "List<int>.Cons(1, Nil)"],
)
def test_qualified_constructors_build_the_same_value(expr: str) -> None:
    text = f"datatype List<T> = Nil | Cons(head: T, tail: List<T>)\nmethod M() {{ assert {expr} == Cons(1, Nil); }}"
    assert verify(text).verified


def test_a_comparison_is_not_read_as_a_qualifier() -> None:
    assert verify("method M(a: int, b: int) { var c := a<b && b>a; assert c ==> a<b; }").verified


def test_a_shared_constructor_name_must_be_qualified() -> None:
    [message] = type_errors(DATATYPES + "method M() { var x: A := Leaf; }")
    assert message.startswith("the name 'Leaf' denotes a datatype constructor, but does not do so uniquely")


def test_a_shared_constructor_name_is_told_apart_by_the_matched_type() -> None:
    text = (
        DATATYPES
        + "method M(x: B) returns (r: bool) { match x { case Leaf => r := true; case NodeB(_) => r := x.Leaf?; } }"
    )
    assert verify(text).verified


def test_the_same_constructor_twice_in_one_datatype_is_an_error() -> None:
    assert type_errors("datatype D = A | B | A\n") == ["duplicate declaration of 'A'"]


def test_a_qualifier_must_name_a_datatype_with_that_constructor() -> None:
    assert type_errors("datatype C = Red\nmethod M() { var c := C.Blue; }") == [
        "member 'Blue' does not exist in type 'C'"
    ]
    assert type_errors("datatype C = Red\nmethod M() { var c := D.Red(); }") == [
        "unresolved identifier: D"
    ]  # Dafny's words
    assert type_errors("datatype C = Red\nmethod M(c: C) { var d := c.Red(); }") == [
        "calling `.Red(...)` on a value is not part of MiniDafny"
    ]


def test_qualified_constructors_run_in_the_interpreter() -> None:
    text = DATATYPES + "method M() returns (r: B) { r := B.NodeB(A.NodeA(2).a); }"
    checked = resolve(parse(SourceFile("t", text)))
    result = run_method(checked, "M", {})
    assert result.outcome == Outcome.OK
    assert show_value(result.returns["r"]) == "NodeB(2)"


def test_an_explicit_instance_checks_the_arguments_against_it() -> None:
    text = "datatype List<T> = Nil | Cons(head: T, tail: List<T>)\nmethod M() { var x := List<nat>.Cons(-1, List.Nil); }"
    [error] = verify(text).errors
    assert error.kind.id == "subset-type"


def test_every_value_is_built_by_one_of_its_constructors() -> None:
    color = "datatype Color = Red | Green | Blue\n"
    assert verify(color + "method M(c: Color) { assert c != Red && c != Green ==> c == Blue; }").verified
    assert not verify(color + "method M(c: Color) { assert c != Red ==> c == Blue; }").verified


def test_a_constructor_named_like_its_datatype() -> None:
    program = resolve(parse(SourceFile("t", "datatype D = D(x: int)\nmethod M() { var d := D.D(1); }")))
    assert isinstance(program.program.decls[0], ast.Datatype)


# ------------------------------------------------------------ subset types at the branch

BRANCHES = """datatype Opt = None | Some(v: int)
method M(b: bool, c: bool) returns (r: nat)
{
  r := if b then 1
       else if c then 2
       else
         -3;
}
method N(o: Opt) returns (r: nat)
{
  r := match o
       case None => 0
       case Some(x) =>
         x;
}
"""


def test_a_subset_error_is_reported_at_the_branch_that_gives_the_value() -> None:
    assert error_positions(BRANCHES) == [(7, 10), (14, 10)]


@pytest.mark.parametrize(
    "method,args,line",
    [("M", {"b": False, "c": False}, 7), ("N", {"o": DataValue("Opt", "Some", (-1,))}, 14)],
)
def test_the_interpreter_reports_the_same_branch(method: str, args: dict, line: int) -> None:
    result = run_method(resolve(parse(SourceFile("t", BRANCHES))), method, args)
    assert result.outcome == Outcome.VIOLATION and result.violation is not None
    assert (result.violation.span.start_line, result.violation.span.start_col) == (line, 10)
