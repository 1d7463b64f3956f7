"""Lessons in a real JupyterLab: every cell runs, each `%%verify` cell shows its widget, and
a failed obligation opens a counterexample trace that can be stepped through.

What each cell should end as comes from the lesson's own cell metadata (`minidafny`), the
same that `tests/test_lessons.py` checks without a browser.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest

with contextlib.suppress(ImportError):  # without it, the `browser` fixture fails and says how to install it
    from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LabServer

LESSON = "01_contracts.ipynb"
LESSONS_RUN = [LESSON, "04_termination.ipynb", "07_arrays_and_quantifiers.ipynb"]
RUN_TIMEOUT_MS = 60_000  # the whole notebook, on a 2-core machine
UI_TIMEOUT_MS = 10_000  # one click's effect
EXECUTED_PROMPT = re.compile(r"\[\d+\]")
DECLARED = re.compile(r"^\s*(?:method|function|predicate|lemma)\s+(\w+)", re.MULTILINE)
KERNEL_READY = """() => {
    const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
    return kernel?.connectionStatus === 'connected' && kernel?.status === 'idle';
}"""


@dataclass(frozen=True)
class VerifyCell:
    index: int  # among the notebook's code cells
    names: list[str]  # the methods and functions it declares
    fails: bool
    error_lines: list[int]
    replay: dict[str, str]  # the replay verdict of a failed obligation, by its line


@pytest.mark.parametrize("lesson", LESSONS_RUN)
def test_a_lesson_in_jupyterlab(page: Page, lab_server: LabServer, artifacts: Path, lesson: str) -> None:
    cells = _verify_cells(lab_server.root / lesson)
    _open_and_run(page, lab_server.url, lesson)
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    _expect_outputs(page, code_cells, cells)
    shots = artifacts / Path(lesson).stem
    shots.mkdir(exist_ok=True)
    page.screenshot(path=shots / "01_ran.png")

    for cell in cells:
        _expect_method_statuses(code_cells.nth(cell.index), cell)
    stepped = False
    for failing in (cell for cell in cells if cell.fails):
        widget = code_cells.nth(failing.index).locator(".md-widget")
        line = failing.error_lines[0]
        _open_failed_obligation(widget, line)
        if str(line) in failing.replay:
            expect(widget.locator(".md-replay")).to_have_attribute("data-verdict", failing.replay[str(line)])
        trace = widget.locator(".md-trace")
        if stepped or not _steps(trace) > 1:  # a failure on a body's first line has no steps before it
            continue
        page.screenshot(path=shots / "02_obligation.png")
        _step_trace(trace)
        page.screenshot(path=shots / "03_stepped.png")
        stepped = True
    assert stepped, "no failing cell of the lesson has a trace to step through"


def _steps(trace: Locator) -> int:
    position = trace.locator(".md-position")
    return int(position.inner_text().split()[-1]) if position.count() else 0


def _verify_cells(path: Path) -> list[VerifyCell]:
    """The lesson's `%%verify` cells with their intended outcome, from the cell metadata."""
    code = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    return [
        VerifyCell(
            index,
            DECLARED.findall(cell.source),
            cell.metadata["minidafny"]["expect"] == "fails",
            cell.metadata["minidafny"]["error_lines"],
            cell.metadata["minidafny"].get("replay", {}),
        )
        for index, cell in enumerate(code)
        if "expect" in cell.metadata.get("minidafny", {})  # `%%wp` cells have no verdict of their own
    ]


def _open_and_run(page: Page, url: str, notebook: str) -> None:
    page.goto(f"{url}/lab/tree/{notebook}?reset")
    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=RUN_TIMEOUT_MS)
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    idle.wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    # the indicator says idle before the kernel is there; running then asks for a kernel in a dialog
    page.wait_for_function(KERNEL_READY, timeout=RUN_TIMEOUT_MS)
    # not awaited: the command's promise may settle long after the cells ran, or never
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_TIMEOUT_MS,
    )


def _expect_outputs(page: Page, code_cells: Locator, cells: list[VerifyCell]) -> None:
    """Every code cell ran without an error or stderr (so `%load_ext kernel_ext` worked in the
    server's kernel), and each `%%verify` cell shows the names it declares."""
    for index in range(code_cells.count()):
        expect(code_cells.nth(index).locator(".jp-InputArea-prompt")).to_have_text(EXECUTED_PROMPT)
    notebook = page.locator(".jp-Notebook")
    expect(notebook.locator("[data-mime-type='application/vnd.jupyter.stderr']")).to_have_count(
        0
    )  # errors too
    for cell in cells:
        output = code_cells.nth(cell.index).locator(".jp-OutputArea-output").first
        for name in cell.names:
            expect(output).to_contain_text(name, timeout=RUN_TIMEOUT_MS)


def _expect_method_statuses(code_cell: Locator, cell: VerifyCell) -> None:
    widget = code_cell.locator(".md-widget")
    expect(widget).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    status = "failed" if cell.fails else "proved"
    expect(widget.locator(f".md-method[data-status='{status}']").first).to_be_attached()
    if not cell.fails:
        for name in cell.names:
            expect(widget.locator(f".md-method[data-method='{name}']")).to_have_attribute(
                "data-status", "proved"
            )


def _open_failed_obligation(widget: Locator, line: int) -> None:
    row = widget.locator(f".md-ob[data-status='failed'][data-line='{line}']").first
    expect(row).to_contain_text(f"line {line}")
    row.click()
    detail = widget.locator(".md-detail")
    expect(detail).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(detail.locator(".md-vc")).not_to_be_empty()
    expect(detail.locator(".md-trace")).to_be_visible()


def _step_trace(trace: Locator) -> None:
    """Step until the highlighted source line moves; the position text and slider follow."""
    position = trace.locator(".md-position")
    current = trace.locator(".md-src-line.md-current")
    slider = trace.locator("input[type=range].md-slider")
    expect(position).to_have_text(re.compile(r"step \d+ of \d+"))
    expect(current).to_have_count(1)
    expect(trace.locator(".md-values")).not_to_be_empty()
    first_line, first_position = current.get_attribute("data-line"), position.inner_text()
    first_value = slider.input_value()
    steps = int(first_position.split()[-1])
    forward = trace.locator(".md-next")
    button = forward if forward.is_enabled() else trace.locator(".md-prev")  # it may open on the last step
    seen = first_position
    for _ in range(steps):
        button.click()
        expect(position).not_to_have_text(seen, timeout=UI_TIMEOUT_MS)
        seen = position.inner_text()
        if current.get_attribute("data-line") != first_line:
            break
    expect(current).not_to_have_attribute("data-line", first_line)
    expect(position).not_to_have_text(first_position)
    expect(slider).not_to_have_value(first_value)
    _step_to_the_ends(trace, steps)


def _step_to_the_ends(trace: Locator, steps: int) -> None:
    """*previous* is disabled on the first step, *next* on the last (the return, where the
    postcondition is false), and the counter says where the student is."""
    position, previous, forward = (trace.locator(f".md-{part}") for part in ("position", "prev", "next"))
    slider = trace.locator("input[type=range].md-slider")
    slider.fill("0")
    expect(position).to_have_text(f"step 1 of {steps}")
    expect(previous).to_be_disabled()
    for number in range(2, steps + 1):
        forward.click()
        expect(position).to_have_text(f"step {number} of {steps}")
        expect(previous).to_be_enabled()
    expect(forward).to_be_disabled()


def test_lesson_three_shows_each_loops_invariants_and_a_run(
    page: Page, lab_server: LabServer, artifacts: Path
) -> None:
    """The loop view: a wrong invariant is not maintained and the run shows where it turns false,
    a too-weak one cannot be used after the loop, the fixed loop is proved; each has a table of a
    real run; `--run` prints the call's result."""
    lesson = "03_loops_and_invariants.ipynb"
    _open_and_run(page, lab_server.url, lesson)
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    index = _code_cell_index(lab_server.root / lesson)
    wrong, weak, fixed = (
        code_cells.nth(index(source)).locator(".md-widget .md-loop")
        for source in ("invariant odd == i + 1", "invariant p == i * b", "invariant odd == 2 * i + 1")
    )
    expect(wrong).to_have_attribute("data-status", "failed", timeout=RUN_TIMEOUT_MS)
    wrong_invariant = wrong.locator("tbody tr").nth(2)
    expect(wrong_invariant).to_contain_text("odd == i + 1")
    expect(wrong_invariant.locator("td").nth(2)).to_have_text("✔ proved")  # initiation
    expect(wrong_invariant.locator("td").nth(3)).to_have_text("✘ failed")  # maintenance
    expect(wrong.locator(".md-loop-table")).to_contain_text("false*")  # where it first turns false
    expect(weak).to_have_attribute("data-status", "failed")
    expect(weak.locator("tbody tr").first.locator("td").nth(3)).to_have_text("✔ proved")  # true and kept
    expect(weak.locator(".md-loop-use")).to_contain_text("do not prove postcondition")
    expect(fixed).to_have_attribute("data-status", "proved")
    expect(fixed.locator(".md-loop-table")).to_contain_text("the run finished normally")
    run = code_cells.nth(index('%%verify --run "Sum(10)"'))
    expect(run.locator(".jp-OutputArea")).to_contain_text("Sum(10) returned s = 55")
    wrong.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "04_loop_view.png")


def _code_cell_index(path: Path):  # noqa: ANN202 - a function from a source fragment to an index
    """The index among the notebook's code cells of the first one whose source contains a text."""
    sources = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]

    def index(fragment: str) -> int:
        return next(number for number, source in enumerate(sources) if fragment in source)

    return index
