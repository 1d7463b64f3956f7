"""Benchmark the whole course: every lesson cell, every self-check solution and every
exercise's reference solution, verified by MiniDafny and by Debian's Dafny 2.3 in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_course.py [--no-dafny]

MiniDafny runs as a lecturer's kernel does: one warm IPython shell, `%%verify` on each lesson's
cells in order (a fresh notebook program per lesson, so nothing is cached from another
lesson), then each self-check's intended solution. Each exercise's reference program is
verified in the same process. Dafny gets the same programs, one file each: for a lesson cell,
the notebook's program as that cell leaves it. The script prints times and ratios; the target
is the course in under 60 s. It asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_verifier import DAFNY_ARGS, DAFNY_OK_CODES, PROCESS_TIMEOUT_S, ensure_dafny  # noqa: E402

from kernel_ext import verify  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
MAGIC = "%%verify"
TARGET_COURSE_S = 60.0


@dataclass
class Part:
    """A lesson or an exercise set: its programs and the time each tool took on them."""

    name: str
    programs: list[str] = field(default_factory=list)
    times_s: list[float] = field(default_factory=list)  # MiniDafny's, one per program
    dafny_s: float | None = None  # on the programs Dafny reads
    minidafny_on_read_s: float = 0.0  # MiniDafny on those same programs
    dafny_read: int = 0

    @property
    def minidafny_s(self) -> float:
        return sum(self.times_s)

    def add(self, program: str, seconds: float) -> None:
        self.programs.append(program)
        self.times_s.append(seconds)


def verify_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        cell.source for cell in notebook.cells if cell.cell_type == "code" and cell.source.startswith(MAGIC)
    ]


def solutions(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        cell.metadata["minidafny"]["solution"]
        for cell in notebook.cells
        if "solution" in cell.metadata.get("minidafny", {})
    ]


def run_lesson(shell: InteractiveShell, path: Path) -> Part:
    """The lesson's cells, then its solutions, in one fresh notebook program."""
    notebook = nbformat.read(path, as_version=4)
    part = Part(path.stem)
    shell.run_line_magic("reload_ext", "kernel_ext")
    magic = shell.magics_manager.registry["VerifyMagics"]
    for source in [*verify_cells(notebook), *solutions(notebook)]:
        line, _, body = source.partition("\n")
        started = time.perf_counter()
        with capture_output():
            shell.run_cell_magic("verify", line[len(MAGIC) :].strip(), body)
        part.add("\n\n".join(magic.program.declarations.values()), time.perf_counter() - started)
    return part


def run_exercises(folder: Path) -> Part:
    """Each exercise's program with its reference solution, as the exercise test builds it."""
    part = Part(f"exercises/{folder.name}")
    for path in sorted(folder.glob("*.ipynb")):
        cells = verify_cells(nbformat.read(path, as_version=4))
        program = "\n".join("\n" + source.partition("\n")[2] for source in cells)
        started = time.perf_counter()
        verify(program, path.name)
        part.add(program, time.perf_counter() - started)
    return part


def run_dafny(dafny: str, part: Part, folder: Path) -> None:
    """Dafny on each of the part's programs; only the ones it can read count."""
    part.dafny_s = 0.0
    for index, (program, own_s) in enumerate(zip(part.programs, part.times_s, strict=True)):
        file = folder / f"{part.name.replace('/', '_')}_{index}.dfy"
        file.write_text(program)
        started = time.perf_counter()
        done = subprocess.run(
            [dafny, *DAFNY_ARGS, str(file)],
            capture_output=True,
            text=True,
            timeout=PROCESS_TIMEOUT_S,
            check=False,
        )
        spent = time.perf_counter() - started
        if done.returncode in DAFNY_OK_CODES:
            part.dafny_s += spent
            part.minidafny_on_read_s += own_s
            part.dafny_read += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-dafny", action="store_true", help="time MiniDafny only")
    args = parser.parse_args()
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "kernel_ext")
    verify("method Warm() { }", "warm.dfy")  # imports and Z3's start-up are not the course's
    parts = [run_lesson(shell, path) for path in sorted((REPO_ROOT / "lessons").glob("*.ipynb"))]
    parts += [run_exercises(folder) for folder in sorted((REPO_ROOT / "exercises").glob("hw*"))]
    dafny = None if args.no_dafny else ensure_dafny()
    if dafny is not None:
        with tempfile.TemporaryDirectory() as tmp:
            for part in parts:
                run_dafny(dafny.executable, part, Path(tmp))
    report(parts, dafny.version if dafny else None)


def report(parts: list[Part], dafny_version: str | None) -> None:
    print(f"The course, verified by MiniDafny (warm kernel) and {dafny_version or 'no Dafny'}")
    print(f"{'part':36} {'programs':>8} {'MiniDafny s':>12} {'Dafny reads':>12} {'Dafny s':>8} {'ratio':>7}")
    for part in parts:
        dafny = "" if part.dafny_s is None else f"{part.dafny_s:8.1f}"
        ratio = f"{part.minidafny_on_read_s / part.dafny_s:6.2f}x" if part.dafny_s else ""
        reads = "" if part.dafny_s is None else f"{part.dafny_read}/{len(part.programs)}"
        print(
            f"{part.name:36} {len(part.programs):8} {part.minidafny_s:12.2f} {reads:>12} {dafny:>8} {ratio:>7}"
        )
    total = sum(part.minidafny_s for part in parts)
    programs = sum(len(part.programs) for part in parts)
    print(f"course: {programs} programs in {total:.1f} s with MiniDafny (target < {TARGET_COURSE_S:.0f} s)")
    if dafny_version is not None:
        read = sum(part.dafny_read for part in parts)
        dafny_total = sum(part.dafny_s or 0.0 for part in parts)
        ours = sum(part.minidafny_on_read_s for part in parts)
        print(
            f"Dafny read {read} of {programs} programs (the others use syntax it lacks): {dafny_total:.1f} s"
        )
        print(
            f"MiniDafny on those {read}: {ours:.1f} s, ratio {ours / dafny_total:.2f}x (per lesson: 'ratio')"
        )


if __name__ == "__main__":
    main()
