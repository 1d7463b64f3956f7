"""Solver-free logical terms: built by the lowering, passified, handed to the SMT layer."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from kernel_ext.lang.reals import show_real


@dataclass(frozen=True)
class Sort:
    name: str
    args: tuple[Sort, ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"({self.name} {' '.join(str(arg) for arg in self.args)})"

    @property
    def element(self) -> Sort:
        return self.args[-1]


INT = Sort("Int")
REAL = Sort("Real")
BOOL = Sort("Bool")
FUEL = Sort("Fuel")
REF = Sort("Ref")


def array_sort(domain: Sort, range_: Sort) -> Sort:
    """SMT arrays: array contents (Int -> elem), heaps (Ref -> contents), sets, multisets."""
    return Sort("Array", (domain, range_))


def seq_sort(element: Sort) -> Sort:
    return Sort("Seq", (element,))


class Op(Enum):
    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    MOD = "%"
    NEG = "neg"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "=="
    NE = "!="
    AND = "&&"
    OR = "||"
    NOT = "!"
    IMPLIES = "==>"
    IFF = "<==>"
    ITE = "ite"
    FUEL_SUCC = "succ"
    SELECT = "select"
    STORE = "store"
    MAP_ADD = "map+"
    MAP_AND = "map-and"
    MAP_OR = "map-or"
    MAP_NOT = "map-not"
    REAL_DIV = "real/"  # division of reals (DIV is the Euclidean division of ints)
    TO_REAL = "to_real"
    TO_INT = "to_int"  # the floor of a real
    IS_INT = "is_int"


class Term:
    """Base of all terms; subclasses are frozen dataclasses."""

    __slots__ = ()

    @cached_property
    def free_names(self) -> frozenset[str]:
        return _free_names(self)


class Role(Enum):
    """What a symbol stands for. Readers (the VC view, counterexamples, the prover's search
    for small models) ask the symbol, never its name."""

    VARIABLE = "variable"  # a program variable: `source` is its name, `key` the resolver's unique id
    TEMPORARY = "temporary"  # a value the lowering names: a right-hand side, an array and index written
    ARGUMENT = "argument"  # a call's argument: `source` is the callee's parameter it is passed to
    RESULT = "result"  # a call's result: `source` is the callee's out-parameter it comes from
    MEASURE = "measure"  # a loop's decreases value when an iteration starts
    SNAPSHOT = "snapshot"  # the heap or allocation kept before a loop or a call: `source` says which
    HEAP = "heap"  # the contents of the arrays of one element sort
    OLD_HEAP = "old-heap"  # the heap on entry, that `old` reads
    ALLOC = "alloc"  # the allocated references
    OLD_ALLOC = "old-alloc"
    CONTENTS = "contents"  # in a function: the contents of an array parameter (`source`)
    BOUND = "bound"  # a quantifier's variable made by the encoding
    REACH = "reach"  # a program point's reachability
    FUEL = "fuel"  # the fuel layer that no unfolding is left at
    OBSERVED = "observed"  # a term named so that a counterexample shows it
    FUNCTION = "function"  # a function or predicate of the program
    LENGTH = "length"  # an array's length
    SEQUENCE = "sequence"  # a sequence operation: `source` is Length, Index, Build, ...
    ARRAY_SEQ = "array-seq"  # `a[..]`
    MULTISET_OF = "multiset-of"  # `multiset(s)`
    SIZE = "size"  # `|S|` of a set or multiset
    MULTISET_OP = "multiset-op"  # `source` is -, * or <=
    UNREAD = "unread"  # in a function: an array outside its reads clause
    SUBSET = "subset"  # `$is`: a value of a constrained datatype instance satisfies its type
    CONSTRUCTOR = "constructor"
    DESTRUCTOR = "destructor"  # `source` is its name; `ctor` and `position` for an unnamed argument
    DISCRIMINATOR = "discriminator"  # `x.C?`: `source` is the constructor
    TAG = "tag"
    RANK = "rank"
    LITERAL = "literal"  # Dafny's `Lit` mark


STATE_ROLES = frozenset(
    {
        Role.VARIABLE,
        Role.TEMPORARY,
        Role.ARGUMENT,
        Role.RESULT,
        Role.MEASURE,
        Role.SNAPSHOT,
        Role.HEAP,
        Role.OLD_HEAP,
        Role.ALLOC,
        Role.OLD_ALLOC,
        Role.CONTENTS,
        Role.REACH,
    }
)


class Symbol(NamedTuple):
    """The identity of a constant or function: its role, the name a reader knows it by, its
    SSA version and, for a destructor, what it belongs to. Its SMT-LIB name (`name`) is made
    from it, unique per symbol, and never read back. (A named tuple: terms make many, and a
    tuple is made several times faster than a frozen dataclass.)"""

    role: Role
    key: str  # the unversioned SMT-LIB name, unique per symbol of a task
    source: str = ""
    version: int | None = None
    ctor: str = ""  # a destructor of an unnamed argument: its constructor
    position: int | None = None  # and the argument's position (from 0)

    @property
    def name(self) -> str:
        return self.key if self.version is None else f"{self.key}@{self.version}"

    @property
    def is_state(self) -> bool:
        """Whether it takes a new value at an assignment (and so has SSA versions)."""
        return self.role in STATE_ROLES

    def at(self, version: int | None) -> Symbol:
        return Symbol(self.role, self.key, self.source, version, self.ctor, self.position)


@dataclass(frozen=True, eq=True)
class Var(Term):
    """A constant, or a quantifier's variable. `symbol` says what it is; terms are equal by
    name and sort, which the symbol determines."""

    name: str
    sort: Sort
    given: Symbol | None = field(default=None, compare=False, repr=False)

    @property
    def symbol(self) -> Symbol:
        """What it is; a constant made from a bare name is a program variable of that name."""
        return self.given or Symbol(Role.VARIABLE, self.name, self.name)

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def of(symbol: Symbol, sort: Sort) -> Var:
        return Var(symbol.name, sort, symbol)

    def at(self, version: int) -> Var:
        """Its SSA version (0: its value on entry)."""
        return Var.of(self.symbol.at(version), self.sort)

    def unversioned(self) -> Var:
        """The program's variable (or state) that this is a version of."""
        return Var.of(self.symbol.at(None), self.sort)


@functools.cache
def variable(uid: str, source_name: str, sort: Sort) -> Var:
    """A program variable, by the resolver's unique id and the name the program gives it."""
    return Var.of(Symbol(Role.VARIABLE, uid, source_name), sort)


@functools.cache
def bound(name: str, sort: Sort, key: str | None = None) -> Var:
    """A quantifier's variable that the encoding makes (`$q.i`, or `key`), shown as `name`."""
    return Var.of(Symbol(Role.BOUND, f"$q.{name}" if key is None else key, name), sort)


def temporary(hint: str, number: int, sort: Sort) -> Var:
    """A value the lowering names (`hint` is what it holds: a parameter, `rhs`, ...)."""
    return Var.of(Symbol(Role.TEMPORARY, f"{hint}%{number}", hint), sort)


def call_value(role: Role, name: str, number: int, sort: Sort) -> Var:
    """A call's argument or result (`role`), for the callee's parameter `name` (named as a
    temporary of that hint is: the SMT-LIB text does not change)."""
    return Var.of(Symbol(role, f"{name}%{number}", name), sort)


def measure(number: int, sort: Sort) -> Var:
    """A loop's decreases value when an iteration starts."""
    return Var.of(Symbol(Role.MEASURE, f"decreases%{number}", "decreases"), sort)


@dataclass(frozen=True)
class IntVal(Term):
    value: int

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class RealVal(Term):
    """A real number: `numerator / denominator`, exactly."""

    numerator: int
    denominator: int = 1

    def __str__(self) -> str:
        return show_real(Fraction(self.numerator, self.denominator))


@dataclass(frozen=True)
class BoolVal(Term):
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class App(Term):
    op: Op
    args: tuple[Term, ...]

    def __str__(self) -> str:
        return show(self)


@dataclass(frozen=True)
class FunApp(Term):
    """An uninterpreted function: a user function at a fuel layer (see lower.py), or, with no
    fuel, a symbol of the encoding such as an array's length."""

    name: str
    fuel: Term | None
    args: tuple[Term, ...]
    sort: Sort
    given: Symbol | None = field(default=None, compare=False, repr=False)

    @property
    def symbol(self) -> Symbol:
        """What it is; a function made from a bare name is a function of the program."""
        return self.given or Symbol(Role.FUNCTION, self.name, self.name)

    def __str__(self) -> str:
        return show(self)

    @staticmethod
    def of(symbol: Symbol, args: tuple[Term, ...], sort: Sort) -> FunApp:
        """A function of the encoding (no fuel)."""
        return FunApp(symbol.name, None, args, sort, symbol)


@dataclass(frozen=True)
class Forall(Term):
    """A quantifier (`exists` when `is_exists`), with its trigger patterns."""

    bound: tuple[Var, ...]
    body: Term
    patterns: tuple[tuple[Term, ...], ...] = ()
    is_exists: bool = False

    def __str__(self) -> str:
        return show(self)


@dataclass(frozen=True)
class SortedConst(Term):
    """A constant that needs its sort spelled out: a constant array."""

    kind: str  # "const"
    sort: Sort
    value: Term | None = None

    def __str__(self) -> str:
        return show(self)


TRUE = BoolVal(True)
FALSE = BoolVal(False)
FUEL_ZERO = Var.of(Symbol(Role.FUEL, "$fuel.zero", "zero"), FUEL)


def fuel(layers: int, base: Term = FUEL_ZERO) -> Term:
    result = base
    for _ in range(layers):
        result = App(Op.FUEL_SUCC, (result,))
    return result


# ------------------------------------------------------------ builders (lightly simplifying)


def and_(*terms: Term) -> Term:
    parts: list[Term] = []
    for term in terms:
        if term == TRUE:
            continue
        if term == FALSE:
            return FALSE
        if isinstance(term, App) and term.op == Op.AND:
            parts.extend(term.args)
        else:
            parts.append(term)
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else App(Op.AND, tuple(parts))


def or_(*terms: Term) -> Term:
    parts: list[Term] = []
    for term in terms:
        if term == FALSE:
            continue
        if term == TRUE:
            return TRUE
        parts.append(term)
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else App(Op.OR, tuple(parts))


def not_(term: Term) -> Term:
    if isinstance(term, BoolVal):
        return BoolVal(not term.value)
    if isinstance(term, App) and term.op == Op.NOT:
        return term.args[0]
    return App(Op.NOT, (term,))


def implies(antecedent: Term, consequent: Term) -> Term:
    if antecedent == TRUE:
        return consequent
    if antecedent == FALSE or consequent == TRUE:
        return TRUE
    return App(Op.IMPLIES, (antecedent, consequent))


def eq(left: Term, right: Term) -> Term:
    return App(Op.EQ, (left, right))


def app(op: Op, *args: Term) -> Term:
    return App(op, tuple(args))


def ite(cond: Term, then: Term, else_: Term) -> Term:
    if cond == TRUE:
        return then
    if cond == FALSE:
        return else_
    return App(Op.ITE, (cond, then, else_))


# ------------------------------------------------------------ traversal


def has_quantifier(term: Term) -> bool:
    seen: set[int] = set()
    pending = [term]
    while pending:
        current = pending.pop()
        if isinstance(current, Forall):
            return True
        if id(current) not in seen:
            seen.add(id(current))
            pending.extend(children(current))
    return False


def _free_names(term: Term) -> frozenset[str]:
    if isinstance(term, Var):
        return frozenset((term.name,))
    if isinstance(term, App):
        return frozenset().union(*(arg.free_names for arg in term.args))
    if isinstance(term, FunApp):
        fuel = term.fuel.free_names if term.fuel is not None else frozenset()
        return frozenset().union(fuel, *(arg.free_names for arg in term.args))
    if isinstance(term, Forall):
        names = term.body.free_names.union(*(p.free_names for group in term.patterns for p in group))
        return names - {var.name for var in term.bound}
    if isinstance(term, SortedConst) and term.value is not None:
        return term.value.free_names
    return frozenset()


def children(term: Term) -> tuple[Term, ...]:
    if isinstance(term, App):
        return term.args
    if isinstance(term, FunApp):
        return term.args if term.fuel is None else (term.fuel, *term.args)
    if isinstance(term, Forall):
        return (term.body,)
    if isinstance(term, SortedConst) and term.value is not None:
        return (term.value,)
    return ()


def substitute(term: Term, mapping: dict[str, Term]) -> Term:
    """Replace free variables by name; bound variables are never captured (names are unique)."""
    if not mapping or not (term.free_names & mapping.keys()):
        return term
    if isinstance(term, Var):
        return mapping.get(term.name, term)
    if isinstance(term, App):
        return App(term.op, tuple(substitute(arg, mapping) for arg in term.args))
    if isinstance(term, FunApp):
        return FunApp(
            term.name,
            substitute(term.fuel, mapping) if term.fuel is not None else None,
            tuple(substitute(arg, mapping) for arg in term.args),
            term.sort,
            term.given,
        )
    if isinstance(term, Forall):
        inner = {name: value for name, value in mapping.items() if name not in {v.name for v in term.bound}}
        return Forall(
            term.bound,
            substitute(term.body, inner),
            tuple(tuple(substitute(p, inner) for p in group) for group in term.patterns),
            term.is_exists,
        )
    if isinstance(term, SortedConst) and term.value is not None:
        return SortedConst(term.kind, term.sort, substitute(term.value, mapping))
    return term


def function_names(term: Term) -> frozenset[str]:
    """The uninterpreted functions a term applies."""
    own = frozenset((term.name,)) if isinstance(term, FunApp) else frozenset()
    return own.union(*(function_names(child) for child in children(term)))


BOOL_OPS = frozenset(
    {Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE, Op.AND, Op.OR, Op.NOT, Op.IMPLIES, Op.IFF, Op.IS_INT}
)
ARITHMETIC_OPS = frozenset({Op.ADD, Op.SUB, Op.MUL, Op.NEG})  # of the sort of their operands


def sort_of(term: Term) -> Sort:
    if isinstance(term, Var | FunApp | SortedConst):
        return term.sort
    if isinstance(term, IntVal):
        return INT
    if isinstance(term, RealVal):
        return REAL
    if isinstance(term, BoolVal | Forall):
        return BOOL
    if isinstance(term, App):
        return _app_sort(term)
    raise TypeError(f"no sort for {term!r}")


def _app_sort(term: App) -> Sort:
    op = term.op
    if op in BOOL_OPS:
        return BOOL
    if op == Op.ITE:
        return sort_of(term.args[1])
    if op == Op.FUEL_SUCC:
        return FUEL
    if op == Op.SELECT:
        return sort_of(term.args[0]).element
    if op in (Op.STORE, Op.MAP_ADD, Op.MAP_AND, Op.MAP_OR, Op.MAP_NOT):
        return sort_of(term.args[0])
    if op in (Op.REAL_DIV, Op.TO_REAL):
        return REAL
    if op in ARITHMETIC_OPS:
        return sort_of(term.args[0])
    return INT


# ------------------------------------------------------------ printing as source


PRECEDENCE = {
    Op.IFF: 1,
    Op.IMPLIES: 2,
    Op.AND: 3,
    Op.OR: 3,
    Op.LT: 4,
    Op.LE: 4,
    Op.GT: 4,
    Op.GE: 4,
    Op.EQ: 4,
    Op.NE: 4,
    Op.ADD: 5,
    Op.SUB: 5,
    Op.MUL: 6,
    Op.DIV: 6,
    Op.MOD: 6,
    Op.REAL_DIV: 6,
}


def show(term: Term, context: int = 0) -> str:
    """Print a term in MiniDafny's notation (for VC views and debugging)."""
    if isinstance(term, App):
        if term.op in PRECEDENCE:
            level = PRECEDENCE[term.op]
            symbol = "/" if term.op == Op.REAL_DIV else term.op.value
            text = f" {symbol} ".join(show(arg, level + 1) for arg in term.args)
            return f"({text})" if level < context or (level == context and level <= 3) else text
        if term.op == Op.NOT:
            return "!" + show(term.args[0], 9)
        if term.op == Op.NEG:
            return "-" + show(term.args[0], 9)
        if term.op == Op.ITE:
            cond, then, else_ = (show(arg) for arg in term.args)
            text = f"if {cond} then {then} else {else_}"
            return f"({text})" if context else text
        if term.op == Op.FUEL_SUCC:
            return f"succ({show(term.args[0])})"
    if isinstance(term, App):
        return f"{term.op.value}({', '.join(show(arg) for arg in term.args)})"
    if isinstance(term, FunApp):
        return f"{term.name}({', '.join(show(arg) for arg in term.args)})"
    if isinstance(term, Forall):
        names = ", ".join(f"{v.name}: {v.sort}" for v in term.bound)
        word = "exists" if term.is_exists else "forall"
        text = f"{word} {names} :: {show(term.body)}"
        return f"({text})" if context else text
    if isinstance(term, SortedConst):
        return f"const({show(term.value) if term.value else ''})"
    return str(term)
