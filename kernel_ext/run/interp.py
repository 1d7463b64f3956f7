"""A concrete interpreter for MiniDafny that checks every contract while it runs.

`run_method(checked, "M", {"x": 3})` runs method M on those inputs with Dafny's meaning
(unbounded ints, Euclidean `/` and `%`, short-circuit logic, arrays as references, datatype
values compared by structure) and checks, where Dafny's verifier would have to prove it,
each check of the kinds in `ObligationKind`: preconditions of calls, postconditions on
return, assertions, loop invariants on entry and after each iteration, `decreases` (Dafny's
guess when none is written; a datatype value decreases to its arguments), indices and slice
bounds, divisors, `modifies` and `reads` frames, `nat` values, destructors (the value has
the field), `match` (some case matches) and the termination of recursive calls. The first
check that fails ends the run with a violation, reported where the verifier reports that
check, in Dafny's words.

Variables start at 0, false, empty or a datatype's first constructor that needs no
recursion (`Nil`), and so do the elements of `new T[n]`: Dafny leaves them arbitrary, the
interpreter makes runs reproducible (`values.default_value`).
Lemmas run as code; functions are evaluated by recursion (each distinct call once: the
results are remembered for the run). Quantifiers are evaluated over the range their body
gives their variables (`bounds.py`). Every statement and every expression evaluated is a
step; a run that exceeds its step limit, or whose calls nest too deeply, stops with an
outcome that names the loop or the recursion responsible.
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.printer import show_expr, show_pattern, show_stmt_head
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import (
    Key,
    Measured,
    Relation,
    bounded_below,
    declaration_measure,
    decreases,
    loop_measure,
    missing_case_message,
    order_of,
    uncovered_ctors,
)
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.syntax import split_conjuncts
from kernel_ext.lang.types import NAT, Type
from kernel_ext.obligations import (
    BOUNDED_BELOW,
    BOUNDED_PART,
    CALL_MODIFIES,
    DECREASE_PART,
    LOOP_NEEDS_DECREASES,
    LOWER_BOUND,
    NEGATIVE_SIZE,
    NO_SITE,
    SAME_LOCATION,
    SUBSET_MESSAGE,
    UPPER_BOUND,
    UPPER_BOUND_ONLY,
    CheckSite,
    ObligationKind,
    clause_parts,
)
from kernel_ext.run.bounds import Enumerator, QuantifierRange, Unbounded, find_range
from kernel_ext.run.heap import Heap
from kernel_ext.run.values import (
    ArrayValue,
    DataValue,
    Multiset,
    arrays_in,
    coerce,
    conforms,
    default_value,
    show_data,
    show_value,
)

DEFAULT_STEP_LIMIT = 100_000
DEFAULT_MAX_DEPTH = 1_000
DEFAULT_TRACE_LIMIT = 500
# Python frames the interpreter may use per nested MiniDafny call, generously.
PYTHON_FRAMES_PER_CALL = 40
# Evaluating an invariant for a loop table gets its own budget, outside the run's steps.
PROBE_STEP_BUDGET = 20_000
# Building a collection costs a step per this many elements; a number, per this many bits.
ELEMENTS_PER_STEP = 32
BITS_PER_STEP = 64
MAX_INT_BITS = 1_000_000
MAX_ARRAY_LENGTH = 1_000_000


class Outcome(Enum):
    OK = "ok"
    VIOLATION = "violation"
    INVALID_INPUT = "invalid-input"
    ASSUMPTION_FALSE = "assumption-false"
    CANNOT_EVALUATE = "cannot-evaluate"
    STEP_LIMIT = "step-limit"
    TOO_DEEP = "too-deep"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Violation:
    """A check that failed: its kind, where Dafny reports it and with which message, the
    clause it concerns (`related`, `description`), and what the run saw (`detail`). `site`
    identifies the check as the verifier's obligation for it does."""

    kind: ObligationKind
    span: Span
    message: str
    detail: str
    related: tuple[Span, ...] = ()
    description: str = ""
    owner: str = ""
    site: CheckSite = NO_SITE


@dataclass(frozen=True)
class TraceStep:
    """One executed statement (or loop-head visit) and the variables in scope after it."""

    span: Span
    text: str
    variables: tuple[tuple[str, str], ...]
    owner: str
    depth: int


@dataclass(frozen=True)
class RunResult:
    """How a run ended.

    `returns` holds the out-parameters of the method when its body finished (empty if the
    run stopped before); `message` says in words why a run stopped without a violation,
    and `span` where. `trace` keeps the last executed steps; `trace_dropped` counts the
    earlier ones left out.
    """

    outcome: Outcome
    violation: Violation | None
    returns: Mapping[str, object]
    steps: int
    trace: tuple[TraceStep, ...]
    message: str = ""
    span: Span | None = None
    trace_dropped: int = 0


class EvaluationFailed(Exception):
    """An expression evaluated for a loop table has no value (a failed check, no range...)."""


class _Stop(Exception):
    """Ends a run: carries its outcome."""

    def __init__(
        self, outcome: Outcome, message: str, span: Span | None = None, violation: Violation | None = None
    ):
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.span = span
        self.violation = violation


class _Return(Exception):
    """A `return` statement leaving its method, at `span`."""

    def __init__(self, span: Span):
        super().__init__()
        self.span = span


def _point(span: Span) -> Span:
    return Span.point(span.start_line, span.start_col)


def euclidean_div(a: int, b: int) -> int:
    """Dafny's `/`: a == b * (a / b) + a % b with 0 <= a % b < |b|."""
    return (a - euclidean_mod(a, b)) // b


def euclidean_mod(a: int, b: int) -> int:
    return a % abs(b)


# ------------------------------------------------------------------ frames


@dataclass
class _Frame:
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
        return [(self.names.get(uid, uid), value) for uid, value in self.env.items()]


@dataclass
class _Active:
    """A loop, call or quantifier under way, for saying which one did not finish."""

    kind: str
    name: str
    span: Span
    start: int


@dataclass(frozen=True)
class _Place:
    """Where an assignment stores: a variable, or an element of an array."""

    span: Span
    uid: str = ""
    ty: Type | None = None
    array: ArrayValue | None = None
    index: int = 0


@dataclass(frozen=True)
class _TraceEntry:
    node: ast.Stmt
    text: str
    owner: str
    depth: int
    variables: tuple[tuple[str, object], ...]
    log_position: int
    span: Span | None = None  # where the step is, if not at its statement (a match's case)


LoopObserver = Callable[["LoopProbe"], None]


@dataclass
class LoopProbe:
    """What a loop-table observer sees at a visit of the loop head: the loop, the iteration
    (0 on entry), the variables in scope, and a way to evaluate expressions there."""

    loop: ast.While
    iteration: int
    machine: _Machine
    frame: _Frame

    def variables(self) -> list[tuple[str, str]]:
        return [(name, show_value(value)) for name, value in self.frame.variables()]

    def evaluate(self, expr: ast.Expr) -> object:
        """The value of `expr` here; raises EvaluationFailed (with the reason) if it has none."""
        return self.machine.evaluate_quietly(expr, self.frame)


# ------------------------------------------------------------------ the machine


class _Machine:
    def __init__(
        self,
        checked: CheckedProgram,
        step_limit: int,
        max_depth: int,
        source: SourceFile | None,
        trace_limit: int,
        observer: tuple[ast.While, LoopObserver] | None,
    ) -> None:
        program = checked.program
        self.methods = {decl.name: decl for decl in program.methods()}
        self.functions = {decl.name: decl for decl in program.functions()}
        self.datatypes = {decl.name: decl for decl in program.datatypes()}
        self.subsets = Subsets(self.datatypes)
        # each constructor's destructors (named or made up) and their positions
        self.positions = {
            (decl.name, ctor.name): {
                ast.destructor_name(ctor, position): position for position in range(len(ctor.fields))
            }
            for decl in self.datatypes.values()
            for ctor in decl.ctors
        }
        self.components = checked.components
        self.recursive_decls = checked.recursive_decls
        self.step_limit = step_limit
        self.limit = step_limit
        self.max_depth = max_depth
        self.source = source
        self.observer = observer
        self.heap = Heap()
        self.steps = 0
        self.depth = 0
        self.active: list[_Active] = []
        self.trace: deque[_TraceEntry] = deque(maxlen=max(trace_limit, 0))
        self.traced = 0
        self.ranges: dict[int, QuantifierRange] = {}
        self.memo: dict[tuple, object] = {}
        self.checking_ensures: set[tuple] = set()
        self.finished: dict[str, object] = {}
        self.evaluators: dict[type, Callable[[ast.Expr, _Frame, int | None], object]] = {
            ast.IntLit: lambda e, f, v: e.value,
            ast.BoolLit: lambda e, f, v: e.value,
            ast.Name: lambda e, f, v: f.env[e.uid],
            ast.Unary: self.eval_unary,
            ast.Binary: self.eval_binary,
            ast.IfThenElse: self.eval_if_then_else,
            ast.Call: self.eval_call,
            ast.Old: lambda e, f, v: self.eval(e.expr, f, f.entry_time),
            ast.Fresh: self.eval_fresh,
            ast.Index: self.eval_index,
            ast.Slice: self.eval_slice,
            ast.SeqUpdate: self.eval_seq_update,
            ast.Length: self.eval_length,
            ast.Cardinality: lambda e, f, v: len(self.eval(e.expr, f, v)),
            ast.SeqDisplay: lambda e, f, v: tuple([self.eval(x, f, v) for x in e.elements]),
            ast.SetDisplay: lambda e, f, v: frozenset([self.eval(x, f, v) for x in e.elements]),
            ast.MultisetDisplay: lambda e, f, v: Multiset([self.eval(x, f, v) for x in e.elements]),
            ast.MultisetOf: self.eval_multiset_of,
            ast.NewArray: lambda e, f, v: self.allocate(e, f),
            ast.Quantifier: self.eval_quantifier,
            ast.Construct: self.eval_construct,
            ast.Destruct: self.eval_destruct,
            ast.IsCtor: lambda e, f, v: self.eval(e.obj, f, v).ctor == e.ctor,
            ast.Match: self.eval_match,
        }

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

    def show_variables(self, frame: _Frame) -> str:
        shown = [f"{name} = {show_value(value)}" for name, value in frame.variables()]
        return ", ".join(shown)

    def with_state(self, what: str, frame: _Frame) -> str:
        state = self.show_variables(frame)
        return f"{what} (with {state})" if state else what

    # ---- stopping

    def tick(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > self.limit:
            raise self.step_limit_stop()

    def step_limit_stop(self) -> _Stop:
        culprit = self.runaway()
        limit = f"{self.step_limit:,}"
        if culprit is None:
            return _Stop(Outcome.STEP_LIMIT, f"the run did not finish within {limit} steps")
        line = culprit.span.start_line
        if culprit.kind == "loop":
            message = f"the loop at line {line} did not finish within {limit} steps"
        elif culprit.kind == "call":
            message = f"the recursive calls of {culprit.name} (from line {line}) did not finish within {limit} steps"
        else:
            message = f"the quantifier at line {line} could not be evaluated within {limit} steps"
        return _Stop(Outcome.STEP_LIMIT, message, culprit.span)

    def runaway(self) -> _Active | None:
        """The innermost loop, recursion or quantifier under way that used most of the steps."""
        candidates: list[_Active] = []
        first_call: dict[str, _Active] = {}
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
        frame: _Frame,
        detail: str,
        related: tuple[Span, ...] = (),
        description: str = "",
        message: str = "",
        site: CheckSite = NO_SITE,
    ) -> _Stop:
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
        return _Stop(Outcome.VIOLATION, violation.message, span, violation)

    @contextlib.contextmanager
    def under_way(self, kind: str, name: str, span: Span) -> Iterator[_Active]:
        item = _Active(kind, name, span, self.steps)
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
                raise _Stop(
                    Outcome.TOO_DEEP,
                    f"the recursive calls of {name} (from line {line}) nest deeper than {self.max_depth:,} levels",
                    root.span if root else span,
                )
            yield
        finally:
            self.depth -= 1

    # ---- running

    def run(self, method: ast.Method, values: list[object]) -> RunResult:
        try:
            with _recursion_room(self.max_depth * PYTHON_FRAMES_PER_CALL):
                self.run_entry(method, values)
            return self.result(Outcome.OK)
        except _Stop as stop:
            return self.result(stop.outcome, stop.violation, stop.message, stop.span)
        except RecursionError:
            return self.result(Outcome.TOO_DEEP, message="the calls nest too deeply for the interpreter")
        except MemoryError:
            return self.result(Outcome.CANNOT_EVALUATE, message="the run needs more memory than there is")
        except Exception as error:  # a bug of the interpreter: say so, never raise
            message = f"internal error in the interpreter ({type(error).__name__}: {error})"
            return self.result(Outcome.INTERNAL, message=message)

    def result(
        self,
        outcome: Outcome,
        violation: Violation | None = None,
        message: str = "",
        span: Span | None = None,
    ) -> RunResult:
        if violation is not None and not message:
            message = violation.message
        return RunResult(
            outcome=outcome,
            violation=violation,
            returns=dict(self.finished),
            steps=self.steps,
            trace=self.finish_trace(),
            message=message,
            span=span,
            trace_dropped=self.traced - len(self.trace),
        )

    def run_entry(self, method: ast.Method, values: list[object]) -> None:
        for value in values:
            for array in arrays_in(value):
                self.heap.register(array, 0)
        call_span = method.name_span
        with self.under_way("call", method.name, call_span), self.deeper(method.name, call_span):
            frame = self.method_frame(method, values)
            self.check_inputs(method, frame)
            frame.modifies = self.frame_of(method.modifies, frame)
            frame.measure = self.measure_of(method, frame)
            self.execute_method(method, frame, entry=True)

    def check_inputs(self, method: ast.Method, frame: _Frame) -> None:
        for param in method.params:
            value = frame.env[param.name]
            if not conforms(value, param.ty, self.subsets):
                raise _Stop(
                    Outcome.INVALID_INPUT,
                    f"'{param.name}' is a {param.ty}, but is given {show_value(value)}",
                    param.span,
                )
        part = self.first_false(method.requires, frame, None)
        if part is not None:
            raise _Stop(
                Outcome.INVALID_INPUT,
                f"the precondition `{self.text(part)}` does not hold (with {self.show_variables(frame)})",
                part.span,
            )

    def method_frame(self, method: ast.Method, values: list[object]) -> _Frame:
        self.heap.clock += 1
        env: dict[str, object] = {
            param.name: value for param, value in zip(method.params, values, strict=True)
        }
        for out in method.returns:
            env[out.name] = self.default(out.ty)
        names = {uid: uid for uid in env}
        return _Frame(method, env, names, self.heap.clock, self.depth)

    def default(self, ty: Type | None) -> object:
        value = default_value(ast.resolved(ty, "a variable"), self.datatypes)
        if isinstance(value, ArrayValue):
            self.heap.register(value, 0)
        return value

    def frame_of(self, items: tuple[ast.Expr, ...], frame: _Frame) -> frozenset[int]:
        return frozenset(id(self.eval(item, frame, None)) for item in items)

    def recursive(self, caller: ast.Decl, callee: ast.Decl) -> bool:
        return callee.name in self.components.get(caller.name, frozenset())

    def measure_of(self, decl: ast.Method | ast.Function, frame: _Frame) -> tuple[Measured[object], ...]:
        """The termination measure: the decreases clause, else the non-array parameters."""
        if decl.name not in self.recursive_decls:
            return ()
        return self.measure_values(declaration_measure(decl), frame)

    def execute_method(self, method: ast.Method, frame: _Frame, entry: bool = False) -> None:
        if method.body is None:
            self.bodiless(method, frame)
            return
        try:
            exit_at = self.exec_block(method.body, frame, method.body.open_brace)
        except _Return as returned:
            exit_at = returned.span
        if entry:
            self.finished = {out.name: frame.env[out.name] for out in method.returns}
        assert exit_at is not None
        found = self.false_part(method.ensures, frame, None)
        if found is not None:
            site, part = found
            raise self.violation(
                ObligationKind.POSTCONDITION,
                exit_at,
                frame,
                f"the postcondition `{self.text(part)}` is false when {method.name} returns here",
                related=(part.token,),
                description=self.text(part),
                site=site,
            )

    def bodiless(self, method: ast.Method, frame: _Frame) -> None:
        if not method.is_lemma or method.returns:
            raise _Stop(
                Outcome.CANNOT_EVALUATE,
                f"{method.kind_word} {method.name} has no body to run",
                method.name_span,
            )
        part = self.first_false(method.ensures, frame, None)
        if part is not None:
            raise _Stop(
                Outcome.ASSUMPTION_FALSE,
                f"lemma {method.name} has no body, so its postcondition `{self.text(part)}` is "
                f"assumed; here it is false (with {self.show_variables(frame)})",
                part.span,
            )

    # ---- statements

    def exec_block(self, block: ast.Block, frame: _Frame, exit_at: Span | None) -> Span | None:
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

    def exec_stmt(self, stmt: ast.Stmt, frame: _Frame, exit_at: Span | None) -> Span | None:
        self.tick()
        if isinstance(stmt, ast.Block):
            return self.exec_block(stmt, frame, stmt.open_brace if exit_at else None)
        if isinstance(stmt, ast.If):
            return self.exec_if(stmt, frame, exit_at is not None)
        if isinstance(stmt, ast.While):
            self.exec_while(stmt, frame)
            return _point(stmt.span) if exit_at else None
        if isinstance(stmt, ast.MatchStmt):
            return self.exec_match(stmt, frame, exit_at is not None)
        match stmt:
            case ast.Return():
                self.exec_return(stmt, frame)
            case ast.VarDecl():
                self.exec_var_decl(stmt, frame)
            case ast.Assign():
                self.exec_assign(stmt, frame)
            case ast.CallStmt():
                self.call_method(stmt.call, frame)
            case ast.Assert():
                self.exec_assert(stmt, frame)
            case ast.Assume():
                self.exec_assume(stmt, frame)
            case ast.AssertBy():  # its proof is ghost: only the assertion runs
                self.exec_assert(ast.Assert(span=stmt.span, expr=stmt.expr, nid=stmt.nid), frame)
            case ast.Calc() | ast.ForallStmt():  # proofs: nothing of them runs
                pass
            case _:
                raise TypeError(f"the interpreter has no rule for {type(stmt).__name__}")
        self.record(stmt, frame)
        return exit_at

    def exec_match(self, stmt: ast.MatchStmt, frame: _Frame, tail: bool) -> Span | None:
        """The first case whose pattern matches runs, with the pattern's variables bound; in a
        method's last statement, a path that leaves through a case returns at that case."""
        value = self.eval(stmt.subject, frame, None)
        for case in stmt.cases:
            bound: dict[str, object] = {}
            if not self.matches(case.pattern, value, bound):
                continue
            frame.scopes.append(list(bound))
            try:
                for var in ast.pattern_variables(case.pattern):
                    frame.env[var.uid] = bound[var.uid]
                    frame.names[var.uid] = var.name
                self.record(stmt, frame, self.case_text(case.pattern), case.span)
                return self.exec_block(case.body, frame, _point(case.span) if tail else None)
            finally:
                for uid in frame.scopes.pop():
                    frame.env.pop(uid, None)
        raise self.missing_case(stmt, value, frame)

    def case_text(self, pattern: ast.Pattern) -> str:
        written = self.source.text_of(pattern.span) if self.source is not None else ""
        return f"case {written or show_pattern(pattern)} =>"

    def matches(self, pattern: ast.Pattern, value: object, bound: dict[str, object]) -> bool:
        """Whether `value` matches the pattern; if so, `bound` gets the values of its variables."""
        if pattern.ctor:
            if not isinstance(value, DataValue) or value.ctor != pattern.ctor:
                return False
            return all(
                self.matches(arg, item, bound)
                for arg, item in zip(pattern.args or (), value.args, strict=True)
            )
        if pattern.is_variable:
            bound[pattern.uid] = value
        return True

    def missing_case(self, match: ast.Match | ast.MatchStmt, value: object, frame: _Frame) -> _Stop:
        uncovered = uncovered_ctors(match, self.datatypes)
        return self.violation(
            ObligationKind.MATCH_COMPLETE,
            _point(match.span),
            frame,
            f"no case of the match matches the value {show_value(value)} of `{self.text(match.subject)}`",
            message=missing_case_message(match, uncovered),
        )

    def exec_if(self, stmt: ast.If, frame: _Frame, tail: bool) -> Span | None:
        if self.eval(stmt.cond, frame, None):
            return self.exec_block(stmt.then, frame, stmt.then.open_brace if tail else None)
        if isinstance(stmt.else_, ast.Block):
            return self.exec_block(stmt.else_, frame, stmt.else_.open_brace if tail else None)
        if isinstance(stmt.else_, ast.If):
            self.tick()
            return self.exec_if(stmt.else_, frame, tail)
        return _point(stmt.span) if tail else None

    def exec_while(self, loop: ast.While, frame: _Frame) -> None:
        parts = clause_parts(loop.invariants)
        measure_exprs = loop_measure(loop)
        with self.under_way("loop", "", loop.span):
            self.loop_head(loop, frame, 0, parts, ObligationKind.INVARIANT_ENTRY)
            iteration = 0
            while True:
                self.tick()
                if not self.eval(loop.cond, frame, None):
                    return
                progress = None
                if measure_exprs is not None:
                    progress = (measure_exprs, self.measure_values(measure_exprs, frame))
                self.exec_block(loop.body, frame, None)
                iteration += 1
                self.loop_head(loop, frame, iteration, parts, ObligationKind.INVARIANT_MAINTAINED, progress)

    def loop_head(
        self,
        loop: ast.While,
        frame: _Frame,
        iteration: int,
        parts: list[tuple[CheckSite, ast.Expr]],
        kind: ObligationKind,
        progress: tuple[tuple[ast.Expr, ...], tuple[Measured[object], ...]] | None = None,
    ) -> None:
        """A visit of the loop head. After an iteration, the measure (`progress`: its
        expressions and its value before the iteration) is checked first, then the invariants,
        in the verifier's order: a loop that makes no progress fails there only."""
        if self.observer is not None and self.observer[0] is loop:
            self.observer[1](LoopProbe(loop, iteration, self, frame))
        self.record(loop, frame, f"{self.stmt_text(loop)}   [iteration {iteration}]")
        if progress is not None:
            measure_exprs, before = progress
            self.check_loop_decreases(loop, frame, before, self.measure_values(measure_exprs, frame))
        for site, part in parts:
            if not self.eval(part, frame, None):
                when = "on entry to the loop" if iteration == 0 else f"after iteration {iteration}"
                raise self.violation(
                    kind,
                    part.token,
                    frame,
                    f"the invariant `{self.text(part)}` is false {when}",
                    description=self.text(part),
                    site=site,
                )

    def measure_values(self, exprs: tuple[ast.Expr, ...], frame: _Frame) -> tuple[Measured[object], ...]:
        """Each component's value with the order its type is compared in."""
        return tuple(
            (self.eval(expr, frame, None), order_of(ast.type_of(expr), self.datatypes)) for expr in exprs
        )

    def check_loop_decreases(
        self,
        loop: ast.While,
        frame: _Frame,
        before: tuple[Measured[object], ...],
        after: tuple[Measured[object], ...],
    ) -> None:
        guessed = loop.decreases is None
        while_at = _point(loop.span)
        shown = f"from {_show_measure(before)} to {_show_measure(after)}"
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
            raise self.violation(
                ObligationKind.DECREASES,
                while_at,
                frame,
                f"{what} did not decrease: it went {shown}",
                related=related,
                description=description,
                message=LOOP_NEEDS_DECREASES if guessed else "",
                site=decrease,
            )
        if not bounded_below(after, before, VALUES):
            raise self.violation(
                ObligationKind.DECREASES,
                bounded_at,
                frame,
                f"{what} went {shown}: it decreased from below zero",
                description=description,
                message=LOOP_NEEDS_DECREASES if guessed else BOUNDED_BELOW,
                site=bounded,
            )

    def decreases_text(self, decreases: ast.Decreases) -> str:
        if self.source is not None:
            found = self.source.text_of(decreases.span)
            if found:
                return found
        return "decreases " + ", ".join(show_expr(expr) for expr in decreases.exprs)

    def exec_var_decl(self, stmt: ast.VarDecl, frame: _Frame) -> None:
        if not stmt.rhs:
            for var in stmt.variables:
                self.declare(frame, var, self.default(var.ty))
            return
        places = [_Place(var.span, uid=var.uid, ty=var.ty) for var in stmt.variables]
        values = self.right_hand_values(stmt.rhs, places, frame)
        for var, value in zip(stmt.variables, values, strict=True):
            self.declare(frame, var, value)

    def declare(self, frame: _Frame, var: ast.LocalVar, value: object) -> None:
        frame.scopes[-1].append(var.uid)
        frame.env[var.uid] = value
        frame.names[var.uid] = var.name

    def exec_assign(self, stmt: ast.Assign, frame: _Frame) -> None:
        places = [self.place(target, stmt, frame) for target in stmt.targets]
        values = self.right_hand_values(stmt.rhs, places, frame)
        self.check_same_locations(places, values, frame)
        for place, value in zip(places, values, strict=True):
            if place.array is not None:
                self.heap.write(place.array, place.index, value)
            else:
                frame.env[place.uid] = value

    def place(self, target: ast.Expr, stmt: ast.Assign, frame: _Frame) -> _Place:
        """Evaluates `a[i]` on the left of `:=` first, as Dafny does, with its checks."""
        if not isinstance(target, ast.Index):
            assert isinstance(target, ast.Name)
            return _Place(target.span, uid=target.uid, ty=target.ty)
        array = self.eval(target.seq, frame, None)
        index = self.eval(target.index, frame, None)
        assert isinstance(array, ArrayValue)
        if not 0 <= index < len(array.elements):
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                target.token,
                frame,
                f"index {index} is out of range for an array of length {len(array.elements)}",
            )
        if not self.may_modify(frame, array):
            raise self.violation(
                ObligationKind.MODIFIES,
                _point(stmt.span),
                frame,
                f"`{self.text(target.seq)}` is not in the modifies clause of {frame.decl.name} "
                "and was not allocated by it",
            )
        return _Place(target.span, ty=ast.type_of(target.seq).element, array=array, index=index)

    def may_modify(self, frame: _Frame, array: ArrayValue) -> bool:
        return id(array) in frame.modifies or self.heap.allocated(array) >= frame.entry_time

    def right_hand_values(
        self, rhs: tuple[ast.Expr, ...], places: list[_Place], frame: _Frame
    ) -> list[object]:
        if len(rhs) == 1 and isinstance(rhs[0], ast.Call) and rhs[0].name in self.methods:
            values = self.call_method(rhs[0], frame)
            for place, value in zip(places, values, strict=True):
                self.check_subset(place.ty, value, place.span, frame)
            return values
        values = []
        for place, expr in zip(places, rhs, strict=True):
            value = (
                self.allocate(expr, frame) if isinstance(expr, ast.NewArray) else self.eval(expr, frame, None)
            )
            self.check_subset(place.ty, value, expr.span, frame)
            values.append(value)
        return values

    def check_subset(self, ty: Type | None, value: object, span: Span, frame: _Frame) -> None:
        """A value stored where a type goes: its subset constraints, at every depth."""
        if ty is not None and ty.name != "array" and not conforms(value, ty, self.subsets):
            detail = (
                f"the value {value} is not a nat"
                if ty == NAT
                else f"the value {show_value(value)} does not satisfy the constraints of '{ty}'"
            )
            message = "" if ty == NAT else SUBSET_MESSAGE.format(target=ty)
            raise self.violation(ObligationKind.SUBSET_TYPE, span, frame, detail, message=message)

    def check_same_locations(self, places: list[_Place], values: list[object], frame: _Frame) -> None:
        for second, place in enumerate(places):
            for first in range(second):
                other = places[first]
                if place.array is None or other.array is not place.array or other.index != place.index:
                    continue
                if values[first] != values[second]:
                    raise self.violation(
                        ObligationKind.SAME_LOCATION,
                        place.span,
                        frame,
                        f"both left-hand sides are element {place.index} of one array, assigned "
                        f"{show_value(values[first])} and {show_value(values[second])}",
                        message=SAME_LOCATION.format(first=first, second=second),
                    )

    def allocate(self, expr: ast.NewArray, frame: _Frame) -> ArrayValue:
        size = self.eval(expr.size, frame, None)
        if size < 0:
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                expr.size.span,
                frame,
                f"the size {size} is negative",
                message=NEGATIVE_SIZE,
            )
        if size > MAX_ARRAY_LENGTH:
            raise _Stop(
                Outcome.CANNOT_EVALUATE,
                f"an array of {size:,} elements is more than the interpreter allocates ({MAX_ARRAY_LENGTH:,})",
                expr.span,
            )
        self.tick(size // ELEMENTS_PER_STEP)
        element_ty = ast.type_of(expr).element
        return self.heap.allocate([self.default(element_ty) for _ in range(size)])

    def exec_return(self, stmt: ast.Return, frame: _Frame) -> None:
        if stmt.values:
            method = frame.decl
            assert isinstance(method, ast.Method)
            places = [_Place(out.span, uid=out.name, ty=out.ty) for out in method.returns]
            values = self.right_hand_values(stmt.values, places, frame)
            for out, value in zip(method.returns, values, strict=True):
                frame.env[out.name] = value
        self.record(stmt, frame)
        raise _Return(_point(stmt.span))

    def exec_assert(self, stmt: ast.Assert, frame: _Frame) -> None:
        for index, part in enumerate(split_conjuncts(stmt.expr)):
            if not self.eval(part, frame, None):
                raise self.violation(
                    ObligationKind.ASSERTION,
                    part.token,
                    frame,
                    f"the assertion `{self.text(part)}` is false here",
                    description=self.text(part),
                    site=CheckSite(stmt.nid, index),
                )

    def exec_assume(self, stmt: ast.Assume, frame: _Frame) -> None:
        if not self.eval(stmt.expr, frame, None):
            raise _Stop(
                Outcome.ASSUMPTION_FALSE,
                f"the assumption `{self.text(stmt.expr)}` at line {stmt.span.start_line} is false, so the run "
                f"stops there (with {self.show_variables(frame)})",
                stmt.span,
            )

    # ---- calls

    def call_method(self, call: ast.Call, caller: _Frame) -> list[object]:
        callee = self.methods[call.name]
        values = self.arguments(call, callee.params, caller)
        with self.under_way("call", callee.name, call.span), self.deeper(callee.name, call.span):
            frame = self.method_frame(callee, values)
            frame.depth = self.depth
            self.check_call_preconditions(call, callee, frame, caller, ObligationKind.PRECONDITION)
            for item in callee.modifies:
                array = self.eval(item, frame, None)
                if not self.may_modify(caller, array):
                    raise self.violation(
                        ObligationKind.MODIFIES,
                        call.name_span,
                        caller,
                        f"{callee.name} may modify `{self.text(item)}`, which {caller.decl.name} may not",
                        message=CALL_MODIFIES,
                        site=CheckSite(at=call.nid),
                    )
            frame.modifies = self.frame_of(callee.modifies, frame)
            frame.measure = self.measure_of(callee, frame)
            if self.recursive(caller.decl, callee):
                self.check_termination(call, callee, frame.measure, caller)
            self.execute_method(callee, frame)
            return [frame.env[out.name] for out in callee.returns]

    def arguments(
        self, call: ast.Call, params: tuple[ast.Param, ...], caller: _Frame, view: int | None = None
    ) -> list[object]:
        values = []
        for arg, param in zip(call.args, params, strict=True):
            value = self.eval(arg, caller, view)
            self.check_subset(param.ty, value, arg.span, caller)
            values.append(value)
        return values

    def check_call_preconditions(
        self,
        call: ast.Call,
        callee: ast.Method | ast.Function,
        frame: _Frame,
        caller: _Frame,
        kind: ObligationKind,
        view: int | None = None,
    ) -> None:
        found = self.false_part(callee.requires, frame, view, call.nid)
        if found is not None:
            site, part = found
            args = ", ".join(show_value(frame.env[param.name]) for param in callee.params)
            raise self.violation(
                kind,
                call.name_span,
                caller,
                f"{callee.name}({args}) is called, but its precondition `{self.text(part)}` is false",
                related=(part.token,),
                description=self.text(part),
                site=site,
            )

    def check_termination(
        self,
        call: ast.Call,
        callee: ast.Method | ast.Function,
        measure: tuple[Measured[object], ...],
        caller: _Frame,
    ) -> None:
        if not decreases(measure, caller.measure, VALUES, bounded=True):
            raise self.violation(
                ObligationKind.TERMINATION,
                call.name_span,
                caller,
                f"the recursive call to {callee.name} has the measure {_show_measure(measure)}, which is not "
                f"smaller than {_show_measure(caller.measure)} (and at least 0) of {caller.decl.name}",
                site=CheckSite(at=call.nid),
            )

    def eval_call(self, call: ast.Call, caller: _Frame, view: int | None) -> object:
        function = self.functions.get(call.name)
        if function is None:  # a method call stands only on the right of `:=`, handled there
            raise _Stop(Outcome.INTERNAL, f"'{call.name}' is not a function", call.span)
        values = self.arguments(call, function.params, caller, view)
        env = {param.name: value for param, value in zip(function.params, values, strict=True)}
        frame = _Frame(function, env, {uid: uid for uid in env}, caller.entry_time, self.depth + 1)
        frame.reads = self.frame_of(function.reads, frame)
        self.check_call_preconditions(
            call, function, frame, caller, ObligationKind.FUNCTION_PRECONDITION, view
        )
        key = self.memo_key(function, values, frame, view)
        if key in self.checking_ensures:  # F(x) in the ensures of F(x) is its result, as in Dafny
            return self.memo[key]
        frame.measure = self.measure_of(function, frame)
        if isinstance(caller.decl, ast.Function) and self.recursive(caller.decl, function):
            self.check_termination(call, function, frame.measure, caller)
        if key in self.memo:
            return self.memo[key]
        if function.body is None:
            raise _Stop(
                Outcome.CANNOT_EVALUATE, f"{function.kind_word} {function.name} has no body", call.span
            )
        with self.under_way("call", function.name, call.span), self.deeper(function.name, call.span):
            frame.depth = self.depth
            result = self.eval(function.body, frame, view)
            self.check_subset(function.result_ty, result, function.body.span, frame)
            self.memo[key] = result
            self.checking_ensures.add(key)
            try:
                self.check_function_postconditions(function, frame, view)
            finally:
                self.checking_ensures.discard(key)
        return result

    def memo_key(
        self, function: ast.Function, values: list[object], frame: _Frame, view: int | None
    ) -> tuple:
        read = tuple(
            tuple(self.heap.contents(array, view))
            for array in _arrays_by_id(values, frame.reads or frozenset())
        )
        return (function.name, tuple(values), read)

    def check_function_postconditions(self, function: ast.Function, frame: _Frame, view: int | None) -> None:
        found = self.false_part(function.ensures, frame, view)
        if found is not None:
            site, part = found
            raise self.violation(
                ObligationKind.POSTCONDITION,
                function.name_span,
                frame,
                f"the postcondition `{self.text(part)}` of {function.name} is false",
                related=(part.token,),
                description=self.text(part),
                site=site,
            )

    def first_false(
        self, clauses: tuple[ast.SpecClause, ...], frame: _Frame, view: int | None
    ) -> ast.Expr | None:
        """The first conjunct of the clauses that is false, as the verifier splits them."""
        found = self.false_part(clauses, frame, view)
        return found[1] if found is not None else None

    def false_part(
        self,
        clauses: tuple[ast.SpecClause, ...],
        frame: _Frame,
        view: int | None,
        at: ast.NodeId | None = None,
    ) -> tuple[CheckSite, ast.Expr] | None:
        """The first conjunct of the clauses that is false, with its site (`at`: the call)."""
        return next(
            ((site, part) for site, part in clause_parts(clauses, at) if not self.eval(part, frame, view)),
            None,
        )

    # ---- expressions

    def eval(self, expr: ast.Expr, frame: _Frame, view: int | None) -> object:
        """The value of `expr` in `frame`; `view` is the clock time whose array contents are
        read (a method's entry time inside `old`), None for the current ones."""
        self.steps += 1
        if self.steps > self.limit:
            raise self.step_limit_stop()
        return self.evaluators[type(expr)](expr, frame, view)

    def eval_unary(self, expr: ast.Unary, frame: _Frame, view: int | None) -> object:
        value = self.eval(expr.operand, frame, view)
        return -value if expr.op == "-" else not value

    def eval_if_then_else(self, expr: ast.IfThenElse, frame: _Frame, view: int | None) -> object:
        branch = expr.then if self.eval(expr.cond, frame, view) else expr.else_
        return self.eval(branch, frame, view)

    def eval_binary(self, expr: ast.Binary, frame: _Frame, view: int | None) -> object:
        op = expr.op
        if op == "&&":
            return bool(self.eval(expr.left, frame, view)) and bool(self.eval(expr.right, frame, view))
        if op == "||":
            return bool(self.eval(expr.left, frame, view)) or bool(self.eval(expr.right, frame, view))
        if op == "==>":
            return (not self.eval(expr.left, frame, view)) or bool(self.eval(expr.right, frame, view))
        if op == "<==":
            return (not self.eval(expr.right, frame, view)) or bool(self.eval(expr.left, frame, view))
        left = self.eval(expr.left, frame, view)
        right = self.eval(expr.right, frame, view)
        if op in ("/", "%"):
            if right == 0:
                raise self.violation(
                    ObligationKind.DIVISION_BY_ZERO,
                    expr.op_span,
                    frame,
                    f"the divisor `{self.text(expr.right)}` is 0",
                )
            return euclidean_div(left, right) if op == "/" else euclidean_mod(left, right)
        if isinstance(left, DataValue) and isinstance(right, DataValue):  # compared node by node
            self.tick(min(left.size, right.size) // ELEMENTS_PER_STEP)
        value = _combine(op, left, right)
        self.charge(value)
        return value

    def charge(self, value: object) -> None:
        """Large numbers and collections cost steps in proportion to their size."""
        if isinstance(value, int):
            bits = value.bit_length()
            if bits > 4 * BITS_PER_STEP:
                if bits > MAX_INT_BITS:
                    raise _Stop(
                        Outcome.CANNOT_EVALUATE,
                        f"a number has more than {MAX_INT_BITS:,} bits: too large to compute with",
                    )
                self.tick(bits // BITS_PER_STEP)
        elif isinstance(value, tuple | frozenset | Multiset):
            self.tick(len(value) // ELEMENTS_PER_STEP)

    def eval_fresh(self, expr: ast.Fresh, frame: _Frame, view: int | None) -> object:
        array = self.eval(expr.expr, frame, view)
        return self.heap.allocated(array) >= frame.entry_time

    def eval_construct(self, expr: ast.Construct, frame: _Frame, view: int | None) -> DataValue:
        """A constructor's arguments, each checked against its field's type in the value's instance."""
        args = tuple([self.eval(arg, frame, view) for arg in expr.args])
        datatype = self.datatypes[expr.datatype]
        ctor = datatype.ctor(expr.ctor)
        assert ctor is not None
        for arg, value, ty in zip(
            expr.args, args, datatype.field_types(ctor, ast.type_of(expr)), strict=True
        ):
            self.check_subset(ty, value, arg.span, frame)
        return DataValue(expr.datatype, expr.ctor, args)

    def eval_destruct(self, expr: ast.Destruct, frame: _Frame, view: int | None) -> object:
        value = self.eval(expr.obj, frame, view)
        assert isinstance(value, DataValue)
        if value.ctor not in expr.ctors:
            ctors = " or ".join(f"'{name}'" for name in expr.ctors)
            raise self.violation(
                ObligationKind.DESTRUCTOR,
                expr.name_span,
                frame,
                f"`{self.text(expr.obj)}` is {show_value(value)}, and '{expr.name}' exists only for {ctors}",
                message=f"destructor '{expr.name}' can only be applied to datatype values constructed by {ctors}",
            )
        return value.args[self.positions[value.datatype, value.ctor][expr.name]]

    def eval_match(self, expr: ast.Match, frame: _Frame, view: int | None) -> object:
        value = self.eval(expr.subject, frame, view)
        for case in expr.cases:
            bound: dict[str, object] = {}
            if not self.matches(case.pattern, value, bound):
                continue
            saved = {uid: frame.env[uid] for uid in bound if uid in frame.env}
            for var in ast.pattern_variables(case.pattern):
                frame.env[var.uid] = bound[var.uid]
                frame.names[var.uid] = var.name
            try:
                return self.eval(case.body, frame, view)
            finally:
                for uid in bound:
                    frame.env.pop(uid, None)
                frame.env.update(saved)
        raise self.missing_case(expr, value, frame)

    def sequence_of(
        self, expr: ast.Expr, base: object, frame: _Frame, view: int | None
    ) -> tuple[object, ...] | list[object]:
        if isinstance(base, ArrayValue):
            if frame.reads is not None and id(base) not in frame.reads:
                raise self.violation(
                    ObligationKind.READS,
                    expr.token,
                    frame,
                    f"{frame.decl.name} reads `{self.text(expr.seq)}`, which its reads clause does not name",
                )
            self.check_allocated(base, expr.seq, frame, view)
            return self.heap.contents(base, view)
        return base

    def check_allocated(self, array: ArrayValue, expr: ast.Expr, frame: _Frame, view: int | None) -> None:
        """In `old(...)`, an array must have existed when the method began."""
        if view is not None and self.heap.allocated(array) >= view:
            raise self.violation(
                ObligationKind.ALLOCATED,
                expr.span,
                frame,
                f"`{self.text(expr)}` was allocated after {frame.decl.name} began, where `old` reads it",
            )

    def eval_length(self, expr: ast.Length, frame: _Frame, view: int | None) -> int:
        array = self.eval(expr.array, frame, view)
        self.check_allocated(array, expr.array, frame, view)
        return len(array.elements)

    def eval_index(self, expr: ast.Index, frame: _Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        index = self.eval(expr.index, frame, view)
        items = self.sequence_of(expr, base, frame, view)
        if not 0 <= index < len(items):
            what = "an array" if isinstance(base, ArrayValue) else "a sequence"
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"index {index} is out of range for {what} of length {len(items)}",
            )
        return items[index]

    def eval_slice(self, expr: ast.Slice, frame: _Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        lo = self.eval(expr.lo, frame, view) if expr.lo is not None else None
        hi = self.eval(expr.hi, frame, view) if expr.hi is not None else None
        items = self.sequence_of(expr, base, frame, view)
        size = len(items)
        is_array = isinstance(base, ArrayValue)
        if lo is not None and not (lo >= 0 and (hi is not None or lo <= size)):
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"the lower bound {lo} is out of range for length {size}",
                message=LOWER_BOUND,
            )
        if hi is not None and not ((lo or 0) <= hi <= size):
            message = UPPER_BOUND.format(what="array" if is_array else "sequence")
            if lo is None:
                message = UPPER_BOUND_ONLY
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"the bounds {lo if lo is not None else 0}..{hi} are out of range for length {size}",
                message=message,
            )
        result = tuple(items[lo:hi])
        self.charge(result)
        return result

    def eval_seq_update(self, expr: ast.SeqUpdate, frame: _Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        index = self.eval(expr.index, frame, view)
        value = self.eval(expr.value, frame, view)
        assert isinstance(base, tuple)
        if not 0 <= index < len(base):
            raise self.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"index {index} is out of range for a sequence of length {len(base)}",
            )
        result = base[:index] + (value,) + base[index + 1 :]
        self.charge(result)
        return result

    def eval_multiset_of(self, expr: ast.MultisetOf, frame: _Frame, view: int | None) -> object:
        result = Multiset(self.eval(expr.expr, frame, view))
        self.charge(result)
        return result

    def eval_quantifier(self, expr: ast.Quantifier, frame: _Frame, view: int | None) -> object:
        found = self.ranges.get(id(expr))
        if found is None:
            found = self.ranges[id(expr)] = find_range(expr)
        enumerator = Enumerator(found, lambda bound: self.eval(bound, frame, view))
        variables = [var.uid for var in expr.bound]
        saved = {uid: frame.env[uid] for uid in variables if uid in frame.env}
        try:
            with self.under_way("quantifier", "", expr.span):
                return self.quantify(expr, enumerator, variables, set(), frame, view)
        except Unbounded as unbounded:
            names = ", ".join(f"'{name}'" for name in unbounded.names)
            joiner = "`==>`" if expr.is_forall else "`&&`"
            raise _Stop(
                Outcome.CANNOT_EVALUATE,
                f"cannot evaluate the quantifier at line {expr.span.start_line}: no range found for {names} "
                f"(bound each variable before {joiner}, e.g. `0 <= k < |s|` or `k in s`)",
                expr.span,
            ) from None
        finally:
            for uid in variables:
                frame.env.pop(uid, None)
            frame.env.update(saved)

    def quantify(
        self,
        expr: ast.Quantifier,
        enumerator: Enumerator,
        remaining: list[str],
        assigned: set[str],
        frame: _Frame,
        view: int | None,
    ) -> bool:
        if not remaining:
            return bool(self.eval(expr.body, frame, view))
        var, domain = enumerator.next_domain(remaining, assigned)
        rest = [other for other in remaining if other != var]
        for value in domain:
            self.tick()
            frame.env[var] = value
            holds = self.quantify(expr, enumerator, rest, assigned | {var}, frame, view)
            if holds != expr.is_forall:
                return holds
        return expr.is_forall

    # ---- loop tables

    def evaluate_quietly(self, expr: ast.Expr, frame: _Frame) -> object:
        steps, limit, depth = self.steps, self.limit, self.depth
        self.limit = self.steps + PROBE_STEP_BUDGET
        try:
            return self.eval(expr, frame, None)
        except _Stop as stop:
            reason = stop.violation.detail if stop.violation is not None else stop.message
            raise EvaluationFailed(reason) from None
        except RecursionError:
            raise EvaluationFailed("the calls nest too deeply") from None
        finally:
            self.steps, self.limit, self.depth = steps, limit, depth

    # ---- the trace

    def record(
        self, stmt: ast.Stmt, frame: _Frame, text: str | None = None, span: Span | None = None
    ) -> None:
        if isinstance(frame.decl, ast.Function) or self.trace.maxlen == 0:
            return
        self.traced += 1
        self.trace.append(
            _TraceEntry(
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


# ------------------------------------------------------------------ helpers


def _combine(op: str, left: object, right: object) -> object:
    if op == "<==>" or op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "in":
        return left in right  # type: ignore[operator]
    if op == "!in":
        return left not in right  # type: ignore[operator]
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    if op == ">=":
        return left >= right  # type: ignore[operator]
    if isinstance(left, frozenset):
        return {"+": left | right, "-": left - right, "*": left & right}[op]  # type: ignore[operator]
    if op == "+":
        return left + right  # type: ignore[operator]
    if op == "-":
        return left - right  # type: ignore[operator]
    if op == "*":
        return left * right  # type: ignore[operator]
    raise ValueError(f"unknown operator {op}")


class ValueLogic:
    """Dafny's orders (`semantics.Order`) on run-time values: what a run checks. A datatype
    value's rank is its height, which each constructor argument is below."""

    def key(self, value: object, key: Key) -> object:
        if key is Key.LENGTH:
            return len(value)  # type: ignore[arg-type]
        return value.height if key is Key.RANK and isinstance(value, DataValue) else value

    def below(self, new: object, old: object, relation: Relation) -> bool:
        if relation is Relation.BOOL:
            return not new and bool(old)
        return new < old  # type: ignore[operator]  # ints, proper subsets and sub-multisets

    def at_least_zero(self, value: object) -> bool:
        return value >= 0  # type: ignore[operator]

    def equal(self, new: object, old: object) -> bool:
        return new == old

    def conj(self, items: Sequence[object]) -> bool:
        return all(items)

    def disj(self, items: Sequence[object]) -> bool:
        return any(items)

    def implies(self, premise: object, conclusion: object) -> bool:
        return not premise or bool(conclusion)


VALUES = ValueLogic()


def _show_measure(measure: tuple[Measured[object], ...]) -> str:
    shown = ", ".join(show_value(value) for value, _ in measure)
    return shown if len(measure) == 1 else f"({shown})"


def _arrays_by_id(values: list[object], ids: frozenset[int]) -> list[ArrayValue]:
    found: dict[int, ArrayValue] = {}
    for value in values:
        for array in arrays_in(value):
            if id(array) in ids:
                found.setdefault(id(array), array)
    return [found[key] for key in sorted(found, key=lambda key: found[key].ident)]


def _show_then(value: object, contents: dict[int, list[object]]) -> str:
    if isinstance(value, ArrayValue):
        elements = contents.get(id(value), value.elements)
        return "[" + ", ".join(_show_then(item, contents) for item in elements) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show_then(item, contents) for item in value) + "]"
    if isinstance(value, DataValue) and value.holds_arrays:
        return show_data(value, lambda item: _show_then(item, contents))
    return show_value(value)


@contextlib.contextmanager
def _recursion_room(frames: int) -> Iterator[None]:
    """Lets Python recurse as deep as the interpreter's own depth limit needs, for the run."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# ------------------------------------------------------------------ the entry points


def bind_arguments(method: ast.Method, args: Mapping[str, object]) -> list[object]:
    """The arguments in parameter order, as run-time values; raises ValueError if one is
    missing, unknown or of the wrong type."""
    names = [param.name for param in method.params]
    unknown = sorted(set(args) - set(names))
    if unknown:
        raise ValueError(f"{method.name} has no parameter {', '.join(repr(name) for name in unknown)}")
    missing = [name for name in names if name not in args]
    if missing:
        raise ValueError(f"no value given for {', '.join(repr(name) for name in missing)}")
    return [
        coerce(args[param.name], ast.resolved(param.ty, param.name), f"the argument '{param.name}'")
        for param in method.params
    ]


def find_method(checked: CheckedProgram, method: str) -> ast.Method:
    decl = checked.decl(method)
    if not isinstance(decl, ast.Method):
        known = ", ".join(m.name for m in checked.program.methods()) or "none"
        raise ValueError(f"there is no method or lemma named '{method}' (there are: {known})")
    return decl


def execute(
    checked: CheckedProgram,
    method: str,
    args: Mapping[str, object],
    *,
    step_limit: int = DEFAULT_STEP_LIMIT,
    max_depth: int = DEFAULT_MAX_DEPTH,
    source: SourceFile | None = None,
    trace_limit: int = DEFAULT_TRACE_LIMIT,
    observer: tuple[ast.While, LoopObserver] | None = None,
) -> RunResult:
    """`run_method`, with a callback at each visit of the head of one loop."""
    decl = find_method(checked, method)
    values = bind_arguments(decl, args)
    machine = _Machine(checked, step_limit, max_depth, source, trace_limit, observer)
    return machine.run(decl, values)


def run_method(
    checked: CheckedProgram,
    method: str,
    args: Mapping[str, object],
    *,
    step_limit: int = DEFAULT_STEP_LIMIT,
    max_depth: int = DEFAULT_MAX_DEPTH,
    source: SourceFile | None = None,
    trace_limit: int = DEFAULT_TRACE_LIMIT,
) -> RunResult:
    """Run `method` of a checked program on `args` (parameter name -> value) and check its
    contracts on the way; never raises for a program that type-checks.

    Values: int, bool, tuple (seq), frozenset (set), `Multiset`, `ArrayValue` (see
    `make_array`; lists are accepted for sequences and arrays), `DataValue` (a datatype's,
    e.g. `DataValue("List", "Cons", (1, DataValue("List", "Nil")))`). Arrays are references: the
    run changes the arrays it is given, and one array given for two parameters is one
    array in the run. Raises ValueError only if the method does not exist or the arguments
    do not fit its parameters. `source` (the program's text) makes messages quote it as
    written; `max_depth` bounds how deeply calls nest; `trace_limit` how many of the last
    steps the trace keeps.
    """
    return execute(
        checked,
        method,
        args,
        step_limit=step_limit,
        max_depth=max_depth,
        source=source,
        trace_limit=trace_limit,
    )


def precondition_holds(
    checked: CheckedProgram, method: str, args: Mapping[str, object], *, step_limit: int = 20_000
) -> bool:
    """Whether `args` are valid inputs of `method`: its `nat` parameters are not negative and
    its `requires` clauses hold (evaluating them without running the body)."""
    decl = find_method(checked, method)
    values = bind_arguments(decl, args)
    machine = _Machine(checked, step_limit, DEFAULT_MAX_DEPTH, None, 0, None)
    for value in values:
        for array in arrays_in(value):
            machine.heap.register(array, 0)
    try:
        with _recursion_room(DEFAULT_MAX_DEPTH * PYTHON_FRAMES_PER_CALL):
            machine.check_inputs(decl, machine.method_frame(decl, values))
    except (_Stop, RecursionError):
        return False
    except Exception:
        return False
    return True


def evaluate_constant(checked: CheckedProgram, owner: ast.Method, expr: ast.Expr) -> object:
    """The value of an expression without variables (a literal such as `[1, -2]`) that was
    type-checked inside `owner`; raises EvaluationFailed if it has none (`1 / 0`)."""
    machine = _Machine(checked, PROBE_STEP_BUDGET, DEFAULT_MAX_DEPTH, None, 0, None)
    frame = _Frame(owner, {}, {}, entry_time=0, depth=0)
    return machine.evaluate_quietly(expr, frame)
