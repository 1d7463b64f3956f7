"""One `nbgrader autograde ASSIGNMENT --student S` per student, forked from a process that has
nbgrader loaded already.

Starting nbgrader costs about 2.5 s of CPU in imports alone (jsonschema builds dozens of parsers
as it loads), more than grading a student's notebooks takes. So grade-all starts one server
process that imports nbgrader and the grading plugin once, and forks a fresh process from it
for each student (Python's `forkserver`). Each student's process is nbgrader's own command, as
`nbgrader autograde` would run it: in the course folder, with its configuration, in a session
of its own (so that it and everything it starts can be signalled as one group), its output in
a log. Nothing is shared between students but the loaded code.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext
from pathlib import Path

PRELOAD = [
    "nbgrader.apps.nbgraderapp",
    "sqlalchemy.dialects.sqlite",
    "autograder.nbgrader_plugin",
    "autograder.course_config",
]


@dataclass(frozen=True)
class AutogradeJob:
    course: str
    assignment: str
    student: str
    db_url: str | None
    env: dict[str, str]
    log: str


def autograde_arguments(assignment: str, student: str, db_url: str | None) -> list[str]:
    """One student, always `--force`: the caller has decided that this student needs grading, and
    nbgrader itself would skip a folder left incomplete by a crash."""
    arguments = ["autograde", assignment, f"--student={student}", "--force"]
    return [*arguments, f"--CourseDirectory.db_url={db_url}"] if db_url is not None else arguments


def server() -> ForkServerContext:
    """The forkserver context, its server preloaded with nbgrader. The server is started with
    this process's import path without the working folder (a course folder is no place to
    import from)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    sys.path[:] = without_working_folder(sys.path)
    return context


def stop_server() -> None:
    """Stop the server and wait for it, once every student's process has ended: so it is not left
    behind, and the CPU time of the processes it forked is counted as this process's children's."""
    stop = getattr(forkserver._forkserver, "_stop", None)  # the standard library's own clean-up
    if stop is not None:
        stop()


def without_working_folder(path: list[str]) -> list[str]:
    here = os.path.realpath(os.getcwd())
    return [entry for entry in path if entry and os.path.realpath(entry) != here]


class StudentProcess:
    """nbgrader autograding one student, in a process forked from the server."""

    def __init__(self, context: ForkServerContext, job: AutogradeJob):
        self.job = job
        self.process = context.Process(target=_autograde, args=(job,), name=f"autograde {job.student}")
        self.process.start()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait(self) -> int:
        self.process.join()
        code = self.process.exitcode
        return code if code is not None else -1

    def running(self) -> bool:
        return self.process.is_alive()

    def log(self) -> str:
        with suppress(OSError):
            return Path(self.job.log).read_text(encoding="utf-8", errors="replace")
        return ""


def new_log() -> str:
    handle, path = tempfile.mkstemp(prefix="minidafny-autograde-", suffix=".log")
    os.close(handle)
    return path


def _autograde(job: AutogradeJob) -> None:
    """In the forked process: nbgrader's `autograde` command for the student, then exit with its code."""
    os.setsid()  # a group of its own: grade-all's Ctrl-C is for grade-all, which stops it itself
    os.chdir(job.course)
    os.environ.clear()
    os.environ.update(job.env)
    log = os.open(job.log, os.O_WRONLY | os.O_TRUNC)
    for stream in (1, 2):
        os.dup2(log, stream)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    from nbgrader.apps.nbgraderapp import NbGraderApp

    sys.argv = ["nbgrader", *autograde_arguments(job.assignment, job.student, job.db_url)]
    NbGraderApp.launch_instance(sys.argv[1:])  # on failure it exits with its code
