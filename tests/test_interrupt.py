"""Interrupting a verification (Ctrl-C, a notebook's stop button) stops Z3 at once: in plain
Python, in the CLI, in an IPython shell and in a real Jupyter kernel. The cell then says it
was interrupted in one line (no traceback, nothing on stderr), nothing unfinished is cached,
and the next cell runs normally."""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

from kernel_ext import Options, OutcomeCache, verify
from kernel_ext.present.widget import REPORT_MIMETYPE
from kernel_ext.verify.smt import Limits, Status
from kernel_ext.verify.wp import weakest_precondition

# Fermat's last theorem for cubes: Z3 cannot decide it and, with these limits, searches until
# the timeout (more than two minutes for one assertion: far longer than any test here waits).
FERMAT = "x * x * x + y * y * y != z * z * z"
SLOW = (
    "method Fermat(x: int, y: int, z: int)\n  requires x > 0 && y > 0 && z > 0\n{\n"
    f"  assert {FERMAT};\n  assert x * x * x + z * z * z != y * y * y;\n}}\n"
)
SLOW_LIMITS = Limits(rlimit=4_000_000_000, timeout_ms=600_000)
SLOW_OPTIONS = f"--rlimit {SLOW_LIMITS.rlimit} --timeout {SLOW_LIMITS.timeout_ms // 1000}"
QUICK = "method Quick(x: int) requires x > 0 { assert x + 1 > 1; }\n"
ABS = (
    "method Abs(x: int) returns (y: int)\n  ensures y >= 0\n{\n  if x < 0 { y := -x; } else { y := x; }\n}\n"
)

# %%wp simplifies each step with Z3 for up to two seconds; on these steps it always needs about
# one: the whole cell takes about forty seconds.
SLOW_WP_LINE = '--post "x >= 0" --vars "x: int, y: int, z: int"'
SLOW_WP = "\n".join(["assume x > 0 && y > 0 && z > 0;", *[f"assert {FERMAT};"] * 40]) + "\n"
ABS_WP_LINE = '--post "y >= 0"'
ABS_WP = "if x < 0 {\n  y := -x;\n} else {\n  y := x;\n}\n"

INTERRUPT_AFTER_S = 1.5
REPLY_WITHIN_S = 10.0  # generous: the measured latency is a few milliseconds
VERIFY_INTERRUPTED = "Interrupted: %%verify was stopped before it finished."
WP_INTERRUPTED = "Interrupted: %%wp was stopped before it finished."


def z3_workers() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name == "minidafny-z3"]


@contextmanager
def interrupt_main_after(seconds: float) -> Iterator[list[float]]:
    """Sends SIGINT to the main thread after `seconds`, as Ctrl-C would; yields the list that
    then holds the time it was sent."""
    sent: list[float] = []

    def send() -> None:
        sent.append(time.perf_counter())
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    timer = threading.Timer(seconds, send)
    timer.start()
    try:
        yield sent
    finally:
        timer.cancel()


def assert_idle_afterwards() -> None:
    """No worker left, and no CPU used by anything left behind (a Z3 check burns a core)."""
    assert z3_workers() == []
    cpu = time.process_time()
    time.sleep(0.5)
    assert time.process_time() - cpu < 0.1


# --- plain Python ------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 4])
def test_verify_raises_keyboard_interrupt_at_once_and_stops_every_check(jobs: int) -> None:
    options = Options(limits=SLOW_LIMITS, jobs=jobs)
    with pytest.raises(KeyboardInterrupt), interrupt_main_after(INTERRUPT_AFTER_S) as sent:
        verify(SLOW, "slow.dfy", options)
    latency = time.perf_counter() - sent[0]
    print(f"verify(), {jobs} job(s): KeyboardInterrupt {latency * 1000:.1f} ms after SIGINT")
    assert latency < REPLY_WITHIN_S
    assert_idle_afterwards()
    assert verify(QUICK, "quick.dfy").verified


def test_an_interrupted_check_is_never_cached() -> None:
    cache = OutcomeCache()
    with pytest.raises(KeyboardInterrupt), interrupt_main_after(INTERRUPT_AFTER_S):
        verify(QUICK + SLOW, "slow.dfy", Options(limits=SLOW_LIMITS, jobs=4), cache)
    # Quick's check finished before the interrupt: a verdict, kept; Fermat's two were cut short.
    assert [outcome.status for outcome in cache.outcomes.values()] == [Status.PROVED]


def test_weakest_precondition_raises_keyboard_interrupt_at_once() -> None:
    with pytest.raises(KeyboardInterrupt), interrupt_main_after(INTERRUPT_AFTER_S) as sent:
        weakest_precondition(SLOW_WP, "x >= 0", "x: int, y: int, z: int")
    latency = time.perf_counter() - sent[0]
    print(f"weakest_precondition(): KeyboardInterrupt {latency * 1000:.1f} ms after SIGINT")
    assert latency < REPLY_WITHIN_S
    assert_idle_afterwards()
    assert weakest_precondition(ABS_WP, "y >= 0").verdict.value == "valid"


def test_the_cli_exits_with_130_and_one_line(tmp_path: Path) -> None:
    program = tmp_path / "slow.dfy"
    program.write_text(SLOW)
    command = [sys.executable, "-m", "kernel_ext.cli", "verify", str(program), *SLOW_OPTIONS.split()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(INTERRUPT_AFTER_S + 1.0)  # the imports take a moment too
    assert process.poll() is None, "the proof ended before the interrupt"
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=REPLY_WITHIN_S)
    print(f"CLI: exit {(time.perf_counter() - sent) * 1000:.0f} ms after SIGINT")
    assert process.returncode == 130
    assert err == "minidafny: interrupted\n" and out == ""


# --- an IPython shell ----------------------------------------------------------------------------


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "kernel_ext")
    ip.run_line_magic("reload_ext", "kernel_ext")  # a fresh notebook program
    yield ip
    InteractiveShell.clear_instance()


def run_interrupted(shell: InteractiveShell, cell: str) -> tuple[BaseException | None, str, str]:
    with capture_output() as captured, interrupt_main_after(INTERRUPT_AFTER_S):
        result = shell.run_cell(cell)
    return result.error_in_exec, captured.stdout, captured.stderr


def test_an_interrupted_verify_cell_says_so_in_one_line_and_caches_nothing(shell) -> None:
    error, out, err = run_interrupted(shell, f"%%verify {SLOW_OPTIONS}\n{SLOW}")
    assert isinstance(error, KeyboardInterrupt)
    assert out == VERIFY_INTERRUPTED + "\n" and err == ""
    program = shell.magics_manager.registry["VerifyMagics"].program
    assert program.reports == {} and program.outcomes.outcomes == {} and program.declarations == {}
    assert_idle_afterwards()
    with capture_output() as captured:
        shell.run_cell(f"%%verify\n{ABS}")
    (output,) = captured.outputs
    assert output.data[REPORT_MIMETYPE]["verified"] and not captured.stderr


def test_an_interrupted_wp_cell_says_so_in_one_line(shell) -> None:
    error, out, err = run_interrupted(shell, f"%%wp {SLOW_WP_LINE}\n{SLOW_WP}")
    assert isinstance(error, KeyboardInterrupt)
    assert out == WP_INTERRUPTED + "\n" and err == ""
    assert_idle_afterwards()
    with capture_output() as captured:
        shell.run_cell(f"%%wp {ABS_WP_LINE}\n{ABS_WP}")
    (output,) = captured.outputs
    assert "precondition: true" in output.data["text/plain"] and not captured.stderr


# --- a real Jupyter kernel -----------------------------------------------------------------------


@dataclass
class Execution:
    reply: dict
    outputs: list[dict] = field(default_factory=list)  # iopub messages other than status
    latency_s: float | None = None  # from the interrupt to the reply

    def of_type(self, msg_type: str) -> list[dict]:
        return [msg["content"] for msg in self.outputs if msg["msg_type"] == msg_type]


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        assert execute(manager, client, "%load_ext kernel_ext").reply["status"] == "ok"
        yield manager, client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def execute(
    manager: KernelManager, client: BlockingKernelClient, code: str, interrupt_after: float | None = None
) -> Execution:
    """Runs a cell, interrupting the kernel (as the stop button does) after `interrupt_after`."""
    msg_id = client.execute(code)
    interrupted = None
    if interrupt_after is not None:
        time.sleep(interrupt_after)
        interrupted = time.perf_counter()
        manager.interrupt_kernel()
    reply = client.get_shell_msg(timeout=REPLY_WITHIN_S if interrupted else 120)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=REPLY_WITHIN_S)
    latency = None if interrupted is None else time.perf_counter() - interrupted
    execution = Execution(reply["content"], latency_s=latency)
    while True:
        msg = client.get_iopub_msg(timeout=REPLY_WITHIN_S)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return execution
            continue
        execution.outputs.append(msg)


def assert_ended_as_interrupted(execution: Execution, line: str) -> None:
    assert execution.latency_s is not None and execution.latency_s < REPLY_WITHIN_S
    assert execution.reply["status"] == "error"  # what "Run All" stops at
    assert execution.reply["ename"] == "Interrupted"
    (error,) = execution.of_type("error")
    assert error["traceback"] == [line]
    streams = execution.of_type("stream")
    assert not [stream for stream in streams if stream["name"] == "stderr"]
    assert "Traceback" not in "".join(stream["text"] for stream in streams)


def assert_no_z3_worker_in(manager: KernelManager, client: BlockingKernelClient) -> None:
    names = "import threading; print(sorted(t.name for t in threading.enumerate()))"
    (printed,) = execute(manager, client, names).of_type("stream")
    assert "minidafny-z3" not in printed["text"]


def test_the_stop_button_ends_a_verify_cell_at_once(kernel) -> None:
    manager, client = kernel
    latencies = []
    for _ in range(3):
        execution = execute(manager, client, f"%%verify {SLOW_OPTIONS}\n{SLOW}", INTERRUPT_AFTER_S)
        assert_ended_as_interrupted(execution, VERIFY_INTERRUPTED)
        latencies.append(execution.latency_s)
    print(f"kernel, %%verify: reply {[round(s * 1000, 1) for s in latencies]} ms after the interrupt")
    print(f"median {statistics.median(latencies) * 1000:.1f} ms")
    assert_no_z3_worker_in(manager, client)
    after = execute(manager, client, f"%%verify\n{ABS}")
    assert after.reply["status"] == "ok"
    (display,) = after.of_type("display_data")
    assert display["data"][REPORT_MIMETYPE]["verified"]


def test_run_all_stops_at_the_interrupted_cell(kernel) -> None:
    manager, client = kernel
    slow = client.execute(f"%%verify {SLOW_OPTIONS}\n{SLOW}")
    queued = client.execute("print('the next cell ran')")  # queued behind it, as "Run All" does
    time.sleep(INTERRUPT_AFTER_S)
    manager.interrupt_kernel()
    replies = {}
    while len(replies) < 2:
        reply = client.get_shell_msg(timeout=REPLY_WITHIN_S)
        replies[reply["parent_header"]["msg_id"]] = reply["content"]
    assert replies[slow]["status"] == "error" and replies[slow]["ename"] == "Interrupted"
    assert replies[queued]["status"] == "aborted"


def test_the_stop_button_ends_a_wp_cell_at_once(kernel) -> None:
    manager, client = kernel
    execution = execute(manager, client, f"%%wp {SLOW_WP_LINE}\n{SLOW_WP}", INTERRUPT_AFTER_S)
    assert_ended_as_interrupted(execution, WP_INTERRUPTED)
    print(f"kernel, %%wp: reply {execution.latency_s * 1000:.1f} ms after the interrupt")
    assert_no_z3_worker_in(manager, client)
    after = execute(manager, client, f"%%wp {ABS_WP_LINE}\n{ABS_WP}")
    (display,) = after.of_type("display_data")
    assert "precondition: true" in display["data"]["text/plain"]
