"""The declarations: datatypes (each needs a value built without itself), and the signatures,
contracts and bodies of methods and functions.

`DeclChecker.declaration` returns the checked declaration, or the declaration as written after
an error that makes the rest of it meaningless (the error is in the shared state).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.check_exprs import ExprChecker, settle
from kernel_ext.lang.check_stmts import StmtChecker
from kernel_ext.lang.diagnostics import DUPLICATE_NAME, TYPE_MISMATCH, UNKNOWN_NAME
from kernel_ext.lang.scopes import Abort, CheckState, Context
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import BOOL, Type, assignable


def _refs_grounded(ref: ast.TypeRef, datatypes: dict[str, ast.Datatype], grounded: set[str]) -> bool:
    """Whether a value of the written type can be built without the datatypes not yet grounded
    (collections can be empty, so their element types do not matter)."""
    if ref.name in datatypes:
        return ref.name in grounded
    return True


def _type_ref(ty: Type, span: Span) -> ast.TypeRef:
    return ast.TypeRef(span=span, name=ty.name, args=tuple(_type_ref(arg, span) for arg in ty.args))


@dataclass
class DeclChecker:
    """Checks one declaration at a time: its own scopes and type parameters, then its parts."""

    state: CheckState
    exprs: ExprChecker
    stmts: StmtChecker

    def check_constructible(self) -> None:
        """Every datatype needs a value built without itself: `datatype Bad = B(Bad)` has none,
        and its axioms would contradict each other (an endless chain of smaller values)."""
        datatypes = {decl.name: decl for decl in self.state.program.datatypes()}
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
            self.state.error(
                TYPE_MISMATCH,
                datatypes[name].name_span,
                f"because of cyclic dependencies among constructor argument types, no instances of "
                f"datatype '{name}' can be constructed",
                "Give it a constructor whose arguments do not need a value of the datatype itself, "
                "like `Nil` or `Leaf`.",
            )

    def typed_constants(self) -> None:
        """Gives each constant written without a type (`const N := 10`) the type of its value,
        before any use of it is checked, as Dafny infers it (in order: a constant's value may
        name the constants before it)."""
        untyped = [
            decl
            for decl in self.state.program.decls
            if isinstance(decl, ast.Function) and decl.constant and decl.result_ref is None
        ]
        progress = True
        while untyped and progress:  # a value may name a constant declared after it
            progress = False
            for decl in list(untyped):
                ty = self.value_type(decl)
                if ty is not None:
                    self.state.decls[decl.name] = dataclasses.replace(
                        decl, result_ref=_type_ref(ty, decl.name_span)
                    )
                    untyped.remove(decl)
                    progress = True

    def value_type(self, constant: ast.Function) -> Type | None:
        """The type of a constant's value, if it type-checks (its errors are reported when the
        constant itself is checked)."""
        if constant.body is None:
            return None
        errors_before, counter = len(self.state.errors), self.state.counter
        self.state.scopes = [{}]
        try:
            return ast.type_of(
                self.exprs.expr(constant.body, Context(constant, ghost=True, in_function=True))
            )
        except Abort:
            return None
        finally:
            del self.state.errors[errors_before:]
            self.state.counter = counter
            self.state.scopes = []

    def declaration(self, decl: ast.Decl) -> ast.Decl:
        if isinstance(decl, ast.Function) and decl.constant:
            decl = self.state.decls.get(decl.name, decl)
        self.state.scopes = [{}]
        try:
            if isinstance(decl, ast.Method):
                return self.method(decl)
            if isinstance(decl, ast.Function):
                return self.function(decl)
            if isinstance(decl, ast.Datatype):
                return self.datatype(decl)
            if isinstance(decl, ast.TypeSynonym):
                self.state.types_in(decl, [decl.rhs])
                return decl
            if isinstance(decl, ast.SubsetType):
                return self.subset_type(decl)
        except Abort:
            pass
        finally:
            self.state.scopes = []
            self.state.type_params = ()
        return decl

    def datatype(self, datatype: ast.Datatype) -> ast.Datatype:
        self.state.type_params = datatype.type_params
        field_types: dict[str, Type] = {}
        ctors = []
        for ctor in datatype.ctors:
            fields = []
            for item in ctor.fields:
                ty = self.state.type_of_ref(item.type_ref)
                if item.name and field_types.setdefault(item.name, ty) != ty:
                    raise self.state.fail(
                        TYPE_MISMATCH,
                        item.span,
                        f"shared destructor '{item.name}' has different types in different constructors",
                    )
                fields.append(dataclasses.replace(item, ty=ty))
            names = [item.name for item in ctor.fields if item.name]
            if len(set(names)) != len(names):
                raise self.state.fail(
                    DUPLICATE_NAME, ctor.span, f"duplicate destructor name in '{ctor.name}'"
                )
            ctors.append(dataclasses.replace(ctor, fields=tuple(fields)))
        return dataclasses.replace(datatype, ctors=tuple(ctors))

    def subset_type(self, decl: ast.SubsetType) -> ast.SubsetType:
        """The constraint, checked as the body of a predicate of the bound variable (so it may
        mention only that variable and functions), and the witness, a value of the parent type."""
        ty = self.state.declared_type(ast.TypeRef(span=decl.name_span, name=decl.name), decl)
        assert decl.var.type_ref is not None and ty.parent is not None
        param = ast.Param(span=decl.var.span, name=decl.var.name, type_ref=decl.var.type_ref)
        unchecked = ast.Function(
            span=decl.span,
            name=decl.name,
            name_span=decl.name_span,
            is_predicate=True,
            params=(param,),
            body=decl.constraint,
        )
        params = self.params(unchecked.params, "in")
        ctx = Context(unchecked, ghost=True, in_function=True)
        body = self.exprs.expr(decl.constraint, ctx)
        if ast.type_of(body).base != BOOL:
            raise self.state.fail(
                TYPE_MISMATCH,
                body.span,
                f"subset-type constraint must be of type bool (instead got {ast.type_of(body)})",
            )
        predicate = dataclasses.replace(unchecked, params=params, body=settle(body, BOOL), result_ty=BOOL)
        witness = decl.witness
        if witness is not None:
            self.state.scopes = [{}]
            witness = self.exprs.expr(witness, Context(predicate, ghost=True, in_function=True))
            if not assignable(ty.parent, ast.type_of(witness)):
                raise self.state.fail(
                    TYPE_MISMATCH,
                    witness.span,
                    f"witness expression must have type '{ty.parent}' (got '{ast.type_of(witness)}')",
                )
            witness = settle(witness, ty.parent)
        var = dataclasses.replace(decl.var, uid=param.name, ty=ty.parent)
        return dataclasses.replace(
            decl, var=var, constraint=predicate.body, witness=witness, ty=ty, predicate=predicate
        )

    def method(self, method: ast.Method) -> ast.Method:
        self.state.type_params = method.type_params
        params = self.params(method.params, "in", ghost=method.is_ghost)
        spec_ctx = Context(method, ghost=True)
        requires = self.exprs.clauses(method.requires, spec_ctx, "a precondition")
        decreases = self.state.attempt(
            lambda: self.exprs.decreases(method.decreases, spec_ctx), method.decreases
        )
        self.state.scopes.append({})
        returns = self.params(method.returns, "out", ghost=method.is_ghost)
        ensures = self.exprs.clauses(
            method.ensures, dataclasses.replace(spec_ctx, allow_old=True), "a postcondition"
        )
        modifies = self.state.attempt(
            lambda: self.exprs.frame(method.modifies, spec_ctx, "a modifies clause"), method.modifies
        )
        body = None
        if method.body is not None:
            body_ctx = Context(method, allow_old=True, ghost=method.is_ghost)
            self.state.scopes.append({})
            body = self.stmts.block_stmts(method.body, body_ctx)
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

    def function(self, function: ast.Function) -> ast.Function:
        self.state.type_params = function.type_params
        params = self.params(function.params, "in")
        if function.constant and function.result_ref is None:  # its value did not type-check
            errors_before = len(self.state.errors)
            if function.body is not None:
                self.exprs.expr(function.body, Context(function, ghost=True, in_function=True))
            if len(self.state.errors) == errors_before:
                self.state.error(
                    UNKNOWN_NAME,
                    function.name_span,
                    f"the type of constant '{function.name}' cannot be inferred",
                    f"Write its type: `const {function.name}: int := ...`.",
                )
            raise Abort()
        result_ty = BOOL if function.is_predicate else self.state.type_of_ref(function.result_ref)
        ctx = Context(function, ghost=True, in_function=True)
        requires = self.exprs.clauses(function.requires, ctx, "a precondition")
        decreases = self.state.attempt(
            lambda: self.exprs.decreases(function.decreases, ctx), function.decreases
        )
        reads = self.state.attempt(
            lambda: self.exprs.frame(function.reads, ctx, "a reads clause"), function.reads
        )
        ensures = self.exprs.clauses(function.ensures, ctx, "a postcondition")
        body = None
        if function.body is not None:
            body = self.state.attempt(
                partial(self.function_body, function, function.body, result_ty, ctx), function.body
            )
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

    def function_body(
        self, function: ast.Function, body: ast.Expr, result_ty: Type, ctx: Context
    ) -> ast.Expr:
        checked = self.exprs.expr(body, ctx)
        part = "value" if function.constant else "body"
        self.state.expect(checked, result_ty, f"the {part} of {function.kind_word} '{function.name}'")
        return settle(checked, result_ty)

    def params(self, params: tuple[ast.Param, ...], role: str, ghost: bool = False) -> tuple[ast.Param, ...]:
        checked = []
        for param in params:
            ty = self.state.type_of_ref(param.type_ref)
            self.state.declare(param.name, param.span, ty, role, param.is_ghost or ghost)
            checked.append(dataclasses.replace(param, ty=ty))
        return tuple(checked)
