"""How arrays, sequences, multisets and sets become SMT terms, and the axioms that go with them.

Arrays are references into heaps, one heap per element sort: `heap.Int` maps each array to
its contents (an SMT array from indices to elements), so `a[i] := v` stores new contents
for `a` alone and every other array keeps its contents without a frame axiom. Lengths are
an uninterpreted `$len` (never negative), allocation a set `alloc`. Sequences are Z3's
sequences; `a[..]` is `$aseq(contents, length)`. Multisets and sets are SMT arrays from
elements to counts and to booleans, so that their equality is extensional.
"""

from __future__ import annotations

from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import FunctionAxiom

ZERO = t.IntVal(0)
ONE = t.IntVal(1)
ALLOC = t.Var("alloc", t.array_sort(t.REF, t.BOOL))
OLD_ALLOC = t.Var("oldalloc", t.array_sort(t.REF, t.BOOL))


def contents_sort(element: t.Sort) -> t.Sort:
    return t.array_sort(t.INT, element)


def heap(element: t.Sort, old: bool = False) -> t.Var:
    prefix = "oldheap" if old else "heap"
    return t.Var(f"{prefix}.{element}", t.array_sort(t.REF, contents_sort(element)))


def alloc(old: bool = False) -> t.Var:
    return OLD_ALLOC if old else ALLOC


def contents(array: t.Term, element: t.Sort, old: bool = False) -> t.Term:
    return t.app(t.Op.SELECT, heap(element, old), array)


def length(array: t.Term) -> t.Term:
    return t.FunApp("$len", None, (array,), t.INT)


def array_seq(array_contents: t.Term, count: t.Term, element: t.Sort) -> t.Term:
    return t.FunApp(f"$aseq.{element}", None, (array_contents, count), t.seq_sort(element))


def multiset_of(sequence: t.Term, element: t.Sort) -> t.Term:
    return t.FunApp(f"$ms.{element}", None, (sequence,), t.array_sort(element, t.INT))


# ------------------------------------------------------------ sequences


def seq_len(sequence: t.Term) -> t.Term:
    return t.app(t.Op.SEQ_LEN, sequence)


def nth(sequence: t.Term, index: t.Term) -> t.Term:
    return t.app(t.Op.SEQ_NTH, sequence, index)


def extract(sequence: t.Term, start: t.Term, end: t.Term) -> t.Term:
    """`s[start..end]`."""
    return t.app(t.Op.SEQ_EXTRACT, sequence, start, t.app(t.Op.SUB, end, start))


def concat(*parts: t.Term) -> t.Term:
    """Nested binary concatenations, the shape the multiset axiom is triggered on."""
    result = parts[-1]
    for part in reversed(parts[:-1]):
        result = t.app(t.Op.SEQ_CONCAT, part, result)
    return result


def empty_seq(element: t.Sort) -> t.Term:
    return t.SortedConst("empty", t.seq_sort(element))


def seq_display(elements: list[t.Term], element: t.Sort) -> t.Term:
    if not elements:
        return empty_seq(element)
    return concat(*(t.app(t.Op.SEQ_UNIT, e) for e in elements))


def seq_update(sequence: t.Term, index: t.Term, value: t.Term) -> t.Term:
    after = t.app(t.Op.ADD, index, ONE)
    return concat(
        extract(sequence, ZERO, index),
        t.app(t.Op.SEQ_UNIT, value),
        extract(sequence, after, seq_len(sequence)),
    )


def seq_contains(sequence: t.Term, value: t.Term) -> t.Term:
    return t.app(t.Op.SEQ_CONTAINS, sequence, t.app(t.Op.SEQ_UNIT, value))


# ------------------------------------------------------------ multisets and sets


def empty_multiset(element: t.Sort) -> t.Term:
    return t.SortedConst("const", t.array_sort(element, t.INT), ZERO)


def empty_set(element: t.Sort) -> t.Term:
    return t.SortedConst("const", t.array_sort(element, t.BOOL), t.FALSE)


def multiset_add(multiset: t.Term, value: t.Term, delta: int = 1) -> t.Term:
    count = t.app(t.Op.SELECT, multiset, value)
    return t.app(t.Op.STORE, multiset, value, t.app(t.Op.ADD, count, t.IntVal(delta)))


def set_add(set_: t.Term, value: t.Term) -> t.Term:
    return t.app(t.Op.STORE, set_, value, t.TRUE)


def subset(smaller: t.Term, larger: t.Term) -> t.Term:
    return t.eq(t.app(t.Op.MAP_AND, smaller, larger), smaller)


def set_difference(left: t.Term, right: t.Term) -> t.Term:
    return t.app(t.Op.MAP_AND, left, t.app(t.Op.MAP_NOT, right))


# ------------------------------------------------------------ axioms


def _bound(name: str, sort: t.Sort) -> t.Var:
    return t.Var(f"$q.{name}", sort)


def theory_axioms(elements: tuple[t.Sort, ...] = (t.INT, t.BOOL)) -> list[FunctionAxiom]:
    ref = _bound("r", t.REF)
    axioms = [
        FunctionAxiom(
            "$len", "theory", t.Forall((ref,), t.app(t.Op.LE, ZERO, length(ref)), ((length(ref),),))
        )
    ]
    for element in elements:
        axioms += _array_seq_axioms(element) + _multiset_axioms(element) + _sequence_axioms(element)
    return axioms


def _sequence_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """Indexing into slices and concatenations, stated so that E-matching finds them."""
    whole, other = _bound("s", t.seq_sort(element)), _bound("t", t.seq_sort(element))
    start, count, index = _bound("i", t.INT), _bound("n", t.INT), _bound("k", t.INT)
    part = t.app(t.Op.SEQ_EXTRACT, whole, start, count)
    inside = t.and_(
        t.app(t.Op.LE, ZERO, start),
        t.app(t.Op.LE, ZERO, index),
        t.app(t.Op.LT, index, count),
        t.app(t.Op.LE, t.app(t.Op.ADD, start, count), seq_len(whole)),
    )
    joined = t.app(t.Op.SEQ_CONCAT, whole, other)
    in_joined = t.and_(
        t.app(t.Op.LE, ZERO, index), t.app(t.Op.LT, index, t.app(t.Op.ADD, seq_len(whole), seq_len(other)))
    )
    from_joined = t.ite(
        t.app(t.Op.LT, index, seq_len(whole)),
        nth(whole, index),
        nth(other, t.app(t.Op.SUB, index, seq_len(whole))),
    )
    return [
        FunctionAxiom(
            f"seq.extract.{element}",
            "theory",
            t.Forall(
                (whole, start, count, index),
                t.implies(inside, t.eq(nth(part, index), nth(whole, t.app(t.Op.ADD, start, index)))),
                ((nth(part, index),),),
            ),
        ),
        FunctionAxiom(
            f"seq.++.{element}",
            "theory",
            t.Forall(
                (whole, other, index),
                t.implies(in_joined, t.eq(nth(joined, index), from_joined)),
                ((nth(joined, index),),),
            ),
        ),
    ]


def _array_seq_axioms(element: t.Sort) -> list[FunctionAxiom]:
    array = _bound("c", contents_sort(element))
    count, index = _bound("n", t.INT), _bound("i", t.INT)
    seq = array_seq(array, count, element)
    name = f"$aseq.{element}"
    in_range = t.and_(t.app(t.Op.LE, ZERO, index), t.app(t.Op.LT, index, count))
    return [
        FunctionAxiom(
            name,
            "theory",
            t.Forall(
                (array, count), t.implies(t.app(t.Op.LE, ZERO, count), t.eq(seq_len(seq), count)), ((seq,),)
            ),
        ),
        FunctionAxiom(
            name,
            "theory",
            t.Forall(
                (array, count, index),
                t.implies(in_range, t.eq(nth(seq, index), t.app(t.Op.SELECT, array, index))),
                ((nth(seq, index),),),
            ),
        ),
    ]


def _multiset_axioms(element: t.Sort) -> list[FunctionAxiom]:
    name = f"$ms.{element}"
    left, right = _bound("s", t.seq_sort(element)), _bound("t", t.seq_sort(element))
    value = _bound("x", element)
    unit = t.app(t.Op.SEQ_UNIT, value)
    joined = t.app(t.Op.SEQ_CONCAT, left, right)
    array = _bound("c", contents_sort(element))
    count, index, new = _bound("n", t.INT), _bound("i", t.INT), _bound("v", element)
    updated = multiset_of(array_seq(t.app(t.Op.STORE, array, index, new), count, element), element)
    before = multiset_of(array_seq(array, count, element), element)
    replaced = multiset_add(multiset_add(before, t.app(t.Op.SELECT, array, index), -1), new)
    in_range = t.and_(t.app(t.Op.LE, ZERO, index), t.app(t.Op.LT, index, count))
    some = multiset_of(left, element)
    return [
        FunctionAxiom(
            name, "theory", t.eq(multiset_of(empty_seq(element), element), empty_multiset(element))
        ),
        FunctionAxiom(
            name,
            "theory",
            t.Forall(
                (value,),
                t.eq(multiset_of(unit, element), multiset_add(empty_multiset(element), value)),
                ((multiset_of(unit, element),),),
            ),
        ),
        FunctionAxiom(
            name,
            "theory",
            t.Forall(
                (left, right),
                t.eq(
                    multiset_of(joined, element),
                    t.app(t.Op.MAP_ADD, multiset_of(left, element), multiset_of(right, element)),
                ),
                ((multiset_of(joined, element),),),
            ),
        ),
        FunctionAxiom(
            name,
            "theory",
            t.Forall(
                (left, value),
                t.app(t.Op.LE, ZERO, t.app(t.Op.SELECT, some, value)),
                ((t.app(t.Op.SELECT, some, value),),),
            ),
        ),
        FunctionAxiom(
            name,
            "theory",
            t.Forall((array, count, index, new), t.implies(in_range, t.eq(updated, replaced)), ((updated,),)),
        ),
    ]
