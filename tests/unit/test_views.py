"""The static report views (plain text and HTML), on real reports from the whole pipeline."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from kernel_ext import verify
from kernel_ext.lang.diagnostics import SYNTAX, Diagnostic
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.present.html import row_wording
from kernel_ext.present.text import plain
from kernel_ext.present.views import ReportView
from kernel_ext.report import VerificationReport
from kernel_ext.verify.smt import Status
from tests.programs import SUM_OK

VERIFIED = (
    SUM_OK
    + """
method Twice(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + x;
}
"""
)

FAILING = """method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  if x < 0 {
    y := -x;
  } else {
    y := x - 1;
  }
}

method Id(x: int) returns (y: int)
  ensures y == x
{
  y := x;
}
"""

ESCAPED = """method M(x: int)
{
  assert x < 3 && x > 0; // <script>alert("&")</script>
}
"""

PARSE_ERROR = """method M(x: int) {
  var y := x +;
}
"""


class _Checked(HTMLParser):
    """Collects the text of an HTML fragment and checks that its tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def html_text(html: str) -> tuple[str, list[str]]:
    """The text a reader sees, and the tags used; fails on unbalanced tags."""
    parser = _Checked()
    parser.feed(html)
    parser.close()
    assert not parser.stack, f"unclosed tags: {parser.stack}"
    return "".join(parser.chunks), parser.tags


def view_of(text: str) -> tuple[VerificationReport, ReportView]:
    report = verify(text, "t.dfy")
    return report, ReportView(report, SourceFile("t.dfy", text))


@pytest.fixture(scope="module")
def verified() -> tuple[VerificationReport, ReportView]:
    return view_of(VERIFIED)


@pytest.fixture(scope="module")
def failing() -> tuple[VerificationReport, ReportView]:
    return view_of(FAILING)


@pytest.fixture(scope="module")
def escaped() -> tuple[VerificationReport, ReportView]:
    return view_of(ESCAPED)


@pytest.fixture(scope="module")
def parse_error() -> tuple[VerificationReport, ReportView]:
    return view_of(PARSE_ERROR)


STATUS_WORDS = re.compile(r"[✔✘?] (?:proved|failed|unknown)")


def test_a_verified_program_is_one_line_per_method(verified) -> None:
    report, view = verified
    assert report.verified
    counts = {owner: sum(1 for ob in report.obligations if ob.owner == owner) for owner in ("SumTo", "Twice")}
    text = view.to_text()
    assert text.splitlines()[0] == "t.dfy: ✔ verified"
    for owner, count in counts.items():
        plural = "s" if count != 1 else ""
        expected = f"✔ {owner}: {count} obligation{plural} proved"
        assert [line for line in text.splitlines() if owner in line] == [expected]
    assert not STATUS_WORDS.search(text), "no obligation rows when everything is proved"
    assert "MiniDafny verifier finished with" in text.splitlines()[-1]

    html = view.to_html()
    seen, tags = html_text(html)
    assert "details" not in tags
    for owner, count in counts.items():
        assert f"{owner}: {count} obligation" in seen
    assert not STATUS_WORDS.search(seen)
    assert "✔ verified" in seen


def test_a_failing_obligation_shows_its_line_message_explanation_and_trace(failing) -> None:
    report, view = failing
    (ob,) = report.errors
    assert ob.trace is not None and ob.trace.replay is not None
    inputs = ", ".join(f"{b.name} = {b.text}" for b in ob.trace.inputs)
    expected = [
        f"✘ failed · {ob.kind.id} · line {ob.span.start_line} · {row_wording(ob)}",
        plain(ob.kind.explanation),
        ob.description,
        f"inputs: {inputs}",
        "replay: a confirmed bug.",
        plain(ob.trace.replay.detail),
        "✔ Id: ",  # the other method collapses to one line
        "✘ Abs: ",
    ]
    text = view.to_text()
    seen, tags = html_text(view.to_html())
    for fact in expected:
        assert fact in text, fact
        assert fact in seen, fact
    assert ob.trace.replay.verdict.value == "confirmed"
    assert "details" in tags and "summary" in tags and "table" in tags
    for step in ob.trace.steps:
        assert f"line {step.line}" in text and f"line {step.line}" in seen


def test_failing_rows_come_first_and_proved_rows_stay_one_line(failing) -> None:
    report, view = failing
    rows = [line.strip() for line in view.to_text().splitlines() if STATUS_WORDS.match(line.strip())]
    abs_count = sum(1 for ob in report.obligations if ob.owner == "Abs")
    assert len(rows) == abs_count
    assert rows[0].startswith("✘ failed")
    assert all(row.startswith("✔ proved") for row in rows[1:])


def test_a_parse_error_shows_line_column_and_the_underlined_source(parse_error) -> None:
    report, view = parse_error
    (diagnostic,) = report.diagnostics
    span = diagnostic.span
    where = f"line {span.start_line}, column {span.start_col}"
    text = view.to_text()
    assert f"{where}: parse error {diagnostic.code.code}: {diagnostic.message}" in text
    lines = text.splitlines()
    source_at = next(i for i, line in enumerate(lines) if "var y := x +;" in line)
    caret_line = lines[source_at + 1]
    assert caret_line.index("^") == lines[source_at].index("x +;") + len("x +")
    assert lines[-1] == "1 parse/type error detected in t.dfy"

    html = view.to_html()
    seen, _ = html_text(html)
    assert where in seen and diagnostic.message in seen
    assert re.search(r'<span style="[^"]*underline[^"]*">;</span>', html), "the span is highlighted"
    assert caret_line.strip() in seen


def test_program_text_is_escaped_in_html(escaped) -> None:
    report, view = escaped
    assert report.errors
    html = view.to_html()
    seen, tags = html_text(html)
    assert "script" not in tags
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<code>x &lt; 3</code>" in html and "3 &amp;&amp; x &gt; 0;" in html
    assert 'assert x < 3 && x > 0; // <script>alert("&")</script>' in seen
    assert "x < 3" in seen  # the failing conjunct, unescaped for the reader


def test_html_is_self_contained_and_theme_neutral(failing) -> None:
    _, view = failing
    html = view.to_html()
    assert html.startswith('<div class="mdy-report"')
    lowered = html.lower()
    for forbidden in ("<script", "<link", "<style", "src=", "href=", "url(", "#fff", "#000"):
        assert forbidden not in lowered, forbidden
    assert not re.search(r"(?<![-\w])(white|black)(?![-\w])", lowered)
    for colour in re.findall(r"(?<![-\w])color\s*:\s*([^;\"]+)", lowered):
        assert colour.strip() == "currentcolor", colour


@pytest.mark.parametrize("program", ["verified", "failing", "escaped", "parse_error"])
def test_text_and_html_mention_the_same_lines_and_statuses(program, request) -> None:
    _, view = request.getfixturevalue(program)
    text = view.to_text()
    seen, _ = html_text(view.to_html())
    lines_of = re.compile(r"line \d+")
    assert set(lines_of.findall(text)) == set(lines_of.findall(seen))
    assert sorted(STATUS_WORDS.findall(text)) == sorted(STATUS_WORDS.findall(seen))
    assert text.splitlines()[-1] in seen  # the summary


def test_the_mime_bundle_has_both_forms(failing) -> None:
    _, view = failing
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == view.to_text() == str(view)
    assert bundle["text/html"] == view.to_html()
    assert set(view._repr_mimebundle_(include={"text/html"})) == {"text/html"}
    assert set(view._repr_mimebundle_(exclude={"text/html"})) == {"text/plain"}


def test_without_source_there_are_no_excerpts_but_the_same_facts(failing) -> None:
    report, _ = failing
    view = ReportView(report, title="Exercise 1")
    text = view.to_text()
    assert text.startswith("Exercise 1: ✘ not verified")
    assert " | " not in text
    (ob,) = report.errors
    assert f"line {ob.span.start_line} · {row_wording(ob)}" in text
    seen, _ = html_text(view.to_html())
    assert "Exercise 1" in seen and plain(ob.kind.explanation) in seen


def test_an_unknown_obligation_reads_as_unknown() -> None:
    report, _ = view_of(FAILING)
    (ob,) = report.errors
    unknown = dataclasses.replace(ob, status=Status.UNKNOWN, reason="resource limit reached")
    others = tuple(o for o in report.obligations if o is not ob)
    view = ReportView(VerificationReport(report.file, obligations=(unknown, *others)))
    text = view.to_text()
    seen, _ = html_text(view.to_html())
    for fact in ("? Abs: ", "? unknown · postcondition", "reason: resource limit reached"):
        assert fact in text and fact in seen, fact


def test_an_error_in_the_json_report_has_every_field_of_its_obligation() -> None:
    from kernel_ext import verify

    report = verify("method M(x: int) returns (y: int) ensures y > x { y := x; }", "m.dfy")
    [error] = report.to_json()["errors"]
    own = report.errors[0].to_json()
    assert {key: error[key] for key in own} == own
    assert error["explanation"] and error["trace"] is not None


def test_the_cell_s_own_part_of_a_report_keeps_every_other_field() -> None:
    import dataclasses

    from kernel_ext import verify
    from kernel_ext.present.magic import _own_part

    text = "method A() { assert 1 < 2; }\nmethod B() { assert 2 < 1; }"
    report = verify(text, "cell.dfy")
    part = _own_part(report, {"B"})
    assert {ob.owner for ob in part.obligations} == {"B"}
    kept = [f.name for f in dataclasses.fields(report) if f.name not in ("obligations", "loops")]
    assert all(getattr(part, name) == getattr(report, name) for name in kept)


def test_a_span_after_the_end_of_its_line_is_still_highlighted() -> None:
    text = "method M() {\n  var x := 1\n}\n"
    past = Diagnostic(SYNTAX, Span.point(2, 13), "something is missing here")
    html = ReportView(VerificationReport("t", (past,)), SourceFile("t", text)).to_html()
    assert re.search(r'var x := 1<span style="[^"]*underline[^"]*">\u00a0</span>', html)
