"""MiniDafny's types as the type checker and the later stages see them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Type:
    name: str
    args: tuple[Type, ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}<{', '.join(str(arg) for arg in self.args)}>"

    @property
    def base(self) -> Type:
        """The type with subset constraints dropped: `nat` is an `int`."""
        return INT if self == NAT else self

    @property
    def is_numeric(self) -> bool:
        return self.base == INT


INT = Type("int")
BOOL = Type("bool")
NAT = Type("nat")

BUILTIN_TYPES = {"int": INT, "bool": BOOL, "nat": NAT}


def assignable(target: Type, value: Type) -> bool:
    """Whether a value may be stored in a target; subset constraints become obligations."""
    return target.base == value.base
