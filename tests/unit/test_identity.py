"""Obligations, run-time violations, loop summaries, replays and grades refer to the program
by the identity of its nodes (the clause, its conjunct, the call or loop), never by line."""

from __future__ import annotations

import dataclasses

import pytest

from autograder import grading
from autograder.grading import Submission, grade
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import number, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.obligations import CheckSite, ObligationKind
from kernel_ext.pipeline import Options, verify
from kernel_ext.report import VerificationReport
from kernel_ext.results import ReplayVerdict
from kernel_ext.run.interp import Outcome, run_method
from kernel_ext.verify.smt import Status

TWO_INVARIANTS_ON_ONE_LINE = """method Count(n: nat) returns (i: int)
{
  i := 0;
  while i < n
    invariant 0 <= i invariant i == 1
  {
    i := i + 1;
  }
}"""

TWO_ASSERTS_ON_ONE_LINE = """method M(x: int)
  requires x > 2
{
  assert x > 0; assert x > 5;
}"""

# After the loop the invariants allow `i == n + 1`, so the first assertion fails in the
# verifier; a run never gets there, and fails the second assertion, on the same line.
AFTER_A_WEAK_LOOP = """method M(n: nat)
{
  var i := 0;
  while i < n
    invariant 0 <= i <= n + 1
  {
    i := i + 1;
  }
  assert i == n; assert i < 0;
}"""


def _resolved(text: str) -> ast.Program:
    return resolve(parse(SourceFile("t", text))).program


def _ids(program: ast.Program) -> list[ast.NodeId]:
    found: list[ast.NodeId] = []

    def visit(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                visit(item)
        elif dataclasses.is_dataclass(value) and type(value).__module__ == ast.__name__:
            nid = getattr(value, "nid", None)
            if nid is not None:
                found.append(nid)
            for item in dataclasses.fields(value):
                if item.name != "nid":
                    visit(getattr(value, item.name))

    visit(program)
    return found


# ------------------------------------------------------------------ ids


def test_every_clause_loop_procedure_and_call_has_a_unique_id_in_source_order() -> None:
    program = _resolved(
        """function F(x: int): int requires x >= 0 { x }
method M(n: nat) returns (r: int)
  requires n >= 0
  ensures r == n
{
  r := 0;
  while r < n invariant r <= n decreases n - r { r := r + F(r); }
  assert r == n; assert r >= 0;
}"""
    )
    ids = _ids(program)
    assert len(ids) == len(set(ids))
    method = program.decls[1]
    assert isinstance(method, ast.Method) and method.body is not None
    loop = method.body.stmts[1]
    assert isinstance(loop, ast.While) and loop.decreases is not None
    assert [str(i) for i in (method.nid, method.requires[0].nid, method.ensures[0].nid)] == [
        "M/procedure#0",
        "M/requires#0",
        "M/ensures#0",
    ]
    assert [str(i) for i in (loop.nid, loop.invariants[0].nid, loop.decreases.nid)] == [
        "M/loop#0",
        "M/invariant#0",
        "M/decreases#0",
    ]
    assert [str(stmt.nid) for stmt in method.body.stmts[2:]] == ["M/assert#0", "M/assert#1"]
    assert sum(1 for i in ids if i.role == ast.Role.CALL) == 1


def test_the_same_text_gets_the_same_ids_checked_or_only_parsed() -> None:
    text = TWO_ASSERTS_ON_ONE_LINE
    assert _ids(_resolved(text)) == _ids(_resolved(text))
    assert _ids(number(parse(SourceFile("t", text)))) == _ids(_resolved(text))


# ------------------------------------------------------------------ the loop view


def test_two_invariants_on_one_line_each_get_their_own_status() -> None:
    report = verify(TWO_INVARIANTS_ON_ONE_LINE, "t", Options(loop_views=frozenset({"Count"})))
    (loop,) = report.loops
    holds, fails = loop.invariants
    assert holds.line == fails.line == 5
    assert (holds.text, holds.entry, holds.maintained) == ("0 <= i", Status.PROVED, Status.PROVED)
    assert (fails.text, fails.entry) == ("i == 1", Status.FAILED)


TWO_LOOPS_ON_ONE_LINE = """method Count(n: nat) returns (i: int, j: int)
{
  i := 0; j := 0;
  while i < n invariant i <= n { i := i + 1; } while j < n invariant j == 0 { j := j + 1; }
}"""


def test_two_loops_on_one_line_each_get_their_own_invariants_and_table() -> None:
    report = verify(TWO_LOOPS_ON_ONE_LINE, "t", Options(loop_views=frozenset({"Count"})))
    first, second = report.loops
    assert first.line == second.line == 4
    assert [(inv.text, inv.maintained) for inv in first.invariants] == [("i <= n", Status.PROVED)]
    assert [(inv.text, inv.maintained) for inv in second.invariants] == [("j == 0", Status.FAILED)]
    assert first.table is not None and second.table is not None
    assert (first.table.condition, second.table.condition) == ("i < n", "j < n")


# ------------------------------------------------------------------ obligations and violations


def test_two_asserts_on_one_line_are_two_obligations_with_their_own_ids() -> None:
    report = verify(TWO_ASSERTS_ON_ONE_LINE, "t")
    asserts = [ob for ob in report.obligations if ob.kind == ObligationKind.ASSERTION]
    assert [(ob.span.start_line, ob.status) for ob in asserts] == [(4, Status.PROVED), (4, Status.FAILED)]
    assert [str(ob.site.clause) for ob in asserts] == ["M/assert#0", "M/assert#1"]


def test_a_violation_names_the_clause_that_failed() -> None:
    program = resolve(parse(SourceFile("t", TWO_ASSERTS_ON_ONE_LINE)))
    result = run_method(program, "M", {"x": 3})
    assert result.outcome == Outcome.VIOLATION and result.violation is not None
    second = program.program.methods()[0].body.stmts[1]  # type: ignore[union-attr]
    assert isinstance(second, ast.Assert)
    assert result.violation.site == CheckSite(second.nid, 0)


def test_a_precondition_violation_names_the_call_and_the_conjunct() -> None:
    text = """method Need(a: int, b: int) requires a > 0 && b > 0 { }
method M() { Need(1, 1); Need(1, 0); }"""
    program = resolve(parse(SourceFile("t", text)))
    result = run_method(program, "M", {})
    assert result.violation is not None
    assert (str(result.violation.site.clause), result.violation.site.part) == ("Need/requires#0", 1)
    assert str(result.violation.site.at) == "M/call#1"


def test_replay_confirms_only_the_same_clause_not_another_on_its_line() -> None:
    report = verify(AFTER_A_WEAK_LOOP, "t")
    first, second = (ob for ob in report.errors if ob.kind == ObligationKind.ASSERTION)
    assert first.span.start_line == second.span.start_line == 9
    assert first.trace is not None and first.trace.replay is not None
    assert first.trace.replay.verdict == ReplayVerdict.NOT_REPRODUCED
    assert "fails another check first" in first.trace.replay.detail
    assert second.trace is not None and second.trace.replay is not None
    assert second.trace.replay.verdict == ReplayVerdict.CONFIRMED


# ------------------------------------------------------------------ grading


RELEASED = """%%verify
method Max(a: int, b: int) returns (m: int)
  ensures m >= a && m >= b ensures m == a || m == b
{
  // YOUR CODE HERE
}"""


def _without_locations(report: VerificationReport) -> VerificationReport:
    """The report with every obligation's related location gone: what is left to match a
    postcondition part by is its id."""
    obligations = tuple(dataclasses.replace(ob, related=()) for ob in report.obligations)
    return dataclasses.replace(report, obligations=obligations)


def test_grading_matches_postcondition_parts_by_id(monkeypatch: pytest.MonkeyPatch) -> None:
    real = grading.verify
    monkeypatch.setattr(grading, "verify", lambda *args, **kwargs: _without_locations(real(*args, **kwargs)))
    solution = RELEASED.replace("  // YOUR CODE HERE", "  m := a;")
    result = grade(Submission(solution, RELEASED, "Max", 2.0, (), partial=True))
    assert result.score == round(2 * 2 / 3, 2)  # `m >= b` fails; the two other parts hold
