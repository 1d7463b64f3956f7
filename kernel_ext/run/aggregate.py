"""Statements that act on many things at once or on the world: a forall statement that
assigns array elements (Dafny's aggregate update: every right-hand side computed in the
state before the statement, then all written) and `print`."""

from __future__ import annotations

from collections.abc import Iterator

from kernel_ext.lang import syntax as ast
from kernel_ext.obligations import ObligationKind
from kernel_ext.run.bounds import Enumerator, Unbounded, find_range
from kernel_ext.run.evaluate import Evaluator
from kernel_ext.run.machine import Frame, Machine, Stop, point
from kernel_ext.run.results import Outcome
from kernel_ext.run.values import ArrayValue, show_value


def print_text(stmt: ast.PrintStmt, evaluator: Evaluator, frame: Frame) -> str:
    """What `print` writes: each value as Dafny shows it, string literals as they are."""
    return "".join(
        arg.text if isinstance(arg, ast.PrintText) else show_value(evaluator.eval(arg, frame, None))
        for arg in stmt.args
    )


class AggregateUpdates:
    """Runs `forall i | R { a[i] := v; }` with the checks of each assignment."""

    def __init__(self, machine: Machine, evaluator: Evaluator) -> None:
        self.machine = machine
        self.evaluator = evaluator

    def exec_forall_update(self, stmt: ast.ForallStmt, update: ast.Assign, frame: Frame) -> None:
        target = update.targets[0]
        assert isinstance(target, ast.Index)
        (var,) = stmt.bound
        writes: list[tuple[ArrayValue, int, object]] = []
        frame.scopes.append([var.uid])
        try:
            for value in self.range_values(stmt, var, frame):
                frame.env[var.uid] = value
                writes.append(self.one_write(update, target, frame))
        finally:
            frame.scopes.pop()
            frame.env.pop(var.uid, None)
        for array, index, value in writes:
            self.machine.heap.write(array, index, value)

    def range_values(self, stmt: ast.ForallStmt, var: ast.BoundVar, frame: Frame) -> Iterator[object]:
        """The values of the bound variable that satisfy the range, in increasing order."""
        if stmt.range is None:
            yield from self.unbounded(stmt, var)
            return
        quantifier = ast.Quantifier(span=stmt.span, is_forall=False, bound=(var,), body=stmt.range)
        enumerator = Enumerator(find_range(quantifier), lambda bound: self.evaluator.eval(bound, frame, None))
        try:
            _, domain = enumerator.next_domain([var.uid], set())
        except Unbounded:
            yield from self.unbounded(stmt, var)
            return
        for value in list(domain):
            self.machine.tick()
            frame.env[var.uid] = value
            if self.evaluator.eval(stmt.range, frame, None):
                yield value

    @staticmethod
    def unbounded(stmt: ast.ForallStmt, var: ast.BoundVar) -> Iterator[object]:
        raise Stop(
            Outcome.CANNOT_EVALUATE,
            f"cannot run the forall statement at line {stmt.span.start_line}: no range found for "
            f"'{var.name}' (bound it in the range, e.g. `0 <= {var.name} < a.Length`)",
            stmt.span,
        )
        yield  # a generator

    def one_write(
        self, update: ast.Assign, target: ast.Index, frame: Frame
    ) -> tuple[ArrayValue, int, object]:
        machine, evaluator = self.machine, self.evaluator
        array = evaluator.eval(target.seq, frame, None)
        index = evaluator.eval(target.index, frame, None)
        assert isinstance(array, ArrayValue) and isinstance(index, int)
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
                point(update.span),
                frame,
                f"`{machine.text(target.seq)}` is not in the modifies clause of {frame.decl.name} "
                "and was not allocated by it",
            )
        rhs = update.rhs[0]
        value = evaluator.eval(rhs, frame, None)
        evaluator.check_subset(ast.type_of(target.seq).element, value, rhs.span, frame)
        return array, index, value
