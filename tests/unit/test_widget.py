"""The live widget's Python side: its payload carries the same facts as the static views, and
its MIME bundle carries the static views beside the live one."""

from __future__ import annotations

import json

from kernel_ext.lang.source import SourceFile
from kernel_ext.pipeline import Options, verify
from kernel_ext.present.widget import REPORT_MIMETYPE, ReportWidget, report_payload
from tests.programs import SUM_OK

MAX = (
    "\nmethod Max(a: int, b: int) returns (m: int)\n  ensures m > a && m > b\n{\n"
    "  if a >= b {\n    m := a;\n  } else {\n    m := b;\n  }\n}\n"
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def payload_of(text: str, **options: object) -> dict:
    report = verify(text, "cell", Options(**options))
    return report_payload(report, SourceFile("cell", text))


def test_a_failing_method_has_its_rows_traces_and_vcs() -> None:
    data = payload_of(MAX)
    assert data["verified"] is False and data["source"][1].startswith("method Max")
    (method,) = data["methods"]
    assert (method["name"], method["status"]) == ("Max", "failed")
    failing = [ob for ob in method["obligations"] if ob["status"] == "failed"]
    assert [ob["line"] for ob in failing] == [5, 7]
    trace = failing[0]["trace"]
    assert [step["line"] for step in trace["steps"]] == [
        5,
        6,
        3,
    ]  # the branch, its assignment, then the `ensures` (line 3) when Max returns
    assert trace["replay"] == "confirmed"
    assert ["a", "0"] in trace["steps"][1]["values"]
    goal = failing[0]["vc"][-1]
    assert goal[1] == "goal" and goal[3] == "m₂ > a"


def test_loops_carry_invariant_statuses_use_and_an_iteration_table() -> None:
    data = payload_of(SUM_OK, loop_views=frozenset({"SumTo"}))
    (loop,) = data["loops"]
    assert loop["line"] == 6 and loop["status"] == "proved"
    assert loop["invariants"][1] == ["line 8", "s == i * (i + 1) / 2", "✔ proved", "✔ proved"]
    assert loop["use"].startswith("use: ✔ proved")
    assert "iter | n | s | i" in loop["table"]


def test_a_vc_ends_with_its_notes_after_the_goal() -> None:
    data = payload_of(SUM_OK.replace("invariant s == i * (i + 1) / 2", "invariant s == i * i"))
    (maintained,) = [
        ob
        for method in data["methods"]
        for ob in method["obligations"]
        if ob["kind"] == "invariant-maintained" and ob["status"] == "failed"
    ]
    roles = [line[1] for line in maintained["vc"]]
    assert roles[-2:] == ["goal", "note"] and maintained["vc"][-1][2].startswith("decreases₁: ")


def test_a_missing_semicolon_is_underlined_on_the_last_token_of_its_line() -> None:
    data = payload_of("method M() {\n  var x := 1\n  x := 2;\n}\n")
    (diagnostic,) = data["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["end"]) == (2, 12, 13)


def test_no_loop_view_unless_asked() -> None:
    assert payload_of(SUM_OK)["loops"] == []


def test_parse_errors_carry_their_position_for_the_underline() -> None:
    data = payload_of("method M() {\n  var x := ;\n}\n")
    (diagnostic,) = data["diagnostics"]
    assert diagnostic["line"] == 2 and diagnostic["column"] > 1
    assert data["methods"] == []


def test_the_bundle_has_the_live_view_and_both_static_forms() -> None:
    report = verify(MAX, "cell")
    widget = ReportWidget(report, SourceFile("cell", MAX), expanded=True)
    data, _ = widget._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert "✘ failed · postcondition · line 5" in data["text/plain"]
    assert "<details open " in data["text/html"]
    assert data[REPORT_MIMETYPE]["verified"] is False
    assert json.loads(widget.payload)["expanded"] is True
