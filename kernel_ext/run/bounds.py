"""The ranges a quantifier's variables run over, read off its body.

`forall k :: lo <= k < hi ==> P` is true when P holds for every k in [lo, hi): the
conjuncts of the antecedent (of `&&` for `exists`) that compare a bound variable with
something else bound it, and `k in s` makes it run over the elements of s. A variable
bounded by another one (`0 <= i < j < n`) takes that one's bound as well, so that every
value that can satisfy the conjuncts is visited. Without a bound the quantifier is not
evaluated: the run says so rather than guess.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.syntax import expr_children
from kernel_ext.lang.types import BOOL, NAT, REAL, Type
from kernel_ext.run.values import Multiset, order_key

# How a comparison `var OP other` bounds `var`: (kind, offset).
_BOUND_OF_VAR_ON_LEFT = {
    "<": ("upper", -1),
    "<=": ("upper", 0),
    ">": ("lower", 1),
    ">=": ("lower", 0),
}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


@dataclass(frozen=True)
class Bound:
    """`var >= expr + offset` (lower), `var <= expr + offset` (upper) or `var in expr`."""

    var: str
    kind: str
    expr: ast.Expr
    offset: int
    depends: frozenset[str]


@dataclass(frozen=True)
class QuantifierRange:
    quantifier: ast.Quantifier
    bounds: tuple[Bound, ...]

    def of(self, var: str, kind: str) -> list[Bound]:
        return [bound for bound in self.bounds if bound.var == var and bound.kind == kind]


class Unbounded(Exception):
    """No bound variable left to enumerate has a range."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def names_in(expr: ast.Expr) -> set[str]:
    """The uids of the variables an expression mentions."""
    found: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            found.add(node.uid)
        stack.extend(expr_children(node))
    return found


def _conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    if isinstance(expr, ast.Binary) and expr.op == "&&":
        return _conjuncts(expr.left) + _conjuncts(expr.right)
    return [expr]


def range_conjuncts(quantifier: ast.Quantifier) -> list[ast.Expr]:
    """The conjuncts that restrict the variables: of every antecedent in `A ==> B ==> C`
    for `forall`, of the body for `exists`."""
    body = quantifier.body
    if not quantifier.is_forall:
        return _conjuncts(body)
    found: list[ast.Expr] = []
    while isinstance(body, ast.Binary) and body.op == "==>":
        found += _conjuncts(body.left)
        body = body.right
    return found


def find_range(quantifier: ast.Quantifier, subsets: Subsets | None = None) -> QuantifierRange:
    variables = {var.uid for var in quantifier.bound}
    bounds: list[Bound] = []
    for conjunct in range_conjuncts(quantifier):
        bounds += _bounds_in(conjunct, variables)
    for var in quantifier.bound:
        bounds += _type_bounds(var.uid, ast.type_of(var), subsets)
    return QuantifierRange(quantifier, tuple(bounds))


def _type_bounds(uid: str, ty: Type | None, subsets: Subsets | None) -> list[Bound]:
    """The bounds that a declared subset type's constraint puts on every value of the type
    (`0 <= i < 10`), its parents' too: a quantifier over the type ranges within them."""
    found: list[Bound] = []
    while subsets is not None and (decl := subsets.declared_subset(ty)) is not None:
        assert decl.predicate is not None and decl.predicate.body is not None and ty is not None
        param = decl.predicate.params[0].name
        for conjunct in _conjuncts(decl.predicate.body):
            found += [dataclasses.replace(bound, var=uid) for bound in _bounds_in(conjunct, {param})]
        ty = ty.parent
    return found


def _bounds_in(conjunct: ast.Expr, variables: set[str]) -> list[Bound]:
    if not isinstance(conjunct, ast.Binary):
        return []
    left, right, op = conjunct.left, conjunct.right, conjunct.op
    if op == "in" and isinstance(left, ast.Name) and left.uid in variables:
        depends = frozenset(names_in(right) & variables)
        return [] if left.uid in depends else [Bound(left.uid, "in", right, 0, depends)]
    found: list[Bound] = []
    for var_side, other, var_op in ((left, right, op), (right, left, _MIRRORED.get(op, op))):
        if not isinstance(var_side, ast.Name) or var_side.uid not in variables:
            continue
        depends = frozenset(names_in(other) & variables)
        if var_side.uid in depends:
            continue
        if var_op == "==":
            found += [
                Bound(var_side.uid, "lower", other, 0, depends),
                Bound(var_side.uid, "upper", other, 0, depends),
            ]
        elif var_op in _BOUND_OF_VAR_ON_LEFT:
            kind, offset = _BOUND_OF_VAR_ON_LEFT[var_op]
            found.append(Bound(var_side.uid, kind, other, offset, depends))
    return found


# ------------------------------------------------------------------ enumeration


def distinct_elements(collection: object) -> list[object]:
    """The elements of a sequence, set or multiset, each once, in a fixed order."""
    if isinstance(collection, tuple):
        return list(dict.fromkeys(collection))
    if isinstance(collection, frozenset):
        return sorted(collection, key=order_key)
    if isinstance(collection, Multiset):
        return sorted(collection.distinct(), key=order_key)
    return []


@dataclass
class Enumerator:
    """Chooses, given the variables assigned so far, the next variable and its values."""

    range: QuantifierRange
    evaluate: Callable[[ast.Expr], object]

    def __post_init__(self) -> None:
        self.types = {var.uid: ast.type_of(var) for var in self.range.quantifier.bound}
        self.names = {var.uid: var.name for var in self.range.quantifier.bound}

    def next_domain(self, remaining: list[str], assigned: set[str]) -> tuple[str, Iterable[object]]:
        for var in remaining:
            domain = self.domain(var, assigned)
            if domain is not None:
                return var, domain
        raise Unbounded([self.names[var] for var in remaining])

    def domain(self, var: str, assigned: set[str]) -> Iterable[object] | None:
        if self.types.get(var) == BOOL:
            return (False, True)
        for bound in self.range.of(var, "in"):
            if bound.depends <= assigned:
                return distinct_elements(self.evaluate(bound.expr))
        if self.types.get(var) == REAL:  # between two reals lie infinitely many
            return None
        lower = self.limit(var, "lower", assigned, frozenset())
        upper = self.limit(var, "upper", assigned, frozenset())
        if lower is None or upper is None:
            return None
        return _integers(lower, upper)

    def limit(self, var: str, kind: str, assigned: set[str], visiting: frozenset[str]) -> int | None:
        """The tightest bound of this kind that can be computed now, if any."""
        values: list[int] = [0] if kind == "lower" and _within_nat(self.types.get(var)) else []
        for bound in self.range.of(var, kind):
            if bound.depends <= assigned:
                value = self.evaluate(bound.expr)
                if isinstance(value, int) and not isinstance(value, bool):
                    values.append(value + bound.offset)
                continue
            other = bound.expr
            if (
                isinstance(other, ast.Name)
                and bound.depends == {other.uid}
                and other.uid not in visiting
                and other.uid not in assigned
            ):
                through = self.limit(other.uid, kind, assigned, visiting | {var})
                if through is not None:
                    values.append(through + bound.offset)
        if not values:
            return None
        return max(values) if kind == "lower" else min(values)


def _integers(lower: int, upper: int) -> Iterator[int]:
    return iter(range(lower, upper + 1))


def _within_nat(ty: Type | None) -> bool:
    """Whether the values of a type are nats (`nat`, or a subset type of it)."""
    while ty is not None:
        if ty == NAT:
            return True
        ty = ty.parent
    return False
