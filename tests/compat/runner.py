"""MiniDafny on many files: each file in a process of its own (a crash or a hang stays there),
a few at a time, each stopped after a time limit."""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from kernel_ext.lang.diagnostics import Phase
from kernel_ext.pipeline import Options, verify
from kernel_ext.report import VerificationReport
from tests.compat.expect import Placed


@dataclass(frozen=True)
class Diagnosed:
    line: int
    col: int
    phase: str  # a kernel_ext.lang.diagnostics.Phase value
    code: str
    message: str


@dataclass(frozen=True)
class Failed(Placed):
    """An obligation that was not proved (failed, or unknown at a limit)."""

    line: int
    col: int
    kind: str
    status: str
    message: str
    related: tuple[int, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What MiniDafny made of one file."""

    status: str  # VERIFIED, ERRORS, DIAGNOSED, CRASH or TIMEOUT
    diagnostics: tuple[Diagnosed, ...] = ()
    errors: tuple[Failed, ...] = ()
    obligations: int = 0
    detail: str = ""  # a crash's traceback or message
    time_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Outcome:
        return Outcome(
            data["status"],
            tuple(Diagnosed(**item) for item in data.get("diagnostics", ())),
            tuple(
                Failed(**{**item, "related": tuple(item.get("related", ()))})
                for item in data.get("errors", ())
            ),
            data.get("obligations", 0),
            data.get("detail", ""),
            data.get("time_s", 0.0),
        )


VERIFIED = "verified"
ERRORS = "errors"
DIAGNOSED = "diagnosed"  # parse, type, unsupported-feature or size diagnostics
CRASH = "crash"
TIMEOUT = "timeout"


def outcome_of(report: VerificationReport, detail: str = "") -> Outcome:
    diagnostics = tuple(
        Diagnosed(d.span.start_line, d.span.start_col, d.phase.value, d.code.code, d.message)
        for d in report.diagnostics
    )
    if any(d.phase == Phase.INTERNAL.value for d in diagnostics):
        message = next(d.message for d in diagnostics if d.phase == Phase.INTERNAL.value)
        return Outcome(CRASH, diagnostics, detail=detail or message, time_s=report.time_s)
    if diagnostics:
        return Outcome(DIAGNOSED, diagnostics, time_s=report.time_s)
    errors = tuple(
        Failed(
            ob.span.start_line,
            ob.span.start_col,
            ob.kind.id,
            ob.status.value,
            ob.message,
            tuple(span.start_line for span in ob.related),
        )
        for ob in report.errors
    )
    status = ERRORS if errors else VERIFIED
    return Outcome(status, errors=errors, obligations=len(report.obligations), time_s=report.time_s)


def verify_file(path: Path) -> Outcome:
    """MiniDafny's verdict on a file, one obligation at a time (the files run side by side)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    report = verify(text, path.name, Options(jobs=1))
    outcome = outcome_of(report)
    if outcome.status == CRASH:
        outcome = Outcome(**{**outcome.__dict__, "detail": _traceback_of(text, path.name) or outcome.detail})
    return outcome


def _traceback_of(text: str, name: str) -> str:
    """The traceback of an internal error, which `verify` turns into a diagnostic: the same
    stages again, outside its guard (best effort: they are private to the pipeline)."""
    try:
        from kernel_ext import pipeline
        from kernel_ext.lang.source import SourceFile

        options = Options(jobs=1)
        tasks, checked = pipeline._prepare(SourceFile(name, text), options)
        pipeline._prove_all(tasks, options, None, checked)
    except Exception:
        return traceback.format_exc()
    return ""


def _child(path: Path, connection: Connection) -> None:
    started = time.perf_counter()
    try:
        outcome = verify_file(path)
    except BaseException:  # verify() must never raise: whatever escapes is a crash
        outcome = Outcome(CRASH, detail=traceback.format_exc(), time_s=time.perf_counter() - started)
    connection.send(outcome.to_json())
    connection.close()


@dataclass
class _Running:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    path: Path
    deadline: float


def run_all(
    paths: Iterable[Path],
    jobs: int = 2,
    timeout_s: float = 120.0,
    progress: Callable[[Path, Outcome], None] | None = None,
) -> dict[Path, Outcome]:
    """Each file's outcome; at most `jobs` files at once, each stopped after `timeout_s`."""
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pending = deque(paths)
    running: list[_Running] = []
    outcomes: dict[Path, Outcome] = {}

    def finish(item: _Running, outcome: Outcome) -> None:
        running.remove(item)
        item.connection.close()
        outcomes[item.path] = outcome
        if progress is not None:
            progress(item.path, outcome)

    while pending or running:
        while pending and len(running) < max(1, jobs):
            path = pending.popleft()
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(path, sender), daemon=True)
            process.start()
            sender.close()
            running.append(_Running(process, receiver, path, time.monotonic() + timeout_s))
        now = time.monotonic()
        wait([item.connection for item in running], timeout=max(0.0, min(i.deadline for i in running) - now))
        for item in list(running):
            if item.connection.poll():
                finish(item, _received(item))
            elif not item.process.is_alive():
                item.process.join()
                finish(
                    item, Outcome(CRASH, detail=f"the process ended with exit code {item.process.exitcode}")
                )
            elif time.monotonic() >= item.deadline:
                item.process.kill()
                item.process.join()
                finish(item, Outcome(TIMEOUT, detail=f"stopped after {timeout_s:g} s", time_s=timeout_s))
    return outcomes


def _received(item: _Running) -> Outcome:
    try:
        data = item.connection.recv()
    except (EOFError, OSError):
        item.process.join()
        return Outcome(CRASH, detail=f"the process ended with exit code {item.process.exitcode}")
    item.process.join(timeout=10)
    if item.process.is_alive():
        item.process.kill()
        item.process.join()
    return Outcome.from_json(data)
