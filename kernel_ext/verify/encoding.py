"""How arrays, sequences, multisets and sets become SMT terms, and the axioms that go with them.

Arrays are references into heaps, one heap per element sort: `heap.Int` maps each array to
its contents (an SMT array from indices to elements), so `a[i] := v` stores new contents
for `a` alone and every other array keeps its contents without a frame axiom. Lengths are
an uninterpreted `$len` (never negative), allocation a set `alloc`.

Sequences are an uninterpreted sort per element sort, with the functions and axioms of
Dafny's prelude (`Seq#Length`, `Seq#Index`, `Seq#Append`, `Seq#Take`, ...): their triggers
are tuned for E-matching, which Z3's own sequence theory is not, so the classic teaching
programs prove with the annotations Dafny needs. `a[..]` is `$aseq(contents, length)`.
Multisets and sets are SMT arrays from elements to counts and to booleans, so that their
equality is extensional; their sizes are uninterpreted with Dafny's axioms.
"""

from __future__ import annotations

import functools

from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import FunctionAxiom

ZERO = t.IntVal(0)
ONE = t.IntVal(1)
ALLOC = t.Var.of(t.Symbol(t.Role.ALLOC, "alloc", "alloc"), t.array_sort(t.REF, t.BOOL))
OLD_ALLOC = t.Var.of(t.Symbol(t.Role.OLD_ALLOC, "oldalloc", "oldalloc"), t.array_sort(t.REF, t.BOOL))


LENGTH = t.Symbol(t.Role.LENGTH, "$len", "Length")


def contents_sort(element: t.Sort) -> t.Sort:
    return t.array_sort(t.INT, element)


def heap(element: t.Sort, old: bool = False) -> t.Var:
    prefix = "oldheap" if old else "heap"
    symbol = t.Symbol(t.Role.OLD_HEAP if old else t.Role.HEAP, f"{prefix}.{element}", prefix)
    return t.Var.of(symbol, t.array_sort(t.REF, contents_sort(element)))


def alloc(old: bool = False) -> t.Var:
    return OLD_ALLOC if old else ALLOC


def snapshot(state: t.Var, number: int) -> t.Var:
    """A copy of the heap or the allocation, kept before a loop or a call changes it."""
    symbol = t.Symbol(t.Role.SNAPSHOT, f"{state.name}.before%{number}", state.symbol.source)
    return t.Var.of(symbol, state.sort)


def function_contents(param: str, element: t.Sort) -> t.Var:
    """In a function: the contents of its array parameter `param`, a value like any other."""
    return t.Var.of(t.Symbol(t.Role.CONTENTS, f"{param}.contents", param), contents_sort(element))


def unread(array: t.Term, element: t.Sort) -> t.Term:
    """In a function: the contents of an array its reads clause does not name, an unknown value."""
    symbol = t.Symbol(t.Role.UNREAD, f"$unread.{element}", "unread")
    return t.FunApp.of(symbol, (array,), contents_sort(element))


def contents(array: t.Term, element: t.Sort, old: bool = False) -> t.Term:
    return t.app(t.Op.SELECT, heap(element, old), array)


def length(array: t.Term) -> t.Term:
    return t.FunApp.of(LENGTH, (array,), t.INT)


def array_seq(array_contents: t.Term, count: t.Term, element: t.Sort) -> t.Term:
    return t.FunApp.of(_array_seq_symbol(element), (array_contents, count), t.seq_sort(element))


@functools.cache
def _array_seq_symbol(element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.ARRAY_SEQ, f"$aseq.{element}", "aseq")


def multiset_of(sequence: t.Term, element: t.Sort) -> t.Term:
    return t.FunApp.of(_multiset_of_symbol(element), (sequence,), t.array_sort(element, t.INT))


@functools.cache
def _multiset_of_symbol(element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.MULTISET_OF, f"$ms.{element}", "multiset")


# ------------------------------------------------------------ sequences


def seq_function(operation: str, element: t.Sort) -> str:
    return seq_symbol(operation, element).name


@functools.cache  # made for every term that applies it: made once
def seq_symbol(operation: str, element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.SEQUENCE, f"Seq#{operation}.{element}", operation)


def _element(sequence: t.Term) -> t.Sort:
    return t.sort_of(sequence).element


def _seq_app(operation: str, result: t.Sort, *args: t.Term, element: t.Sort | None = None) -> t.Term:
    element = element if element is not None else _element(args[0])
    return t.FunApp.of(seq_symbol(operation, element), args, result)


def seq_len(sequence: t.Term) -> t.Term:
    return _seq_app("Length", t.INT, sequence)


def nth(sequence: t.Term, index: t.Term) -> t.Term:
    return _seq_app("Index", _element(sequence), sequence, index)


def empty_seq(element: t.Sort) -> t.Term:
    return t.FunApp.of(seq_symbol("Empty", element), (), t.seq_sort(element))


def build(sequence: t.Term, value: t.Term) -> t.Term:
    """`sequence + [value]`."""
    return _seq_app("Build", t.sort_of(sequence), sequence, value)


def append(left: t.Term, right: t.Term) -> t.Term:
    return _seq_app("Append", t.sort_of(left), left, right)


def take(sequence: t.Term, count: t.Term) -> t.Term:
    """`sequence[..count]`."""
    return _seq_app("Take", t.sort_of(sequence), sequence, count)


def drop(sequence: t.Term, count: t.Term) -> t.Term:
    """`sequence[count..]`."""
    return _seq_app("Drop", t.sort_of(sequence), sequence, count)


def seq_update(sequence: t.Term, index: t.Term, value: t.Term) -> t.Term:
    return _seq_app("Update", t.sort_of(sequence), sequence, index, value)


def seq_contains(sequence: t.Term, value: t.Term) -> t.Term:
    return _seq_app("Contains", t.BOOL, sequence, value)


def seq_equal(left: t.Term, right: t.Term) -> t.Term:
    """Sequence equality as Dafny states it, so that the extensionality axiom applies."""
    return _seq_app("Equal", t.BOOL, left, right)


def slice_of(sequence: t.Term, start: t.Term | None, end: t.Term | None) -> t.Term:
    """`sequence[start..end]` as Dafny translates it: a drop of a take."""
    result = sequence if end is None else take(sequence, end)
    return result if start is None else drop(result, start)


def seq_display(elements: list[t.Term], element: t.Sort) -> t.Term:
    result = empty_seq(element)
    for value in elements:
        result = build(result, value)
    return result


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


BAG_FUNCTIONS = {"-": "$mdiff", "*": "$mmin", "<=": "$msub"}


def _bag_function(op: str, left: t.Term, right: t.Term, result: t.Sort) -> t.Term:
    return t.FunApp.of(_bag_symbol(op, t.sort_of(left).args[0]), (left, right), result)


@functools.cache
def _bag_symbol(op: str, element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.MULTISET_OP, f"{BAG_FUNCTIONS[op]}.{element}", op)


def multiset_op(op: str, left: t.Term, right: t.Term) -> t.Term:
    """`-`, `*` and the comparisons on multisets (`+` is a pointwise sum of counts)."""
    if op in ("-", "*"):
        return _bag_function(op, left, right, t.sort_of(left))
    small, large = (left, right) if op in ("<=", "<") else (right, left)
    included = _bag_function("<=", small, large, t.BOOL)
    return included if op in ("<=", ">=") else t.and_(included, t.app(t.Op.NE, small, large))


def set_size(set_: t.Term) -> t.Term:
    return t.FunApp.of(_size_symbol("$card", t.sort_of(set_).args[0]), (set_,), t.INT)


@functools.cache
def _size_symbol(prefix: str, element: t.Sort) -> t.Symbol:
    return t.Symbol(t.Role.SIZE, f"{prefix}.{element}", "size")


def multiset_size(multiset: t.Term) -> t.Term:
    return t.FunApp.of(_size_symbol("$mcard", t.sort_of(multiset).args[0]), (multiset,), t.INT)


# ------------------------------------------------------------ axioms


def _bound(name: str, sort: t.Sort) -> t.Var:
    return t.bound(name, sort)


def _forall(variables: tuple[t.Var, ...], body: t.Term, *patterns: t.Term | tuple[t.Term, ...]) -> t.Term:
    groups = tuple(p if isinstance(p, tuple) else (p,) for p in patterns)
    return t.Forall(variables, body, groups)


def _le(*chain: t.Term) -> t.Term:
    return t.and_(*(t.app(t.Op.LE, a, b) for a, b in zip(chain, chain[1:], strict=False)))


def _lt(a: t.Term, b: t.Term) -> t.Term:
    return t.app(t.Op.LT, a, b)


def _add(a: t.Term, b: t.Term) -> t.Term:
    return t.app(t.Op.ADD, a, b)


def _sub(a: t.Term, b: t.Term) -> t.Term:
    return t.app(t.Op.SUB, a, b)


def _in_range(index: t.Term, size: t.Term) -> t.Term:
    return t.and_(_le(ZERO, index), _lt(index, size))


def _select(map_: t.Term, key: t.Term) -> t.Term:
    return t.app(t.Op.SELECT, map_, key)


def theory_axioms(elements: tuple[t.Sort, ...] = (t.INT, t.BOOL)) -> list[FunctionAxiom]:
    """The axioms of every symbol above, for the element sorts a program uses. Each axiom is
    filed under the symbol whose use makes it relevant, so a proof task gets only those."""
    return list(_theory_axioms(elements))


@functools.cache  # the same for every program: made once (terms are immutable)
def _theory_axioms(elements: tuple[t.Sort, ...]) -> tuple[FunctionAxiom, ...]:
    ref = _bound("r", t.REF)
    axioms = [FunctionAxiom(LENGTH.key, "theory", _forall((ref,), _le(ZERO, length(ref)), length(ref)))]
    axioms += [lit.identity_axiom(sort) for sort in (t.INT, t.BOOL)]
    for element in elements:
        axioms.append(lit.identity_axiom(t.seq_sort(element)))
        axioms += _sequence_axioms(element)
        axioms += _array_seq_axioms(element)
        axioms += _multiset_axioms(element)
        axioms += _size_axioms(element)
    return tuple(axioms)


def _filed(element: t.Sort, operation: str, *formulas: t.Term) -> list[FunctionAxiom]:
    return [FunctionAxiom(seq_function(operation, element), "theory", f) for f in formulas]


def _sequence_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """Dafny's prelude for `Seq T`, with its triggers."""
    sort = t.seq_sort(element)
    s, s1 = _bound("s", sort), _bound("s1", sort)
    i, j, n, m = _bound("i", t.INT), _bound("j", t.INT), _bound("n", t.INT), _bound("m", t.INT)
    v, x = _bound("v", element), _bound("x", element)
    empty, size = empty_seq(element), seq_len(s)

    k = _bound("k", t.INT)

    def exists_index(sequence: t.Term, condition: t.Term) -> t.Term:
        body = t.and_(condition, t.eq(nth(sequence, k), x))
        return t.Forall((k,), body, ((nth(sequence, k),),), is_exists=True)

    built, joined = build(s, v), append(s, s1)
    updated = seq_update(s, i, v)
    axioms = _filed(
        element,
        "Length",
        _forall((s,), _le(ZERO, size), size),
        _forall((s,), t.implies(t.eq(size, ZERO), t.eq(s, empty)), size),
    )
    axioms += _filed(element, "Empty", t.eq(seq_len(empty), ZERO))
    axioms += _filed(
        element,
        "Build",
        _forall((s, v), t.eq(seq_len(built), _add(ONE, size)), built),
        _forall(
            (s, i, v),
            t.and_(
                t.implies(t.eq(i, size), t.eq(nth(built, i), v)),
                t.implies(t.app(t.Op.NE, i, size), t.eq(nth(built, i), nth(s, i))),
            ),
            nth(built, i),
        ),
        _forall(
            (s, v, n),
            t.implies(_le(ZERO, n, size), t.eq(drop(built, n), build(drop(s, n), v))),
            drop(built, n),
        ),
    )
    axioms += _filed(
        element,
        "Append",
        _forall((s, s1), t.eq(seq_len(joined), _add(size, seq_len(s1))), seq_len(joined)),
        _forall(
            (s, s1, n),
            t.and_(
                t.implies(_lt(n, size), t.eq(nth(joined, n), nth(s, n))),
                t.implies(_le(size, n), t.eq(nth(joined, n), nth(s1, _sub(n, size)))),
            ),
            nth(joined, n),
        ),
        _forall(
            (s, s1, n),
            t.implies(t.eq(n, size), t.and_(t.eq(take(joined, n), s), t.eq(drop(joined, n), s1))),
            take(joined, n),
            drop(joined, n),
        ),
    )
    axioms += _filed(
        element,
        "Update",
        _forall((s, i, v), t.implies(_in_range(i, size), t.eq(seq_len(updated), size)), seq_len(updated)),
        _forall(
            (s, i, v, n),
            t.implies(
                _in_range(n, size),
                t.and_(
                    t.implies(t.eq(i, n), t.eq(nth(updated, n), v)),
                    t.implies(t.app(t.Op.NE, i, n), t.eq(nth(updated, n), nth(s, n))),
                ),
            ),
            nth(updated, n),
        ),
        _forall(
            (s, i, v, n),
            t.implies(
                t.and_(_le(ZERO, i), _lt(i, n), _le(n, size)),
                t.eq(take(updated, n), seq_update(take(s, n), i, v)),
            ),
            take(updated, n),
        ),
        _forall(
            (s, i, v, n),
            t.implies(t.and_(_le(n, i), _lt(i, size)), t.eq(take(updated, n), take(s, n))),
            take(updated, n),
        ),
        _forall(
            (s, i, v, n),
            t.implies(
                t.and_(_le(ZERO, n, i), _lt(i, size)),
                t.eq(drop(updated, n), seq_update(drop(s, n), _sub(i, n), v)),
            ),
            drop(updated, n),
        ),
        _forall(
            (s, i, v, n),
            t.implies(t.and_(_le(ZERO, i), _lt(i, n), _lt(n, size)), t.eq(drop(updated, n), drop(s, n))),
            drop(updated, n),
        ),
    )
    axioms += _filed(
        element,
        "Contains",
        _forall(
            (s, x),
            t.app(t.Op.IFF, seq_contains(s, x), exists_index(s, _in_range(k, size))),
            seq_contains(s, x),
        ),
        _forall((x,), t.not_(seq_contains(empty, x)), seq_contains(empty, x)),
        _forall(
            (s, s1, x),
            t.app(t.Op.IFF, seq_contains(joined, x), t.or_(seq_contains(s, x), seq_contains(s1, x))),
            seq_contains(joined, x),
        ),
        _forall(
            (s, v, x),
            t.app(t.Op.IFF, seq_contains(built, x), t.or_(t.eq(v, x), seq_contains(s, x))),
            seq_contains(built, x),
        ),
        _forall(
            (s, n, x),
            t.app(
                t.Op.IFF,
                seq_contains(take(s, n), x),
                exists_index(s, t.and_(_le(ZERO, k), _lt(k, n), _lt(k, size))),
            ),
            seq_contains(take(s, n), x),
        ),
        _forall(
            (s, n, x),
            t.app(
                t.Op.IFF, seq_contains(drop(s, n), x), exists_index(s, t.and_(_le(ZERO, n, k), _lt(k, size)))
            ),
            seq_contains(drop(s, n), x),
        ),
    )
    same = t.Forall(
        (j,),
        t.implies(_in_range(j, size), t.eq(nth(s, j), nth(s1, j))),
        ((nth(s, j),), (nth(s1, j),)),
    )
    axioms += _filed(
        element,
        "Equal",
        _forall(
            (s, s1),
            t.app(t.Op.IFF, seq_equal(s, s1), t.and_(t.eq(size, seq_len(s1)), same)),
            seq_equal(s, s1),
        ),
        _forall((s, s1), t.implies(seq_equal(s, s1), t.eq(s, s1)), seq_equal(s, s1)),
    )
    axioms += _filed(
        element,
        "Take",
        _forall((s, n), t.implies(_le(ZERO, n, size), t.eq(seq_len(take(s, n)), n)), seq_len(take(s, n))),
        _forall(
            (s, n, j),
            t.implies(t.and_(_le(ZERO, j), _lt(j, n), _lt(j, size)), t.eq(nth(take(s, n), j), nth(s, j))),
            nth(take(s, n), j),
            (nth(s, j), take(s, n)),
        ),
        _forall((s, n), t.implies(t.eq(n, ZERO), t.eq(take(s, n), empty)), take(s, n)),
    )
    axioms += _filed(
        element,
        "Drop",
        _forall(
            (s, n),
            t.implies(_le(ZERO, n, size), t.eq(seq_len(drop(s, n)), _sub(size, n))),
            seq_len(drop(s, n)),
        ),
        _forall(
            (s, n, j),
            t.implies(
                t.and_(_le(ZERO, n), _le(ZERO, j), _lt(j, _sub(size, n))),
                t.eq(nth(drop(s, n), j), nth(s, _add(j, n))),
            ),
            nth(drop(s, n), j),
        ),
        _forall(
            (s, n, j),
            t.implies(t.and_(_le(ZERO, n, j), _lt(j, size)), t.eq(nth(drop(s, n), _sub(j, n)), nth(s, j))),
            (nth(s, j), drop(s, n)),
        ),
        _forall((s, n), t.implies(t.eq(n, ZERO), t.eq(drop(s, n), s)), drop(s, n)),
        _forall(
            (s, m, n),
            t.implies(
                t.and_(_le(ZERO, m), _le(ZERO, n), _le(_add(m, n), size)),
                t.eq(drop(drop(s, m), n), drop(s, _add(m, n))),
            ),
            drop(drop(s, m), n),
        ),
    )
    return axioms


def _array_seq_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """`a[..]` as Dafny's `Seq#FromArray`: indexing it reads the array, in both directions."""
    array = _bound("c", contents_sort(element))
    count, index, n0 = _bound("n", t.INT), _bound("i", t.INT), _bound("n0", t.INT)
    new = _bound("v", element)
    seq = array_seq(array, count, element)
    reads = t.Forall(
        (index,),
        t.implies(_in_range(index, seq_len(seq)), t.eq(nth(seq, index), _select(array, index))),
        ((_select(array, index),), (nth(seq, index),)),
    )
    stored = array_seq(t.app(t.Op.STORE, array, index, new), count, element)
    n1 = _add(n0, ONE)
    formulas = [
        _forall((array, count), t.implies(_le(ZERO, count), t.eq(seq_len(seq), count)), seq_len(seq)),
        _forall((array, count), reads, seq),
        _forall(
            (array, count, index, new),
            t.implies(_in_range(index, count), t.eq(stored, seq_update(seq, index, new))),
            stored,
        ),
    ]
    n1_var = _bound("n1", t.INT)
    formulas.append(
        _forall(
            (array, count, n0, n1_var),
            t.implies(
                t.and_(t.eq(n1, n1_var), _le(ZERO, n0), _le(n1_var, count)),
                t.eq(take(seq, n1_var), build(take(seq, n0), _select(array, n0))),
            ),
            (take(seq, n0), take(seq, n1_var)),
        )
    )
    return [FunctionAxiom(_array_seq_symbol(element).key, "theory", formula) for formula in formulas]


def _multiset_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """`multiset(s)` of a sequence, as Dafny's `MultiSet#FromSeq`."""
    name = _multiset_of_symbol(element).key
    sort = t.seq_sort(element)
    s, s1 = _bound("s", sort), _bound("s1", sort)
    i, k = _bound("i", t.INT), _bound("k", t.INT)
    v, x = _bound("v", element), _bound("x", element)
    bag = multiset_of(s, element)
    count = _select(bag, x)
    occurs = t.Forall(
        (k,), t.and_(_in_range(k, seq_len(s)), t.eq(x, nth(s, k))), ((nth(s, k),),), is_exists=True
    )
    updated = multiset_of(seq_update(s, i, v), element)
    replaced = multiset_add(multiset_add(bag, nth(s, i), -1), v)
    formulas = [
        t.eq(multiset_of(empty_seq(element), element), empty_multiset(element)),
        _forall(
            (s, v),
            t.eq(multiset_of(build(s, v), element), multiset_add(bag, v)),
            multiset_of(build(s, v), element),
        ),
        _forall(
            (s, s1),
            t.eq(multiset_of(append(s, s1), element), t.app(t.Op.MAP_ADD, bag, multiset_of(s1, element))),
            multiset_of(append(s, s1), element),
        ),
        _forall((s, i, v), t.implies(_in_range(i, seq_len(s)), t.eq(updated, replaced)), updated),
        _forall((s, x), t.and_(_le(ZERO, count), t.app(t.Op.IFF, occurs, _lt(ZERO, count))), count),
    ]
    axioms = [FunctionAxiom(name, "theory", formula) for formula in formulas]
    axioms.append(
        FunctionAxiom(
            _size_symbol("$mcard", element).key,
            "theory",
            _forall((s,), t.eq(multiset_size(bag), seq_len(s)), multiset_size(bag)),
        )
    )
    return axioms


def _size_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """`|S|` of sets and multisets, as Dafny's `Set#Card` and `MultiSet#Card`."""
    a, b = _bound("a", t.array_sort(element, t.BOOL)), _bound("b", t.array_sort(element, t.BOOL))
    x, witness, n = _bound("x", element), _bound("w", element), _bound("n", t.INT)
    size = set_size(a)

    def card(set_: t.Term) -> t.Term:
        return set_size(set_)

    union, common = t.app(t.Op.MAP_OR, a, b), t.app(t.Op.MAP_AND, a, b)
    only_a, only_b = set_difference(a, b), set_difference(b, a)
    added = set_add(a, x)
    nonempty = t.Forall((witness,), _select(a, witness), is_exists=True)
    set_axioms = [
        _forall(
            (a,),
            t.and_(
                _le(ZERO, size),
                t.app(t.Op.IFF, t.eq(size, ZERO), t.eq(a, empty_set(element))),
                t.implies(t.app(t.Op.NE, size, ZERO), nonempty),
            ),
            size,
        ),
        _forall(
            (a, x),
            t.eq(card(added), t.ite(_select(a, x), size, _add(size, ONE))),
            card(added),
        ),
        _forall(
            (a, b), t.eq(_add(card(union), card(common)), _add(size, card(b))), card(union), card(common)
        ),
        _forall(
            (a, b),
            t.and_(
                t.eq(_add(_add(card(only_a), card(only_b)), card(common)), card(union)),
                t.eq(card(only_a), _sub(size, card(common))),
            ),
            card(only_a),
        ),
    ]
    m, m1 = _bound("m", t.array_sort(element, t.INT)), _bound("m1", t.array_sort(element, t.INT))
    bag_size = multiset_size(m)
    stored = t.app(t.Op.STORE, m, x, n)
    positive = t.Forall((witness,), _lt(ZERO, _select(m, witness)), is_exists=True)
    sum_ = t.app(t.Op.MAP_ADD, m, m1)
    bag_axioms = [
        _forall(
            (m,),
            t.and_(
                _le(ZERO, bag_size),
                t.app(t.Op.IFF, t.eq(bag_size, ZERO), t.eq(m, empty_multiset(element))),
                t.implies(t.app(t.Op.NE, bag_size, ZERO), positive),
            ),
            bag_size,
        ),
        _forall(
            (m, x, n),
            t.implies(_le(ZERO, n), t.eq(multiset_size(stored), _add(_sub(bag_size, _select(m, x)), n))),
            multiset_size(stored),
        ),
        _forall((m, m1), t.eq(multiset_size(sum_), _add(bag_size, multiset_size(m1))), multiset_size(sum_)),
    ]
    return (
        [FunctionAxiom(_size_symbol("$card", element).key, "theory", f) for f in set_axioms]
        + [FunctionAxiom(_size_symbol("$mcard", element).key, "theory", f) for f in bag_axioms]
        + _bag_operation_axioms(element)
    )


def _bag_operation_axioms(element: t.Sort) -> list[FunctionAxiom]:
    """Multiset difference (counts never below 0), intersection and inclusion, as Dafny's."""
    bag = t.array_sort(element, t.INT)
    a, b, x = _bound("a", bag), _bound("b", bag), _bound("x", element)
    in_a, in_b = _select(a, x), _select(b, x)
    difference, common = multiset_op("-", a, b), multiset_op("*", a, b)
    included = multiset_op("<=", a, b)
    everywhere = t.Forall((x,), _le(in_a, in_b), ((in_a,), (in_b,)))
    return [
        FunctionAxiom(
            _bag_symbol("-", element).key,
            "theory",
            _forall(
                (a, b, x),
                t.eq(_select(difference, x), t.ite(_le(in_b, in_a), _sub(in_a, in_b), ZERO)),
                _select(difference, x),
            ),
        ),
        FunctionAxiom(
            _bag_symbol("*", element).key,
            "theory",
            _forall(
                (a, b, x), t.eq(_select(common, x), t.ite(_le(in_a, in_b), in_a, in_b)), _select(common, x)
            ),
        ),
        FunctionAxiom(
            _bag_symbol("<=", element).key,
            "theory",
            _forall((a, b), t.app(t.Op.IFF, included, everywhere), included),
        ),
    ]
