"""`check(...)` in a real IPython shell: the student's self-check grades the latest solution."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

MAX = "method Max(a: int, b: int) returns (m: int)\n  ensures m >= a && m >= b\n{\n  BODY\n}\n"


@pytest.fixture
def shell() -> InteractiveShell:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "kernel_ext")
    ip.run_line_magic("reload_ext", "kernel_ext")
    yield ip
    InteractiveShell.clear_instance()


def self_check(shell: InteractiveShell) -> tuple[float, str, str]:
    with capture_output() as captured:
        result = shell.run_cell(
            'from autograder import check\ncheck("max-solution", method="Max")', store_history=True
        )
    assert result.error_in_exec is None, result.error_in_exec
    texts = [out.data["text/plain"] for out in captured.outputs]
    return result.result, "\n".join(texts), captured.stderr


def test_the_latest_solution_is_graded(shell) -> None:
    shell.run_cell("%%verify\n" + MAX.replace("BODY", "m := a;"), store_history=True)
    score, shown, err = self_check(shell)
    assert (score, err) == (0.0, "")
    assert "postcondition" in shown
    shell.run_cell(
        "%%verify\n" + MAX.replace("BODY", "if a >= b { m := a; } else { m := b; }"), store_history=True
    )
    score, shown, _ = self_check(shell)
    assert score == 1.0 and "every obligation is proved" in shown


def test_without_a_solution_it_says_what_to_do(shell) -> None:
    with capture_output() as captured:
        shell.run_cell(
            'from autograder import check\ncheck("max-solution", method="Max")', store_history=True
        )
    assert "run your solution cell first" in captured.stdout
