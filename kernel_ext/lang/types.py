"""MiniDafny's types as the type checker and the later stages see them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Type:
    name: str
    args: tuple[Type, ...] = ()
    # A subset type's parent (`int` for `type Index = i: int | 0 <= i < 10`), the type whose
    # values it narrows; names are unique in a program, so it takes no part in equality.
    parent: Type | None = field(default=None, compare=False, repr=False)
    # The synonym the program wrote for it (`Grid` for `seq<seq<int>>`), for messages only.
    written: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}<{', '.join(str(arg) for arg in self.args)}>"

    @property
    def shown(self) -> str:
        """The type as the program wrote it, synonyms kept."""
        return self.written or str(self)

    @property
    def base(self) -> Type:
        """The type with subset constraints dropped: `nat` is an `int`."""
        if self == NAT:
            return INT
        if self.parent is not None:
            return self.parent.base
        if self.args:
            return Type(self.name, tuple(arg.base for arg in self.args))
        return self

    @property
    def element(self) -> Type:
        return self.args[0] if self.args else UNKNOWN

    @property
    def is_collection(self) -> bool:
        return self.name in ("seq", "set", "multiset")

    @property
    def is_numeric(self) -> bool:
        return self.base == INT


UNKNOWN = Type("?")  # the element type of `[]` or `{}` before it is known
INT = Type("int")
BOOL = Type("bool")
NAT = Type("nat", (), INT)
REAL = Type("real")

BUILTIN_TYPES = {"int": INT, "bool": BOOL, "nat": NAT, "real": REAL}
GENERIC_TYPES = {"array": 1, "seq": 1, "set": 1, "multiset": 1}


def array_of(element: Type) -> Type:
    return Type("array", (element,))


def seq_of(element: Type) -> Type:
    return Type("seq", (element,))


def compatible(left: Type, right: Type) -> bool:
    """Equal up to subset types, where `?` (an empty display's element) matches anything."""
    left, right = left.base, right.base
    if UNKNOWN in (left, right):
        return True
    return (
        left.name == right.name
        and len(left.args) == len(right.args)
        and all(compatible(a, b) for a, b in zip(left.args, right.args, strict=True))
    )


def join(left: Type, right: Type) -> Type:
    """The more precise of two compatible types (`seq<int>` rather than `seq<?>`)."""
    if left == UNKNOWN:
        return right
    if right == UNKNOWN or not left.args:
        return left
    return Type(left.name, tuple(join(a, b) for a, b in zip(left.args, right.args, strict=True)))


def assignable(target: Type, value: Type) -> bool:
    """Whether a value may be stored in a target; subset constraints become obligations.
    Arrays are invariant: an `array<nat>` is not an `array<int>`, nor the other way round."""
    if UNKNOWN in (target, value):
        return True
    if "array" in (target.name, value.name):
        return target.name == value.name and identical(target.element, value.element)
    if target.base.name != value.base.name or len(target.args) != len(value.args):
        return False
    return all(assignable(t, v) for t, v in zip(target.args, value.args, strict=True))


def lub(left: Type, right: Type) -> Type:
    """The least type both are subtypes of (`nat` and `int`: `int`; `seq<nat>` and `seq<int>`:
    `seq<int>`), where `?` (an empty display's element) is below everything. Arrays are
    invariant: their element types must be the same."""
    if left == UNKNOWN:
        return right
    if right == UNKNOWN or left == right:
        return left
    if not left.args and not right.args:
        return left.base if left.base == right.base else left
    if left.name != right.name or len(left.args) != len(right.args):
        return left
    if left.name == "array":
        return Type("array", (same_up_to_unknown(left.element, right.element),))
    return Type(left.name, tuple(lub(a, b) for a, b in zip(left.args, right.args, strict=True)))


def same_up_to_unknown(left: Type, right: Type) -> Type:
    if left == UNKNOWN:
        return right
    if right == UNKNOWN or not left.args:
        return left
    return Type(
        left.name, tuple(same_up_to_unknown(a, b) for a, b in zip(left.args, right.args, strict=True))
    )


def identical(left: Type, right: Type) -> bool:
    """Equal, `?` matching anything: what arrays' element types must be (invariance)."""
    if UNKNOWN in (left, right):
        return True
    return (
        left.name == right.name
        and len(left.args) == len(right.args)
        and all(identical(a, b) for a, b in zip(left.args, right.args, strict=True))
    )


def substitute(ty: Type, binding: dict[str, Type]) -> Type:
    """`ty` with its type parameters replaced as `binding` says."""
    if not ty.args:
        return binding.get(ty.name, ty)
    return Type(ty.name, tuple(substitute(arg, binding) for arg in ty.args))


def infer(pattern: Type, actual: Type, params: tuple[str, ...], binding: dict[str, Type]) -> bool:
    """Extend `binding` of `params` so that `pattern` instantiated is `actual`; False if no
    binding can (`List<T>` against `List<int>` binds T to int)."""
    if pattern.name in params and not pattern.args:
        bound = binding.get(pattern.name, UNKNOWN)
        if not compatible(bound, actual):
            return False
        binding[pattern.name] = lub(bound, actual)
        return True
    if actual == UNKNOWN:
        return True
    if pattern.base.name != actual.base.name or len(pattern.args) != len(actual.args):
        return False
    return all(infer(p, a, params, binding) for p, a in zip(pattern.args, actual.args, strict=True))
