"""Subset types at every depth: Dafny's rules, written once for the verifier and the interpreter.

A subset type is a parent type and a constraint: `nat` is `int` and `x >= 0`, built in; a
program declares others (`type Index = i: int | 0 <= i < 10`), whose constraint is the
predicate the resolver made of it (`SubsetType.predicate`). A value of a subset type
satisfies its parent's constraint and its own.

A subset type constrains its values wherever it stands: at the top of a type, inside
`seq<nat>`, `set<nat>`, `multiset<nat>`, in a datatype's field, in a generic instance such as
`List<nat>`. A value flowing into a position of a constrained type is checked unless its static
type already guarantees the constraint; a value read from such a position is known to satisfy
it. Arrays are invariant (an `array<nat>` is never an `array<int>`), so an array reference is
never checked: the constraint on its elements is kept by checking every store into it.
`seq`, `set`, `multiset` and datatypes are covariant: a `seq<nat>` is a `seq<int>`, and a
`seq<int>` may be stored in a `seq<nat>` after a check of its elements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.types import NAT, UNKNOWN, Type

COLLECTIONS = ("seq", "set", "multiset")


def gives_value_of_a_branch(expr: ast.Expr) -> bool:
    """Whether `expr`'s value is that of one of its branches (an if-then-else, a `match`): a
    subset-type error is then reported at the branch that gave the value, at any depth, as
    current Dafny reports it (`var r: nat := if b then 10 else -10;` at the `-10`)."""
    return isinstance(expr, ast.IfThenElse | ast.Match)


@dataclass(frozen=True)
class Field:
    """One argument of a constructor, in a datatype instance: its name and its type there."""

    name: str
    ty: Type


@dataclass(frozen=True)
class Shape:
    """One constructor of a datatype instance, with its arguments' instance types."""

    ctor: str
    fields: tuple[Field, ...]


@dataclass(eq=False)
class Subsets:
    """The subset-type rules for a program's datatypes (it remembers which types are constrained)."""

    datatypes: Mapping[str, ast.Datatype]
    declared: Mapping[str, ast.SubsetType] = field(default_factory=dict)  # the program's subset types
    # Whether a value satisfies a declared subset type's own constraint (its parent's aside):
    # the interpreter evaluates the predicate; None where no evaluation is needed.
    test: Callable[[ast.SubsetType, object], bool] | None = None
    _constrained: dict[Type, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, program: ast.Program) -> Subsets:
        """The rules for a program's datatypes and subset types."""
        return cls(
            {decl.name: decl for decl in program.datatypes()},
            {decl.name: decl for decl in program.subset_types()},
        )

    def declared_subset(self, ty: Type | None) -> ast.SubsetType | None:
        """The declaration of a subset type the program declares (not `nat`), else None."""
        if ty is None or ty.parent is None or ty == NAT:
            return None
        return self.declared.get(ty.name)

    def satisfies_own(self, ty: Type, value: object) -> bool:
        """Whether a value of the parent type satisfies a declared subset type's own constraint."""
        decl = self.declared_subset(ty)
        return decl is None or self.test is None or self.test(decl, value)

    def shapes(self, instance: Type) -> tuple[Shape, ...]:
        """The constructors of a datatype instance (`List<nat>`), their fields at that instance."""
        datatype = self.datatypes[instance.name]
        return tuple(
            Shape(
                ctor.name,
                tuple(
                    Field(ast.destructor_name(ctor, index), ty)
                    for index, ty in enumerate(datatype.field_types(ctor, instance))
                ),
            )
            for ctor in datatype.ctors
        )

    def is_datatype(self, ty: Type) -> bool:
        return ty.name in self.datatypes

    def constrained(self, ty: Type | None) -> bool:
        """Whether some value of the type is excluded by a subset constraint (an array's own
        value, a reference, never is)."""
        if ty is None or ty == UNKNOWN:
            return False
        if ty.parent is not None:  # `nat` and every declared subset type
            return True
        if ty.name in COLLECTIONS:
            return self.constrained(ty.element)
        if not self.is_datatype(ty):
            return False  # int, bool, arrays, type parameters
        if ty not in self._constrained:
            self._constrained[ty] = False  # a recursive field adds nothing of its own
            self._constrained[ty] = any(
                self.constrained(item.ty) for shape in self.shapes(ty) for item in shape.fields
            )
        return self._constrained[ty]

    def element_constrained(self, array: Type | None) -> bool:
        """Whether an array's elements are constrained (`array<nat>`): every store is checked."""
        return array is not None and array.name == "array" and self.constrained(array.element)

    def guaranteed(self, source: Type | None, target: Type | None) -> bool:
        """Whether every value of static type `source` satisfies `target`'s constraint, so that
        storing it needs no check."""
        if not self.constrained(target):
            return True
        assert target is not None
        if source is None or source == UNKNOWN:
            return source == UNKNOWN
        if source.parent is not None and source != target:  # `Small` (of `nat`) is a `nat`
            return self.guaranteed(source.parent, target)
        if target.parent is not None:
            return source == target
        if source.name != target.name or len(source.args) != len(target.args):
            return False
        return all(self.guaranteed(s, t) for s, t in zip(source.args, target.args, strict=True))
