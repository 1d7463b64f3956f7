from __future__ import annotations

from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.obligations import Obligation, ObligationKind
from kernel_ext.verify import gcl
from kernel_ext.verify import terms as t
from kernel_ext.verify.lower import LoweredProgram, lower
from kernel_ext.verify.smt import Limits, Status, check
from kernel_ext.verify.vcgen import ProofTask, generate
from tests.programs import SUM_OK, many_ifs


def tasks_of(text: str) -> list[ProofTask]:
    source = SourceFile("t.dfy", text)
    return generate(lower(resolve(parse(source)), source))


def term_size(term: t.Term) -> int:
    if isinstance(term, t.App):
        return 1 + sum(term_size(arg) for arg in term.args)
    if isinstance(term, t.FunApp):
        return 1 + sum(term_size(arg) for arg in term.args)
    if isinstance(term, t.Forall):
        return 1 + term_size(term.body)
    return 1


def task_size(task: ProofTask) -> int:
    return term_size(task.goal) + sum(term_size(value) for _, value in task.definitions)


def test_vc_grows_linearly_with_ifs_in_a_row() -> None:
    small = max(task_size(task) for task in tasks_of(many_ifs(16)))
    large = max(task_size(task) for task in tasks_of(many_ifs(128)))
    assert 6 <= large / small <= 10  # 8x the statements, about 8x the formula; paths grow 2^112x


def test_each_task_is_self_contained_and_checkable_alone() -> None:
    tasks = tasks_of(SUM_OK)
    assert tasks
    for task in tasks:
        defined = {var.name for var, _ in task.definitions}
        free = set(task.goal.free_names) | set(task.hypothesis.free_names)
        for _, value in task.definitions:
            free |= value.free_names
        undefined = {name for name in free - defined if "@" not in name and not name.startswith("$")}
        assert not undefined, undefined
        assert check(task, Limits()).status == Status.PROVED


def test_checks_before_an_assertion_are_assumed() -> None:
    [first, second] = [task for task in tasks_of("method M(x: int) { assert x > 0; assert x > 0; }")]
    assert check(first, Limits()).status == Status.FAILED
    assert check(second, Limits()).status == Status.PROVED


def test_equal_programs_give_equal_task_keys() -> None:
    a = tasks_of("method M(x: int) { assert x * x >= 0; }")
    b = tasks_of("method  M( x : int )\n{\n  assert x*x >= 0;\n}")
    assert [task.key for task in a] == [task.key for task in b]
    c = tasks_of("method M(x: int) { assert x * x > 0; }")
    assert a[0].key != c[0].key


def test_branches_join_without_copying_paths() -> None:
    text = (
        "method M(b: bool) returns (x: int) ensures x > 0 { if b { x := 1; } else { x := 2; } x := x + 1; }"
    )
    [task] = [task for task in tasks_of(text) if task.obligation.kind.id == "postcondition"]
    names = [var.name for var, _ in task.definitions]
    assert any(name.startswith("x@") for name in names)
    assert sum(1 for name in names if name.startswith("$reach")) <= 6


def test_an_if_merges_its_variables_by_its_condition_and_adds_no_case_split() -> None:
    [task] = [task for task in tasks_of(many_ifs(16)) if task.goal != t.TRUE][:1]
    merges = [value for _, value in task.definitions if isinstance(value, t.App) and value.op == t.Op.ITE]
    assert len(merges) >= 15
    assert not any(isinstance(value, t.App) and value.op == t.Op.OR for _, value in task.definitions)


def _procedure_tasks(body: gcl.Command) -> list[ProofTask]:
    procedure = gcl.Procedure("P", "P", body)
    return generate(LoweredProgram((procedure,), ()))


X = t.variable("x", "x", t.INT)
OBLIGATION = Obligation(ObligationKind.ASSERTION, Span.point(1, 1), "P")
C = t.variable("c", "c", t.BOOL)


def _checked(body: gcl.Command) -> Status:
    [task] = _procedure_tasks(body)
    return check(task, Limits()).status


def test_a_merge_by_condition_keeps_both_branches_values() -> None:
    branches = (
        gcl.seq(gcl.Assume(C), gcl.Assign(X, t.IntVal(1))),
        gcl.seq(gcl.Assume(t.not_(C)), gcl.Assign(X, t.IntVal(2))),
    )
    claim = t.App(t.Op.EQ, (X, t.IntVal(1)))
    assert _checked(gcl.seq(gcl.Choice(branches), gcl.Assert(claim, OBLIGATION))) is Status.FAILED
    either = t.or_(claim, t.App(t.Op.EQ, (X, t.IntVal(2))))
    assert _checked(gcl.seq(gcl.Choice(branches), gcl.Assert(either, OBLIGATION))) is Status.PROVED
    by_branch = t.and_(t.implies(C, claim), t.implies(t.not_(C), t.App(t.Op.EQ, (X, t.IntVal(2)))))
    assert _checked(gcl.seq(gcl.Choice(branches), gcl.Assert(by_branch, OBLIGATION))) is Status.PROVED


def test_a_choice_whose_branches_may_both_run_is_not_merged_by_condition() -> None:
    # both branches assume something about c, but not one thing and its negation: after the
    # choice, x may be 1 or 2 even when c holds
    d = t.variable("d", "d", t.BOOL)
    branches = (
        gcl.seq(gcl.Assume(C), gcl.Assign(X, t.IntVal(1))),
        gcl.seq(gcl.Assume(d), gcl.Assign(X, t.IntVal(2))),
    )
    claim = t.implies(C, t.App(t.Op.EQ, (X, t.IntVal(1))))
    assert _checked(gcl.seq(gcl.Choice(branches), gcl.Assert(claim, OBLIGATION))) is Status.FAILED
