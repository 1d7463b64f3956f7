"""Solver-free logical terms: built by the lowering, passified, handed to the SMT layer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property


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


class Term:
    """Base of all terms; subclasses are frozen dataclasses."""

    __slots__ = ()

    @cached_property
    def free_names(self) -> frozenset[str]:
        return _free_names(self)


@dataclass(frozen=True, eq=True)
class Var(Term):
    name: str
    sort: Sort

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class IntVal(Term):
    value: int

    def __str__(self) -> str:
        return str(self.value)


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

    def __str__(self) -> str:
        return show(self)


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
FUEL_ZERO = Var("$fuel.zero", FUEL)


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


BOOL_OPS = frozenset({Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE, Op.AND, Op.OR, Op.NOT, Op.IMPLIES, Op.IFF})


def sort_of(term: Term) -> Sort:
    if isinstance(term, Var | FunApp | SortedConst):
        return term.sort
    if isinstance(term, IntVal):
        return INT
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
}


def show(term: Term, context: int = 0) -> str:
    """Print a term in MiniDafny's notation (for VC views and debugging)."""
    if isinstance(term, App):
        if term.op in PRECEDENCE:
            level = PRECEDENCE[term.op]
            text = f" {term.op.value} ".join(show(arg, level + 1) for arg in term.args)
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
