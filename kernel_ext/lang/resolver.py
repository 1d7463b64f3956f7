"""Names and types: Program -> CheckedProgram, with Dafny's rules for level 1.

The result is a new tree in which every expression has its type (`ty`) and every
variable occurrence its unique id (`uid`), so that shadowing is resolved once here.

This module is the driver and the public interface; the checks live in
`scopes.py` (names in scope, contexts, errors), `check_decls.py` (datatypes, methods,
functions), `check_stmts.py` (statements and ghost rules) and `check_exprs.py` (expressions,
calls, constructors, patterns and `match`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache, cached_property

from kernel_ext.lang import callgraph
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.check_decls import DeclChecker
from kernel_ext.lang.check_exprs import ARITHMETIC, EQUALITY, LOGICAL, ORDERING, Body, ExprChecker, settle
from kernel_ext.lang.check_stmts import ASSERT_BY_RULES, FORALL_RULES, HINT_RULES, StmtChecker
from kernel_ext.lang.diagnostics import BAD_CALL, DiagnosticError
from kernel_ext.lang.scopes import CheckState, Context, Variable

# The public names, some defined in the checker's parts and kept importable from here.
__all__ = [
    "ARITHMETIC",
    "ASSERT_BY_RULES",
    "EQUALITY",
    "FORALL_RULES",
    "HINT_RULES",
    "LOGICAL",
    "ORDERING",
    "Body",
    "CheckedProgram",
    "Context",
    "Variable",
    "number",
    "resolve",
    "settle",
]


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


def resolve(program: ast.Program) -> CheckedProgram:
    """Resolve names and check types; raises DiagnosticError listing every problem found."""
    state = CheckState(program)  # reports the names declared twice
    exprs = ExprChecker(state)
    checker = DeclChecker(state, exprs, StmtChecker(state, exprs))
    checker.check_constructible()
    checker.typed_constants()
    decls = [checker.declaration(decl) for decl in program.decls]
    _check_constant_cycles(state, dataclasses.replace(program, decls=tuple(decls)))
    if state.errors:
        unique = list(dict.fromkeys(state.errors))  # a bad signature is met again at each call
        raise DiagnosticError(sorted(unique, key=lambda d: (d.span.start_line, d.span.start_col)))
    return CheckedProgram(number(dataclasses.replace(program, decls=tuple(decls))))


def _check_constant_cycles(state: CheckState, program: ast.Program) -> None:
    """A constant's value may not depend on the constant itself (Dafny's resolution error,
    once per cycle)."""
    found = callgraph.components(program)
    reported: set[frozenset[str]] = set()
    for decl in program.decls:
        if not (isinstance(decl, ast.Function) and decl.constant):
            continue
        cycle = found.get(decl.name, frozenset())
        if cycle in reported:
            continue  # once per cycle, at its first constant
        reported.add(cycle)
        if len(cycle) > 1 or decl.name in callgraph.callees(decl):
            path = " -> ".join([decl.name, *sorted(cycle - {decl.name}), decl.name])
            state.error(
                BAD_CALL,
                decl.name_span,
                f"recursive dependency involving constant initialization: {path}",
                "A constant's value is computed once, from values known before it.",
            )


# The role of each node that has an identity, by its class or by the field that holds it.
_ROLE_OF_CLASS: dict[type, ast.Role] = {
    ast.Method: ast.Role.PROCEDURE,
    ast.Function: ast.Role.PROCEDURE,
    ast.While: ast.Role.LOOP,
    ast.ForLoop: ast.Role.LOOP,
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
    (ast.ForLoop, "invariants"): ast.Role.INVARIANT,
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
        if isinstance(value, ast.Call) and value.constant:
            role = None  # `N` of a constant: a name in the program as parsed, so no id
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
