"""Reports as self-contained HTML, for notebooks, nbconvert, nbgrader feedback and GitHub.

The HTML has no scripts, no external files and no `<style>` block: colour comes from inline
styles that only add borders and semi-transparent backgrounds, so the text keeps the theme's
own colour (light or dark) and sanitisers that strip styles leave a readable page. Every
status is an icon and a word. Every piece of program text is escaped.

The helpers that decide *what* is shown (status labels, grouping by method, the words of a
replay) live here too and are shared with the plain-text view in `views.py`, so that both
forms show the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kernel_ext.explain.counterexample import Binding, Replay, Step, Trace
from kernel_ext.lang.diagnostics import Diagnostic, Severity
from kernel_ext.lang.printer import plural
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.present.text import REPLAY_WORDS, STEP_NOTES, assumed_lines, plain, summary
from kernel_ext.present.vc import LEGEND, vc_lines, vc_text
from kernel_ext.report import LoopSummary, ObligationResult, VerificationReport, worst
from kernel_ext.results import ReplayVerdict, Status, Verdict

ROOT_CLASS = "mdy-report"

_ICONS = {Status.PROVED: "✔", Status.FAILED: "✘", Status.UNKNOWN: "?"}
_TINTS = {Status.PROVED: "0,160,0", Status.FAILED: "220,0,0", Status.UNKNOWN: "230,150,0"}
# A status's own colour, for borders: the theme's (readable on its background, light or dark)
# where JupyterLab defines one. Text keeps the theme's text colour.
_COLOURS = {
    Status.PROVED: "var(--jp-success-color0, rgb(0,160,0))",
    Status.FAILED: "var(--jp-error-color0, rgb(220,0,0))",
    Status.UNKNOWN: "var(--jp-warn-color0, rgb(230,150,0))",
}
ASSUMED_TINT = "230,150,0"  # verified assuming: neither green nor red, as a grader refuses it
_VERDICT_TINTS = {
    Verdict.VERIFIED: _TINTS[Status.PROVED],
    Verdict.VERIFIED_ASSUMING: ASSUMED_TINT,
    Verdict.FAILED: _TINTS[Status.FAILED],
    Verdict.ERROR: _TINTS[Status.FAILED],
}
# In JupyterLab, rows are opaque, so a row's tint never mixes with its method's; elsewhere translucent.
ROW_BASE = "var(--jp-layout-color0, transparent)"


# --- what is shown (shared with the text view) -------------------------------------------


def status_icon(status: Status) -> str:
    """The status's icon: ✔, ✘ or ?."""
    return _ICONS[status]


def status_label(status: Status) -> str:
    """Icon and word, e.g. "✔ proved": a status that reads without colour."""
    return f"{_ICONS[status]} {status.value}"


@dataclass(frozen=True)
class MethodGroup:
    """The obligations of one method, function or lemma, in source order."""

    owner: str
    obligations: tuple[ObligationResult, ...]

    @property
    def status(self) -> Status:
        """The worst status among the obligations."""
        return worst(ob.status for ob in self.obligations)

    def rows(self) -> tuple[ObligationResult, ...]:
        """The obligations not proved first, then the proved ones, each part in source order."""
        return self.failing() + self.proved()

    def failing(self) -> tuple[ObligationResult, ...]:
        return tuple(ob for ob in self.obligations if ob.status != Status.PROVED)

    def proved(self) -> tuple[ObligationResult, ...]:
        return tuple(ob for ob in self.obligations if ob.status == Status.PROVED)

    def distinctions(self, source: SourceFile | None) -> dict[int, str]:
        """By `id` of each obligation, what tells its row apart from rows that would read the same."""
        return dict(zip(map(id, self.obligations), distinctions(self.obligations, source), strict=True))

    def headline(self) -> str:
        """`Sum: 12 obligations proved`, or `Sum: 7 proved, 1 failed`."""
        count = len(self.obligations)
        if self.status == Status.PROVED:
            return f"{self.owner}: {count} obligation{'s' if count != 1 else ''} proved"
        counts = {status: sum(1 for ob in self.obligations if ob.status == status) for status in Status}
        shown = (Status.PROVED, Status.FAILED, Status.UNKNOWN)
        return f"{self.owner}: " + ", ".join(f"{counts[s]} {s.value}" for s in shown if counts[s])


def method_groups(report: VerificationReport) -> tuple[MethodGroup, ...]:
    """The report's obligations by owner, owners in order of first appearance."""
    by_owner: dict[str, list[ObligationResult]] = {}
    for ob in report.obligations:
        by_owner.setdefault(ob.owner, []).append(ob)
    return tuple(
        MethodGroup(owner, tuple(sorted(obs, key=lambda ob: (ob.span.start_line, ob.span.start_col))))
        for owner, obs in by_owner.items()
    )


def verdict_label(report: VerificationReport) -> str:
    """`✔ verified`, `⚠ verified assuming line 4 (x > 0)` or `✘ not verified`."""
    verdict = report.verdict
    if verdict == Verdict.VERIFIED_ASSUMING:
        return f"{WARNING_ICON} verified assuming {assumed_lines(report)}"
    return "✔ verified" if verdict == Verdict.VERIFIED else "✘ not verified"


ASSUMPTION_NOTE = (
    "`assume` takes its condition as true without proof, so a grader does not accept it: "
    "prove the condition instead."
)


def verdict_note(report: VerificationReport) -> str:
    """What the verdict leaves to the student ("" when nothing)."""
    return ASSUMPTION_NOTE if report.verdict == Verdict.VERIFIED_ASSUMING else ""


def row_wording(ob: ObligationResult) -> str:
    """What an obligation's row says: what was proved, or the message of what was not."""
    if ob.status == Status.PROVED:
        return ob.success
    if ob.path:  # Dafny's "on this return path", said: "when Max returns after the then branch"
        return f"A postcondition might not hold {ob.path}."
    return ob.message


def distinctions(obligations: tuple[ObligationResult, ...], source: SourceFile | None) -> list[str]:
    """For each obligation, what tells it apart from the others whose rows would read the same
    (same status, kind, line, wording and checked expression): its column, the code it checks,
    or what it is to show; "" when its row is unlike the others."""
    alike: dict[tuple, list[int]] = {}
    for index, ob in enumerate(obligations):
        key = (ob.status, ob.kind, ob.span.start_line, row_wording(ob), ob.description)
        alike.setdefault(key, []).append(index)
    labels = [""] * len(obligations)
    for indices in alike.values():
        if len(indices) < 2:
            continue
        for tell in (lambda ob: _code_label(ob, source), _column_label, _goal_label):
            found = [tell(obligations[index]) for index in indices]
            if all(found) and len(set(found)) == len(found):
                for index, label in zip(indices, found, strict=True):
                    labels[index] = label
                break
    return labels


def _column_label(ob: ObligationResult) -> str:
    return f"column {ob.span.start_col}"


def _code_label(ob: ObligationResult, source: SourceFile | None) -> str:
    """`at `F(n - 1)``: the checked code, when it is on one line and short."""
    span = ob.span
    if source is None or span.end_line != span.start_line or span.start_line > len(source.lines()):
        return ""
    code = source.text_of(span).strip()
    return f"at `{code}`" if 0 < len(code) <= 60 and "`" not in code else ""


def _goal_label(ob: ObligationResult) -> str:
    return f"to show: {ob.success}" if ob.status != Status.PROVED else ""


def diagnostic_heading(diagnostic: Diagnostic) -> str:
    """`line 2, column 15: parse error E001: unexpected ';'` (`warning W001: ...` for a warning)."""
    span = diagnostic.span
    what = "warning" if diagnostic.severity == Severity.WARNING else f"{diagnostic.phase.value} error"
    return f"line {span.start_line}, column {span.start_col}: {what} {diagnostic.code.code}: {diagnostic.message}"


WARNING_ICON = "\u26a0"  # ⚠


def _warning(warning: Diagnostic, source: SourceFile | None) -> str:
    heading = f"<div>{escape(WARNING_ICON)} {prose(diagnostic_heading(warning))}</div>"
    return f'<div style="{_box(_TINTS[Status.UNKNOWN])}">{heading}{_excerpt(source, warning.span)}</div>'


def related_heading(ob: ObligationResult) -> str:
    """What a related location of an obligation is."""
    if ob.status == Status.PROVED:
        return "This is what was proved."
    return ob.kind.related_message or "Related location."


def excerpt_headings(ob: ObligationResult) -> list[tuple[str, Span]]:
    """A row's source excerpts in order, each with its heading ("" for none). A postcondition
    that fails on a return path shows its `ensures` first, as what fails, then the return
    path's position (Dafny's, which the row's line keeps)."""
    related = [(f"related: line {span.start_line}: {related_heading(ob)}", span) for span in ob.related]
    if not (ob.path and ob.related and ob.status != Status.PROVED):
        return [("", ob.span), *related]
    ensures = ob.related[0]
    return [
        (f"line {ensures.start_line}: {related_heading(ob)}", ensures),
        *related[1:],
        (f"line {ob.span.start_line}: the return path, {ob.path}", ob.span),
    ]


def bindings_text(bindings: tuple[Binding, ...]) -> str:
    """`n = 0, s = any value`."""
    return ", ".join(f"{b.name} = {b.text}" for b in bindings)


def step_note(step: Step) -> str:
    """The plain-words note for a step's kind, or "" for an ordinary statement."""
    return STEP_NOTES.get(step.kind, "")


def replay_sentence(replay: Replay | None) -> str:
    """`replay: a confirmed bug. Running these inputs fails ...`."""
    if replay is None:
        return "replay: " + REPLAY_WORDS[ReplayVerdict.NOT_RUN] + "."
    words = REPLAY_WORDS[replay.verdict]
    return f"replay: {words}." + (f" {replay.detail}" if replay.detail else "")


PAST_THE_END = "\u00a0"  # a no-break space, highlighted where a span starts after the line's text


def _excerpt_parts(source: SourceFile, span: Span) -> tuple[str, str, str, str, str] | None:
    """(gutter, before, underlined, after, caret line) for a span's first line, as `excerpt` cuts it."""
    if span.start_line <= 0 or span.start_line > len(source.lines()):
        return None
    text = source.line(span.start_line).expandtabs(1)
    start = min(max(span.start_col - 1, 0), len(text))
    end_col = span.end_col if span.end_line == span.start_line else len(text) + 1
    end = max(start + 1, min(end_col - 1, len(text)))
    caret = source.excerpt(span).split("\n")[1]
    marked = text[start:end] or PAST_THE_END  # a span after the line's end still shows
    return f"{span.start_line:>4} | ", text[:start], marked, text[end:], caret


def goal_label(ob: ObligationResult) -> str:
    """`postcondition at line 5`: what the VC's goal checks (a postcondition: its `ensures`
    line, not the return path's)."""
    return f"{ob.kind.id} at line {ob.checked_line}"


def obligation_vc(ob: ObligationResult) -> str:
    """The obligation's VC as text ("" when the pipeline kept none)."""
    return vc_text(vc_lines(ob.vc, goal_label(ob))) if ob.vc is not None else ""


def loop_heading(loop: LoopSummary) -> str:
    """`SumTo, loop at line 8: while i < n`."""
    heading = loop.condition if loop.condition.startswith("for ") else f"while {loop.condition}"
    return f"{loop.owner}, loop at line {loop.line}: {heading}"


def invariant_cells(loop: LoopSummary) -> list[tuple[str, str, str, str]]:
    """(line, invariant, initiation, maintenance) per invariant clause."""
    return [
        (f"line {inv.line}", inv.text, status_label(inv.entry), status_label(inv.maintained))
        for inv in loop.invariants
    ]


def loop_use_sentence(loop: LoopSummary) -> str:
    """What the code after the loop needs: the invariants and the negated condition suffice?"""
    if not loop.use:
        return "use: nothing after the loop depends on it"
    failing = [ob for ob in loop.use if ob.status != Status.PROVED]
    if not failing:
        checks = plural(len(loop.use), "check")
        return f"use: {status_label(Status.PROVED)}: the invariants and the loop's exit prove the {checks} after it"
    where = ", ".join(f"{ob.kind.id} at line {ob.span.start_line}" for ob in failing)
    return f"use: {status_label(loop.use_status)}: the invariants and the loop's exit do not prove {where}"


# --- HTML -------------------------------------------------------------------------------------


def render_html(report: VerificationReport, source: SourceFile | None = None, *, title: str = "") -> str:
    """The whole report as one self-contained `<div class="mdy-report">`."""
    parts = [_header(report, title or report.file)]
    parts += [_warning(w, source) for w in report.warnings]
    parts += [_diagnostic(d, source) for d in report.diagnostics]
    parts += [_group(group, source) for group in method_groups(report)]
    parts += [_loop(loop) for loop in report.loops]
    parts.append(f'<div style="margin-top:.4em;opacity:.8">{escape(summary(report))}</div>')
    body = "\n".join(parts)
    return f'<div class="{ROOT_CLASS}" style="font-family:inherit;line-height:1.45">\n{body}\n</div>'


def _box(tint: str) -> str:
    return (
        f"border-left:3px solid rgba({tint},.75);background:rgba({tint},.10);"
        "padding:.25em .6em;margin:.3em 0;border-radius:3px"
    )


def _header(report: VerificationReport, title: str) -> str:
    note = verdict_note(report)
    return (
        f'<div data-verdict="{report.verdict.value}" style="{_box(_VERDICT_TINTS[report.verdict])}">'
        f"<strong>{escape(title)}</strong>: <strong>{escape(verdict_label(report))}</strong>"
        + (f"<div>{prose(note)}</div>" if note else "")
        + "</div>"
    )


def prose(text: str) -> str:
    """Prose as HTML: escaped, and what it marks as code with backticks shown as code."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick marks nothing
        return escape(text)
    return "".join(_code(piece) if odd else escape(piece) for odd, piece in _alternating(pieces))


def _alternating(pieces: list[str]) -> list[tuple[bool, str]]:
    return [(index % 2 == 1, piece) for index, piece in enumerate(pieces) if piece]


def _diagnostic(diagnostic: Diagnostic, source: SourceFile | None) -> str:
    parts = [f"<div>{escape(status_icon(Status.FAILED))} {prose(diagnostic_heading(diagnostic))}</div>"]
    parts.append(_excerpt(source, diagnostic.span))
    for span in diagnostic.related:
        parts.append(f"<div>related: line {span.start_line}</div>{_excerpt(source, span)}")
    if diagnostic.hint:
        parts.append(f"<div>hint: {prose(diagnostic.hint)}</div>")
    return f'<div style="{_box(_TINTS[Status.FAILED])}">{"".join(parts)}</div>'


def _excerpt(source: SourceFile | None, span: Span) -> str:
    """The span's source line, the span highlighted and underlined, carets beneath."""
    cut = _excerpt_parts(source, span) if source is not None else None
    if cut is None:
        return ""
    gutter, before, marked, after, caret = cut
    highlight = (
        f"background:rgba({_TINTS[Status.FAILED]},.25);"
        f"text-decoration:underline wavy rgba({_TINTS[Status.FAILED]},.9)"
    )
    line = f'{escape(gutter)}{escape(before)}<span style="{highlight}">{escape(marked)}</span>{escape(after)}'
    style = "background:rgba(127,127,127,.10);padding:.3em .5em;margin:.3em 0;overflow-x:auto"
    return f'<pre style="{style}">{line}\n{escape(caret)}</pre>'


def _group(group: MethodGroup, source: SourceFile | None) -> str:
    tint = _TINTS[group.status]
    head = f"{escape(status_icon(group.status))} <strong>{escape(group.headline())}</strong>"
    if group.status == Status.PROVED:
        return f'<div style="{_box(tint)}">{head}</div>'
    told = group.distinctions(source)
    rows = [_row(ob, source, told[id(ob)]) for ob in group.failing()]
    proved = group.proved()
    if proved:
        inner = "".join(_row(ob, source, told[id(ob)]) for ob in proved)
        rows.append(
            f'<details style="margin:.25em 0 .25em 1.2em"><summary style="{SUMMARY_STYLE}">'
            f"{escape(status_icon(Status.PROVED))} {len(proved)} proved</summary>"
            f"{inner}</details>"
        )
    return f'<div style="{_box(tint)}"><div>{head}</div>{"".join(rows)}</div>'


# `display:list-item` keeps the ▶ marker where a page's stylesheet makes summaries blocks (nbconvert)
SUMMARY_STYLE = "cursor:pointer;display:list-item"


def _row_style(status: Status) -> str:
    """An opaque row with its status's border and a light tint of its own."""
    tint = _TINTS[status]
    return (
        f"border:1px solid rgba({tint},.5);border-left:3px solid {_COLOURS[status]};border-radius:3px;"
        f"background:linear-gradient(rgba({tint},.06),rgba({tint},.06)),{ROW_BASE}"
    )


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _row_summary(ob: ObligationResult, distinction: str = "") -> str:
    """The one line of a row: status, kind, line (and what tells it from a row like it), then
    what was proved or what might not hold."""
    cells = [
        f"<strong>{escape(status_label(ob.status))}</strong>",
        _code(ob.kind.id),
        f"line {ob.span.start_line}",
    ]
    if distinction:
        cells.append(prose(distinction))
    cells.append(escape(row_wording(ob)))
    if ob.description:
        cells.append(_code(ob.description))
    return " · ".join(cells)


def _row(ob: ObligationResult, source: SourceFile | None, distinction: str = "") -> str:
    if ob.status == Status.PROVED:
        style = f"margin:.2em 0 .2em 1.2em;padding:.1em .5em;{_row_style(ob.status)}"
        return f'<div data-status="proved" style="{style}">{_row_summary(ob, distinction)}</div>'
    parts = [f"<div>why: {prose(ob.kind.explanation)}</div>"]
    if ob.status == Status.UNKNOWN:
        parts.append(f"<div>reason: {escape(ob.reason or 'limit reached')}</div>")
    for heading, span in excerpt_headings(ob):
        parts += [f"<div>{escape(heading)}</div>"] if heading else []
        parts.append(_excerpt(source, span))
    if ob.trace is not None:
        parts.append(_trace(ob.trace))
    if ob.vc is not None:
        parts.append(_vc(ob))
    return (
        f'<details data-status="{ob.status.value}" style="margin:.25em 0 .25em 1.2em;padding:.15em .5em;'
        f'{_row_style(ob.status)}">'
        f'<summary style="{SUMMARY_STYLE}">{_row_summary(ob, distinction)}</summary>'
        f'<div style="margin:.3em 0 .3em 1em">{"".join(parts)}</div></details>'
    )


def _trace(trace: Trace) -> str:
    """The counterexample: inputs, a compact table of the steps, the replay verdict."""
    inputs = bindings_text(trace.inputs) or "(none)"
    parts = [f"<div>counterexample: inputs: {_code(inputs)}</div>"]
    if trace.steps:
        parts.append(_steps_table(trace.steps))
    parts.append(f"<div>{prose(replay_sentence(trace.replay))}</div>")
    return "".join(parts)


def _steps_table(steps: tuple[Step, ...]) -> str:
    cell = "border:1px solid rgba(127,127,127,.35);padding:.1em .45em;text-align:left;vertical-align:top"
    head = "".join(f'<th style="{cell}">{name}</th>' for name in ("where", "statement", "note", "values"))
    rows = [
        "<tr>"
        f'<td style="{cell};white-space:nowrap">line {step.line}</td>'
        f'<td style="{cell}">{_code(step.text)}</td>'
        f'<td style="{cell}">{escape(step_note(step))}</td>'
        f'<td style="{cell}">{_code(bindings_text(step.values))}</td>'
        "</tr>"
        for step in steps
    ]
    return (
        '<table style="border-collapse:collapse;margin:.3em 0;font-size:.92em">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _vc(ob: ObligationResult) -> str:
    style = "background:rgba(127,127,127,.10);padding:.3em .5em;margin:.3em 0;overflow-x:auto"
    return (
        f'<details><summary style="{SUMMARY_STYLE}">verification condition</summary>'
        f'<div style="opacity:.8">{escape(LEGEND)}</div>'
        f'<pre style="{style}">{escape(obligation_vc(ob))}</pre></details>'
    )


def _loop(loop: LoopSummary) -> str:
    cell = "border:1px solid rgba(127,127,127,.35);padding:.1em .45em;text-align:left"
    head = "".join(
        f'<th style="{cell}">{name}</th>' for name in ("where", "invariant", "initiation", "maintenance")
    )
    rows = "".join(
        "<tr>" + "".join(f'<td style="{cell}">{escape(text)}</td>' for text in cells) + "</tr>"
        for cells in invariant_cells(loop)
    )
    parts = [
        f"<div><strong>{escape(loop_heading(loop))}</strong></div>",
        f'<table style="border-collapse:collapse;margin:.3em 0"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        f"<div>{escape(loop_use_sentence(loop))}</div>",
    ]
    if loop.table is not None:
        style = "background:rgba(127,127,127,.10);padding:.3em .5em;margin:.3em 0;overflow-x:auto"
        parts.append(f'<pre style="{style}">{escape(plain(loop.table.to_text()))}</pre>')
    return f'<div style="{_box(_TINTS[worst_of_loop(loop)])}">{"".join(parts)}</div>'


def worst_of_loop(loop: LoopSummary) -> Status:
    """The loop's overall status: its invariants' and its use's."""
    statuses = [loop.use_status]
    for inv in loop.invariants:
        statuses += [inv.entry, inv.maintained]
    return worst(statuses)
