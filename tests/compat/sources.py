"""A fetched repository's files, from a checkout or from a git directory without a work tree."""

from __future__ import annotations

import contextlib
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path


class SourceError(Exception):
    """The path is neither a checkout holding the folder nor a git directory."""


@contextlib.contextmanager
def folder_of(repository: Path, under: str = "") -> Iterator[Path]:
    """`under` (a folder inside the repository, "" for all of it) as a folder on disk: the
    checkout's own when `repository` is a work tree, else its files at HEAD extracted from
    the git directory into a temporary folder, removed afterwards."""
    repository = repository.expanduser().resolve()
    inside = repository / under if under else repository
    if not _is_git_dir(repository):
        if not inside.is_dir():
            raise SourceError(
                f"{repository} is neither a checkout with {under or 'files'} nor a git directory"
            )
        yield inside
        return
    with tempfile.TemporaryDirectory(prefix="minidafny-compat-") as temporary:
        _extract(repository, under, Path(temporary))
        extracted = Path(temporary) / under if under else Path(temporary)
        if not extracted.is_dir():
            raise SourceError(f"{repository} has no folder {under} at HEAD")
        yield extracted


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def _extract(git_dir: Path, under: str, destination: Path) -> None:
    command = ["git", f"--git-dir={git_dir}", "archive", "--format=tar", "HEAD"]
    if under:
        command += ["--", under]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(destination, filter="data")
        except tarfile.ReadError:
            pass  # no archive at all: git says why below
        error = process.stderr.read().decode(errors="replace")
    if process.returncode != 0:
        raise SourceError(f"git archive failed: {error.strip()}")


def revision(repository: Path) -> str:
    """The commit a checkout or git directory is at, or "" when git cannot tell."""
    repository = repository.expanduser().resolve()
    where = [f"--git-dir={repository}"] if _is_git_dir(repository) else ["-C", str(repository)]
    result = subprocess.run(["git", *where, "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""
