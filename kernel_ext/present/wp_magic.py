"""`%%wp`: the weakest precondition of a cell's statements, computed backwards step by step.

    %%wp --post "y >= 0" --vars "x: int, y: int"
    if x < 0 {
      y := -x;
    } else {
      y := x;
    }

The cell holds statements (assignments, `var`, if, assert, assume, blocks), `--post` the
postcondition Q. `--vars` is optional: variables it does not declare are int. The view shows
Q, then each statement from the last to the first with the wp before it (the rule, the
formula it gives, and Z3's simplification of it), both branches of an `if`, the final
precondition and whether it holds for every input. Line numbers are the cell's own, the
`%%wp` line being line 1. Output goes to rich display and stdout only, never stderr.
Interrupted, it stops Z3 and ends the cell as interrupted, in one line (`Interrupted`).
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.display import display

from kernel_ext.present.views import StaticView
from kernel_ext.verify.wp import Branch, Problem, Verdict, WpResult, WpStep, weakest_precondition

USAGE = '%%wp --post "EXPR" [--vars "x: int, b: bool"], then statements in the cell'
INDENT = "    "
SIMPLIFIED = "(simplified)"

_TINTS = {
    Verdict.VALID: "0,160,0",
    Verdict.SOMETIMES: "220,0,0",
    Verdict.NEVER: "220,0,0",
    Verdict.UNKNOWN: "230,150,0",
}
NEUTRAL = "127,127,127"


# --- what is shown (shared by the text and the HTML) ----------------------------------------


def values_text(values: tuple[tuple[str, int | bool], ...]) -> str:
    """`x = -1, b = false`."""
    return ", ".join(f"{name} = {str(value).lower()}" for name, value in values)


def verdict_sentence(result: WpResult) -> str:
    if result.verdict == Verdict.VALID:
        return "valid: the precondition holds for every input, so the snippet establishes Q for every input."
    if result.verdict == Verdict.SOMETIMES:
        return (
            f"not valid: the snippet does not establish Q for every input. Counterexample: "
            f"{values_text(result.counterexample)} (the precondition is false there); "
            f"it does for {values_text(result.example)}."
        )
    if result.verdict == Verdict.NEVER:
        return "unsatisfiable: no input establishes Q (the precondition is false for every input)."
    return f"unknown: Z3 could not decide whether the precondition holds for every input ({result.reason})."


def derivation(step: WpStep) -> list[tuple[str, str, str]]:
    """The step's chain of equal formulas, as (left side, formula, note) rows."""
    rows = [("wp", step.rule, ""), ("", step.raw, "")]
    if step.simplified != step.raw:
        rows.append(("", step.simplified, SIMPLIFIED))
    return rows


def branch_heading(branch: Branch, q: str) -> str:
    """`then branch (x < 0), from Q = y >= 0`."""
    return f"{branch.label} branch ({branch.condition}), from Q = {q}"


def inputs_text(result: WpResult) -> str:
    return ", ".join(f"{item.name}: {item.type}" for item in result.inputs) or "(none)"


HEADING = "%%wp: the weakest precondition, computed backwards from the last statement to the first"
PROBLEMS_HEADING = "%%wp: no precondition was computed"


# --- plain text ------------------------------------------------------------------------------


def render_text(result: WpResult) -> str:
    if result.problems:
        return "\n".join([PROBLEMS_HEADING, *(_problem_text(problem) for problem in result.problems)])
    lines = [HEADING, f"inputs: {inputs_text(result)}", "", f"Q = {result.post}   (after the last statement)"]
    lines += _steps_text(result.steps, result.post, "")
    lines += ["", f"precondition: {result.precondition}", verdict_sentence(result)]
    return "\n".join(lines)


def _problem_text(problem: Problem) -> str:
    parts = [problem.describe()]
    if problem.excerpt:
        parts.append(problem.excerpt)
    if problem.diagnostic.hint:
        parts.append(f"hint: {problem.diagnostic.hint}")
    return "\n".join(parts)


def _steps_text(steps: tuple[WpStep, ...], q: str, indent: str) -> list[str]:
    lines: list[str] = []
    for step in steps:
        if not indent:  # a blank line between the top-level steps only
            lines.append("")
        lines.append(f"{indent}line {step.line}: {step.statement}")
        for branch in step.branches:
            lines += _branch_text(branch, q, indent + INDENT)
        lines += _derivation_text(step, indent + INDENT)
        q = step.simplified
    return lines


def _branch_text(branch: Branch, q: str, indent: str) -> list[str]:
    lines = [f"{indent}{branch_heading(branch, q)}:"]
    if branch.steps:
        lines += _steps_text(branch.steps, q, indent + INDENT)
    else:
        lines.append(f"{indent}{INDENT}(no statements)")
    return [*lines, f"{indent}{INDENT}wp({branch.label}) = {branch.wp}"]


def _derivation_text(step: WpStep, indent: str) -> list[str]:
    width = len("wp")
    return [
        f"{indent}{left:<{width}} = {formula}" + (f"   {note}" if note else "")
        for left, formula, note in derivation(step)
    ]


# --- HTML ------------------------------------------------------------------------------------


def render_html(result: WpResult) -> str:
    """Self-contained: inline styles only, neutral or semi-transparent colours with words."""
    if result.problems:
        parts = [f"<div><strong>{escape(PROBLEMS_HEADING)}</strong></div>"]
        parts += [_problem_html(problem) for problem in result.problems]
        return _root(parts)
    parts = [
        f"<div><strong>{escape(HEADING)}</strong></div>",
        f"<div>inputs: {_code(inputs_text(result))}</div>",
        f"<div style='margin:.3em 0'>Q = {_code(result.post)} <span style='opacity:.7'>"
        "(after the last statement)</span></div>",
        _steps_html(result.steps, result.post),
        f"<div style='margin-top:.4em'>precondition: {_code(result.precondition)}</div>",
        _verdict_html(result),
    ]
    return _root(parts)


def _root(parts: list[str]) -> str:
    body = "\n".join(parts)
    return f'<div class="mdy-wp" style="font-family:inherit;line-height:1.45">\n{body}\n</div>'


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _box(tint: str) -> str:
    return (
        f"border-left:3px solid rgba({tint},.75);background:rgba({tint},.10);"
        "padding:.25em .6em;margin:.3em 0;border-radius:3px"
    )


def _problem_html(problem: Problem) -> str:
    parts = [f"<div>{escape(problem.describe())}</div>"]
    if problem.excerpt:
        parts.append(
            f'<pre style="background:rgba({NEUTRAL},.10);padding:.3em .5em">{escape(problem.excerpt)}</pre>'
        )
    if problem.diagnostic.hint:
        parts.append(f"<div>hint: {escape(problem.diagnostic.hint)}</div>")
    return f'<div style="{_box("220,0,0")}">{"".join(parts)}</div>'


def _steps_html(steps: tuple[WpStep, ...], q: str) -> str:
    parts = []
    for step in steps:
        head = f"<div><span style='opacity:.7'>line {step.line}</span> {_code(step.statement)}</div>"
        branches = "".join(_branch_html(branch, q) for branch in step.branches)
        parts.append(f"<div style='margin:.45em 0'>{head}{branches}{_derivation_html(step)}</div>")
        q = step.simplified
    return "".join(parts)


def _branch_html(branch: Branch, q: str) -> str:
    heading = f"{branch.label} branch ({_code(branch.condition)}), from Q = {_code(q)}"
    inner = _steps_html(branch.steps, q) if branch.steps else "<div>(no statements)</div>"
    return (
        f'<details open style="margin:.2em 0 .2em 1.2em;padding-left:.6em;'
        f'border-left:2px solid rgba({NEUTRAL},.45)"><summary style="cursor:pointer">{heading}</summary>'
        f"{inner}<div>wp({escape(branch.label)}) = {_code(branch.wp)}</div></details>"
    )


def _derivation_html(step: WpStep) -> str:
    cell = "padding:0 .3em;vertical-align:top"
    rows = [
        f"<tr><td style='{cell}'>{escape(left)}</td><td style='{cell}'>=</td>"
        f"<td style='{cell}'>{_code(formula)}{_note(note)}</td></tr>"
        for left, formula, note in derivation(step)
    ]
    return f"<table style='margin-left:1.2em;border-collapse:collapse'>{''.join(rows)}</table>"


def _note(note: str) -> str:
    return f" <span style='opacity:.7'>{escape(note)}</span>" if note else ""


def _verdict_html(result: WpResult) -> str:
    tint = _TINTS.get(result.verdict, NEUTRAL) if result.verdict else NEUTRAL
    return f'<div style="{_box(tint)}">{escape(verdict_sentence(result))}</div>'


class WpView(StaticView):
    """A `%%wp` result for display: plain text and HTML showing the same facts."""

    def __init__(self, result: WpResult):
        self.result = result

    def to_text(self) -> str:
        return render_text(self.result)

    def to_html(self) -> str:
        return render_html(self.result)


# --- the magic -------------------------------------------------------------------------------


class Interrupted(KeyboardInterrupt):
    """A magic stopped by the user (Ctrl-C, a notebook's stop button). A KeyboardInterrupt
    still, so that Jupyter ends the execution as interrupted and "Run All" stops at the cell;
    IPython shows an exception that has `_render_traceback_` as the lines this returns, so
    the student reads one sentence instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


@contextmanager
def reporting_interrupts(magic: str) -> Iterator[None]:
    """Turns a KeyboardInterrupt in the block into `Interrupted`."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(f"Interrupted: {magic} was stopped before it finished.") from None


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ValueError(message)  # argparse would print to stderr and exit


def _argument_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="%%wp", add_help=False, exit_on_error=False)
    parser.add_argument("--post")
    parser.add_argument("--vars", default="")
    return parser


@magics_class
class WpMagics(Magics):
    @cell_magic
    def wp(self, line: str, cell: str) -> None:
        """Show the weakest precondition of the statements in this cell, step by step.

        Usage: %%wp --post "EXPR" [--vars "x: int, b: bool"]
        --post: the postcondition Q (required). --vars: the variables' types, int, nat or
        bool; variables it leaves out are int. The cell holds assignments (`x, y := y, x;`),
        `var` declarations, if/else, assert, assume and blocks; loops and calls need %%verify.
        """
        with reporting_interrupts("%%wp"):
            try:
                self._wp(line, cell)
            except Exception as error:  # noqa: BLE001 - never a traceback in front of a student
                print(f"%%wp could not finish ({type(error).__name__}: {error}). This is a bug in MiniDafny.")

    def _wp(self, line: str, cell: str) -> None:
        try:
            args = _argument_parser().parse_args(shlex.split(line))
        except (argparse.ArgumentError, ValueError) as error:
            print(f"%%wp: {error}. Usage: {USAGE}")
            return
        if args.post is None:
            print(f"%%wp: give the postcondition with --post. Usage: {USAGE}")
            return
        cell = "\n" + cell  # the `%%wp` line is line 1 of what the student sees
        display(WpView(weakest_precondition(cell, args.post, args.vars)))


def register(ipython) -> None:  # noqa: ANN001 - an IPython shell
    """Make `%%wp` available in the shell."""
    ipython.register_magics(WpMagics)
