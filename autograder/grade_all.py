"""`grade-all`: autograde every submission of an assignment, several students at a time.

Each student is graded by its own `nbgrader autograde ASSIGNMENT --student S` process, run in
the course folder, so grades go into nbgrader's gradebook exactly as nbgrader writes them. A
pool of workers keeps `jobs` of these processes running. A student is done when nbgrader's
process ends well: its `autograded/<student>/<assignment>/` folder is complete then, and stays
so whatever happens to the others. A rerun skips the students whose folder is complete and
matches their submission (`--force` grades everyone again), so a crash or Ctrl-C loses no
finished grade, and a folder left unfinished by a crash is graded again. A student whose
grading fails or is interrupted has no autograded folder; a failure is reported with the end
of nbgrader's log. The other students' grades are kept.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.context import ForkServerContext
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from sqlalchemy.engine import make_url
from traitlets.config.loader import ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

from autograder.marks import is_marked_graded
from autograder.nbgrader_process import AutogradeJob, StudentProcess, new_log, server, stop_server

LOG_TAIL_LINES = 25
# On SIGINT, nbgrader stops its kernel, removes the unfinished folder and exits. While a kernel
# runs, though, a SIGINT only stops that kernel and nbgrader goes on: so it is sent every
# INTERRUPT_EVERY_SECONDS, and a process still running after STOP_GRACE_SECONDS is killed.
INTERRUPT_EVERY_SECONDS = 1.0
STOP_GRACE_SECONDS = 10.0
# SQLite waits this long for another process's write to end before "database is locked".
SQLITE_BUSY_TIMEOUT = 120


class Status(Enum):
    GRADED = "graded"
    SKIPPED = "skipped"
    FAILED = "failed"
    STOPPED = "stopped"  # interrupted before or while grading


@dataclass(frozen=True)
class Outcome:
    student: str
    status: Status
    seconds: float = 0.0
    log: str = ""
    returncode: int | None = None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(self.log.rstrip().splitlines()[-lines:])


@dataclass(frozen=True)
class Course:
    """The nbgrader course folder and the paths of one assignment in it."""

    root: Path
    assignment: str

    def submitted(self, student: str) -> Path:
        return self.root / "submitted" / student / self.assignment

    def autograded(self, student: str) -> Path:
        return self.root / "autograded" / student / self.assignment

    def students(self) -> list[str]:
        """Everyone with a submission of the assignment, in name order."""
        folder = self.root / "submitted"
        if not folder.is_dir():
            return []
        return sorted(path.name for path in folder.iterdir() if (path / self.assignment).is_dir())

    def graded_notebooks(self, student: str) -> list[str]:
        """The submitted notebooks nbgrader grades (those of the assignment's source, if it has one)."""
        submitted = {path.name for path in self.submitted(student).glob("*.ipynb")}
        source = self.root / "source" / self.assignment
        if source.is_dir():
            submitted &= {path.name for path in source.glob("*.ipynb")}
        return sorted(submitted)

    def is_up_to_date(self, student: str) -> bool:
        """Whether the student's autograded folder is complete and was made from this submission."""
        submitted, autograded = self.submitted(student), self.autograded(student)
        if not autograded.is_dir() or not _same_timestamp(submitted, autograded):
            return False
        return all(
            _is_graded_notebook(autograded / name, submitted / name)
            for name in self.graded_notebooks(student)
        )


def _same_timestamp(submitted: Path, autograded: Path) -> bool:
    """nbgrader copies `timestamp.txt` from the submission; a new submission has a new one."""
    stamp = submitted / "timestamp.txt"
    if not stamp.exists():
        return True
    copy = autograded / "timestamp.txt"
    return copy.exists() and copy.read_text().strip() == stamp.read_text().strip()


def _is_graded_notebook(graded: Path, submitted: Path) -> bool:
    """A whole notebook (not cut short by a crash), written after the submitted one, and graded.

    nbgrader writes the notebook twice: first as rebuilt from the gradebook (or, in a plain
    nbgrader course, with its outputs cleared), then graded, over that. A crash in between leaves
    a notebook that `VerifiedGrades` has not marked as graded (and whose code cells never ran)."""
    try:
        if graded.stat().st_mtime < submitted.stat().st_mtime:
            return False
        notebook = json.loads(graded.read_text(encoding="utf-8"))
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    ran = not code or any(cell.get("execution_count") is not None for cell in code)
    return is_marked_graded(notebook) or ran


def gradebook_url(root: Path) -> str:
    """The gradebook nbgrader uses for this course, with a long busy timeout if it is SQLite.

    Each nbgrader process writes its student's grades in short transactions; while one writes,
    SQLite makes the others wait, but only for 5 s by default, after which nbgrader gives up on
    that student ("database is locked"). SQLAlchemy passes a `timeout` in the URL on to SQLite.
    """
    url = make_url(configured_gradebook(root) or f"sqlite:///{(root / 'gradebook.db').resolve()}")
    if url.get_backend_name() == "sqlite" and "timeout" not in url.query:
        url = url.update_query_dict({"timeout": str(SQLITE_BUSY_TIMEOUT)})
    return url.render_as_string(hide_password=False)


def db_url_override(root: Path) -> str | None:
    """The `db_url` to give each nbgrader process: the SQLite gradebook with its busy timeout.
    None for another database, which needs no timeout (and its password stays out of `ps`)."""
    url = gradebook_url(root)
    return url if make_url(url).get_backend_name() == "sqlite" else None


def configured_gradebook(root: Path) -> str | None:
    """`c.CourseDirectory.db_url` from the configuration files nbgrader reads in this course folder."""
    url = None
    folders = [str(root), *jupyter_config_path()]  # the first one wins, as in nbgrader
    for folder in reversed(folders):
        for loader, name in (
            (PyFileConfigLoader, "nbgrader_config.py"),
            (JSONFileConfigLoader, "nbgrader_config.json"),
        ):
            try:
                config = loader(name, folder).load_config()
            except ConfigFileNotFound:
                continue
            url = config.get("CourseDirectory", {}).get("db_url", url)
    return url


def default_jobs() -> int:
    """As many students at a time as there are cores: grading one keeps one core busy (no kernel
    runs, and the verifier proves on one thread while grading)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def child_environment() -> dict[str, str]:
    """This environment, with this Python's scripts first on PATH (nbgrader runs `alembic` from it)."""
    env = {key: value for key, value in os.environ.items() if key != "NBGRADER_EXECUTION"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@dataclass
class Launcher:
    """Runs the nbgrader processes (`autograder.nbgrader_process`); `stop()` stops launching and
    interrupts the running ones."""

    course: Course
    db_url: str | None
    env: dict[str, str] = field(default_factory=child_environment)
    _context: ForkServerContext = field(default_factory=server)
    _running: dict[str, StudentProcess] = field(default_factory=dict)
    _stopping: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def grade(self, student: str) -> Outcome:
        started = time.perf_counter()
        with self._lock:
            if self._stopping:
                return Outcome(student, Status.STOPPED)
            job = AutogradeJob(
                str(self.course.root), self.course.assignment, student, self.db_url, self.env, new_log()
            )
            try:
                process = StudentProcess(self._context, job)
            except OSError as error:
                return Outcome(student, Status.FAILED, log=f"cannot start nbgrader: {error}")
            self._running[student] = process
        returncode = process.wait()
        log = process.log()
        Path(job.log).unlink(missing_ok=True)
        with self._lock:
            del self._running[student]
            stopped = self._stopping
        return self._outcome(student, returncode, log, time.perf_counter() - started, stopped)

    def _outcome(self, student: str, returncode: int, log: str, seconds: float, stopped: bool) -> Outcome:
        if returncode == 0:
            return Outcome(student, Status.GRADED, seconds, log, returncode)
        shutil.rmtree(self.course.autograded(student), ignore_errors=True)  # never leave half a grading
        status = Status.STOPPED if stopped else Status.FAILED
        return Outcome(student, status, seconds, log, returncode)

    def stop(self) -> None:
        """Launch nothing more; interrupt every running nbgrader until it has ended."""
        with self._lock:
            self._stopping = True
            running = list(self._running.values())
        deadline, next_signal = time.monotonic() + STOP_GRACE_SECONDS, 0.0
        while running := [process for process in running if process.running()]:
            now = time.monotonic()
            if now >= next_signal:
                for process in running:
                    _signal_group(process, signal.SIGINT if now < deadline else signal.SIGKILL)
                next_signal = now + INTERRUPT_EVERY_SECONDS
            time.sleep(0.05)


def _signal_group(process: StudentProcess, signum: int) -> None:
    """The process and everything it started (its own session's group; before it has made that
    group, the process alone)."""
    if process.pid is None:
        return
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        with suppress(ProcessLookupError):
            os.kill(process.pid, signum)


@dataclass(frozen=True)
class Summary:
    assignment: str
    outcomes: tuple[Outcome, ...]
    seconds: float
    jobs: int
    interrupted: bool = False

    def count(self, status: Status) -> int:
        return sum(outcome.status is status for outcome in self.outcomes)

    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status is Status.FAILED]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failures() else 0

    def text(self) -> str:
        lines = []
        for outcome in self.failures():
            lines.append(f"FAILED {outcome.student} (exit code {outcome.returncode}); the end of its log:")
            lines.append(_indent(outcome.log_tail()))
        counts = ", ".join(
            f"{self.count(status)} {status.value}"
            for status in Status
            if status is not Status.STOPPED or self.count(status)
        )
        jobs = f"{self.jobs} job{'s' if self.jobs != 1 else ''}"
        lines.append(f"{self.assignment}: {counts} in {self.seconds:.1f} s ({jobs})")
        if self.interrupted:
            lines.append("interrupted: finished grades are kept; run the command again to grade the rest")
        return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


Progress = Callable[[Outcome], None]
ProgressFactory = Callable[[int], AbstractContextManager[Progress | None]]


def plan(course: Course, force: bool) -> tuple[list[str], list[str]]:
    """The students to grade (missing or out of date, or everyone with `force`) and those to skip."""
    students = course.students()
    if force:
        return students, []
    stale = {student for student in students if not course.is_up_to_date(student)}
    return [s for s in students if s in stale], [s for s in students if s not in stale]


def grade_all(
    course: Course,
    *,
    jobs: int,
    force: bool = False,
    progress: ProgressFactory | None = None,
) -> Summary:
    """Grade what `plan` says, `jobs` students at a time. `progress(n)` is called with the number
    to grade and gives a context manager of a callback for each one done. On KeyboardInterrupt,
    the running gradings are stopped and the summary says so."""
    started = time.perf_counter()
    todo, skipped = plan(course, force)
    launcher = Launcher(course, db_url_override(course.root))
    try:
        with progress(len(todo)) if progress is not None else nullcontext() as on_done:
            done, interrupted = run_pool(launcher, todo, jobs, on_done)
    finally:
        stop_server()
    outcomes = [*(Outcome(student, Status.SKIPPED) for student in skipped), *done]
    finished = {outcome.student for outcome in done}
    outcomes += [Outcome(student, Status.STOPPED) for student in todo if student not in finished]
    outcomes.sort(key=lambda outcome: outcome.student)
    return Summary(course.assignment, tuple(outcomes), time.perf_counter() - started, jobs, interrupted)


def run_pool(
    launcher: Launcher, students: Iterable[str], jobs: int, on_done: Progress | None = None
) -> tuple[list[Outcome], bool]:
    """Grade the students on `jobs` workers: the outcomes of those started, and whether a
    KeyboardInterrupt stopped it (then no more are started and the running ones are stopped)."""
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    futures: list[Future[Outcome]] = []
    interrupted = False
    try:
        for student in students:
            futures.append(pool.submit(launcher.grade, student))
        for future in as_completed(futures):
            if on_done is not None:
                on_done(future.result())
    except KeyboardInterrupt:
        interrupted = True
        pool.shutdown(wait=False, cancel_futures=True)
        launcher.stop()
    pool.shutdown(wait=True)
    return [future.result() for future in futures if not future.cancelled()], interrupted
