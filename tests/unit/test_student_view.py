"""What a student reads in a report: a proved check in words of success, `assume` as a verdict
of its own, failures before the proved checks, rows that tell themselves apart, code shown as
code, and counts in the right number."""

from __future__ import annotations

import re

import pytest

from kernel_ext import verify
from kernel_ext.lang.source import SourceFile
from kernel_ext.obligations import ObligationKind
from kernel_ext.present.views import ReportView
from kernel_ext.present.widget import report_payload
from kernel_ext.results import Status, Verdict
from tests.unit.test_views import html_text

ASSUMING = """method M(x: int) returns (y: int)
  ensures y > 0
{
  assume x > 0 && x < 10;
  y := x;
  assume y != 3;
}
"""

ONE_FAILURE = """method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y >= x - 1
{
  if x < 0 { y := -x; } else { y := x - 1; }
}
"""

LOOKALIKES = """function G(n: int): int { if n == 0 then 0 else G(n - 1) + G(n + 1) }
"""


def view_of(text: str) -> tuple:
    report = verify(text, "t.dfy")
    return report, ReportView(report, SourceFile("t.dfy", text))


@pytest.mark.parametrize("kind", list(ObligationKind), ids=lambda kind: kind.id)
def test_every_kind_says_what_a_proof_of_it_shows(kind: ObligationKind) -> None:
    assert kind.success and kind.success != kind.message
    assert not re.search(r"might not|cannot|may |possible|missing", kind.success), kind.success


def test_a_proved_row_reads_as_a_success() -> None:
    report, view = view_of(ONE_FAILURE)
    proved = next(
        ob for ob in report.obligations if ob.status == Status.PROVED and ob.kind.id == "postcondition"
    )
    assert proved.to_json()["success"] == "the postcondition holds on this return path"
    text = view.to_text()
    seen, _ = html_text(view.to_html())
    row = (
        f"✔ proved · postcondition · line {proved.span.start_line} · {proved.success} · {proved.description}"
    )
    for shown in (text, seen):
        assert row in shown
        assert "✔ proved · postcondition · line 5 · A postcondition" not in shown
    assert text.count("why:") == len(report.errors)


def test_failures_come_first_and_the_proved_checks_fold_under_their_count() -> None:
    report, view = view_of(ONE_FAILURE)
    proved = sum(1 for ob in report.obligations if ob.status == Status.PROVED)
    html = view.to_html()
    failed_at, folded_at = html.index('data-status="failed"'), html.index(f"✔ {proved} proved</summary>")
    assert failed_at < folded_at < html.index('data-status="proved"')
    assert "display:list-item" in html  # the ▶ marker stays where a stylesheet hides it
    text = view.to_text().splitlines()
    assert text.index(f"    ✔ {proved} proved") > next(i for i, line in enumerate(text) if "✘ failed" in line)
    payload = report_payload(report, SourceFile("t.dfy", ONE_FAILURE))
    statuses = [ob["status"] for ob in payload["methods"][0]["obligations"]]
    assert statuses == sorted(statuses, key=lambda status: status == "proved")


def test_rows_that_would_read_the_same_say_what_differs() -> None:
    report, view = view_of(LOOKALIKES)
    calls = [ob for ob in report.errors if ob.kind.id == "termination"]
    assert len(calls) == 2 and calls[0].span.start_line == calls[1].span.start_line
    rows = [line.strip() for line in view.to_text().splitlines() if "✘ failed · termination" in line]
    assert len(set(rows)) == 2 and all("column" in row for row in rows), rows


def test_assume_is_verified_assuming_each_assumed_line() -> None:
    report, view = view_of(ASSUMING)
    assert report.verified and report.exit_code == 0 and report.verdict == Verdict.VERIFIED_ASSUMING
    data = report.to_json()
    assert data["verdict"] == "verified-assuming"
    assert data["assumptions"] == [
        {"line": 4, "column": 3, "end_line": 4, "end_column": 26, "text": "x > 0 && x < 10"},
        {"line": 6, "column": 3, "end_line": 6, "end_column": 17, "text": "y != 3"},
    ]
    label = "⚠ verified assuming line 4 (x > 0 && x < 10) and line 6 (y != 3)"
    text = view.to_text()
    seen, _ = html_text(view.to_html())
    assert label in text and label in seen and "✔ verified" not in text + seen
    assert 'data-verdict="verified-assuming"' in view.to_html()
    assert "verified only assuming line 4" in text.splitlines()[-1]
    assert report_payload(report, SourceFile("t.dfy", ASSUMING))["state"] == "verified-assuming"


def test_each_verdict() -> None:
    assert verify("method M() { assert 1 < 2; }").to_json()["verdict"] == "verified"
    assert verify("method M() { assert 2 < 1; }").to_json()["verdict"] == "failed"
    assert verify("method M() { assert 2 < ; }").to_json()["verdict"] == "error"


def test_backticks_become_code_in_html_and_vanish_from_text() -> None:
    report, view = view_of(ONE_FAILURE)
    assert "`" in report.errors[0].kind.explanation
    assert "`" not in view.to_text()
    assert "<code>ensures</code>" in view.to_html() and "`ensures`" not in view.to_html()


def test_counts_are_singular_or_plural() -> None:
    report, view = view_of(ONE_FAILURE)
    assert view.to_text().splitlines()[-1].endswith(", 1 error")
    _, broken = view_of("method M() { var x := ; }\nmethod N() { var y: int := true; }")
    assert broken.to_text().splitlines()[-1] == "1 parse/type error detected in t.dfy"


def test_a_diagnostic_s_code_is_code_in_html_and_plain_in_text() -> None:
    report, view = view_of("method M() returns (x: int) { return 1, 2; }")
    assert "`return`" in report.diagnostics[0].message
    assert "`" not in view.to_text()
    assert "<code>return</code>" in view.to_html()
    payload = report_payload(report, SourceFile("t.dfy", "method M() returns (x: int) { return 1, 2; }"))
    assert "`" not in payload["diagnostics"][0]["heading"]
