"""The MiniDafny abstract syntax: frozen dataclasses, every node with a span.

Spans do not take part in equality. Fields named `ty` and `uid` are filled in by
the type checker, which returns a new tree rather than changing this one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction

from kernel_ext.lang.diagnostics import Diagnostic
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import BOOL, Type, substitute


def _span() -> Span:
    return field(compare=False)  # type: ignore[return-value]


class Role(Enum):
    """What an identified node is: a specification clause, a checked statement, a loop, a
    procedure or a call."""

    REQUIRES = "requires"
    ENSURES = "ensures"
    INVARIANT = "invariant"
    DECREASES = "decreases"
    ASSERT = "assert"
    CALC_STEP = "calc-step"
    FORALL_ENSURES = "forall-ensures"
    LOOP = "loop"
    PROCEDURE = "procedure"
    CALL = "call"


@dataclass(frozen=True)
class NodeId:
    """A node's identity: the `index`-th node of its role in the declaration `owner`, in
    source order. The same program text gives the same ids (the resolver assigns them)."""

    owner: str
    role: Role
    index: int

    def __str__(self) -> str:
        return f"{self.owner}/{self.role.value}#{self.index}"


def _id() -> NodeId | None:
    return field(default=None, compare=False)  # type: ignore[return-value]


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
class RealLit(Expr):
    """`1.5`: a real number, exactly."""

    value: Fraction = Fraction(0)
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Conversion(Expr):
    """`e as int`, `e as real` (`target` is the type written), or `r.Floor` (`floor`, with
    `target` "int"): the value of a numeric expression in the other numeric type."""

    expr: Expr = field()
    target: str = ""
    floor: bool = False
    keyword_span: Span = _span()  # `as` (where Dafny reports a check), or `Floor`
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.keyword_span


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
    type_args: tuple[Type, ...] = field(default=(), compare=False)  # of a generic callee, inferred
    type_params: tuple[str, ...] = field(default=(), compare=False)  # the generic callee's, and
    signature: tuple[Type, ...] = field(default=(), compare=False)  # its parameter and result types
    ty: Type | None = _typed()
    nid: NodeId | None = _id()
    qualifier: TypeRef | None = None  # `List.Cons(...)`: the datatype a constructor is taken from
    constant: bool = False  # `N` of `const N := 10`: written without parentheses

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


@dataclass(frozen=True, kw_only=True)
class Member(Expr):
    """`e.name` before resolution: a datatype's destructor (the parser keeps `.Length` apart)."""

    obj: Expr = field()
    name: str = ""
    name_span: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.name_span


@dataclass(frozen=True, kw_only=True)
class Construct(Expr):
    """`Cons(1, Nil)` or `Nil`: a datatype value built by one of its constructors."""

    datatype: str = ""
    ctor: str = ""
    args: tuple[Expr, ...] = ()
    index: int = field(default=0, compare=False)  # the constructor's position in its datatype
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Destruct(Expr):
    """`xs.head`: a constructor's field; `ctors` are the constructors that have it."""

    obj: Expr = field()
    name: str = ""
    ctors: tuple[str, ...] = ()
    indices: tuple[int, ...] = field(default=(), compare=False)  # those constructors' positions
    name_span: Span = _span()
    ty: Type | None = _typed()

    @property
    def token(self) -> Span:
        return self.name_span


@dataclass(frozen=True, kw_only=True)
class IsCtor(Expr):
    """`xs.Nil?`: whether a datatype value was built by the constructor."""

    obj: Expr = field()
    ctor: str = ""
    index: int = field(default=0, compare=False)
    name_span: Span = _span()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Pattern:
    """A `case` pattern: a constructor with sub-patterns, a variable, `_`, or a literal
    (`0`, `-1`, `true`: `literal` is its value). Before resolution a bare name is a variable
    or a nullary constructor (`ctor` is set by the resolver when it is a constructor)."""

    span: Span = _span()
    name: str = ""
    args: tuple[Pattern, ...] | None = None
    ctor: str = ""
    index: int = field(default=0, compare=False)
    fields: tuple[str, ...] = field(default=(), compare=False)  # the destructor of each argument
    uid: str = field(default="", compare=False)
    ty: Type | None = _typed()
    literal: int | bool | None = None

    @property
    def is_wildcard(self) -> bool:
        return self.name == "_" and not self.ctor

    @property
    def is_variable(self) -> bool:
        return not self.ctor and self.name != "_" and self.literal is None

    @property
    def is_irrefutable(self) -> bool:
        """A variable or `_`: matches every value."""
        return not self.ctor and self.literal is None


@dataclass(frozen=True, kw_only=True)
class MatchCase:
    span: Span = _span()
    pattern: Pattern = field()
    body: Expr = field()


@dataclass(frozen=True, kw_only=True)
class Match(Expr):
    """`match e case P1 => e1 case P2 => e2`."""

    subject: Expr = field()
    cases: tuple[MatchCase, ...] = ()
    ty: Type | None = _typed()


@dataclass(frozen=True, kw_only=True)
class Let(Expr):
    """`var x, y := e1, e2; body` (Dafny's let-expression): the body with each variable bound
    to its value, the values evaluated before any variable is bound."""

    variables: tuple[BoundVar, ...] = ()
    values: tuple[Expr, ...] = ()
    body: Expr = field()
    ty: Type | None = _typed()


def pattern_variables(pattern: Pattern) -> list[Pattern]:
    """The variables a pattern binds, left to right."""
    if pattern.is_variable:
        return [pattern]
    return [var for arg in pattern.args or () for var in pattern_variables(arg)]


def type_of(node: Expr | Param | BoundVar | LocalVar | Pattern | Field) -> Type:
    """The type the resolver gave an expression, parameter, variable, pattern or field.

    Parsed and resolved trees share their classes, so `ty` is optional on them; every
    stage after the resolver reads types through this function, which fails loudly on a
    node the resolver did not type instead of letting a default stand in for its type.
    """
    ty = getattr(node, "ty", None)
    if ty is None:
        what = getattr(node, "name", "") or type(node).__name__
        raise ValueError(f"{what} at {node.span} has not been type-checked")
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
            children.extend(v.body for v in value if isinstance(v, MatchCase))
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
class SuchThat(Stmt):
    """`var x, y :| P;` (the variables declared) or `x, y :| P;` (variables assigned): values
    that satisfy P, which must exist."""

    variables: tuple[LocalVar, ...] = ()
    targets: tuple[Expr, ...] = ()
    condition: Expr = field()
    op_span: Span = _span()  # the `:|`, where Dafny reports that no values may exist


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
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class Decreases:
    span: Span = _span()
    exprs: tuple[Expr, ...] = ()
    star: bool = False
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class While(Stmt):
    cond: Expr = field()
    invariants: tuple[SpecClause, ...] = ()
    decreases: Decreases | None = None
    body: Block = field()
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class ForLoop(While):
    """`for i := lo to hi { ... }` (i runs lo, ..., hi - 1) or `for i := hi downto lo { ... }`
    (i runs hi - 1, ..., lo), as current Dafny defines them (Dafny 2.3 has no `for`): the
    bounds are evaluated once into `bounds` (Dafny's `_lo`, `_hi`) and `lo <= hi` is checked;
    the loop is the `while` loop `while i != _hi` (`while i != _lo`) with the free invariant
    `_lo <= i <= _hi`, the index advanced after the body (`to`) or before it (`downto`), and
    the measure `_hi - i` (`i - _lo`). The resolver sets `cond` and `bounds`; the index is
    read-only in the body and in scope in the invariants and the body only."""

    index: LocalVar = field()
    start: Expr = field()
    end: Expr = field()
    downto: bool = False
    header: Span = _span()
    bounds: tuple[LocalVar, ...] = ()

    @property
    def lo(self) -> Expr:
        return self.end if self.downto else self.start

    @property
    def hi(self) -> Expr:
        return self.start if self.downto else self.end


def for_condition(index: LocalVar, bounds: tuple[LocalVar, ...], downto: bool, at: Span) -> Expr:
    """A for loop's `while` condition: `i != _hi` (`to`) or `i != _lo` (`downto`)."""
    limit = bounds[0] if downto else bounds[1]
    name = Name(span=at, name=index.name, uid=index.uid, ty=index.ty)
    other = Name(span=at, name=limit.name, uid=limit.uid, ty=limit.ty)
    return Binary(span=at, op="!=", left=name, right=other, op_span=at, ty=BOOL)


@dataclass(frozen=True, kw_only=True)
class PrintText:
    """A string literal in a `print` statement (MiniDafny has no string type)."""

    span: Span = _span()
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class PrintStmt(Stmt):
    """`print e, "text", f;`: compiled code only; the verifier ignores it."""

    args: tuple[Expr | PrintText, ...] = ()

    @property
    def exprs(self) -> tuple[Expr, ...]:
        return tuple(arg for arg in self.args if isinstance(arg, Expr))


@dataclass(frozen=True, kw_only=True)
class MatchStmtCase:
    span: Span = _span()
    pattern: Pattern = field()
    body: Block = field()


@dataclass(frozen=True, kw_only=True)
class MatchStmt(Stmt):
    """`match e { case P => stmts ... }` (the braces are optional)."""

    subject: Expr = field()
    cases: tuple[MatchStmtCase, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Assert(Stmt):
    expr: Expr = field()
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class Assume(Stmt):
    expr: Expr = field()


@dataclass(frozen=True, kw_only=True)
class Return(Stmt):
    values: tuple[Expr, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CalcStep:
    """One step of a calc: its operator and hints. `steps[i]` relates `lines[i]` to
    `lines[i + 1]`; `op` is "" where none is written (the resolver fills in the calc's own)."""

    span: Span = _span()
    op: str = ""
    op_span: Span = _span()  # the operator, or the line after it where none is written
    hints: tuple[Block, ...] = ()
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class Calc(Stmt):
    """`calc op { line0; op1 { hints } line1; ... }` (a ghost statement)."""

    op: str = ""  # the leading operator, the default of the steps ("" for `==`)
    lines: tuple[Expr, ...] = ()
    steps: tuple[CalcStep, ...] = ()
    result_op: str = field(default="", compare=False)  # what the calc proves of its first and last line


CALC_NEUTRAL = ("==", "<==>")


def calc_combine(first: str, then: str) -> str | None:
    """The relation that `a first b` and `b then c` give between a and c, as Dafny's calc
    chains its steps, or None when they do not chain (`<` then `>`): `==` goes with
    anything, `<=` then `<` gives `<`, `==>` goes only with `==>`."""
    if first in CALC_NEUTRAL:
        return first if then in CALC_NEUTRAL else then
    if then in CALC_NEUTRAL:
        return first
    for family in (("<", "<="), (">", ">=")):
        if first in family and then in family:
            return family[0] if family[0] in (first, then) else family[1]
    if first == then and first in ("==>", "<=="):
        return first
    return None


@dataclass(frozen=True, kw_only=True)
class ForallStmt(Stmt):
    """`forall x, y | range ensures Q { body }`: the body proves Q of every x and y in the
    range (a ghost statement). Without `ensures`, a body that is one lemma call concludes the
    lemma's postcondition."""

    bound: tuple[BoundVar, ...] = ()
    range: Expr | None = None
    ensures: tuple[SpecClause, ...] = ()
    body: Block = field()

    @property
    def only_statement(self) -> Stmt | None:
        """The body's one statement (looking through nested braces), if it has one."""
        stmts = self.body.stmts
        while len(stmts) == 1 and isinstance(stmts[0], Block):
            stmts = stmts[0].stmts
        return stmts[0] if len(stmts) == 1 else None

    @property
    def array_update(self) -> Assign | None:
        """`forall i | R { a[e] := v; }`: the body's one assignment to an array element, if
        that is what the body is (Dafny's aggregate array update)."""
        only = self.only_statement
        if self.ensures or not isinstance(only, Assign) or len(only.targets) != 1:
            return None
        return only if isinstance(only.targets[0], Index) else None

    @property
    def lemma_call(self) -> Call | None:
        """Without `ensures`, a body that is one call concludes the callee's postcondition
        for every bound value in the range, as in Dafny."""
        only = self.only_statement
        return only.call if not self.ensures and isinstance(only, CallStmt) else None


@dataclass(frozen=True, kw_only=True)
class AssertBy(Stmt):
    """`assert E by { body }`: the body's facts prove E and stay in the body."""

    expr: Expr = field()
    body: Block = field()
    nid: NodeId | None = _id()


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
    nid: NodeId | None = _id()


@dataclass(frozen=True, kw_only=True)
class Method(Decl):
    """A `method` or a `lemma` (a ghost method)."""

    is_lemma: bool = False
    is_ghost: bool = False
    type_params: tuple[str, ...] = ()
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
    type_params: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    result_ref: TypeRef | None = None
    requires: tuple[SpecClause, ...] = ()
    ensures: tuple[SpecClause, ...] = ()
    decreases: Decreases | None = None
    reads: tuple[Expr, ...] = ()
    body: Expr | None = None
    result_ty: Type | None = _typed()
    # `const N: int := 10`: no parameters, named without parentheses; without `:= value`, an
    # arbitrary value of its type (no body)
    constant: bool = False

    @property
    def kind_word(self) -> str:
        if self.constant:
            return "constant"
        return "predicate" if self.is_predicate else "function"


@dataclass(frozen=True, kw_only=True)
class Field:
    span: Span = _span()
    name: str = ""  # "" for an unnamed constructor argument
    type_ref: TypeRef = field()
    ty: Type | None = _typed()


def destructor_name(ctor: Constructor, position: int) -> str:
    """The destructor of a constructor's argument: its field name, or one made up if it has none."""
    name = ctor.fields[position].name
    return name if name else f"{ctor.name}#{position}"


@dataclass(frozen=True, kw_only=True)
class Constructor:
    span: Span = _span()
    name: str = ""
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Datatype(Decl):
    """`datatype List<T> = Nil | Cons(head: T, tail: List<T>)`."""

    type_params: tuple[str, ...] = ()
    ctors: tuple[Constructor, ...] = ()

    @property
    def kind_word(self) -> str:
        return "datatype"

    def ctor(self, name: str) -> Constructor | None:
        return next((ctor for ctor in self.ctors if ctor.name == name), None)

    def index(self, name: str) -> int:
        return next(i for i, ctor in enumerate(self.ctors) if ctor.name == name)

    def field_types(self, ctor: Constructor, instance: Type) -> list[Type]:
        """The types of a constructor's arguments in an instance of the (resolved) datatype:
        `head: T` is an `int` in `List<int>`."""
        binding = dict(zip(self.type_params, instance.args, strict=False))
        return [substitute(type_of(item), binding) for item in ctor.fields]


@dataclass(frozen=True, kw_only=True)
class TypeSynonym(Decl):
    """`type Grid = seq<seq<int>>`: another name for a type, which it stands for everywhere."""

    type_params: tuple[str, ...] = ()
    rhs: TypeRef = field()

    @property
    def kind_word(self) -> str:
        return "type"


@dataclass(frozen=True, kw_only=True)
class SubsetType(Decl):
    """`type Index = i: int | 0 <= i < 10 witness 0`: the values of a parent type that satisfy
    a constraint. The resolver gives it `ty` (the type, its parent attached) and `predicate`,
    the constraint as a predicate of the bound variable, which the verifier checks for
    well-formedness and both the verifier and the interpreter apply to values of the type."""

    var: BoundVar = field()
    constraint: Expr = field()
    witness: Expr | None = None  # None: Dafny tries the parent's default value (0, false)
    ghost_witness: bool = False
    ty: Type | None = _typed()
    predicate: Function | None = None

    @property
    def kind_word(self) -> str:
        return "type"


@dataclass(frozen=True, kw_only=True)
class Program:
    span: Span = _span()
    decls: tuple[Decl, ...] = ()
    # what the parser warns of (Dafny's style warnings): shown, never a reason to fail
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    def methods(self) -> list[Method]:
        return [decl for decl in self.decls if isinstance(decl, Method)]

    def functions(self) -> list[Function]:
        return [decl for decl in self.decls if isinstance(decl, Function)]

    def datatypes(self) -> list[Datatype]:
        return [decl for decl in self.decls if isinstance(decl, Datatype)]

    def subset_types(self) -> list[SubsetType]:
        return [decl for decl in self.decls if isinstance(decl, SubsetType)]


# ---------------------------------------------------------------- traversal


def stmt_children(stmt: Stmt) -> tuple[Stmt, ...]:
    """The statements directly inside a statement (the blocks of an `if`, the hints of a
    `calc`, the proof of a `forall` or `assert ... by`); fails on a kind it does not know."""
    match stmt:
        case Block():
            return stmt.stmts
        case If():
            return (stmt.then,) if stmt.else_ is None else (stmt.then, stmt.else_)
        case While() | ForallStmt() | AssertBy():
            return (stmt.body,)
        case PrintStmt():
            return ()
        case Calc():
            return tuple(hint for step in stmt.steps for hint in step.hints)
        case MatchStmt():
            return tuple(case.body for case in stmt.cases)
        case VarDecl() | Assign() | CallStmt() | Assert() | Assume() | Return() | SuchThat():
            return ()
        case _:
            raise TypeError(f"no traversal for the statement kind {type(stmt).__name__}")


def stmt_exprs(stmt: Stmt) -> tuple[Expr, ...]:
    """The expressions a statement holds itself (not those of the statements inside it),
    assignment targets left out; fails on a kind it does not know."""
    match stmt:
        case VarDecl() | Assign():
            return stmt.rhs
        case CallStmt():
            return (stmt.call,)
        case If():
            return (stmt.cond,)
        case ForLoop():
            return (stmt.start, stmt.end, *(inv.expr for inv in stmt.invariants))
        case PrintStmt():
            return stmt.exprs
        case While():
            decreases = stmt.decreases.exprs if stmt.decreases else ()
            return (stmt.cond, *(inv.expr for inv in stmt.invariants), *decreases)
        case Assert() | Assume() | AssertBy():
            return (stmt.expr,)
        case Return():
            return stmt.values
        case Calc():
            return stmt.lines
        case ForallStmt():
            range_ = (stmt.range,) if stmt.range is not None else ()
            return (*range_, *(clause.expr for clause in stmt.ensures))
        case MatchStmt():
            return (stmt.subject,)
        case SuchThat():
            return (stmt.condition,)
        case Block():
            return ()
        case _:
            raise TypeError(f"no traversal for the statement kind {type(stmt).__name__}")


def walk_stmts(stmt: Stmt) -> Iterator[Stmt]:
    """The statement and every statement inside it, in source order."""
    yield stmt
    for child in stmt_children(stmt):
        yield from walk_stmts(child)
