"""Terms -> Z3, and checking one proof task under fixed limits. The only module that imports z3.

Checks run on worker threads (`Workers`) and can be cancelled (`Cancellation`): that is how
an interrupt (Ctrl-C, a notebook's stop button) stops Z3 at once."""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar

import z3

from kernel_ext.results import Status
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t
from kernel_ext.verify.limits import Limits
from kernel_ext.verify.vcgen import ProofTask

COUNTEREXAMPLE_SHARE = 5  # of the resource limit, for each search of a small counterexample
PRELUDE = ("(declare-sort Fuel 0)", "(declare-sort Ref 0)", "(declare-fun $succ (Fuel) Fuel)")


# Z3 refuses these inside a pattern, with a warning on stderr, and then drops the pattern
NOT_IN_PATTERNS = frozenset({t.Op.ITE, t.Op.AND, t.Op.OR, t.Op.NOT, t.Op.IMPLIES, t.Op.IFF, t.Op.EQ, t.Op.NE})


def _usable_pattern(group: tuple[t.Term, ...]) -> bool:
    """Whether Z3 accepts a multi-pattern: no if-then-else, connective or quantifier in it.
    A quantifier left without any keeps Z3's own choice of triggers."""
    stack = list(group)
    while stack:
        term = stack.pop()
        if isinstance(term, t.Forall) or (isinstance(term, t.App) and term.op in NOT_IN_PATTERNS):
            return False
        stack.extend(t.children(term))
    return True


class ModelView:
    """A counterexample: the model Z3 found for a failed task, asked about terms afterwards.
    It keeps the task's own Z3 context alive; use it from one thread at a time."""

    def __init__(self, model: z3.ModelRef, context: z3.Context, writer: _Smt2Writer):
        self._model = model
        self._context = context
        self._writer = writer

    def value(self, term: t.Term) -> z3.ExprRef | None:
        """The term's value in the model (completed where the model is silent), or None if
        Z3 cannot read it."""
        return self._evaluate(term, completion=True)

    def is_free(self, term: t.Term) -> bool:
        """Whether the model leaves the term unconstrained: any value would do."""
        parsed = self._parse(term)
        if parsed is None:
            return True
        value = self._model.eval(parsed, model_completion=False)
        return value.eq(parsed)

    def interprets(self, application: t.FunApp) -> bool:
        """Whether the model says what the function is at these arguments. A function Z3 has
        no axioms for (arithmetic, a datatype's constructors) always has a meaning. An
        axiomatized one (sequences, sets, user functions) has one only where the model lists
        these arguments: its default value elsewhere need not satisfy the axioms, so
        `|[4, 5]|` read from it could be 1."""
        parsed = self._parse(application)
        return parsed is not None and self._listed(parsed)

    def _listed(self, expr: z3.ExprRef) -> bool:
        if not z3.is_app(expr) or expr.num_args() == 0:
            return True
        if not all(self._listed(child) for child in expr.children()):
            return False
        decl = expr.decl()
        if decl.kind() != z3.Z3_OP_UNINTERPRETED:
            return True
        if decl not in self._model:
            return False
        table = self._model.get_interp(decl)
        arguments = [self._model.eval(child, model_completion=False) for child in expr.children()]
        return any(
            all(table.entry(row).arg_value(k).eq(argument) for k, argument in enumerate(arguments))
            for row in range(table.num_entries())
        )

    def _evaluate(self, term: t.Term, completion: bool) -> z3.ExprRef | None:
        parsed = self._parse(term)
        return None if parsed is None else self._model.eval(parsed, model_completion=completion)

    def _parse(self, term: t.Term) -> z3.ExprRef | None:
        declarations = [text for _, text in sorted(self._writer.symbols(term))]
        written = self._writer.text(term)
        script = "\n".join([*PRELUDE, *declarations, f"(assert (= {written} {written}))"])
        try:
            return z3.parse_smt2_string(script, ctx=self._context)[0].arg(0)
        except (z3.Z3Exception, IndexError):
            return None


STOP_GRACE_S = 0.5  # how long interrupted workers get to stop before they are left to finish alone
STOP_POLL_S = 0.01

Item = TypeVar("Item")
Result = TypeVar("Result")


class Cancelled(KeyboardInterrupt):
    """Raised in a worker whose checks were cancelled: the user interrupted, there is no verdict."""


class Cancellation:
    """The Z3 contexts that one verification has in use, so that an interrupt can stop every
    check running in them (`Context.interrupt` is thread-safe) and keep new ones from starting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._contexts: set[z3.Context] = set()
        self.cancelled = False

    @contextmanager
    def context(self) -> Iterator[z3.Context]:
        """A fresh Z3 context, which `cancel` interrupts while it is in use."""
        context = z3.Context()
        with self._lock:
            self._contexts.add(context)
        try:
            self.raise_if_cancelled()
            yield context
        finally:
            with self._lock:
                self._contexts.discard(context)

    def check(self, solver: z3.Solver) -> z3.CheckSatResult:
        """`solver.check()`, or Cancelled if cancelled before or while it runs: the answer
        of an interrupted check is never taken for a verdict."""
        self.raise_if_cancelled()
        answer = solver.check()
        self.raise_if_cancelled()
        return answer

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            contexts = list(self._contexts)
        for context in contexts:
            context.interrupt()


class Workers:
    """Z3 work on worker threads while the calling thread waits for the results.

    Python runs signal handlers in the main thread only, and not while it is inside Z3: a
    check run there would hold Ctrl-C back until it ends. Waiting for a worker, the main
    thread gets the KeyboardInterrupt at once; leaving the `with` block by an exception then
    cancels every check and waits for the workers to stop. Z3 does not look for interrupts
    everywhere (nonlinear arithmetic can go on for long), so after STOP_GRACE_S a worker is
    left to finish alone, its result dropped."""

    def __init__(self, jobs: int):
        self.cancellation = Cancellation()
        self._jobs = max(1, jobs)
        self._threads: list[threading.Thread] = []
        self._futures: list[Future] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if error is not None or not all(future.done() for future in self._futures):
            self.stop()
        else:
            for thread in self._threads:
                thread.join()

    def map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> list[Future[Result]]:
        """`function` of each item, on up to `jobs` threads; the futures in the items' order."""
        work: deque[tuple[Future[Result], Item]] = deque((Future(), item) for item in items)
        futures = [future for future, _ in work]
        self._futures += futures
        for _ in range(min(self._jobs, len(work))):
            thread = threading.Thread(
                target=self._work, args=(function, work), name="minidafny-z3", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        return futures

    def submit(self, call: Callable[[], Result]) -> Future[Result]:
        return self.map(lambda _: call(), [None])[0]

    def _work(self, function: Callable[[Item], Result], work: deque[tuple[Future[Result], Item]]) -> None:
        if hasattr(signal, "pthread_sigmask"):  # so that Ctrl-C wakes the waiting main thread
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while work and not self.cancellation.cancelled:
            try:
                future, item = work.popleft()
            except IndexError:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(item))
            except BaseException as error:  # noqa: BLE001 - the waiting thread raises it
                future.set_exception(error)

    def stop(self) -> None:
        """Cancel every check, and wait (STOP_GRACE_S at most) for the workers to end."""
        for future in self._futures:
            future.cancel()
        self.cancellation.cancel()
        deadline = time.monotonic() + STOP_GRACE_S
        while (alive := [thread for thread in self._threads if thread.is_alive()]) and (
            time.monotonic() < deadline
        ):
            with suppress(KeyboardInterrupt):  # pressed again: it is being stopped already
                alive[0].join(STOP_POLL_S)
            # Again and again: Z3 forgets an interrupt that comes just before a check starts.
            self.cancellation.cancel()


@dataclass(frozen=True)
class SolverOutcome:
    status: Status
    time_ms: float
    reason: str = ""
    model: ModelView | None = field(default=None, compare=False)


class Prover:
    """Checks tasks one by one. Each check gets a fresh Z3 context, so that its verdict depends
    on the task alone (a shared context changes Z3's search, and so its answers); what is
    shared is only the SMT-LIB text of terms, which is context-free."""

    def __init__(self, limits: Limits, cancellation: Cancellation | None = None):
        self.limits = limits
        self.writer = _Smt2Writer()
        self.cancellation = cancellation or Cancellation()

    def check(self, task: ProofTask) -> SolverOutcome:
        """The task's outcome; Cancelled if the checks are cancelled meanwhile."""
        started = time.perf_counter()
        script = self.writer.script(task)
        with self.cancellation.context() as context:
            return self._check(task, script, context, started)

    def _check(self, task: ProofTask, script: str, context: z3.Context, started: float) -> SolverOutcome:
        solver = z3.Solver(ctx=context)
        solver.set(
            "rlimit",
            self.limits.rlimit,
            "timeout",
            self.limits.timeout_ms,
            "random_seed",
            self.limits.seed,
            "auto_config",
            False,
            "mbqi",
            False,
            # Solving equations away would also take ground terms out of the E-graph (`m = a[0]`
            # substituted into its uses), and with them the instances of quantifiers that the
            # proof needs, as in `exists k :: a[k] == m`. Without quantifiers it only helps:
            # a long chain of assignments becomes one term.
            "solve_eqs",
            not _quantified(task),
            # Z3 would otherwise take Ctrl-C from Python while it checks, cancel this one check
            # and leave the program running; `Cancellation` stops every check instead.
            "ctrl_c",
            False,
        )
        try:
            solver.from_string(script)
            answer = self.cancellation.check(solver)
        except z3.Z3Exception as error:  # never a proof
            self.cancellation.raise_if_cancelled()
            return SolverOutcome(Status.UNKNOWN, _since(started), str(error))
        if answer == z3.unsat:
            return SolverOutcome(Status.PROVED, _since(started))
        reason = solver.reason_unknown() if answer == z3.unknown else ""
        if answer == z3.unknown and not _is_incompleteness(reason):
            elapsed = _since(started)
            return SolverOutcome(Status.UNKNOWN, elapsed, _explain_unknown(reason, elapsed, self.limits))
        own = self._model(solver, context)  # read first: the search below changes the solver
        model = self.counterexample(solver, task, context) or own
        return SolverOutcome(Status.FAILED, _since(started), reason, model)

    def counterexample(self, solver: z3.Solver, task: ProofTask, context: z3.Context) -> ModelView | None:
        """The model to show. Sequence elements are uninterpreted, so Z3's model says
        nothing reliable about an element that no axiom instance mentions: the elements a
        trace will show are named first (as fresh constants equal to them), so that the
        model is built with their axioms instantiated. Small inputs are preferred (integers
        within ±SMALL, lengths up to SMALL_LENGTH): easier to read and to replay."""
        observed = self._parse([_defined(term, n) for n, term in enumerate(_observations(task))], context)
        bounds = self._parse([_bound(term) for term in _input_measures(task)], context)
        # A nicer model is worth a fraction of the proof's effort: past that, Z3's own model.
        solver.set("rlimit", max(1, self.limits.rlimit // COUNTEREXAMPLE_SHARE))
        try:
            for extra in ([*observed, *bounds], observed) if bounds else (observed,):
                solver.push()
                solver.add(*extra)
                answer = self.cancellation.check(solver)
                if answer == z3.sat or (answer == z3.unknown and _is_incompleteness(solver.reason_unknown())):
                    return self._model(solver, context)
                solver.pop()
        except z3.Z3Exception:
            return None
        finally:
            solver.set("rlimit", self.limits.rlimit)
        return None

    def _model(self, solver: z3.Solver, context: z3.Context) -> ModelView | None:
        """The counterexample. When Z3 gave up on quantifiers it keeps no model unless asked for
        its candidate, which changes how it reports giving up: so ask only afterwards."""
        try:
            return ModelView(solver.model(), context, self.writer)
        except z3.Z3Exception:
            pass
        try:
            solver.set("candidate_models", True)
            self.cancellation.check(solver)
            return ModelView(solver.model(), context, self.writer)
        except z3.Z3Exception:
            return None

    def _parse(self, formulas: list[t.Term], context: z3.Context) -> list[z3.ExprRef]:
        if not formulas:
            return []
        symbols = sorted(set().union(*(self.writer.symbols(f) for f in formulas)))
        lines = [
            *PRELUDE,
            *(text for _, text in symbols),
            *(f"(assert {self.writer.text(f)})" for f in formulas),
        ]
        try:
            return list(z3.parse_smt2_string("\n".join(lines), ctx=context))
        except z3.Z3Exception:
            return []

    def smtlib(self, task: ProofTask) -> str:
        """The task as an SMT-LIB script (to read, or to run with any SMT solver)."""
        return self.writer.script(task) + "(check-sat)\n"


def _quantified(task: ProofTask) -> bool:
    """Whether a quantifier other than the literal marks' identity (`$lit(x) == x`, which
    needs no ground term kept) takes part in the task."""
    axioms = [axiom for axiom in task.axioms if not lit.is_identity_axiom(axiom)]
    terms = [task.goal, task.hypothesis, *(value for _, value in task.definitions), *axioms]
    return any(t.has_quantifier(term) for term in terms)


def check(task: ProofTask, limits: Limits) -> SolverOutcome:
    """Check one task on its own."""
    return Prover(limits).check(task)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _is_incompleteness(reason: str) -> bool:
    """Z3 gives up on quantifiers without a limit being hit: Dafny reports that as a failure."""
    return "incomplete" in reason or "(sat)" in reason


def _explain_unknown(reason: str, elapsed_ms: float, limits: Limits) -> str:
    # Z3 says "canceled" both when the resource limit and when the timeout stops it.
    if "resource" in reason or "rlimit" in reason:
        return "resource limit reached"
    if "timeout" in reason or ("canceled" in reason and elapsed_ms >= 0.9 * limits.timeout_ms):
        return "time limit reached"
    if "canceled" in reason:
        return "resource limit reached"
    return reason or "the solver gave up"


SMALL = 10
SMALL_LENGTH = 6
OBSERVED = 8  # sequence elements named before a trace is read
SMALL_RANK = 3  # datatype inputs preferred at most this many constructors deep (plus one)
DATA_DEPTH = 5  # the constructors of a datatype value named before a trace is read
DATA_OBSERVED = 200


def _input_measures(task: ProofTask) -> list[t.Term]:
    """The integers, array lengths and sequence lengths of the task's inputs (the initial
    versions of its variables)."""
    inputs: dict[str, t.Var] = {}
    roots = [task.hypothesis, task.goal, *(value for _, value in task.definitions)]
    for term in _distinct_subterms(roots, into_quantifiers=False):
        if isinstance(term, t.Var) and term.symbol.version == 0:
            inputs[term.name] = term
    found: list[t.Term] = []
    int_heap = inputs.get(enc.heap(t.INT).at(0).name)
    for name in sorted(inputs):
        var = inputs[name]
        if var.sort in (t.INT, t.REAL):
            found.append(var)
        elif var.sort == t.REF:
            found.append(enc.length(var))
            if int_heap is not None:
                contents = t.app(t.Op.SELECT, int_heap, var)
                found += [t.app(t.Op.SELECT, contents, t.IntVal(k)) for k in range(SMALL_LENGTH)]
        elif var.sort == t.seq_sort(t.INT):
            found.append(enc.seq_len(var))
            found += [enc.nth(var, t.IntVal(k)) for k in range(SMALL_LENGTH)]
        elif dt.is_datatype_sort(var.sort):
            found.append(dt.rank(var))
    return found


def _bound(term: t.Term) -> t.Term:
    if isinstance(term, t.FunApp) and _is_length(term.symbol):
        return t.app(t.Op.LE, term, t.IntVal(SMALL_LENGTH))
    if isinstance(term, t.FunApp) and term.symbol.role == t.Role.RANK:
        return t.and_(t.app(t.Op.LE, t.IntVal(0), term), t.app(t.Op.LE, term, t.IntVal(SMALL_RANK)))
    low, high = (
        (t.RealVal(-SMALL), t.RealVal(SMALL))
        if t.sort_of(term) == t.REAL
        else (t.IntVal(-SMALL), t.IntVal(SMALL))
    )
    return t.and_(t.app(t.Op.LE, low, term), t.app(t.Op.LE, term, high))


def _is_length(symbol: t.Symbol) -> bool:
    return symbol.role == t.Role.LENGTH or (symbol.role == t.Role.SEQUENCE and symbol.source == "Length")


def _observations(task: ProofTask) -> list[t.Term]:
    """The lengths and first elements of the sequences that a trace of the task shows."""
    mentioned = task.hypothesis.free_names | task.goal.free_names
    for var, value in task.definitions:
        mentioned |= value.free_names | {var.name}
    found: dict[str, t.Var] = {}
    for point in task.points:
        for _, var in point.names:
            if var.sort.name == "Seq" and var.name in mentioned:
                found[var.name] = var
    terms: list[t.Term] = []
    for name in sorted(found):
        var = found[name]
        terms.append(enc.seq_len(var))
        terms += [enc.nth(var, t.IntVal(k)) for k in range(OBSERVED)]
    return terms + _data_observations(task)


def _data_observations(task: ProofTask) -> list[t.Term]:
    """The tags of the datatype values a trace shows, DATA_DEPTH constructors deep. A named
    tag makes Z3 apply the datatype's axioms to the value (it is its constructor applied to
    its fields, each of a smaller rank), so that the value read back is one the axioms allow:
    finite, and small when the inputs' ranks are bounded."""
    variables: dict[str, t.Var] = {}
    destructors: dict[t.Sort, dict[str, tuple[t.Symbol, t.Sort]]] = {}
    roots = [task.hypothesis, task.goal, *task.axioms, *(term for pair in task.definitions for term in pair)]
    for term in _distinct_subterms(roots, into_quantifiers=True):
        if isinstance(term, t.Var) and dt.is_datatype_sort(term.sort) and term.symbol.role != t.Role.BOUND:
            variables[term.name] = term
        elif isinstance(term, t.FunApp) and term.fuel is None and len(term.args) == 1:
            owner = t.sort_of(term.args[0])
            if dt.is_datatype_sort(owner) and dt.is_datatype_sort(term.sort) and _follows(term, owner):
                destructors.setdefault(owner, {})[term.name] = (term.symbol, term.sort)
    terms: list[t.Term] = []
    frontier: list[t.Term] = [variables[name] for name in sorted(variables)]
    for _ in range(DATA_DEPTH):
        following: list[t.Term] = []
        for term in frontier:
            terms.append(dt.tag(term))
            fields = destructors.get(t.sort_of(term), {})
            for name in sorted(fields):
                symbol, sort = fields[name]
                following.append(t.FunApp.of(symbol, (term,), sort))
        frontier = following[: DATA_OBSERVED - len(terms)]
    return terms[:DATA_OBSERVED]


def _follows(term: t.FunApp, owner: t.Sort) -> bool:
    """Whether a value's observation goes on through this function of it: its destructors,
    and a constructor of one argument of its own sort (`Succ(n)`)."""
    role = term.symbol.role
    return role == t.Role.DESTRUCTOR or (role == t.Role.CONSTRUCTOR and term.sort == owner)


def _distinct_subterms(roots: list[t.Term], into_quantifiers: bool) -> Iterator[t.Term]:
    """Each distinct term object under the roots once (terms share subterms)."""
    stack = list(roots)
    seen: set[int] = set()
    while stack:
        term = stack.pop()
        if id(term) in seen:
            continue
        seen.add(id(term))
        yield term
        if into_quantifiers or not isinstance(term, t.Forall):
            stack.extend(t.children(term))


def _defined(term: t.Term, number: int) -> t.Term:
    """`$obs.N = term`, for a fresh `$obs.N`: puts the term into Z3's E-graph."""
    observed = t.Symbol(t.Role.OBSERVED, f"$obs.{number}", "observed")
    return t.eq(t.Var.of(observed, t.sort_of(term)), term)


def _sort(sort: t.Sort) -> str:
    if sort.name == "Seq":
        return _symbol(f"Seq.{sort.element}")
    if not sort.args:
        return _symbol(sort.name)
    return f"({sort.name} {' '.join(_sort(arg) for arg in sort.args)})"


@functools.cache
def _sort_declarations(sort: t.Sort) -> frozenset[tuple[str, str]]:
    """The sequence sorts within a sort, each an uninterpreted sort of its own (declared
    first: the leading space orders them before every function symbol)."""
    found = frozenset().union(*(_sort_declarations(arg) for arg in sort.args))
    if sort.name == "Seq" or dt.is_datatype_sort(sort):
        found |= {(f" {sort}", f"(declare-sort {_sort(sort)} 0)")}
    return found


OPERATORS = {
    t.Op.ADD: "+",
    t.Op.SUB: "-",
    t.Op.MUL: "*",
    t.Op.DIV: "div",
    t.Op.MOD: "mod",
    t.Op.NEG: "-",
    t.Op.LT: "<",
    t.Op.LE: "<=",
    t.Op.GT: ">",
    t.Op.GE: ">=",
    t.Op.EQ: "=",
    t.Op.NE: "distinct",
    t.Op.AND: "and",
    t.Op.OR: "or",
    t.Op.NOT: "not",
    t.Op.IMPLIES: "=>",
    t.Op.IFF: "=",
    t.Op.ITE: "ite",
    t.Op.FUEL_SUCC: "$succ",
    t.Op.SELECT: "select",
    t.Op.STORE: "store",
    t.Op.MAP_ADD: "(_ map (+ (Int Int) Int))",
    t.Op.MAP_AND: "(_ map and)",
    t.Op.MAP_OR: "(_ map or)",
    t.Op.MAP_NOT: "(_ map not)",
    t.Op.REAL_DIV: "/",
    t.Op.TO_REAL: "to_real",
    t.Op.TO_INT: "to_int",
    t.Op.IS_INT: "is_int",
}  # SMT-LIB's div and mod are Euclidean, as Dafny's / and %


def _symbol(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[0].isdigit() else f"|{name}|"


def _real_text(value: t.RealVal) -> str:
    magnitude = f"{abs(value.numerator)}.0"
    if value.denominator != 1:
        magnitude = f"(/ {magnitude} {value.denominator}.0)"
    return magnitude if value.numerator >= 0 else f"(- {magnitude})"


class _Smt2Writer:
    """Terms as SMT-LIB text, memoised by term identity (terms are immutable and shared)."""

    def __init__(self) -> None:
        self.memo: dict[int, tuple[t.Term, str, frozenset[tuple[str, str]]]] = {}

    def script(self, task: ProofTask) -> str:
        assertions = [self.text(axiom) for axiom in task.axioms]
        assertions += [f"(= {self.text(var)} {self.text(value)})" for var, value in task.definitions]
        assertions += [self.text(task.hypothesis), f"(not {self.text(task.goal)})"]
        declarations: set[tuple[str, str]] = set()
        for term in (*task.axioms, *(var for var, _ in task.definitions), *(v for _, v in task.definitions)):
            declarations |= self.symbols(term)
        declarations |= self.symbols(task.hypothesis) | self.symbols(task.goal)
        lines = list(PRELUDE)
        lines += [declaration for _, declaration in sorted(declarations)]
        lines += [f"(assert {assertion})" for assertion in assertions]
        return "\n".join(lines) + "\n"

    def text(self, term: t.Term) -> str:
        return self._entry(term)[1]

    def symbols(self, term: t.Term) -> frozenset[tuple[str, str]]:
        return self._entry(term)[2]

    def _entry(self, term: t.Term) -> tuple[t.Term, str, frozenset[tuple[str, str]]]:
        hit = self.memo.get(id(term))
        if hit is not None and hit[0] is term:
            return hit
        text, symbols = self._write_new(term, frozenset())
        entry = (term, text, symbols)
        self.memo[id(term)] = entry
        return entry

    def _write(self, term: t.Term, bound: frozenset[str]) -> tuple[str, frozenset[tuple[str, str]]]:
        if not bound:
            _, text, symbols = self._entry(term)
            return text, symbols
        return self._write_new(term, bound)

    def _write_new(self, term: t.Term, bound: frozenset[str]) -> tuple[str, frozenset[tuple[str, str]]]:
        if isinstance(term, t.Var):
            symbol = _symbol(term.name)
            if term.name in bound:
                return symbol, frozenset()
            declaration = (term.name, f"(declare-const {symbol} {_sort(term.sort)})")
            return symbol, frozenset({declaration}) | _sort_declarations(term.sort)
        if isinstance(term, t.IntVal):
            return (str(term.value) if term.value >= 0 else f"(- {-term.value})"), frozenset()
        if isinstance(term, t.BoolVal):
            return ("true" if term.value else "false"), frozenset()
        if isinstance(term, t.RealVal):
            return _real_text(term), frozenset()
        if isinstance(term, t.App):
            parts = [self._write(arg, bound) for arg in term.args]
            symbols = frozenset().union(*(s for _, s in parts))
            return f"({OPERATORS[term.op]} {' '.join(text for text, _ in parts)})", symbols
        if isinstance(term, t.SortedConst):
            value, symbols = self._write(term.value, bound)
            return f"((as const {_sort(term.sort)}) {value})", symbols | _sort_declarations(term.sort)
        if isinstance(term, t.FunApp):
            args = term.args if term.fuel is None else (term.fuel, *term.args)
            parts = [self._write(arg, bound) for arg in args]
            sorts = [t.sort_of(arg) for arg in args]
            domain = " ".join(_sort(sort) for sort in sorts)
            declaration = f"(declare-fun {_symbol(term.name)} ({domain}) {_sort(term.sort)})"
            symbols = frozenset({(term.name, declaration)}).union(
                _sort_declarations(term.sort),
                *(_sort_declarations(sort) for sort in sorts),
                *(s for _, s in parts),
            )
            if not parts:
                return _symbol(term.name), symbols
            return f"({_symbol(term.name)} {' '.join(text for text, _ in parts)})", symbols
        if isinstance(term, t.Forall):
            inner = bound | {var.name for var in term.bound}
            variables = " ".join(f"({_symbol(var.name)} {_sort(var.sort)})" for var in term.bound)
            body, symbols = self._write_new(term.body, inner)
            patterns = ""
            for group in filter(_usable_pattern, term.patterns):
                written = [self._write_new(p, inner) for p in group]
                symbols = symbols.union(*(s for _, s in written))
                patterns += f" :pattern ({' '.join(text for text, _ in written)})"
            if patterns:
                body = f"(! {body}{patterns})"
            word = "exists" if term.is_exists else "forall"
            return f"({word} ({variables}) {body})", symbols
        raise TypeError(f"cannot encode {term!r}")
