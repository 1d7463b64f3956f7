"""Reports as text: Dafny's error lines, and a friendlier long form for students."""

from __future__ import annotations

from kernel_ext.lang.printer import plural
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.report import ObligationResult, VerificationReport
from kernel_ext.results import MarkKind, ReplayVerdict, Status, Verdict


def plain(text: str) -> str:
    """Prose for plain text: the backticks that mark code in it dropped (HTML shows code instead)."""
    return text.replace("`", "")


def _where(file: str, span: Span) -> str:
    return f"{file}({span.start_line},{span.start_col})"


def dafny_lines(report: VerificationReport) -> list[str]:
    """`FILE(LINE,COL): Error: MESSAGE` lines, related locations under each, as Dafny prints them."""
    lines = [
        f"{_where(report.file, warning.span)}: Warning: {warning.message}" for warning in report.warnings
    ]
    for diagnostic in report.diagnostics:
        lines.append(f"{_where(report.file, diagnostic.span)}: Error: {diagnostic.message}")
        if diagnostic.hint:
            lines.append(f"    {diagnostic.hint}")
    for ob in report.errors:
        lines.append(f"{_where(report.file, ob.span)}: {_label(ob)}: {ob.message}")
        related_text = ob.kind.related_message or "Related location"
        for span in ob.related:
            if ob.description:
                related_text = f"{related_text.rstrip('.')}: {ob.description}"
            lines.append(f"{_where(report.file, span)}: Related location: {related_text}")
    return lines


def _label(ob: ObligationResult) -> str:
    if ob.status == Status.UNKNOWN:
        return f"Unknown ({ob.reason or 'limit reached'})"
    return "Error"


def summary(report: VerificationReport) -> str:
    if report.diagnostics:
        return f"{plural(len(report.diagnostics), 'parse/type error')} detected in {report.file}"
    proved = sum(1 for ob in report.obligations if ob.status == Status.PROVED)
    failed = sum(1 for ob in report.obligations if ob.status == Status.FAILED)
    unknown = sum(1 for ob in report.obligations if ob.status == Status.UNKNOWN)
    text = f"MiniDafny verifier finished with {proved} proved, {plural(failed, 'error')}"
    if unknown:
        text += f", {unknown} unknown"
    if report.verdict == Verdict.VERIFIED_ASSUMING:
        text += f"; verified only assuming {assumed_lines(report)}"
    return text


def assumed_lines(report: VerificationReport) -> str:
    """`line 4 (x > 0) and line 9 (y < n)`: each `assume` with what it takes as true."""
    parts = [f"line {a.span.start_line} ({a.text})" for a in report.assumptions]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def excerpts(report: VerificationReport, source: SourceFile) -> list[str]:
    """The long form: each problem with its source line underlined and the plain-words help."""
    lines: list[str] = []
    for diagnostic in report.diagnostics:
        lines += [f"line {diagnostic.span.start_line}: {diagnostic.message}", source.excerpt(diagnostic.span)]
        if diagnostic.hint:
            lines.append(f"  hint: {plain(diagnostic.hint)}")
    for ob in report.errors:
        if ob.path:  # a return path: the `ensures` that fails first, then where the method returns
            lines += [f"line {ob.span.start_line}: A postcondition might not hold {ob.path}."]
            lines += [source.excerpt(span) for span in ob.related] + [source.excerpt(ob.span)]
            lines.append(f"  why: {plain(ob.kind.explanation)}")
            continue
        lines += [f"line {ob.span.start_line}: {ob.message}", source.excerpt(ob.span)]
        for span in ob.related:
            lines.append(source.excerpt(span))
        lines.append(f"  why: {plain(ob.kind.explanation)}")
    return lines


STEP_NOTES = {
    MarkKind.THEN: "condition true",
    MarkKind.ELSE: "condition false",
    MarkKind.CASE: "this case matches",
    MarkKind.LOOP_HEAD: "loop head: after any number of iterations, the invariants hold",
    MarkKind.ITERATION: "an arbitrary iteration begins",
    MarkKind.LOOP_EXIT: "after the loop",
    MarkKind.CALL: "after the call: the callee's postcondition holds",
    MarkKind.RETURN: "the method returns here, and this postcondition is false",
}

REPLAY_WORDS = {
    ReplayVerdict.CONFIRMED: "a confirmed bug",
    ReplayVerdict.NOT_REPRODUCED: "not reproduced",
    ReplayVerdict.NOT_RUN: "not replayed",
}


def trace_lines(report: VerificationReport) -> list[str]:
    """Each failed obligation's counterexample: the inputs, then the path step by step."""
    lines: list[str] = []
    for ob in report.errors:
        if ob.trace is None:
            continue
        lines.append(f"{_where(report.file, ob.span)}: counterexample for: {ob.message}")
        inputs = ", ".join(f"{b.name} = {b.text}" for b in ob.trace.inputs)
        lines.append(f"    inputs: {inputs or '(none)'}")
        for step in ob.trace.steps:
            note = STEP_NOTES.get(step.kind)
            lines.append(f"    line {step.line}: {step.text}" + (f"    [{note}]" if note else ""))
            if step.values:
                lines.append("        " + ", ".join(f"{b.name} = {b.text}" for b in step.values))
        replay = ob.trace.replay
        if replay is not None:
            words = REPLAY_WORDS[replay.verdict]
            lines.append(f"    replay: {words}." + (f" {plain(replay.detail)}" if replay.detail else ""))
    return lines
