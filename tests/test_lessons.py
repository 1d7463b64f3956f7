"""Every lesson notebook runs in a real Jupyter kernel, and each `%%verify` cell ends as the
lesson intends: its cell metadata (`minidafny`: expect, error_lines, replay) says how.

A lesson's self-check is a `%%verify` cell the student completes and a `check(...)` cell
after it. The notebook holds the student's unfinished version; the cell's metadata holds the
intended solution (`solution`: the whole cell), and the check cell's metadata the score the
unfinished version gets (`score`). With every solution in place, each solution cell verifies
and each check gives full marks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from kernel_ext.present.widget import REPORT_MIMETYPE

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))


def _executed(path: Path, *, store_widget_state: bool = True, solved: bool = False) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    if solved:
        _solve(notebook)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        store_widget_state=store_widget_state,
        resources={"metadata": {"path": str(LESSONS)}},
    ).execute()
    return notebook


def _solve(notebook: nbformat.NotebookNode) -> None:
    """Each self-check cell with its intended solution, which must verify and earn full marks."""
    for cell in notebook.cells:
        intent = cell.metadata.get("minidafny", {})
        if "solution" in intent:
            cell.source = intent["solution"]
            cell.metadata["minidafny"] = {"expect": "verified", "error_lines": []}
        elif "score" in intent:
            cell.metadata["minidafny"] = {"score": 1.0}


def _solved(path: Path) -> bool:
    return any(
        "solution" in cell.metadata.get("minidafny", {}) for cell in nbformat.read(path, as_version=4).cells
    )


def _check_score(cell: nbformat.NotebookNode, intent: dict) -> None:
    """A `check(...)` cell returns the intended score (its result, a fraction of 1)."""
    (result,) = [out for out in cell.outputs if out.get("output_type") == "execute_result"]
    assert float(result["data"]["text/plain"]) == intent["score"], cell.source


def _report(cell: nbformat.NotebookNode) -> dict:
    reports = [out["data"][REPORT_MIMETYPE] for out in cell.outputs if REPORT_MIMETYPE in out.get("data", {})]
    assert len(reports) == 1, f"one report per %%verify cell, got {len(reports)}: {cell.source[:60]}"
    return reports[0]


def _check_wp(cell: nbformat.NotebookNode, intent: dict) -> None:
    """A `%%wp` cell ends with the intended precondition and verdict."""
    (text,) = [out["data"]["text/plain"] for out in cell.outputs if "text/plain" in out.get("data", {})]
    assert f"precondition: {intent['precondition']}\n{intent['wp']}:" in text, text[-300:]


def _check_words(cell: nbformat.NotebookNode, report: dict) -> None:
    """Each proved obligation's row says what was proved; a failing method shows its failures
    first and folds the proved ones under their count; the text has no backticks."""
    (output,) = [out for out in cell.outputs if REPORT_MIMETYPE in out.get("data", {})]
    html, text = output["data"]["text/html"], output["data"]["text/plain"]
    assert "`" not in text
    failed_owners = {error["owner"] for error in report["errors"]}
    for ob in report["obligations"]:
        if ob["status"] == "proved" and ob["owner"] in failed_owners:
            row = rf"✔ proved · {ob['kind']} · line {ob['line']} · (?:[^·\n]+ · )?{re.escape(ob['success'])}"
            assert re.search(row, text), ob
    for owner in failed_owners:
        proved = sum(1 for ob in report["obligations"] if ob["owner"] == owner and ob["status"] == "proved")
        if proved:
            assert f"✔ {proved} proved</summary>" in html


def test_there_are_lessons() -> None:
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_lesson_runs_as_intended(path: Path) -> None:
    committed = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in committed.cells if cell.cell_type == "code"), (
        "lessons are committed without outputs"
    )
    _check_cells(_executed(path))


SELF_CHECKED = [path for path in NOTEBOOKS if _solved(path)]


@pytest.mark.parametrize("path", SELF_CHECKED, ids=[p.name for p in SELF_CHECKED])
def test_the_self_checks_solutions_pass(path: Path) -> None:
    _check_cells(_executed(path, solved=True))


def _check_cells(notebook: nbformat.NotebookNode) -> None:
    checked = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert not any(out.get("name") == "stderr" for out in cell.outputs), cell.source[:60]
        assert not any(out.get("output_type") == "error" for out in cell.outputs), cell.source[:60]
        intent = cell.metadata.get("minidafny")
        if intent is None:
            continue
        if "wp" in intent:
            _check_wp(cell, intent)
            continue
        if "score" in intent:
            _check_score(cell, intent)
            continue
        report = _report(cell)
        assert not report["diagnostics"], report["diagnostics"]
        assert report["verified"] == (intent["expect"] == "verified"), cell.source[:80]
        assert report["verdict"] == ("verified" if report["verified"] else "failed"), cell.source[:80]
        _check_words(cell, report)
        assert sorted({error["line"] for error in report["errors"]}) == intent["error_lines"]
        verdicts = {str(e["line"]): e["trace"]["replay"]["verdict"] for e in report["errors"] if e["trace"]}
        for line, verdict in intent.get("replay", {}).items():
            assert verdicts.get(line) == verdict, (line, verdicts)
        checked += 1
    assert checked >= 3


def test_run_option_prints_the_result() -> None:
    notebook = _executed(LESSONS / "03_loops_and_invariants.ipynb")
    (run,) = [cell for cell in notebook.cells if cell.source.startswith('%%verify --run "Sum(10)"')]
    printed = "".join(out.get("text", "") for out in run.outputs if out.get("name") == "stdout")
    assert "Sum(10) returned s = 55" in printed


def test_the_html_export_shows_the_static_view() -> None:
    """nbconvert (and so nbgrader's feedback) shows the widget's static HTML: the failed
    obligation, its counterexample, its VC and the replay, without a kernel or scripts."""
    notebook = _executed(LESSONS / "01_contracts.ipynb", store_widget_state=False)
    html, _ = HTMLExporter().from_notebook_node(notebook)
    assert "<strong>✘ failed</strong> · <code>postcondition</code> · line 5" in html
    assert "counterexample: inputs: <code>a = 0, b = 0</code>" in html
    assert "verification condition" in html and "m₂ == a" in html
    assert "replay: a confirmed bug." in html
