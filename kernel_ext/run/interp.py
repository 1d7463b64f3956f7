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

This module is the interface: the entry points and, from `results.py`, the records of a
run. The interpreter itself is in parts that share the state of the run (`machine.py`:
frames, heap, step budget, trace, violations): `evaluate.py` evaluates expressions,
`statements.py` executes statements, `calls.py` calls methods and functions and checks
their contracts and termination. `_Interpreter` builds the parts of one run and connects
them.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.subsets import Subsets
from kernel_ext.run.calls import Calls
from kernel_ext.run.evaluate import PROBE_STEP_BUDGET, VALUES, Evaluator, euclidean_div, euclidean_mod
from kernel_ext.run.machine import Frame, Machine, Stop
from kernel_ext.run.results import EvaluationFailed, Outcome, RunResult, TraceStep, Violation
from kernel_ext.run.statements import LoopObserver, LoopProbe, Statements
from kernel_ext.run.values import arrays_in, coerce

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_STEP_LIMIT",
    "DEFAULT_TRACE_LIMIT",
    "VALUES",
    "EvaluationFailed",
    "LoopObserver",
    "LoopProbe",
    "Outcome",
    "RunResult",
    "TraceStep",
    "Violation",
    "bind_arguments",
    "euclidean_div",
    "euclidean_mod",
    "evaluate_constant",
    "execute",
    "find_method",
    "precondition_holds",
    "run_method",
    "subset_rules",
]

DEFAULT_STEP_LIMIT = 100_000
DEFAULT_MAX_DEPTH = 1_000
DEFAULT_TRACE_LIMIT = 500
# Python frames the interpreter may use per nested MiniDafny call, generously.
PYTHON_FRAMES_PER_CALL = 40


class _Interpreter:
    """One run: the shared state (`Machine`) and the parts that act on it, each given the
    others it calls. Expressions call functions and method bodies run statements, which
    call methods: those two edges are connected once all parts exist."""

    def __init__(
        self,
        checked: CheckedProgram,
        machine: Machine,
        observer: tuple[ast.While, LoopObserver] | None = None,
    ) -> None:
        self.machine = machine
        self.evaluator = Evaluator(self.machine)
        self.calls = Calls(checked, self.machine, self.evaluator)
        self.statements = Statements(self.machine, self.evaluator, self.calls, observer)
        self.evaluator.connect(self.calls.call_function)
        self.machine.subsets.test = self.evaluator.constraint_holds
        self.machine.witness_of = self.evaluator.witness_value
        self.calls.connect(self.statements.exec_block)

    def run(self, method: ast.Method, values: list[object]) -> RunResult:
        return self.guarded(lambda: self.calls.run_entry(method, values))

    def call(self, function: ast.Function, values: list[object]) -> RunResult:
        """`function` called on `values` as from outside the program: its precondition, the
        checks of its body and of the calls it makes (termination too) and its postcondition."""
        params = {param.name: value for param, value in zip(function.params, values, strict=True)}
        outside = Frame(
            ast.Method(name="", span=function.span, name_span=function.name_span),
            params,
            {name: name for name in params},
            0,
            0,
        )
        call = ast.Call(
            span=function.name_span,
            name=function.name,
            name_span=function.name_span,
            args=tuple(
                ast.Name(span=param.span, name=param.name, ty=param.ty, uid=param.name)
                for param in function.params
            ),
            ty=function.result_ty,
        )
        return self.guarded(lambda: self.calls.call_function(call, outside, None))

    def guarded(self, run: Callable[[], object]) -> RunResult:
        try:
            with _recursion_room(self.machine.max_depth * PYTHON_FRAMES_PER_CALL):
                run()
            return self.result(Outcome.OK)
        except Stop as stop:
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
        machine = self.machine
        return RunResult(
            outcome=outcome,
            violation=violation,
            returns=dict(machine.finished),
            steps=machine.steps,
            trace=machine.finish_trace(),
            message=message,
            span=span,
            trace_dropped=machine.traced - len(machine.trace),
            output="".join(machine.output),
        )


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
        coerce(args[param.name], ast.type_of(param), f"the argument '{param.name}'")
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
    machine = Machine(checked, step_limit, max_depth, source, trace_limit)
    return _Interpreter(checked, machine, observer).run(decl, values)


def run_function(
    checked: CheckedProgram,
    function: str,
    args: Mapping[str, object],
    *,
    step_limit: int = DEFAULT_STEP_LIMIT,
) -> RunResult:
    """Call a function of a checked program on `args` (parameter name -> value), checking
    everything a call checks; never raises for a program that type-checks (ValueError if
    the function does not exist or an argument does not fit)."""
    decl = checked.decl(function)
    if not isinstance(decl, ast.Function) or decl.body is None:
        raise ValueError(f"there is no function with a body named '{function}'")
    values = [
        coerce(args[param.name], ast.type_of(param), f"the argument '{param.name}'") for param in decl.params
    ]
    machine = Machine(checked, step_limit, DEFAULT_MAX_DEPTH, None, DEFAULT_TRACE_LIMIT)
    return _Interpreter(checked, machine).call(decl, values)


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
    run = _Interpreter(checked, Machine(checked, step_limit, DEFAULT_MAX_DEPTH, None, 0))
    for value in values:
        for array in arrays_in(value):
            run.machine.heap.register(array, 0)
    try:
        with _recursion_room(DEFAULT_MAX_DEPTH * PYTHON_FRAMES_PER_CALL):
            run.calls.check_inputs(decl, run.calls.method_frame(decl, values))
    except (Stop, RecursionError):
        return False
    except Exception:
        return False
    return True


def subset_rules(checked: CheckedProgram) -> Subsets:
    """The program's subset-type rules, with its declared subset types' constraints evaluated
    (by a run of their own, on a small budget per value)."""
    run = _Interpreter(checked, Machine(checked, PROBE_STEP_BUDGET, DEFAULT_MAX_DEPTH, None, 0))
    rules = run.machine.subsets

    def holds(decl: ast.SubsetType, value: object) -> bool:
        assert decl.predicate is not None and decl.predicate.body is not None
        frame = Frame(decl.predicate, {param.name: value for param in decl.predicate.params}, {}, 0, 0)
        try:
            return bool(run.evaluator.evaluate_quietly(decl.predicate.body, frame))
        except EvaluationFailed:
            return False

    return Subsets(rules.datatypes, rules.declared, holds)


def evaluate_in(
    checked: CheckedProgram, owner: ast.Method, expr: ast.Expr, env: Mapping[str, object]
) -> object:
    """The value of an expression of `owner` for the variables' values in `env` (by unique
    id); raises EvaluationFailed if it has none."""
    run = _Interpreter(checked, Machine(checked, PROBE_STEP_BUDGET, DEFAULT_MAX_DEPTH, None, 0))
    frame = Frame(owner, dict(env), {uid: uid for uid in env}, entry_time=0, depth=0)
    return run.evaluator.evaluate_quietly(expr, frame)


def evaluate_constant(checked: CheckedProgram, owner: ast.Method, expr: ast.Expr) -> object:
    """The value of an expression without variables (a literal such as `[1, -2]`) that was
    type-checked inside `owner`; raises EvaluationFailed if it has none (`1 / 0`)."""
    run = _Interpreter(checked, Machine(checked, PROBE_STEP_BUDGET, DEFAULT_MAX_DEPTH, None, 0))
    frame = Frame(owner, {}, {}, entry_time=0, depth=0)
    return run.evaluator.evaluate_quietly(expr, frame)
