"""The bubblewrap sandbox for executing notebooks during grading (`autograder.sandbox`), for real.

Real kernels run real notebooks through `SandboxedExecute`, in a throwaway course folder with a
real gradebook and other students' work. A hostile student's cells try each attack of the
threat model: a module left in the course folder, a patched installed package, a `.pth` file
in site-packages, a rewritten gradebook, a detached process that outlives grading; and reading
other students' work, the grader's environment variables, the network. Each must fail and
change nothing. The attacks on the Python environment only ever try to create new, uniquely
named files next to what they would damage (or open an existing file for writing, writing
nothing), and any such file that appears is removed, so a broken sandbox cannot damage the
environment the tests run in. Normal student code must still work, a cell that runs too long
must get nbgrader's timeout error, and no process of the sandbox may outlive the notebook, a
timeout, or the grading process being interrupted or killed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.api import Gradebook
from nbgrader.preprocessors import Execute
from traitlets.config import Config

import autograder
import kernel_ext
from autograder.sandbox import SandboxedExecute, SandboxError

BWRAP = Path("/usr/bin/bwrap")
needs_bwrap = pytest.mark.skipif(
    not BWRAP.exists(), reason="bubblewrap is not installed (/usr/bin/bwrap, Debian package `bubblewrap`)"
)
TOKEN = uuid.uuid4().hex
MARKER = f"minidafny-sandbox-test-{TOKEN}"  # in the command line of every process a cell starts
PROBE = f"minidafny-sandbox-probe-{TOKEN}"  # the name of every file an attack tries to create
SECRET = ("MINIDAFNY_TEST_SECRET", f"secret-{TOKEN}")
KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
STUDENT, OTHER, ASSIGNMENT = "alice", "bob", "hw1"

ATTEMPT = """\
import errno, os, pathlib, sys
def attempt(name, action):
    try:
        result = action()
    except OSError as error:
        print(name, "blocked", errno.errorcode.get(error.errno, error.errno))
    except Exception as error:
        print(name, "blocked", type(error).__name__)
    else:
        print(name, "SUCCEEDED", result)
"""


# ------------------------------------------------------------------ the course and the runs


def tree(folder: Path) -> dict[str, str]:
    """Every path under `folder`, with a digest of each file's bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file()
        else "/"
        for path in sorted(folder.rglob("*"))
    }


def create_gradebook(path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:  # nbgrader runs `alembic` from the environment
        patch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        with Gradebook(f"sqlite:///{path}") as gradebook:
            gradebook.add_student(STUDENT)
            gradebook.add_assignment(ASSIGNMENT)


@pytest.fixture(scope="module")
def new_course(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Makes course folders: a gradebook, the instructor's source, other students' work."""
    template = tmp_path_factory.mktemp("template") / "gradebook.db"
    create_gradebook(template)  # once: nbgrader takes seconds to make one

    def make() -> Path:
        root = tmp_path_factory.mktemp("course")
        for folder in ("source", "release", "submitted", "autograded", "feedback"):
            for owner in ("",) if folder in ("source", "release") else (STUDENT, OTHER):
                path = root / folder / owner / ASSIGNMENT
                path.mkdir(parents=True)
                (path / "secret.txt").write_text(f"{folder} {owner}")
        (notebook_folder(root) / "data.txt").write_text("data next to the notebook")
        (root / "nbgrader_config.py").write_text("c = get_config()\n")
        shutil.copyfile(template, root / "gradebook.db")
        return root

    return make


def gradebook_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def notebook_folder(root: Path) -> Path:
    return root / "autograded" / STUDENT / ASSIGNMENT


def resources(root: Path) -> dict:
    return {
        "metadata": {"path": str(notebook_folder(root))},
        "nbgrader": {
            "db_url": gradebook_url(root),
            "notebook": "attack",
            "assignment": ASSIGNMENT,
            "student": STUDENT,
        },
    }


def preprocessor(root: Path, kind: type[Execute] = SandboxedExecute, **traits: object) -> Execute:
    config = Config()
    config.CourseDirectory.root = str(root)
    return kind(config=config, **traits)


def notebook(*cells: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_code_cell(source) for source in cells], metadata=KERNELSPEC)


def run(root: Path, *cells: str, **traits: object) -> list[str]:
    """Run the cells in the sandbox; the text each printed (and its error, if any)."""
    executed, _ = preprocessor(root, **traits).preprocess(notebook(*cells), resources(root))
    return [text_of(cell) for cell in executed.cells]


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}\n")
        else:
            parts.append(output.get("data", {}).get("text/plain", "") + "\n")
    return "".join(parts)


# ------------------------------------------------------------------ processes and leftovers


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def kill_marked() -> None:
    for pid in processes_with(MARKER):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def sandboxes_of(pid: int) -> list[int]:
    """The bwrap processes whose parent is `pid`, zombies included."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):
            name, rest = (entry / "stat").read_text().rsplit(")", 1)
            if name.endswith("(bwrap") and int(rest.split()[1]) == pid:
                found.append(int(entry.name))
    return found


@contextlib.contextmanager
def temporary_folder() -> Iterator[Path]:
    """A temporary folder of the test's own, with a short path (unix sockets go in it)."""
    folder = Path(tempfile.mkdtemp(prefix="sandbox-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def probe_places() -> list[Path]:
    """The folders the attacks try to create a file in, as this process finds them."""
    return [
        Path(autograder.__file__).parent,
        Path(kernel_ext.__file__).parent,
        Path(site.getsitepackages()[0]),
        Path(sys.prefix),
        Path("/etc"),
        Path("/tmp"),
        Path.home(),
    ]


def leftover_probes() -> list[Path]:
    return [path for place in probe_places() for path in place.glob(f"{PROBE}*")]


@pytest.fixture(autouse=True, scope="module")
def no_leftovers() -> Iterator[None]:
    """Whatever a failing sandbox let an attack leave behind is removed."""
    yield
    kill_marked()
    for path in leftover_probes():
        path.unlink()


# ------------------------------------------------------------------ the attacks, in one notebook

DETACHED = f"""\
import subprocess, time
sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
subprocess.Popen(["setsid", "nohup", *sleeper, "{MARKER}-setsid"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
child = os.fork()
if child == 0:  # a double fork: the grandchild's parent is gone at once
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [*sleeper, "{MARKER}-forked"])
    os._exit(0)
os.waitpid(child, 0)
def arguments(pid):
    try:
        return open(f"/proc/{{pid}}/cmdline", "rb").read().decode().split("\\0")
    except OSError:
        return []
def running():
    found = [a for p in os.listdir("/proc") if p.isdigit() for a in arguments(p) if a.startswith("{MARKER}")]
    return sorted({{a.rsplit("-", 1)[1] for a in found}})
deadline = time.monotonic() + 30
while len(running()) < 2 and time.monotonic() < deadline:
    time.sleep(0.05)
print("detached processes running:", running())
"""


def attack_cells(root: Path, port: int) -> dict[str, str]:
    course = str(root)
    return {
        "setup": ATTEMPT,
        "normal": "print(sum(i * i for i in range(10)))",
        "workdir": (
            "print(open('data.txt').read())\n"
            "open('mine.txt', 'w').write('mine')\n"
            "pathlib.Path('forged').mkdir()\n"
            "pathlib.Path('forged', 'worker.py').write_text('print(1)')\n"
            "print(open('mine.txt').read(), sorted(os.listdir('.')))"
        ),
        "private": (
            f"attempt('tmp', lambda: open('/tmp/{PROBE}', 'w').write('x'))\n"
            f"attempt('home', lambda: open(os.path.expanduser('~/{PROBE}'), 'w').write('x'))\n"
            f"attempt('etc', lambda: open('/etc/{PROBE}', 'w'))"
        ),
        "course-module": (
            f"course = pathlib.Path({course!r})\n"
            "attempt('course', lambda: (course / 'autograder').mkdir())\n"
            f"attempt('course-file', lambda: (course / '{PROBE}.py').write_text('x'))\n"
            f"attempt('relative', lambda: pathlib.Path('../../../{PROBE}.py').write_text('x'))"
        ),
        "package-patch": (
            "import autograder, kernel_ext\n"
            "for package in (autograder, kernel_ext):\n"
            "    folder = pathlib.Path(package.__file__).parent\n"
            f"    attempt(package.__name__, lambda: (folder / '{PROBE}.py').write_text('x'))\n"
            "    attempt(package.__name__ + '-open', lambda: os.close(os.open(package.__file__, os.O_WRONLY | os.O_APPEND)))"
        ),
        "site-pth": (
            "import site\n"
            f"attempt('site', lambda: pathlib.Path(site.getsitepackages()[0], '{PROBE}.pth').write_text('import sys'))\n"
            f"attempt('prefix', lambda: pathlib.Path(sys.prefix, '{PROBE}.pth').write_text('import sys'))"
        ),
        "gradebook": (
            "import sqlite3\n"
            f"db = pathlib.Path({course!r}, 'gradebook.db')\n"
            "print('gradebook bytes:', db.stat().st_size if db.exists() else None)\n"
            "attempt('read', lambda: sqlite3.connect(db).execute('SELECT name FROM sqlite_master').fetchall())\n"
            "attempt('overwrite', lambda: open(db, 'r+b').write(b'forged'))\n"
            "attempt('journal', lambda: open(f'{db}-journal', 'wb').write(b'forged'))"
        ),
        "detached": DETACHED,
        "others": (
            f"course = pathlib.Path({course!r})\n"
            f"for name in ('submitted/{OTHER}', 'autograded/{OTHER}', 'feedback/{OTHER}', 'source', 'release', 'submitted/{STUDENT}'):\n"
            f"    attempt(name, lambda: (course / name / '{ASSIGNMENT}' / 'secret.txt').read_text())\n"
            "print('course:', sorted(os.listdir(course)), sorted(os.listdir(course / 'autograded')))"
        ),
        "environment": "import json\nprint(json.dumps(dict(os.environ)))",
        "limits": (
            "import resource\n"
            "for kind in ('CPU', 'AS', 'FSIZE', 'CORE'):\n"
            "    print(kind, resource.getrlimit(getattr(resource, 'RLIMIT_' + kind)))\n"
            "for folder in ('/tmp', '/dev/shm'):\n"
            "    print(folder, os.statvfs(folder).f_blocks * os.statvfs(folder).f_frsize)"
        ),
        "network": (
            "import socket\n"
            "print('interfaces:', [name for _, name in socket.if_nameindex()])\n"
            f"attempt('loopback', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=2))\n"
            "attempt('internet', lambda: socket.create_connection(('1.1.1.1', 53), timeout=2))"
        ),
        "load-extension": "%load_ext kernel_ext",
        "minidafny": (
            "%%verify\nmethod Max(a: int, b: int) returns (m: int)\n"
            "  ensures m >= a && m >= b\n{\n  if a >= b { m := a; } else { m := b; }\n}"
        ),
    }


@pytest.fixture(scope="module")
def attacked(new_course: Callable[[], Path]) -> dict:
    """The attack notebook, run once; what the course held before, and what each cell printed."""
    root = new_course()
    before = {"course": tree(root)}
    with (
        socket.create_server(("127.0.0.1", 0)) as listener,
        pytest.MonkeyPatch.context() as patch,
        temporary_folder() as scratch,
    ):
        patch.setattr(tempfile, "tempdir", str(scratch))  # where the sandbox makes its folder
        patch.setenv(*SECRET)
        patch.syspath_prepend(str(root))  # as nbgrader has it
        cells = attack_cells(root, listener.getsockname()[1])
        outputs = dict(zip(cells, run(root, *cells.values()), strict=True))
        listener.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            listener.accept()[0].close()
            outputs["listener"] = "someone connected"
        left = sorted(os.listdir(scratch))
    return {"root": root, "before": before, "outputs": outputs, "scratch": left}


def lines(attacked: dict, cell: str) -> list[str]:
    return attacked["outputs"][cell].splitlines()


@needs_bwrap
def test_normal_student_code_works(attacked: dict) -> None:
    outputs = attacked["outputs"]
    assert outputs["setup"] == ""
    assert outputs["normal"] == "285\n"
    assert lines(attacked, "workdir") == [
        "data next to the notebook",
        "mine ['data.txt', 'forged', 'mine.txt', 'secret.txt']",
    ]
    assert "✔ Max: 4 obligations proved" in outputs["minidafny"], outputs["minidafny"]


@needs_bwrap
def test_tmp_and_home_are_private_and_writable_and_the_rest_read_only(attacked: dict) -> None:
    printed = lines(attacked, "private")
    assert printed[:2] == ["tmp SUCCEEDED 1", "home SUCCEEDED 1"]
    assert printed[2].startswith("etc blocked "), printed
    assert leftover_probes() == []


@needs_bwrap
def test_nothing_written_in_the_sandbox_comes_back_to_the_course_folder(attacked: dict) -> None:
    assert tree(attacked["root"]) == attacked["before"]["course"]


@needs_bwrap
def test_no_module_can_be_left_in_the_course_folder(attacked: dict) -> None:
    assert lines(attacked, "course-module") == [
        "course blocked EROFS",
        "course-file blocked EROFS",
        "relative blocked EROFS",
    ]


@needs_bwrap
def test_the_installed_packages_cannot_be_patched(attacked: dict) -> None:
    assert lines(attacked, "package-patch") == [
        "autograder blocked EROFS",
        "autograder-open blocked EROFS",
        "kernel_ext blocked EROFS",
        "kernel_ext-open blocked EROFS",
    ]
    assert leftover_probes() == []


@needs_bwrap
def test_no_pth_file_can_be_dropped_in_the_environment(attacked: dict) -> None:
    assert lines(attacked, "site-pth") == ["site blocked EROFS", "prefix blocked EROFS"]
    assert leftover_probes() == []


@needs_bwrap
def test_the_gradebook_can_be_neither_read_nor_written(attacked: dict) -> None:
    printed = lines(attacked, "gradebook")
    assert printed[0] == "gradebook bytes: 0"
    assert printed[1] in ("read blocked OperationalError", "read SUCCEEDED []"), (
        printed
    )  # no table either way
    assert printed[2].startswith("overwrite blocked ") and printed[3] == "journal blocked EROFS", printed
    name = "gradebook.db"
    assert tree(attacked["root"])[name] == attacked["before"]["course"][name]


@needs_bwrap
def test_no_detached_process_outlives_the_notebook(attacked: dict) -> None:
    assert lines(attacked, "detached") == ["detached processes running: ['forked', 'setsid']"]
    assert processes_with(MARKER) == []


@needs_bwrap
def test_other_students_work_the_source_and_the_rest_of_the_course_are_hidden(attacked: dict) -> None:
    assert lines(attacked, "others") == [
        f"submitted/{OTHER} blocked ENOENT",
        f"autograded/{OTHER} blocked ENOENT",
        f"feedback/{OTHER} blocked ENOENT",
        "source blocked ENOENT",
        "release blocked ENOENT",
        f"submitted/{STUDENT} blocked ENOENT",
        "course: ['autograded', 'gradebook.db'] ['alice']",
    ]


@needs_bwrap
def test_the_kernel_gets_none_of_the_graders_environment(attacked: dict) -> None:
    environment = json.loads(attacked["outputs"]["environment"])
    assert SECRET[0] not in environment and SECRET[1] not in json.dumps(environment)
    for name in ("HOME", "TMPDIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR"):
        assert environment[name].startswith("/tmp"), (name, environment[name])


@needs_bwrap
def test_the_resources_are_limited(attacked: dict) -> None:
    execute = SandboxedExecute()
    cpu, memory, size = execute.cpu_limit, execute.memory_limit, execute.file_size_limit
    assert lines(attacked, "limits") == [
        f"CPU ({cpu}, {cpu})",
        f"AS ({memory}, {memory})",
        f"FSIZE ({size}, {size})",
        "CORE (0, 0)",
        f"/tmp {execute.tmp_size}",
        f"/dev/shm {execute.tmp_size}",
    ]


@needs_bwrap
def test_there_is_no_network(attacked: dict) -> None:
    assert lines(attacked, "network") == [
        "interfaces: ['lo']",
        "loopback blocked ECONNREFUSED",
        "internet blocked ENETUNREACH",
    ]
    assert "listener" not in attacked["outputs"]


@needs_bwrap
def test_the_sandbox_is_removed(attacked: dict) -> None:
    assert attacked["scratch"] == []
    assert sandboxes_of(os.getpid()) == []


# ------------------------------------------------------------------ timeouts and interruptions

SLEEPER = (
    "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {marker!r}], start_new_session=True,\n"
    "                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print('started')"
)
STUBBORN = "while True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass"
TIMEOUT = "CellTimeoutError: \n"


@needs_bwrap
def test_a_cell_that_runs_too_long_gets_the_timeout_error_and_the_sandbox_ends(
    new_course: Callable[[], Path],
) -> None:
    marker = f"{MARKER}-timeout"
    texts = run(
        new_course(),
        SLEEPER.format(marker=marker),
        "while True:\n    pass",
        "print('still running after the interruption')",
        timeout=2,
    )
    assert texts[0] == "started\n" and texts[2] == "still running after the interruption\n"
    assert texts[1].endswith(TIMEOUT), texts[1]  # after the interrupted cell's KeyboardInterrupt
    assert processes_with(marker) == []
    assert sandboxes_of(os.getpid()) == []


@needs_bwrap
def test_a_kernel_that_ignores_the_interruption_is_killed_with_its_sandbox(
    new_course: Callable[[], Path],
) -> None:
    marker = f"{MARKER}-stubborn"
    texts = run(
        new_course(),
        SLEEPER.format(marker=marker),
        STUBBORN,
        "print('never runs')",
        timeout=1,
        iopub_timeout=1,
        shutdown_kernel="immediate",  # the kernel manager kills it, without asking first
    )
    # nbclient gives up on the kernel ("Timeout waiting for IOPub output"); grading goes on, and
    # the cells that did not run to their end say so (they score zero).
    assert texts[0] == "started\n"
    assert all("NotRun: the notebook's kernel stopped" in text for text in texts[1:]), texts
    assert processes_with(marker) == []
    assert sandboxes_of(os.getpid()) == []


# The cell comes on stdin: in the command line, its marker would mark the grading process too.
GRADER = "import sys\nfrom pathlib import Path\nfrom tests.test_sandbox import run\nrun(Path(sys.argv[1]), sys.stdin.read())"


@needs_bwrap
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL], ids=["interrupted", "killed"])
def test_no_process_outlives_a_grading_process_that_is_interrupted_or_killed(
    new_course: Callable[[], Path], signum: signal.Signals
) -> None:
    marker = f"{MARKER}-{signum.name}"
    with temporary_folder() as scratch:
        grader = subprocess.Popen(
            [sys.executable, "-c", GRADER, str(new_course())],
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "TMPDIR": str(scratch)},
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert grader.stdin is not None
        grader.stdin.write(SLEEPER.format(marker=marker) + "\ntime.sleep(600)")
        grader.stdin.close()
        try:
            assert eventually(lambda: processes_with(marker) != [], seconds=60), "the cell never ran"
            grader.send_signal(signum)
            grader.wait(timeout=30)
            assert eventually(lambda: processes_with(marker) == [], seconds=5), processes_with(marker)
            if signum == signal.SIGINT:  # then the grading process removes its sandbox on the way out
                assert os.listdir(scratch) == []
        finally:
            grader.kill()


def eventually(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


# ------------------------------------------------------------------ never unsandboxed


@pytest.mark.parametrize(
    ("bwrap", "words"),
    [("/nonexistent/bwrap", "was not found"), ("false", "could not create the sandbox")],
    ids=["missing", "failing"],
)
def test_without_a_working_bubblewrap_nothing_runs(
    new_course: Callable[[], Path], tmp_path: Path, bwrap: str, words: str
) -> None:
    ran = tmp_path / "ran"
    with pytest.raises(SandboxError, match=words) as error:
        run(new_course(), f"open({str(ran)!r}, 'w')", bwrap=bwrap)
    assert "Debian package `bubblewrap`" in str(error.value)
    assert not ran.exists()
    assert sandboxes_of(os.getpid()) == []


def test_no_other_kernel_manager_is_used(new_course: Callable[[], Path]) -> None:
    root = new_course()
    with pytest.raises(SandboxError, match="SandboxedKernelManager"):
        preprocessor(root, kernel_manager_class=AsyncKernelManager).preprocess(notebook("1"), resources(root))
    with pytest.raises(SandboxError, match="SandboxedKernelManager"):
        preprocessor(root).preprocess(notebook("1"), resources(root), km=AsyncKernelManager())


# ------------------------------------------------------------------ what the sandbox costs


@needs_bwrap
def test_kernel_start_overhead(new_course: Callable[[], Path], capsys: pytest.CaptureFixture[str]) -> None:
    """Measured, not asserted: the time until the kernel is ready, and for a one-cell notebook."""
    root = new_course()

    def timed(kind: type[Execute]) -> tuple[float, float]:
        ready: list[float] = []
        execute = preprocessor(root, kind, on_notebook_start=lambda notebook: ready.append(time.monotonic()))
        start = time.monotonic()
        execute.preprocess(notebook("print(1)"), resources(root))
        return ready[0] - start, time.monotonic() - start

    figures = {kind.__name__: [timed(kind) for _ in range(2)] for kind in (Execute, SandboxedExecute)}
    with capsys.disabled():
        for name, runs in figures.items():
            start, total = min(run[0] for run in runs), min(run[1] for run in runs)
            print(
                f"\n{name}: kernel ready after {start:.2f} s, one-cell notebook done in {total:.2f} s", end=""
            )
        print()
