"""Mutants of a program: small edits of its text, found through its syntax tree.

Each operator looks for the places it applies to in the parsed program and rewrites the
text at their spans, so a mutant differs from its seed in one place and keeps the rest
exactly as written. A mutant need not be a valid program: one the front end refuses is
counted and set aside by the campaign.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.reals import ZERO, show_real
from kernel_ext.lang.source import SourceFile, Span

COMPARISONS = {
    "<": ("<=", ">"),
    "<=": ("<", ">="),
    ">": (">=", "<"),
    ">=": (">", "<="),
    "==": ("!=",),
    "!=": ("==",),
}
ARITHMETIC = {"+": ("-",), "-": ("+",)}
LOGIC = {"&&": ("||",), "||": ("&&",)}
TIGHTER = {"<=": "<", ">=": ">", "<": "<=", ">": ">=", "==": "!=", "!=": "=="}
COLLECTIONS = ("seq", "set", "multiset", "array")


@dataclass(frozen=True)
class Edit:
    """Replace the text at `span` by `text` (an empty span inserts)."""

    span: Span
    text: str


@dataclass(frozen=True)
class Mutant:
    seed: str
    operator: str
    description: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.seed} [{self.operator}: {self.description}]"


class Program:
    """A seed's text and syntax tree, with the edits that make mutants of it."""

    def __init__(self, name: str, text: str, parse: Callable[[SourceFile], ast.Program]) -> None:
        self.name = name
        self.source = SourceFile(name, text)
        self.tree = parse(self.source)
        starts = [0]
        for line in text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        self._line_starts = starts

    def offset(self, line: int, col: int) -> int:
        return self._line_starts[line - 1] + col - 1

    def text_at(self, span: Span) -> str:
        return self.source.text[self.offset(span.start_line, span.start_col) : self.end(span)]

    def end(self, span: Span) -> int:
        return self.offset(span.end_line, span.end_col)

    def apply(self, *edits: Edit) -> str:
        text = self.source.text
        for edit in sorted(
            edits, key=lambda e: self.offset(e.span.start_line, e.span.start_col), reverse=True
        ):
            start = self.offset(edit.span.start_line, edit.span.start_col)
            text = text[:start] + edit.text + text[self.end(edit.span) :]
        return text

    def nodes(self) -> Iterator[object]:
        return walk(self.tree)


def walk(root: object) -> Iterator[object]:
    """Every syntax node under `root`, parents before children, in source order."""
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend(reversed(node))
        elif dataclasses.is_dataclass(node) and not isinstance(node, Span | type):
            yield node
            stack.extend(
                reversed([getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "ty"])
            )


Operator = Callable[[Program], Iterator[tuple[str, str]]]  # (description, mutant text)


def _replace_operators(table: dict[str, tuple[str, ...]]) -> Operator:
    def operator(program: Program) -> Iterator[tuple[str, str]]:
        for node in program.nodes():
            if isinstance(node, ast.Binary) and node.op in table:
                if program.text_at(node.op_span) != node.op:
                    continue  # a chained comparison's shared operand, or a desugared form
                for other in table[node.op]:
                    where = node.op_span.start_line
                    yield f"line {where}: {node.op} -> {other}", program.apply(Edit(node.op_span, other))

    return operator


def comparisons(program: Program) -> Iterator[tuple[str, str]]:
    return _replace_operators(COMPARISONS)(program)


def arithmetic(program: Program) -> Iterator[tuple[str, str]]:
    return _replace_operators(ARITHMETIC)(program)


def logic(program: Program) -> Iterator[tuple[str, str]]:
    return _replace_operators(LOGIC)(program)


def constants(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        if isinstance(node, ast.IntLit) and program.text_at(node.span) == str(node.value):
            for value in dict.fromkeys((node.value + 1, node.value - 1, 0)):
                if value != node.value:
                    shown = str(value) if value >= 0 else f"({value})"
                    line = node.span.start_line
                    yield f"line {line}: {node.value} -> {value}", program.apply(Edit(node.span, shown))
        if isinstance(node, ast.RealLit) and program.text_at(node.span) == show_real(node.value):
            yield from _real_constants(program, node)


def _real_constants(program: Program, node: ast.RealLit) -> Iterator[tuple[str, str]]:
    """A real literal one or one half up or down, or 0.0: `1.5` -> `2.5`, `1.0`, `0.0`."""
    half = Fraction(1, 2)
    for value in dict.fromkeys((node.value + 1, node.value - 1, node.value + half, node.value - half, ZERO)):
        if value != node.value:
            shown = show_real(value) if value >= 0 else f"({show_real(value)})"
            line = node.span.start_line
            yield f"line {line}: {show_real(node.value)} -> {shown}", program.apply(Edit(node.span, shown))


def literal_patterns(program: Program) -> Iterator[tuple[str, str]]:
    """A literal `case` pattern matching another value: `case 0` -> `case 1`, `true` -> `false`."""
    for node in program.nodes():
        if isinstance(node, ast.Pattern) and node.literal is not None:
            if isinstance(node.literal, bool):
                others: tuple[str, ...] = ("false" if node.literal else "true",)
            else:
                others = tuple(str(value) for value in (node.literal + 1, node.literal - 1))
            for other in others:
                line = node.span.start_line
                yield f"line {line}: case {node.name} -> case {other}", program.apply(Edit(node.span, other))


def indices(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        if isinstance(node, ast.Index):
            index = program.text_at(node.index.span)
            for change in ("+ 1", "- 1"):
                line = node.span.start_line
                mutated = f"({index}) {change}"
                yield f"line {line}: [{index}] -> [{mutated}]", program.apply(Edit(node.index.span, mutated))


def _clauses(program: Program) -> Iterator[tuple[str, Span]]:
    for node in program.nodes():
        if isinstance(node, ast.Method | ast.Function):
            for kind in ("requires", "ensures"):
                for clause in getattr(node, kind):
                    yield kind, clause.span
            if node.decreases is not None and node.decreases.exprs:
                yield "decreases", node.decreases.span
        elif isinstance(node, ast.While):
            for clause in node.invariants:
                yield "invariant", clause.span
            if node.decreases is not None and node.decreases.exprs:
                yield "decreases", node.decreases.span


def dropped_clauses(program: Program) -> Iterator[tuple[str, str]]:
    for kind, span in _clauses(program):
        if program.text_at(span).startswith(kind):
            yield f"line {span.start_line}: no {kind}", program.apply(Edit(span, ""))


def _blocks(program: Program) -> Iterator[ast.Block]:
    for node in program.nodes():
        if isinstance(node, ast.Block):
            yield node


def swapped_statements(program: Program) -> Iterator[tuple[str, str]]:
    for block in _blocks(program):
        for first, second in zip(block.stmts, block.stmts[1:], strict=False):
            yield (
                f"lines {first.span.start_line} and {second.span.start_line} swapped",
                _swap(program, first, second),
            )


def dropped_statements(program: Program) -> Iterator[tuple[str, str]]:
    for block in _blocks(program):
        for stmt in block.stmts:
            if not isinstance(stmt, ast.VarDecl):  # a dropped declaration only breaks the names
                yield f"line {stmt.span.start_line}: statement dropped", program.apply(Edit(stmt.span, ""))


def swapped_branches(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        if isinstance(node, ast.If) and isinstance(node.else_, ast.Block):
            yield f"line {node.span.start_line}: branches swapped", _swap(program, node.then, node.else_)
        elif isinstance(node, ast.IfThenElse):
            yield (
                f"line {node.span.start_line}: if-expression branches swapped",
                _swap(program, node.then, node.else_),
            )


def made_ghost(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        if isinstance(node, ast.VarDecl) and not any(v.is_ghost for v in node.variables):
            names = ", ".join(v.name for v in node.variables)
            yield (
                f"line {node.span.start_line}: ghost var {names}",
                program.apply(_insert(node.span, "ghost ")),
            )
        elif isinstance(node, ast.Method) and not node.is_lemma and not node.is_ghost:
            for param in (*node.params, *node.returns):
                if not param.is_ghost:
                    yield f"{node.name}: ghost {param.name}", program.apply(_insert(param.span, "ghost "))


def nat_type_arguments(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        inner: tuple[ast.TypeRef, ...] = ()
        if isinstance(node, ast.TypeRef) and (node.name in COLLECTIONS or node.name[:1].isupper()):
            inner = node.args
        elif isinstance(node, ast.NewArray):
            inner = (node.element_ref,)
        for arg in inner:
            if arg.name == "int" and program.text_at(arg.span) == "int":
                line = arg.span.start_line
                yield f"line {line}: int -> nat in a type argument", program.apply(Edit(arg.span, "nat"))


def stronger_ensures(program: Program) -> Iterator[tuple[str, str]]:
    for node in program.nodes():
        if not isinstance(node, ast.Method | ast.Function) or node.body is None:
            continue
        for clause in node.ensures:
            yield from _tightened(program, clause)
        body_start = program.offset(node.body.span.start_line, node.body.span.start_col)
        brace = program.source.text.rfind("{", 0, body_start + 1)
        line = program.source.text.count("\n", 0, brace) + 1
        col = brace - program.source.text.rfind("\n", 0, brace)
        for extra in _extra_postconditions(node):
            yield (
                f"{node.name}: ensures {extra}",
                program.apply(_insert(Span.point(line, col), f"ensures {extra}\n")),
            )


def _tightened(program: Program, clause: ast.SpecClause) -> Iterator[tuple[str, str]]:
    """`ensures E` and also E with one comparison tightened."""
    clause_text = program.text_at(clause.span)
    keyword = "ensures"
    if not clause_text.startswith(keyword):
        return
    expr_text = clause_text[len(keyword) :].strip()
    expr_start = program.end(clause.span) - len(expr_text)
    for node in walk(clause.expr):
        if isinstance(node, ast.Binary) and node.op in TIGHTER and program.text_at(node.op_span) == node.op:
            at = program.offset(node.op_span.start_line, node.op_span.start_col) - expr_start
            other = expr_text[:at] + TIGHTER[node.op] + expr_text[at + len(node.op) :]
            line = clause.span.start_line
            yield (
                f"line {line}: ensures also with {node.op} -> {TIGHTER[node.op]}",
                program.apply(Edit(clause.span, f"{keyword} ({expr_text}) && ({other})")),
            )


def _extra_postconditions(decl: ast.Method | ast.Function) -> list[str]:
    if isinstance(decl, ast.Function):
        call = f"{decl.name}({', '.join(param.name for param in decl.params)})"
        results = [(call, "bool" if decl.is_predicate else decl.result_ref.name if decl.result_ref else "")]
    else:
        results = [(param.name, param.type_ref.name) for param in decl.returns]
    extra = []
    for name, type_name in results:
        if type_name in ("int", "nat"):
            extra += [f"{name} != 0", f"{name} > 1"]
        elif type_name == "bool":
            extra += [name, f"!{name}"]
    return extra


def _swap(program: Program, first: ast.Stmt | ast.Expr, second: ast.Stmt | ast.Expr) -> str:
    return program.apply(
        Edit(first.span, program.text_at(second.span)), Edit(second.span, program.text_at(first.span))
    )


def _insert(span: Span, text: str) -> Edit:
    return Edit(Span(span.start_line, span.start_col, span.start_line, span.start_col), text)


OPERATORS: dict[str, Operator] = {
    "comparison": comparisons,
    "constant": constants,
    "arithmetic": arithmetic,
    "logic": logic,
    "index": indices,
    "literal-pattern": literal_patterns,
    "drop-clause": dropped_clauses,
    "swap-statements": swapped_statements,
    "drop-statement": dropped_statements,
    "swap-branches": swapped_branches,
    "ghost": made_ghost,
    "nat-type-argument": nat_type_arguments,
    "stronger-ensures": stronger_ensures,
}


def mutants_of(name: str, text: str, parse: Callable[[SourceFile], ast.Program]) -> Iterator[Mutant]:
    """Every mutant of one program by every operator, each text once."""
    program = Program(name, text, parse)
    seen = {text}
    for operator_name, operator in OPERATORS.items():
        for description, mutated in operator(program):
            if mutated not in seen:
                seen.add(mutated)
                yield Mutant(name, operator_name, description, mutated)
