"""Who calls whom, and the strongly connected components that recursion lives in."""

from __future__ import annotations

from collections.abc import Iterator

from kernel_ext.lang import syntax as ast


def calls_in_expr(expr: ast.Expr) -> Iterator[str]:
    if isinstance(expr, ast.Call):
        yield expr.name
    for child in ast.expr_children(expr):
        yield from calls_in_expr(child)


def calls_in_stmt(stmt: ast.Stmt) -> Iterator[str]:
    for inner in ast.walk_stmts(stmt):
        for expr in ast.stmt_exprs(inner):
            yield from calls_in_expr(expr)


def callees(decl: ast.Decl) -> set[str]:
    found: set[str] = set()
    if isinstance(decl, ast.Function):
        exprs = [clause.expr for clause in (*decl.requires, *decl.ensures)]
        if decl.body is not None:
            exprs.append(decl.body)
        for expr in exprs:
            found.update(calls_in_expr(expr))
    elif isinstance(decl, ast.Method) and decl.body is not None:
        found.update(calls_in_stmt(decl.body))
    return found


def components(program: ast.Program) -> dict[str, frozenset[str]]:
    """Map each declaration's name to its strongly connected component (Tarjan)."""
    graph = {decl.name: callees(decl) for decl in program.decls}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, frozenset[str]] = {}

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in graph:
                continue
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            component = frozenset(members)
            for member in members:
                result[member] = component

    for name in graph:
        if name not in index:
            visit(name)
    return result
