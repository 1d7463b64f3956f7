"""`%%wp` through a real IPython shell: both views of the steps, the cell's own line numbers,
and a readable message (never a traceback, never stderr) for every kind of bad input."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from kernel_ext.present import wp_magic
from kernel_ext.present.wp_magic import register

ABS = "if x < 0 {\n  y := -x;\n} else {\n  y := x;\n}\n"


@pytest.fixture
def shell() -> InteractiveShell:
    ip = InteractiveShell.instance()
    register(ip)
    yield ip
    InteractiveShell.clear_instance()


def run(shell: InteractiveShell, line: str, cell: str) -> tuple[list[dict], str, str]:
    with capture_output() as captured:
        shell.run_cell_magic("wp", line, cell)
    return [out.data for out in captured.outputs], captured.stdout, captured.stderr


def test_the_abs_cell_shows_every_step_in_text_and_html(shell) -> None:
    [bundle], out, err = run(shell, '--post "y >= 0" --vars "x: int, y: int"', ABS)
    assert not err and not out
    text, html = bundle["text/plain"], bundle["text/html"]
    for fact in (
        "line 2: if x < 0",
        "line 3: y := -x;",
        "Q[y := -x]",
        "x <= 0",
        "precondition: true",
        "valid",
    ):
        assert fact in text
    for fact in ("line 2", "Q[y := -x]", "x &lt;= 0", "precondition: <code>true</code>", "valid"):
        assert fact in html
    assert "<style" not in html and "<script" not in html


def test_a_counterexample_is_shown_in_both_forms(shell) -> None:
    [bundle], _, err = run(shell, "--post 'y > 4'", "x := x + 1;\ny := x * 2;\n")
    assert not err
    text, html = bundle["text/plain"], bundle["text/html"]
    assert "precondition: x > 1" in text and "precondition: <code>x &gt; 1</code>" in html
    for form in (text, html):
        assert "not valid" in form and "Counterexample: x = " in form


def test_a_loop_is_explained_with_the_cells_line_and_column(shell) -> None:
    [bundle], _, err = run(shell, '--post "x > 0"', "x := 1;\nwhile x < 3 {\n  x := x + 1;\n}\n")
    assert not err
    text = bundle["text/plain"]
    assert "line 3, column 1" in text and "loops need invariants: use %%verify" in text
    assert "Traceback" not in text and "loops need invariants" in bundle["text/html"]


@pytest.mark.parametrize(
    "line",
    ["", '--vars "x: int"', "--post", '--post "y >= 0', '--post "y >= 0" --frobnicate'],
    ids=["nothing", "no post", "post without value", "unclosed quote", "unknown option"],
)
def test_bad_options_get_a_one_line_message(shell, line) -> None:
    outputs, out, err = run(shell, line, ABS)
    assert not outputs and not err
    assert out.startswith("%%wp: ") and "Usage: %%wp --post" in out and out.count("\n") == 1


def test_an_internal_failure_is_reported_not_raised(shell, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(wp_magic, "weakest_precondition", broken)
    outputs, out, err = run(shell, '--post "y >= 0"', ABS)
    assert not outputs and not err
    assert "%%wp could not finish (RuntimeError: boom)" in out
