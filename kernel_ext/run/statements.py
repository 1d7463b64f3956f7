"""Statement execution for the interpreter: blocks and their scopes, `if`, `match`, `while`
(invariants on entry and after each iteration, then the loop's `decreases`), variable
declarations, assignments (to variables and array elements, with their `modifies` and
subset checks), `assert`, `assume` and `return`. Ghost statements (`calc`, `forall`, the
proof of `assert ... by`) run nothing. A loop-table observer sees each visit of the head
of its loop (`LoopProbe`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.printer import show_expr, show_pattern
from kernel_ext.lang.semantics import Measured, Relation, bounded_below, decreases, loop_measure
from kernel_ext.lang.source import Span
from kernel_ext.lang.syntax import split_conjuncts
from kernel_ext.lang.types import Type
from kernel_ext.obligations import (
    BOUNDED_BELOW,
    BOUNDED_PART,
    DECREASE_PART,
    LOOP_NEEDS_DECREASES,
    SAME_LOCATION,
    CheckSite,
    ObligationKind,
    clause_parts,
)
from kernel_ext.run.aggregate import AggregateUpdates, print_text
from kernel_ext.run.calls import Calls
from kernel_ext.run.choice import INT_BOUND, choice_candidates, combinations
from kernel_ext.run.evaluate import VALUES, Evaluator, show_measure
from kernel_ext.run.machine import Frame, Machine, Return, Stop, point
from kernel_ext.run.results import Outcome
from kernel_ext.run.values import ArrayValue, show_value

LoopObserver = Callable[["LoopProbe"], None]


@dataclass
class LoopProbe:
    """What a loop-table observer sees at a visit of the loop head: the loop, the iteration
    (0 on entry), the variables in scope, and a way to evaluate expressions there."""

    loop: ast.While
    iteration: int
    evaluator: Evaluator
    frame: Frame

    def variables(self) -> list[tuple[str, str]]:
        return [(name, show_value(value)) for name, value in self.frame.variables()]

    def evaluate(self, expr: ast.Expr) -> object:
        """The value of `expr` here; raises EvaluationFailed (with the reason) if it has none."""
        return self.evaluator.evaluate_quietly(expr, self.frame)


@dataclass(frozen=True)
class _Place:
    """Where an assignment stores: a variable, or an element of an array."""

    span: Span
    uid: str = ""
    ty: Type | None = None
    array: ArrayValue | None = None
    index: int = 0


class Statements:
    """Executes statements in a frame of the machine; calls go to the calls part."""

    def __init__(
        self,
        machine: Machine,
        evaluator: Evaluator,
        calls: Calls,
        observer: tuple[ast.While, LoopObserver] | None,
    ) -> None:
        self.machine = machine
        self.evaluator = evaluator
        self.calls = calls
        self.observer = observer
        self.aggregate = AggregateUpdates(machine, evaluator, self.place)

    # ---- blocks

    def exec_block(self, block: ast.Block, frame: Frame, exit_at: Span | None) -> Span | None:
        """Runs a block; when it is the tail of a method body (`exit_at` given), returns the
        place Dafny reports a postcondition at when control falls off its end."""
        frame.scopes.append([])
        try:
            stmts = block.stmts
            for stmt in stmts[:-1]:
                self.exec_stmt(stmt, frame, None)
            if not stmts:
                return exit_at
            return self.exec_stmt(stmts[-1], frame, exit_at)
        finally:
            for uid in frame.scopes.pop():
                frame.env.pop(uid, None)

    def exec_stmt(self, stmt: ast.Stmt, frame: Frame, exit_at: Span | None) -> Span | None:
        self.machine.tick()
        if isinstance(stmt, ast.Block):
            return self.exec_block(stmt, frame, stmt.open_brace if exit_at else None)
        if isinstance(stmt, ast.If):
            return self.exec_if(stmt, frame, exit_at is not None)
        if isinstance(stmt, ast.ForLoop):
            self.exec_for(stmt, frame)
            return point(stmt.span) if exit_at else None
        if isinstance(stmt, ast.While):
            self.exec_while(stmt, frame)
            return point(stmt.span) if exit_at else None
        if isinstance(stmt, ast.MatchStmt):
            return self.exec_match(stmt, frame, exit_at is not None)
        match stmt:
            case ast.Return():
                self.exec_return(stmt, frame)
            case ast.VarDecl():
                self.exec_var_decl(stmt, frame)
            case ast.Assign():
                self.exec_assign(stmt, frame)
            case ast.SuchThat():
                self.exec_such_that(stmt, frame)
            case ast.CallStmt():
                self.calls.call_method(stmt.call, frame)
            case ast.Assert():
                self.exec_assert(stmt, frame)
            case ast.Assume():
                self.exec_assume(stmt, frame)
            case ast.AssertBy():  # its proof is ghost: only the assertion runs
                self.exec_assert(ast.Assert(span=stmt.span, expr=stmt.expr, nid=stmt.nid), frame)
            case ast.ForallStmt() if stmt.array_update is not None:
                self.aggregate.exec_forall_update(stmt, stmt.array_update, frame)
            case ast.PrintStmt():
                self.machine.output.append(print_text(stmt, self.evaluator, frame))
            case ast.Calc() | ast.ForallStmt():  # proofs: nothing of them runs
                pass
            case _:
                raise TypeError(f"the interpreter has no rule for {type(stmt).__name__}")
        self.machine.record(stmt, frame)
        return exit_at

    # ---- branches

    def exec_match(self, stmt: ast.MatchStmt, frame: Frame, tail: bool) -> Span | None:
        """The first case whose pattern matches runs, with the pattern's variables bound; in a
        method's last statement, a path that leaves through a case returns at that case."""
        value = self.evaluator.eval(stmt.subject, frame, None)
        for case in stmt.cases:
            bound: dict[str, object] = {}
            if not self.evaluator.matches(case.pattern, value, bound):
                continue
            frame.scopes.append(list(bound))
            try:
                for var in ast.pattern_variables(case.pattern):
                    frame.env[var.uid] = bound[var.uid]
                    frame.names[var.uid] = var.name
                self.machine.record(stmt, frame, self.case_text(case.pattern), case.span)
                return self.exec_block(case.body, frame, point(case.span) if tail else None)
            finally:
                for uid in frame.scopes.pop():
                    frame.env.pop(uid, None)
        raise self.evaluator.missing_case(stmt, value, frame)

    def case_text(self, pattern: ast.Pattern) -> str:
        source = self.machine.source
        written = source.text_of(pattern.span) if source is not None else ""
        return f"case {written or show_pattern(pattern)} =>"

    def exec_if(self, stmt: ast.If, frame: Frame, tail: bool) -> Span | None:
        if self.evaluator.eval(stmt.cond, frame, None):
            return self.exec_block(stmt.then, frame, stmt.then.open_brace if tail else None)
        if isinstance(stmt.else_, ast.Block):
            return self.exec_block(stmt.else_, frame, stmt.else_.open_brace if tail else None)
        if isinstance(stmt.else_, ast.If):
            self.machine.tick()
            return self.exec_if(stmt.else_, frame, tail)
        return point(stmt.span) if tail else None

    # ---- loops

    def exec_for(self, loop: ast.ForLoop, frame: Frame) -> None:
        """The bounds evaluated once, `lo <= hi` checked, the index (read-only in the body)
        and the bounds in a scope of their own, then the loop as `while i != _hi`."""
        start, end = (self.evaluator.eval(bound, frame, None) for bound in (loop.start, loop.end))
        low, high = (end, start) if loop.downto else (start, end)
        if not low <= high:
            raise self.machine.violation(
                ObligationKind.FOR_RANGE,
                point(loop.span),
                frame,
                f"the loop would run from {low} up to {high}: the lower bound is larger",
                description=self.machine.source.text_of(loop.header) if self.machine.source else "",
                site=CheckSite(at=loop.nid),
            )
        frame.scopes.append([])
        try:
            for var, value in zip(
                (*loop.bounds, loop.index), (low, high, high if loop.downto else low), strict=True
            ):
                self.declare(frame, var, value)
            self.exec_while(loop, frame)
        finally:
            for uid in frame.scopes.pop():
                frame.env.pop(uid, None)

    def exec_while(self, loop: ast.While, frame: Frame) -> None:
        parts = clause_parts(loop.invariants)
        measure_exprs = loop_measure(loop)
        with self.machine.under_way("loop", "", loop.span):
            self.loop_head(loop, frame, 0, parts, ObligationKind.INVARIANT_ENTRY)
            iteration = 0
            while True:
                self.machine.tick()
                if not self.evaluator.eval(loop.cond, frame, None):
                    return
                progress = None
                if measure_exprs is not None:
                    progress = (measure_exprs, self.evaluator.measure_values(measure_exprs, frame))
                self.exec_iteration(loop, frame)
                iteration += 1
                self.loop_head(loop, frame, iteration, parts, ObligationKind.INVARIANT_MAINTAINED, progress)

    def exec_iteration(self, loop: ast.While, frame: Frame) -> None:
        """The body; a for loop's index goes down before it (`downto`) or up after it (`to`)."""
        if isinstance(loop, ast.ForLoop) and loop.downto:
            frame.env[loop.index.uid] -= 1  # type: ignore[operator]
        self.exec_block(loop.body, frame, None)
        if isinstance(loop, ast.ForLoop) and not loop.downto:
            frame.env[loop.index.uid] += 1  # type: ignore[operator]

    def loop_head(
        self,
        loop: ast.While,
        frame: Frame,
        iteration: int,
        parts: list[tuple[CheckSite, ast.Expr]],
        kind: ObligationKind,
        progress: tuple[tuple[ast.Expr, ...], tuple[Measured[object], ...]] | None = None,
    ) -> None:
        """A visit of the loop head. After an iteration, the measure (`progress`: its
        expressions and its value before the iteration) is checked first, then the invariants,
        in the verifier's order: a loop that makes no progress fails there only."""
        machine = self.machine
        if self.observer is not None and self.observer[0] is loop:
            self.observer[1](LoopProbe(loop, iteration, self.evaluator, frame))
        machine.record(loop, frame, f"{machine.stmt_text(loop)}   [iteration {iteration}]")
        if progress is not None:
            measure_exprs, before = progress
            self.check_loop_decreases(
                loop, frame, before, self.evaluator.measure_values(measure_exprs, frame)
            )
        for site, part in parts:
            if not self.evaluator.eval(part, frame, None):
                when = "on entry to the loop" if iteration == 0 else f"after iteration {iteration}"
                raise machine.violation(
                    kind,
                    part.token,
                    frame,
                    f"the invariant `{machine.text(part)}` is false {when}",
                    description=machine.text(part),
                    site=site,
                )

    def check_loop_decreases(
        self,
        loop: ast.While,
        frame: Frame,
        before: tuple[Measured[object], ...],
        after: tuple[Measured[object], ...],
    ) -> None:
        guessed = loop.decreases is None
        while_at = point(loop.span)
        shown = f"from {show_measure(before)} to {show_measure(after)}"
        what = "the guessed decreases expression" if guessed else "the decreases expression"
        clause = loop.decreases.nid if loop.decreases is not None else None
        decrease, bounded = (CheckSite(clause, part, loop.nid) for part in (DECREASE_PART, BOUNDED_PART))
        if guessed:
            related: tuple[Span, ...] = ()
            description = ""
            bounded_at = while_at
        else:
            assert loop.decreases is not None
            related = (loop.decreases.span,)
            description = self.decreases_text(loop.decreases)
            bounded_at = loop.decreases.exprs[0].token
        if not decreases(after, before, VALUES, bounded=False):
            raise self.machine.violation(
                ObligationKind.DECREASES,
                while_at,
                frame,
                f"{what} did not decrease{_REAL_STEP if _has_real(before) else ''}: it went {shown}",
                related=related,
                description=description,
                message=LOOP_NEEDS_DECREASES if guessed else "",
                site=decrease,
            )
        if not bounded_below(after, before, VALUES):
            raise self.machine.violation(
                ObligationKind.DECREASES,
                bounded_at,
                frame,
                f"{what} went {shown}: it decreased from below zero",
                description=description,
                message=LOOP_NEEDS_DECREASES if guessed else BOUNDED_BELOW,
                site=bounded,
            )

    def decreases_text(self, decreases: ast.Decreases) -> str:
        source = self.machine.source
        if source is not None:
            found = source.text_of(decreases.span)
            if found:
                return found
        return "decreases " + ", ".join(show_expr(expr) for expr in decreases.exprs)

    # ---- variables and assignments

    def exec_var_decl(self, stmt: ast.VarDecl, frame: Frame) -> None:
        if not stmt.rhs:
            for var in stmt.variables:
                self.declare(frame, var, self.machine.default(ast.type_of(var)))
            return
        places = [_Place(var.span, uid=var.uid, ty=ast.type_of(var)) for var in stmt.variables]
        values = self.right_hand_values(stmt.rhs, places, frame)
        for var, value in zip(stmt.variables, values, strict=True):
            self.declare(frame, var, value)

    def exec_such_that(self, stmt: ast.SuchThat, frame: Frame) -> None:
        """`x :| P`: the first small values of the variables' types that satisfy P (`choice.py`)."""
        named: tuple[ast.LocalVar | ast.Expr, ...] = stmt.variables or stmt.targets
        uids = [var.uid for var in named]  # type: ignore[union-attr]
        pools = [choice_candidates(ast.type_of(var), self.machine.datatypes) for var in named]  # type: ignore[arg-type]
        names = ", ".join(f"'{var.name}'" for var in named)  # type: ignore[union-attr]
        if any(pool is None for pool in pools):
            raise Stop(
                Outcome.CANNOT_EVALUATE,
                f"cannot evaluate `:|` at line {stmt.span.start_line}: the interpreter does not choose arrays",
                stmt.span,
            )
        saved = {uid: frame.env[uid] for uid in uids if uid in frame.env}
        for values in combinations(pools):  # type: ignore[arg-type]
            self.machine.tick()
            frame.env.update(zip(uids, values, strict=True))
            if self.evaluator.eval(stmt.condition, frame, None):
                for var, value in zip(stmt.variables, values if stmt.variables else (), strict=True):
                    self.declare(frame, var, value)
                return
        for uid in uids:
            frame.env.pop(uid, None)
        frame.env.update(saved)
        raise Stop(
            Outcome.CANNOT_EVALUATE,
            f"cannot evaluate `:|` at line {stmt.span.start_line}: no small value of {names} "
            f"satisfies `{show_expr(stmt.condition)}` (ints from -{INT_BOUND} to {INT_BOUND} were tried)",
            stmt.span,
        )

    def declare(self, frame: Frame, var: ast.LocalVar, value: object) -> None:
        frame.scopes[-1].append(var.uid)
        frame.env[var.uid] = value
        frame.names[var.uid] = var.name

    def exec_assign(self, stmt: ast.Assign, frame: Frame) -> None:
        places = [self.place(target, stmt, frame) for target in stmt.targets]
        values = self.right_hand_values(stmt.rhs, places, frame)
        self.check_same_locations(places, values, frame)
        for place, value in zip(places, values, strict=True):
            if place.array is not None:
                self.machine.heap.write(place.array, place.index, value)
            else:
                frame.env[place.uid] = value

    def place(self, target: ast.Expr, stmt: ast.Assign, frame: Frame) -> _Place:
        """Evaluates `a[i]` on the left of `:=` first, as Dafny does, with its checks."""
        if not isinstance(target, ast.Index):
            assert isinstance(target, ast.Name)
            return _Place(target.span, uid=target.uid, ty=ast.type_of(target))
        machine = self.machine
        array = self.evaluator.eval(target.seq, frame, None)
        index = self.evaluator.eval(target.index, frame, None)
        assert isinstance(array, ArrayValue)
        if not 0 <= index < len(array.elements):
            raise machine.violation(
                ObligationKind.INDEX_RANGE,
                target.token,
                frame,
                f"index {index} is out of range for an array of length {len(array.elements)}",
            )
        if not machine.may_modify(frame, array):
            raise machine.violation(
                ObligationKind.MODIFIES,
                point(stmt.span),
                frame,
                f"`{machine.text(target.seq)}` is not in the modifies clause of {frame.decl.name} "
                "and was not allocated by it",
            )
        return _Place(target.span, ty=ast.type_of(target.seq).element, array=array, index=index)

    def right_hand_values(
        self, rhs: tuple[ast.Expr, ...], places: list[_Place], frame: Frame
    ) -> list[object]:
        evaluator = self.evaluator
        if len(rhs) == 1 and isinstance(rhs[0], ast.Call) and rhs[0].name in self.machine.methods:
            values = self.calls.call_method(rhs[0], frame)
            for place, value in zip(places, values, strict=True):
                evaluator.check_subset(place.ty, value, place.span, frame)
            return values
        values = []
        for place, expr in zip(places, rhs, strict=True):
            value = (
                evaluator.allocate(expr, frame)
                if isinstance(expr, ast.NewArray)
                else evaluator.eval(expr, frame, None)
            )
            evaluator.check_value_subset(place.ty, value, expr, frame, None)
            values.append(value)
        return values

    def check_same_locations(self, places: list[_Place], values: list[object], frame: Frame) -> None:
        for second, place in enumerate(places):
            for first in range(second):
                other = places[first]
                if place.array is None or other.array is not place.array or other.index != place.index:
                    continue
                if values[first] != values[second]:
                    raise self.machine.violation(
                        ObligationKind.SAME_LOCATION,
                        place.span,
                        frame,
                        f"both left-hand sides are element {place.index} of one array, assigned "
                        f"{show_value(values[first])} and {show_value(values[second])}",
                        message=SAME_LOCATION.format(first=first, second=second),
                    )

    # ---- assertions and return

    def exec_return(self, stmt: ast.Return, frame: Frame) -> None:
        if stmt.values:
            method = frame.decl
            assert isinstance(method, ast.Method)
            places = [_Place(out.span, uid=out.name, ty=ast.type_of(out)) for out in method.returns]
            values = self.right_hand_values(stmt.values, places, frame)
            for out, value in zip(method.returns, values, strict=True):
                frame.env[out.name] = value
        self.machine.record(stmt, frame)
        raise Return(point(stmt.span))

    def exec_assert(self, stmt: ast.Assert, frame: Frame) -> None:
        for index, part in enumerate(split_conjuncts(stmt.expr)):
            if not self.evaluator.eval(part, frame, None):
                raise self.machine.violation(
                    ObligationKind.ASSERTION,
                    part.token,
                    frame,
                    f"the assertion `{self.machine.text(part)}` is false here",
                    description=self.machine.text(part),
                    site=CheckSite(stmt.nid, index),
                )

    def exec_assume(self, stmt: ast.Assume, frame: Frame) -> None:
        if not self.evaluator.eval(stmt.expr, frame, None):
            raise Stop(
                Outcome.ASSUMPTION_FALSE,
                f"the assumption `{self.machine.text(stmt.expr)}` at line {stmt.span.start_line} is false, "
                f"so the run stops there (with {self.machine.show_variables(frame)})",
                stmt.span,
            )


_REAL_STEP = " (a real must go down by at least 1.0)"


def _has_real(measure: tuple[Measured[object], ...]) -> bool:
    return any(order.relation is Relation.REAL for _, order in measure)
