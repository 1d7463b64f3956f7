"""Tables of loop iterations: what a loop's variables, invariants and `decreases` are at each
visit of its head, on one run of the method.

Row 0 is the state on entry to the loop, row k the state after k iterations. Each
invariant (each `invariant` clause) is shown true, false or "cannot evaluate"; the first
false one is marked: it is what the verifier reports as not holding on entry (row 0) or
not maintained (a later row).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.printer import plural, show_expr
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import loop_measure
from kernel_ext.lang.source import SourceFile
from kernel_ext.run.inputs import choose_inputs
from kernel_ext.run.interp import (
    DEFAULT_STEP_LIMIT,
    EvaluationFailed,
    LoopProbe,
    Outcome,
    RunResult,
    execute,
    find_method,
)
from kernel_ext.run.values import show_value

CANNOT_EVALUATE = "cannot evaluate"
MARK = "*"


@dataclass(frozen=True)
class LoopRow:
    """One visit of the loop head: `entry` counts the times the loop was started (an inner
    loop starts again in each iteration of the outer one), `iteration` the iterations of
    this start that have finished."""

    entry: int
    iteration: int
    values: tuple[str, ...]
    invariants: tuple[str, ...]
    decreases: str
    violated: int | None = None


@dataclass(frozen=True)
class LoopTable:
    method: str
    loop_line: int
    condition: str
    inputs: tuple[tuple[str, str], ...]
    inputs_chosen: bool
    columns: tuple[str, ...]
    invariant_texts: tuple[str, ...]
    decreases_text: str
    rows: tuple[LoopRow, ...]
    first_violation: tuple[int, int] | None
    omitted: int
    outcome: Outcome | None
    message: str

    def to_text(self) -> str:
        """The table as aligned plain text, with the inputs, the invariants and how the run ended."""
        return "\n".join(_render(self))


# ------------------------------------------------------------------ building


def loops_of(method: ast.Method) -> list[ast.While]:
    """The loops of a method body in source order, nested ones included."""
    if method.body is None:
        return []
    return [stmt for stmt in ast.walk_stmts(method.body) if isinstance(stmt, ast.While)]


def find_loop(method: ast.Method, loop_line: int | None, loop_id: ast.NodeId | None = None) -> ast.While:
    """The loop a user names by its line (the command line's `--table LINE`), or a view by
    its id; the method's first loop if neither is given."""
    loops = loops_of(method)
    if not loops:
        raise ValueError(f"{method.name} has no loop")
    if loop_id is not None:
        found = [loop for loop in loops if loop.nid == loop_id]
        if not found:
            raise ValueError(f"{method.name} has no loop {loop_id}")
        return found[0]
    if loop_line is None:
        return loops[0]
    for loop in loops:
        if loop.span.start_line == loop_line:
            return loop
    lines = ", ".join(str(loop.span.start_line) for loop in loops)
    raise ValueError(f"{method.name} has no loop at line {loop_line} (its loops are at line {lines})")


@dataclass
class _Recorder:
    """Called at each visit of the loop head; keeps the rows."""

    invariants: tuple[ast.SpecClause, ...]
    measure: tuple[ast.Expr, ...]
    max_rows: int
    rows: list[LoopRow] = field(default_factory=list)
    columns: dict[str, None] = field(default_factory=dict)
    raw: list[dict[str, str]] = field(default_factory=list)
    entries: int = 0
    omitted: int = 0
    first_violation: tuple[int, int] | None = None

    def __call__(self, probe: LoopProbe) -> None:
        if probe.iteration == 0:
            self.entries += 1
        truths = tuple(_truth(probe, clause.expr) for clause in self.invariants)
        violated = next((index for index, truth in enumerate(truths) if truth == "false"), None)
        keep = len(self.rows) < self.max_rows or (violated is not None and self.first_violation is None)
        if not keep:
            self.omitted += 1
            return
        variables = dict(probe.variables())
        self.columns.update(dict.fromkeys(variables))
        self.raw.append(variables)
        row = LoopRow(self.entries, probe.iteration, (), truths, self.decreases_at(probe), violated)
        self.rows.append(row)
        if violated is not None and self.first_violation is None:
            self.first_violation = (len(self.rows) - 1, violated)

    def decreases_at(self, probe: LoopProbe) -> str:
        shown = []
        for expr in self.measure:
            try:
                shown.append(show_value(probe.evaluate(expr)))
            except EvaluationFailed:
                shown.append(CANNOT_EVALUATE)
        return shown[0] if len(shown) == 1 else ", ".join(shown)

    def finished_rows(self) -> tuple[LoopRow, ...]:
        columns = list(self.columns)
        return tuple(
            LoopRow(
                row.entry,
                row.iteration,
                tuple(values.get(column, "") for column in columns),
                row.invariants,
                row.decreases,
                row.violated,
            )
            for row, values in zip(self.rows, self.raw, strict=True)
        )


def _truth(probe: LoopProbe, expr: ast.Expr) -> str:
    try:
        return "true" if probe.evaluate(expr) else "false"
    except EvaluationFailed:
        return CANNOT_EVALUATE


def loop_table(
    checked: CheckedProgram,
    method: str,
    args: Mapping[str, object] | None,
    loop_line: int | None = None,
    *,
    loop_id: ast.NodeId | None = None,
    max_rows: int = 50,
    step_limit: int = DEFAULT_STEP_LIMIT,
    source: SourceFile | None = None,
) -> LoopTable:
    """Run `method` on `args` (or, if None, on the first small inputs that satisfy its
    precondition) and tabulate the loop `loop_id`, or the one at `loop_line` (default: its
    first loop).

    Raises ValueError if there is no such method or loop, or the arguments do not fit.
    """
    decl = find_method(checked, method)
    loop = find_loop(decl, loop_line, loop_id)
    chosen = args is None
    inputs = choose_inputs(checked, method) if args is None else dict(args)
    measure = loop_measure(loop) or ()
    base = {
        "method": method,
        "loop_line": loop.span.start_line,
        "condition": loop_condition(loop, source),
        "inputs_chosen": chosen,
        "invariant_texts": tuple(_text(clause.expr, source) for clause in loop.invariants),
        "decreases_text": _decreases_text(loop, measure, source),
    }
    if inputs is None:
        return LoopTable(
            **base,
            inputs=(),
            columns=(),
            rows=(),
            first_violation=None,
            omitted=0,
            outcome=None,
            message="no small input satisfies the precondition: give the inputs",
        )
    shown_inputs = tuple((name, show_value(value)) for name, value in inputs.items())
    recorder = _Recorder(loop.invariants, measure, max_rows)
    result = execute(checked, method, inputs, step_limit=step_limit, source=source, observer=(loop, recorder))
    return LoopTable(
        **base,
        inputs=shown_inputs,
        columns=tuple(recorder.columns),
        rows=recorder.finished_rows(),
        first_violation=recorder.first_violation,
        omitted=recorder.omitted,
        outcome=result.outcome,
        message=_ending(result, bool(recorder.rows)),
    )


def loop_condition(loop: ast.While, source: SourceFile | None) -> str:
    """`i < n` for a while loop; `for i := 0 to n` (its header) for a for loop."""
    if isinstance(loop, ast.ForLoop):
        direction = "downto" if loop.downto else "to"
        return f"for {loop.index.name} := {_text(loop.start, source)} {direction} {_text(loop.end, source)}"
    return _text(loop.cond, source)


def loop_heading(condition: str) -> str:
    return condition if condition.startswith("for ") else f"while {condition}"


def _decreases_text(loop: ast.While, measure: tuple[ast.Expr, ...], source: SourceFile | None) -> str:
    if isinstance(loop, ast.ForLoop):
        index, bound = loop.index.name, _text(loop.lo if loop.downto else loop.hi, source)
        bound = f"({bound})" if " " in bound else bound
        return f"{index} - {bound} (implicit)" if loop.downto else f"{bound} - {index} (implicit)"
    if loop.decreases is None:
        return f"{show_expr(measure[0])} (guessed)" if measure else ""
    return ", ".join(_text(expr, source) for expr in measure)


def _text(expr: ast.Expr, source: SourceFile | None) -> str:
    if source is not None and expr.span.start_line > 0:
        found = source.text_of(expr.span)
        if found:
            return found
    return show_expr(expr)


def _ending(result: RunResult, reached: bool) -> str:
    if not reached and result.outcome is Outcome.OK:
        return "the run finished without reaching the loop"
    if result.outcome is Outcome.OK:
        return "the run finished normally"
    if result.violation is not None:
        where = result.violation.span
        return f"the run stopped at line {where.start_line}: {result.violation.message} ({result.violation.detail})"
    return f"the run stopped: {result.message}"


# ------------------------------------------------------------------ rendering


def _render(table: LoopTable) -> Iterator[str]:
    yield f"Loop at line {table.loop_line} of {table.method}: {loop_heading(table.condition)}"
    if table.inputs:
        given = ", ".join(f"{name} = {value}" for name, value in table.inputs)
        how = " (chosen automatically: the first small inputs that satisfy the precondition)"
        yield f"inputs: {given}{how if table.inputs_chosen else ''}"
    elif table.inputs_chosen and table.outcome is None:
        yield "inputs: none found"
    for index, text in enumerate(table.invariant_texts, start=1):
        yield f"  inv {index}: {text}"
    if table.decreases_text:
        yield f"  decreases: {table.decreases_text}"
    yield ""
    if table.rows:
        yield from _grid(table)
    if table.omitted:
        yield f"({plural(table.omitted, 'more row')} not shown)"
    if table.first_violation is not None:
        row, invariant = table.first_violation
        found = table.rows[row]
        yield (
            f"{MARK} invariant {invariant + 1} is first false at iteration {found.iteration}"
            + (" (on entry)" if found.iteration == 0 else "")
        )
    yield table.message


def _grid(table: LoopTable) -> Iterator[str]:
    several_entries = len({row.entry for row in table.rows}) > 1
    headers = (["entry"] if several_entries else []) + ["iter", *table.columns]
    headers += [f"inv {index}" for index in range(1, len(table.invariant_texts) + 1)]
    if table.decreases_text:
        headers.append("decreases")
    lines = [headers]
    for position, row in enumerate(table.rows):
        cells = ([str(row.entry)] if several_entries else []) + [str(row.iteration), *row.values]
        for index, truth in enumerate(row.invariants):
            marked = table.first_violation == (position, index)
            cells.append(f"{truth}{MARK}" if marked else truth)
        if table.decreases_text:
            cells.append(row.decreases)
        lines.append(cells)
    widths = [max(len(line[column]) for line in lines) for column in range(len(headers))]
    for number, line in enumerate(lines):
        yield " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        if number == 0:
            yield "-+-".join("-" * width for width in widths)
