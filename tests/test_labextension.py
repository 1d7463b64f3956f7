"""The JupyterLab extension (js/): installed and enabled by the project's own install, and its
report-to-marks mapping passes its TypeScript unit tests (node's test runner)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXTENSION = "minidafny-jupyterlab"


def _run(*command: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """With this environment's `jupyter` and `jlpm` first on the PATH, as an activated venv has."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_the_install_enables_the_extension() -> None:
    listed = _run(str(BIN / "jupyter"), "labextension", "list")
    line = next((line for line in (listed.stdout + listed.stderr).splitlines() if EXTENSION in line), "")
    assert "enabled" in line and "OK" in line, listed.stdout + listed.stderr


def test_marks_unit_tests_pass() -> None:
    assert (REPO / "js" / "node_modules").is_dir(), "install the project first: its build installs js/"
    result = _run(str(BIN / "jlpm"), "test", cwd=REPO / "js")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass " in result.stdout
