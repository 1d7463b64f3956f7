"""Benchmark `%%verify` in a warm IPython shell against the CLI on the same program.

Run from the repository root:

    .venv/bin/python bench/bench_magic.py [--repeat N]

For every `%%verify` cell of the lesson notebooks it measures, in one process: the cell
verified warm (the shell and Z3 loaded, nothing cached: a fresh notebook program each time),
the same cell run again unchanged (cached), and the cold CLI on the cell's program written to
a file. It prints times and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

REPO_ROOT = Path(__file__).resolve().parents[1]
LESSONS = REPO_ROOT / "lessons"
CLI = Path(sys.executable).with_name("minidafny")


def lesson_notebooks() -> list[tuple[str, list[str]]]:
    """Each lesson's `%%verify` cell bodies, in order (later cells use earlier ones)."""
    found = []
    for path in sorted(LESSONS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        bodies = [
            cell.source.split("\n", 1)[1]
            for cell in notebook.cells
            if cell.cell_type == "code" and cell.source.startswith("%%verify")
        ]
        found.append((path.stem, bodies))
    return found


def timed(action) -> float:  # noqa: ANN001 - any callable
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "kernel_ext")
    print(f"%%verify warm vs the CLI (cold) on the same program; median of {args.repeat}")
    print(f"{'cell':28} {'lines':>5} {'warm ms':>8} {'rerun ms':>9} {'cli ms':>7} {'warm/cli':>9}")
    warm_all, rerun_all = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for lesson, bodies in lesson_notebooks():
            warm: list[list[float]] = [[] for _ in bodies]
            rerun: list[list[float]] = [[] for _ in bodies]
            for _ in range(args.repeat):
                shell.run_line_magic("reload_ext", "kernel_ext")  # a fresh notebook program
                for index, body in enumerate(bodies):
                    with capture_output():
                        warm[index].append(timed(lambda b=body: shell.run_cell_magic("verify", "", b)))
                        rerun[index].append(timed(lambda b=body: shell.run_cell_magic("verify", "", b)))
            for index, body in enumerate(bodies):
                program = Path(tmp) / "cell.dfy"
                program.write_text("\n\n".join(bodies[: index + 1]))  # the cell with what it uses
                cli = statistics.median(
                    timed(lambda p=program: subprocess.run([str(CLI), "verify", str(p)], capture_output=True))
                    for _ in range(args.repeat)
                )
                w, r = statistics.median(warm[index]), statistics.median(rerun[index])
                warm_all.append(w)
                rerun_all.append(r)
                name = f"{lesson}[{index}]"
                print(f"{name:28} {body.count(chr(10)) + 1:5} {w:8.1f} {r:9.1f} {cli:7.0f} {w / cli:8.2f}x")
    print(f"median warm %%verify: {statistics.median(warm_all):.1f} ms   target < 100 ms")
    print(f"median rerun of an unchanged cell: {statistics.median(rerun_all):.1f} ms   target <= 10 ms")


if __name__ == "__main__":
    main()
