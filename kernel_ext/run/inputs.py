"""Small inputs for a method, chosen automatically from its precondition.

Every parameter type has a fixed list of small candidate values, moderate ones first (an
int 3 before 0, an array `[3, 1, 2]` before `[]`) so that loops run a few times, then every
sequence of length 0 to 4 of small elements. A datatype's values are built from its
constructors, nested at most DATA_DEPTH deep, smallest first, with one of three constructors
(`Cons(3, Cons(3, Nil))`) first of all. Combinations are tried in order of the sum of their
positions in these lists, and the first that satisfies the `requires` is taken.

What values a type has is said once, by `domain_of`: the property tests draw their random
inputs from the same description.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.subsets import Shape, Subsets
from kernel_ext.lang.types import Type
from kernel_ext.run.interp import find_method, precondition_holds, subset_rules
from kernel_ext.run.values import ArrayValue, DataValue, Multiset, conforms

MAX_ATTEMPTS = 3_000
MAX_LENGTH = 4
DATA_DEPTH = 4  # constructors nested at most this deep
DATA_FIELD_VALUES = 3  # the first few candidates of a constructor's other arguments
MAX_DATA_VALUES = 40  # candidates of one datatype
MODERATE_DATA_SIZE = 3

INTS = (3, 2, 1, 0, 4, 5, -1, -2, -3, 6, 7, 8, 10)
REALS = tuple(Fraction(text) for text in ("2.5", "1", "0", "-1", "0.5", "3", "-2.5", "1/3", "-0.5", "10"))
BOOLS = (True, False)
PREFERRED_INT_SEQUENCES = ((3, 1, 2), (1, 2, 3), (2, 2, 1), (0, 1, 2), (1,), (), (2, 1), (3, 1, 2, 0))


@dataclass(frozen=True)
class Ints:
    """The values of `int`, of `nat` (`low` 0), of a declared subset type of them (those its
    constraint allows), and of a type parameter (any type's values will do: ints)."""

    low: int | None = None
    allowed: Callable[[int], bool] | None = None

    def has(self, value: int) -> bool:
        return (self.low is None or value >= self.low) and (self.allowed is None or self.allowed(value))


@dataclass(frozen=True)
class Reals:
    pass


@dataclass(frozen=True)
class Bools:
    pass


@dataclass(frozen=True)
class Collection:
    """A `seq`, `set` or `multiset` of the element type's values, or an array's contents."""

    kind: str
    element: Type


@dataclass(frozen=True)
class Data:
    """A datatype instance's values: its constructors applied to values of their argument
    types (a constructor with an array argument is left out: no input holds one)."""

    name: str
    ctors: tuple[Shape, ...]


Domain = Ints | Reals | Bools | Collection | Data


def domain_of(
    ty: Type, datatypes: Mapping[str, ast.Datatype], subsets: Subsets | None = None
) -> Domain | None:
    """Which values a type has, as input generators see it; None for a type they cannot make.
    `subsets` evaluates declared subset types' constraints (without it, their parents' values)."""
    name = ty.name
    if ty.parent is not None and name != "nat":  # a declared subset type (of int)
        if subsets is None or subsets.declared_subset(ty) is None:
            return domain_of(ty.parent, datatypes, subsets)
        return Ints(None, lambda value: conforms(value, ty, subsets))
    if name in datatypes:
        shapes = Subsets(datatypes).shapes(ty)
        return Data(name, tuple(shape for shape in shapes if all(f.ty.name != "array" for f in shape.fields)))
    if name in ("int", "nat"):
        return Ints(0 if name == "nat" else None)
    if name == "bool":
        return Bools()
    if name == "real":
        return Reals()
    if name in ("seq", "set", "multiset", "array"):
        return Collection(name, ty.element)
    if not ty.args and name.isidentifier():  # a type parameter
        return Ints()
    return None


def collect(kind: str, items: Iterable[object]) -> object:
    """A collection of a `Collection.kind` holding the items; an array as its contents."""
    if kind == "set":
        return frozenset(items)
    return Multiset(items) if kind == "multiset" else tuple(items)


def candidates(
    ty: Type,
    datatypes: Mapping[str, ast.Datatype] | None = None,
    subsets: Subsets | None = None,
    depth: int = DATA_DEPTH,
) -> list[object]:
    """Small values of a type, in the order they are tried; an array is given by its
    contents (a tuple), made an array only when used. `datatypes` are the program's,
    `subsets` its subset types' rules (see `domain_of`); datatype values nest at most
    `depth` constructors deep, also through collections (`Node(children: seq<Rose>)`)."""
    datatypes = datatypes or {}
    domain = domain_of(ty, datatypes, subsets)
    if isinstance(domain, Data):
        values = _data_values(domain, datatypes, depth, subsets)
        moderate = next((value for value in values if value.size >= MODERATE_DATA_SIZE), None)
        return ([moderate] if moderate is not None else []) + [
            value for value in values if value is not moderate
        ]
    if isinstance(domain, Ints):
        return [value for value in INTS if domain.has(value)]
    if isinstance(domain, Bools):
        return list(BOOLS)
    if isinstance(domain, Reals):
        return list(REALS)
    if isinstance(domain, Collection) and domain.kind == "set":
        elements = candidates(domain.element, datatypes, subsets, depth)[:4]
        subsets = [frozenset(elements[:3]), frozenset(), frozenset(elements[:1])]
        for size in range(len(elements) + 1):
            subsets += [frozenset(chosen) for chosen in itertools.combinations(elements, size)]
        return list(dict.fromkeys(subsets))
    if isinstance(domain, Collection):
        return [
            collect(domain.kind, items) for items in _sequences(domain.element, datatypes, subsets, depth)
        ]
    return []


def _sequences(
    element: Type,
    datatypes: Mapping[str, ast.Datatype] | None,
    subsets: Subsets | None = None,
    depth: int = DATA_DEPTH,
) -> list[tuple[object, ...]]:
    if element.name == "int":
        preferred = list(PREFERRED_INT_SEQUENCES)
        small: list[object] = [0, 1, 2, -1]
    else:
        small = candidates(element, datatypes, subsets, depth)[:3]
        preferred = [tuple(small[index] for index in (1, 0, 2) if index < len(small))]
    found = list(preferred)
    for length in range(MAX_LENGTH + 1):
        found += list(itertools.product(small, repeat=length))
    return list(dict.fromkeys(found))


def _data_values(
    data: Data, datatypes: Mapping[str, ast.Datatype], depth: int, subsets: Subsets | None = None
) -> list[DataValue]:
    """Values of a datatype instance with constructors nested at most `depth` deep, fewest
    constructors first (at most MAX_DATA_VALUES)."""
    if depth == 0:
        return []
    found: list[DataValue] = []
    for shape in data.ctors:
        pools: list[list[object]] = []
        for field in shape.fields:
            inner = domain_of(field.ty, datatypes, subsets)
            if isinstance(inner, Data):
                pools.append(list(_data_values(inner, datatypes, depth - 1, subsets)))
            else:
                pools.append(candidates(field.ty, datatypes, subsets, depth - 1)[:DATA_FIELD_VALUES])
        if any(not pool for pool in pools):
            continue
        chosen = itertools.islice(_positions([len(pool) for pool in pools]), MAX_DATA_VALUES)
        found += [
            DataValue(
                data.name,
                shape.ctor,
                tuple(pool[position] for pool, position in zip(pools, positions, strict=True)),
            )
            for positions in chosen
        ]
    return sorted(dict.fromkeys(found), key=lambda value: value.size)[:MAX_DATA_VALUES]


def example_value(checked: CheckedProgram, ty: Type) -> object | None:
    """A small value of a type, to show how one is written."""
    datatypes = {decl.name: decl for decl in checked.program.datatypes()}
    values = candidates(ty, datatypes, subset_rules(checked))
    return values[0] if values else None


def materialize(value: object, ty: Type) -> object:
    """A candidate as a run-time value: fresh arrays for array types."""
    if ty.name == "array" and isinstance(value, tuple):
        return ArrayValue([materialize(item, ty.element) for item in value])
    if ty.name == "seq" and isinstance(value, tuple):
        return tuple(materialize(item, ty.element) for item in value)
    return value


def _positions(sizes: list[int]) -> Iterator[tuple[int, ...]]:
    """Every tuple of positions below `sizes`, by increasing sum."""
    if not sizes:
        yield ()
        return
    for total in range(sum(size - 1 for size in sizes) + 1):
        yield from _with_sum(sizes, total)


def _with_sum(sizes: list[int], total: int) -> Iterator[tuple[int, ...]]:
    if len(sizes) == 1:
        if total < sizes[0]:
            yield (total,)
        return
    reachable_by_rest = sum(size - 1 for size in sizes[1:])
    for first in range(max(0, total - reachable_by_rest), min(sizes[0] - 1, total) + 1):
        for rest in _with_sum(sizes[1:], total - first):
            yield (first, *rest)


def choose_inputs(checked: CheckedProgram, method: str) -> dict[str, object] | None:
    """The first small inputs (in the order above) that satisfy the method's precondition,
    or None if none of the first few thousand does."""
    return next(valid_inputs(checked, method), None)


def valid_inputs(
    checked: CheckedProgram, method: str, attempts: int = MAX_ATTEMPTS
) -> Iterator[dict[str, object]]:
    """Every combination of small inputs, in the order above, that satisfies the method's
    precondition, among the first `attempts` combinations; fresh arrays in each."""
    decl = find_method(checked, method)
    params = decl.params
    datatypes = {datatype.name: datatype for datatype in checked.program.datatypes()}
    rules = subset_rules(checked)
    pools = [candidates(ast.type_of(param), datatypes, rules) for param in params]
    if any(not pool for pool in pools):
        return
    combinations = itertools.islice(_positions([len(pool) for pool in pools]), attempts)
    for positions in combinations:
        if precondition_holds(checked, method, _arguments(params, pools, positions)):
            yield _arguments(params, pools, positions)


def _arguments(
    params: tuple[ast.Param, ...], pools: list[list[object]], positions: tuple[int, ...]
) -> dict[str, object]:
    return {
        param.name: materialize(pool[position], ast.type_of(param))
        for param, pool, position in zip(params, pools, positions, strict=True)
    }
