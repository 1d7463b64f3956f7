"""The MiniDafny abstract syntax: frozen dataclasses, every node with a span.

Spans do not take part in equality. Fields named `ty` and `uid` are filled in by
the type checker, which returns a new tree rather than changing this one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from kernel_ext.lang.source import Span
from kernel_ext.lang.types import Type


def _span() -> Span:
    return field(compare=False)  # type: ignore[return-value]


def _typed() -> Type | None:
    return field(default=None, compare=False)  # type: ignore[return-value]


@dataclass(frozen=True, kw_only=True)
class TypeRef:
    span: Span = _span()
    name: str
    args: tuple[TypeRef, ...] = ()


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, kw_only=True)
class Expr:
    span: Span = _span()

    @property
    def token(self) -> Span:
        """Where Dafny points when this expression fails: the operator of a binary one."""
        return self.span


@dataclass(frozen=True, kw_only=True)
class IntLit(Expr):
    value: int = 0
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class BoolLit(Expr):
    value: bool = False
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Name(Expr):
    name: str = ""
    ty: Type | None = _typed()
    uid: str = field(default="", compare=False)


@dataclass(frozen=True, kw_only=True)
class Unary(Expr):
    op: str = ""
    operand: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Binary(Expr):
    op: str = ""
    left: Expr = field()
    right: Expr = field()
    op_span: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.op_span


@dataclass(frozen=True, kw_only=True)
class IfThenElse(Expr):
    cond: Expr = field()
    then: Expr = field()
    else_: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Call(Expr):
    """`F(args)`: a function call in an expression, or a method call on an assignment's right."""

    name: str = ""
    args: tuple[Expr, ...] = ()
    name_span: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.name_span


@dataclass(frozen=True, kw_only=True)
class Old(Expr):
    expr: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Fresh(Expr):
    expr: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Index(Expr):
    """`a[i]` on an array or `s[i]` on a sequence."""

    seq: Expr = field()
    index: Expr = field()
    bracket: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.bracket


@dataclass(frozen=True, kw_only=True)
class Slice(Expr):
    """`s[lo..hi]` with either bound optional; `a[..]` is an array's contents as a sequence."""

    seq: Expr = field()
    lo: Expr | None = None
    hi: Expr | None = None
    bracket: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.bracket


@dataclass(frozen=True, kw_only=True)
class SeqUpdate(Expr):
    """`s[i := v]`."""

    seq: Expr = field()
    index: Expr = field()
    value: Expr = field()
    bracket: Span = _span()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Length(Expr):
    """`a.Length`."""

    array: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Cardinality(Expr):
    """`|s|` of a sequence, set or multiset."""

    expr: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class SeqDisplay(Expr):
    elements: tuple[Expr, ...] = ()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class SetDisplay(Expr):
    elements: tuple[Expr, ...] = ()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class MultisetDisplay(Expr):
    elements: tuple[Expr, ...] = ()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class MultisetOf(Expr):
    """`multiset(s)` of a sequence."""

    expr: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class NewArray(Expr):
    """`new T[n]`, only as the whole right-hand side of an assignment."""

    element_ref: TypeRef = field()
    size: Expr = field()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class BoundVar:
    span: Span = _span()
    name: str
    type_ref: TypeRef | None = None
    uid: str = field(default="", compare=False)
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Quantifier(Expr):
    is_forall: bool = True
    bound: tuple[BoundVar, ...] = ()
    body: Expr = field()
    ty: Type | None = _typed()


def type_of(expr: Expr) -> Type:
    ty = getattr(expr, "ty", None)
    if ty is None:
        raise ValueError(f"expression at {expr.span} has not been type-checked")
    return ty


def walk_expr(expr: Expr) -> Iterator[Expr]:
    """The expression and all its sub-expressions."""
    yield expr
    for child in expr_children(expr):
        yield from walk_expr(child)


def split_conjuncts(expr: Expr) -> list[Expr]:
    """`A && B` and `A ==> B && C` are checked part by part, so a failure names its part."""
    if isinstance(expr, Binary) and expr.op == "&&":
        return split_conjuncts(expr.left) + split_conjuncts(expr.right)
    if isinstance(expr, Binary) and expr.op == "==>":
        parts = split_conjuncts(expr.right)
        if len(parts) > 1:
            return [
                Binary(span=part.span, op="==>", left=expr.left, right=part, op_span=part.token, ty=expr.ty)
                for part in parts
            ]
    return [expr]


def expr_children(expr: Expr) -> tuple[Expr, ...]:
    """The direct subexpressions of any expression node, of every level."""
    children: list[Expr] = []
    for item in dataclasses.fields(expr):
        value = getattr(expr, item.name)
        if isinstance(value, Expr):
            children.append(value)
        elif isinstance(value, tuple):
            children.extend(v for v in value if isinstance(v, Expr))
    return tuple(children)


# ---------------------------------------------------------------- statements


@dataclass(frozen=True, kw_only=True)
class Stmt:
    span: Span = _span()


@dataclass(frozen=True, kw_only=True)
class Block(Stmt):
    stmts: tuple[Stmt, ...] = ()

    @property
    def open_brace(self) -> Span:
        return Span.point(self.span.start_line, self.span.start_col)


@dataclass(frozen=True, kw_only=True)
class LocalVar:
    span: Span = _span()
    name: str = ""
    type_ref: TypeRef | None = None
    is_ghost: bool = False
    uid: str = field(default="", compare=False)
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class VarDecl(Stmt):
    """`var x, y: T := e1, e2;` or `var x := M(args);` (rhs empty when not initialised)."""

    variables: tuple[LocalVar, ...] = ()
    rhs: tuple[Expr, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Assign(Stmt):
    """`x, y := e1, e2;` or `x, y := M(args);`."""

    targets: tuple[Expr, ...] = ()
    rhs: tuple[Expr, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CallStmt(Stmt):
    call: Call = field()


@dataclass(frozen=True, kw_only=True)
class If(Stmt):
    cond: Expr = field()
    then: Block = field()
    else_: Block | If | None = None


@dataclass(frozen=True, kw_only=True)
class SpecClause:
    """One `requires`, `ensures` or `invariant` clause."""

    span: Span = _span()
    expr: Expr = field()


@dataclass(frozen=True, kw_only=True)
class Decreases:
    span: Span = _span()
    exprs: tuple[Expr, ...] = ()
    star: bool = False


@dataclass(frozen=True, kw_only=True)
class While(Stmt):
    cond: Expr = field()
    invariants: tuple[SpecClause, ...] = ()
    decreases: Decreases | None = None
    body: Block = field()


@dataclass(frozen=True, kw_only=True)
class Assert(Stmt):
    expr: Expr = field()


@dataclass(frozen=True, kw_only=True)
class Assume(Stmt):
    expr: Expr = field()


@dataclass(frozen=True, kw_only=True)
class Return(Stmt):
    values: tuple[Expr, ...] = ()


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True, kw_only=True)
class Param:
    span: Span = _span()
    name: str = ""
    type_ref: TypeRef = field()
    is_ghost: bool = False
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Decl:
    span: Span = _span()
    name: str
    name_span: Span = _span()


@dataclass(frozen=True, kw_only=True)
class Method(Decl):
    """A `method` or a `lemma` (a ghost method)."""

    is_lemma: bool = False
    is_ghost: bool = False
    params: tuple[Param, ...] = ()
    returns: tuple[Param, ...] = ()
    requires: tuple[SpecClause, ...] = ()
    ensures: tuple[SpecClause, ...] = ()
    decreases: Decreases | None = None
    modifies: tuple[Expr, ...] = ()
    body: Block | None = None

    @property
    def kind_word(self) -> str:
        return "lemma" if self.is_lemma else "method"


@dataclass(frozen=True, kw_only=True)
class Function(Decl):
    """A `function` or a `predicate` (a function returning bool)."""

    is_predicate: bool = False
    params: tuple[Param, ...] = ()
    result_ref: TypeRef | None = None
    requires: tuple[SpecClause, ...] = ()
    ensures: tuple[SpecClause, ...] = ()
    decreases: Decreases | None = None
    reads: tuple[Expr, ...] = ()
    body: Expr | None = None
    result_ty: Type | None = _typed()

    @property
    def kind_word(self) -> str:
        return "predicate" if self.is_predicate else "function"


@dataclass(frozen=True, kw_only=True)
class Program:
    span: Span = _span()
    decls: tuple[Decl, ...] = ()

    def methods(self) -> list[Method]:
        return [decl for decl in self.decls if isinstance(decl, Method)]

    def functions(self) -> list[Function]:
        return [decl for decl in self.decls if isinstance(decl, Function)]
