"""Statements that act on many things at once or on the world: a forall statement that
assigns array elements (Dafny's aggregate update: every right-hand side computed in the
state before the statement, then all written) and `print`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kernel_ext.lang import syntax as ast
from kernel_ext.run.bounds import Enumerator, Unbounded, find_range
from kernel_ext.run.evaluate import Evaluator
from kernel_ext.run.machine import Frame, Machine, Stop
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

    def __init__(self, machine: Machine, evaluator: Evaluator, place: Callable[..., Any]) -> None:
        self.machine = machine
        self.evaluator = evaluator
        self.place = place  # the statements' `place`: an element on the left of `:=`, checked

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
        """The element `a[i]` for the current `i`, checked as one assignment's, and its value."""
        place = self.place(target, update, frame)
        rhs = update.rhs[0]
        value = self.evaluator.eval(rhs, frame, None)
        self.evaluator.check_subset(place.ty, value, rhs.span, frame)
        return place.array, place.index, value
