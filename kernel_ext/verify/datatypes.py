"""How datatype values become SMT terms, and the axioms that go with them.

Each datatype instance (`List<int>`, `Tree`) is an uninterpreted sort with, as in Dafny's
translation: a function per constructor, one per destructor, one per discriminator
(`xs.Cons?`), a tag (the number of the constructor that built the value) and a rank, the depth
that structural termination compares (a value's arguments have a smaller rank than the value).
The axioms are triggered on constructor applications, discriminators and tags, so they enter a
proof only through terms that the program itself mentions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import FunctionAxiom

PREFIX = "D:"  # datatype and type-parameter sorts; the SMT layer declares them


def sort_named(type_text: str) -> t.Sort:
    return t.Sort(f"{PREFIX}{type_text}")


def is_datatype_sort(sort: t.Sort) -> bool:
    return sort.name.startswith(PREFIX)


@functools.cache  # made for every term that applies it: made once
def _symbol(role: t.Role, sort: t.Sort, operation: str, source: str) -> t.Symbol:
    return t.Symbol(role, f"{sort.name}.{operation}", source)


def construct(sort: t.Sort, ctor: str, args: tuple[t.Term, ...]) -> t.Term:
    return t.FunApp.of(_symbol(t.Role.CONSTRUCTOR, sort, ctor, ctor), args, sort)


def destruct(
    value: t.Term, destructor: str, result: t.Sort, argument: tuple[str, int] | None = None
) -> t.Term:
    """`value.destructor`; of a literal value, a literal too (see `literal`). `argument` is the
    constructor and position of an argument that has no name of its own (`destructor` is then
    the name the resolver made up for it)."""
    symbol = _symbol(t.Role.DESTRUCTOR, t.sort_of(value), destructor, destructor)
    if argument is not None:
        symbol = symbol._replace(ctor=argument[0], position=argument[1])
    field = t.FunApp.of(symbol, (value,), result)
    return lit.mark(field) if is_literal(value) and lit.has_marks(result) else field


def literal(value: t.Term) -> t.Term:
    """A datatype value the program writes out (`Cons(1, Cons(2, Nil))`), marked as Dafny's `Lit`
    marks it (see `literals`): `Length(Cons(1, Cons(2, Cons(3, Nil))))` is computed however long
    the list is (the value is finite, and only the branch taken is unfolded further)."""
    return lit.mark(value)


def is_literal(term: t.Term) -> bool:
    return lit.is_marked(term)


def is_constant(term: t.Term) -> bool:
    """A literal value, or an integer, real or boolean constant."""
    return lit.is_value(term) or isinstance(term, t.RealVal)


def tag(value: t.Term) -> t.Term:
    return t.FunApp.of(_symbol(t.Role.TAG, t.sort_of(value), "$tag", "tag"), (value,), t.INT)


def equal(left: t.Term, right: t.Term) -> t.Term:
    """`left == right` of datatype values. The tags' equality follows from the values' and
    is said too, as Dafny's `D#Equal` case-splits on the constructors: it puts the tags in
    the proof, so their range and the inversion axioms say that a value is built by one of
    the constructors (`c != Red && c != Green ==> c == Blue`)."""
    return t.and_(t.eq(left, right), t.eq(tag(left), tag(right)))


def rank(value: t.Term) -> t.Term:
    return t.FunApp.of(_symbol(t.Role.RANK, t.sort_of(value), "$rank", "rank"), (value,), t.INT)


def is_ctor(value: t.Term, ctor: str) -> t.Term:
    """`value.C?`: a discriminator, defined by the tag (a function of its own, so that the VC
    view can name it and its axiom is triggered by the programs's own tests)."""
    symbol = _symbol(t.Role.DISCRIMINATOR, t.sort_of(value), f"{ctor}?", ctor)
    return t.FunApp.of(symbol, (value,), t.BOOL)


@dataclass(frozen=True)
class CtorShape:
    """A constructor of one datatype instance: its name and its destructors with their sorts."""

    name: str
    fields: tuple[tuple[str, t.Sort], ...]


def axioms(sort: t.Sort, ctors: tuple[CtorShape, ...]) -> list[FunctionAxiom]:
    value = _value(sort)
    value_tag = tag(value)
    found = [
        FunctionAxiom(
            value_tag.name,
            "theory",
            t.Forall(
                (value,),
                t.and_(
                    t.app(t.Op.LE, t.IntVal(0), value_tag), t.app(t.Op.LT, value_tag, t.IntVal(len(ctors)))
                ),
                ((value_tag,),),
            ),
        ),
        FunctionAxiom(
            rank(value).name,
            "theory",
            t.Forall((value,), t.app(t.Op.LE, t.IntVal(0), rank(value)), ((rank(value),),)),
        ),
    ]
    for index, ctor in enumerate(ctors):
        found += _ctor_axioms(sort, index, ctor)
    found.append(lit.identity_axiom(sort))
    return found


def _ctor_axioms(sort: t.Sort, index: int, ctor: CtorShape) -> list[FunctionAxiom]:
    args = tuple(
        t.bound(f"a{position}", field_sort, key=f"$a{position}")
        for position, (_, field_sort) in enumerate(ctor.fields)
    )
    built = construct(sort, ctor.name, args)
    facts = [_has_tag(built, index)]
    for arg, (destructor, _) in zip(args, ctor.fields, strict=True):
        facts.append(t.eq(destruct(built, destructor, t.sort_of(arg)), arg))
        if is_datatype_sort(t.sort_of(arg)):
            facts.append(t.app(t.Op.LT, rank(arg), rank(built)))
    built_facts = t.and_(*facts)
    defining = t.Forall(args, built_facts, ((built,),)) if args else built_facts
    # A value with this constructor's tag is this constructor applied to its own fields.
    value = _value(sort)
    rebuilt = construct(sort, ctor.name, tuple(destruct(value, d, s) for d, s in ctor.fields))
    inversion = t.Forall((value,), t.implies(_has_tag(value, index), t.eq(value, rebuilt)), ((tag(value),),))
    test = is_ctor(value, ctor.name)
    discriminator = t.Forall((value,), t.app(t.Op.IFF, test, _has_tag(value, index)), ((test,),))
    return [
        FunctionAxiom(built.name, "theory", defining),
        FunctionAxiom(tag(value).name, "theory", inversion),
        FunctionAxiom(test.name, "theory", discriminator),
    ]


def _value(sort: t.Sort) -> t.Var:
    return t.bound("d", sort, key="$d")


def _has_tag(value: t.Term, index: int) -> t.Term:
    return t.eq(tag(value), t.IntVal(index))
