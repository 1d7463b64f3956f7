"""Terms -> Z3, and checking one proof task under fixed limits. The only module that imports z3."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

import z3

from kernel_ext.verify import terms as t
from kernel_ext.verify.vcgen import ProofTask


class Status(Enum):
    """Ordered from best to worst."""

    PROVED = "proved"
    UNKNOWN = "unknown"
    FAILED = "failed"


@dataclass(frozen=True)
class Limits:
    """A resource limit makes verdicts machine-independent; the timeout is only a safety net."""

    rlimit: int = 2_000_000
    timeout_ms: int = 10_000
    seed: int = 0


@dataclass(frozen=True)
class SolverOutcome:
    status: Status
    time_ms: float
    reason: str = ""
    model: tuple[tuple[str, str], ...] = ()


class Prover:
    """Checks tasks one by one, each in a fresh solver; the Z3 context and the encoding of
    shared terms are reused, which only saves time: every check sees its task alone."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.context = z3.Context()
        self.encoder = _Encoder(self.context)

    def check(self, task: ProofTask) -> SolverOutcome:
        started = time.perf_counter()
        solver = z3.Solver(ctx=self.context)
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
        )
        encode = self.encoder.term
        for axiom in task.axioms:
            solver.add(encode(axiom))
        for var, value in task.definitions:
            solver.add(encode(var) == encode(value))
        solver.add(encode(task.hypothesis))
        solver.add(z3.Not(encode(task.goal)))
        try:
            answer = solver.check()
        except z3.Z3Exception as error:  # e.g. interrupted: never a proof
            return SolverOutcome(Status.UNKNOWN, _since(started), str(error))
        if answer == z3.unsat:
            return SolverOutcome(Status.PROVED, _since(started))
        reason = solver.reason_unknown() if answer == z3.unknown else ""
        if answer == z3.unknown and not _is_incompleteness(reason):
            return SolverOutcome(Status.UNKNOWN, _since(started), _explain_unknown(reason))
        return SolverOutcome(Status.FAILED, _since(started), reason, _model(solver))


def check(task: ProofTask, limits: Limits) -> SolverOutcome:
    """Check one task on its own."""
    return Prover(limits).check(task)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _is_incompleteness(reason: str) -> bool:
    """Z3 gives up on quantifiers without a limit being hit: Dafny reports that as a failure."""
    return "incomplete" in reason or "(sat)" in reason


def _explain_unknown(reason: str) -> str:
    if "resource" in reason or "rlimit" in reason:
        return "resource limit reached"
    if "timeout" in reason or "canceled" in reason:
        return "time limit reached"
    return reason or "the solver gave up"


def _model(solver: z3.Solver) -> tuple[tuple[str, str], ...]:
    try:
        model = solver.model()
    except z3.Z3Exception:
        return ()
    values = []
    for decl in model.decls():
        if decl.arity() == 0 and not decl.name().startswith("$"):
            values.append((decl.name(), str(model[decl])))
    return tuple(sorted(values))


class _Encoder:
    def __init__(self, context: z3.Context):
        self.ctx = context
        self.fuel_sort = z3.DeclareSort("Fuel", context)
        self.succ = z3.Function("$succ", self.fuel_sort, self.fuel_sort)
        self.functions: dict[str, z3.FuncDeclRef] = {}
        self.constants: dict[tuple[str, t.Sort], z3.ExprRef] = {}
        self.cache: dict[int, tuple[t.Term, z3.ExprRef]] = {}

    def sort(self, sort: t.Sort) -> z3.SortRef:
        if sort == t.INT:
            return z3.IntSort(self.ctx)
        if sort == t.BOOL:
            return z3.BoolSort(self.ctx)
        if sort == t.FUEL:
            return self.fuel_sort
        raise ValueError(f"unknown sort {sort}")

    def formula(self, term: t.Term) -> z3.BoolRef:
        return self.term(term)  # type: ignore[return-value]

    def term(self, term: t.Term, bound: dict[str, z3.ExprRef] | None = None) -> z3.ExprRef:
        if bound is None:
            hit = self.cache.get(id(term))
            if hit is not None and hit[0] is term:
                return hit[1]
            result = self._term(term, {})
            self.cache[id(term)] = (term, result)
            return result
        return self._term(term, bound)

    def _term(self, term: t.Term, bound: dict[str, z3.ExprRef]) -> z3.ExprRef:
        if isinstance(term, t.Var):
            if term.name in bound:
                return bound[term.name]
            key = (term.name, term.sort)
            if key not in self.constants:
                self.constants[key] = z3.Const(term.name, self.sort(term.sort))
            return self.constants[key]
        if isinstance(term, t.IntVal):
            return z3.IntVal(term.value, self.ctx)
        if isinstance(term, t.BoolVal):
            return z3.BoolVal(term.value, self.ctx)
        if isinstance(term, t.App):
            return self.app(term, [self.sub(arg, bound) for arg in term.args])
        if isinstance(term, t.FunApp):
            args = [self.sub(term.fuel, bound)] + [self.sub(arg, bound) for arg in term.args]
            return self.function(term, args)(*args)
        if isinstance(term, t.Forall):
            variables = [z3.Const(f"{var.name}!{id(term)}", self.sort(var.sort)) for var in term.bound]
            inner = {**bound, **{var.name: z3v for var, z3v in zip(term.bound, variables, strict=True)}}
            body = self._term(term.body, inner)
            patterns = [
                z3.MultiPattern(*[self._term(p, inner) for p in group])
                if len(group) > 1
                else self._term(group[0], inner)
                for group in term.patterns
            ]
            return z3.ForAll(variables, body, patterns=patterns)
        raise TypeError(f"cannot encode {term!r}")

    def sub(self, term: t.Term, bound: dict[str, z3.ExprRef]) -> z3.ExprRef:
        return self._term(term, bound) if bound else self.term(term)

    def function(self, term: t.FunApp, args: list[z3.ExprRef]) -> z3.FuncDeclRef:
        if term.name not in self.functions:
            domain = [arg.sort() for arg in args]
            self.functions[term.name] = z3.Function(term.name, *domain, self.sort(term.sort))
        return self.functions[term.name]

    def app(self, term: t.App, args: list[z3.ExprRef]) -> z3.ExprRef:
        op = term.op
        if op == t.Op.ADD:
            return z3.Sum(*args) if len(args) > 2 else args[0] + args[1]
        if op == t.Op.SUB:
            return args[0] - args[1]
        if op == t.Op.MUL:
            return args[0] * args[1]
        if op == t.Op.DIV:
            return args[0] / args[1]  # SMT-LIB integer division is Euclidean, as Dafny's
        if op == t.Op.MOD:
            return args[0] % args[1]
        if op == t.Op.NEG:
            return -args[0]
        if op == t.Op.LT:
            return args[0] < args[1]
        if op == t.Op.LE:
            return args[0] <= args[1]
        if op == t.Op.GT:
            return args[0] > args[1]
        if op == t.Op.GE:
            return args[0] >= args[1]
        if op in (t.Op.EQ, t.Op.IFF):
            return args[0] == args[1]
        if op == t.Op.NE:
            return args[0] != args[1]
        if op == t.Op.AND:
            return z3.And(*args)
        if op == t.Op.OR:
            return z3.Or(*args)
        if op == t.Op.NOT:
            return z3.Not(args[0])
        if op == t.Op.IMPLIES:
            return z3.Implies(args[0], args[1])
        if op == t.Op.ITE:
            return z3.If(args[0], args[1], args[2])
        if op == t.Op.FUEL_SUCC:
            return self.succ(args[0])
        raise ValueError(f"unknown operator {op}")
