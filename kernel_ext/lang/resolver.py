"""Names and types: Program -> CheckedProgram, with Dafny's rules for level 1.

The result is a new tree in which every expression has its type (`ty`) and every
variable occurrence its unique id (`uid`), so that shadowing is resolved once here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TypeVar

from kernel_ext.lang import callgraph
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    ARITY,
    BAD_CALL,
    BAD_OLD,
    BAD_STATEMENT,
    DUPLICATE_NAME,
    GHOST,
    NOT_ASSIGNABLE,
    NOT_MINIDAFNY,
    TYPE_MISMATCH,
    UNKNOWN_NAME,
    Diagnostic,
    DiagnosticCode,
    DiagnosticError,
)
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import (
    BOOL,
    BUILTIN_TYPES,
    GENERIC_TYPES,
    INT,
    UNKNOWN,
    Type,
    array_of,
    assignable,
    compatible,
    infer,
    join,
    lub,
    seq_of,
    substitute,
)


def _refs_grounded(ref: ast.TypeRef, datatypes: dict[str, ast.Datatype], grounded: set[str]) -> bool:
    """Whether a value of the written type can be built without the datatypes not yet grounded
    (collections can be empty, so their element types do not matter)."""
    if ref.name in datatypes:
        return ref.name in grounded
    return True


def _target_words(target: ast.Expr) -> str:
    return f"'{target.name}'" if isinstance(target, ast.Name) else "an array element"


def _shown(ty: Type, other: Type) -> Type:
    """A type in a message: `nat` and `int` told apart only where arrays make them differ."""
    return ty if "array" in (ty.name, other.name) or "array" in str(ty) + str(other) else ty.base


def _is_open(ty: Type) -> bool:
    return ty == UNKNOWN or any(_is_open(arg) for arg in ty.args)


def settle(expr: ast.Expr, expected: Type) -> ast.Expr:
    """Give an empty display (`[]`, `{}`), and what is built from it, the type its context
    expects, so that `var s: seq<bool> := [];` is a sequence of booleans."""
    current = getattr(expr, "ty", None)  # none for a method call's results
    if current is None or not _is_open(current) or not compatible(current, expected):
        return expr
    ty = join(current, expected)  # only the empty parts take the expected type
    if isinstance(expr, ast.SeqDisplay | ast.SetDisplay | ast.MultisetDisplay):
        elements = tuple(settle(element, ty.element) for element in expr.elements)
        return dataclasses.replace(expr, elements=elements, ty=ty)
    if isinstance(expr, ast.Binary) and current.is_collection:
        return dataclasses.replace(expr, left=settle(expr.left, ty), right=settle(expr.right, ty), ty=ty)
    if isinstance(expr, ast.IfThenElse):
        return dataclasses.replace(expr, then=settle(expr.then, ty), else_=settle(expr.else_, ty), ty=ty)
    if isinstance(expr, ast.Match):
        cases = tuple(dataclasses.replace(case, body=settle(case.body, ty)) for case in expr.cases)
        return dataclasses.replace(expr, cases=cases, ty=ty)
    if isinstance(expr, ast.Construct):
        return dataclasses.replace(expr, ty=ty)
    if isinstance(expr, ast.Call) and expr.type_params:
        return _settle_generic_call(expr, ty)
    return expr


def _settle_generic_call(call: ast.Call, ty: Type) -> ast.Call:
    """`Id(Nil)` where a `List<bool>` is expected: the type argument comes from the context."""
    *param_types, result = call.signature
    binding = dict(zip(call.type_params, call.type_args, strict=True))
    if not infer(result, ty, call.type_params, binding):
        return call
    args = tuple(
        settle(arg, substitute(param_ty, binding))
        for arg, param_ty in zip(call.args, param_types, strict=True)
    )
    type_args = tuple(binding[param] for param in call.type_params)
    return dataclasses.replace(call, args=args, type_args=type_args, ty=substitute(result, binding))


@dataclass(frozen=True)
class CheckedProgram:
    """A program that parsed and type-checked: the input of the verifier."""

    program: ast.Program

    def decl(self, name: str) -> ast.Decl | None:
        return next((decl for decl in self.program.decls if decl.name == name), None)

    @cached_property
    def components(self) -> dict[str, frozenset[str]]:
        """Each declaration's strongly connected component of the call graph (computed once:
        every run of the interpreter needs it)."""
        return callgraph.components(self.program)

    @cached_property
    def recursive_decls(self) -> frozenset[str]:
        """The declarations that may call themselves, directly or through others."""
        return frozenset(
            decl.name
            for decl in self.program.decls
            if len(self.components.get(decl.name, ())) > 1 or decl.name in callgraph.callees(decl)
        )


@dataclass(frozen=True)
class Variable:
    uid: str
    ty: Type
    role: str  # "in", "out", "local", "bound"
    is_ghost: bool = False


@dataclass(frozen=True)
class Context:
    """Where an expression or statement stands: what it may call and refer to."""

    owner: ast.Decl
    allow_old: bool = False
    ghost: bool = False
    in_function: bool = False


ARITHMETIC = {"+", "-", "*", "/", "%"}
ORDERING = {"<", "<=", ">", ">="}
EQUALITY = {"==", "!="}
LOGICAL = {"&&", "||", "==>", "<==", "<==>"}


def resolve(program: ast.Program) -> CheckedProgram:
    """Resolve names and check types; raises DiagnosticError listing every problem found."""
    checker = _Checker(program)
    decls = []
    for decl in program.decls:
        decls.append(checker.declaration(decl))
    if checker.errors:
        unique = list(dict.fromkeys(checker.errors))  # a bad signature is met again at each call
        raise DiagnosticError(sorted(unique, key=lambda d: (d.span.start_line, d.span.start_col)))
    return CheckedProgram(number(dataclasses.replace(program, decls=tuple(decls))))


# The role of each node that has an identity, by its class or by the field that holds it.
_ROLE_OF_CLASS: dict[type, ast.Role] = {
    ast.Method: ast.Role.PROCEDURE,
    ast.Function: ast.Role.PROCEDURE,
    ast.While: ast.Role.LOOP,
    ast.Call: ast.Role.CALL,
    ast.Assert: ast.Role.ASSERT,
    ast.AssertBy: ast.Role.ASSERT,
    ast.CalcStep: ast.Role.CALC_STEP,
    ast.Decreases: ast.Role.DECREASES,
}
_ROLE_OF_FIELD: dict[tuple[type, str], ast.Role] = {
    (ast.Method, "requires"): ast.Role.REQUIRES,
    (ast.Method, "ensures"): ast.Role.ENSURES,
    (ast.Function, "requires"): ast.Role.REQUIRES,
    (ast.Function, "ensures"): ast.Role.ENSURES,
    (ast.While, "invariants"): ast.Role.INVARIANT,
    (ast.ForallStmt, "ensures"): ast.Role.FORALL_ENSURES,
}


def number(program: ast.Program) -> ast.Program:
    """The program with an id on every clause, checked statement, loop, procedure and call:
    the n-th node of a role in a declaration, in source order. Ids depend only on the
    declaration's own text, so a parsed program numbered alone gets the ids its checked
    version has."""
    return dataclasses.replace(
        program, decls=tuple(_Numbering(decl.name).node(decl) for decl in program.decls)
    )


@dataclass
class _Numbering:
    owner: str
    counts: dict[ast.Role, int] = field(default_factory=dict)

    def fresh(self, role: ast.Role) -> ast.NodeId:
        index = self.counts.get(role, 0)
        self.counts[role] = index + 1
        return ast.NodeId(self.owner, role, index)

    def node(self, value: object, role: ast.Role | None = None) -> object:
        if isinstance(value, tuple):
            items = tuple(self.node(item, role) for item in value)
            return value if all(new is old for new, old in zip(items, value, strict=True)) else items
        if type(value).__module__ != ast.__name__ or not dataclasses.is_dataclass(value):
            return value
        role = role or _ROLE_OF_CLASS.get(type(value))
        changes: dict[str, object] = {"nid": self.fresh(role)} if role is not None else {}
        for name in _child_fields(type(value)):
            old = getattr(value, name)
            new = self.node(old, _ROLE_OF_FIELD.get((type(value), name)))
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value


# Field types (as annotated in `syntax.py`) that hold no syntax nodes.
_LEAF_TYPES = frozenset(
    {"Span", "Type | None", "NodeId | None", "Role", "bool", "int", "str"}
    | {"tuple[Type, ...]", "tuple[int, ...]", "tuple[str, ...]"}
)


@cache
def _child_fields(node_class: type) -> tuple[str, ...]:
    """The fields of a syntax class that may hold nodes."""
    return tuple(item.name for item in dataclasses.fields(node_class) if item.type not in _LEAF_TYPES)


Body = TypeVar("Body", ast.Expr, ast.Block)


class _Abort(Exception):
    """Stops checking one declaration after an error that makes the rest meaningless."""


@dataclass(frozen=True)
class _Confined:
    """A ghost body that may change only what it declares itself: a calc hint, a forall
    statement's body, an assert-by block; with Dafny's words for what it may not do."""

    depth: int  # the scopes outside the body
    update: str  # an assignment to a variable declared outside
    call: str  # a call of a compiled method
    ret: str  # a `return`


HINT_RULES = (
    "a hint is not allowed to update a variable declared outside the hint",
    "only ghost methods can be called from this context",
    "return statement is not allowed inside a hint",
)
FORALL_RULES = (
    "body of forall statement is attempting to update a variable declared outside the forall statement",
    "the body of the enclosing forall statement is not allowed to call non-ghost methods",
    "return statement is not allowed inside a forall statement",
)
ASSERT_BY_RULES = (
    "the body of an assert-by statement is not allowed to update a variable declared outside it",
    "only ghost methods can be called from this context",
    "return statement is not allowed in this context (because it is guarded by a specification-only "
    "expression)",
)


@dataclass
class _Checker:
    program: ast.Program
    errors: list[Diagnostic] = field(default_factory=list)
    scopes: list[dict[str, Variable]] = field(default_factory=list)
    counter: int = 0
    confined: list[_Confined] = field(default_factory=list)  # the hints and proof bodies we are in

    def __post_init__(self) -> None:
        self.decls: dict[str, ast.Decl] = {}
        self.ctors: dict[str, tuple[ast.Datatype, ast.Constructor]] = {}
        self.type_params: tuple[str, ...] = ()
        for decl in self.program.decls:
            if decl.name in self.decls:
                self.error(DUPLICATE_NAME, decl.name_span, f"duplicate declaration of '{decl.name}'")
            else:
                self.decls[decl.name] = decl
            for ctor in decl.ctors if isinstance(decl, ast.Datatype) else ():
                # a constructor may be named like its own datatype (`datatype D = D(x: int)`)
                other_decl = ctor.name in self.decls and ctor.name != decl.name
                if ctor.name in self.ctors or other_decl:
                    self.error(DUPLICATE_NAME, ctor.span, f"duplicate declaration of '{ctor.name}'")
                else:
                    self.ctors[ctor.name] = (decl, ctor)
        self.check_constructible()

    def check_constructible(self) -> None:
        """Every datatype needs a value built without itself: `datatype Bad = B(Bad)` has none,
        and its axioms would contradict each other (an endless chain of smaller values)."""
        datatypes = {decl.name: decl for decl in self.program.datatypes()}
        grounded: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, datatype in datatypes.items():
                if name not in grounded and any(
                    all(_refs_grounded(item.type_ref, datatypes, grounded) for item in ctor.fields)
                    for ctor in datatype.ctors
                ):
                    grounded.add(name)
                    changed = True
        for name in datatypes.keys() - grounded:
            self.error(
                TYPE_MISMATCH,
                datatypes[name].name_span,
                f"because of cyclic dependencies among constructor argument types, no instances of "
                f"datatype '{name}' can be constructed",
                "Give it a constructor whose arguments do not need a value of the datatype itself, "
                "like `Nil` or `Leaf`.",
            )

    # ------------------------------------------------------------ helpers

    def error(self, code: DiagnosticCode, span: Span, message: str, hint: str = "") -> None:
        self.errors.append(Diagnostic(code, span, message, hint))

    def fail(self, code: DiagnosticCode, span: Span, message: str, hint: str = "") -> _Abort:
        self.error(code, span, message, hint)
        return _Abort()

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
            if len(ref.args) != len(datatype.type_params):
                raise self.fail(
                    TYPE_MISMATCH,
                    ref.span,
                    f"datatype '{ref.name}' takes {len(datatype.type_params)} type argument(s), "
                    f"but {len(ref.args)} are given",
                )
            return Type(ref.name, tuple(self.type_of_ref(arg) for arg in ref.args))
        if ref.name in {"map", "real", "char", "string", "object", "array2", "iset", "imap"}:
            raise self.fail(NOT_MINIDAFNY, ref.span, f"the type `{ref.name}` is not part of MiniDafny")
        raise self.fail(UNKNOWN_NAME, ref.span, f"unknown type '{ref.name}'")

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

    def expect(self, expr: ast.Expr, expected: Type, what: str) -> None:
        actual = ast.type_of(expr)
        if not assignable(expected, actual):
            raise self.fail(
                TYPE_MISMATCH,
                expr.span,
                f"{what} must be of type {_shown(expected, actual)}, but this is of type {_shown(actual, expected)}",
            )

    def expect_kind(self, expr: ast.Expr, names: tuple[str, ...], what: str) -> Type:
        actual = ast.type_of(expr)
        if actual.name not in names:
            wanted = " or ".join(names)
            raise self.fail(
                TYPE_MISMATCH, expr.span, f"{what} must be a {wanted}, but this is of type {actual}"
            )
        return actual

    # ------------------------------------------------------------ declarations

    def declaration(self, decl: ast.Decl) -> ast.Decl:
        self.scopes = [{}]
        try:
            if isinstance(decl, ast.Method):
                return self.method(decl)
            if isinstance(decl, ast.Function):
                return self.function(decl)
            if isinstance(decl, ast.Datatype):
                return self.datatype(decl)
        except _Abort:
            pass
        finally:
            self.scopes = []
            self.type_params = ()
        return decl

    def datatype(self, datatype: ast.Datatype) -> ast.Datatype:
        self.type_params = datatype.type_params
        field_types: dict[str, Type] = {}
        ctors = []
        for ctor in datatype.ctors:
            fields = []
            for item in ctor.fields:
                ty = self.type_of_ref(item.type_ref)
                if item.name and field_types.setdefault(item.name, ty) != ty:
                    raise self.fail(
                        TYPE_MISMATCH,
                        item.span,
                        f"shared destructor '{item.name}' has different types in different constructors",
                    )
                fields.append(dataclasses.replace(item, ty=ty))
            names = [item.name for item in ctor.fields if item.name]
            if len(set(names)) != len(names):
                raise self.fail(DUPLICATE_NAME, ctor.span, f"duplicate destructor name in '{ctor.name}'")
            ctors.append(dataclasses.replace(ctor, fields=tuple(fields)))
        return dataclasses.replace(datatype, ctors=tuple(ctors))

    def params(self, params: tuple[ast.Param, ...], role: str, ghost: bool = False) -> tuple[ast.Param, ...]:
        checked = []
        for param in params:
            ty = self.type_of_ref(param.type_ref)
            self.declare(param.name, param.span, ty, role, param.is_ghost or ghost)
            checked.append(dataclasses.replace(param, ty=ty))
        return tuple(checked)

    def clauses(
        self, clauses: tuple[ast.SpecClause, ...], ctx: Context, what: str
    ) -> tuple[ast.SpecClause, ...]:
        checked = []
        for clause in clauses:
            expr = self.expr(clause.expr, ctx)
            self.expect(expr, BOOL, what)
            checked.append(dataclasses.replace(clause, expr=expr))
        return tuple(checked)

    def decreases(self, decreases: ast.Decreases | None, ctx: Context) -> ast.Decreases | None:
        if decreases is None:
            return None
        exprs = tuple(self.expr(expr, ctx) for expr in decreases.exprs)
        return dataclasses.replace(decreases, exprs=exprs)

    def method(self, method: ast.Method) -> ast.Method:
        self.type_params = method.type_params
        params = self.params(method.params, "in", ghost=method.is_ghost)
        spec_ctx = Context(method, ghost=True)
        requires = self.clauses(method.requires, spec_ctx, "a precondition")
        decreases = self.decreases(method.decreases, spec_ctx)
        self.scopes.append({})
        returns = self.params(method.returns, "out", ghost=method.is_ghost)
        ensures = self.clauses(
            method.ensures, dataclasses.replace(spec_ctx, allow_old=True), "a postcondition"
        )
        modifies = self.frame(method.modifies, spec_ctx, "a modifies clause")
        body = None
        if method.body is not None:
            body_ctx = Context(method, allow_old=True, ghost=method.is_ghost)
            self.scopes.append({})
            body = self.block_stmts(method.body, body_ctx)
        return dataclasses.replace(
            method,
            params=params,
            returns=returns,
            requires=requires,
            ensures=ensures,
            decreases=decreases,
            modifies=modifies,
            body=body,
        )

    def frame(self, exprs: tuple[ast.Expr, ...], ctx: Context, what: str) -> tuple[ast.Expr, ...]:
        checked = []
        for expr in exprs:
            typed = self.expr(expr, ctx)
            self.expect_kind(typed, ("array",), f"each item of {what}")
            checked.append(typed)
        return tuple(checked)

    def function(self, function: ast.Function) -> ast.Function:
        self.type_params = function.type_params
        params = self.params(function.params, "in")
        result_ty = BOOL if function.is_predicate else self.type_of_ref(function.result_ref)
        ctx = Context(function, ghost=True, in_function=True)
        requires = self.clauses(function.requires, ctx, "a precondition")
        decreases = self.decreases(function.decreases, ctx)
        reads = self.frame(function.reads, ctx, "a reads clause")
        ensures = self.clauses(function.ensures, ctx, "a postcondition")
        body = None
        if function.body is not None:
            body = self.expr(function.body, ctx)
            self.expect(body, result_ty, f"the body of {function.kind_word} '{function.name}'")
            body = settle(body, result_ty)
        return dataclasses.replace(
            function,
            params=params,
            requires=requires,
            ensures=ensures,
            decreases=decreases,
            reads=reads,
            body=body,
            result_ty=result_ty,
        )

    # ------------------------------------------------------------ statements

    def block_stmts(self, block: ast.Block, ctx: Context) -> ast.Block:
        """Check a block whose scope has already been pushed; pops it."""
        stmts = []
        try:
            for stmt in block.stmts:
                try:
                    stmts.append(self.stmt(stmt, ctx))
                except _Abort:
                    stmts.append(stmt)
        finally:
            self.scopes.pop()
        return dataclasses.replace(block, stmts=tuple(stmts))

    def block(self, block: ast.Block, ctx: Context) -> ast.Block:
        self.scopes.append({})
        return self.block_stmts(block, ctx)

    def stmt(self, stmt: ast.Stmt, ctx: Context) -> ast.Stmt:
        match stmt:
            case ast.Block():
                return self.block(stmt, ctx)
            case ast.VarDecl():
                return self.var_decl(stmt, ctx)
            case ast.Assign():
                return self.assign(stmt, ctx)
            case ast.CallStmt():
                return self.call_stmt(stmt, ctx)
            case ast.If():
                return self.if_stmt(stmt, ctx)
            case ast.While():
                return self.while_stmt(stmt, ctx)
            case ast.Assert():
                return self.assert_stmt(stmt, ctx)
            case ast.Assume():
                return self.assume_stmt(stmt, ctx)
            case ast.Return():
                return self.return_stmt(stmt, ctx)
            case ast.Calc():
                return self.calc_stmt(stmt, ctx)
            case ast.ForallStmt():
                return self.forall_stmt(stmt, ctx)
            case ast.AssertBy():
                return self.assert_by_stmt(stmt, ctx)
            case ast.MatchStmt():
                return self.match_stmt(stmt, ctx)
            case _:
                raise TypeError(f"the resolver has no rule for {type(stmt).__name__}")

    def var_decl(self, stmt: ast.VarDecl, ctx: Context) -> ast.VarDecl:
        declared = [self.type_of_ref(var.type_ref) if var.type_ref else None for var in stmt.variables]
        rhs: tuple[ast.Expr, ...] = ()
        if stmt.rhs:
            receivers = tuple(var.is_ghost or ctx.ghost for var in stmt.variables)
            rhs, value_types = self.right_hand_sides(stmt.rhs, receivers, stmt.span, ctx)
            for index, value_ty in enumerate(value_types):
                if declared[index] is None:
                    declared[index] = value_ty
                elif not assignable(declared[index], value_ty):
                    raise self.fail(
                        TYPE_MISMATCH,
                        rhs[min(index, len(rhs) - 1)].span,
                        f"cannot initialise '{stmt.variables[index].name}' of type {declared[index]} "
                        f"with a value of type {value_ty}",
                    )
            rhs = self.settle_all(rhs, declared)
        variables = []
        for var, ty in zip(stmt.variables, declared, strict=True):
            if ty is None:
                raise self.fail(
                    TYPE_MISMATCH,
                    var.span,
                    f"the type of '{var.name}' is unknown: write `var {var.name}: int`",
                )
            uid = self.declare(var.name, var.span, ty, "local", var.is_ghost or ctx.ghost)
            variables.append(dataclasses.replace(var, uid=uid, ty=ty))
        return dataclasses.replace(stmt, variables=tuple(variables), rhs=rhs)

    def right_hand_sides(
        self, rhs: tuple[ast.Expr, ...], receivers: tuple[bool, ...], span: Span, ctx: Context
    ) -> tuple[tuple[ast.Expr, ...], list[Type]]:
        """Check `:= e1, ..., en` or `:= M(args)` against the targets (`receivers`: whether each
        is ghost); returns the value types. Values that only ghost variables receive are ghost
        expressions; a method call stays compiled code, its ghost results going to ghost targets."""
        count = len(receivers)
        if (
            len(rhs) == 1
            and isinstance(rhs[0], ast.Call)
            and isinstance(self.decls.get(rhs[0].name), ast.Method)
        ):
            call = self.method_call(rhs[0], ctx)
            callee = self.decls[call.name]
            assert isinstance(callee, ast.Method)
            if len(callee.returns) != count:
                raise self.fail(
                    ARITY,
                    call.span,
                    f"{callee.kind_word} '{callee.name}' returns {len(callee.returns)} value(s), "
                    f"but {count} variable(s) receive them",
                )
            for out, ghost_receiver in zip(callee.returns, receivers, strict=True):
                if (out.is_ghost or callee.is_ghost) and not ghost_receiver:
                    raise self.fail(
                        GHOST,
                        call.name_span,
                        "actual out-parameter is required to be a ghost variable",
                        f"'{out.name}' of '{callee.name}' is ghost: write `ghost var {out.name} := "
                        f"{callee.name}(...);`.",
                    )
            binding = dict(zip(callee.type_params, call.type_args, strict=True))
            outs = self.types_in(callee, [out.type_ref for out in callee.returns])
            return (call,), [substitute(out, binding) for out in outs]
        if len(rhs) != count:
            raise self.fail(ARITY, span, f"{count} variable(s) but {len(rhs)} value(s) on the right of ':='")
        if all(receivers):
            ctx = dataclasses.replace(ctx, ghost=True)
        checked = tuple(
            self.new_array(expr, ctx) if isinstance(expr, ast.NewArray) else self.expr(expr, ctx)
            for expr in rhs
        )
        return checked, [ast.type_of(expr) for expr in checked]

    def new_array(self, expr: ast.NewArray, ctx: Context) -> ast.NewArray:
        if ctx.ghost:
            raise self.fail(
                GHOST,
                expr.span,
                "'new' is not allowed in ghost contexts",
                "Ghost code (a lemma, a ghost variable's value, a branch on ghost state) cannot allocate.",
            )
        element = self.type_of_ref(expr.element_ref)
        size = self.expr(expr.size, ctx)
        self.expect(size, INT, "the size of a new array")
        return dataclasses.replace(expr, size=size, ty=array_of(element))

    def assign(self, stmt: ast.Assign, ctx: Context) -> ast.Assign:
        targets = []
        seen: set[str] = set()
        for target in stmt.targets:
            if isinstance(target, ast.Index):
                targets.append(self.element_target(target, ctx))
                continue
            if not isinstance(target, ast.Name):
                raise self.fail(
                    NOT_ASSIGNABLE, target.span, "only a variable or an array element can be assigned to"
                )
            variable = self.lookup(target.name)
            if variable is None:
                raise self.fail(UNKNOWN_NAME, target.span, f"unknown variable '{target.name}'")
            if variable.role == "in":
                raise self.fail(
                    NOT_ASSIGNABLE,
                    target.span,
                    f"'{target.name}' is a parameter and cannot be assigned",
                    "Copy it into a local variable first: `var x := " + target.name + ";`",
                )
            if variable.role not in ("out", "local"):
                raise self.fail(NOT_ASSIGNABLE, target.span, f"'{target.name}' cannot be assigned")
            if variable.uid in seen:
                raise self.fail(
                    NOT_ASSIGNABLE, target.span, f"'{target.name}' is assigned twice in one statement"
                )
            seen.add(variable.uid)
            if self.confined and self.scope_index(target.name) < self.confined[-1].depth:
                raise self.fail(BAD_STATEMENT, target.span, self.confined[-1].update)
            if ctx.ghost and not variable.is_ghost:
                raise self.fail(
                    GHOST,
                    target.span,
                    f"assignment to the non-ghost variable '{target.name}' is not allowed in this context "
                    "(because this is a ghost method or because the statement is guarded by a "
                    "specification-only expression)",
                )
            targets.append(dataclasses.replace(target, ty=variable.ty, uid=variable.uid))
        receivers = tuple(
            isinstance(target, ast.Name) and self.lookup(target.name).is_ghost  # type: ignore[union-attr]
            for target in targets
        )
        rhs, value_types = self.right_hand_sides(stmt.rhs, receivers, stmt.span, ctx)
        for target, value_ty, index in zip(targets, value_types, range(len(targets)), strict=True):
            if not assignable(ast.type_of(target), value_ty):
                raise self.fail(
                    TYPE_MISMATCH,
                    rhs[min(index, len(rhs) - 1)].span,
                    f"cannot assign a value of type {value_ty} to {_target_words(target)} "
                    f"of type {ast.type_of(target)}",
                )
        rhs = self.settle_all(rhs, [ast.type_of(target) for target in targets])
        return dataclasses.replace(stmt, targets=tuple(targets), rhs=rhs)

    @staticmethod
    def settle_all(rhs: tuple[ast.Expr, ...], types: list[Type | None]) -> tuple[ast.Expr, ...]:
        if len(rhs) != len(types):  # a method call's results
            return rhs
        return tuple(expr if ty is None else settle(expr, ty) for expr, ty in zip(rhs, types, strict=True))

    def element_target(self, target: ast.Index, ctx: Context) -> ast.Index:
        checked = self.expr(target, ctx)
        assert isinstance(checked, ast.Index)
        if ast.type_of(checked.seq).name != "array":
            raise self.fail(
                NOT_ASSIGNABLE, target.span, "only array elements can be assigned: sequences are values"
            )
        if ctx.ghost:
            raise self.fail(
                GHOST,
                target.span,
                "Assignment to array element is not allowed in this context (because this is a ghost "
                "method or because the statement is guarded by a specification-only expression)",
                "Ghost code (a lemma, a branch on ghost state) cannot change the heap.",
            )
        return checked

    def method_call(self, call: ast.Call, ctx: Context) -> ast.Call:
        callee = self.decls[call.name]
        assert isinstance(callee, ast.Method)
        if self.confined and not callee.is_ghost:
            raise self.fail(GHOST, call.name_span, self.confined[-1].call)
        if ctx.ghost and not callee.is_ghost:
            raise self.fail(
                GHOST,
                call.name_span,
                "only ghost methods can be called from this context",
                f"'{callee.name}' is compiled code; ghost code (here in {ctx.owner.name}) may call only "
                "lemmas and functions.",
            )
        args, type_args = self.arguments(call, callee, ctx)
        return dataclasses.replace(call, args=args, type_args=type_args)

    def types_in(self, decl: ast.Method | ast.Function, refs: list[ast.TypeRef]) -> list[Type]:
        """Types written in a declaration's signature, in terms of its own type parameters."""
        outer, self.type_params = self.type_params, decl.type_params
        try:
            return [self.type_of_ref(ref) for ref in refs]
        finally:
            self.type_params = outer

    def arguments(
        self, call: ast.Call, callee: ast.Method | ast.Function, ctx: Context
    ) -> tuple[tuple[ast.Expr, ...], tuple[Type, ...]]:
        """The checked arguments, and the callee's type arguments inferred from them."""
        params, kind = callee.params, callee.kind_word
        if len(call.args) != len(params):
            raise self.fail(
                ARITY,
                call.span,
                f"{kind} '{call.name}' takes {len(params)} argument(s), but {len(call.args)} are given",
            )
        checked_args = []
        binding: dict[str, Type] = {}
        param_types = self.types_in(callee, [param.type_ref for param in params])
        for arg, param, param_ty in zip(call.args, params, param_types, strict=True):
            ghost_param = param.is_ghost or (isinstance(callee, ast.Method) and callee.is_ghost)
            checked = self.expr(arg, dataclasses.replace(ctx, ghost=True) if ghost_param else ctx)
            what = f"argument '{param.name}' of '{call.name}'"
            if not callee.type_params:
                self.expect(checked, param_ty, what)
            elif not infer(param_ty, ast.type_of(checked), callee.type_params, binding):
                raise self.fail(
                    TYPE_MISMATCH,
                    checked.span,
                    f"{what} must be of type {substitute(param_ty, binding)}, but this is of type "
                    f"{ast.type_of(checked)}",
                )
            checked_args.append(checked)
        type_args = tuple(binding.get(name, UNKNOWN) for name in callee.type_params)
        args = tuple(
            settle(arg, substitute(param_ty, binding))
            for arg, param_ty in zip(checked_args, param_types, strict=True)
        )
        return args, type_args

    def call_stmt(self, stmt: ast.CallStmt, ctx: Context) -> ast.CallStmt:
        callee = self.decls.get(stmt.call.name)
        if isinstance(callee, ast.Method):
            if callee.returns:
                raise self.fail(
                    BAD_CALL,
                    stmt.call.span,
                    f"{callee.kind_word} '{callee.name}' returns values: write `var r := {callee.name}(...);`",
                )
            return dataclasses.replace(stmt, call=self.method_call(stmt.call, ctx))
        if isinstance(callee, ast.Function):
            raise self.fail(
                BAD_STATEMENT,
                stmt.call.span,
                f"a call to {callee.kind_word} '{callee.name}' is an expression, not a statement",
            )
        raise self.fail(UNKNOWN_NAME, stmt.call.name_span, f"unknown method '{stmt.call.name}'")

    def guarded(self, cond: ast.Expr, ctx: Context) -> Context:
        """A statement guarded by ghost state is ghost, as in Dafny: it may not change compiled
        state."""
        if ctx.ghost or not any(
            isinstance(node, ast.Name) and (found := self.lookup(node.name)) is not None and found.is_ghost
            for node in ast.walk_expr(cond)
        ):
            return ctx
        return dataclasses.replace(ctx, ghost=True)

    def if_stmt(self, stmt: ast.If, ctx: Context) -> ast.If:
        ctx = self.guarded(stmt.cond, ctx)
        cond = self.expr(stmt.cond, ctx)
        self.expect(cond, BOOL, "an if condition")
        then = self.block(stmt.then, ctx)
        else_ = None
        if isinstance(stmt.else_, ast.Block):
            else_ = self.block(stmt.else_, ctx)
        elif isinstance(stmt.else_, ast.If):
            else_ = self.if_stmt(stmt.else_, ctx)
        return dataclasses.replace(stmt, cond=cond, then=then, else_=else_)

    def while_stmt(self, stmt: ast.While, ctx: Context) -> ast.While:
        ctx = self.guarded(stmt.cond, ctx)
        cond = self.expr(stmt.cond, ctx)
        self.expect(cond, BOOL, "a loop condition")
        spec_ctx = dataclasses.replace(ctx, ghost=True)
        invariants = self.clauses(stmt.invariants, spec_ctx, "a loop invariant")
        decreases = self.decreases(stmt.decreases, spec_ctx)
        body = self.block(stmt.body, ctx)
        return dataclasses.replace(stmt, cond=cond, invariants=invariants, decreases=decreases, body=body)

    def assert_stmt(self, stmt: ast.Assert, ctx: Context) -> ast.Assert:
        expr = self.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.expect(expr, BOOL, "an assertion")
        return dataclasses.replace(stmt, expr=expr)

    def assume_stmt(self, stmt: ast.Assume, ctx: Context) -> ast.Assume:
        expr = self.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.expect(expr, BOOL, "an assumption")
        return dataclasses.replace(stmt, expr=expr)

    def return_stmt(self, stmt: ast.Return, ctx: Context) -> ast.Return:
        method = ctx.owner
        assert isinstance(method, ast.Method)
        if self.confined:
            raise self.fail(BAD_STATEMENT, stmt.span, self.confined[-1].ret)
        if ctx.ghost and not method.is_ghost:
            raise self.fail(
                GHOST,
                stmt.span,
                "return statement is not allowed in this context (because it is guarded by a "
                "specification-only expression)",
                "Once ghost code is erased, the method would return on a path the compiled code cannot "
                "tell apart: decide when to return with compiled values only.",
            )
        if not stmt.values:
            return stmt
        if len(stmt.values) != len(method.returns):
            raise self.fail(
                ARITY,
                stmt.span,
                f"'{method.name}' has {len(method.returns)} out-parameter(s), but `return` gives {len(stmt.values)}",
            )
        values = []
        for value, out in zip(stmt.values, method.returns, strict=True):
            checked = self.expr(value, ctx)
            self.expect(checked, self.type_of_ref(out.type_ref), f"the value returned for '{out.name}'")
            values.append(checked)
        return dataclasses.replace(stmt, values=tuple(values))

    # ------------------------------------------------------------ proof statements

    def confined_block(self, block: ast.Block, ctx: Context, rules: tuple[str, str, str]) -> ast.Block:
        """A hint or a proof body: ghost, in its own scope, changing only what it declares."""
        self.confined.append(_Confined(len(self.scopes), *rules))
        try:
            return self.block(block, dataclasses.replace(ctx, ghost=True))
        finally:
            self.confined.pop()

    def calc_stmt(self, stmt: ast.Calc, ctx: Context) -> ast.Calc:
        ghost = dataclasses.replace(ctx, ghost=True)
        lines = tuple(self.expr(line, ghost) for line in stmt.lines)
        steps = []
        result = "=="
        for index, step in enumerate(stmt.steps):
            op = step.op or stmt.op or "=="
            before, after = stmt.lines[index], stmt.lines[index + 1]
            # The step's operator must apply to its two lines (both int for `<`, bool for `==>`).
            self.binary(
                ast.Binary(
                    span=before.span.cover(after.span), op=op, left=before, right=after, op_span=step.op_span
                ),
                ghost,
            )
            hints = tuple(self.confined_block(hint, ghost, HINT_RULES) for hint in step.hints)
            steps.append(dataclasses.replace(step, op=op, hints=hints))
            result = ast.calc_combine(result, op) or op  # the parser has checked that they chain
        return dataclasses.replace(stmt, lines=lines, steps=tuple(steps), result_op=result)

    def forall_stmt(self, stmt: ast.ForallStmt, ctx: Context) -> ast.ForallStmt:
        only = stmt.only_statement
        if isinstance(only, ast.Assign) and any(isinstance(target, ast.Index) for target in only.targets):
            raise self.fail(
                NOT_MINIDAFNY,
                only.span,
                "a forall statement that updates an array is not part of MiniDafny",
                "In MiniDafny a forall statement proves a fact for every value: "
                "`forall x | 0 <= x < n ensures P(x) { ... }`; update arrays with a loop.",
            )
        ghost = dataclasses.replace(ctx, ghost=True)
        self.scopes.append({})
        try:
            bound = []
            for var in stmt.bound:
                ty = self.type_of_ref(var.type_ref) if var.type_ref else INT
                uid = self.declare(var.name, var.span, ty, "bound", is_ghost=True)
                bound.append(dataclasses.replace(var, uid=uid, ty=ty))
            range_ = None
            if stmt.range is not None:
                range_ = self.expr(stmt.range, ghost)
                self.expect(range_, BOOL, "the range of a forall statement")
            ensures = self.clauses(stmt.ensures, ghost, "the ensures clause of a forall statement")
            body = self.confined_block(stmt.body, ghost, FORALL_RULES)
        finally:
            self.scopes.pop()
        return dataclasses.replace(stmt, bound=tuple(bound), range=range_, ensures=ensures, body=body)

    def assert_by_stmt(self, stmt: ast.AssertBy, ctx: Context) -> ast.AssertBy:
        expr = self.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.expect(expr, BOOL, "an assertion")
        body = self.confined_block(stmt.body, ctx, ASSERT_BY_RULES)
        return dataclasses.replace(stmt, expr=expr, body=body)

    # ------------------------------------------------------------ expressions

    def expr(self, expr: ast.Expr, ctx: Context) -> ast.Expr:
        if isinstance(expr, ast.IntLit):
            return dataclasses.replace(expr, ty=INT)
        if isinstance(expr, ast.BoolLit):
            return dataclasses.replace(expr, ty=BOOL)
        if isinstance(expr, ast.Name):
            return self.name(expr, ctx)
        if isinstance(expr, ast.Unary):
            return self.unary(expr, ctx)
        if isinstance(expr, ast.Binary):
            return self.binary(expr, ctx)
        if isinstance(expr, ast.IfThenElse):
            return self.if_then_else(expr, ctx)
        if isinstance(expr, ast.Call):
            return self.function_call(expr, ctx)
        if isinstance(expr, ast.Old):
            return self.old(expr, ctx)
        checker = {
            ast.Fresh: self.fresh,
            ast.Index: self.index,
            ast.Slice: self.slice,
            ast.SeqUpdate: self.seq_update,
            ast.Length: self.length,
            ast.Cardinality: self.cardinality,
            ast.SeqDisplay: self.display,
            ast.SetDisplay: self.display,
            ast.MultisetDisplay: self.display,
            ast.MultisetOf: self.multiset_of,
            ast.Quantifier: self.quantifier,
            ast.Member: self.member,
            ast.IsCtor: self.is_ctor,
            ast.Match: self.match,
        }.get(type(expr))
        if checker is not None:
            return checker(expr, ctx)
        if isinstance(expr, ast.NewArray):
            raise self.fail(BAD_STATEMENT, expr.span, "`new` may only stand alone on the right of `:=`")
        raise self.fail(NOT_MINIDAFNY, expr.span, "this expression is not part of MiniDafny")

    def fresh(self, expr: ast.Fresh, ctx: Context) -> ast.Fresh:
        if not ctx.allow_old:
            raise self.fail(
                BAD_OLD, expr.span, "`fresh` is allowed only in a method's postconditions and body"
            )
        inner = self.expr(expr.expr, ctx)
        self.expect_kind(inner, ("array",), "the argument of `fresh`")
        return dataclasses.replace(expr, expr=inner, ty=BOOL)

    def index(self, expr: ast.Index, ctx: Context) -> ast.Index:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.expect_kind(seq, ("array", "seq"), "an indexed value")
        index = self.expr(expr.index, ctx)
        self.expect(index, INT, "an index")
        return dataclasses.replace(expr, seq=seq, index=index, ty=seq_ty.element)

    def slice(self, expr: ast.Slice, ctx: Context) -> ast.Slice:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.expect_kind(seq, ("array", "seq"), "a sliced value")
        bounds = {}
        for name in ("lo", "hi"):
            bound = getattr(expr, name)
            if bound is not None:
                bound = self.expr(bound, ctx)
                self.expect(bound, INT, "a slice bound")
            bounds[name] = bound
        return dataclasses.replace(expr, seq=seq, ty=seq_of(seq_ty.element), **bounds)

    def seq_update(self, expr: ast.SeqUpdate, ctx: Context) -> ast.SeqUpdate:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.expect_kind(seq, ("seq",), "an updated value")
        index = self.expr(expr.index, ctx)
        self.expect(index, INT, "an index")
        value = self.expr(expr.value, ctx)
        self.expect(value, seq_ty.element, "the new element")
        ty = Type("seq", (lub(seq_ty.element, ast.type_of(value)),))  # `s[i := -1]` of a seq<nat>
        return dataclasses.replace(expr, seq=seq, index=index, value=value, ty=ty)

    def length(self, expr: ast.Length, ctx: Context) -> ast.Length:
        array = self.expr(expr.array, ctx)
        self.expect_kind(array, ("array",), "the value of `.Length`")
        return dataclasses.replace(expr, array=array, ty=INT)

    def cardinality(self, expr: ast.Cardinality, ctx: Context) -> ast.Cardinality:
        inner = self.expr(expr.expr, ctx)
        self.expect_kind(inner, ("seq", "set", "multiset"), "the value of `|...|`")
        return dataclasses.replace(expr, expr=inner, ty=INT)

    def display(self, expr: ast.SeqDisplay | ast.SetDisplay | ast.MultisetDisplay, ctx: Context) -> ast.Expr:
        elements = tuple(self.expr(element, ctx) for element in expr.elements)
        element_ty = UNKNOWN
        for element in elements:
            if not compatible(element_ty, ast.type_of(element)):
                raise self.fail(
                    TYPE_MISMATCH, element.span, "all elements of a display must have the same type"
                )
            element_ty = lub(element_ty, ast.type_of(element))
        elements = tuple(settle(element, element_ty) for element in elements)
        name = {ast.SeqDisplay: "seq", ast.SetDisplay: "set", ast.MultisetDisplay: "multiset"}[type(expr)]
        return dataclasses.replace(expr, elements=elements, ty=Type(name, (element_ty,)))

    def multiset_of(self, expr: ast.MultisetOf, ctx: Context) -> ast.MultisetOf:
        inner = self.expr(expr.expr, ctx)
        seq_ty = self.expect_kind(inner, ("seq",), "the argument of `multiset(...)`")
        return dataclasses.replace(expr, expr=inner, ty=Type("multiset", (seq_ty.element,)))

    def quantifier(self, expr: ast.Quantifier, ctx: Context) -> ast.Quantifier:
        self.scopes.append({})
        try:
            bound = []
            for var in expr.bound:
                ty = self.type_of_ref(var.type_ref) if var.type_ref else INT
                uid = self.declare(var.name, var.span, ty, "bound")
                bound.append(dataclasses.replace(var, uid=uid, ty=ty))
            body = self.expr(expr.body, dataclasses.replace(ctx, ghost=True))
            self.expect(body, BOOL, "the body of a quantifier")
        finally:
            self.scopes.pop()
        return dataclasses.replace(expr, bound=tuple(bound), body=body, ty=BOOL)

    def name(self, expr: ast.Name, ctx: Context) -> ast.Name:
        variable = self.lookup(expr.name)
        if variable is not None and variable.is_ghost and not ctx.ghost:
            raise self.fail(
                GHOST,
                expr.span,
                "ghost variables are allowed only in specification contexts",
                "Compiled code cannot depend on ghost state: use it only in assertions, invariants, "
                "contracts and other ghost variables.",
            )
        if variable is None and expr.name in self.ctors:
            return self.construct(expr.name, (), expr.span, ctx)
        if variable is None:
            if expr.name in self.decls:
                decl = self.decls[expr.name]
                raise self.fail(
                    BAD_CALL,
                    expr.span,
                    f"'{expr.name}' is a {decl.kind_word}: call it with arguments",  # type: ignore[attr-defined]
                )
            raise self.fail(UNKNOWN_NAME, expr.span, f"unknown identifier '{expr.name}'")
        return dataclasses.replace(expr, ty=variable.ty, uid=variable.uid)

    def unary(self, expr: ast.Unary, ctx: Context) -> ast.Unary:
        operand = self.expr(expr.operand, ctx)
        if expr.op == "-":
            self.expect(operand, INT, "the operand of unary '-'")
            return dataclasses.replace(expr, operand=operand, ty=INT)
        self.expect(operand, BOOL, "the operand of '!'")
        return dataclasses.replace(expr, operand=operand, ty=BOOL)

    def binary(self, expr: ast.Binary, ctx: Context) -> ast.Binary:
        left = self.expr(expr.left, ctx)
        right = self.expr(expr.right, ctx)
        op = expr.op
        left_ty, right_ty = ast.type_of(left), ast.type_of(right)
        if op in ("in", "!in"):
            container = self.expect_kind(right, ("seq", "set", "multiset"), f"the right operand of '{op}'")
            self.expect(left, container.element, f"the left operand of '{op}'")
            right = settle(right, Type(container.name, (left_ty.base,)))
            return dataclasses.replace(expr, left=left, right=right, ty=BOOL)
        if left_ty.is_collection and op in ("+", "-", "*", "<", "<=", ">", ">="):
            if not compatible(left_ty, right_ty):
                raise self.fail(TYPE_MISMATCH, expr.op_span, f"'{op}' combines {left_ty} and {right_ty}")
            if left_ty.name == "seq" and op != "+":
                raise self.fail(TYPE_MISMATCH, expr.op_span, f"'{op}' is not defined on sequences")
            joined = lub(left_ty, right_ty)  # every element comes from one of the operands
            ty = joined if op in ("+", "-", "*") else BOOL
            return dataclasses.replace(expr, left=settle(left, joined), right=settle(right, joined), ty=ty)
        if op in ARITHMETIC or op in ORDERING:
            self.expect(left, INT, f"the left operand of '{op}'")
            self.expect(right, INT, f"the right operand of '{op}'")
            ty = INT if op in ARITHMETIC else BOOL
        elif op in EQUALITY:
            if not compatible(left_ty, right_ty):
                raise self.fail(
                    TYPE_MISMATCH,
                    expr.op_span,
                    f"'{op}' compares values of different types: {ast.type_of(left).base} and "
                    f"{ast.type_of(right).base}",
                )
            if not (assignable(left_ty, right_ty) or assignable(right_ty, left_ty)):  # arrays are invariant
                raise self.fail(
                    TYPE_MISMATCH,
                    expr.op_span,
                    f"arguments must have comparable types (got {ast.type_of(left)} and {ast.type_of(right)})",
                    "An array<nat> and an array<int> are never the same array.",
                )
            left, right = settle(left, right_ty), settle(right, left_ty)
            ty = BOOL
        else:
            self.expect(left, BOOL, f"the left operand of '{op}'")
            self.expect(right, BOOL, f"the right operand of '{op}'")
            ty = BOOL
        return dataclasses.replace(expr, left=left, right=right, ty=ty)

    def if_then_else(self, expr: ast.IfThenElse, ctx: Context) -> ast.IfThenElse:
        cond = self.expr(expr.cond, ctx)
        self.expect(cond, BOOL, "the condition of if-then-else")
        then = self.expr(expr.then, ctx)
        else_ = self.expr(expr.else_, ctx)
        then_ty, else_ty = ast.type_of(then), ast.type_of(else_)
        if not compatible(then_ty, else_ty):
            raise self.fail(
                TYPE_MISMATCH,
                expr.span,
                f"the branches of if-then-else have different types: {then_ty.base} and {else_ty.base}",
            )
        ty = lub(then_ty, else_ty)
        then, else_ = settle(then, ty), settle(else_, ty)
        return dataclasses.replace(expr, cond=cond, then=then, else_=else_, ty=ty)

    def function_call(self, call: ast.Call, ctx: Context) -> ast.Expr:
        if call.name in self.ctors and self.lookup(call.name) is None:
            return self.construct(call.name, call.args, call.span, ctx)
        callee = self.decls.get(call.name)
        if callee is None:
            raise self.fail(UNKNOWN_NAME, call.name_span, f"unknown function '{call.name}'")
        if isinstance(callee, ast.Method):
            raise self.fail(
                BAD_CALL,
                call.name_span,
                f"{callee.kind_word} '{callee.name}' cannot be called inside an expression",
                "A method or lemma call is a statement of its own: `var r := M(x);` or `L(x);`.",
            )
        assert isinstance(callee, ast.Function)
        args, type_args = self.arguments(call, callee, ctx)
        declared = BOOL if callee.is_predicate else self.types_in(callee, [callee.result_ref])[0]
        result = substitute(declared, dict(zip(callee.type_params, type_args, strict=True)))
        signature = (*self.types_in(callee, [param.type_ref for param in callee.params]), declared)
        return dataclasses.replace(
            call,
            args=args,
            type_args=type_args,
            type_params=callee.type_params,
            signature=signature if callee.type_params else (),
            ty=result,
        )

    def old(self, expr: ast.Old, ctx: Context) -> ast.Old:
        if not ctx.allow_old:
            where = "a function" if ctx.in_function else "a precondition"
            raise self.fail(BAD_OLD, expr.span, f"`old` is not allowed in {where}")
        inner = self.expr(expr.expr, ctx)
        return dataclasses.replace(expr, expr=inner, ty=ast.type_of(inner))

    # ------------------------------------------------------------ datatypes

    def field_types(self, datatype: ast.Datatype, ctor: ast.Constructor) -> list[Type]:
        """The constructor's field types, in terms of the datatype's own type parameters."""
        outer, self.type_params = self.type_params, datatype.type_params
        try:
            return [self.type_of_ref(item.type_ref) for item in ctor.fields]
        finally:
            self.type_params = outer

    def construct(self, name: str, args: tuple[ast.Expr, ...], span: Span, ctx: Context) -> ast.Construct:
        datatype, ctor = self.ctors[name]
        if len(args) != len(ctor.fields):
            raise self.fail(
                ARITY,
                span,
                f"wrong number of arguments to datatype constructor '{name}' "
                f"(found {len(args)}, expected {len(ctor.fields)})",
            )
        field_types = self.field_types(datatype, ctor)
        checked = [self.expr(arg, ctx) for arg in args]
        binding: dict[str, Type] = {}
        for arg, field_ty, item in zip(checked, field_types, ctor.fields, strict=True):
            if not infer(field_ty, ast.type_of(arg), datatype.type_params, binding):
                what = f"'{item.name}'" if item.name else "an argument"
                raise self.fail(
                    TYPE_MISMATCH,
                    arg.span,
                    f"{what} of constructor '{name}' must be of type {substitute(field_ty, binding)}, "
                    f"but this is of type {ast.type_of(arg)}",
                )
        settled = tuple(
            settle(arg, substitute(field_ty, binding))
            for arg, field_ty in zip(checked, field_types, strict=True)
        )
        ty = Type(datatype.name, tuple(binding.get(param, UNKNOWN) for param in datatype.type_params))
        return ast.Construct(
            span=span, datatype=datatype.name, ctor=name, args=settled, index=datatype.index(name), ty=ty
        )

    def datatype_of(self, expr: ast.Expr, what: str) -> ast.Datatype:
        ty = ast.type_of(expr)
        datatype = self.decls.get(ty.name)
        if not isinstance(datatype, ast.Datatype):
            raise self.fail(
                TYPE_MISMATCH, expr.span, f"{what} must be a datatype value, but this is of type {ty}"
            )
        return datatype

    def binding_of(self, datatype: ast.Datatype, ty: Type) -> dict[str, Type]:
        return dict(zip(datatype.type_params, ty.args, strict=True))

    def member(self, expr: ast.Member, ctx: Context) -> ast.Destruct:
        obj = self.expr(expr.obj, ctx)
        ty = ast.type_of(obj)
        datatype = self.decls.get(ty.name)
        if not isinstance(datatype, ast.Datatype):
            hint = "Arrays have `.Length`; sequences have `|s|`." if ty.name in ("array", "seq") else ""
            raise self.fail(
                UNKNOWN_NAME, expr.name_span, f"type {ty} does not have a member '{expr.name}'", hint
            )
        owners = [ctor for ctor in datatype.ctors if any(item.name == expr.name for item in ctor.fields)]
        if not owners:
            raise self.fail(UNKNOWN_NAME, expr.name_span, f"type {ty} does not have a member '{expr.name}'")
        index = next(i for i, item in enumerate(owners[0].fields) if item.name == expr.name)
        field_ty = substitute(self.field_types(datatype, owners[0])[index], self.binding_of(datatype, ty))
        return ast.Destruct(
            span=expr.span,
            obj=obj,
            name=expr.name,
            ctors=tuple(ctor.name for ctor in owners),
            indices=tuple(datatype.index(ctor.name) for ctor in owners),
            name_span=expr.name_span,
            ty=field_ty,
        )

    def is_ctor(self, expr: ast.IsCtor, ctx: Context) -> ast.IsCtor:
        obj = self.expr(expr.obj, ctx)
        datatype = self.datatype_of(obj, f"the value of `.{expr.ctor}?`")
        if datatype.ctor(expr.ctor) is None:
            raise self.fail(
                UNKNOWN_NAME,
                expr.name_span,
                f"member '{expr.ctor}?' does not exist in datatype '{datatype.name}'",
            )
        return dataclasses.replace(expr, obj=obj, index=datatype.index(expr.ctor), ty=BOOL)

    def pattern(self, pattern: ast.Pattern, ty: Type) -> ast.Pattern:
        """Check a pattern against the type of the value it matches; declares its variables."""
        datatype = self.decls.get(ty.name)
        is_ctor = isinstance(datatype, ast.Datatype) and datatype.ctor(pattern.name) is not None
        if pattern.args is None and not is_ctor:
            if pattern.name == "_":
                return dataclasses.replace(pattern, ty=ty)
            uid = self.declare(pattern.name, pattern.span, ty, "bound")
            return dataclasses.replace(pattern, uid=uid, ty=ty)
        if not is_ctor:
            where = f"datatype '{datatype.name}'" if isinstance(datatype, ast.Datatype) else f"type {ty}"
            raise self.fail(UNKNOWN_NAME, pattern.span, f"member '{pattern.name}' does not exist in {where}")
        assert isinstance(datatype, ast.Datatype)
        ctor = datatype.ctor(pattern.name)
        assert ctor is not None
        args = pattern.args or ()
        if len(args) != len(ctor.fields):
            raise self.fail(
                ARITY,
                pattern.span,
                f"constructor '{ctor.name}' of arity {len(ctor.fields)} is applied to {len(args)} argument(s)",
            )
        binding = self.binding_of(datatype, ty)
        field_types = [substitute(field_ty, binding) for field_ty in self.field_types(datatype, ctor)]
        checked = tuple(self.pattern(arg, field_ty) for arg, field_ty in zip(args, field_types, strict=True))
        fields = tuple(ast.destructor_name(ctor, position) for position in range(len(ctor.fields)))
        return dataclasses.replace(
            pattern, args=checked, ctor=ctor.name, index=datatype.index(ctor.name), fields=fields, ty=ty
        )

    def case(
        self, pattern: ast.Pattern, ty: Type, check: Callable[[Body, Context], Body], body: Body, ctx: Context
    ) -> tuple[ast.Pattern, Body]:
        """A case's pattern and body, checked in a scope of their own: the pattern's variables."""
        self.scopes.append({})
        try:
            return self.pattern(pattern, ty), check(body, ctx)
        finally:
            self.scopes.pop()

    def match(self, expr: ast.Match, ctx: Context) -> ast.Match:
        subject = self.expr(expr.subject, ctx)
        self.datatype_of(subject, "the value matched")
        cases = []
        result = UNKNOWN
        for case in expr.cases:
            pattern, body = self.case(case.pattern, ast.type_of(subject), self.expr, case.body, ctx)
            if not compatible(result, ast.type_of(body)):
                raise self.fail(
                    TYPE_MISMATCH,
                    body.span,
                    f"the cases of a match have different types: {result.base} and {ast.type_of(body).base}",
                )
            result = lub(result, ast.type_of(body))
            cases.append(dataclasses.replace(case, pattern=pattern, body=body))
        settled = tuple(dataclasses.replace(case, body=settle(case.body, result)) for case in cases)
        return dataclasses.replace(expr, subject=subject, cases=settled, ty=result)

    def match_stmt(self, stmt: ast.MatchStmt, ctx: Context) -> ast.MatchStmt:
        ctx = self.guarded(stmt.subject, ctx)
        subject = self.expr(stmt.subject, ctx)
        self.datatype_of(subject, "the value matched")
        cases = []
        for case in stmt.cases:
            pattern, body = self.case(case.pattern, ast.type_of(subject), self.block, case.body, ctx)
            cases.append(dataclasses.replace(case, pattern=pattern, body=body))
        return dataclasses.replace(stmt, subject=subject, cases=tuple(cases))
