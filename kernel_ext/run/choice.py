"""Values for `x :| P`: the interpreter tries small values of the variables' types in a
fixed order (ints by size, 0, 1, -1, 2, ...; other types as `inputs.py` lists them), several
variables by increasing sum of their positions, and takes the first that satisfies P. A
value that no small candidate gives cannot be evaluated: the run stops saying so, without
claiming that the program is wrong."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.types import Type

INT_BOUND = 1_000  # ints from -INT_BOUND to INT_BOUND
MAX_CHOICES = 20_000  # combinations tried


def small_ints(low: int | None) -> list[int]:
    """0, 1, -1, 2, -2, ... (from `low` up, for a nat)."""
    found = [0]
    for size in range(1, INT_BOUND + 1):
        found += [size] if low is not None else [size, -size]
    return [value for value in found if low is None or value >= low]


def choice_candidates(ty: Type, datatypes: Mapping[str, ast.Datatype]) -> list[object] | None:
    """The values of a type tried for `:|`, in order; None for a type whose values the
    interpreter does not make (arrays: references the program has not allocated)."""
    from kernel_ext.run.inputs import Ints, candidates, domain_of  # inputs runs methods: a late import

    domain = domain_of(ty, datatypes)
    if domain is None or ty.name == "array":
        return None
    if isinstance(domain, Ints):
        return list(small_ints(domain.low))
    return candidates(ty, datatypes)


def combinations(pools: list[list[object]]) -> Iterator[tuple[object, ...]]:
    """Every choice of one value per pool, by increasing sum of positions, at most MAX_CHOICES."""
    from kernel_ext.run.inputs import _positions

    chosen = itertools.islice(_positions([len(pool) for pool in pools]), MAX_CHOICES)
    for positions in chosen:
        yield tuple(pool[position] for pool, position in zip(pools, positions, strict=True))
