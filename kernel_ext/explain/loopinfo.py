"""The loop view's facts: for each loop, its invariants' initiation and maintenance, what the
code after the loop needs of them, and one concrete run's iteration table."""

from __future__ import annotations

from collections.abc import Iterator

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.source import SourceFile
from kernel_ext.obligations import ObligationKind
from kernel_ext.report import InvariantStatus, LoopSummary, ObligationResult, worst
from kernel_ext.results import MarkKind
from kernel_ext.verify.vcgen import At, Either, Fact

TABLE_ROWS = 12
TABLE_STEPS = 20_000


def loop_summaries(
    checked: CheckedProgram, source: SourceFile, results: tuple[ObligationResult, ...], owners: frozenset[str]
) -> tuple[LoopSummary, ...]:
    """Every loop of the methods named in `owners`, in source order."""
    if not owners:
        return ()
    from kernel_ext.run.loops import loops_of  # the interpreter is loaded only for a loop view

    summaries: list[LoopSummary] = []
    for decl in checked.program.decls:
        if not isinstance(decl, ast.Method) or decl.body is None or decl.name not in owners:
            continue
        own = tuple(ob for ob in results if ob.owner == decl.name)
        for loop in loops_of(decl):
            summaries.append(_summary(checked, source, decl, loop, own))
    return tuple(summaries)


def _summary(
    checked: CheckedProgram,
    source: SourceFile,
    method: ast.Method,
    loop: ast.While,
    own: tuple[ObligationResult, ...],
) -> LoopSummary:
    line = loop.span.start_line
    invariants = tuple(_invariant(clause, own, source) for clause in loop.invariants)
    use = tuple(
        ob for ob in own if ob.vc is not None and _leaves(ob.vc.facts, loop) and not _is_invariant(ob)
    )
    from kernel_ext.run.loops import loop_condition, loop_table

    try:
        table = loop_table(
            checked,
            method.name,
            None,
            line,
            loop_id=loop.nid,
            max_rows=TABLE_ROWS,
            step_limit=TABLE_STEPS,
            source=source,
        )
    except (ValueError, RecursionError):
        table = None
    return LoopSummary(method.name, line, loop_condition(loop, source), invariants, use, table)


def _invariant(
    clause: ast.SpecClause, own: tuple[ObligationResult, ...], source: SourceFile
) -> InvariantStatus:
    parts = [ob for ob in own if clause.nid is not None and ob.site.clause == clause.nid]

    def status(kind: ObligationKind):  # noqa: ANN202 - a Status
        return worst(ob.status for ob in parts if ob.kind == kind)

    return InvariantStatus(
        clause.span.start_line,
        source.text_of(clause.expr.span),
        status(ObligationKind.INVARIANT_ENTRY),
        status(ObligationKind.INVARIANT_MAINTAINED),
    )


def _is_invariant(ob: ObligationResult) -> bool:
    return ob.kind in (ObligationKind.INVARIANT_ENTRY, ObligationKind.INVARIANT_MAINTAINED)


def _leaves(facts: tuple[Fact, ...], loop: ast.While) -> bool:
    """Whether a path to the obligation passes the exit of `loop`."""
    return any(
        isinstance(fact, At)
        and fact.kind == MarkKind.LOOP_EXIT
        and fact.node is not None
        and fact.node == loop.nid
        for fact in _all_facts(facts)
    )


def _all_facts(facts: tuple[Fact, ...]) -> Iterator[Fact]:
    for fact in facts:
        yield fact
        if isinstance(fact, Either):
            for alternative in fact.alternatives:
                yield from _all_facts(alternative)
