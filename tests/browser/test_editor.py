"""The JupyterLab extension in a real JupyterLab: a `%%verify` cell's editor highlights
MiniDafny, and after a run it marks the report (underlines with hover text, a gutter with each
line's status), follows the widget (a selected obligation, the trace stepper's line), opens the
widget's obligation from the gutter, and dims its marks once the cell is edited.

Timings (marks after the output, keystroke to paint in a 500-line cell) are printed, never
asserted; `bench/bench_editor.py` runs them alone.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from kernel_ext import verify
from tests.browser.test_lab import RUN_TIMEOUT_MS, UI_TIMEOUT_MS, _open_and_run

with contextlib.suppress(ImportError):  # without it, the `browser` fixture fails and says how to install it
    from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LabServer

NOTEBOOK = "editor_marks.ipynb"
SAVED_NOTEBOOK = "editor_saved.ipynb"
REPORT_MIME = "application/vnd.minidafny.report+json"
LONG_NOTEBOOK = "editor_typing.ipynb"
VERIFY_CELL = """%%verify
method Double(x: nat) returns (y: nat)
  ensures y == 2 * x
{
  y := x + x;
}

method Abs(x: int) returns (y: int)
  ensures y > 0  // not when x is 0
{
  var x' := x;
  if x' < 0 { y := -x'; } else { y := x'; }
}"""
PYTHON_CELL = "def double(x):\n    return x + x  # a comment, and a quote: x'\n"
ABS_FAILS_AT = 12  # the else branch's brace: the return path that breaks `y > 0`
# a hand-made report (as a newer verifier writes it) on a Python cell: an unknown obligation
# and an assumption, which the lesson's program has not
HAND_MADE_REPORT = {
    "verdict": "verified-assuming",
    "obligations": [
        {
            "kind": "assertion",
            "line": 2,
            "column": 1,
            "end_line": 2,
            "end_column": 7,
            "status": "unknown",
            "message": "This assertion might not hold.",
            "reason": "resource limit reached",
        },
    ],
    "errors": [],
    "diagnostics": [],
    "assumptions": [{"line": 3, "column": 1, "end_line": 3, "end_column": 7, "text": "x > 0"}],
}
HAND_MADE_CELL = (
    "from IPython.display import display; import time\n"
    "report = " + json.dumps(HAND_MADE_REPORT) + "\n"
    "time.sleep(2)  # time to edit the cell while it runs\n"
    "display({'application/vnd.minidafny.report+json': report, 'text/plain': 'report'}, raw=True)"
)
FAILURE = ".md-squiggle-failed:not(.md-squiggle-related)"
STALE = re.compile(r"(^|\s)md-marks-stale(\s|$)")
LONG_LINES = 500
KEYSTROKES = 60
LONG_METHOD = """method M{i}(x: int) returns (y: int)
  requires x >= 0
  ensures y >= x + {i}
  ensures y == x + {i}
{{
  y := x;
  var k := {i};
  y := y + k;
  assert y >= x{fails};
}}
"""
LONG_VERIFY_CELL = "%%verify\n" + "\n".join(
    LONG_METHOD.format(i=i, fails=" + 1" if i == 0 else "") for i in range(LONG_LINES // 11)
)
LONG_PYTHON_CELL = "\n".join(
    f"def m{i}(x):\n    assert x >= 0\n    y = x\n    k = {i}\n    y = y + k\n    assert y >= x\n"
    "    # a comment\n    return y\n\n"
    for i in range(LONG_LINES // 9)
)
KEYSTROKE_TIMER_JS = """() => {
    window.__mdKeystrokes = [];
    document.addEventListener('keydown', (event) => {
        const start = event.timeStamp;
        requestAnimationFrame(() => setTimeout(() => window.__mdKeystrokes.push(performance.now() - start), 0));
    }, true);
}"""
MARKS_LATENCY_JS = """(index) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cell = panel.content.widgets[index];
    const kernel = panel.sessionContext.session.kernel;
    let cleared = false, messageAt = null, outputAt = null;
    const onMessage = (_kernel, { msg, direction }) => {
        const data = msg.content && msg.content.data;
        if (direction === 'recv' && data && data['application/vnd.minidafny.report+json'] && messageAt === null) {
            messageAt = performance.now();
        }
    };
    kernel.anyMessage.connect(onMessage);
    window.__mdMarksLatency = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
            const now = performance.now();
            const output = cell.node.querySelector('.jp-OutputArea-child');
            const marks = cell.node.querySelector('.cm-editor .md-squiggle');
            if (!output && !marks) cleared = true;
            if (cleared && output && outputAt === null) outputAt = now;
            if (cleared && outputAt !== null && marks) {
                observer.disconnect();
                kernel.anyMessage.disconnect(onMessage);
                resolve({ fromMessage: now - messageAt, fromOutput: now - outputAt });
            }
        });
        observer.observe(cell.node, { childList: true, subtree: true });
    });
}"""
CELL_JS = "(index) => window.jupyterapp.shell.currentWidget.content.widgets[index]"
CELL_KEYWORD_PROBE = """([index, word]) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
    const span = [...cell.node.querySelectorAll('.cm-content span')].find(s => s.textContent === word);
    return span ? getComputedStyle(span).color : null;
}"""
SELECTION_JS = """(index) => {
    const view = window.jupyterapp.shell.currentWidget.content.widgets[index].editor.editor;
    const range = view.state.selection.main, doc = view.state.doc;
    const at = (pos) => { const line = doc.lineAt(pos); return [line.number, pos - line.from + 1]; };
    return [...at(range.from), ...at(range.to)];
}"""
TRACE_LINE_JS = """(index) => {
    const view = window.jupyterapp.shell.currentWidget.content.widgets[index].editor.editor;
    const lines = [...view.dom.querySelectorAll('.md-trace-line')];
    return lines.map(node => view.state.doc.lineAt(view.posAtDOM(node)).number);
}"""
REPORT_JS = """(index) => {
    const outputs = window.jupyterapp.shell.currentWidget.content.widgets[index].model.outputs;
    for (let i = 0; i < outputs.length; i++) {
        const report = outputs.get(i).data['application/vnd.minidafny.report+json'];
        if (report) return report;
    }
    return null;
}"""


def _write_notebook(path: Path, sources: list[str]) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)


def _editor(cell: Locator) -> Locator:
    return cell.locator(".jp-InputArea-editor .cm-editor")


def test_verify_cells_are_marked_in_their_editor(page: Page, lab_server: LabServer, artifacts: Path) -> None:
    _write_notebook(
        lab_server.root / NOTEBOOK,
        ["%load_ext kernel_ext", VERIFY_CELL, PYTHON_CELL, HAND_MADE_CELL, "method = 1"],
    )
    _open_and_run(page, lab_server.url, NOTEBOOK)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    verify_cell, python_cell, hand_made, later = (cells.nth(i) for i in (1, 2, 3, 4))
    _expect_highlighting(page, verify_cell, python_cell)
    _expect_language_follows_first_line(page, later)
    _expect_marks(verify_cell, hand_made)
    page.screenshot(path=artifacts / "05_editor_marks.png")
    _expect_hover(page, verify_cell, artifacts)
    _expect_widget_selects_in_editor(page, verify_cell)
    _expect_gutter_opens_in_widget(page, verify_cell)
    _expect_trace_step_in_editor(page, verify_cell)
    verify_cell.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "07_editor_trace.png")
    _expect_dimmed_after_edit_until_run(page, verify_cell)
    _expect_dimmed_when_edited_while_running(page, hand_made)


def _expect_dimmed_when_edited_while_running(page: Page, cell: Locator) -> None:
    """Marks of a run whose text was edited before its report came are dimmed at once."""
    editor = _editor(cell)
    expect(editor).not_to_have_class(STALE)
    editor.locator(".cm-line").last.click()
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
    expect(editor.locator(".md-squiggle")).to_have_count(0, timeout=UI_TIMEOUT_MS)  # the run began
    editor.locator(".cm-line").last.click()  # running left the editor
    page.keyboard.press("End")
    page.keyboard.type("  # edited while it runs")
    expect(editor.locator(".md-squiggle-unknown")).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    expect(editor).to_have_class(STALE)


def test_notebook_7_shows_a_saved_report(page: Page, lab_server: LabServer, artifacts: Path) -> None:
    """Notebook 7 highlights the cell and marks the report of an output saved in the file."""
    body = VERIFY_CELL.split("\n", 1)[1]
    report = verify("\n" + body, "cell").to_json()  # as `%%verify` verifies it: line 1 is the magic line
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell(VERIFY_CELL)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={REPORT_MIME: report, "text/plain": "report"})
    ]
    notebook.cells = [cell]
    nbformat.write(notebook, lab_server.root / SAVED_NOTEBOOK)
    page.goto(f"{lab_server.url}/notebooks/{SAVED_NOTEBOOK}")
    editor = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor .cm-editor").first
    expect(editor.locator(".tok-keyword", has_text="method").first).to_be_attached(timeout=RUN_TIMEOUT_MS)
    expect(editor.locator(FAILURE)).to_have_text("{", timeout=UI_TIMEOUT_MS)
    statuses = [mark.get_attribute("data-status") for mark in editor.locator(".md-gutter-mark").all()]
    assert statuses == ["proved", "proved", "failed"], statuses
    page.screenshot(path=artifacts / "08_notebook7.png")


def test_typing_in_a_long_cell(page: Page, lab_server: LabServer) -> None:
    """Keystroke to paint in a 500-line `%%verify` cell with its marks, and in a Python cell of
    the same size (the baseline, measured in the same run); printed, not asserted."""
    _write_notebook(
        lab_server.root / LONG_NOTEBOOK, ["%load_ext kernel_ext", LONG_VERIFY_CELL, LONG_PYTHON_CELL]
    )
    _open_and_run(page, lab_server.url, LONG_NOTEBOOK)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    failed = cells.nth(1).locator(".md-widget .md-ob[data-status='failed']")
    expect(failed).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    page.evaluate(KEYSTROKE_TIMER_JS)
    _editor(cells.nth(0)).locator(".cm-line").first.click()  # the page's first keys warm it up, unmeasured
    page.keyboard.press("End")
    page.keyboard.type("  # warm-up")
    page.keyboard.press("Escape")
    figures = {
        name: _keystroke_to_paint(page, cells.nth(index), marked)
        for name, index, marked in (("verify", 1, True), ("python", 2, False))
    }
    expect(_editor(cells.nth(1))).to_have_class(STALE, timeout=UI_TIMEOUT_MS)  # the marks were there, dimmed
    for name, times in figures.items():
        print(
            f"\nkeystroke to paint, 500-line {name} cell: median {statistics.median(times):.1f} ms, "
            f"p95 {_percentile(times, 95):.1f} ms, max {max(times):.1f} ms ({len(times)} keys; "
            f"the first {times[0]:.1f} ms)"
        )
    assert all(len(times) == KEYSTROKES for times in figures.values())


def _keystroke_to_paint(page: Page, cell: Locator, marked: bool) -> list[float]:
    """Types in the middle of the cell, one key at a time, each measured from its keydown to
    the first moment after the next frame was painted."""
    cell.scroll_into_view_if_needed()
    _editor(cell).locator(".cm-line").first.click()
    page.keyboard.press("Control+Home")
    for _ in range(LONG_LINES // 2):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    gutter = _editor(cell).locator(".md-gutter-mark")  # the editor draws the lines in view only
    if marked:
        expect(gutter.first).to_be_attached()
    else:
        expect(gutter).to_have_count(0)
    page.wait_for_timeout(200)  # the moves' own frames are painted before measuring starts
    page.evaluate("() => { window.__mdKeystrokes = []; }")
    for key in "  // typed"[:KEYSTROKES].ljust(KEYSTROKES, "x"):
        page.keyboard.press(key if key != " " else "Space")
        page.wait_for_function("(count) => window.__mdKeystrokes.length >= count", arg=1)
        page.evaluate(
            "() => { window.__mdDone = (window.__mdDone || []).concat(window.__mdKeystrokes); window.__mdKeystrokes = []; }"
        )
    times = page.evaluate("() => { const done = window.__mdDone; window.__mdDone = []; return done; }")
    page.keyboard.press("Escape")
    return times


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _expect_highlighting(page: Page, verify_cell: Locator, python_cell: Locator) -> None:
    """MiniDafny's keywords, clauses, comments and magic line are tokens of their own; `x'` is a
    name, not a string; a Python cell stays Python, coloured as JupyterLab colours Python."""
    editor = _editor(verify_cell)
    expect(editor.locator(".tok-meta", has_text="%%verify")).to_have_count(1)
    for keyword in ("method", "ensures", "returns", "var", "if", "else"):
        expect(editor.locator(".tok-keyword", has_text=keyword).first).to_be_attached()
    expect(editor.locator(".tok-typeName", has_text="nat").first).to_be_attached()
    expect(editor.locator(".tok-comment")).to_have_text("// not when x is 0")
    expect(editor.locator(".tok-variableName", has_text="x'").first).to_be_attached()
    expect(editor.locator(".tok-string")).to_have_count(0)
    python = _editor(python_cell)
    expect(python.locator("[class*='tok-']")).to_have_count(0)  # JupyterLab's Python mode, not ours
    assert page.evaluate(f"({CELL_JS})(2).model.mimeType") == "text/x-ipython"
    assert page.evaluate(f"({CELL_JS})(1).model.mimeType") == "text/x-minidafny"
    python_keyword = page.evaluate(CELL_KEYWORD_PROBE, [2, "def"])
    assert python_keyword is not None
    assert page.evaluate(CELL_KEYWORD_PROBE, [1, "method"]) == python_keyword  # the theme's keyword colour
    assert page.evaluate(CELL_KEYWORD_PROBE, [1, "// not when x is 0"]) == page.evaluate(
        CELL_KEYWORD_PROBE, [2, "# a comment, and a quote: x'"]
    )


def _expect_language_follows_first_line(page: Page, cell: Locator) -> None:
    """Typing `%%verify` as the first line makes a cell MiniDafny; removing it makes it Python."""
    editor = _editor(cell)
    expect(editor.locator(".tok-keyword", has_text="method")).to_have_count(0)
    editor.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("%%verify\n")
    expect(editor.locator(".tok-keyword", has_text="method")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    expect(editor.locator(".tok-meta", has_text="%%verify")).to_have_count(1)
    page.keyboard.press("Control+End")
    page.keyboard.type("\nmethod N() {\nx\n}")  # Enter indents after `{`; a `}` goes back out
    lines = page.evaluate(f"({CELL_JS})(4).model.sharedModel.getSource()").split("\n")
    assert lines[-3:-1] == ["method N() {", " " * (len(lines[-2]) - 1) + "x"] and len(lines[-2]) > 1, lines
    assert lines[-1] == "}", lines
    page.keyboard.press("Control+Home")
    page.keyboard.press("Shift+End")
    page.keyboard.press("Backspace")
    expect(editor.locator(".tok-keyword")).to_have_count(0, timeout=UI_TIMEOUT_MS)
    page.keyboard.press("Escape")


def _expect_marks(verify_cell: Locator, hand_made: Locator) -> None:
    """The failed postcondition is underlined red at its return path; the gutter says failed on
    that line and proved on the lines whose checks hold; unknown is amber, `assume` its own."""
    editor = _editor(verify_cell)
    failed = editor.locator(FAILURE)
    expect(failed).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    expect(failed).to_have_text("{")
    # the clause it is about, at its operator (where the report puts a clause, as Dafny does)
    expect(editor.locator(".md-squiggle-failed.md-squiggle-related")).to_have_text(">")
    expect(editor.locator(".md-squiggle-unknown")).to_have_count(0)
    gutter = editor.locator(".md-status-gutter .md-gutter-mark")
    expect(gutter).to_have_count(3)  # lines 4 and 5 (Double, proved) and 12 (Abs: one proved, one failed)
    statuses = [mark.get_attribute("data-status") for mark in gutter.all()]
    assert statuses == ["proved", "proved", "failed"], statuses
    color = failed.evaluate("node => getComputedStyle(node).textDecorationColor")
    assert color.startswith("rgba(220, 0, 0"), color
    other = _editor(hand_made)
    expect(other.locator(".md-squiggle-unknown")).to_have_text("report")
    hand_statuses = [m.get_attribute("data-status") for m in other.locator(".md-gutter-mark").all()]
    assert hand_statuses == ["unknown", "assumed"], hand_statuses


def _expect_hover(page: Page, verify_cell: Locator, artifacts: Path) -> None:
    """The failure's message, why in plain words, and what replaying its inputs showed."""
    _editor(verify_cell).locator(FAILURE).hover()
    tooltip = page.locator(".cm-tooltip-hover .md-hover")
    expect(tooltip).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(tooltip).to_contain_text("failed: A postcondition might not hold on this return path.")
    expect(tooltip).to_contain_text("why: When the method returns here")
    expect(tooltip).to_contain_text("replay: confirmed")
    page.screenshot(path=artifacts / "06_editor_hover.png")
    page.mouse.move(0, 0)
    expect(tooltip).to_have_count(0, timeout=UI_TIMEOUT_MS)


def _expect_widget_selects_in_editor(page: Page, verify_cell: Locator) -> None:
    """A click on the failed obligation in the widget selects its span in the editor."""
    report = page.evaluate(REPORT_JS, 1)
    [error] = report["errors"]
    verify_cell.locator(f".md-widget .md-ob[data-status='failed'][data-line='{error['line']}']").click()
    expected = [error["line"], error["column"], error["end_line"], error["end_column"]]
    page.wait_for_function(
        f"(index) => JSON.stringify(({SELECTION_JS})(index)) === '{json.dumps(expected).replace(' ', '')}'",
        arg=1,
        timeout=UI_TIMEOUT_MS,
    )


def _expect_gutter_opens_in_widget(page: Page, verify_cell: Locator) -> None:
    """A click on a proved line's gutter mark opens that obligation in the widget, also when
    its method's group was folded; a click on the failed line opens the failure with its trace."""
    widget = verify_cell.locator(".md-widget")
    gutter = _editor(verify_cell).locator(".md-status-gutter .md-gutter-mark")
    gutter.nth(1).click()  # line 5: Double's `nat` check
    selected = widget.locator(".md-ob.md-selected")
    expect(selected).to_have_attribute("data-line", "5", timeout=UI_TIMEOUT_MS)
    expect(selected).to_have_attribute("data-kind", "subset-type")
    expect(selected).to_be_visible()
    gutter.nth(2).click()
    expect(selected).to_have_attribute("data-line", str(ABS_FAILS_AT), timeout=UI_TIMEOUT_MS)
    expect(selected).to_have_attribute("data-status", "failed")
    expect(widget.locator(".md-detail .md-trace")).to_be_visible()


def _expect_trace_step_in_editor(page: Page, verify_cell: Locator) -> None:
    """The trace stepper's current line is highlighted in the editor, and follows each step."""
    trace = verify_cell.locator(".md-widget .md-trace")
    current = trace.locator(".md-src-line.md-current")
    for _ in range(3):
        line = int(current.get_attribute("data-line"))
        page.wait_for_function(
            f"(index) => JSON.stringify(({TRACE_LINE_JS})(index)) === '[{line}]'",
            arg=1,
            timeout=UI_TIMEOUT_MS,
        )
        if not trace.locator(".md-next").is_enabled():
            break
        trace.locator(".md-next").click()
    seen = page.evaluate(TRACE_LINE_JS, 1)
    assert seen == [int(current.get_attribute("data-line"))]
    # an obligation without a counterexample closes the stepper, and the editor's line with it
    proved = verify_cell.locator(".md-widget .md-ob[data-status='proved']").last
    if not proved.is_visible():  # folded: under a failing method's "n proved", or a verified method
        method = proved.locator("xpath=ancestor::div[contains(@class, 'md-method')]")
        toggle = method.locator(".md-proved-toggle")
        (toggle if toggle.count() else method.locator(".md-method-head")).click()
    proved.click()
    page.wait_for_function(f"(index) => ({TRACE_LINE_JS})(index).length === 0", arg=1, timeout=UI_TIMEOUT_MS)
    verify_cell.locator(f".md-widget .md-ob[data-status='failed'][data-line='{ABS_FAILS_AT}']").click()
    expect(trace).to_be_visible(timeout=UI_TIMEOUT_MS)


def _expect_dimmed_after_edit_until_run(page: Page, verify_cell: Locator) -> None:
    editor = _editor(verify_cell)
    expect(editor).not_to_have_class("md-marks-stale")
    editor.locator(".cm-line").nth(3).click()
    page.keyboard.press("End")
    page.keyboard.type(" ")
    expect(editor).to_have_class(STALE, timeout=UI_TIMEOUT_MS)
    expect(editor.locator(FAILURE)).to_have_count(1)  # kept, dimmed
    color = editor.locator(FAILURE).evaluate("node => getComputedStyle(node).textDecorationColor")
    assert not color.startswith("rgba(220, 0, 0"), color
    page.evaluate(MARKS_LATENCY_JS, 1)
    page.keyboard.press("Shift+Enter")
    expect(editor).not_to_have_class(STALE, timeout=RUN_TIMEOUT_MS)
    expect(editor.locator(FAILURE)).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    latency = page.evaluate("() => window.__mdMarksLatency")
    print(
        f"\nmarks after the output: {latency['fromMessage']:.1f} ms from the kernel's message reaching the "
        f"page, {latency['fromOutput']:.1f} ms from the output's node, to the underline in the editor"
    )
