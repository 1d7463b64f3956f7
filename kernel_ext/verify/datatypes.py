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

from kernel_ext.verify import encoding as enc
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
    """A datatype value's rank, or a sequence's (`_sequence_rank_axioms`)."""
    sort = t.sort_of(value)
    if sort.name == "Seq":
        return t.FunApp.of(_sequence_rank_symbol(sort.element), (value,), t.INT)
    return t.FunApp.of(_symbol(t.Role.RANK, sort, "$rank", "rank"), (value,), t.INT)


@functools.cache
def _sequence_rank_symbol(element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.RANK, f"Seq#Rank.{element}", "rank")


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
        found += _sequence_field_axioms(sort, index, ctor)
    found.append(lit.identity_axiom(sort))
    found += _sequence_rank_axioms(t.seq_sort(sort))
    return found


def _is_ranked_sequence(sort: t.Sort) -> bool:
    return sort.name == "Seq" and is_datatype_sort(sort.element)


def _sequence_field_axioms(sort: t.Sort, index: int, ctor: CtorShape) -> list[FunctionAxiom]:
    """A sequence of datatype values that a value holds (`children: seq<Rose>`) is below the
    value in rank, as in Dafny; triggered on the rank of the field, which a termination check
    mentions (through its elements' ranks, see `_sequence_rank_axioms`)."""
    found = []
    value = _value(sort)
    for destructor, field_sort in ctor.fields:
        if not _is_ranked_sequence(field_sort):
            continue
        field_rank = rank(destruct(value, destructor, field_sort))
        below = t.implies(_has_tag(value, index), t.app(t.Op.LT, field_rank, rank(value)))
        found.append(FunctionAxiom(field_rank.name, "theory", t.Forall((value,), below, ((field_rank,),))))
    return found


def _sequence_rank_axioms(sort: t.Sort) -> list[FunctionAxiom]:
    """Dafny's `Seq#Rank` for a sequence of datatype values: at least 0, above each element's
    rank, above that of each proper part (`s[1..]`, `s[..i]`) and at least that of any part
    (a slice `s[i..j]` is a part of a part)."""
    sequence = t.bound("s", sort, key="$s")
    count = t.bound("i", t.INT, key="$i")
    whole, size, zero = rank(sequence), enc.seq_len(sequence), t.IntVal(0)
    within = t.and_(t.app(t.Op.LE, zero, count), t.app(t.Op.LE, count, size))

    def below(part: t.Term, strictly_when: t.Term) -> FunctionAxiom:
        part_rank = rank(part)
        weak = t.implies(within, t.app(t.Op.LE, part_rank, whole))
        strict = t.implies(t.and_(within, strictly_when), t.app(t.Op.LT, part_rank, whole))
        return FunctionAxiom(
            whole.name, "theory", t.Forall((sequence, count), t.and_(weak, strict), ((part_rank,),))
        )

    element = rank(enc.nth(sequence, count))
    in_range = t.and_(t.app(t.Op.LE, zero, count), t.app(t.Op.LT, count, size))
    return [
        FunctionAxiom(whole.name, "theory", t.Forall((sequence,), t.app(t.Op.LE, zero, whole), ((whole,),))),
        # filed under the elements' rank: a termination check names an element's rank only
        FunctionAxiom(
            element.name,
            "theory",
            t.Forall((sequence, count), t.implies(in_range, t.app(t.Op.LT, element, whole)), ((element,),)),
        ),
        below(enc.take(sequence, count), t.app(t.Op.LT, count, size)),
        below(enc.drop(sequence, count), t.app(t.Op.LT, zero, count)),
    ]


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
