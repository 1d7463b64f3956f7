"""Dafny's `Lit` mark: a value that the program writes out (`5`, `true`, `[1, 2]`,
`Cons(1, Nil)`), or that is computed from such values only, is marked as a literal. `$lit(v)`
is `v`, but a function applied to marked arguments unfolds without spending fuel
(`functions.literal_axioms`), so `Fact(5)` is computed to the end: every recursive call of
the unfolded body has marked arguments again, and the branch not taken is simplified away
once the arguments are numbers.

Operations on marked operands take the marks off their operands and mark their result
(Dafny's lifting), so that the solver's simplifier sees plain numbers (`5 - 1`, `5 == 0`);
equality of sequences and datatype values keeps them, so that a variable equal to a marked
value is known to be one."""

from __future__ import annotations

from collections.abc import Callable

from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import FunctionAxiom

ARITHMETIC = frozenset({t.Op.ADD, t.Op.SUB, t.Op.MUL, t.Op.DIV, t.Op.MOD, t.Op.NEG})


def mark(value: t.Term) -> t.Term:
    """`$lit(value)`, of the value's own sort (a marked value is not marked again)."""
    if is_marked(value):
        return value
    sort = t.sort_of(value)
    return t.FunApp.of(_symbol(sort), (value,), sort)


def _symbol(sort: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.LITERAL, f"$lit.{_sort_text(sort)}", "Lit")


def _sort_text(sort: t.Sort) -> str:
    return sort.name if not sort.args else f"{sort.name}<{','.join(_sort_text(arg) for arg in sort.args)}>"


def is_marked(term: t.Term) -> bool:
    return isinstance(term, t.FunApp) and term.symbol.role == t.Role.LITERAL


def unmark(term: t.Term) -> t.Term:
    return term.args[0] if is_marked(term) else term


def is_value(term: t.Term) -> bool:
    """A marked value, a number or a truth value, or arithmetic on numbers."""
    match term:
        case t.IntVal() | t.BoolVal():
            return True
        case t.App(op=op, args=args) if op in ARITHMETIC:
            return all(is_value(arg) for arg in args)
        case _:
            return is_marked(term)


def marked_value(term: t.Term) -> t.Term:
    """The term marked if it is a value of a sort that has marks, else the term."""
    return mark(term) if is_value(term) and has_marks(t.sort_of(term)) else term


def has_marks(sort: t.Sort) -> bool:
    """Numbers, truth values, sequences and datatype values can be marked."""
    return sort in (t.INT, t.BOOL) or sort.name == "Seq" or sort.name.startswith("D:")


def lifted(build: Callable[..., t.Term], *operands: t.Term) -> t.Term:
    """`build(*operands)` of the unmarked operands; marked itself when some operand is marked
    and all are values (Dafny's lifting of `Lit`)."""
    result = build(*(unmark(o) for o in operands))
    if any(is_marked(o) for o in operands) and all(is_value(o) for o in operands):
        return mark(result) if has_marks(t.sort_of(result)) else result
    return result


def unmarked(build: Callable[..., t.Term], *operands: t.Term) -> t.Term:
    """`build(*operands)` from the unmarked operands: a comparison of numbers or truth values,
    which the solver's simplifier then decides when they are numbers."""
    return build(*(unmark(o) for o in operands))


def identity_axiom(sort: t.Sort) -> FunctionAxiom:
    """`$lit(x) == x`."""
    value = t.bound("x", sort, key="$lit.x")
    marked = mark(value)
    return FunctionAxiom(marked.name, "theory", t.Forall((value,), t.eq(marked, value), ((marked,),)))


def is_identity_axiom(formula: t.Term) -> bool:
    """`forall x :: $lit(x) == x` (as `identity_axiom` makes it)."""
    match formula:
        case t.Forall(bound=(value,), body=t.App(op=t.Op.EQ, args=(marked, plain))):
            return plain == value and is_marked(marked) and marked.args == (value,)
        case _:
            return False
