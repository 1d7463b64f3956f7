"""`minidafny run FILE.dfy --method M --args A1 A2 ... [--steps N] [--table [LINE]]`.

Runs one method on the given inputs (MiniDafny literals, one per parameter, in order; a
collection is one argument, so quote it: '[1, 2, 3]'), checking its contracts as it goes,
and prints the results or the first check that failed, as Dafny prints an error. Without
`--args`, the first small inputs that satisfy the precondition are used. `--table` prints
the iterations of a loop (the first one, or the one at LINE).

Exit codes: 0 the run finished, 1 a check failed or the run could not finish (step limit,
too deep, cannot evaluate, a false assumption), 2 the inputs or the file are not valid,
3 an internal error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import Diagnostic, DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.printer import plural
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.run.inputs import choose_inputs, example_value
from kernel_ext.run.interp import DEFAULT_STEP_LIMIT, Outcome, RunResult, run_method
from kernel_ext.run.literals import LiteralError, parse_literal
from kernel_ext.run.loops import LoopTable, loop_table
from kernel_ext.run.values import ArrayValue, show_value

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERNAL = 3

STOPPED = {
    Outcome.ASSUMPTION_FALSE: "Assumption false",
    Outcome.CANNOT_EVALUATE: "Cannot evaluate",
    Outcome.STEP_LIMIT: "Step limit",
    Outcome.TOO_DEEP: "Too deep",
}


class _InputProblem(Exception):
    """The command cannot run: the lines to print say why."""

    def __init__(self, lines: list[str]):
        super().__init__(lines[0] if lines else "")
        self.lines = lines


def run_command(args: argparse.Namespace) -> int:
    """Carry out `run` as parsed by the CLI's parser (`kernel_ext.cli`); prints, returns the
    exit code."""
    try:
        source, checked = _load(args.file)
        method = _choose_method(checked, args.method)
        inputs, chosen = _inputs(checked, method, args.args)
    except _InputProblem as problem:
        for line in problem.lines:
            print(line)
        return EXIT_INPUT_ERROR
    if args.table is not None:
        return _print_table(checked, method, inputs, chosen, args, source)
    shown = ", ".join(f"{name} = {show_value(value)}" for name, value in inputs.items())
    print(f"Running {method.name}({shown})" + (" (inputs chosen automatically)" if chosen else ""))
    result = run_method(checked, method.name, inputs, step_limit=_steps(args), source=source)
    return _print_result(result, method, inputs, source)


def _steps(args: argparse.Namespace) -> int:
    return DEFAULT_STEP_LIMIT if args.steps is None else args.steps


# ------------------------------------------------------------------ inputs


def _load(path: Path) -> tuple[SourceFile, CheckedProgram]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise _InputProblem([f"{path}(1,1): Error: cannot read the file: {reason}"]) from None
    source = SourceFile(str(path), text)
    try:
        return source, resolve(parse(source))
    except DiagnosticError as error:
        raise _InputProblem(_diagnostic_lines(source.name, error.diagnostics)) from None


def _diagnostic_lines(file: str, diagnostics: list[Diagnostic]) -> list[str]:
    """Parse and type errors as the `verify` command prints them."""
    lines: list[str] = []
    for diagnostic in diagnostics:
        lines.append(f"{_where(file, diagnostic.span)}: Error: {diagnostic.message}")
        if diagnostic.hint:
            lines.append(f"    {diagnostic.hint}")
    lines += ["", f"{plural(len(diagnostics), 'parse/type error')} detected in {file}"]
    return lines


def _where(file: str, span: Span) -> str:
    return f"{file}({span.start_line},{span.start_col})"


def _choose_method(checked: CheckedProgram, name: str | None) -> ast.Method:
    methods = checked.program.methods()
    if name is None and isinstance(checked.decl("Main"), ast.Method):
        name = "Main"  # as a compiled Dafny program starts
    if name is None and len(methods) == 1:
        return methods[0]
    names = ", ".join(method.name for method in methods) or "none"
    if name is None:
        raise _InputProblem(
            [f"Error: there is no method Main: say which method to run with --method (the methods: {names})"]
        )
    found = checked.decl(name)
    if not isinstance(found, ast.Method):
        raise _InputProblem([f"Error: there is no method or lemma named '{name}' (the methods: {names})"])
    return found


def _inputs(
    checked: CheckedProgram, method: ast.Method, texts: list[str] | None
) -> tuple[dict[str, object], bool]:
    if texts is None and method.params:
        chosen = choose_inputs(checked, method.name)
        if chosen is None:
            raise _InputProblem(
                [f"Error: no small input satisfies the precondition of {method.name}: give them with --args"]
            )
        return chosen, True
    texts = texts or []
    if len(texts) != len(method.params):
        wanted = ", ".join(f"{param.name}: {ast.type_of(param)}" for param in method.params) or "none"
        raise _InputProblem(
            [
                f"Error: {method.name} takes {plural(len(method.params), 'argument')} ({wanted}), "
                f"but {len(texts)} given",
                "    Give one literal per parameter; quote collections: --args 3 '[1, 2, 3]'",
            ]
        )
    values: dict[str, object] = {}
    for number, (param, text) in enumerate(zip(method.params, texts, strict=True), start=1):
        label = f"argument {number} ({param.name})"
        try:
            values[param.name] = parse_literal(text, ast.type_of(param), label, checked.program.datatypes())
        except LiteralError as error:
            problem = error.problem
            raise _InputProblem(
                [
                    f"{label}, line {problem.span.start_line}, column {problem.span.start_col}: "
                    f"Error: {problem.message}",
                    problem.source.excerpt(problem.span),
                    f"    {param.name} is a {ast.type_of(param)}: write e.g. {_example(checked, param)}",
                ]
            ) from None
    return values, False


def _example(checked: CheckedProgram, param: ast.Param) -> str:
    examples = {"int": "-3", "nat": "3", "bool": "true", "seq": "'[1, 2, 3]'", "array": "'[1, 2, 3]'"}
    examples |= {"set": "'{1, 2}'", "multiset": "'multiset{1, 1, 2}'"}
    examples |= {"real": "-2.5"}
    ty = ast.type_of(param)
    if isinstance(checked.decl(ty.name), ast.Datatype):
        value = example_value(checked, ty)
        return f"'{show_value(value)}'" if value is not None else "a constructor application"
    return examples.get(ty.name, "a literal")


# ------------------------------------------------------------------ output


def _print_result(
    result: RunResult, method: ast.Method, inputs: dict[str, object], source: SourceFile
) -> int:
    if result.output:  # what the program printed, before how the run ended
        print(result.output, end="" if result.output.endswith("\n") else "\n")
    if result.outcome is Outcome.OK:
        for name, value in result.returns.items():
            print(f"{name} = {show_value(value)}")
        for name, value in inputs.items():
            if isinstance(value, ArrayValue):
                print(f"{name} = {show_value(value)}   (the array's contents after the run)")
        print(f"Finished in {result.steps:,} steps: every check on the way held.")
        return EXIT_OK
    if result.outcome is Outcome.VIOLATION and result.violation is not None:
        for line in violation_lines(result, source):
            print(line)
        return EXIT_FAILED
    if result.outcome is Outcome.INVALID_INPUT:
        where = f"{_where(source.name, result.span)}: " if result.span else ""
        print(f"{where}Invalid input: {result.message}")
        return EXIT_INPUT_ERROR
    if result.outcome is Outcome.INTERNAL:
        print(f"Internal error: {result.message}")
        return EXIT_INTERNAL
    where = f"{_where(source.name, result.span)}: " if result.span else ""
    print(f"{where}{STOPPED.get(result.outcome, 'Stopped')}: {result.message}")
    return EXIT_FAILED


def violation_lines(result: RunResult, source: SourceFile) -> list[str]:
    """A violation as Dafny prints an error, then what the run saw, in plain words."""
    violation = result.violation
    assert violation is not None
    lines = [f"{_where(source.name, violation.span)}: Error: {violation.message}"]
    related_text = violation.kind.related_message or "Related location"
    if violation.description:
        related_text = f"{related_text.rstrip('.')}: {violation.description}"
    for span in violation.related:
        lines.append(f"{_where(source.name, span)}: Related location: {related_text}")
    lines.append(f"At run time, in {violation.owner}: {violation.detail}.")
    lines.append(f"    {violation.kind.explanation}")
    return lines


def _print_table(
    checked: CheckedProgram,
    method: ast.Method,
    inputs: dict[str, object],
    chosen: bool,
    args: argparse.Namespace,
    source: SourceFile,
) -> int:
    try:
        table = loop_table(
            checked,
            method.name,
            None if chosen else inputs,
            args.table or None,
            step_limit=_steps(args),
            source=source,
        )
    except ValueError as error:
        print(f"Error: {error}")
        return EXIT_INPUT_ERROR
    print(table.to_text())
    return _table_exit_code(table)


def _table_exit_code(table: LoopTable) -> int:
    if table.outcome is None or table.outcome is Outcome.INVALID_INPUT:
        return EXIT_INPUT_ERROR
    if table.outcome is Outcome.OK:
        return EXIT_OK
    if table.outcome is Outcome.INTERNAL:
        return EXIT_INTERNAL
    return EXIT_FAILED
