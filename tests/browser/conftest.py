"""A real JupyterLab server and a real Chromium, shared by the browser tests.

The server serves copies of the lesson notebooks from a temporary folder and runs from this
Python, so its default `python3` kernel can `%load_ext kernel_ext`. Screenshots and the
server's log go to `tests/browser/artifacts/` (never committed). `use_theme` switches the
page to JupyterLab's light or dark theme. Both the server and the browser are stopped
when the browser tests end, also when a test fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
LESSONS = REPO / "lessons"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
DEFAULT_TIMEOUT_MS = 30_000  # any one browser action; the tests give longer waits their own
INSTALL_HINT = "run .ci/run once: it installs Debian's chromium package and the dev dependencies (playwright)"


# JupyterLab's two themes; `use_theme` switches between them
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
THEME_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LabServer:
    url: str
    root: Path
    log: Path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the test item, so that `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def artifacts() -> Path:
    """The folder for screenshots and logs (those of an earlier run removed); it is never committed."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    (ARTIFACTS / ".gitignore").write_text("*\n")
    return ARTIFACTS


@pytest.fixture(scope="package")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder holding copies of the lesson notebooks (the tests may change them)."""
    root = tmp_path_factory.mktemp("lab")
    for notebook in LESSONS.glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    return root


@pytest.fixture(scope="package")
def lab_server(
    lab_root: Path, artifacts: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    """A JupyterLab server on a free local port, with no token, in its own process group."""
    port = _free_port()
    log = artifacts / "jupyterlab.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            _server_command(port, lab_root),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_server_env(tmp_path_factory.mktemp("lab-state")),
            cwd=lab_root,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, process, log)
            yield LabServer(url, lab_root, log)
        finally:
            _stop(process)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: {INSTALL_HINT}", pytrace=False)
    if importlib.util.find_spec("playwright") is None:
        pytest.fail(f"playwright is not installed: {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(
    browser: Browser, lab_server: LabServer, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh page; when the test fails, its last state is saved as `<test name>-failure.png`."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            page.screenshot(path=artifacts / f"{request.node.name}-failure.png")
        context.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_command(port: int, root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
    ]


def _server_env(state: Path) -> dict[str, str]:
    """The user's own JupyterLab settings and workspaces stay out of the test; the question
    about news, a pop-up over the notebook, is answered."""
    notification = (
        state / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {process.returncode}:\n{_tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT_S:.0f} s:\n{_tail(log)}", pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (it shuts its kernels down), SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def use_theme(page: Page, theme: str) -> None:
    """Switch the open JupyterLab to its "light" or "dark" theme and wait until it shows. The
    theme is a saved user setting of the shared server: a test that switches to dark switches
    back to light when it ends."""
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', { theme })", THEMES[theme]
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === String(light)",
        arg=theme == "light",
        timeout=THEME_TIMEOUT_MS,
    )
