"""Counterexample traces, read off real Z3 models: their shape and the values they show."""

from __future__ import annotations

from kernel_ext import verify
from kernel_ext.explain.counterexample import ANY_VALUE, Trace
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import Type
from kernel_ext.report import ObligationResult
from kernel_ext.run import DataValue
from kernel_ext.run.literals import parse_literal
from tests.support import conformance_dir


def failures(text: str) -> list[ObligationResult]:
    report = verify(text, "t.dfy")
    assert not report.diagnostics, report.diagnostics
    assert report.errors, "the program was expected to fail"
    return list(report.errors)


def trace_of(text: str) -> Trace:
    trace = failures(text)[0].trace
    assert trace is not None
    return trace


def values(bindings) -> dict[str, str]:
    return {b.name: b.text for b in bindings}


def test_a_straight_line_failure_shows_the_only_inputs_that_fail() -> None:
    trace = trace_of("method M(x: int) { var y := x * 2; assert y != 6; }")
    assert values(trace.inputs) == {"x": "3"}
    assert [(s.line, s.kind.value) for s in trace.steps] == [(1, "step")]
    assert values(trace.steps[0].values) == {"x": "3", "y": "6"}


def test_the_branch_taken_is_a_step() -> None:
    text = """method M(x: int) returns (y: int)
      ensures y == 1
    {
      if x > 0 {
        y := 1;
      } else {
        y := 2;
      }
    }"""
    trace = trace_of(text)
    assert int(values(trace.inputs)["x"]) <= 0
    kinds = [(s.line, s.kind.value) for s in trace.steps]
    assert (4, "else") in kinds and (7, "step") in kinds
    assert (4, "then") not in kinds and (5, "step") not in kinds
    assert values(trace.steps[-1].values)["y"] == "2"


SUM = """method Sum(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i * (i + 1) / 2 + {extra}
  {
    i := i + 1;
    s := s + i;
  }
}"""


def test_a_loop_shows_its_head_and_an_arbitrary_iteration() -> None:
    # With `+ 0` the invariant is right; weakened to `s >= 0` it no longer carries the proof.
    text = SUM.replace("s == i * (i + 1) / 2 + {extra}", "s >= 0")
    post = next(ob for ob in failures(text) if ob.kind.id == "postcondition")
    assert post.trace is not None
    kinds = [s.kind.value for s in post.trace.steps]
    assert kinds[-3:] == ["loop-head", "loop-exit", "return"]
    head = values(post.trace.steps[-2].values)
    assert head["i"] == values(post.trace.inputs)["n"]  # the loop ended: i == n


def test_an_entry_failure_stops_before_the_loop() -> None:
    text = SUM.replace("{extra}", "1")
    entry = next(ob for ob in failures(text) if ob.kind.id == "invariant-entry")
    assert entry.trace is not None
    assert entry.trace.steps[-1].line == 5


def test_a_failure_inside_the_loop_goes_through_an_iteration() -> None:
    text = SUM.replace("{extra}", "0").replace("i := i + 1;\n    s := s + i;", "s := s + i;\n    i := i + 1;")
    maintained = next(ob for ob in failures(text) if ob.kind.id == "invariant-maintained")
    assert maintained.trace is not None
    kinds = [(s.line, s.kind.value) for s in maintained.trace.steps]
    assert kinds[-4:] == [(6, "loop-head"), (6, "iteration"), (10, "step"), (11, "step")]
    before, after = (values(s.values) for s in maintained.trace.steps[-3:-1])
    assert int(after["s"]) == int(before["s"]) + int(before["i"])


def test_a_call_step_shows_the_callee_result() -> None:
    text = """method Inc(x: int) returns (y: int)
      ensures y > x
    {
      y := x + 1;
    }

    method M() {
      var r := Inc(3);
      assert r == 4;
    }"""
    bad = next(ob for ob in failures(text) if ob.owner == "M")
    assert bad.trace is not None
    call = bad.trace.steps[-1]
    assert call.kind.value == "call" and call.line == 8
    assert int(values(call.values)["r"]) > 4


def test_arrays_show_contents_and_length_and_inputs_are_small() -> None:
    text = """method M(a: array<int>)
      requires a.Length > 2
    {
      assert a[0] <= a[1];
    }"""
    shown = values(trace_of(text).inputs)["a"]
    contents, _, length = shown.partition(" (Length ")
    items = [int(x) for x in contents.strip("[]").split(", ")]
    assert 2 < len(items) == int(length.rstrip(")")) <= 6
    assert items[0] > items[1] and all(-10 <= x <= 10 for x in items)


def test_sequences_are_shown_as_displays() -> None:
    trace = trace_of("method M(s: seq<int>) requires |s| == 2 { assert s[0] != s[1]; }")
    s = values(trace.inputs)["s"]
    first, second = s.strip("[]").split(", ")
    assert first == second


def test_unconstrained_inputs_are_any_value() -> None:
    trace = trace_of("method M(x: int, y: int) { assert x > 0; }")
    assert values(trace.inputs)["y"] == ANY_VALUE


def test_the_json_result_carries_the_trace() -> None:
    report = verify("method M(x: int) { var y := x * 2; assert y != 6; }", "t.dfy")
    error = report.to_json()["errors"][0]
    trace = error["trace"]
    assert trace["inputs"] == [{"name": "x", "value": "3"}]
    assert trace["steps"][0]["line"] == 1 and {"name": "y", "value": "6"} in trace["steps"][0]["values"]
    assert trace["replay"]["verdict"] in ("confirmed", "not-reproduced", "not-run")


# ------------------------------------------------------------------ datatypes

TREE = "datatype Tree = Leaf | Node(left: Tree, key: int, right: Tree)\n"


def tree_value(text: str, program: str = TREE) -> DataValue:
    datatypes = resolve(parse(SourceFile("t.dfy", program))).program.datatypes()
    value = parse_literal(text, Type("Tree"), "t", datatypes)
    assert isinstance(value, DataValue)
    return value


def test_a_destructor_failure_shows_the_value_of_the_wrong_constructor() -> None:
    text = (conformance_dir() / "l3_list_sum_bad_no_requires.dfy").read_text()
    errors = failures(text)
    assert [ob.kind.id for ob in errors] == ["destructor", "match-complete"]
    for ob in errors:
        assert ob.trace is not None and values(ob.trace.inputs) == {"l": "Nil"}
    missing = errors[1].trace
    assert missing is not None and missing.replay is not None and missing.replay.verdict.value == "confirmed"
    trace = trace_of(
        "datatype List = Nil | Cons(head: int, tail: List)\n"
        "method First(l: List) returns (h: int) {\n  h := l.head;\n}\n"
    )
    assert values(trace.inputs) == {"l": "Nil"}
    assert trace.replay is not None and trace.replay.verdict.value == "confirmed"


def test_a_buggy_tree_function_shows_a_tree() -> None:
    text = (
        TREE
        + """function Size(t: Tree): nat
{
  match t
  case Leaf => 0
  case Node(l, _, r) => Size(l) + Size(r)
}

method Check(t: Tree)
  requires t != Leaf
{
  assert Size(t) > 0;
}"""
    )
    trace = trace_of(text)
    shown = values(trace.inputs)["t"]
    assert tree_value(shown, text).ctor == "Node" and shown.startswith("Node(")
    assert trace.replay is not None and trace.replay.verdict.value == "confirmed"


def test_the_case_a_match_statement_takes_is_a_step_with_its_bound_variables() -> None:
    text = (
        TREE
        + """method Key(t: Tree) returns (m: int)
  ensures m < 10
{
  match t {
    case Leaf =>
      m := 0;
    case Node(l, k, r) =>
      m := k;
  }
}"""
    )
    trace = trace_of(text)
    cases = [step for step in trace.steps if step.kind.value == "case"]
    assert [(step.line, step.text) for step in cases] == [(8, "case Node(l, k, r) =>")]
    shown = values(cases[0].values)
    assert int(shown["k"]) >= 10
    assert tree_value(shown["t"]).args[1] == int(shown["k"])
    assert values(trace.steps[-1].values)["m"] == shown["k"]
    assert trace.replay is not None and trace.replay.verdict.value == "confirmed"


def test_a_value_the_program_fixed_is_shown_even_where_the_proof_does_not_need_it() -> None:
    text = """method Sum(n: nat) returns (s: int)
{
  s := 0;
  var i := 0;
  while i < n
    invariant i < n
  {
    i := i + 1;
    s := s + i;
  }
}"""
    entry, maintained = (failure.trace for failure in failures(text))
    assert entry is not None and maintained is not None
    assert [values(step.values)["s"] for step in entry.steps] == ["0", "0"]
    after_head = [values(step.values)["s"] for step in maintained.steps]
    # `s` is set to 0, then the loop head stands for any number of iterations: any `s`
    assert after_head[:2] == ["0", "0"] and after_head[2:] == [ANY_VALUE] * (len(after_head) - 2)


def test_a_pattern_variable_agrees_with_the_value_it_is_taken_from() -> None:
    text = """datatype List = Nil | Cons(head: int, tail: List)

method Second(xs: List) returns (r: int)
  ensures r > 0
{
  match xs {
    case Nil => r := 1;
    case Cons(h, tail) =>
      r := h;
  }
}"""
    trace = trace_of(text)
    for step in trace.steps:
        shown = values(step.values)
        assert shown["xs"] == f"Cons({shown['h']}, {shown['tail']})", shown


def test_a_literal_the_proof_does_not_need_is_shown_as_written() -> None:
    # `n := 1` is marked as a literal (`$lit(1)`); the failing assertion does not mention n,
    # so the model says nothing of the mark and used to read it as 0
    text = """datatype List = Nil | Cons(head: int, tail: List)

method First(xs: List) returns (n: int)
{
  match xs
  case Nil => n := 0;
  case Cons(head, tail) =>
    n := 1;
    assert head > 0;
}"""
    trace = trace_of(text)
    assignment = next(step for step in trace.steps if step.text == "n := 1;")
    assert values(assignment.values)["n"] == "1"
    assert values(assignment.values)["xs"] == f"Cons({values(assignment.values)['head']}, Nil)"


def test_a_function_value_the_task_cannot_compute_is_not_made_up() -> None:
    # Twice's definition is not part of the failing check's task: its value there is no
    # number the model knows, and completing it would show a wrong one
    text = """function Twice(x: int): int { 2 * x }

method M(x: int) {
  var y := Twice(x) + 1;
  assert x > 0;
}"""
    trace = trace_of(text)
    shown = values(trace.steps[0].values)
    x = int(shown["x"])
    assert shown["y"] in (ANY_VALUE, str(2 * x + 1)), shown


def test_an_array_update_the_proof_does_not_need_is_shown() -> None:
    trace = trace_of("method M(x: int) {\n  var a := new int[3];\n  a[0] := 7;\n  assert x > 0;\n}")
    update = next(step for step in trace.steps if step.text == "a[0] := 7;")
    assert values(update.values)["a"].startswith("[7, "), values(update.values)


def test_a_branch_taken_on_a_boolean_input_is_a_step_of_the_trace() -> None:
    # `if c` is reached under the input c alone, which no definition of the task names
    text = """method Pick(x: int, c: bool) returns (y: int)
  ensures y > x
{
  var z := x + 1;
  if c {
    return;
  }
  y := z;
}"""
    (ob,) = failures(text)
    assert ob.trace is not None
    steps = [(step.line, step.kind.value) for step in ob.trace.steps]
    assert steps == [(4, "step"), (5, "then"), (2, "return")], steps
    assert values(ob.trace.steps[-1].values)["c"] == "true"


def test_a_sequence_the_proof_does_not_need_is_never_shown_wrong() -> None:
    # The model's default for the sequence functions is not bound by their axioms: read
    # through it, `[4, 5]` was shown as [1]
    text = """method M() {
  var s := [1, 2, 3];
  var t := [4, 5];
  assert s[0] == 1 && s[3] == 3;
}"""
    (ob,) = failures(text)
    assert ob.trace is not None
    shown = values(ob.trace.steps[-1].values)
    assert shown["s"] == "[1, 2, 3]"
    assert shown["t"] in ("[4, 5]", ANY_VALUE), shown


def test_the_branch_taken_is_a_step_when_code_after_the_if_joins_the_branches() -> None:
    # after the join the proof reads `fee` through `weight > 10 ? ... : ...` and needs no
    # branch's reach: the trace still shows the condition and the assignment taken
    text = """method Fee(weight: int) returns (fee: int)
  requires weight >= 0
  ensures fee >= 20
{
  if weight > 10 {
    fee := 2 * weight;
  } else {
    fee := 15;
  }
  assert fee > 0;
}"""
    (ob,) = failures(text)
    assert ob.trace is not None
    steps = [(step.line, step.kind.value) for step in ob.trace.steps]
    assert steps == [(5, "else"), (8, "step"), (10, "step"), (3, "return")], steps
    assert values(ob.trace.steps[1].values)["fee"] == "15"
