"""Running a grading worker where nothing of the course or of a student can reach it.

A worker is a fresh `python -I` process running MODULE: isolated mode, so neither the working
folder nor `PYTHON*` variables nor the user's site-packages are on its import path, only the
folder the grading side's own code came from. It starts
in an empty temporary folder of its own, with an environment that holds nothing but a plain
`PATH`, a locale and that folder as home, under limits on CPU time and memory, in a process
group of its own that is killed whole when its wall-clock limit passes. It reads its request
on stdin and writes its answer on stdout.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

KILLED_BY_LIMIT = -signal.SIGKILL


@dataclass(frozen=True)
class WorkerLimits:
    cpu_seconds: int = 300
    memory_bytes: int = 4 * 1024**3
    wall_seconds: float = 120.0


@dataclass(frozen=True)
class WorkerResult:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


def worker_environment(home: str) -> dict[str, str]:
    """Nothing of the grader's environment: no secrets, no PYTHON* settings, no NBGRADER_*. The
    temporary folder stays the grader's, where the parser's tables are cached (building them
    anew would cost each worker 0.2 s)."""
    return {"PATH": os.defpath, "LANG": "C.UTF-8", "HOME": home, "TMPDIR": tempfile.gettempdir()}


# Isolated mode keeps the working folder and PYTHONPATH off the worker's import path; this puts
# back only the folder the grading side's own code came from, so the worker runs that very code
# (the checkout under test, or the installed package), never whatever an install elsewhere holds.
_BOOTSTRAP = "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); runpy.run_module(sys.argv[1], run_name='__main__')"
CODE_ROOT = str(Path(__file__).resolve().parent.parent)


def worker_command(module: str) -> list[str]:
    return [sys.executable, "-I", "-c", _BOOTSTRAP, CODE_ROOT, module]


def run_worker(module: str, request: str, limits: WorkerLimits = WorkerLimits()) -> WorkerResult:
    """Run `python -I -m module` isolated (see the module's docstring) with `request` on stdin."""
    return run_isolated(worker_command(module), request, limits)


def run_isolated(command: list[str], request: str, limits: WorkerLimits) -> WorkerResult:
    """Run `command` in a fresh empty folder, with a clean environment, limits and its own
    process group, killed whole when done or past its wall-clock limit."""
    with tempfile.TemporaryDirectory(prefix="minidafny-grade-") as home:
        process = subprocess.Popen(
            command,
            cwd=home,
            env=worker_environment(home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=_limit(limits),  # noqa: PLW1509 - only setrlimit, which is safe after fork
        )
        try:
            stdout, stderr = process.communicate(request, timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            stdout, stderr = process.communicate()
            return WorkerResult(process.returncode, stdout, stderr, timed_out=True)
        finally:
            _kill_group(process.pid)  # whatever it started is gone with it
        return WorkerResult(process.returncode, stdout, stderr)


def _limit(limits: WorkerLimits):  # noqa: ANN202 - a preexec_fn
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _kill_group(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
