"""Running a notebook's kernel in a bubblewrap sandbox during `nbgrader autograde`.

nbgrader's `Execute` runs a submission's code in a kernel with the grader's rights. Run it as
`SandboxedExecute` instead, and the kernel runs under bubblewrap (`bwrap`, the Debian package
`bubblewrap`) in namespaces of its own. The threat model: a hostile student's code, running in
the kernel, tries to change what grading later reads or runs, to read what it must not, or to
outlive grading. In the sandbox:

- The whole filesystem is read-only: the Python environment, the project's source (also that of
  an editable install) and everything else. No module, `.pth` file or patched package can be
  left for a later process to import.
- The course folder is hidden whole, the gradebook's folder too, and the gradebook (a SQLite
  file and its `-journal`, `-wal` and `-shm` companions) is replaced by an empty file: other
  students' submissions, the instructor's source (the solutions), the feedback and the
  gradebook can be neither read nor written. So are the folders of `hidden_paths` (homes,
  `/run` and its sockets, nbgrader's exchange in `/srv`...). The parts of the Python
  environment that lie in a hidden folder, and the `readonly_paths`, are shown again, read-only.
- The kernel works in a private, writable copy of the notebook's folder, seen at the folder's
  own path, so the files next to the notebook are there; nothing written there comes back.
  `/tmp` and home are private, size-limited, in-memory folders.
- There is no network, only a loopback interface of its own. The kernel is reached through
  unix sockets (jupyter's `ipc` transport) in a scratch folder, the only other writable path.
- Its environment variables are set from scratch: none of the grader's secrets get in.
- It runs as the grader's user but without any capability, and cannot make user namespaces.
- Every process in it, double-forked, `setsid` or `nohup` ones too, is killed when the kernel
  ends or is killed (when the notebook is done, also after a timeout or when nbgrader is
  interrupted) and when nbgrader itself dies: the sandbox has its own PID namespace and dies
  with its parent.
- CPU time, address space and file size are limited (`cpu_limit`, `memory_limit`,
  `file_size_limit`).

Not covered: the rest of the filesystem stays readable (what the grader's user may read and
is not hidden), the number of processes is not limited (a fork bomb lasts until the notebook is
done), and the private copy of the notebook's folder is on disk. Run grading as an
unprivileged user: files only root may read stay readable to a sandbox run by root.

If bubblewrap is missing or cannot make the sandbox, grading fails with a message saying so:
the kernel never runs outside the sandbox. A course enables it with
`c.Autograde.autograde_preprocessors = ["autograder.sandbox.SandboxedExecute", ...]`.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from sqlalchemy.engine import make_url
from traitlets import Dict, Integer, List, Unicode, default

PACKAGE = "bubblewrap"
PROJECT_PACKAGES = ("kernel_ext", "autograder")
SQLITE_COMPANIONS = ("", "-journal", "-wal", "-shm")
PRIVATE_TMP = Path("/tmp")
HOME = "/tmp/home"
PATH = "/usr/local/bin:/usr/bin:/bin"
MAX_SOCKET_PATH = 107  # bytes in a unix socket's path
NAMESPACES = [
    *("--unshare-user", "--disable-userns", "--cap-drop", "ALL"),
    *("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"),
    # bwrap dies with the thread that started it, not its process: jupyter's kernel managers
    # start the kernel from their event loop's thread, which lives as long as the kernel is used.
    *("--die-with-parent", "--new-session"),
]


class SandboxError(RuntimeError):
    """The sandbox cannot be made: the notebook is not run at all."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of every process in the sandbox; 0 is no limit."""

    cpu_seconds: int = 0
    memory_bytes: int = 0
    file_bytes: int = 0

    def apply(self) -> None:
        """Set the limits; runs in the launched process, between fork and exec."""
        for kind, value in (
            (resource.RLIMIT_CPU, self.cpu_seconds),
            (resource.RLIMIT_AS, self.memory_bytes),
            (resource.RLIMIT_FSIZE, self.file_bytes),
        ):
            if value > 0:
                hard = resource.getrlimit(kind)[1]
                value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                resource.setrlimit(kind, (value, value))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass(frozen=True)
class Sandbox:
    """One notebook's sandbox: what `bwrap` mounts where, its environment and its limits."""

    bwrap: str
    workdir: Path  # the notebook's folder, where the kernel sees its private copy
    copy: Path
    ipc: Path  # connection file and sockets
    hidden: tuple[Path, ...]  # each replaced by an empty read-only folder
    readonly: tuple[Path, ...] = ()  # shown even if in (or equal to) a hidden folder
    python: tuple[Path, ...] = ()  # shown if inside a hidden folder, unless it is or holds one
    blanked: tuple[Path, ...] = ()  # files replaced by an empty one
    environment: dict[str, str] = field(default_factory=dict)
    tmp_bytes: int = 512 * 1024**2
    limits: Limits = Limits()

    def command(self, kernel: list[str]) -> list[str]:
        """The command that runs `kernel` in the sandbox."""
        setenv = [arg for name, value in self.environment.items() for arg in ("--setenv", name, value)]
        return [
            *(self.bwrap, *NAMESPACES),
            *self.mounts(kernel),
            *("--clearenv", *setenv, "--chdir", str(self.workdir), "--"),
            *kernel,
        ]

    def mounts(self, kernel: list[str]) -> list[str]:
        # /tmp first: the hidden folders in it are mounted in its tmpfs, read-only like the others.
        covered = [
            PRIVATE_TMP,
            *outermost(path for path in self.hidden if not PRIVATE_TMP.is_relative_to(path)),
        ]
        shown = self.shown(kernel, covered)
        hidden_again = outermost(
            [path for path in self.hidden if any(strictly_inside(path, s) for s in shown)]
        )
        size = ["--size", str(self.tmp_bytes)]
        arguments = ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
        arguments += [*size, "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
        for folder in covered:
            arguments += [*(size if folder == PRIVATE_TMP else []), "--tmpfs", str(folder)]
        for path in shown:
            arguments += ["--ro-bind", str(path), str(path)]
        for folder in hidden_again:
            arguments += ["--tmpfs", str(folder)]
        arguments += ["--bind", str(self.copy), str(self.workdir), "--bind", str(self.ipc), str(self.ipc)]
        for path in self.blanked:
            arguments += ["--ro-bind", "/dev/null", str(path)]
        # Read-only only now: bwrap made the mount points of what is shown inside them.
        for folder in [*covered, *hidden_again]:
            if folder != PRIVATE_TMP:
                arguments += ["--remount-ro", str(folder)]
        return [*arguments, "--dir", HOME]

    def shown(self, kernel: list[str], covered: list[Path]) -> list[Path]:
        """What must be seen read-only although it is in a covered folder: the paths of Python
        (but none that is or holds a hidden folder, such as the course folder on nbgrader's
        import path) and the configured read-only paths."""
        python = [*self.python, *executable_folders(kernel[:1])]
        python = [path for path in python if not any(hidden.is_relative_to(path) for hidden in self.hidden)]
        return outermost(
            [path for path in python if any(strictly_inside(path, c) for c in covered)]
            + [path for path in self.readonly if any(path.is_relative_to(c) for c in covered)]
        )

    def check(self) -> None:
        """Make this sandbox once, running `true` in it: a clear error now rather than a dead kernel."""
        try:
            done = subprocess.run(
                self.command([shutil.which("true") or "/bin/true"]),
                env={"PATH": PATH},
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise SandboxError(f"{self.bwrap} could not be run ({error}). {INSTALL}") from error
        if done.returncode != 0:
            raise SandboxError(
                f"bubblewrap could not create the sandbox: {done.stderr.strip() or done.returncode}. "
                f"The notebook was not run. {INSTALL}"
            )


INSTALL = (
    f"The notebook's kernel runs only in a bubblewrap sandbox: install the Debian package `{PACKAGE}`, "
    "and let users create namespaces (`unprivileged_userns_clone` and `max_user_namespaces` sysctls)."
)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel only inside `sandbox`, over unix sockets."""

    sandbox: Sandbox | None = None

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def attach(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.transport = "ipc"
        self.connection_file = str(sandbox.ipc / "kernel.json")
        self.ip = str(sandbox.ipc / "kernel")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        if self.sandbox is None:
            raise SandboxError("this kernel manager starts kernels only in a sandbox, and it has none")
        return self.sandbox.command(super().format_kernel_cmd(extra_arguments))

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # A signal would reach bwrap, which would die with the whole sandbox: interrupting a
        # cell that timed out is asked of the kernel by a message instead.
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        assert self.sandbox is not None
        kw["env"] = {"PATH": PATH}  # what the kernel gets is set inside (`--clearenv`)
        kw["preexec_fn"] = self.sandbox.limits.apply
        await super()._async_launch_kernel(kernel_cmd, **kw)


class SandboxedExecute(Execute):
    """nbgrader's `Execute`, with the kernel in a bubblewrap sandbox (see the module's docstring)."""

    bwrap = Unicode("bwrap", help="The bubblewrap executable: a name on PATH or a path.").tag(config=True)
    readonly_paths = List(
        Unicode(),
        help="Paths the kernel may read although they are in a hidden folder (e.g. data in the course folder).",
    ).tag(config=True)
    hidden_paths = List(
        Unicode(),
        default_value=["/home", "/root", "/run", "/srv", "/mnt", "/media", "/var/tmp"],
        help="Folders the kernel must not see, besides the course folder and the gradebook's folder.",
    ).tag(config=True)
    keep_environment = List(
        Unicode(),
        default_value=["LANG", "LC_ALL", "TZ", "NBGRADER_EXECUTION"],
        help="Environment variables passed to the kernel from the grader's; no other is.",
    ).tag(config=True)
    environment = Dict(
        value_trait=Unicode(), help="Environment variables set for the kernel (after the kept ones)."
    ).tag(config=True)
    cpu_limit = Integer(1800, help="CPU seconds each process in the sandbox may use; 0: no limit.").tag(
        config=True
    )
    memory_limit = Integer(
        4 * 1024**3, help="Address space, in bytes, each process in the sandbox may use; 0: no limit."
    ).tag(config=True)
    file_size_limit = Integer(
        1024**3, help="Largest file, in bytes, the sandbox may write; 0: no limit."
    ).tag(config=True)
    tmp_size = Integer(
        512 * 1024**2,
        help="Size in bytes of the sandbox's private /tmp (with home in it) and of its /dev/shm.",
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)
        self._sandbox: Sandbox | None = None
        self._finished: set[int] = set()  # the cells whose execution ended (by their id())

    def preprocess(
        self, nb: NotebookNode, resources: dict | None = None, km: AsyncKernelManager | None = None
    ) -> tuple[NotebookNode, dict]:
        # A kernel manager given here may already have a kernel, started outside any sandbox.
        if km is not None or not issubclass(self.kernel_manager_class, SandboxedKernelManager):
            raise SandboxError("SandboxedExecute runs only kernels its own SandboxedKernelManager starts")
        resources = resources if resources is not None else {}
        self._finished = set()
        with self.sandbox_for(resources) as sandbox:
            self._sandbox = sandbox
            try:
                return super().preprocess(nb, resources)
            except (DeadKernelError, CellTimeoutError, TimeoutError, RuntimeError) as error:
                # The kernel died or stopped answering (it ignored the interruption at a timeout):
                # the cells that did not finish score nothing, and grading goes on.
                self.log.warning("the notebook's kernel stopped: %s", error)
                reason = f"the notebook's kernel stopped ({type(error).__name__}) before this cell ended"
                mark_unfinished(nb, self._finished, reason)
                return nb, resources
            finally:
                self._sandbox = None

    def on_cell_executed(self, **kwargs: Any) -> None:
        self._finished.add(id(kwargs["cell"]))
        super().on_cell_executed(**kwargs)

    def create_kernel_manager(self) -> SandboxedKernelManager:
        km = super().create_kernel_manager()
        assert isinstance(km, SandboxedKernelManager) and self._sandbox is not None
        km.attach(self._sandbox)
        return km

    @contextmanager
    def sandbox_for(self, resources: dict) -> Iterator[Sandbox]:
        """The sandbox for the notebook `resources` describe, made and checked; removed after."""
        bwrap = shutil.which(self.bwrap)
        if bwrap is None:
            raise SandboxError(f"bubblewrap's `{self.bwrap}` was not found. {INSTALL}")
        scratch = Path(tempfile.mkdtemp(prefix="minidafny-sandbox-")).resolve()
        try:
            sandbox = self._sandbox_in(scratch, bwrap, resources)
            sandbox.check()
            yield sandbox
        finally:
            remove_tree(scratch)

    def _sandbox_in(self, scratch: Path, bwrap: str, resources: dict) -> Sandbox:
        ipc = scratch / "ipc"
        ipc.mkdir()
        if len(str(ipc / "kernel-99999")) > MAX_SOCKET_PATH:
            raise SandboxError(f"the temporary folder's path is too long for unix sockets: {scratch}")
        gradebook = gradebook_files(resources.get("nbgrader", {}).get("db_url"))
        folders = [
            self.course_root(),
            *(path.parent for path in gradebook[:1]),
            *map(Path, self.hidden_paths),
        ]
        hidden = [folder.resolve() for folder in folders if folder.is_dir()]
        path = resources.get("metadata", {}).get("path")
        workdir = Path(path).resolve() if path else scratch / "work"
        if any(folder.is_relative_to(workdir) for folder in hidden if folder != Path("/")):
            raise SandboxError(f"the notebook's folder {workdir} holds a hidden folder: it is not copied")
        copy_folder(workdir if path else None, scratch / "work", excluded=set(gradebook))
        return Sandbox(
            bwrap=bwrap,
            workdir=workdir,
            copy=scratch / "work",
            ipc=ipc,
            hidden=tuple(hidden),
            readonly=tuple(Path(path).resolve() for path in self.readonly_paths),
            python=tuple(python_paths()),
            blanked=tuple(path for path in gradebook if path.exists()),
            environment=self.kernel_environment(),
            tmp_bytes=self.tmp_size,
            limits=Limits(self.cpu_limit, self.memory_limit, self.file_size_limit),
        )

    def course_root(self) -> Path:
        """The course folder: that of the nbgrader command running this, or as configured."""
        node = self.parent
        while node is not None:
            coursedir = getattr(node, "coursedir", None)
            if isinstance(coursedir, CourseDirectory):
                return Path(coursedir.root).resolve()
            node = node.parent
        return Path(CourseDirectory(config=self.config).root).resolve()

    def kernel_environment(self) -> dict[str, str]:
        kept = {name: os.environ[name] for name in self.keep_environment if name in os.environ}
        return {
            "PATH": f"{Path(sys.executable).parent}:{PATH}",
            "LANG": "C.UTF-8",
            **kept,
            "HOME": HOME,
            "TMPDIR": str(PRIVATE_TMP),
            "IPYTHONDIR": f"{HOME}/.ipython",
            "JUPYTER_RUNTIME_DIR": f"{HOME}/.local/share/jupyter/runtime",
            # The kernel's parent is the sandbox's init, PID 1, which ipykernel does not watch.
            "JPY_PARENT_PID": "1",
            **self.environment,
        }


def mark_unfinished(nb: NotebookNode, finished: set[int], reason: str) -> None:
    """An error output on every code cell that has not run to its end: it scores zero."""
    for cell in nb.cells:
        if cell.cell_type == "code" and id(cell) not in finished:
            error = NotebookNode(
                output_type="error", ename="NotRun", evalue=reason, traceback=[f"NotRun: {reason}"]
            )
            cell.setdefault("outputs", []).append(error)


def gradebook_files(db_url: str | None) -> list[Path]:
    """A SQLite gradebook's file and its companions; nothing for another database."""
    if not db_url:
        return []
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return []
    database = Path(url.database).resolve()
    return [Path(f"{database}{suffix}") for suffix in SQLITE_COMPANIONS]


def python_paths() -> list[Path]:
    """What the kernel's Python needs: its prefixes, import path and this project's packages."""
    paths = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, *sys.path]
    for name in PROJECT_PACKAGES:
        spec = importlib.util.find_spec(name)
        paths += list(spec.submodule_search_locations or []) if spec is not None else []
    found = [Path(path) for path in paths if os.path.isabs(path) and os.path.exists(path)]
    return [*found, *(path.resolve() for path in found), *executable_folders([sys.executable])]


def executable_folders(commands: Iterable[str]) -> list[Path]:
    """The folders of the executables named by absolute path, and of their real files."""
    absolute = [Path(command) for command in commands if os.path.isabs(command)]
    return [folder for path in absolute for folder in (path.parent, path.resolve().parent)]


def strictly_inside(path: Path, folder: Path) -> bool:
    return path != folder and path.is_relative_to(folder)


def outermost(paths: Iterable[Path]) -> list[Path]:
    """The paths that are in none of the others, each once, shallowest first."""
    unique = sorted(set(paths), key=lambda path: (len(path.parts), str(path)))
    return [path for path in unique if not any(strictly_inside(path, other) for other in unique)]


def copy_folder(source: Path | None, destination: Path, excluded: set[Path]) -> None:
    """Copy `source` (links as links; nothing but files, folders and links), or make it empty."""
    if source is None:
        destination.mkdir()
        return

    def ignored(folder: str, names: list[str]) -> list[str]:
        return [name for name in names if _skipped(Path(folder) / name, excluded)]

    shutil.copytree(source, destination, symlinks=True, ignore=ignored)


def _skipped(path: Path, excluded: set[Path]) -> bool:
    mode = path.lstat().st_mode
    return path in excluded or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def remove_tree(folder: Path) -> None:
    """Remove `folder`, also what the kernel made unwritable in it; links are never followed."""
    for root, folders, _ in os.walk(folder):
        for name in folders:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                with suppress(OSError):
                    os.chmod(path, 0o700)
    shutil.rmtree(folder, ignore_errors=True)
