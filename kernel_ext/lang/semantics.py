"""Dafny's rules for termination and `match`, written once for the verifier and the interpreter.

Termination: what a loop or a recursive declaration is measured by (its `decreases` clause,
else Dafny's guess), and for each type the well-founded order its values are compared in.
An `Order` is a small description that each side reads with its own `Logic`: the verifier
turns it into terms to prove, the interpreter into a comparison of run-time values. The
lexicographic comparison of tuples, and the lower bound that Dafny checks on its own for a
loop, are written here once over any `Logic`. (`decreases *` is refused by the parser: every
loop and call is checked.)

`match`: which constructors no case covers, and the message that names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TypeVar

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.types import BOOL, INT, REAL, Type

# ------------------------------------------------------------------ what is measured


def guessed_decreases(cond: ast.Expr) -> ast.Expr | None:
    """Dafny's guess for a loop without `decreases`, from the shape of its condition: `n - i`
    for `i < n` or `i <= n`, `i - n` for `i > n` or `i >= n`, the distance for `i != n`; for
    `A && B`, the guess for A, else for B."""
    if isinstance(cond, ast.Binary) and cond.op == "&&":
        return guessed_decreases(cond.left) or guessed_decreases(cond.right)
    if not isinstance(cond, ast.Binary) or cond.op not in ("<", "<=", ">", ">=", "!="):
        return None
    if cond.left.ty is None or cond.left.ty.base not in (INT, REAL):
        return None
    number = cond.left.ty.base

    def minus(a: ast.Expr, b: ast.Expr) -> ast.Expr:
        return ast.Binary(span=cond.span, op="-", left=a, right=b, op_span=cond.op_span, ty=number)

    if cond.op in ("<", "<="):
        return minus(cond.right, cond.left)
    if cond.op in (">", ">="):
        return minus(cond.left, cond.right)
    less = ast.Binary(span=cond.span, op="<", left=cond.left, right=cond.right, op_span=cond.op_span, ty=BOOL)
    return ast.IfThenElse(
        span=cond.span,
        cond=less,
        then=minus(cond.right, cond.left),
        else_=minus(cond.left, cond.right),
        ty=number,
    )


def loop_measure(loop: ast.While) -> tuple[ast.Expr, ...] | None:
    """What a loop's termination is checked by: its decreases clause, else Dafny's guess,
    else nothing (Dafny then reports that the loop needs a decreases clause)."""
    if loop.decreases is not None:
        return loop.decreases.exprs
    if isinstance(loop, ast.ForLoop):
        return (for_measure(loop),)
    guessed = guessed_decreases(loop.cond)
    return (guessed,) if guessed is not None else None


def for_measure(loop: ast.ForLoop) -> ast.Expr:
    """A for loop's measure, as Dafny defines it: `_hi - i` (`to`) or `i - _lo` (`downto`)."""
    assert isinstance(loop.cond, ast.Binary)  # `i != _hi` or `i != _lo` (the resolver's)
    index, limit = loop.cond.left, loop.cond.right
    at = loop.header
    if loop.downto:
        return ast.Binary(span=at, op="-", left=index, right=limit, op_span=at, ty=INT)
    return ast.Binary(span=at, op="-", left=limit, right=index, op_span=at, ty=INT)


def declaration_measure(decl: ast.Method | ast.Function) -> tuple[ast.Expr, ...]:
    """What a recursive method's or function's calls are checked by: its decreases clause,
    else its parameters in order (arrays left out, as references have no order)."""
    if decl.decreases is not None:
        return decl.decreases.exprs
    return tuple(
        ast.Name(span=param.span, name=param.name, ty=param.ty, uid=param.name)
        for param in decl.params
        if param.ty is not None and param.ty.name != "array"
    )


def requires_integer(conversion: ast.Conversion) -> bool:
    """Whether a conversion is defined only for a whole number: `r as int` of a real (Dafny
    checks it; `r.Floor` rounds down instead)."""
    return not conversion.floor and conversion.target == "int" and ast.type_of(conversion.expr) == REAL


# ------------------------------------------------------------------ the orders


class Key(Enum):
    """What of a value its order compares."""

    VALUE = "value"
    LENGTH = "length"  # a sequence: |s|
    RANK = "rank"  # a datatype value: its rank, which each constructor argument is below
    # a sequence of datatype values: its rank, between its elements' and that of a value
    # built from it (as Dafny's `Seq#Rank`); a part of it (`s[1..]`, `s[..i]`) is below it
    SEQ_RANK = "sequence rank"


class Relation(Enum):
    """When a compared key is below another."""

    INT = "int"  # new < old
    REAL = "real"  # new <= old - 1.0, as Dafny orders reals
    BOOL = "bool"  # false < true
    PROPER_SUBSET = "proper subset"
    PROPER_SUBMULTISET = "proper sub-multiset"
    NONE = "none"  # never: an array or a value of a type parameter does not decrease


@dataclass(frozen=True)
class Order:
    """How a type's values are compared in a decreases clause, and whether a decrease must
    start at 0 or above (an int's, so that it cannot decrease forever)."""

    key: Key
    relation: Relation
    bounded_below: bool = False


INT_ORDER = Order(Key.VALUE, Relation.INT, bounded_below=True)
REAL_ORDER = Order(Key.VALUE, Relation.REAL, bounded_below=True)
BOOL_ORDER = Order(Key.VALUE, Relation.BOOL)
SEQ_ORDER = Order(Key.LENGTH, Relation.INT)
SET_ORDER = Order(Key.VALUE, Relation.PROPER_SUBSET)
MULTISET_ORDER = Order(Key.VALUE, Relation.PROPER_SUBMULTISET)
RANK_ORDER = Order(Key.RANK, Relation.INT)
SEQ_RANK_ORDER = Order(Key.SEQ_RANK, Relation.INT)
# Dafny compares a datatype value with a sequence by their ranks (the elements of a node's
# `children: seq<Rose>` are below the node); the length of a sequence of datatype values is
# not compared then, as a shorter sequence may hold a larger value.
RANKED_ORDERS = frozenset({RANK_ORDER, SEQ_RANK_ORDER})
NO_ORDER = Order(Key.VALUE, Relation.NONE)


def order_of(ty: Type | None, datatypes: Mapping[str, ast.Datatype]) -> Order:
    """Dafny's well-founded order on the values of a type."""
    if ty is None:
        return NO_ORDER
    if ty.is_numeric:
        return INT_ORDER
    if ty == REAL:
        return REAL_ORDER
    if ty == BOOL:
        return BOOL_ORDER
    if ty.name in datatypes:
        return RANK_ORDER
    if ty.name == "seq" and ty.args and ty.args[0].name in datatypes:
        return SEQ_RANK_ORDER
    return {"seq": SEQ_ORDER, "set": SET_ORDER, "multiset": MULTISET_ORDER}.get(ty.name, NO_ORDER)


V = TypeVar("V")


class Logic(Protocol[V]):
    """How one side reads an order: as terms to prove, or as values and Python booleans."""

    def key(self, value: V, key: Key) -> V: ...

    def below(self, new: V, old: V, relation: Relation) -> V:
        """The key `new` is below `old` in the relation (never called with `Relation.NONE`)."""
        ...

    def at_least_zero(self, value: V) -> V: ...

    def equal(self, new: V, old: V) -> V: ...

    def conj(self, items: Sequence[V]) -> V: ...

    def disj(self, items: Sequence[V]) -> V: ...

    def implies(self, premise: V, conclusion: V) -> V: ...


Measured = tuple[V, Order]


def _comparable(
    new: Sequence[Measured[V]], old: Sequence[Measured[V]], logic: Logic[V]
) -> list[tuple[V, V, Order]]:
    """The keys compared position by position, up to the first position whose two
    components are of types with different orders (Dafny compares no further)."""
    pairs = []
    for (new_value, new_order), (old_value, old_order) in zip(new, old, strict=False):
        if new_order != old_order and not {new_order, old_order} <= RANKED_ORDERS:
            break
        pairs.append((logic.key(new_value, new_order.key), logic.key(old_value, old_order.key), old_order))
    return pairs


def decreases(
    new: Sequence[Measured[V]],
    old: Sequence[Measured[V]],
    logic: Logic[V],
    bounded: bool,
    bounded_new: bool = False,
) -> V:
    """Whether `new` is below `old` in Dafny's lexicographic order on tuples: some component
    is below its old value and those before it are equal. With `bounded`, a component that is
    an int must also have been at least 0 (a call's check; a loop checks that on its own);
    with `bounded_new`, it must stay at least 0 (`0 <= new < old`: the order of a lemma's
    induction hypothesis)."""
    pairs = _comparable(new, old, logic)
    cases = []
    for index, (new_key, old_key, order) in enumerate(pairs):
        if order.relation is Relation.NONE:
            continue
        below = logic.below(new_key, old_key, order.relation)
        if bounded and order.bounded_below:
            below = logic.conj([below, logic.at_least_zero(old_key)])
        if bounded_new and order.bounded_below:
            below = logic.conj([logic.at_least_zero(new_key), below])
        equal_before = [logic.equal(n, o) for n, o, _ in pairs[:index]]
        cases.append(logic.conj([*equal_before, below]))
    return logic.disj(cases)


def bounded_below(new: Sequence[Measured[V]], old: Sequence[Measured[V]], logic: Logic[V]) -> V:
    """A loop's second termination check: the int component that decreased was at least 0."""
    pairs = _comparable(new, old, logic)
    conditions = []
    for index, (new_key, old_key, order) in enumerate(pairs):
        if not order.bounded_below:
            continue
        equal_before = [logic.equal(n, o) for n, o, _ in pairs[:index]]
        decreased = logic.conj([*equal_before, logic.below(new_key, old_key, order.relation)])
        conditions.append(logic.implies(decreased, logic.at_least_zero(old_key)))
    return logic.conj(conditions)


def not_smaller_at(
    new: Sequence[Measured[object]], old: Sequence[Measured[object]], logic: Logic[object]
) -> int | None:
    """For concrete values that do not decrease: the position of the component that should
    have got smaller (the first one that is neither below nor equal to its old value, else
    the last one compared), for saying which argument of a call is the problem."""
    pairs = _comparable(new, old, logic)
    for index, (new_key, old_key, order) in enumerate(pairs):
        if order.relation is Relation.NONE or logic.equal(new_key, old_key):
            continue
        return index
    return len(pairs) - 1 if pairs else None


# ------------------------------------------------------------------ match


def uncovered_ctors(match: ast.Match | ast.MatchStmt, datatypes: Mapping[str, ast.Datatype]) -> list[str]:
    """The constructors that no case covers entirely (a case covers a constructor when its
    pattern is a variable, `_`, or the constructor with only variables and `_` inside). A
    match on an int or a bool (literal patterns) is covered by a variable or `_`, or by both
    `true` and `false`; otherwise the list holds the subject's type."""
    if any(case.pattern.is_irrefutable for case in match.cases):
        return []
    subject = ast.type_of(match.subject)
    if subject == BOOL or subject.is_numeric:
        literals = {case.pattern.literal for case in match.cases}
        return [] if subject == BOOL and {True, False} <= literals else [str(subject)]
    datatype = datatypes.get(subject.name)
    if datatype is None:
        return []
    covered = {
        case.pattern.ctor
        for case in match.cases
        if all(arg.is_irrefutable for arg in case.pattern.args or ())
    }
    return [ctor.name for ctor in datatype.ctors if ctor.name not in covered]


def missing_case_message(match: ast.Match | ast.MatchStmt, uncovered: Sequence[str]) -> str:
    """Dafny's message for a match that may miss the constructors `uncovered` (current
    Dafny's, for a match on an int or a bool)."""
    what = "expression" if isinstance(match, ast.Match) else "statement"
    if not uncovered:
        return ""
    subject = ast.type_of(match.subject)
    if subject == BOOL or subject.is_numeric:
        return f"missing case in match {what}: not all possibilities for selector of type {subject} have been covered"
    return f"missing case in match {what}: {', '.join(uncovered)}"
