"""Static views of a verification report: one object, shown as plain text and as HTML.

`ReportView(report, source)` is what a notebook cell returns: Jupyter asks it for its MIME
bundle and shows the HTML (JupyterLab, nbconvert, nbgrader feedback, GitHub), a terminal or
a plain-text export shows the text. Both forms are built from the same helpers in
`present/html.py` and show the same facts: the same lines, statuses, messages and traces.
"""

from __future__ import annotations

from kernel_ext.explain.counterexample import Trace
from kernel_ext.lang.diagnostics import Diagnostic
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.present.html import (
    WARNING_ICON,
    MethodGroup,
    bindings_text,
    diagnostic_heading,
    excerpt_headings,
    invariant_cells,
    loop_heading,
    loop_use_sentence,
    method_groups,
    obligation_vc,
    render_html,
    replay_sentence,
    row_wording,
    status_icon,
    status_label,
    step_note,
    verdict_label,
    verdict_note,
)
from kernel_ext.present.text import plain, summary
from kernel_ext.present.vc import LEGEND
from kernel_ext.report import LoopSummary, ObligationResult, VerificationReport
from kernel_ext.results import Status

INDENT = "    "


class StaticView:
    """Something shown as plain text and as self-contained HTML, with the same facts."""

    def to_text(self) -> str:
        raise NotImplementedError

    def to_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:  # noqa: ANN001 - IPython's protocol
        """Jupyter's display hook: both forms, filtered by `include` and `exclude` when given."""
        bundle = {"text/plain": self.to_text(), "text/html": self.to_html()}
        return {
            mime: data
            for mime, data in bundle.items()
            if (include is None or mime in include) and (exclude is None or mime not in exclude)
        }

    def __str__(self) -> str:
        return self.to_text()


class ReportView(StaticView):
    """A verification report for display; `source` adds the underlined source lines."""

    def __init__(self, report: VerificationReport, source: SourceFile | None = None, *, title: str = ""):
        self.report = report
        self.source = source
        self.title = title or report.file

    def to_text(self) -> str:
        """The plain-text form, for terminals and text exports."""
        return render_text(self.report, self.source, title=self.title)

    def to_html(self) -> str:
        """The self-contained HTML form."""
        return render_html(self.report, self.source, title=self.title)

    def __repr__(self) -> str:
        return f"ReportView({self.title!r}: {verdict_label(self.report)})"


def render_text(report: VerificationReport, source: SourceFile | None = None, *, title: str = "") -> str:
    """The whole report as plain text: the same facts as `render_html`, without markup."""
    lines = [f"{title or report.file}: {verdict_label(report)}"]
    if verdict_note(report):
        lines.append(INDENT + plain(verdict_note(report)))
    for warning in report.warnings:
        lines += [
            f"{WARNING_ICON} {plain(diagnostic_heading(warning))}",
            *_excerpt_lines(source, warning.span, INDENT),
        ]
    for diagnostic in report.diagnostics:
        lines += _diagnostic_lines(diagnostic, source)
    for group in method_groups(report):
        lines += _group_lines(group, source)
    for loop in report.loops:
        lines += _loop_lines(loop)
    lines.append(summary(report))
    return "\n".join(lines)


def _excerpt_lines(source: SourceFile | None, span: Span, indent: str) -> list[str]:
    if source is None or span.start_line <= 0 or span.start_line > len(source.lines()):
        return []
    return [indent + line for line in source.excerpt(span).split("\n")]


def _diagnostic_lines(diagnostic: Diagnostic, source: SourceFile | None) -> list[str]:
    lines = [f"{status_icon(Status.FAILED)} {plain(diagnostic_heading(diagnostic))}"]
    lines += _excerpt_lines(source, diagnostic.span, INDENT)
    for span in diagnostic.related:
        lines.append(f"{INDENT}related: line {span.start_line}")
        lines += _excerpt_lines(source, span, INDENT)
    if diagnostic.hint:
        lines.append(f"{INDENT}hint: {plain(diagnostic.hint)}")
    return lines


def _group_lines(group: MethodGroup, source: SourceFile | None) -> list[str]:
    lines = [f"{status_icon(group.status)} {group.headline()}"]
    if group.status == Status.PROVED:
        return lines
    told = group.distinctions(source)
    for ob in group.failing():
        lines += _row_lines(ob, source, told[id(ob)])
    proved = group.proved()
    if proved:  # the HTML folds these away; text lists them, one line each, under their count
        lines.append(f"{INDENT}{status_icon(Status.PROVED)} {len(proved)} proved")
        lines += [INDENT * 2 + _row_summary(ob, told[id(ob)]) for ob in proved]
    return lines


def _row_summary(ob: ObligationResult, distinction: str = "") -> str:
    """The one line of a row: status, kind, line (and what tells it from a row like it), then
    what was proved or what might not hold."""
    cells = [status_label(ob.status), ob.kind.id, f"line {ob.span.start_line}"]
    if distinction:
        cells.append(plain(distinction))
    cells.append(row_wording(ob))
    if ob.description:
        cells.append(ob.description)
    return " · ".join(cells)


def _row_lines(ob: ObligationResult, source: SourceFile | None, distinction: str = "") -> list[str]:
    lines = [INDENT + _row_summary(ob, distinction)]
    detail = INDENT * 2
    lines.append(f"{detail}why: {plain(ob.kind.explanation)}")
    if ob.status == Status.UNKNOWN:
        lines.append(f"{detail}reason: {ob.reason or 'limit reached'}")
    for heading, span in excerpt_headings(ob):
        lines += [detail + heading] if heading else []
        lines += _excerpt_lines(source, span, detail)
    if ob.trace is not None:
        lines += _trace_lines(ob.trace, detail)
    if ob.vc is not None:
        lines.append(f"{detail}verification condition ({LEGEND})")
        lines += [detail + "  " + line for line in obligation_vc(ob).split("\n")]
    return lines


def _loop_lines(loop: LoopSummary) -> list[str]:
    lines = [loop_heading(loop)]
    for where, text, entry, maintained in invariant_cells(loop):
        lines.append(f"{INDENT}{where}: invariant {text} · initiation {entry} · maintenance {maintained}")
    lines.append(INDENT + loop_use_sentence(loop))
    if loop.table is not None:
        lines += [INDENT + line for line in plain(loop.table.to_text()).split("\n")]
    return lines


def _trace_lines(trace: Trace, indent: str) -> list[str]:
    lines = [f"{indent}counterexample: inputs: {bindings_text(trace.inputs) or '(none)'}"]
    for step in trace.steps:
        note = step_note(step)
        lines.append(f"{indent}  line {step.line}: {step.text}" + (f"    [{note}]" if note else ""))
        if step.values:
            lines.append(f"{indent}      {bindings_text(step.values)}")
    lines.append(indent + plain(replay_sentence(trace.replay)))
    return lines
