"""The types of expressions: operators, calls, constructors, destructors, patterns and `match`,
and the specification clauses built from them.

`ExprChecker.expr` returns a new expression with its type (`ty`) and, on each variable
occurrence, the variable's unique id (`uid`); an empty display gets its type from the context
(`settle`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    ARITY,
    BAD_CALL,
    BAD_OLD,
    BAD_STATEMENT,
    GHOST,
    NOT_MINIDAFNY,
    TYPE_MISMATCH,
    UNKNOWN_NAME,
)
from kernel_ext.lang.scopes import Abort, CheckState, Context
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import (
    BOOL,
    INT,
    REAL,
    UNKNOWN,
    Type,
    assignable,
    compatible,
    infer,
    join,
    lub,
    seq_of,
    substitute,
)

ARITHMETIC = {"+", "-", "*", "/", "%"}
ORDERING = {"<", "<=", ">", ">="}
EQUALITY = {"==", "!="}
LOGICAL = {"&&", "||", "==>", "<==", "<==>"}

Body = TypeVar("Body", ast.Expr, ast.Block)
Checked = TypeVar("Checked")


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
    if isinstance(expr, ast.Let):
        return dataclasses.replace(expr, body=settle(expr.body, ty), ty=ty)
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


@dataclass
class ExprChecker:
    """Types the expressions of one declaration at a time, in the scopes of `state`."""

    state: CheckState

    def expr(self, expr: ast.Expr, ctx: Context) -> ast.Expr:
        match expr:
            case ast.IntLit():
                return dataclasses.replace(expr, ty=INT)
            case ast.RealLit():
                return dataclasses.replace(expr, ty=REAL)
            case ast.Conversion():
                return self.conversion(expr, ctx)
            case ast.BoolLit():
                return dataclasses.replace(expr, ty=BOOL)
            case ast.Name():
                return self.name(expr, ctx)
            case ast.Unary():
                return self.unary(expr, ctx)
            case ast.Binary():
                return self.binary(expr, ctx)
            case ast.IfThenElse():
                return self.if_then_else(expr, ctx)
            case ast.Call():
                return self.function_call(expr, ctx)
            case ast.Old():
                return self.old(expr, ctx)
            case ast.Fresh():
                return self.fresh(expr, ctx)
            case ast.Index():
                return self.index(expr, ctx)
            case ast.Slice():
                return self.slice(expr, ctx)
            case ast.SeqUpdate():
                return self.seq_update(expr, ctx)
            case ast.Length():
                return self.length(expr, ctx)
            case ast.Cardinality():
                return self.cardinality(expr, ctx)
            case ast.SeqDisplay() | ast.SetDisplay() | ast.MultisetDisplay():
                return self.display(expr, ctx)
            case ast.MultisetOf():
                return self.multiset_of(expr, ctx)
            case ast.Quantifier():
                return self.quantifier(expr, ctx)
            case ast.Member():
                return self.member(expr, ctx)
            case ast.IsCtor():
                return self.is_ctor(expr, ctx)
            case ast.Match():
                return self.match(expr, ctx)
            case ast.Let():
                return self.let(expr, ctx)
            case ast.NewArray():
                raise self.state.fail(
                    BAD_STATEMENT, expr.span, "`new` may only stand alone on the right of `:=`"
                )
            case _:
                raise self.state.fail(NOT_MINIDAFNY, expr.span, "this expression is not part of MiniDafny")

    # ------------------------------------------------------------ simple expressions

    def fresh(self, expr: ast.Fresh, ctx: Context) -> ast.Fresh:
        if not ctx.allow_old:
            raise self.state.fail(
                BAD_OLD, expr.span, "`fresh` is allowed only in a method's postconditions and body"
            )
        inner = self.expr(expr.expr, ctx)
        self.state.expect_kind(inner, ("array",), "the argument of `fresh`")
        return dataclasses.replace(expr, expr=inner, ty=BOOL)

    def index(self, expr: ast.Index, ctx: Context) -> ast.Index:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.state.expect_kind(seq, ("array", "seq"), "an indexed value")
        index = self.expr(expr.index, ctx)
        self.state.expect(index, INT, "an index")
        return dataclasses.replace(expr, seq=seq, index=index, ty=seq_ty.element)

    def slice(self, expr: ast.Slice, ctx: Context) -> ast.Slice:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.state.expect_kind(seq, ("array", "seq"), "a sliced value")
        bounds = {}
        for name in ("lo", "hi"):
            bound = getattr(expr, name)
            if bound is not None:
                bound = self.expr(bound, ctx)
                self.state.expect(bound, INT, "a slice bound")
            bounds[name] = bound
        return dataclasses.replace(expr, seq=seq, ty=seq_of(seq_ty.element), **bounds)

    def seq_update(self, expr: ast.SeqUpdate, ctx: Context) -> ast.SeqUpdate:
        seq = self.expr(expr.seq, ctx)
        seq_ty = self.state.expect_kind(seq, ("seq",), "an updated value")
        index = self.expr(expr.index, ctx)
        self.state.expect(index, INT, "an index")
        value = self.expr(expr.value, ctx)
        self.state.expect(value, seq_ty.element, "the new element")
        ty = Type("seq", (lub(seq_ty.element, ast.type_of(value)),))  # `s[i := -1]` of a seq<nat>
        return dataclasses.replace(expr, seq=seq, index=index, value=value, ty=ty)

    def length(self, expr: ast.Length, ctx: Context) -> ast.Length:
        array = self.expr(expr.array, ctx)
        self.state.expect_kind(array, ("array",), "the value of `.Length`")
        return dataclasses.replace(expr, array=array, ty=INT)

    def cardinality(self, expr: ast.Cardinality, ctx: Context) -> ast.Cardinality:
        inner = self.expr(expr.expr, ctx)
        self.state.expect_kind(inner, ("seq", "set", "multiset"), "the value of `|...|`")
        return dataclasses.replace(expr, expr=inner, ty=INT)

    def display(self, expr: ast.SeqDisplay | ast.SetDisplay | ast.MultisetDisplay, ctx: Context) -> ast.Expr:
        elements = tuple(self.expr(element, ctx) for element in expr.elements)
        element_ty = UNKNOWN
        for element in elements:
            self.state.expect_compatible(
                element_ty,
                ast.type_of(element),
                element.span,
                "all elements of a display must have the same type",
            )
            element_ty = lub(element_ty, ast.type_of(element))
        elements = tuple(settle(element, element_ty) for element in elements)
        name = {ast.SeqDisplay: "seq", ast.SetDisplay: "set", ast.MultisetDisplay: "multiset"}[type(expr)]
        return dataclasses.replace(expr, elements=elements, ty=Type(name, (element_ty,)))

    def multiset_of(self, expr: ast.MultisetOf, ctx: Context) -> ast.MultisetOf:
        inner = self.expr(expr.expr, ctx)
        seq_ty = self.state.expect_kind(inner, ("seq",), "the argument of `multiset(...)`")
        return dataclasses.replace(expr, expr=inner, ty=Type("multiset", (seq_ty.element,)))

    def quantifier(self, expr: ast.Quantifier, ctx: Context) -> ast.Quantifier:
        return self.inferring(
            expr.bound,
            lambda untyped: self.typed_quantifier(expr, ctx, untyped),
            self.membership_types(expr.bound, expr.body, ctx),
        )

    def inferring(
        self,
        bound: tuple[ast.BoundVar, ...],
        attempt: Callable[[Type], Checked],
        candidates: tuple[Type, ...] = (),
    ) -> Checked:
        """What declares bound variables, checked with `int` for those of no written type, or,
        if it does not type-check so, with `real` (`forall x, y: real :: x < y`, where Dafny
        infers x's type); if neither does, the errors of `int`. The `candidates` (the element
        types of the collections a variable is said to be in) are tried first."""
        if all(var.type_ref is not None for var in bound):
            return attempt(INT)
        errors_before, counter = len(self.state.errors), self.state.counter
        for untyped in (*candidates, INT, REAL):
            try:
                result = attempt(untyped)
                if len(self.state.errors) == errors_before:
                    return result
            except Abort:
                pass
            del self.state.errors[errors_before:]
            self.state.counter = counter
        return attempt(INT)

    def membership_types(
        self, bound: tuple[ast.BoundVar, ...], body: ast.Expr, ctx: Context
    ) -> tuple[Type, ...]:
        """The element types of the collections an untyped bound variable is said to be in
        (`forall c :: c in r.children ==> ...` makes `c` a `Rose`), as Dafny infers them;
        collections that mention a bound variable are left out."""
        untyped = {var.name for var in bound if var.type_ref is None}
        names = {var.name for var in bound}
        found: list[Type] = []
        for node in ast.walk_expr(body):
            if not (
                isinstance(node, ast.Binary) and node.op in ("in", "!in") and isinstance(node.left, ast.Name)
            ):
                continue
            if node.left.name not in untyped or _mentions(node.right, names):
                continue
            element = self.element_type(node.right, ctx)
            if element is not None and element not in found:
                found.append(element)
        return tuple(found)

    def element_type(self, collection: ast.Expr, ctx: Context) -> Type | None:
        """The element type of a collection, if it type-checks on its own (nothing reported)."""
        errors_before, counter = len(self.state.errors), self.state.counter
        try:
            ty = ast.type_of(self.expr(collection, ctx))
        except Abort:
            ty = None
        del self.state.errors[errors_before:]
        self.state.counter = counter
        if ty is None or ty.name not in ("seq", "set", "multiset") or not ty.args:
            return None
        return ty.args[0]

    def typed_quantifier(self, expr: ast.Quantifier, ctx: Context, untyped: Type) -> ast.Quantifier:
        with self.state.scope():
            bound = self.bound_variables(expr.bound, untyped=untyped)
            body = self.expr(expr.body, dataclasses.replace(ctx, ghost=True))
            self.state.expect(body, BOOL, "the body of a quantifier")
        return dataclasses.replace(expr, bound=bound, body=body, ty=BOOL)

    def bound_variables(
        self, bound: tuple[ast.BoundVar, ...], is_ghost: bool = False, untyped: Type = INT
    ) -> tuple[ast.BoundVar, ...]:
        """Declares a quantifier's or forall statement's variables in the innermost scope
        (`untyped` where no type is written)."""
        checked = []
        for var in bound:
            ty = self.state.type_of_ref(var.type_ref) if var.type_ref else untyped
            uid = self.state.declare(var.name, var.span, ty, "bound", is_ghost)
            checked.append(dataclasses.replace(var, uid=uid, ty=ty))
        return tuple(checked)

    def let(self, expr: ast.Let, ctx: Context) -> ast.Let:
        """`var x, y := e1, e2; body`: the values in the enclosing scope, the body in one where
        the variables are bound (of the type written, else of their value's)."""
        if len(expr.values) != len(expr.variables):
            raise self.state.fail(
                ARITY,
                expr.span,
                f"{len(expr.variables)} variable(s) but {len(expr.values)} value(s) on the right of ':='",
            )
        values = [self.expr(value, ctx) for value in expr.values]
        variables = []
        with self.state.scope():
            for index, (var, value) in enumerate(zip(expr.variables, values, strict=True)):
                value_ty = ast.type_of(value)
                ty = self.state.type_of_ref(var.type_ref) if var.type_ref else value_ty
                if not assignable(ty, value_ty):
                    raise self.state.fail(
                        TYPE_MISMATCH,
                        value.span,
                        f"cannot initialise '{var.name}' of type {ty} with a value of type {value_ty}",
                    )
                values[index] = settle(value, ty)
                uid = self.state.declare(var.name, var.span, ty, "bound")
                variables.append(dataclasses.replace(var, uid=uid, ty=ty))
            body = self.expr(expr.body, ctx)
        return dataclasses.replace(
            expr, variables=tuple(variables), values=tuple(values), body=body, ty=ast.type_of(body)
        )

    def name(self, expr: ast.Name, ctx: Context) -> ast.Name:
        variable = self.state.lookup(expr.name)
        if variable is not None and variable.is_ghost and not ctx.ghost:
            raise self.state.fail(
                GHOST,
                expr.span,
                "ghost variables are allowed only in specification contexts",
                "Compiled code cannot depend on ghost state: use it only in assertions, invariants, "
                "contracts and other ghost variables.",
            )
        if variable is None and expr.name in self.state.ctors:
            return self.construct(expr.name, (), expr.span, ctx, self.unique_datatype(expr.name, expr.span))
        if variable is None:
            decl = self.state.decls.get(expr.name)
            if isinstance(decl, ast.Function) and decl.constant:
                reference = ast.Call(span=expr.span, name=expr.name, name_span=expr.span, constant=True)
                return self.function_call(reference, ctx)
            if decl is not None:
                raise self.state.fail(
                    BAD_CALL,
                    expr.span,
                    f"'{expr.name}' is a {decl.kind_word}: call it with arguments",  # type: ignore[attr-defined]
                )
            raise self.state.fail(UNKNOWN_NAME, expr.span, f"unknown identifier '{expr.name}'")
        return dataclasses.replace(expr, ty=variable.ty, uid=variable.uid)

    def unary(self, expr: ast.Unary, ctx: Context) -> ast.Unary:
        operand = self.expr(expr.operand, ctx)
        if expr.op == "-" and ast.type_of(operand) == REAL:
            return dataclasses.replace(expr, operand=operand, ty=REAL)
        if expr.op == "-":
            self.state.expect(operand, INT, "the operand of unary '-'")
            return dataclasses.replace(expr, operand=operand, ty=INT)
        self.state.expect(operand, BOOL, "the operand of '!'")
        return dataclasses.replace(expr, operand=operand, ty=BOOL)

    def binary(self, expr: ast.Binary, ctx: Context) -> ast.Binary:
        left = self.expr(expr.left, ctx)
        right = self.expr(expr.right, ctx)
        op = expr.op
        if op in ("in", "!in"):
            return self.membership(expr, left, right)
        if ast.type_of(left).is_collection and op in ("+", "-", "*", "<", "<=", ">", ">="):
            return self.collection_operation(expr, left, right)
        if op in EQUALITY:
            return self.equality(expr, left, right)
        if REAL in (ast.type_of(left), ast.type_of(right)) and (op in ARITHMETIC or op in ORDERING):
            return self.real_operation(expr, left, right)
        operand_ty = INT if op in ARITHMETIC or op in ORDERING else BOOL
        self.state.expect(left, operand_ty, f"the left operand of '{op}'")
        self.state.expect(right, operand_ty, f"the right operand of '{op}'")
        ty = INT if op in ARITHMETIC else BOOL
        return dataclasses.replace(expr, left=left, right=right, ty=ty)

    def real_operation(self, expr: ast.Binary, left: ast.Expr, right: ast.Expr) -> ast.Binary:
        """Arithmetic and comparisons of reals: both operands real (an int is converted
        explicitly, `x as real`), no `%`; Dafny's messages."""
        op, left_ty, right_ty = expr.op, ast.type_of(left).base, ast.type_of(right).base
        if op == "%":
            raise self.state.fail(
                TYPE_MISMATCH,
                expr.op_span,
                f"arguments to % must be integer-numeric or bitvector types (got {left_ty})",
            )
        if left_ty != right_ty and op in ORDERING:
            raise self.state.fail(
                TYPE_MISMATCH,
                expr.op_span,
                f"arguments to {op} must have a common supertype (got {left_ty} and {right_ty})",
            )
        if left_ty != right_ty:
            raise self.state.fail(
                TYPE_MISMATCH,
                expr.op_span,
                f"type of right argument to {op} ({right_ty}) must agree with the result type ({left_ty})",
                "Convert explicitly: `x as real` is an int as a real, `r.Floor` a real rounded down.",
            )
        ty = REAL if op in ARITHMETIC else BOOL
        return dataclasses.replace(expr, left=left, right=right, ty=ty)

    def conversion(self, expr: ast.Conversion, ctx: Context) -> ast.Conversion:
        """`e as int` and `e as real` of an int or a real."""
        inner = self.expr(expr.expr, ctx)
        source = ast.type_of(inner).base
        target = {"int": INT, "real": REAL}.get(expr.target)
        if expr.target == "nat":
            raise self.state.fail(
                NOT_MINIDAFNY,
                expr.keyword_span,
                "conversions to `nat` are not part of MiniDafny",
                "MiniDafny converts between `int` and `real` only.",
            )
        if target is None:
            raise self.state.fail(
                TYPE_MISMATCH,
                expr.keyword_span,
                f"type conversions are not supported to this type (got {expr.target})",
            )
        if source not in (INT, REAL):
            raise self.state.fail(
                TYPE_MISMATCH,
                inner.span,
                f"type conversion to an {target}-based type is allowed only from numeric types (got {source})",
            )
        return dataclasses.replace(expr, expr=inner, ty=target)

    def floor(self, expr: ast.Member, obj: ast.Expr) -> ast.Conversion:
        """`r.Floor`: the greatest integer not above r."""
        return ast.Conversion(
            span=expr.span, expr=obj, target="int", floor=True, keyword_span=expr.name_span, ty=INT
        )

    def membership(self, expr: ast.Binary, left: ast.Expr, right: ast.Expr) -> ast.Binary:
        """`x in s`, `x !in s`."""
        op = expr.op
        container = self.state.expect_kind(right, ("seq", "set", "multiset"), f"the right operand of '{op}'")
        self.state.expect(left, container.element, f"the left operand of '{op}'")
        right = settle(right, Type(container.name, (ast.type_of(left).base,)))
        return dataclasses.replace(expr, left=left, right=right, ty=BOOL)

    def collection_operation(self, expr: ast.Binary, left: ast.Expr, right: ast.Expr) -> ast.Binary:
        """Concatenation, union, difference, intersection; subset and prefix comparisons."""
        op = expr.op
        left_ty, right_ty = ast.type_of(left), ast.type_of(right)
        self.state.expect_compatible(
            left_ty, right_ty, expr.op_span, f"'{op}' combines {left_ty} and {right_ty}"
        )
        if left_ty.name == "seq" and op != "+":
            raise self.state.fail(TYPE_MISMATCH, expr.op_span, f"'{op}' is not defined on sequences")
        joined = lub(left_ty, right_ty)  # every element comes from one of the operands
        ty = joined if op in ("+", "-", "*") else BOOL
        return dataclasses.replace(expr, left=settle(left, joined), right=settle(right, joined), ty=ty)

    def equality(self, expr: ast.Binary, left: ast.Expr, right: ast.Expr) -> ast.Binary:
        op = expr.op
        left_ty, right_ty = ast.type_of(left), ast.type_of(right)
        self.state.expect_compatible(
            left_ty,
            right_ty,
            expr.op_span,
            f"'{op}' compares values of different types: {left_ty.base} and {right_ty.base}",
        )
        if not (assignable(left_ty, right_ty) or assignable(right_ty, left_ty)):  # arrays are invariant
            raise self.state.fail(
                TYPE_MISMATCH,
                expr.op_span,
                f"arguments must have comparable types (got {left_ty} and {right_ty})",
                "An array<nat> and an array<int> are never the same array.",
            )
        left, right = settle(left, right_ty), settle(right, left_ty)
        return dataclasses.replace(expr, left=left, right=right, ty=BOOL)

    def if_then_else(self, expr: ast.IfThenElse, ctx: Context) -> ast.IfThenElse:
        cond = self.expr(expr.cond, ctx)
        self.state.expect(cond, BOOL, "the condition of if-then-else")
        then = self.expr(expr.then, ctx)
        else_ = self.expr(expr.else_, ctx)
        then_ty, else_ty = ast.type_of(then), ast.type_of(else_)
        self.state.expect_compatible(
            then_ty,
            else_ty,
            expr.span,
            f"the branches of if-then-else have different types: {then_ty.base} and {else_ty.base}",
        )
        ty = lub(then_ty, else_ty)
        then, else_ = settle(then, ty), settle(else_, ty)
        return dataclasses.replace(expr, cond=cond, then=then, else_=else_, ty=ty)

    def old(self, expr: ast.Old, ctx: Context) -> ast.Old:
        if not ctx.allow_old:
            where = "a function" if ctx.in_function else "a precondition"
            raise self.state.fail(BAD_OLD, expr.span, f"`old` is not allowed in {where}")
        inner = self.expr(expr.expr, ctx)
        return dataclasses.replace(expr, expr=inner, ty=ast.type_of(inner))

    # ------------------------------------------------------------ calls

    def function_call(self, call: ast.Call, ctx: Context) -> ast.Expr:
        if call.qualifier is not None:
            datatype = self.qualifying_datatype(call.qualifier, call.name, call.name_span)
            instance = self.state.datatype_type(call.qualifier, datatype) if call.qualifier.args else None
            return self.construct(call.name, call.args, call.span, ctx, datatype, instance)
        if call.name in self.state.ctors and self.state.lookup(call.name) is None:
            datatype = self.unique_datatype(call.name, call.name_span)
            return self.construct(call.name, call.args, call.span, ctx, datatype)
        callee = self.state.decls.get(call.name)
        if callee is None:
            raise self.state.fail(UNKNOWN_NAME, call.name_span, f"unknown function '{call.name}'")
        if isinstance(callee, ast.Method):
            raise self.state.fail(
                BAD_CALL,
                call.name_span,
                f"{callee.kind_word} '{callee.name}' cannot be called inside an expression",
                "A method or lemma call is a statement of its own: `var r := M(x);` or `L(x);`.",
            )
        assert isinstance(callee, ast.Function)
        if callee.constant:
            return self.constant(call, callee)
        args, type_args = self.arguments(call, callee, ctx)
        declared = BOOL if callee.is_predicate else self.state.types_in(callee, [callee.result_ref])[0]
        result = substitute(declared, dict(zip(callee.type_params, type_args, strict=True)))
        signature = (*self.state.types_in(callee, [param.type_ref for param in callee.params]), declared)
        return dataclasses.replace(
            call,
            args=args,
            type_args=type_args,
            type_params=callee.type_params,
            signature=signature if callee.type_params else (),
            ty=result,
        )

    def constant(self, call: ast.Call, callee: ast.Function) -> ast.Call:
        """`N` of `const N: int := 10`, which is named without parentheses."""
        if not call.constant:
            raise self.state.fail(
                BAD_CALL, call.span, f"'{call.name}' is a constant: name it without parentheses"
            )
        if callee.result_ref is None:
            raise self.state.fail(
                UNKNOWN_NAME,
                call.span,
                f"the type of constant '{call.name}' is not known here",
                f"Write its type: `const {call.name}: int := ...`.",
            )
        return dataclasses.replace(call, ty=self.state.types_in(callee, [callee.result_ref])[0])

    def arguments(
        self, call: ast.Call, callee: ast.Method | ast.Function, ctx: Context
    ) -> tuple[tuple[ast.Expr, ...], tuple[Type, ...]]:
        """The checked arguments, and the callee's type arguments inferred from them."""
        params, kind = callee.params, callee.kind_word
        if len(call.args) != len(params):
            raise self.state.fail(
                ARITY,
                call.span,
                f"{kind} '{call.name}' takes {len(params)} argument(s), but {len(call.args)} are given",
            )
        checked_args = []
        binding: dict[str, Type] = {}
        param_types = self.state.types_in(callee, [param.type_ref for param in params])
        for arg, param, param_ty in zip(call.args, params, param_types, strict=True):
            ghost_param = param.is_ghost or (isinstance(callee, ast.Method) and callee.is_ghost)
            checked = self.expr(arg, dataclasses.replace(ctx, ghost=True) if ghost_param else ctx)
            what = f"argument '{param.name}' of '{call.name}'"
            if not callee.type_params:
                self.state.expect(checked, param_ty, what)
            elif not infer(param_ty, ast.type_of(checked), callee.type_params, binding):
                raise self.state.fail(
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

    # ------------------------------------------------------------ datatypes

    def unique_datatype(self, ctor: str, span: Span) -> ast.Datatype:
        """The datatype of a constructor named without its datatype: Dafny requires the name to
        be declared by one datatype only, whatever type the context expects."""
        owners = self.state.shared_ctors.get(ctor)
        if owners:
            raise self.state.fail(
                UNKNOWN_NAME,
                span,
                f"the name '{ctor.rpartition('.')[2]}' denotes a datatype constructor, but does not do so uniquely; "
                f"add an explicit qualification (for example, '{owners[0].name}.{ctor.rpartition('.')[2]}')",
            )
        return self.state.ctors[ctor][0]

    def qualifying_datatype(self, qualifier: ast.TypeRef, ctor: str, span: Span) -> ast.Datatype:
        """The datatype of `D.C`, which must declare the constructor `C`."""
        datatype = self.state.decls.get(qualifier.name)
        if self.state.lookup(qualifier.name) is not None:
            raise self.state.fail(
                NOT_MINIDAFNY,
                span,
                f"calling a member of a value (`{qualifier.name}.{ctor}(...)`) is not part of MiniDafny",
            )
        if not isinstance(datatype, ast.Datatype):
            raise self.state.fail(UNKNOWN_NAME, qualifier.span, f"unknown datatype '{qualifier.name}'")
        if datatype.ctor(ctor) is None:
            raise self.state.fail(
                UNKNOWN_NAME, span, f"member '{ctor}' does not exist in type '{datatype.name}'"
            )
        return datatype

    def construct(
        self,
        name: str,
        args: tuple[ast.Expr, ...],
        span: Span,
        ctx: Context,
        datatype: ast.Datatype,
        instance: Type | None = None,
    ) -> ast.Construct:
        """`C(args)` of `datatype`; its instance inferred from the arguments, unless given
        (`List<nat>.Cons(...)`: then each argument is checked against its field's type there)."""
        ctor = datatype.ctor(name.rpartition(".")[2])  # `M.Nil`: the resolver's name of `Nil`
        assert ctor is not None
        if len(args) != len(ctor.fields):
            raise self.state.fail(
                ARITY,
                span,
                f"wrong number of arguments to datatype constructor '{name}' "
                f"(found {len(args)}, expected {len(ctor.fields)})",
            )
        field_types = self.state.field_types(datatype, ctor)
        checked = [self.expr(arg, ctx) for arg in args]
        binding: dict[str, Type] = {}
        if instance is not None:
            binding = self.binding_of(datatype, instance)
            field_types = [substitute(field_ty, binding) for field_ty in field_types]
        for arg, field_ty, item in zip(checked, field_types, ctor.fields, strict=True):
            if instance is not None:
                self.state.expect(arg, field_ty, f"argument '{item.name or name}' of constructor '{name}'")
            elif not infer(field_ty, ast.type_of(arg), datatype.type_params, binding):
                what = f"'{item.name}'" if item.name else "an argument"
                raise self.state.fail(
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
            span=span,
            datatype=datatype.name,
            ctor=ctor.name,
            args=settled,
            index=datatype.index(ctor.name),
            ty=ty,
        )

    def datatype_of(self, expr: ast.Expr, what: str) -> ast.Datatype:
        ty = ast.type_of(expr)
        datatype = self.state.decls.get(ty.name)
        if not isinstance(datatype, ast.Datatype):
            raise self.state.fail(
                TYPE_MISMATCH, expr.span, f"{what} must be a datatype value, but this is of type {ty}"
            )
        return datatype

    def binding_of(self, datatype: ast.Datatype, ty: Type) -> dict[str, Type]:
        return dict(zip(datatype.type_params, ty.args, strict=True))

    def member(self, expr: ast.Member, ctx: Context) -> ast.Destruct | ast.Construct | ast.Conversion:
        if self.names_datatype(expr.obj):  # `Color.Red`, `List.Nil`
            assert isinstance(expr.obj, ast.Name)
            qualifier = ast.TypeRef(span=expr.obj.span, name=expr.obj.name)
            datatype = self.qualifying_datatype(qualifier, expr.name, expr.name_span)
            return self.construct(expr.name, (), expr.span, ctx, datatype)
        obj = self.expr(expr.obj, ctx)
        ty = ast.type_of(obj)
        if ty == REAL and expr.name == "Floor":
            return self.floor(expr, obj)
        datatype = self.state.decls.get(ty.name)
        if not isinstance(datatype, ast.Datatype):
            hint = "Arrays have `.Length`; sequences have `|s|`." if ty.name in ("array", "seq") else ""
            raise self.state.fail(
                UNKNOWN_NAME, expr.name_span, f"type {ty} does not have a member '{expr.name}'", hint
            )
        owners = [ctor for ctor in datatype.ctors if any(item.name == expr.name for item in ctor.fields)]
        if not owners:
            raise self.state.fail(
                UNKNOWN_NAME, expr.name_span, f"type {ty} does not have a member '{expr.name}'"
            )
        index = next(i for i, item in enumerate(owners[0].fields) if item.name == expr.name)
        field_ty = substitute(
            self.state.field_types(datatype, owners[0])[index], self.binding_of(datatype, ty)
        )
        return ast.Destruct(
            span=expr.span,
            obj=obj,
            name=expr.name,
            ctors=tuple(ctor.name for ctor in owners),
            indices=tuple(datatype.index(ctor.name) for ctor in owners),
            name_span=expr.name_span,
            ty=field_ty,
        )

    def names_datatype(self, expr: ast.Expr) -> bool:
        """A name that is no variable in scope but a datatype's: the `D` of `D.C`."""
        return (
            isinstance(expr, ast.Name)
            and self.state.lookup(expr.name) is None
            and isinstance(self.state.decls.get(expr.name), ast.Datatype)
        )

    def is_ctor(self, expr: ast.IsCtor, ctx: Context) -> ast.IsCtor:
        obj = self.expr(expr.obj, ctx)
        datatype = self.datatype_of(obj, f"the value of `.{expr.ctor}?`")
        if datatype.ctor(expr.ctor) is None:
            raise self.state.fail(
                UNKNOWN_NAME,
                expr.name_span,
                f"member '{expr.ctor}?' does not exist in datatype '{datatype.name}'",
            )
        return dataclasses.replace(expr, obj=obj, index=datatype.index(expr.ctor), ty=BOOL)

    def pattern(self, pattern: ast.Pattern, ty: Type) -> ast.Pattern:
        """Check a pattern against the type of the value it matches; declares its variables."""
        if pattern.literal is not None:
            return self.literal_pattern(pattern, ty)
        datatype = self.state.decls.get(ty.name)
        is_ctor = isinstance(datatype, ast.Datatype) and datatype.ctor(pattern.name) is not None
        if pattern.args is None and not is_ctor:
            if pattern.name == "_":
                return dataclasses.replace(pattern, ty=ty)
            if self.names_constant(pattern):
                constant = self.state.decls[pattern.name]
                assert isinstance(constant, ast.Function)
                return self.constant_pattern(pattern, constant, ty)
            uid = self.state.declare(pattern.name, pattern.span, ty, "bound")
            return dataclasses.replace(pattern, uid=uid, ty=ty)
        if not is_ctor:
            where = f"datatype '{datatype.name}'" if isinstance(datatype, ast.Datatype) else f"type {ty}"
            raise self.state.fail(
                UNKNOWN_NAME, pattern.span, f"member '{pattern.name}' does not exist in {where}"
            )
        assert isinstance(datatype, ast.Datatype)
        ctor = datatype.ctor(pattern.name)
        assert ctor is not None
        args = pattern.args or ()
        if len(args) != len(ctor.fields):
            raise self.state.fail(
                ARITY,
                pattern.span,
                f"constructor '{ctor.name}' of arity {len(ctor.fields)} is applied to {len(args)} argument(s)",
            )
        binding = self.binding_of(datatype, ty)
        field_types = [substitute(field_ty, binding) for field_ty in self.state.field_types(datatype, ctor)]
        checked = tuple(self.pattern(arg, field_ty) for arg, field_ty in zip(args, field_types, strict=True))
        fields = tuple(ast.destructor_name(ctor, position) for position in range(len(ctor.fields)))
        return dataclasses.replace(
            pattern, args=checked, ctor=ctor.name, index=datatype.index(ctor.name), fields=fields, ty=ty
        )

    def constant_pattern(self, pattern: ast.Pattern, constant: ast.Function, ty: Type) -> ast.Pattern:
        """`case ZERO =>` of `const ZERO := 0`: the constant's value, as Dafny reads it, which
        must then be a literal."""
        value = _literal_value(constant.body)
        if value is None:
            raise self.state.fail(
                TYPE_MISMATCH,
                pattern.span,
                f"{pattern.name} is not initialized as a constant literal",
                f"A case names a constant only if its value is written as a literal (`const {pattern.name} := 1`).",
            )
        return self.literal_pattern(dataclasses.replace(pattern, literal=value), ty)

    def literal_pattern(self, pattern: ast.Pattern, ty: Type) -> ast.Pattern:
        """`0`, `-1`, `true`: a literal of the matched value's type."""
        is_bool = isinstance(pattern.literal, bool)
        if (ty == BOOL) != is_bool or not (is_bool or ty.is_numeric):
            raise self.state.fail(
                TYPE_MISMATCH,
                pattern.span,
                f"the pattern `{pattern.name}` cannot match a value of type {ty}",
            )
        return dataclasses.replace(pattern, ty=ty)

    def match_subject(self, subject: ast.Expr, patterns: list[ast.Pattern]) -> None:
        """What a match may take apart: a datatype value, or an int or bool matched against
        literals (with variables and `_`)."""
        ty = ast.type_of(subject)
        literal_match = any(
            pattern.literal is not None or self.names_constant(pattern) for pattern in patterns
        ) and all(
            pattern.args is None and (pattern.literal is not None or pattern.name not in self.state.ctors)
            for pattern in patterns
        )
        if (ty == BOOL or ty.is_numeric) and literal_match:
            return
        self.datatype_of(subject, "the value matched")

    def names_constant(self, pattern: ast.Pattern) -> bool:
        """`case ZERO =>` of a `const ZERO := 0` (see `constant_pattern`)."""
        found = self.state.decls.get(pattern.name)
        return pattern.args is None and isinstance(found, ast.Function) and found.constant

    def case(
        self, pattern: ast.Pattern, ty: Type, check: Callable[[Body, Context], Body], body: Body, ctx: Context
    ) -> tuple[ast.Pattern, Body]:
        """A case's pattern and body, checked in a scope of their own: the pattern's variables."""
        with self.state.scope():
            return self.pattern(pattern, ty), check(body, ctx)

    def match(self, expr: ast.Match, ctx: Context) -> ast.Match:
        subject = self.expr(expr.subject, ctx)
        self.match_subject(subject, [case.pattern for case in expr.cases])
        cases = []
        result = UNKNOWN
        for case in expr.cases:
            pattern, body = self.case(case.pattern, ast.type_of(subject), self.expr, case.body, ctx)
            self.state.expect_compatible(
                result,
                ast.type_of(body),
                body.span,
                f"the cases of a match have different types: {result.base} and {ast.type_of(body).base}",
            )
            result = lub(result, ast.type_of(body))
            cases.append(dataclasses.replace(case, pattern=pattern, body=body))
        settled = tuple(dataclasses.replace(case, body=settle(case.body, result)) for case in cases)
        return dataclasses.replace(expr, subject=subject, cases=settled, ty=result)

    # ------------------------------------------------------------ specification clauses

    def clauses(
        self, clauses: tuple[ast.SpecClause, ...], ctx: Context, what: str
    ) -> tuple[ast.SpecClause, ...]:
        return tuple(
            self.state.attempt(partial(self.clause, clause, ctx, what), clause) for clause in clauses
        )

    def clause(self, clause: ast.SpecClause, ctx: Context, what: str) -> ast.SpecClause:
        expr = self.expr(clause.expr, ctx)
        self.state.expect(expr, BOOL, what)
        return dataclasses.replace(clause, expr=expr)

    def decreases(self, decreases: ast.Decreases | None, ctx: Context) -> ast.Decreases | None:
        if decreases is None:
            return None
        exprs = tuple(self.expr(expr, ctx) for expr in decreases.exprs)
        return dataclasses.replace(decreases, exprs=exprs)

    def frame(self, exprs: tuple[ast.Expr, ...], ctx: Context, what: str) -> tuple[ast.Expr, ...]:
        checked = []
        for expr in exprs:
            typed = self.expr(expr, ctx)
            self.state.expect_kind(typed, ("array",), f"each item of {what}")
            checked.append(typed)
        return tuple(checked)


def _mentions(expr: ast.Expr, names: set[str]) -> bool:
    return any(isinstance(node, ast.Name) and node.name in names for node in ast.walk_expr(expr))


def _literal_value(expr: ast.Expr | None) -> int | bool | None:
    """The value of `0`, `-1` or `true`; None for anything else."""
    match expr:
        case ast.IntLit() | ast.BoolLit():
            return expr.value
        case ast.Unary(op="-", operand=ast.IntLit() as number):
            return -number.value
        case _:
            return None
