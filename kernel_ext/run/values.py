"""MiniDafny's run-time values, and how they are written down.

| MiniDafny | Python |
|---|---|
| `int`, `nat` | `int` |
| `real` | `Fraction` (exact, never a float) |
| `bool` | `bool` |
| `seq<T>` | `tuple` |
| `set<T>` | `frozenset` |
| `multiset<T>` | `Multiset` |
| `array<T>` | `ArrayValue` (a reference: equal only to itself) |
| a datatype (`List<int>`) | `DataValue` (immutable: equal by constructor and arguments) |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.reals import show_real
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import NAT, Type

# Beyond this many bits an integer is shown by its size: Python refuses to print it.
SHOWN_INT_BITS = 10_000
# A datatype value is shown up to this many constructor applications, then "…".
SHOWN_DATA_NODES = 1_000
# Sets of datatype values are sorted by their constructors down to this depth, then by text.
ORDERED_DATA_DEPTH = 20


class ArrayValue:
    """An array: a mutable list of elements with identity, as Dafny's arrays are references.

    Two `ArrayValue`s are equal only if they are the same object, so passing one object as
    two arguments makes them aliases. `ident` is a display number a run gives each array
    it sees (1, 2, ... in the order met), so that a trace can tell two arrays apart.
    """

    __slots__ = ("elements", "ident")

    def __init__(self, elements: Iterable[object] = (), ident: int = 0) -> None:
        self.elements: list[object] = list(elements)
        self.ident = ident

    def __len__(self) -> int:
        return len(self.elements)

    def __repr__(self) -> str:
        return f"ArrayValue({self.elements!r}, ident={self.ident})"


def make_array(elements: list) -> ArrayValue:
    """A new array holding `elements` (copied)."""
    return ArrayValue(elements)


class Multiset:
    """A finite multiset: immutable and hashable, with Dafny's operations.

    `+` is the sum (counts add up), `-` the difference (counts subtract, not below 0),
    `*` the intersection (the smaller count); `<=` and `<` are (proper) inclusion, `len`
    counts every occurrence and `x in m` tests for at least one.
    """

    __slots__ = ("_counts", "_hash")

    def __init__(self, items: Iterable[object] = ()) -> None:
        counts: dict[object, int] = {}
        for item in items:
            counts[item] = counts.get(item, 0) + 1
        self._counts = counts
        self._hash: int | None = None

    @classmethod
    def from_counts(cls, counts: Mapping[object, int]) -> Multiset:
        multiset = cls()
        multiset._counts = {item: count for item, count in counts.items() if count > 0}
        return multiset

    def count(self, item: object) -> int:
        return self._counts.get(item, 0)

    def distinct(self) -> Iterator[object]:
        """Each element once."""
        return iter(self._counts)

    def elements(self) -> Iterator[object]:
        """Each element as often as it occurs."""
        for item, count in self._counts.items():
            for _ in range(count):
                yield item

    def __contains__(self, item: object) -> bool:
        return item in self._counts

    def __len__(self) -> int:
        return sum(self._counts.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Multiset) and self._counts == other._counts

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._counts.items()))
        return self._hash

    def __add__(self, other: Multiset) -> Multiset:
        counts = dict(self._counts)
        for item, count in other._counts.items():
            counts[item] = counts.get(item, 0) + count
        return Multiset.from_counts(counts)

    def __sub__(self, other: Multiset) -> Multiset:
        return Multiset.from_counts({item: n - other.count(item) for item, n in self._counts.items()})

    def __mul__(self, other: Multiset) -> Multiset:
        return Multiset.from_counts({item: min(n, other.count(item)) for item, n in self._counts.items()})

    def __le__(self, other: Multiset) -> bool:
        return all(n <= other.count(item) for item, n in self._counts.items())

    def __lt__(self, other: Multiset) -> bool:
        return self <= other and self != other

    def __ge__(self, other: Multiset) -> bool:
        return other <= self

    def __gt__(self, other: Multiset) -> bool:
        return other < self

    def __repr__(self) -> str:
        return f"Multiset({list(self.elements())!r})"


@dataclass(frozen=True, eq=False)
class DataValue:
    """A datatype value: `Cons(1, Nil)` is `DataValue("List", "Cons", (1, DataValue("List",
    "Nil")))`. Immutable and hashable; equal when built by the same constructor of the same
    datatype from equal arguments (compared without recursion, so long lists compare too).

    `height` (the nesting depth of constructors) is what termination compares: each argument
    of a value has a smaller height than the value, as each has a smaller rank in Dafny's
    order; so has a sequence argument's `seq_rank`. `size` counts the constructor applications, for the steps a comparison costs.
    """

    datatype: str
    ctor: str
    args: tuple[object, ...] = ()
    height: int = field(init=False, repr=False)
    size: int = field(init=False, repr=False)
    holds_arrays: bool = field(init=False, repr=False)
    _hash: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        height = size = 0
        holds_arrays = False
        for arg in self.args:
            for inner in _data_within(arg):
                height = max(height, inner.height)
                size += inner.size
                holds_arrays = holds_arrays or inner.holds_arrays
            if isinstance(arg, tuple) and any(isinstance(item, DataValue) for item in arg):
                height = max(height, seq_rank(arg))
            if not holds_arrays and not isinstance(arg, DataValue):
                holds_arrays = next(arrays_in(arg), None) is not None
        object.__setattr__(self, "height", height + 1)
        object.__setattr__(self, "size", size + 1)
        object.__setattr__(self, "holds_arrays", holds_arrays)
        object.__setattr__(self, "_hash", hash((self.datatype, self.ctor, self.args)))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataValue):
            return NotImplemented
        pending = [(self, other)]
        while pending:
            left, right = pending.pop()
            if left is right:
                continue
            if (
                left._hash != right._hash
                or left.ctor != right.ctor
                or left.datatype != right.datatype
                or len(left.args) != len(right.args)
            ):
                return False
            for mine, theirs in zip(left.args, right.args, strict=True):
                if isinstance(mine, DataValue) and isinstance(theirs, DataValue):
                    pending.append((mine, theirs))
                elif mine != theirs:
                    return False
        return True

    def __repr__(self) -> str:
        return f"DataValue({show_value(self)})"


def seq_rank(sequence: tuple[object, ...]) -> int:
    """A sequence's rank in Dafny's order: above each element's (a datatype value's height)
    and above each proper part's (`s[1..]`, `s[..i]`), below the value built from it. The
    length counts so that a part is below the whole."""
    heights = (item.height for item in sequence if isinstance(item, DataValue))
    return max(heights, default=0) + len(sequence)


def _data_within(value: object) -> Iterator[DataValue]:
    """The datatype values a constructor argument is or holds directly (in a collection)."""
    if isinstance(value, DataValue):
        yield value
    elif isinstance(value, tuple | frozenset):
        yield from (item for item in value if isinstance(item, DataValue))
    elif isinstance(value, Multiset):
        yield from (item for item in value.distinct() if isinstance(item, DataValue))


# ------------------------------------------------------------------ display


def order_key(value: object) -> tuple:
    """A total order on values of one type, used to show sets and multisets sorted."""
    if isinstance(value, bool | int | Fraction):
        return (0, value)
    if isinstance(value, tuple):
        return (1, tuple(order_key(item) for item in value))
    if isinstance(value, frozenset):
        return (2, tuple(sorted(order_key(item) for item in value)))
    if isinstance(value, Multiset):
        return (3, tuple(sorted(order_key(item) for item in value.elements())))
    if isinstance(value, ArrayValue):
        return (4, value.ident)
    if isinstance(value, DataValue):
        return _data_key(value, ORDERED_DATA_DEPTH)
    return (5, repr(value))


def _data_key(value: DataValue, depth: int) -> tuple:
    if depth == 0:
        return (7, show_value(value))
    parts = tuple(
        _data_key(arg, depth - 1) if isinstance(arg, DataValue) else order_key(arg) for arg in value.args
    )
    return (6, value.datatype, value.ctor, parts)


def show_value(value: object) -> str:
    """A value as a student writes it: `-3`, `true`, `[3, 1, 2]` (a sequence, or an array's
    contents), `{1, 2}` (sorted), `multiset{1, 1, 2}`, `Cons(1, Nil)`, `Red`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _show_int(value)
    if isinstance(value, Fraction):
        return show_real(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    if isinstance(value, ArrayValue):
        return "[" + ", ".join(show_value(item) for item in value.elements) + "]"
    if isinstance(value, frozenset):
        return "{" + ", ".join(show_value(item) for item in sorted(value, key=order_key)) + "}"
    if isinstance(value, Multiset):
        items = sorted(value.elements(), key=order_key)
        return "multiset{" + ", ".join(show_value(item) for item in items) + "}"
    if isinstance(value, DataValue):
        return show_data(value, show_value)
    return repr(value)


@dataclass(frozen=True)
class _Text:
    text: str


_COMMA = _Text(", ")
_CLOSE = _Text(")")


def show_data(value: DataValue, show_other: Callable[[object], str]) -> str:
    """A datatype value as Dafny writes it, `Node(Leaf, 3, Leaf)`, a nullary constructor
    without parentheses; other values inside it shown by `show_other`. Written without
    recursion (a long list is deeply nested), and cut with "…" after SHOWN_DATA_NODES
    constructors."""
    parts: list[str] = []
    pending: list[object] = [value]
    shown = 0
    while pending:
        item = pending.pop()
        if isinstance(item, _Text):
            parts.append(item.text)
            continue
        if not isinstance(item, DataValue):
            parts.append(show_other(item))
            continue
        shown += 1
        if shown > SHOWN_DATA_NODES:
            parts.append("…")
            continue
        if not item.args:
            parts.append(item.ctor)
            continue
        parts.append(f"{item.ctor}(")
        pending.append(_CLOSE)
        for position in range(len(item.args) - 1, -1, -1):
            pending.append(item.args[position])
            if position:
                pending.append(_COMMA)
    return "".join(parts)


def _show_int(value: int) -> str:
    if value.bit_length() <= SHOWN_INT_BITS:
        return str(value)
    digits = int(value.bit_length() * 0.30103) + 1
    return f"<{'-' if value < 0 else ''}an integer of about {digits:,} digits>"


def snapshot(value: object) -> object:
    """The value as it is now: an array's contents copied, so that later writes do not show."""
    if isinstance(value, ArrayValue):
        return tuple(snapshot(item) for item in value.elements)
    if isinstance(value, DataValue) and value.holds_arrays:
        return DataValue(value.datatype, value.ctor, tuple(snapshot(item) for item in value.args))
    return value


# ------------------------------------------------------------------ types


def default_value(ty: Type, datatypes: Mapping[str, ast.Datatype] | None = None) -> object:
    """What a variable or a new array element holds before it is assigned.

    Dafny leaves these arbitrary; the interpreter starts numbers at 0, booleans at false,
    collections empty, arrays with no elements and a datatype value at its first constructor
    that can be built without itself (`Nil`, `Leaf`), so that runs are reproducible.
    """
    name = ty.name
    if datatypes and name in datatypes:
        found = _default_data(ty, datatypes, frozenset())
        if found is not None:
            return found
    if name in ("int", "nat"):
        return 0
    if name == "real":
        return Fraction(0)
    if name == "bool":
        return False
    if name == "seq":
        return ()
    if name == "set":
        return frozenset()
    if name == "multiset":
        return Multiset()
    if name == "array":
        return ArrayValue()
    return 0


def _default_data(ty: Type, datatypes: Mapping[str, ast.Datatype], outer: frozenset[str]) -> DataValue | None:
    decl = datatypes[ty.name]
    within = outer | {decl.name}
    for ctor in decl.ctors:
        args: list[object] = []
        for field_ty in decl.field_types(ctor, ty):
            if field_ty.name in datatypes:
                inner = None if field_ty.name in within else _default_data(field_ty, datatypes, within)
                if inner is None:
                    break
                args.append(inner)
            else:
                args.append(default_value(field_ty))
        else:
            return DataValue(decl.name, ctor.name, tuple(args))
    return None


def coerce(value: object, ty: Type, what: str) -> object:
    """`value` as a run-time value of type `ty`; raises ValueError saying `what` is wrong.

    Lists are accepted for sequences (and for arrays: a new array), sets for sets.
    """
    if ty.parent is not None:  # a subset type's values are its parent's (checked on entry)
        return coerce(value, ty.parent, what)
    name = ty.name
    if name in ("int", "nat"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{what} must be an int, not {value!r}")
        return value
    if name == "real":
        if isinstance(value, bool) or not isinstance(value, int | Fraction):
            raise ValueError(f"{what} must be a real, not {value!r}")
        return Fraction(value)
    if name == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{what} must be a bool, not {value!r}")
        return value
    if name == "seq" and isinstance(value, tuple | list):
        return tuple(coerce(item, ty.element, f"an element of {what}") for item in value)
    if name == "set" and isinstance(value, frozenset | set):
        return frozenset(coerce(item, ty.element, f"an element of {what}") for item in value)
    if name == "multiset" and isinstance(value, Multiset):
        for item in value.distinct():
            coerce(item, ty.element, f"an element of {what}")
        return value
    if name == "array" and isinstance(value, ArrayValue | list):
        array = value if isinstance(value, ArrayValue) else ArrayValue(value)
        array.elements[:] = [coerce(item, ty.element, f"an element of {what}") for item in array.elements]
        return array
    if isinstance(value, DataValue) and value.datatype == name:
        return value
    raise ValueError(f"{what} must be a value of type {ty}, not {value!r}")


def arrays_in(value: object) -> Iterator[ArrayValue]:
    """Every array a value holds, itself included, nested ones too."""
    if isinstance(value, ArrayValue):
        yield value
        for item in value.elements:
            yield from arrays_in(item)
    elif isinstance(value, tuple | frozenset):
        for item in value:
            yield from arrays_in(item)
    elif isinstance(value, Multiset):
        for item in value.distinct():
            yield from arrays_in(item)
    elif isinstance(value, DataValue) and value.holds_arrays:
        for item in value.args:
            yield from arrays_in(item)


def conforms(value: object, ty: Type | None, subsets: Subsets) -> bool:
    """Whether a value satisfies its type's subset constraints at every depth (an array, its
    elements: only inputs are checked so, as every store into an array is)."""
    if ty is None or not (subsets.constrained(ty) or subsets.element_constrained(ty)):
        return True
    if ty == NAT:
        return isinstance(value, int) and value >= 0
    if ty.parent is not None:  # a declared subset type: its parent's constraint, then its own
        return conforms(value, ty.parent, subsets) and subsets.satisfies_own(ty, value)
    if isinstance(value, ArrayValue):
        items: Iterable[object] = value.elements
    elif isinstance(value, Multiset):
        items = value.distinct()
    elif isinstance(value, DataValue):
        shape = next((shape for shape in subsets.shapes(ty) if shape.ctor == value.ctor), None)
        if shape is None:
            return True
        return all(
            conforms(arg, ast.type_of(item), subsets)
            for arg, item in zip(value.args, shape.fields, strict=True)
        )
    elif isinstance(value, tuple | frozenset):
        items = value
    else:
        return True
    return all(conforms(item, ty.element, subsets) for item in items)
