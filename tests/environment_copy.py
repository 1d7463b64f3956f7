"""A throwaway copy of the Python environment the tests run in, for tests that attack it.

The copy has the project installed as plain files in its own site-packages (not the editable
install, which would lead back to the repository), and its scripts run its own Python. A test
that lets hostile code loose runs every process from the copy, so whatever the code manages to
change is thrown away with the copy, and the developer's environment and repository are never
at risk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("kernel_ext", "autograder")


def is_virtual_environment() -> bool:
    return sys.prefix != sys.base_prefix


def copy_environment(destination: Path) -> Path:
    """Copy this virtual environment to `destination`; its Python executable."""
    subprocess.run(["cp", "-a", sys.prefix, str(destination)], check=True)
    site_packages = site_packages_of(destination)
    for finder in site_packages.glob("__editable__*minidafny*"):
        finder.unlink()
    for package in PACKAGES:
        shutil.copytree(REPO / package, site_packages / package, ignore=shutil.ignore_patterns("__pycache__"))
    _point_scripts_at(destination)
    return destination / "bin" / "python"


def site_packages_of(prefix: Path) -> Path:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return prefix / "lib" / version / "site-packages"


def _point_scripts_at(prefix: Path) -> None:
    """Scripts name the original environment's Python on their first line; name the copy's."""
    original = f"#!{sys.prefix}/bin/".encode()
    for script in (prefix / "bin").iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        data = script.read_bytes()
        if data.startswith(original):
            script.write_bytes(b"#!" + str(prefix).encode() + b"/bin/" + data[len(original) :])


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (but compiled bytecode) with a digest of its contents."""
    digests = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in files:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                digests[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def restore_environment(prefix: Path, before: dict[str, str]) -> None:
    """Undo what was done to the copy at `prefix` since `tree_digest(prefix / "lib")` gave `before`:
    new files removed, changed ones copied again from the project or from this environment."""
    lib, site_packages = prefix / "lib", site_packages_of(prefix)
    for name, digest in tree_digest(lib).items():
        path = lib / name
        if name not in before:
            path.unlink()
        elif digest != before[name]:
            inside = path.relative_to(site_packages) if path.is_relative_to(site_packages) else None
            if inside is not None and inside.parts[0] in PACKAGES:
                shutil.copyfile(REPO / inside, path)
            else:
                shutil.copyfile(Path(sys.prefix) / "lib" / name, path)


def environment_for(python: Path) -> dict[str, str]:
    """The process environment for running the copy: its scripts first on PATH."""
    env = {key: value for key, value in os.environ.items() if key not in ("NBGRADER_EXECUTION", "PYTHONPATH")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(python.parent.parent)
    return env
