"""Where a method returns, in words.

Dafny reports a postcondition that fails on one return path at a token of that path: the
`{` of the branch the method leaves through, an `if` without `else` whose condition was
false, a `case`, a loop the body ends with, a `return`, or the body's own `{`. The report
keeps that position (it is Dafny's), and the views say what it stands for:
"when Max returns after the then branch (line 5)".
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.source import Span


def return_path(method: ast.Method, at: Span) -> str:
    """The words for the return path a postcondition check at `at` stands for ("" if `at` is
    none of the method's return positions)."""
    if method.body is None:
        return ""
    point = (at.start_line, at.start_col)
    for position, words in _paths(method.body, tail=True):
        if position == point:
            return f"when {_short(method.name)} returns {words}"
    return ""


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]  # `M.Max` of a module: the method's own name


def _start(node: ast.Stmt | ast.MatchStmtCase | ast.Block) -> tuple[int, int]:
    return (node.span.start_line, node.span.start_col)


def _last_line(block: ast.Block) -> int:
    return block.stmts[-1].span.end_line if block.stmts else block.span.start_line


def _paths(block: ast.Block, tail: bool) -> Iterator[tuple[tuple[int, int], str]]:
    """Each return position in a block, with its words; `tail`: the block ends the method."""
    for stmt in ast.walk_stmts(block):
        if isinstance(stmt, ast.Return):
            yield _start(stmt), f"at the return on line {stmt.span.start_line}"
    if tail:
        yield _start(block), f"at the end of its body (line {block.span.end_line})"
        yield from _tail_paths(block)


def _tail_paths(block: ast.Block) -> Iterator[tuple[tuple[int, int], str]]:
    """The positions of the branches the method's last statement leaves through."""
    last = block.stmts[-1] if block.stmts else None
    match last:
        case ast.If():
            yield from _if_paths(last)
        case ast.MatchStmt():
            for case in last.cases:
                yield (
                    _start(case),
                    f"after the case on line {case.span.start_line} (line {_last_line(case.body)})",
                )
                yield from _tail_paths(case.body)
        case ast.Block():
            yield _start(last), f"at the end of the block on line {last.span.start_line}"
            yield from _tail_paths(last)
        case ast.While():
            yield _start(last), f"after the loop on line {last.span.start_line}"
        case _:
            return


def _if_paths(stmt: ast.If) -> Iterator[tuple[tuple[int, int], str]]:
    line = stmt.span.start_line
    yield _start(stmt.then), f"after the then branch of the if on line {line} (line {_last_line(stmt.then)})"
    yield from _tail_paths(stmt.then)
    match stmt.else_:
        case ast.If():
            yield from _if_paths(stmt.else_)
        case ast.Block():
            words = f"after the else branch of the if on line {line} (line {_last_line(stmt.else_)})"
            yield _start(stmt.else_), words
            yield from _tail_paths(stmt.else_)
        case None:
            yield _start(stmt), f"when the condition of the if on line {line} is false"
