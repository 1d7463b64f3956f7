"""Benchmark `python -m autograder grade-all`: one student at a time against several at once.

Run from the repository root:

    .venv/bin/python bench/bench_grading.py [--students 8] [--jobs N ...] [--assignment hw1] [--repeat 1]

It builds a temporary nbgrader course with the whole assignment of `exercises/` and `--students`
submissions, each the reference solution (the source notebooks' solution regions), then runs
`grade-all --force` with `--jobs 1` and with each `--jobs N` (default: as many as the cores, at
least 2, which is grade-all's default, and one more), `--repeat` times each, in turn, and keeps
the fastest run of each. It prints the wall time per submission, the CPU time per submission and
per notebook (grade-all and every process it started: the fork server, nbgrader, the verifier
workers), the cores these kept busy on average (CPU / wall), the cores other programs kept busy
meanwhile (`others`, Linux only: above 0.1 or so, the figures are noisy), the speed-up against
the targets (at most 1 s of CPU per notebook, at least 1.8x with 2 jobs on 2 cores), and checks
that every submission got full marks every time. First, each notebook's reference solution is
verified in this process, as the tests verify it (wall and CPU seconds, the fastest of
`--repeat`), against the target of 3 s each. It asserts no time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.grade_all import child_environment, default_jobs
from kernel_ext import verify

REPO_ROOT = Path(__file__).resolve().parents[1]
EXERCISES = REPO_ROOT / "exercises"
CONFIG = REPO_ROOT / "autograder" / "course" / "nbgrader_config.py"
DELIMITERS = ("// BEGIN SOLUTION", "// END SOLUTION")
MAGIC = "%%verify"
TARGET_REFERENCE_S = 3.0


def run(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A Python module run in the course folder, as an instructor would; stops on failure."""
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=course, env=child_environment(), capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done


def reference(source: str) -> str:
    """A solution cell as the instructor wrote it, without the solution delimiters."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in DELIMITERS)


def solved(release: Path, source: Path) -> nbformat.NotebookNode:
    """The released notebook with every solution cell replaced by the reference solution."""
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: reference(cell.source)
        for cell in nbformat.read(source, as_version=4).cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def build_course(root: Path, assignment: str, students: list[str]) -> None:
    shutil.copy(CONFIG, root / "nbgrader_config.py")
    shutil.copytree(EXERCISES / assignment, root / "source" / assignment)
    run(root, "nbgrader", "generate_assignment", assignment, "--force")
    for path in sorted((root / "release" / assignment).glob("*.ipynb")):
        notebook = solved(path, root / "source" / assignment / path.name)
        for student in students:
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, folder / path.name)


def reference_program(path: Path) -> str:
    """A source notebook's program as the tests verify it: its `%%verify` cells in order, each
    magic line kept as an empty line."""
    cells = nbformat.read(path, as_version=4).cells
    bodies = [
        cell.source.partition("\n")[2]
        for cell in cells
        if cell.cell_type == "code" and cell.source.startswith(MAGIC)
    ]
    return "\n".join("\n" + body for body in bodies)


@dataclass(frozen=True)
class Verified:
    wall: float  # seconds
    cpu: float  # CPU seconds of this process, Z3's threads included
    verified: bool


def verify_reference(path: Path, repeat: int) -> Verified:
    """The fastest of `repeat` in-process verifications of a notebook's reference solution."""
    runs = []
    for _ in range(repeat):
        cpu, started = time.process_time(), time.perf_counter()
        report = verify(reference_program(path), path.name)
        runs.append(Verified(time.perf_counter() - started, time.process_time() - cpu, report.verified))
    return min(runs, key=lambda run: run.wall)


def print_reference_times(assignment: str, repeat: int) -> None:
    verify("method Warm() { }", "warm.dfy")  # the parser is built and Z3 loaded once, not timed
    print(f"reference solutions verified in this process, fastest of {repeat}:")
    print(f"{'notebook':<32} {'wall s':>7} {'CPU s':>6}  verified")
    slowest = 0.0
    for path in sorted((EXERCISES / assignment).glob("*.ipynb")):
        run = verify_reference(path, repeat)
        slowest = max(slowest, run.wall)
        print(f"{path.name:<32} {run.wall:7.2f} {run.cpu:6.2f}  {run.verified}")
    print(f"slowest reference solution: {slowest:.2f} s   target <= {TARGET_REFERENCE_S:g} s each")


def max_score(root: Path, assignment: str) -> float:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return gradebook.find_assignment(assignment).max_score


def scores(root: Path, assignment: str, students: list[str]) -> list[float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return [gradebook.find_submission(assignment, student).score for student in students]


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every descendant, once it has ended
    return usage.ru_utime + usage.ru_stime


def machine_cpu_seconds() -> float:
    """CPU seconds used by every program on the machine since it started (Linux; else 0)."""
    try:
        fields = [int(field) for field in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    except OSError:
        return 0.0
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # CPU seconds of grade-all and every process it started
    others: float  # CPU seconds of every other program meanwhile


def timed_grading(root: Path, assignment: str, jobs: int) -> Run:
    cpu, machine, started = children_cpu_seconds(), machine_cpu_seconds(), time.perf_counter()
    run(root, "autograder", "grade-all", assignment, "--jobs", str(jobs), "--force")
    wall, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
    return Run(wall, cpu, max(0.0, machine_cpu_seconds() - machine - cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=sorted({max(2, default_jobs()), default_jobs() + 1})
    )
    parser.add_argument("--assignment", default="hw1")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, the fastest kept")
    args = parser.parse_args()
    print_reference_times(args.assignment, args.repeat)
    students = [f"student{index:02}" for index in range(args.students)]
    notebooks = len(list((EXERCISES / args.assignment).glob("*.ipynb")))
    runs: dict[int, list[Run]] = {jobs: [] for jobs in sorted({1, *args.jobs})}
    correct = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_course(root, args.assignment, students)
        full = max_score(root, args.assignment)
        print(
            f"grade-all {args.assignment}: {notebooks} notebooks, {len(students)} submissions, {full:g} points"
        )
        for _ in range(args.repeat):
            for jobs in runs:
                runs[jobs].append(timed_grading(root, args.assignment, jobs))
                correct &= all(score == full for score in scores(root, args.assignment, students))
    print(
        f"{'jobs':>4} {'wall s':>7} {'s/submission':>13} {'CPU s/submission':>17} {'CPU s/notebook':>15} "
        f"{'cores busy':>11} {'others':>7}"
    )
    best = {jobs: min(done, key=lambda run: run.wall) for jobs, done in runs.items()}
    for jobs, fastest in best.items():
        per_submission = (fastest.wall / len(students), fastest.cpu / len(students))
        per_notebook = per_submission[1] / notebooks
        busy = (fastest.cpu / fastest.wall, fastest.others / fastest.wall)
        print(
            f"{jobs:4} {fastest.wall:7.1f} {per_submission[0]:13.2f} {per_submission[1]:17.2f} {per_notebook:15.2f} "
            f"{busy[0]:11.2f} {busy[1]:7.2f}"
        )
    print(f"every submission got full marks every time: {correct}")
    print(f"CPU per notebook, one job: {best[1].cpu / len(students) / notebooks:.2f} s   target <= 1 s")
    for jobs in [jobs for jobs in best if jobs != 1]:
        default = " (grade-all's default)" if jobs == default_jobs() else ""
        print(
            f"speed-up with {jobs} jobs{default} on {os.cpu_count()} cores: {best[1].wall / best[jobs].wall:.2f}x"
            "   target >= 1.8x with 2 jobs on 2 cores"
        )


if __name__ == "__main__":
    main()
