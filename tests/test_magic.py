"""`%%verify` through a real IPython shell: cells as one program, the cell's own line numbers,
options, and readable output (never a traceback, never stderr) for every kind of bad input."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from kernel_ext.present.widget import REPORT_MIMETYPE


@pytest.fixture
def shell() -> InteractiveShell:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "kernel_ext")
    ip.run_line_magic("reload_ext", "kernel_ext")  # a fresh notebook program for each test
    yield ip
    InteractiveShell.clear_instance()


def run(shell: InteractiveShell, cell: str, line: str = "") -> tuple[dict | None, str, str]:
    with capture_output() as captured:
        shell.run_cell_magic("verify", line, cell)
    reports = [out.data[REPORT_MIMETYPE] for out in captured.outputs if REPORT_MIMETYPE in out.data]
    return (reports[0] if reports else None), captured.stdout, captured.stderr


ABS = (
    "method Abs(x: int) returns (y: int)\n  ensures y >= 0\n{\n  if x < 0 { y := -x; } else { y := x; }\n}\n"
)


def test_a_verified_cell(shell) -> None:
    report, _, err = run(shell, ABS)
    assert report is not None and report["verified"] and not err


def test_line_numbers_are_the_cells_own_counting_the_magic_line(shell) -> None:
    report, _, _ = run(shell, "method M(x: int) {\n  assert x > 0;\n}\n")
    assert report is not None
    assert [e["line"] for e in report["errors"]] == [3]  # line 1 is `%%verify`


def test_later_cells_see_earlier_declarations(shell) -> None:
    run(shell, ABS)
    report, _, _ = run(shell, "method Use() {\n  var a := Abs(-3);\n  assert a >= 0;\n}\n")
    assert report is not None and report["verified"]
    assert {ob["owner"] for ob in report["obligations"]} == {"Use"}


def test_a_comment_in_an_earlier_cell_ends_at_its_line(shell) -> None:
    run(
        shell,
        "method Count(n: nat) returns (c: nat)\n  ensures c == n\n{\n  c := 0;\n  while c < n\n"
        "    // the invariant\n    invariant c <= n\n  {\n    c := c + 1;\n  }\n}\n",
    )
    report, _, _ = run(shell, "method Use() {\n  var c := Count(3);\n  assert c == 3;\n}\n")
    assert report is not None and report["verified"] and not report["diagnostics"]


def test_a_redefinition_replaces_and_dependents_are_rechecked(shell) -> None:
    run(shell, ABS)
    run(shell, "method Use() {\n  var a := Abs(-3);\n  assert a >= 0;\n}\n")
    weaker = "method Abs(x: int) returns (y: int)\n{\n  y := x;\n}\n"
    report, out, _ = run(shell, weaker)
    assert report is not None and report["verified"]
    assert "Declarations of earlier cells that no longer verify: Use" in out


def test_parse_errors_are_shown_with_their_position(shell) -> None:
    report, out, err = run(shell, "method Broken( {\n}\n")
    assert report is not None and report["diagnostics"]
    assert report["diagnostics"][0]["line"] == 2 and not err and "Traceback" not in out


def test_bad_options_are_explained(shell) -> None:
    report, out, err = run(shell, ABS, "--rlimit")
    assert report is None and "--rlimit" in out and not err


def test_method_option_and_run_option(shell) -> None:
    report, out, _ = run(shell, ABS + "method Bad() { assert false; }\n", '--method Abs --run "Abs(-4)"')
    assert report is not None and report["verified"]
    assert "Abs(-4) returned y = 4" in out


def test_run_main_shows_what_it_printed(shell) -> None:
    cell = (
        'method Main() {\n  for i := 0 to 3 {\n    print i, " ";\n  }\n'
        '  var a := new int[2];\n  forall k | 0 <= k < a.Length { a[k] := 7; }\n  print "a = ", a[..], "\\n";\n}\n'
    )
    report, out, err = run(shell, cell, '--run "Main()"')
    assert report is not None and report["verified"] and not err
    assert "0 1 2 a = [7, 7]\nMain() finished" in out


def test_a_solver_limit_is_reported_not_raised(shell) -> None:
    report, _, err = run(
        shell, "method M(x: int, y: int, z: int) { assert x * y * z == z * y * x + 0; }", "--rlimit 1"
    )
    assert report is not None and report["errors"][0]["status"] == "unknown" and not err


def test_a_five_thousand_line_cell_ends_with_a_readable_result(shell) -> None:
    body = "\n".join(f"  x := x + {i % 7};" for i in range(5000))
    report, _, err = run(shell, f"method Big() {{\n  var x := 0;\n{body}\n  assert x >= 0;\n}}\n")
    assert report is not None and report["verified"] and not err


def test_rerunning_an_unchanged_cell_reuses_the_result(shell) -> None:
    first, _, _ = run(shell, ABS)
    second, _, _ = run(shell, ABS)
    assert first == second


def html_of(shell: InteractiveShell, cell: str, line: str = "") -> str:
    with capture_output() as captured:
        shell.run_cell_magic("verify", line, cell)
    return "".join(out.data.get("text/html", "") for out in captured.outputs)


def test_trace_option_opens_every_failure(shell) -> None:
    failing = "method M(x: int) {\n  assert x > 0;\n}\n"
    closed, opened = html_of(shell, failing), html_of(shell, failing, "--trace")
    assert "<details " in closed and "<details open " not in closed
    assert "<details open " in opened and "inputs" in opened.lower()


def test_no_widget_prints_the_text_form_only(shell) -> None:
    with capture_output() as captured:
        shell.run_cell_magic("verify", "--no-widget", "method M(x: int) {\n  assert x > 0;\n}\n")
    assert not captured.outputs
    assert "line 3" in captured.stdout and "failed" in captured.stdout and not captured.stderr


def test_the_output_is_the_live_widget_with_the_static_forms_and_the_cells_loops(shell) -> None:
    sum_cell = (
        "method SumTo(n: nat) returns (s: int)\n  ensures s == n * (n + 1) / 2\n{\n  s := 0;\n  var i := 0;\n"
        "  while i < n\n    invariant 0 <= i <= n\n    invariant s == i * (i + 1) / 2\n  {\n"
        "    i := i + 1;\n    s := s + i;\n  }\n}\n"
    )
    with capture_output() as captured:
        shell.run_cell_magic("verify", "", sum_cell)
    (output,) = captured.outputs
    assert {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"} <= output.data.keys()
    assert "SumTo, loop at line 7: while i < n" in output.data["text/plain"]
    assert "iter | n | s | i" in output.data["text/plain"]


def test_nbgraders_stub_is_not_attempted_not_an_error(shell) -> None:
    report, out, err = run(shell, "method M() {\n  // YOUR CODE HERE\n  raise NotImplementedError()\n}\n")
    assert report is None and not err
    assert "Not attempted yet" in out


def test_while_grading_the_view_is_static(shell, monkeypatch) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with capture_output() as captured:
        shell.run_cell_magic("verify", "", ABS)
    (output,) = captured.outputs
    assert "application/vnd.jupyter.widget-view+json" not in output.data
    assert "Abs: " in output.data["text/plain"] and "<div" in output.data["text/html"]


def test_the_run_option_takes_datatype_arguments(shell) -> None:
    cell = (
        "datatype Tree = Leaf | Node(left: Tree, key: int, right: Tree)\n"
        "function Size(t: Tree): nat\n{\n  match t\n  case Leaf => 0\n  case Node(l, _, r) => Size(l) + 1 + Size(r)\n}\n"
        "method Count(t: Tree) returns (n: nat)\n  ensures n == Size(t)\n{\n  n := Size(t);\n}\n"
    )
    report, out, err = run(shell, cell, '--method Count --run "Count(Node(Leaf, 3, Node(Leaf, 4, Leaf)))"')
    assert report is not None and report["verified"] and not err
    assert "Count(Node(Leaf, 3, Node(Leaf, 4, Leaf))) returned n = 2" in out


def test_modules_across_cells(shell) -> None:
    lists = (
        "module Lists {\n  datatype List = Nil | Cons(head: int, tail: List)\n"
        "  function Length(xs: List): nat {\n    match xs\n    case Nil => 0\n"
        "    case Cons(_, t) => 1 + Length(t)\n  }\n}\n"
    )
    run(shell, lists)
    use = (
        "module Use {\n  import opened Lists\n  method Count(xs: List) returns (n: nat)\n"
        "    ensures n == Length(xs)\n  {\n    n := Length(xs);\n  }\n}\n"
    )
    report, out, err = run(shell, use, '--run "Use.Count(Cons(1, Lists.Nil))"')
    assert report is not None and report["verified"] and not err
    assert {ob["owner"] for ob in report["obligations"]} == {"Use.Count"}
    assert "Use.Count(Cons(1, Lists.Nil)) returned n = 1" in out
    again, _, _ = run(shell, lists.replace("1 + Length(t)", "2 + Length(t)"))  # the module replaced whole
    assert again is not None and again["verified"]
    _, out, _ = run(shell, use, '--run "Count(Nil)"')
    assert "there is no method named 'Count' (in a module: Use.Count)" in out


def test_a_cell_that_assumes_is_verified_assuming_its_own_assumed_lines(shell) -> None:
    run(shell, "method Other(x: int) {\n  assume x > 1;\n}\n")  # an earlier cell's assume is not this cell's
    cell = "method Half(x: int) returns (y: int)\n  ensures y >= 0\n{\n  assume x >= 0;\n  y := x / 2;\n}\n"
    with capture_output() as captured:
        shell.run_cell_magic("verify", "", cell)
    (output,) = captured.outputs
    report = output.data[REPORT_MIMETYPE]
    assert report["verdict"] == "verified-assuming" and report["verified"]
    assert [(a["line"], a["text"]) for a in report["assumptions"]] == [(5, "x >= 0")]
    assert all(ob["success"] for ob in report["obligations"])
    assert "⚠ verified assuming line 5 (x >= 0)" in output.data["text/plain"]
    assert 'data-verdict="verified-assuming"' in output.data["text/html"]


def test_a_missing_semicolon_underlines_the_last_token_of_its_line(shell) -> None:
    with capture_output() as captured:
        shell.run_cell_magic(
            "verify", "", "method M(x: int) returns (y: int)\n{\n  y := x + 1\n  y := y;\n}\n"
        )
    (output,) = captured.outputs
    report = output.data[REPORT_MIMETYPE]
    (diagnostic,) = report["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"]) == (4, 12)  # `1`, the last token of `  y := x + 1`
    assert 'wavy rgba(220,0,0,.9)">1</span>' in output.data["text/html"]
    assert "4 |   y := x + 1\n" in output.data["text/plain"]
    assert "|            ^\n" in output.data["text/plain"]


THREE_TYPE_ERRORS = (
    "method M(x: int) returns (y: int)\n{\n  var a: bool := 1;\n  var b := a && true;\n"
    "  y := unknown;\n}\nfunction F(n: int): bool { n + 1 }\n"
)


def test_every_type_error_of_a_cell_is_shown_not_only_the_first(shell) -> None:
    with capture_output() as captured:
        shell.run_cell_magic("verify", "", THREE_TYPE_ERRORS)
    (output,) = captured.outputs
    lines = [d["line"] for d in output.data[REPORT_MIMETYPE]["diagnostics"]]
    assert lines == [4, 6, 8]  # `a` keeps its declared type: its use on line 5 is no error
    for line in lines:
        assert f"line {line}, column" in output.data["text/plain"]
        assert f"line {line}, column" in output.data["text/html"]
    assert "unknown identifier 'a'" not in output.data["text/plain"]


def test_a_failing_return_path_is_said_in_words_with_the_false_ensures_and_the_return_step(shell) -> None:
    cell = (
        "method Max(a: int, b: int) returns (m: int)\n  ensures m >= a\n  ensures m > b\n{\n"
        "  if a >= b {\n    m := a;\n  } else {\n    m := b;\n  }\n}\n"
    )
    with capture_output() as captured:
        shell.run_cell_magic("verify", "", cell)
    (output,) = captured.outputs
    report = output.data[REPORT_MIMETYPE]
    assert sorted(e["line"] for e in report["errors"]) == [6, 8]  # Dafny's return path tokens
    then = next(e for e in report["errors"] if e["line"] == 6)
    assert then["path"] == "when Max returns after the then branch of the if on line 6 (line 7)"
    last = then["trace"]["steps"][-1]
    assert (last["kind"], last["line"]) == ("return", 4)  # the false `ensures`, with its values
    shown = {v["name"]: int(v["value"]) for v in last["values"]}
    assert shown["m"] <= shown["b"], shown  # `m > b` is false for the values shown there
    for form in (output.data["text/plain"], output.data["text/html"]):
        assert "returns after the then branch of the if on line 6 (line 7)" in form
        assert "[postcondition at line 4]" in form and "checked at line 3, then known" in form
