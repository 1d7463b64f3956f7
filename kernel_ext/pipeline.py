"""verify(text) -> VerificationReport: the one entry point to the whole pipeline."""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import INTERNAL, SYNTAX, TOO_LARGE, Diagnostic, DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.printer import show_expr
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.return_paths import return_path
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.obligations import Obligation, ObligationKind
from kernel_ext.report import Assumption, LoopSummary, ObligationResult, VerificationReport
from kernel_ext.results import ReplayVerdict, Status
from kernel_ext.verify.limits import Limits

if TYPE_CHECKING:
    from kernel_ext.explain.counterexample import Trace
    from kernel_ext.verify.smt import Prover, SolverOutcome
    from kernel_ext.verify.vcgen import ProofTask

MAX_CHARACTERS = 2_000_000


@dataclass(frozen=True)
class Options:
    limits: Limits = field(default_factory=Limits)
    only: str | None = None  # verify one declaration
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    # the declarations whose loops get the loop view, with one concrete run's iteration table
    loop_views: frozenset[str] = frozenset()
    # for each proved postcondition of these declarations, also ask whether any input reaches it
    # (grading: a postcondition that no input reaches proves nothing)
    vacuity: frozenset[str] = frozenset()
    # check each part of a postcondition without assuming the parts before it (grading)
    independent_postconditions: bool = False


@dataclass
class OutcomeCache:
    """Solver outcomes by task content: unchanged checks are not proved twice."""

    outcomes: dict[str, SolverOutcome] = field(default_factory=dict)

    def lookup(self, task: ProofTask, limits: Limits) -> SolverOutcome | None:
        return self.outcomes.get(_cache_key(task, limits))

    def store(self, task: ProofTask, limits: Limits, outcome: SolverOutcome) -> None:
        self.outcomes[_cache_key(task, limits)] = outcome


def _cache_key(task: ProofTask, limits: Limits) -> str:
    return f"{task.key}/{limits.rlimit}/{limits.seed}"


def verify(
    text: str,
    name: str = "<input>",
    options: Options | None = None,
    cache: OutcomeCache | None = None,
) -> VerificationReport:
    """Parse, check and prove a MiniDafny text; never raises for any input. Interrupted
    (Ctrl-C), it stops Z3 and raises KeyboardInterrupt; no interrupted check is cached."""
    options = options or Options()
    started = time.perf_counter()
    source = SourceFile(name, text)
    try:
        tasks, checked = _prepare(source, options)
        results = _prove_all(tasks, options, cache, checked)
        declarations = tuple(decl.name for decl in checked.program.decls)
        loops = _loop_summaries(checked, source, results, options)
    except DiagnosticError as error:
        return VerificationReport(
            name, tuple(error.diagnostics), time_s=time.perf_counter() - started, warnings=_warnings(source)
        )
    except Exception as error:  # a bug of ours: say so plainly, never show a traceback
        diagnostic = Diagnostic(
            INTERNAL,
            Span.point(1, 1),
            f"internal error in the verifier ({type(error).__name__}: {error})",
            hint="This is a bug in MiniDafny, not in your program. Please report it with the program.",
        )
        return VerificationReport(name, (diagnostic,), time_s=time.perf_counter() - started)
    warnings = checked.program.warnings
    assumptions = tuple(a for a in _assumptions(checked.program) if options.only in (None, a.owner))
    return VerificationReport(
        name,
        (),
        results,
        time.perf_counter() - started,
        declarations,
        loops,
        warnings=warnings,
        assumptions=assumptions,
    )


def _assumptions(program: ast.Program) -> tuple[Assumption, ...]:
    """The program's `assume` statements, in source order."""
    return tuple(
        Assumption(stmt.span, show_expr(stmt.expr), method.name)
        for method in program.methods()
        if method.body is not None
        for stmt in ast.walk_stmts(method.body)
        if isinstance(stmt, ast.Assume)
    )


def _warnings(source: SourceFile) -> tuple[Diagnostic, ...]:
    """The parser's warnings of a text that failed later (none when it does not parse)."""
    try:
        return parse(source).warnings
    except (DiagnosticError, RecursionError):
        return ()


def _prepare(source: SourceFile, options: Options) -> tuple[list[ProofTask], CheckedProgram]:
    if len(source.text) > MAX_CHARACTERS:
        raise DiagnosticError(
            [
                Diagnostic(
                    TOO_LARGE,
                    Span.point(1, 1),
                    f"the text has {len(source.text):,} characters; MiniDafny verifies at most "
                    f"{MAX_CHARACTERS:,} at once",
                    hint="Split it into several cells or files.",
                )
            ]
        )
    try:
        program = parse(source)
        checked = resolve(program)
        tasks = _lowered(checked, source, options)
    except RecursionError:
        raise DiagnosticError(
            [
                Diagnostic(
                    TOO_LARGE,
                    Span.point(1, 1),
                    "an expression or statement is nested too deeply to verify",
                    hint="Break it up with local variables or helper functions.",
                )
            ]
        ) from None
    if options.only is not None:
        if checked.decl(options.only) is None:
            raise DiagnosticError(
                [
                    Diagnostic(
                        SYNTAX, Span.point(1, 1), f"there is no method or function named '{options.only}'"
                    )
                ]
            )
        tasks = [task for task in tasks if task.obligation.owner == options.only]
    return tasks, checked


def _lowered(checked: CheckedProgram, source: SourceFile, options: Options) -> list[ProofTask]:
    # the verifier proper is loaded once the program parses, type-checks and declares
    # something: a student's parse or type error is reported without it
    if not checked.program.decls:
        return []
    from kernel_ext.verify.lower import lower
    from kernel_ext.verify.vcgen import generate

    return generate(lower(checked, source), independent_postconditions=options.independent_postconditions)


def _loop_summaries(
    checked: CheckedProgram, source: SourceFile, results: tuple[ObligationResult, ...], options: Options
) -> tuple[LoopSummary, ...]:
    if not options.loop_views:
        return ()
    from kernel_ext.explain.loopinfo import loop_summaries

    return loop_summaries(checked, source, results, options.loop_views)


def _prove_all(
    tasks: list[ProofTask], options: Options, cache: OutcomeCache | None, checked: CheckedProgram
) -> tuple[ObligationResult, ...]:
    """Each task in its own Z3 context, side by side on worker threads (Z3 releases the GIL).
    The traces are built here, as the outcomes come in: the replays run the interpreter,
    which an interrupt stops only on this thread."""
    if not tasks:
        return ()
    from kernel_ext.verify.smt import Prover, Workers  # Z3 is loaded only when there is something to prove

    with Workers(options.jobs) as workers:
        prover = Prover(options.limits, workers.cancellation)
        futures = workers.map(lambda task: _check(task, prover, cache, _asks_vacuity(task, options)), tasks)
        return tuple(
            _result(task, future.result(), checked) for task, future in zip(tasks, futures, strict=True)
        )


@dataclass(frozen=True)
class _TaskOutcome:
    outcome: SolverOutcome
    cached: bool
    vacuous: bool = False


def _asks_vacuity(task: ProofTask, options: Options) -> bool:
    ob = task.obligation
    return ob.owner in options.vacuity and ob.kind == ObligationKind.POSTCONDITION


def _check(task: ProofTask, prover: Prover, cache: OutcomeCache | None, vacuity: bool) -> _TaskOutcome:
    """The task's outcome, from the cache or from Z3 (a cancelled check raises, so only
    finished checks are cached)."""
    limits = prover.limits
    outcome = cache.lookup(task, limits) if cache is not None else None
    cached = outcome is not None
    if outcome is None:
        outcome = prover.check(task)
        if cache is not None:
            cache.store(task, limits, outcome)
    vacuous = vacuity and outcome.status == Status.PROVED and _unreachable(task, prover)
    return _TaskOutcome(outcome, cached, vacuous)


def _result(task: ProofTask, found: _TaskOutcome, checked: CheckedProgram) -> ObligationResult:
    ob = task.obligation
    outcome = found.outcome
    return ObligationResult(
        kind=ob.kind,
        span=ob.span,
        owner=ob.owner,
        procedure=task.procedure,
        message=ob.message,
        related=ob.related,
        description=ob.description,
        status=outcome.status,
        time_ms=0.0 if found.cached else outcome.time_ms,
        reason=outcome.reason,
        cached=found.cached,
        trace=_trace(task, outcome, checked),
        vc=task.sequent,
        vacuous=found.vacuous,
        site=ob.site,
        path=_return_path(ob, checked),
    )


def _return_path(ob: Obligation, checked: CheckedProgram) -> str:
    """A postcondition's return path in words (the report keeps Dafny's position of it)."""
    decl = checked.decl(ob.owner)
    if ob.kind != ObligationKind.POSTCONDITION or not isinstance(decl, ast.Method):
        return ""
    return return_path(decl, ob.span)


def _unreachable(task: ProofTask, prover: Prover) -> bool:
    """Whether the path to the obligation is infeasible: then `false` follows there too."""
    from kernel_ext.verify import terms as t

    return prover.check(dataclasses.replace(task, goal=t.FALSE)).status == Status.PROVED


def _trace(task: ProofTask, outcome: SolverOutcome, checked: CheckedProgram) -> Trace | None:
    """The counterexample of a failed obligation, replayed; none if the model cannot be read
    (a trace is an aid: its absence must never hide the verdict)."""
    decl = checked.decl(task.obligation.owner)
    if outcome.status != Status.FAILED or outcome.model is None or decl is None:
        return None
    from kernel_ext.explain.counterexample import Replay, build_trace  # the explain stage: failures only
    from kernel_ext.explain.replay import replay

    try:
        datatypes = {datatype.name: datatype for datatype in checked.program.datatypes()}
        trace = build_trace(task, outcome.model, decl, datatypes)
    except Exception:  # noqa: BLE001 - see the docstring
        return None
    try:
        verdict = replay(trace, task.obligation, checked)
    except Exception as error:  # noqa: BLE001 - the same: a bug of the replay, not of the program
        verdict = Replay(ReplayVerdict.NOT_RUN, f"the replay failed ({type(error).__name__})")
    return dataclasses.replace(trace, replay=verdict)
