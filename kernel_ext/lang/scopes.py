"""What names mean while the resolver checks a declaration, and the errors it has found.

One `CheckState` is shared by the checkers of declarations, statements and expressions: the
program's declarations and constructors, the type parameters and variables in scope, the hints
and proof bodies the checked code stands in, and the error list. A `Context` says what an
expression or statement may call and refer to where it stands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    DUPLICATE_NAME,
    NOT_MINIDAFNY,
    TYPE_MISMATCH,
    UNKNOWN_NAME,
    Diagnostic,
    DiagnosticCode,
)
from kernel_ext.lang.modules import ctor_key
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import BUILTIN_TYPES, GENERIC_TYPES, INT, Type, assignable, compatible, substitute

# Types of Dafny that MiniDafny refuses by name.
_OUTSIDE_TYPES = frozenset({"map", "char", "string", "object", "array2", "iset", "imap"})


@dataclass(frozen=True)
class Variable:
    uid: str
    ty: Type
    role: str  # "in", "out", "local", "bound"
    is_ghost: bool = False


T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """Where an expression or statement stands: what it may call and refer to."""

    owner: ast.Decl
    allow_old: bool = False
    ghost: bool = False
    in_function: bool = False


class Abort(Exception):
    """Stops checking one declaration after an error that makes the rest meaningless."""


@dataclass(frozen=True)
class Confined:
    """A ghost body that may change only what it declares itself: a calc hint, a forall
    statement's body, an assert-by block; with Dafny's words for what it may not do."""

    depth: int  # the scopes outside the body
    update: str  # an assignment to a variable declared outside
    call: str  # a call of a compiled method
    ret: str  # a `return`


def _shown(ty: Type, other: Type) -> Type:
    """A type in a message: `nat` and `int` told apart only where arrays make them differ."""
    if ty.written:
        return ty
    return ty if "array" in (ty.name, other.name) or "array" in str(ty) + str(other) else ty.base


def _written(ref: ast.TypeRef, args: list[Type]) -> str:
    """A synonym's name with its type arguments, as messages show it (`Pair<Index>`)."""
    return ref.name + (f"<{', '.join(arg.shown for arg in args)}>" if args else "")


@dataclass
class CheckState:
    """What the checkers share while they check one program, declaration by declaration."""

    program: ast.Program
    errors: list[Diagnostic] = field(default_factory=list)
    scopes: list[dict[str, Variable]] = field(default_factory=list)
    counter: int = 0
    confined: list[Confined] = field(default_factory=list)  # the hints and proof bodies we are in

    def __post_init__(self) -> None:
        self.decls: dict[str, ast.Decl] = {}
        self.ctors: dict[str, tuple[ast.Datatype, ast.Constructor]] = {}
        # a constructor name that several datatypes declare: each of them, in source order
        self.shared_ctors: dict[str, list[ast.Datatype]] = {}
        self.type_params: tuple[str, ...] = ()
        self.expanding: list[str] = []  # the type declarations whose right-hand sides are being read
        for decl in self.program.decls:
            self.declare_top_level(decl)

    def declare_top_level(self, decl: ast.Decl) -> None:
        """A declaration's name and its constructors' names, each declared once in the program."""
        if decl.name in self.decls:
            self.error(DUPLICATE_NAME, decl.name_span, f"duplicate declaration of '{decl.name}'")
        else:
            self.decls[decl.name] = decl
        own: set[str] = set()
        for ctor in decl.ctors if isinstance(decl, ast.Datatype) else ():
            key = ctor_key(decl.name, ctor.name)  # `M.Nil` for a datatype of module M
            # a constructor may be named like its own datatype (`datatype D = D(x: int)`)
            other_decl = key in self.decls and key != decl.name
            earlier = self.ctors.get(key)
            twice = ctor.name in own
            own.add(ctor.name)
            if other_decl or twice:
                self.error(DUPLICATE_NAME, ctor.span, f"duplicate declaration of '{ctor.name}'")
            elif earlier is not None:  # Dafny allows it; the name is then used qualified
                self.shared_ctors.setdefault(key, [earlier[0]]).append(decl)
            else:
                self.ctors[key] = (decl, ctor)

    # ------------------------------------------------------------ errors

    def error(self, code: DiagnosticCode, span: Span, message: str, hint: str = "") -> None:
        self.errors.append(Diagnostic(code, span, message, hint))

    def fail(self, code: DiagnosticCode, span: Span, message: str, hint: str = "") -> Abort:
        self.error(code, span, message, hint)
        return Abort()

    def attempt(self, check: Callable[[], T], unchecked: T) -> T:
        """`check()`, or `unchecked` after an error in it (recorded already): the other clauses
        and parts of a declaration are checked too, so that one error does not hide the next.
        A program with an error never gets past the resolver, so nothing reads `unchecked`."""
        try:
            return check()
        except Abort:
            return unchecked

    def expect(self, expr: ast.Expr, expected: Type, what: str) -> None:
        actual = ast.type_of(expr)
        if not assignable(expected, actual):
            raise self.fail(
                TYPE_MISMATCH,
                expr.span,
                f"{what} must be of type {_shown(expected, actual).shown}, "
                f"but this is of type {_shown(actual, expected).shown}",
            )

    def expect_compatible(self, one: Type, other: Type, span: Span, message: str) -> None:
        """Two types that must have a common supertype (the elements of a display, the branches
        of a conditional, the operands of `==`)."""
        if not compatible(one, other):
            raise self.fail(TYPE_MISMATCH, span, message)

    def expect_kind(self, expr: ast.Expr, names: tuple[str, ...], what: str) -> Type:
        actual = ast.type_of(expr)
        if actual.name not in names:
            wanted = " or ".join(names)
            raise self.fail(
                TYPE_MISMATCH, expr.span, f"{what} must be a {wanted}, but this is of type {actual}"
            )
        return actual

    # ------------------------------------------------------------ types written in the program

    def type_of_ref(self, ref: ast.TypeRef) -> Type:
        if ref.name in BUILTIN_TYPES and not ref.args:
            return BUILTIN_TYPES[ref.name]
        if ref.name in GENERIC_TYPES:
            if len(ref.args) != GENERIC_TYPES[ref.name]:
                raise self.fail(
                    TYPE_MISMATCH, ref.span, f"`{ref.name}` takes one type argument, e.g. `{ref.name}<int>`"
                )
            return Type(ref.name, tuple(self.type_of_ref(arg) for arg in ref.args))
        if ref.name in self.type_params and not ref.args:
            return Type(ref.name)
        datatype = self.decls.get(ref.name)
        if isinstance(datatype, ast.Datatype):
            return self.datatype_type(ref, datatype)
        if isinstance(datatype, ast.TypeSynonym | ast.SubsetType):
            return self.declared_type(ref, datatype)
        if ref.name in _OUTSIDE_TYPES:
            raise self.fail(NOT_MINIDAFNY, ref.span, f"the type `{ref.name}` is not part of MiniDafny")
        raise self.fail(UNKNOWN_NAME, ref.span, f"unknown type '{ref.name}'")

    def datatype_type(self, ref: ast.TypeRef, datatype: ast.Datatype) -> Type:
        if len(ref.args) != len(datatype.type_params):
            raise self.fail(
                TYPE_MISMATCH,
                ref.span,
                f"datatype '{ref.name}' takes {len(datatype.type_params)} type argument(s), "
                f"but {len(ref.args)} are given",
            )
        return Type(ref.name, tuple(self.type_of_ref(arg) for arg in ref.args))

    def declared_type(self, ref: ast.TypeRef, decl: ast.TypeSynonym | ast.SubsetType) -> Type:
        """A type named by a `type` declaration: a synonym stands for its right-hand side
        (its type parameters replaced), a subset type is itself, with its parent attached."""
        params = decl.type_params if isinstance(decl, ast.TypeSynonym) else ()
        if len(ref.args) != len(params):
            raise self.fail(
                TYPE_MISMATCH,
                ref.span,
                f"type '{ref.name}' takes {len(params)} type argument(s), but {len(ref.args)} are given",
            )
        if decl.name in self.expanding:
            raise self.cycle(self.expanding[self.expanding.index(decl.name) :])
        args = [self.type_of_ref(arg) for arg in ref.args]
        self.expanding.append(decl.name)
        outer, self.type_params = self.type_params, params
        try:
            if isinstance(decl, ast.TypeSynonym):
                expanded = substitute(self.type_of_ref(decl.rhs), dict(zip(params, args, strict=True)))
                return dataclasses.replace(expanded, written=_written(ref, args))
            assert decl.var.type_ref is not None
            return Type(decl.name, (), self.subset_parent(decl.var.type_ref))
        finally:
            self.type_params = outer
            self.expanding.pop()

    def cycle(self, names: list[str]) -> Abort:
        """Dafny's error for type declarations that stand for each other, at the first of them."""
        first = min(range(len(names)), key=lambda index: self.decls[names[index]].name_span)
        ordered = names[first:] + names[:first]
        path = " -> ".join([*ordered, ordered[0]])
        return self.fail(
            TYPE_MISMATCH,
            self.decls[ordered[0]].name_span,
            f"Cycle among redirecting types (newtypes, subset types, type synonyms): {path}",
        )

    def subset_parent(self, ref: ast.TypeRef) -> Type:
        parent = self.type_of_ref(ref)
        if parent.base != INT:
            raise self.fail(
                NOT_MINIDAFNY,
                ref.span,
                f"subset types of `{parent}` are not part of MiniDafny (only of `int` and its subset types)",
            )
        return parent

    def types_in(self, decl: ast.Method | ast.Function | ast.Datatype, refs: list[ast.TypeRef]) -> list[Type]:
        """Types written in a declaration's signature, in terms of its own type parameters."""
        outer, self.type_params = self.type_params, decl.type_params
        try:
            return [self.type_of_ref(ref) for ref in refs]
        finally:
            self.type_params = outer

    def field_types(self, datatype: ast.Datatype, ctor: ast.Constructor) -> list[Type]:
        """The constructor's field types, in terms of the datatype's own type parameters."""
        return self.types_in(datatype, [item.type_ref for item in ctor.fields])

    # ------------------------------------------------------------ variables

    @contextmanager
    def scope(self) -> Iterator[None]:
        """A scope of its own for what the body declares (bound variables, a case's pattern)."""
        self.scopes.append({})
        try:
            yield
        finally:
            self.scopes.pop()

    def declare(self, name: str, span: Span, ty: Type, role: str, is_ghost: bool = False) -> str:
        scope = self.scopes[-1]
        if name in scope:
            raise self.fail(DUPLICATE_NAME, span, f"duplicate local-variable name '{name}'")
        uid = name if role in ("in", "out") else f"{name}#{self.next_id()}"
        scope[name] = Variable(uid, ty, role, is_ghost)
        return uid

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def lookup(self, name: str) -> Variable | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def scope_index(self, name: str) -> int:
        """How deep the scope that declares `name` is (-1: none does)."""
        for index in range(len(self.scopes) - 1, -1, -1):
            if name in self.scopes[index]:
                return index
        return -1
