"""The state of one run, which the interpreter's parts share (`evaluate.py`, `calls.py`,
`statements.py`): the activations (`Frame`), the heap, the step budget and the depth of
calls, the loops, calls and quantifiers under way (to name the one that did not finish),
the trace, and the making of violations. `Stop` ends a run; `Return` leaves a method."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.printer import show_expr, show_stmt_head
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import Measured
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import Type
from kernel_ext.obligations import NO_SITE, CheckSite, ObligationKind
from kernel_ext.run.heap import Heap
from kernel_ext.run.results import Outcome, TraceStep, Violation
from kernel_ext.run.values import ArrayValue, DataValue, default_value, show_data, show_value


class Stop(Exception):
    """Ends a run: carries its outcome."""

    def __init__(
        self, outcome: Outcome, message: str, span: Span | None = None, violation: Violation | None = None
    ):
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.span = span
        self.violation = violation


class Return(Exception):
    """A `return` statement leaving its method, at `span`."""

    def __init__(self, span: Span):
        super().__init__()
        self.span = span


def point(span: Span) -> Span:
    return Span.point(span.start_line, span.start_col)


@dataclass
class Frame:
    """One activation of a method, lemma or function."""

    decl: ast.Method | ast.Function
    env: dict[str, object]
    names: dict[str, str]
    entry_time: int
    depth: int
    modifies: frozenset[int] = frozenset()
    reads: frozenset[int] | None = None
    measure: tuple[Measured[object], ...] = ()
    scopes: list[list[str]] = field(default_factory=list)

    def variables(self) -> list[tuple[str, object]]:
        shown = [(self.names.get(uid, uid), value) for uid, value in self.env.items()]
        return [(name, value) for name, value in shown if "." not in name]  # not a for loop's bounds


@dataclass
class Active:
    """A loop, call or quantifier under way, for saying which one did not finish."""

    kind: str
    name: str
    span: Span
    start: int


@dataclass(frozen=True)
class TraceEntry:
    node: ast.Stmt
    text: str
    owner: str
    depth: int
    variables: tuple[tuple[str, object], ...]
    log_position: int
    span: Span | None = None  # where the step is, if not at its statement (a match's case)


class Machine:
    """What a run has reached: its steps and call depth within their limits, the heap, the
    trace, and the out-parameters of the method it started with once that returns."""

    def __init__(
        self,
        checked: CheckedProgram,
        step_limit: int,
        max_depth: int,
        source: SourceFile | None,
        trace_limit: int,
    ) -> None:
        program = checked.program
        self.methods = {decl.name: decl for decl in program.methods()}
        self.datatypes = {decl.name: decl for decl in program.datatypes()}
        self.subsets = Subsets.of(program)
        # The value a variable of a declared subset type starts with: its witness (set by the
        # interpreter, which evaluates it).
        self.witness_of: Callable[[ast.SubsetType], object] | None = None
        self.step_limit = step_limit
        self.limit = step_limit
        self.max_depth = max_depth
        self.source = source
        self.heap = Heap()
        self.steps = 0
        self.depth = 0
        self.active: list[Active] = []
        self.trace: deque[TraceEntry] = deque(maxlen=max(trace_limit, 0))
        self.traced = 0
        self.finished: dict[str, object] = {}
        self.output: list[str] = []  # what `print` statements wrote

    # ---- texts

    def text(self, expr: ast.Expr) -> str:
        """The expression as written, or as printed back when the source is not at hand."""
        if self.source is not None:
            found = self.source.text_of(expr.span)
            if found:
                return found
        return show_expr(expr)

    def stmt_text(self, stmt: ast.Stmt) -> str:
        compound = ast.If | ast.While | ast.Block | ast.Calc | ast.ForallStmt | ast.AssertBy | ast.MatchStmt
        if self.source is not None and not isinstance(stmt, compound):
            found = self.source.text_of(stmt.span)
            if found:
                return found
        return show_stmt_head(stmt)

    def show_variables(self, frame: Frame) -> str:
        shown = [f"{name} = {show_value(value)}" for name, value in frame.variables()]
        return ", ".join(shown)

    def with_state(self, what: str, frame: Frame) -> str:
        state = self.show_variables(frame)
        return f"{what} (with {state})" if state else what

    # ---- stopping

    def tick(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > self.limit:
            raise self.step_limit_stop()

    def step_limit_stop(self) -> Stop:
        culprit = self.runaway()
        limit = f"{self.step_limit:,}"
        if culprit is None:
            return Stop(Outcome.STEP_LIMIT, f"the run did not finish within {limit} steps")
        line = culprit.span.start_line
        if culprit.kind == "loop":
            message = f"the loop at line {line} did not finish within {limit} steps"
        elif culprit.kind == "call":
            message = f"the recursive calls of {culprit.name} (from line {line}) did not finish within {limit} steps"
        else:
            message = f"the quantifier at line {line} could not be evaluated within {limit} steps"
        return Stop(Outcome.STEP_LIMIT, message, culprit.span)

    def runaway(self) -> Active | None:
        """The innermost loop, recursion or quantifier under way that used most of the steps."""
        candidates: list[Active] = []
        first_call: dict[str, Active] = {}
        for item in self.active:
            if item.kind != "call":
                candidates.append(item)
            elif item.name in first_call:
                candidates.append(first_call[item.name])
            else:
                first_call[item.name] = item
        for item in sorted(candidates, key=lambda item: -item.start):
            if item.start <= self.steps // 2:
                return item
        return candidates[0] if candidates else None

    def violation(
        self,
        kind: ObligationKind,
        span: Span,
        frame: Frame,
        detail: str,
        related: tuple[Span, ...] = (),
        description: str = "",
        message: str = "",
        site: CheckSite = NO_SITE,
    ) -> Stop:
        violation = Violation(
            kind=kind,
            span=span,
            message=message or kind.message,
            detail=self.with_state(detail, frame),
            related=related,
            description=description,
            owner=frame.decl.name,
            site=site,
        )
        return Stop(Outcome.VIOLATION, violation.message, span, violation)

    @contextlib.contextmanager
    def under_way(self, kind: str, name: str, span: Span) -> Iterator[Active]:
        item = Active(kind, name, span, self.steps)
        self.active.append(item)
        try:
            yield item
        finally:
            self.active.pop()

    @contextlib.contextmanager
    def deeper(self, name: str, span: Span) -> Iterator[None]:
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                root = next((item for item in self.active if item.kind == "call" and item.name == name), None)
                line = (root.span if root else span).start_line
                raise Stop(
                    Outcome.TOO_DEEP,
                    f"the recursive calls of {name} (from line {line}) nest deeper than {self.max_depth:,} levels",
                    root.span if root else span,
                )
            yield
        finally:
            self.depth -= 1

    # ---- the heap

    def default(self, ty: Type) -> object:
        declared = self.subsets.declared_subset(ty)
        if declared is not None and self.witness_of is not None:
            return self.witness_of(declared)
        value = default_value(ty, self.datatypes)
        if isinstance(value, ArrayValue):
            self.heap.register(value, 0)
        return value

    def may_modify(self, frame: Frame, array: ArrayValue) -> bool:
        return id(array) in frame.modifies or self.heap.allocated(array) >= frame.entry_time

    # ---- the trace

    def record(self, stmt: ast.Stmt, frame: Frame, text: str | None = None, span: Span | None = None) -> None:
        if isinstance(frame.decl, ast.Function) or self.trace.maxlen == 0:
            return
        self.traced += 1
        self.trace.append(
            TraceEntry(
                node=stmt,
                text=text or "",
                owner=frame.decl.name,
                depth=frame.depth,
                variables=tuple(frame.variables()),
                log_position=len(self.heap.log),
                span=span,
            )
        )

    def finish_trace(self) -> tuple[TraceStep, ...]:
        """The kept entries, with each array shown as it was at that step (writes undone)."""
        contents: dict[int, list[object]] = {}
        log = self.heap.log
        position = len(log)
        steps: list[TraceStep] = []
        for entry in reversed(self.trace):
            while position > entry.log_position:
                position -= 1
                array, index, previous = log[position]
                contents.setdefault(id(array), list(array.elements))[index] = previous
            variables = tuple((name, _show_then(value, contents)) for name, value in entry.variables)
            text = entry.text or self.stmt_text(entry.node)
            steps.append(TraceStep(entry.span or entry.node.span, text, variables, entry.owner, entry.depth))
        steps.reverse()
        return tuple(steps)


def _show_then(value: object, contents: dict[int, list[object]]) -> str:
    if isinstance(value, ArrayValue):
        elements = contents.get(id(value), value.elements)
        return "[" + ", ".join(_show_then(item, contents) for item in elements) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show_then(item, contents) for item in value) + "]"
    if isinstance(value, DataValue) and value.holds_arrays:
        return show_data(value, lambda item: _show_then(item, contents))
    return show_value(value)
