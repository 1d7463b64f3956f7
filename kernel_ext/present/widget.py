"""The live view of a `%%verify` cell: one anywidget with the obligations, the VC, the trace
stepper and the loops, built in the browser from one JSON payload (`widget.js`).

The widget's MIME bundle also carries the static forms of `views.py` (`text/html` and
`text/plain`), so nbconvert, nbgrader feedback and GitHub show the same facts without a
kernel. The payload is a JSON string, not a synced dict: synced dicts lose their order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from kernel_ext.explain.counterexample import Trace
from kernel_ext.lang.diagnostics import Diagnostic
from kernel_ext.lang.source import SourceFile
from kernel_ext.present.html import (
    MethodGroup,
    bindings_text,
    diagnostic_heading,
    goal_label,
    invariant_cells,
    loop_heading,
    loop_use_sentence,
    method_groups,
    related_heading,
    replay_sentence,
    row_wording,
    status_label,
    step_note,
    verdict_label,
    verdict_note,
    worst_of_loop,
)
from kernel_ext.present.text import plain, summary
from kernel_ext.present.vc import LEGEND, vc_lines
from kernel_ext.present.views import ReportView
from kernel_ext.report import LoopSummary, ObligationResult, VerificationReport
from kernel_ext.results import ReplayVerdict

REPORT_MIMETYPE = "application/vnd.minidafny.report+json"


class ReportWidget(anywidget.AnyWidget):
    """A verification report, live; `expanded` opens the first failure at once."""

    _esm = Path(__file__).with_name("widget.js")
    payload = traitlets.Unicode("{}").tag(sync=True)

    def __init__(self, report: VerificationReport, source: SourceFile, *, expanded: bool = False):
        super().__init__(payload=json.dumps(report_payload(report, source, expanded=expanded)))
        self.static = ReportView(report, source)
        self.report = report
        self.expanded = expanded

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict] | None:
        live = super()._repr_mimebundle_(**kwargs)
        if live is None:
            return None
        data, metadata = live
        html = self.static.to_html()
        if self.expanded:
            html = html.replace("<details ", "<details open ")
        data = {**data, "text/plain": self.static.to_text(), "text/html": html}
        return {**data, REPORT_MIMETYPE: self.report.to_json()}, metadata


def _diagnostic(d: Diagnostic) -> dict:
    return {
        "line": d.span.start_line,
        "column": d.span.start_col,
        "end": d.span.end_col if d.span.end_line == d.span.start_line else 0,
        "heading": plain(diagnostic_heading(d)),
        "hint": d.hint,
    }


def report_payload(report: VerificationReport, source: SourceFile, *, expanded: bool = False) -> dict:
    """Everything the browser shows, as plain JSON data in display order."""
    return {
        "title": report.file,
        "verdict": verdict_label(report),
        "verified": report.verified,
        "state": report.verdict.value,
        "note": verdict_note(report),
        "summary": summary(report),
        "legend": LEGEND,
        "expanded": expanded,
        "source": source.text.split("\n"),
        "diagnostics": [_diagnostic(d) for d in report.diagnostics],
        "warnings": [_diagnostic(d) for d in report.warnings],
        "methods": [_method(group, source) for group in method_groups(report)],
        "loops": [_loop(loop) for loop in report.loops],
    }


def _method(group: MethodGroup, source: SourceFile) -> dict[str, Any]:
    told = group.distinctions(source)
    return {
        "name": group.owner,
        "status": group.status.value,
        "headline": group.headline(),
        "obligations": [_obligation(ob, told[id(ob)]) for ob in group.rows()],
    }


def _obligation(ob: ObligationResult, distinction: str = "") -> dict:
    return {
        "line": ob.span.start_line,
        "column": ob.span.start_col,
        "end_line": ob.span.end_line,
        "end_column": ob.span.end_col,
        "kind": ob.kind.id,
        "status": ob.status.value,
        "label": status_label(ob.status),
        "message": ob.message,
        "description": ob.description,
        "success": ob.success,
        "wording": row_wording(ob),
        "distinction": distinction,
        "explanation": ob.kind.explanation,
        "reason": ob.reason,
        "related": [[span.start_line, related_heading(ob)] for span in ob.related],
        "vc": [line.to_json() for line in vc_lines(ob.vc, goal_label(ob))] if ob.vc is not None else [],
        "trace": _trace(ob.trace) if ob.trace is not None else None,
    }


def _trace(trace: Trace) -> dict:
    return {
        "inputs": bindings_text(trace.inputs) or "(none)",
        "steps": [
            {
                "line": step.line,
                "text": step.text,
                "note": step_note(step),
                "values": [[binding.name, binding.text] for binding in step.values],
            }
            for step in trace.steps
        ],
        "replay": (trace.replay.verdict if trace.replay is not None else ReplayVerdict.NOT_RUN).value,
        "replay_sentence": plain(replay_sentence(trace.replay)),
    }


def _loop(loop: LoopSummary) -> dict[str, Any]:
    table = loop.table
    return {
        "owner": loop.owner,
        "line": loop.line,
        "status": worst_of_loop(loop).value,
        "heading": loop_heading(loop),
        "invariants": [list(cells) for cells in invariant_cells(loop)],
        "use": loop_use_sentence(loop),
        "table": plain(table.to_text()) if table is not None else "",
    }
