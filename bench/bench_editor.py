"""Keystroke to paint in the notebook editor, with and without MiniDafny's marks.

Run from the repository root (it needs what the browser tests need: `.ci/run` installs it):

    .venv/bin/python bench/bench_editor.py

It runs the browser test that types, one key at a time, in the middle of a 500-line `%%verify`
cell after its run (highlighted as MiniDafny, with its gutter and underlines, dimmed by the
first key) and, as the baseline in the same run, in a Python cell of the same size. Each key
is timed in the page from its `keydown` to the first moment after the next painted frame. It
prints the median, 95th percentile and maximum of each; it asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/browser/test_editor.py::test_typing_in_a_long_cell"


def main() -> int:
    command = [sys.executable, "-m", "pytest", TEST, "-q", "-s", "-p", "no:cacheprovider"]
    return subprocess.call(command, cwd=REPO_ROOT)


if __name__ == "__main__":
    sys.exit(main())
