"""A grade for display: the score, what cost points, and the verification report's static
view (the same one a `%%verify` cell shows), as text and as HTML."""

from __future__ import annotations

from html import escape

from autograder.grading import Grade
from kernel_ext.lang.source import SourceFile
from kernel_ext.present.html import prose
from kernel_ext.present.text import plain
from kernel_ext.present.views import ReportView, StaticView


class GradeView(StaticView):
    def __init__(self, grade: Grade, title: str):
        self.grade = grade
        self.title = title

    def _report(self) -> ReportView | None:
        if self.grade.report is None:
            return None
        return ReportView(self.grade.report, SourceFile("solution", self.grade.source), title="your solution")

    def to_text(self) -> str:
        lines = [f"{self.title}: {self.grade.verdict}"]
        lines += [f"  - {plain(finding)}" for finding in self.grade.findings]
        report = self._report()
        if report is not None:
            lines += ["", report.to_text()]
        return "\n".join(lines)

    def to_html(self) -> str:
        tint = "0,160,0" if self.grade.score == self.grade.points else "220,0,0"
        box = f"border-left:3px solid rgba({tint},.75);background:rgba({tint},.10);padding:.25em .6em;margin:.3em 0"
        items = "".join(f"<li>{prose(finding)}</li>" for finding in self.grade.findings)
        parts = [
            f'<div class="mdy-grade" style="{box}"><strong>{escape(self.title)}</strong>: '
            f"<strong>{escape(self.grade.verdict)}</strong>",
            f"<ul>{items}</ul>" if items else "",
            "</div>",
        ]
        report = self._report()
        if report is not None:
            parts.append(report.to_html())
        return "".join(parts)
