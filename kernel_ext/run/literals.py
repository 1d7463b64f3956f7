"""Values written as MiniDafny literals (`3`, `-2`, `true`, `[1, 2]`, `{1, 2}`,
`multiset{1, 1}`, `Cons(1, Nil)`), parsed with the language's grammar and checked against a
parameter's type. An array parameter takes the literal of its contents: `[3, 1, 2]`; a
datatype parameter a constructor application of the program's datatypes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.modules import with_constructors
from kernel_ext.lang.parser import parse_expression
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.types import Type, assignable, seq_of
from kernel_ext.run.interp import EvaluationFailed, evaluate_constant
from kernel_ext.run.values import ArrayValue

LITERAL_METHOD = "literal"


@dataclass(frozen=True)
class LiteralProblem:
    """Why a literal was refused, and where in its text."""

    source: SourceFile
    span: Span
    message: str


class LiteralError(Exception):
    def __init__(self, problem: LiteralProblem):
        super().__init__(problem.message)
        self.problem = problem


def parse_literal(
    text: str, ty: Type, label: str = "<argument>", datatypes: Iterable[ast.Datatype] = ()
) -> object:
    """The value `text` denotes, of type `ty`; raises LiteralError (with a position in the
    text) if it is not a MiniDafny expression of that type without variables. `datatypes`
    are the program's, whose constructors the text may use."""
    source = SourceFile(label, text)
    try:
        expr = parse_expression(source)
    except DiagnosticError as error:
        first = error.diagnostics[0]
        raise LiteralError(LiteralProblem(source, first.span, first.message)) from None
    whole = expr.span
    if isinstance(expr, ast.NewArray):
        raise LiteralError(LiteralProblem(source, whole, "write an array by its contents, e.g. [0, 0, 0]"))
    known = tuple(datatypes)
    method, typed = _type_check(with_constructors(expr, known), source, known)
    expected = seq_of(ty.element) if ty.name == "array" else ty
    actual = ast.type_of(typed)
    if not assignable(expected, actual):
        found = f"of type {actual.base}"
        wanted = f"{ty} (written as its contents, a {expected})" if ty.name == "array" else str(ty)
        raise LiteralError(
            LiteralProblem(source, whole, f"expected a value of type {wanted}, but this is {found}")
        )
    try:
        value = evaluate_constant(_program(method, known), method, typed)
    except EvaluationFailed as failed:
        raise LiteralError(LiteralProblem(source, whole, f"this has no value: {failed}")) from None
    if ty.name == "array":
        return ArrayValue(value)  # type: ignore[arg-type]
    return value


def _type_check(
    expr: ast.Expr, source: SourceFile, datatypes: tuple[ast.Datatype, ...]
) -> tuple[ast.Method, ast.Expr]:
    """Type-check the expression as the initialiser of a variable in a method of its own."""
    span = expr.span
    local = ast.LocalVar(span=span, name="value")
    body = ast.Block(span=span, stmts=(ast.VarDecl(span=span, variables=(local,), rhs=(expr,)),))
    method = ast.Method(span=span, name=LITERAL_METHOD, name_span=span, body=body)
    try:
        checked = resolve(ast.Program(span=span, decls=(method, *datatypes)))
    except DiagnosticError as error:
        first = error.diagnostics[0]
        raise LiteralError(LiteralProblem(source, first.span, first.message)) from None
    typed_method = checked.program.decls[0]
    assert isinstance(typed_method, ast.Method) and typed_method.body is not None
    declaration = typed_method.body.stmts[0]
    assert isinstance(declaration, ast.VarDecl)
    return typed_method, declaration.rhs[0]


def _program(method: ast.Method, datatypes: tuple[ast.Datatype, ...]) -> CheckedProgram:
    return CheckedProgram(ast.Program(span=method.span, decls=(method, *datatypes)))
