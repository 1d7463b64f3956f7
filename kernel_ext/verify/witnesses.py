"""Candidate witnesses for the existence check of `x :| P`: the values P compares the
variables with (`x == e`, `x > e`: e, e + 1, e - 1; `e == 2 * x`: e / 2), and 0. The check is `P(c1) || P(c2) ||
... || exists x :: P(x)`: each candidate only adds a ground case that implies the existence,
so that the solver need not find the value itself (a quantifier without a trigger)."""

from __future__ import annotations

import itertools

from kernel_ext.verify import terms as t

COMPARISONS = (t.Op.EQ, t.Op.LE, t.Op.LT, t.Op.GE, t.Op.GT)
MAX_CANDIDATES = 6  # per variable
MAX_COMBINATIONS = 36


def _compared_with(body: t.Term, var: t.Var, names: frozenset[str]) -> list[t.Term]:
    found: list[t.Term] = []
    for term in _subterms(body):
        if not (isinstance(term, t.App) and term.op in COMPARISONS and len(term.args) == 2):
            continue
        for mine, other in (term.args, tuple(reversed(term.args))):
            value = _solved(mine, var, other)
            if value is not None and not (other.free_names & names):
                found += [value, t.app(t.Op.ADD, value, t.IntVal(1)), t.app(t.Op.SUB, value, t.IntVal(1))]
    return found


def _solved(side: t.Term, var: t.Var, other: t.Term) -> t.Term | None:
    """The value of `var` that makes `side` equal `other`, for sides built from `x` by
    multiplying by a literal and adding or subtracting one: `n == 2 * a + 1` suggests
    `(n - 1) / 2`."""
    if side == var:
        return other
    if not (isinstance(side, t.App) and len(side.args) == 2):
        return None
    left, right = side.args
    if side.op is t.Op.MUL and isinstance(left, t.IntVal) and left.value != 0:
        return _solved(right, var, t.app(t.Op.DIV, other, left))
    if side.op is t.Op.MUL and isinstance(right, t.IntVal) and right.value != 0:
        return _solved(left, var, t.app(t.Op.DIV, other, right))
    if side.op in (t.Op.ADD, t.Op.SUB) and isinstance(right, t.IntVal):
        return _solved(left, var, t.app(t.Op.SUB if side.op is t.Op.ADD else t.Op.ADD, other, right))
    return None


def _subterms(term: t.Term) -> list[t.Term]:
    found = [term]
    for child in t.children(term):
        found += _subterms(child)
    return found


def candidates(body: t.Term, variables: tuple[t.Var, ...]) -> list[dict[str, t.Term]]:
    """Assignments of candidate values to the (integer) variables, at most MAX_COMBINATIONS."""
    names = frozenset(var.name for var in variables)
    pools: list[list[t.Term]] = []
    for var in variables:
        if var.sort != t.INT:
            return []
        pool = list(dict.fromkeys([*_compared_with(body, var, names), t.IntVal(0)]))
        pools.append(pool[:MAX_CANDIDATES])
    chosen = itertools.islice(itertools.product(*pools), MAX_COMBINATIONS)
    return [{var.name: value for var, value in zip(variables, values, strict=True)} for values in chosen]


def existence(body: t.Term, variables: tuple[t.Var, ...], exists: t.Term) -> t.Term:
    """`exists variables :: body`, with the candidates' ground cases first."""
    cases = [t.substitute(body, assignment) for assignment in candidates(body, variables)]
    return t.or_(*cases, exists)
