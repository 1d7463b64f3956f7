"""Expressions and statement heads written back as MiniDafny text, with only the
parentheses Dafny's binding levels need: for traces and tables when the source text is not
at hand, and for the formulas of `%%wp` (built as expressions from Z3's terms). A comparison
chain of the source (`0 <= i < n`) is written as a chain.
"""

from __future__ import annotations

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.reals import show_real
from kernel_ext.lang.source import NO_SPAN

# Dafny's binding levels, loosest first: `if ... then ... else` and quantifiers (ENDLESS)
# extend as far right as they can.
ENDLESS, EQUIV, IMPLIES, LOGIC, COMPARE, SUM, PRODUCT, UNARY, POSTFIX = range(9)
PRECEDENCE = {
    "<==>": EQUIV,
    "==>": IMPLIES,
    "<==": IMPLIES,
    "&&": LOGIC,
    "||": LOGIC,
    "<": COMPARE,
    "<=": COMPARE,
    ">": COMPARE,
    ">=": COMPARE,
    "==": COMPARE,
    "!=": COMPARE,
    "in": COMPARE,
    "!in": COMPARE,
    "+": SUM,
    "-": SUM,
    "*": PRODUCT,
    "/": PRODUCT,
    "%": PRODUCT,
}
COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}


def show_type(ref: ast.TypeRef) -> str:
    if not ref.args:
        return ref.name
    return f"{ref.name}<{', '.join(show_type(arg) for arg in ref.args)}>"


def show_expr(expr: ast.Expr) -> str:
    """The expression as MiniDafny text, with only the parentheses it needs."""
    return _show(expr)


def show_operand(expr: ast.Expr, needed: int) -> str:
    """The expression as an operand that binds at least as tightly as `needed` (a level
    above), parenthesised if it does not."""
    return _wrapped(expr, needed)


def _level(expr: ast.Expr) -> int:
    if isinstance(expr, ast.Binary):
        return COMPARE if chain_links(expr) is not None else PRECEDENCE[expr.op]
    if isinstance(expr, ast.Unary):
        return UNARY
    if isinstance(expr, ast.IntLit | ast.RealLit) and expr.value < 0:
        return UNARY
    if isinstance(expr, ast.Conversion) and not expr.floor:
        return PRODUCT  # `e as T` binds tighter than `*` only
    if isinstance(expr, ast.IfThenElse | ast.Quantifier | ast.Match | ast.Let):
        return ENDLESS
    return POSTFIX


def _wrapped(expr: ast.Expr, needed: int) -> str:
    text = _show(expr)
    return text if _level(expr) >= needed else f"({text})"


def _show(expr: ast.Expr) -> str:
    if isinstance(expr, ast.IntLit):
        return str(expr.value)
    if isinstance(expr, ast.BoolLit):
        return "true" if expr.value else "false"
    if isinstance(expr, ast.RealLit):
        return show_real(expr.value)
    if isinstance(expr, ast.Conversion) and not expr.floor:
        return f"{_wrapped(expr.expr, UNARY)} as {expr.target}"
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Unary):
        return f"{expr.op}{_wrapped(expr.operand, UNARY)}"
    if isinstance(expr, ast.Binary):
        return _show_binary(expr)
    if isinstance(expr, ast.IfThenElse):
        return f"if {_show(expr.cond)} then {_show(expr.then)} else {_show(expr.else_)}"
    if isinstance(expr, ast.Quantifier):
        word = "forall" if expr.is_forall else "exists"
        bound = ", ".join(
            var.name + (f": {show_type(var.type_ref)}" if var.type_ref else "") for var in expr.bound
        )
        return f"{word} {bound} :: {_show(expr.body)}"
    if isinstance(expr, ast.Match):
        cases = " ".join(f"case {show_pattern(case.pattern)} => {_show(case.body)}" for case in expr.cases)
        return f"match {_show(expr.subject)} {cases}"
    if isinstance(expr, ast.Let):
        return _show_let(expr)
    return _show_postfix(expr)


def _show_let(expr: ast.Let) -> str:
    names = ", ".join(
        var.name + (f": {show_type(var.type_ref)}" if var.type_ref else "") for var in expr.variables
    )
    return f"var {names} := {', '.join(_show(value) for value in expr.values)}; {_show(expr.body)}"


def show_pattern(pattern: ast.Pattern) -> str:
    """A case pattern as written: `Cons(x, _)`, `Nil`, `t`."""
    if not pattern.args:
        return pattern.name
    return f"{pattern.name}({', '.join(show_pattern(arg) for arg in pattern.args)})"


def _show_postfix(expr: ast.Expr) -> str:
    if isinstance(expr, ast.Call) and expr.constant:
        return expr.name
    if isinstance(expr, ast.Call):
        return f"{expr.name}({', '.join(_show(arg) for arg in expr.args)})"
    if isinstance(expr, ast.Old):
        return f"old({_show(expr.expr)})"
    if isinstance(expr, ast.Fresh):
        return f"fresh({_show(expr.expr)})"
    if isinstance(expr, ast.Index):
        return f"{_wrapped(expr.seq, POSTFIX)}[{_show(expr.index)}]"
    if isinstance(expr, ast.Slice):
        lo = _show(expr.lo) if expr.lo is not None else ""
        hi = _show(expr.hi) if expr.hi is not None else ""
        return f"{_wrapped(expr.seq, POSTFIX)}[{lo}..{hi}]"
    if isinstance(expr, ast.SeqUpdate):
        return f"{_wrapped(expr.seq, POSTFIX)}[{_show(expr.index)} := {_show(expr.value)}]"
    if isinstance(expr, ast.Length):
        return f"{_wrapped(expr.array, POSTFIX)}.Length"
    if isinstance(expr, ast.Cardinality):
        return f"|{_show(expr.expr)}|"
    if isinstance(expr, ast.SeqDisplay):
        return "[" + ", ".join(_show(e) for e in expr.elements) + "]"
    if isinstance(expr, ast.SetDisplay):
        return "{" + ", ".join(_show(e) for e in expr.elements) + "}"
    if isinstance(expr, ast.MultisetDisplay):
        return "multiset{" + ", ".join(_show(e) for e in expr.elements) + "}"
    if isinstance(expr, ast.MultisetOf):
        return f"multiset({_show(expr.expr)})"
    if isinstance(expr, ast.NewArray):
        return f"new {show_type(expr.element_ref)}[{_show(expr.size)}]"
    if isinstance(expr, ast.Construct):
        return f"{expr.ctor}({', '.join(_show(arg) for arg in expr.args)})" if expr.args else expr.ctor
    if isinstance(expr, ast.Destruct | ast.Member):
        return f"{_wrapped(expr.obj, POSTFIX)}.{expr.name}"
    if isinstance(expr, ast.IsCtor):
        return f"{_wrapped(expr.obj, POSTFIX)}.{expr.ctor}?"
    if isinstance(expr, ast.Conversion):
        return f"{_wrapped(expr.expr, POSTFIX)}.Floor"
    return "?"


def _show_binary(expr: ast.Binary) -> str:
    chain = chain_links(expr)
    if chain is not None:
        text = _wrapped(chain[0].left, COMPARE + 1)
        for link in chain:
            text += f" {link.op} {_wrapped(link.right, COMPARE + 1)}"
        return text
    level = PRECEDENCE[expr.op]
    if expr.op in ("&&", "||"):
        left = _show_logical_operand(expr.left, expr.op)
        right = _show_logical_operand(expr.right, expr.op, right=True)
        return f"{left} {expr.op} {right}"
    if expr.op == "==>":
        return f"{_wrapped(expr.left, level + 1)} ==> {_wrapped(expr.right, level)}"
    if expr.op == "<==>":  # associative, but clearer with the grouping shown
        return f"{_wrapped(expr.left, level + 1)} <==> {_wrapped(expr.right, level + 1)}"
    if expr.op in COMPARISONS or expr.op in ("in", "!in"):
        return f"{_wrapped(expr.left, level + 1)} {expr.op} {_wrapped(expr.right, level + 1)}"
    return f"{_wrapped(expr.left, level)} {expr.op} {_wrapped(expr.right, level + 1)}"


def _show_logical_operand(expr: ast.Expr, op: str, right: bool = False) -> str:
    """`&&` and `||` cannot be mixed without parentheses; a chain of one of them can."""
    same = isinstance(expr, ast.Binary) and expr.op == op and chain_links(expr) is None
    if same and not right:
        return _show(expr)
    return _wrapped(expr, COMPARE)


def chain_links(expr: ast.Expr) -> list[ast.Binary] | None:
    """The links of a comparison chain as the parser builds it (`a <= b && b < c`, where the
    two `b` are one operand of the text), or None."""
    if not isinstance(expr, ast.Binary):
        return None
    if expr.op in COMPARISONS:
        return [expr]
    if expr.op != "&&" or not isinstance(expr.right, ast.Binary) or expr.right.op not in COMPARISONS:
        return None
    left = chain_links(expr.left)
    if left is None:
        return None
    shared_left, shared_right = left[-1].right, expr.right.left
    if shared_left != shared_right or shared_left.span != shared_right.span or shared_left.span == NO_SPAN:
        return None  # two operands, or expressions that no text holds
    return [*left, expr.right]


def show_stmt_head(stmt: ast.Stmt) -> str:
    """A statement on one line: a simple statement whole, a compound one by its head."""
    if isinstance(stmt, ast.VarDecl):
        names = ", ".join(
            ("ghost " if var.is_ghost else "")
            + var.name
            + (f": {show_type(var.type_ref)}" if var.type_ref else "")
            for var in stmt.variables
        )
        if not stmt.rhs:
            return f"var {names};"
        return f"var {names} := {', '.join(_show(e) for e in stmt.rhs)};"
    if isinstance(stmt, ast.SuchThat):
        declared = ", ".join(
            var.name + (f": {show_type(var.type_ref)}" if var.type_ref else "") for var in stmt.variables
        )
        lhs = f"var {declared}" if stmt.variables else ", ".join(_show(t) for t in stmt.targets)
        return f"{lhs} :| {_show(stmt.condition)};"
    if isinstance(stmt, ast.Assign):
        targets = ", ".join(_show(t) for t in stmt.targets)
        return f"{targets} := {', '.join(_show(e) for e in stmt.rhs)};"
    if isinstance(stmt, ast.CallStmt):
        return f"{_show(stmt.call)};"
    if isinstance(stmt, ast.Assert):
        return f"assert {_show(stmt.expr)};"
    if isinstance(stmt, ast.Assume):
        return f"assume {_show(stmt.expr)};"
    if isinstance(stmt, ast.Return):
        return "return;" if not stmt.values else f"return {', '.join(_show(e) for e in stmt.values)};"
    if isinstance(stmt, ast.If):
        return f"if {_show(stmt.cond)}"
    if isinstance(stmt, ast.While):
        return f"while {_show(stmt.cond)}"
    if isinstance(stmt, ast.MatchStmt):
        return f"match {_show(stmt.subject)}"
    if isinstance(stmt, ast.Calc):
        return f"calc {stmt.op} {{ ... }}" if stmt.op else "calc { ... }"
    if isinstance(stmt, ast.ForallStmt):
        bound = ", ".join(var.name for var in stmt.bound)
        return f"forall {bound} | {_show(stmt.range)}" if stmt.range is not None else f"forall {bound}"
    if isinstance(stmt, ast.AssertBy):
        return f"assert {_show(stmt.expr)} by {{ ... }}"
    return "{ ... }"


def plural(count: int, noun: str, nouns: str = "") -> str:
    """`1 error`, `2 errors` (`nouns` when the plural is not `noun` + s)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
