"""`%%verify`: verify a notebook cell, with the declarations of earlier cells in scope.

The `%%verify` cells of a notebook form one program: each cell's declarations are kept,
and a later declaration of the same name replaces the earlier one. A cell is verified
together with the other cells' declarations, written after it, so that the line numbers
the student sees are the cell's own. Only the cell's own declarations are reported in
full; a declaration of an earlier cell that now fails (it depends on something this cell
redefined) is named in one line. Output goes to rich display and stdout only, never
stderr, and the magic never raises: a solver limit, a parse error or a huge cell all end
with a readable output. The one exception is an interrupt (the stop button): Z3 is stopped,
nothing unfinished is cached, and the cell ends as interrupted, in one line (`Interrupted`).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
from dataclasses import dataclass, field

from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.display import display

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.modules import declared_names, item_key
from kernel_ext.lang.parser import parse, parse_expression, parse_items
from kernel_ext.lang.printer import plural
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.pipeline import Options, OutcomeCache, verify
from kernel_ext.present.views import ReportView
from kernel_ext.present.widget import ReportWidget
from kernel_ext.present.wp_magic import register as register_wp
from kernel_ext.present.wp_magic import reporting_interrupts
from kernel_ext.report import VerificationReport
from kernel_ext.run.interp import Outcome, run_method
from kernel_ext.run.literals import LiteralError, parse_literal
from kernel_ext.run.values import show_value
from kernel_ext.verify.limits import Limits

CELL_NAME = "cell"
NOT_ATTEMPTED = "raise NotImplementedError()"  # the stub nbgrader leaves in a cleared solution


@dataclass
class NotebookProgram:
    """The declarations of the notebook's `%%verify` cells so far, by name, as text."""

    declarations: dict[str, str] = field(default_factory=dict)
    outcomes: OutcomeCache = field(default_factory=OutcomeCache)
    reports: dict[tuple[str, Options], VerificationReport] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)  # declarations that did not verify last time

    def program_text(self, cell: str, own: set[str]) -> str:
        """The cell first (its lines stay its own), then every other known declaration."""
        others = [decl for name, decl in self.declarations.items() if name not in own]
        return "\n\n".join([cell, *others])

    def check(self, cell: str, options: Options, own: set[str]) -> VerificationReport:
        whole = self.program_text(cell, own)
        key = (whole, options)
        report = self.reports.get(key)
        if report is None:  # interrupted, `verify` raises: no report, no interrupted check kept
            report = verify(whole, CELL_NAME, options, self.outcomes)
            self.reports[key] = report
        if not any(d.span.start_line <= _line_count(cell) for d in report.diagnostics):
            self.remember(cell)
        if not report.diagnostics:
            self.failing = {ob.owner for ob in report.errors}
        return report

    def remember(self, cell: str) -> None:
        """The cell's top-level items, each whole (a module with everything in it)."""
        source = SourceFile(CELL_NAME, cell)
        try:
            program = parse_items(source)
        except DiagnosticError:
            return
        for decl in program.decls:
            self.declarations[item_key(decl)] = _exact_text(source, decl.span)


def _exact_text(source: SourceFile, span) -> str:  # noqa: ANN001 - a Span
    """The text a span covers, line breaks kept: a `//` comment ends at its line."""
    lines = source.lines()
    if span.start_line == span.end_line:
        return lines[span.start_line - 1][span.start_col - 1 : span.end_col - 1]
    parts = [lines[span.start_line - 1][span.start_col - 1 :], *lines[span.start_line : span.end_line - 1]]
    return "\n".join([*parts, lines[span.end_line - 1][: span.end_col - 1]])


def _declared_names(cell: str) -> set[str]:
    """The names of the cell's top-level items and of every declaration in them (`M.F`)."""
    try:
        return declared_names(parse_items(SourceFile(CELL_NAME, cell)))
    except DiagnosticError:
        return set()


def _line_count(cell: str) -> int:
    return cell.count("\n") + 1


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%%verify", add_help=False, exit_on_error=False)
    parser.add_argument("--method", dest="only")
    parser.add_argument("--rlimit", type=int, default=Limits.rlimit)
    parser.add_argument("--timeout", type=float, default=Limits.timeout_ms / 1000)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--no-widget", dest="widget", action="store_false")
    parser.add_argument("--run", dest="call")
    return parser


@magics_class
class VerifyMagics(Magics):
    def __init__(self, shell=None) -> None:  # noqa: ANN001 - IPython's own signature
        super().__init__(shell)
        self.program = NotebookProgram()

    @cell_magic
    def verify(self, line: str, cell: str) -> None:
        """Verify the MiniDafny in this cell (options: --method NAME, --rlimit N,
        --timeout SECONDS, --trace, --no-widget, --run "M(args)")."""
        with reporting_interrupts("%%verify"):
            try:
                self._verify(line, cell)
            except Exception as error:  # noqa: BLE001 - never a traceback in front of a student
                print(
                    f"MiniDafny could not finish ({type(error).__name__}: {error}). This is a bug in MiniDafny."
                )

    def _verify(self, line: str, cell: str) -> None:
        try:
            args = _argument_parser().parse_args(shlex.split(line))
        except (argparse.ArgumentError, ValueError) as error:
            print(f"%%verify: {error}")
            return
        if NOT_ATTEMPTED in cell:
            print("Not attempted yet: write your solution in place of raise NotImplementedError().")
            return
        limits = Limits(rlimit=args.rlimit, timeout_ms=int(args.timeout * 1000))
        cell = "\n" + cell  # the `%%verify` line is line 1 of what the student sees
        before = set(self.program.failing)
        own = _declared_names(cell)
        options = Options(limits=limits, only=args.only, loop_views=frozenset(own))
        report = self.program.check(cell, options, own)
        shown = _own_part(report, own)
        own_warnings = tuple(w for w in shown.warnings if w.span.start_line <= _line_count(cell))
        shown = dataclasses.replace(shown, warnings=own_warnings)  # not those of earlier cells
        _show(shown, SourceFile(CELL_NAME, cell), args.widget, args.trace)
        _mention_others(report, own, before)
        if args.call:
            self._run(cell, args.call)

    def _run(self, cell: str, call_text: str) -> None:
        whole = self.program.program_text(cell, _declared_names(cell))
        try:
            checked = resolve(parse(SourceFile(CELL_NAME, whole)))
        except DiagnosticError:
            print("--run: fix the errors above first")
            return
        print(run_call(checked, call_text))


def _own_part(report: VerificationReport, own: set[str]) -> VerificationReport:
    if report.diagnostics or not own:
        return report
    obligations = tuple(ob for ob in report.obligations if ob.owner in own)
    loops = tuple(loop for loop in report.loops if loop.owner in own)
    assumptions = tuple(a for a in report.assumptions if a.owner in own)
    return dataclasses.replace(report, obligations=obligations, loops=loops, assumptions=assumptions)


def _mention_others(report: VerificationReport, own: set[str], before: set[str]) -> None:
    failing = sorted({ob.owner for ob in report.errors if ob.owner not in own} - before)
    if failing:
        print(f"Declarations of earlier cells that no longer verify: {', '.join(failing)}")


def _show(report: VerificationReport, source: SourceFile, widget: bool, trace: bool) -> None:
    """The report view (with `--trace`, every failure opened); with `--no-widget`, its text
    form alone, as a terminal would show it; while nbgrader grades, the static view (feedback
    shows it, and there is no widget state to keep)."""
    if "NBGRADER_EXECUTION" in os.environ:
        display(ReportView(report, source))
    elif widget:
        display(ReportWidget(report, source, expanded=trace))
    else:
        print(ReportView(report, source).to_text())


def run_call(checked, call_text: str) -> str:  # noqa: ANN001 - a CheckedProgram
    """`M(3, [1, 2])` run concretely: its results, or the check that failed, in words."""
    source = SourceFile("--run", call_text)
    try:
        call = parse_expression(source)
    except DiagnosticError as error:
        return f"--run: {error.diagnostics[0].message}"
    if not isinstance(call, ast.Call):
        return '--run: write a call, e.g. --run "Sum(5)"'
    method = checked.decl(call.name)
    if not isinstance(method, ast.Method):
        similar = [decl.name for decl in checked.program.methods() if decl.name.endswith(f".{call.name}")]
        also = f" (in a module: {', '.join(similar)})" if similar else ""
        return f"--run: there is no method named '{call.name}'{also}"
    if len(call.args) != len(method.params):
        return f"--run: {call.name} takes {plural(len(method.params), 'argument')}"
    args: dict[str, object] = {}
    for arg, param in zip(call.args, method.params, strict=True):
        try:
            args[param.name] = parse_literal(
                source.text_of(arg.span), ast.type_of(param), param.name, checked.program.datatypes()
            )
        except LiteralError as error:
            return f"--run: argument {param.name}: {error}"
    result = run_method(checked, method.name, args)
    printed = result.output + ("" if not result.output or result.output.endswith("\n") else "\n")
    return printed + _run_summary(call_text, result)


def _run_summary(call_text: str, result) -> str:  # noqa: ANN001 - a RunResult
    if result.outcome == Outcome.OK:
        values = ", ".join(f"{name} = {show_value(v)}" for name, v in result.returns.items())
        return f"{call_text} returned {values}" if values else f"{call_text} finished"
    if result.violation is not None:
        where = result.violation.span.start_line
        return f"{call_text} failed at line {where}: {result.violation.message} ({result.violation.detail})"
    return f"{call_text} did not finish: {result.message or result.outcome.value}"


def load_ipython_extension(ipython) -> None:  # noqa: ANN001 - an IPython shell
    ipython.register_magics(VerifyMagics)
    register_wp(ipython)
