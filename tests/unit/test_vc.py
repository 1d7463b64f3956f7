"""The VC view: the sequent is the proof task as a reader sees it, printed in readable math."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.present.vc import formula, sequent_names, vc_lines, vc_text
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.lower import lower
from kernel_ext.verify.smt import Limits, Status, check
from kernel_ext.verify.vcgen import ProofTask, generate
from tests.programs import SUM_OK
from tests.support import conformance_dir, load_conformance

GOLDEN = Path(__file__).parents[1] / "golden"
ENCODING_NAME = re.compile(r"\$\w+|\w+@\d+|\w+#\w*|\w+%\d+|\bq\.\w+")


def tasks_of(text: str) -> list[ProofTask]:
    source = SourceFile("t.dfy", text)
    return generate(lower(resolve(parse(source)), source))


def shown(task: ProofTask) -> str:
    assert task.sequent is not None
    return vc_text(vc_lines(task.sequent, task.obligation.kind.id))


def the_task(text: str, kind: str, line: int) -> ProofTask:
    found = [
        task
        for task in tasks_of(text)
        if task.obligation.kind.id == kind and task.obligation.span.start_line == line
    ]
    assert len(found) == 1, [
        (task.obligation.kind.id, task.obligation.span.start_line) for task in tasks_of(text)
    ]
    return found[0]


def test_a_maintained_invariant_shows_the_loop_head_the_iteration_and_the_assignments() -> None:
    text = shown(the_task(SUM_OK, "invariant-maintained", 8))
    assert "line 6: while i < n  (loop head, after any number of iterations)" in text
    assert "s₃ == (i₂ * (i₂ + 1)) / 2   [invariant, line 8: assumed at the loop head]" in text
    assert "i₂ < n   [loop condition, line 6: one more iteration]" in text
    iteration = text.split("(an arbitrary iteration starts)")[1].split("line 10")[0]
    assert "decreases₁ == n - i₂" in iteration  # the measure where the iteration starts
    after_increment = text.split("line 10: i := i + 1;")[1].split("line 11")[0]
    assert "i₃ == i₂ + 1" in after_increment
    *_, goal, note = text.splitlines()
    assert goal == "prove:  s₄ == (i₃ * (i₃ + 1)) / 2   [invariant-maintained]"
    assert note.startswith("note: decreases₁: the loop's decreases expression when the iteration starts")


def test_the_use_of_an_invariant_is_the_invariant_and_the_negated_condition() -> None:
    text = shown(the_task(SUM_OK, "postcondition", 6))
    assert "!(i₂ < n)   [loop condition, line 6: the loop ended]" in text
    assert "0 <= i₂ && i₂ <= n   [invariant, line 7: assumed at the loop head]" in text
    assert "i₃" not in text  # nothing of the loop body is known after the loop


def test_paths_that_join_are_shown_as_alternatives() -> None:
    program = (
        "method M(x: int) returns (y: int)\n  ensures y > 0\n{\n"
        "  if x > 0 { y := x; } else { y := 1 - x; }\n  y := y + 0;\n}\n"
    )
    task = the_task(program, "postcondition", 3)
    assert task.sequent is not None
    lines = vc_lines(task.sequent, "postcondition")
    assert [line.label for line in lines if line.role in ("paths", "path")] == [
        "one of 2 paths:",
        "path 1:",
        "path 2:",
    ]
    text = vc_text(lines)
    assert "x > 0   [if condition, line 4: then branch]" in text
    assert "!(x > 0)   [if condition, line 4: else branch]" in text
    assert "y₄ == y₂" in text and "y₄ == y₃" in text  # the value after the join, per path


def test_callee_contracts_are_assumed_after_the_call() -> None:
    program = (
        "method Inc(x: int) returns (y: int)\n  ensures y == x + 1\n{\n  y := x + 1;\n}\n"
        "method Use() {\n  var a := Inc(1);\n  assert a == 2;\n}\n"
    )
    text = shown(the_task(program, "assertion", 8))
    assert "[ensures of Inc, line 2: after the call]" in text


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (enc.seq_len(t.Var("s", t.seq_sort(t.INT))), "|s|"),
        (enc.nth(t.Var("s", t.seq_sort(t.INT)).at(2), t.variable("i#3", "i", t.INT).at(1)), "s₂[i₁]"),
        (enc.slice_of(t.Var("s", t.seq_sort(t.INT)), t.IntVal(1), t.Var("j", t.INT)), "s[..j][1..]"),
        (enc.length(t.Var("a", t.REF)), "a.Length"),
        (t.app(t.Op.SELECT, enc.contents(t.Var("a", t.REF), t.INT), t.Var("i", t.INT)), "a[i]"),
        (
            t.app(
                t.Op.SELECT,
                t.app(t.Op.SELECT, enc.heap(t.INT).at(2), t.Var("a", t.REF)),
                t.IntVal(0),
            ),
            "heap₂[a][0]",
        ),
        (enc.seq_contains(t.Var("s", t.seq_sort(t.INT)), t.IntVal(3)), "3 in s"),
        (t.implies(t.app(t.Op.LT, t.Var("x", t.INT), t.IntVal(0)), t.BoolVal(False)), "x < 0 ==> false"),
    ],
)
def test_formulas_read_as_minidafny(term: t.Term, expected: str) -> None:
    assert formula(term) == expected


def print_every_vc(programs: list[Path]) -> tuple[int, list[Path], list[str]]:
    """Print every VC of the programs: how many were printed, the programs that have none
    (rejected before verification), and each encoding name that leaked into a VC or name that
    two constants share."""
    printed, rejected, leaks = 0, [], []
    for path in programs:
        try:
            tasks = tasks_of(path.read_text())
        except DiagnosticError:
            rejected.append(path)
            continue
        for task in tasks:
            printed += 1
            line = task.obligation.span.start_line
            leaks += [f"{path.name}:{line}: {leak!r}" for leak in ENCODING_NAME.findall(shown(task))]
            assert task.sequent is not None
            names = sequent_names(task.sequent)
            if len(set(names.values())) < len(names):  # two constants under one name
                leaks.append(f"{path.name}:{line}: {sorted(names.values())}")
    return printed, rejected, leaks


def test_every_vc_of_every_golden_program_prints_without_encoding_names() -> None:
    programs = sorted(GOLDEN.glob("*/*.dfy"))
    printed, rejected, leaks = print_every_vc(programs)
    assert not leaks, leaks[:10]
    assert rejected == [path for path in programs if path.stem.endswith("_reject")]
    assert len(programs) - len(rejected) >= 250 and printed >= 2000, (len(programs), len(rejected), printed)


def test_every_vc_of_every_conformance_program_prints_without_encoding_names() -> None:
    programs = sorted(conformance_dir().glob("**/*.dfy"))
    printed, rejected, leaks = print_every_vc(programs)
    assert not leaks, leaks[:10]
    assert not rejected, [path.name for path in rejected]
    assert len(programs) >= 60 and printed >= 1000, (len(programs), printed)


def test_the_sequent_proves_exactly_what_the_task_proves() -> None:
    """The VC view hides nothing and adds nothing: the sequent's facts in place of the task's
    definitions and reachability give the same verdict, on every conformance program."""
    folder = conformance_dir()
    limits = Limits()
    mismatches = []
    programs = checked = 0
    for entry in load_conformance():
        programs += 1
        for task in tasks_of((folder / entry["file"]).read_text()):
            assert task.sequent is not None
            as_shown = dataclasses.replace(task, definitions=(), hypothesis=task.sequent.hypothesis)
            original, shown_status = check(task, limits).status, check(as_shown, limits).status
            checked += 1
            if original != shown_status and Status.UNKNOWN not in (original, shown_status):
                mismatches.append(
                    f"{entry['file']}:{task.obligation.span.start_line}: {original} vs {shown_status}"
                )
    assert programs >= 60 and checked >= 1000, (programs, checked)
    assert not mismatches, mismatches


LIST = "datatype List = Nil | Cons(head: int, tail: List)\n"


def test_a_match_case_reads_as_its_constructor_and_rank_is_explained_once() -> None:
    text = shown(
        the_task(
            LIST + "function Len(xs: List): nat {\n  match xs\n  case Nil => 0\n"
            "  case Cons(_, t) => 1 + Len(t)\n}\n",
            "termination",
            5,
        )
    )
    assert "prove:  xs.Cons? ==> rank(xs.tail) < rank(xs)" in text
    assert "Nil?" not in text
    notes = [line for line in text.splitlines() if line.startswith("note: ")]
    assert notes == [
        "note: rank(x) is the size of the datatype value x, how deeply its constructors nest: "
        "the datatype argument of a recursive call must be smaller"
    ]


def test_a_datatype_comparison_reads_as_written_and_the_decreases_value_is_explained() -> None:
    program = (
        LIST
        + "function Len(xs: List): nat {\n  match xs\n  case Nil => 0\n  case Cons(_, t) => 1 + Len(t)\n}\n"
        "method Count(xs: List) returns (n: int)\n{\n  n := 0;\n  var ys := xs;\n  while ys != Nil\n"
        "    decreases Len(ys)\n  {\n    n := n + 1;\n    ys := ys.tail;\n  }\n}\n"
    )
    text = shown(the_task(program, "decreases", 11))
    assert "ys₂ != Nil   [loop condition, line 11: one more iteration]" in text
    assert "tag" not in text
    assert "prove:  Len(ys₃) < decreases₁   [decreases]" in text
    assert "note: decreases₁: the loop's decreases expression when the iteration starts" in text


def test_the_arguments_of_calls_are_explained_by_the_parameter_they_are_passed_to() -> None:
    program = (
        "datatype Tree = Leaf | Node(left: Tree, right: Tree)\n"
        "method Size(t: Tree) returns (n: nat)\n{\n  match t\n  case Leaf => n := 0;\n"
        "  case Node(l, r) =>\n    var a := Size(l);\n    var b := Size(r);\n    n := a + b + 1;\n}\n"
    )
    text = shown(the_task(program, "termination", 8))
    assert "t₁ == l₁" in text and "t₂ == r₁" in text and "prove:  rank(t₂) < rank(t)" in text
    assert "note: t₁, t₂: what a call passes to its method's parameter t (each call its own)" in text
    assert "note: n₂: what a call's method returns in n (each call its own)" in text  # n₁: its own n


def test_the_bookkeeping_of_array_assignments_is_explained() -> None:
    program = (
        "method M(a: array<int>) returns (x: int, y: int)\n  requires a.Length > 0\n  modifies a\n"
        "  ensures a[0] == x\n{\n  a[0] := 1;\n  x, y := y, x;\n}\n"
    )
    text = shown(the_task(program, "postcondition", 5))
    notes = [line for line in text.splitlines() if line.startswith("note: ")]
    assert [note.split(":")[1].strip() for note in notes] == [
        "alloc",
        "array₁",
        "index₁",
        "oldalloc₁",
        "heap₁, heap",
        "rhs₁, rhs₂",
    ]
