"""What a student sees of a report, in a real JupyterLab, in its light and its dark theme: a
proved obligation in words of success, `assume` as a verdict of its own (amber, not green),
a failing method's failures first with its proved obligations folded under "n proved", rows
that would read the same telling what differs, and each status readable on its background
(the contrast of the text and icons, from the computed styles). Each state is saved as a
screenshot in `tests/browser/artifacts/`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest

from tests.browser.conftest import THEMES, use_theme
from tests.browser.test_lab import RUN_TIMEOUT_MS, UI_TIMEOUT_MS, _open_and_run

with contextlib.suppress(ImportError):  # without it, the `browser` fixture fails and says how to install it
    from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LabServer

NOTEBOOK = "student_view.ipynb"
TEXT_CONTRAST = 4.5  # WCAG AA for text
ICON_CONTRAST = 3.0  # WCAG AA for graphics

CELLS = [
    "%load_ext kernel_ext",
    "%%verify\nmethod Twice(x: int) returns (y: int)\n  ensures y == 2 * x\n{\n  y := x + x;\n}",
    "%%verify\nmethod Guess(x: int) returns (y: int)\n  ensures y > 0\n{\n  assume x > 0;\n  y := x;\n}",
    "%%verify\n"
    "method Sum(n: nat) returns (s: nat)\n"
    "  ensures s == n * (n + 1) / 2\n"
    "{\n"
    "  s := 0;\n"
    "  var i := 0;\n"
    "  while i < n\n"
    "    invariant 0 <= i <= n\n"
    "    invariant s == i * (i + 1) / 2\n"
    "  {\n"
    "    i := i + 1;\n"
    "    s := s + i + 1;\n"
    "  }\n"
    "}\n"
    "function G(n: int): int { if n == 0 then 0 else G(n - 1) + G(n + 1) }",
    "%%verify\nmethod Max(a: int, b: int) returns (m: int)\n  ensures m > a\n{\n"
    "  if a >= b {\n    m := a;\n  } else {\n    m := b;\n  }\n}",
]
PROVED, ASSUMING, FAILING, RETURNING = 1, 2, 3, 4  # the code cells

# The contrast of an element's colour (or its border's) against what is painted behind it: its
# own and its ancestors' backgrounds, translucent tints included, composed down to the first
# opaque one.
CONTRAST = """([element, property]) => {
    const parse = (text) => {
        const m = text.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const [r, g, b, a] = m[1].split(',').map((x) => parseFloat(x));
        return [r, g, b, a === undefined || Number.isNaN(a) ? 1 : a];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        const tint = parse(style.backgroundImage || '');
        if (tint) layers.push(tint);
        const colour = parse(style.backgroundColor);
        if (colour && colour[3] > 0) layers.push(colour);
        if (colour && colour[3] === 1) break;
    }
    let background = [255, 255, 255, 1];
    for (const layer of layers.reverse()) background = over(layer, background);
    const foreground = over(parse(getComputedStyle(element)[property]), background);
    const luminance = (c) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [hi, lo] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.fixture
def notebook(lab_server: LabServer) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab_server.root / NOTEBOOK)
    return NOTEBOOK


@pytest.mark.parametrize("theme", list(THEMES))
def test_what_a_student_sees_in_each_theme(
    page: Page, lab_server: LabServer, artifacts: Path, notebook: str, theme: str
) -> None:
    _open_and_run(page, lab_server.url, notebook)
    try:
        use_theme(page, theme)
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        widgets = [cells.nth(index).locator(".md-widget") for index in range(len(CELLS))]
        _proved_rows_read_as_successes(widgets[PROVED])
        page.screenshot(path=artifacts / f"student-{theme}-1-proved.png")
        _assuming_is_its_own_verdict(widgets[ASSUMING], widgets[PROVED])
        widgets[ASSUMING].scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"student-{theme}-2-assuming.png")
        _failures_first_then_the_proved_folded(widgets[FAILING])
        widgets[FAILING].scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"student-{theme}-3-failing.png")
        _the_proved_unfold_and_every_status_reads(widgets[FAILING])
        page.screenshot(path=artifacts / f"student-{theme}-4-unfolded.png")
        _the_return_path_in_words_and_the_trace_to_the_return(widgets[RETURNING])
        page.screenshot(path=artifacts / f"student-{theme}-5-returned.png")
    finally:  # the theme is a saved setting: the other tests expect light
        use_theme(page, "light")


def _proved_rows_read_as_successes(widget: Locator) -> None:
    expect(widget.locator(".md-header")).to_have_attribute("data-verdict", "verified", timeout=RUN_TIMEOUT_MS)
    widget.locator(".md-method-head").first.click()
    row = widget.locator(".md-ob[data-status='proved']").first
    expect(row).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(row).to_contain_text("the postcondition holds on this return path")
    expect(row).not_to_contain_text("might not")
    row.click()
    detail = widget.locator(".md-detail")
    expect(detail).to_contain_text("the postcondition holds on this return path")
    expect(detail).not_to_contain_text("why:")


def _assuming_is_its_own_verdict(widget: Locator, verified: Locator) -> None:
    header = widget.locator(".md-header")
    expect(header).to_have_attribute("data-verdict", "verified-assuming", timeout=RUN_TIMEOUT_MS)
    expect(header.locator(".md-verdict")).to_have_text("⚠ verified assuming line 5 (x > 0)")
    expect(header).to_contain_text("a grader does not accept it")
    expect(header.locator("code")).to_have_text("assume")  # code, not a literal backtick
    assumed = header.evaluate("node => getComputedStyle(node).backgroundColor")
    proved = verified.locator(".md-header").evaluate("node => getComputedStyle(node).backgroundColor")
    assert "230, 150, 0" in assumed and assumed != proved
    assert _contrast(header.locator(".md-verdict"), "color") >= TEXT_CONTRAST


def _failures_first_then_the_proved_folded(widget: Locator) -> None:
    method = widget.locator(".md-method[data-method='Sum']")
    expect(method).to_have_attribute("data-status", "failed", timeout=RUN_TIMEOUT_MS)
    rows = method.locator(".md-rows > .md-ob")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-status", "failed")
    toggle = method.locator(".md-proved-toggle")
    folded = method.locator(".md-proved .md-ob")
    expect(toggle).to_have_text(f"▶ ✔ {folded.count()} proved")
    assert folded.count() > 5
    expect(method.locator(".md-proved")).to_be_hidden()
    calls = widget.locator(".md-method[data-method='G'] .md-ob[data-kind='termination']")
    expect(calls).to_have_count(2)
    texts = calls.all_inner_texts()
    assert texts[0] != texts[1] and all("column" in text for text in texts), texts


def _the_proved_unfold_and_every_status_reads(widget: Locator) -> None:
    method = widget.locator(".md-method[data-method='Sum']")
    method.locator(".md-proved-toggle").click()
    proved = method.locator(".md-proved .md-ob")
    expect(proved.first).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(method.locator(".md-proved-toggle")).to_have_text(f"▼ ✔ {proved.count()} proved")
    for row in (method.locator(".md-rows > .md-ob").first, proved.first):
        assert _contrast(row.locator(".md-status"), "color") >= TEXT_CONTRAST
        assert _contrast(row.locator(".md-wording"), "color") >= TEXT_CONTRAST
        assert _contrast(row.locator(".md-icon"), "color") >= ICON_CONTRAST
        assert _contrast(row, "borderLeftColor") >= ICON_CONTRAST


def _contrast(element: Locator, style_property: str) -> float:
    return element.evaluate(f"(node) => ({CONTRAST})([node, '{style_property}'])")


def _the_return_path_in_words_and_the_trace_to_the_return(widget: Locator) -> None:
    """A postcondition's row says where the method returns; its trace ends at the `ensures`
    that is false there, with *next* disabled on that last step and its values readable."""
    row = widget.locator(".md-ob[data-status='failed']").first
    expect(row).to_contain_text(
        "when Max returns after the then branch of the if on line 5 (line 6)", timeout=RUN_TIMEOUT_MS
    )
    row.click()
    trace = widget.locator(".md-detail .md-trace")
    expect(trace).to_be_visible(timeout=UI_TIMEOUT_MS)
    position, forward = trace.locator(".md-position"), trace.locator(".md-next")
    steps = int(position.inner_text().split()[-1])
    trace.locator("input[type=range].md-slider").fill(str(steps - 1))
    expect(position).to_have_text(f"step {steps} of {steps}")
    expect(forward).to_be_disabled()
    expect(trace.locator(".md-note")).to_contain_text("line 3: ensures m > a")
    expect(trace.locator(".md-note")).to_contain_text(
        "the method returns here, and this postcondition is false"
    )
    expect(trace.locator(".md-values")).to_contain_text("m = ")
    current = trace.locator(".md-src-line.md-current")
    expect(current).to_have_attribute("data-line", "3")
    widget.scroll_into_view_if_needed()
    values = trace.locator(".md-value").first
    assert _contrast(values, "color") >= TEXT_CONTRAST
