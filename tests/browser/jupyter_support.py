"""The JupyterLab the browser tests share: one fresh server per test session (``jupyterlab``).

127.0.0.1, a free port, a random token, temporary Jupyter config / runtime / data /
settings directories, the announcements plugin disabled; the notebooks of this folder are
copied into its root, and the course (``notebooks/``) into ``notebooks/`` under it.
jupyter-server-proxy (the ``notebooks`` extra) serves ``/proxy/<port>/`` on it, as on
Binder.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import free_port, require_browser

HERE = Path(__file__).resolve().parent
COURSE = HERE.parents[1] / "notebooks"
SERVER_START_BUDGET = 45


@dataclass
class Lab:
    """A running JupyterLab: where it listens, its token, and its log."""

    url: str
    token: str
    root: Path
    log: Path

    def api(self, method: str, path: str, timeout: float = 5) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, data=b"" if method == "POST" else None,
            headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        """Shut every running kernel down (a test that opened many notebooks, one by one)."""
        for kernel in self.api("GET", "/api/kernels") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=15)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _write_config(base: Path) -> dict[str, str]:
    """Temporary Jupyter directories, and the settings the recipe needs."""
    dirs = {name: base / name for name in ("config", "runtime", "data", "settings",
                                           "workspaces", "ipython")}
    for path in dirs.values():
        path.mkdir(parents=True)
    labconfig = dirs["config"] / "labconfig"
    labconfig.mkdir()
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    # Render every cell (no windowing), so every widget is in the page to be checked.
    tracker = dirs["settings"] / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        IPYTHONDIR=str(dirs["ipython"]),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _stop(process: subprocess.Popen[bytes], lab: Lab | None) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure it is gone."""
    if process.poll() is None and lab is not None:
        with contextlib.suppress(OSError, urllib.error.URLError):
            lab.api("POST", "/api/shutdown")
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the server's own group (start_new_session)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A fresh JupyterLab for this test session (a stale kernel session cannot leak in)."""
    require_browser()
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "root"
    root.mkdir()
    for notebook in HERE.glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    (root / COURSE.name).mkdir()
    for page in [*COURSE.glob("*.ipynb"), COURSE / "appendix.md"]:
        shutil.copy(page, root / COURSE.name / page.name)
    env = _write_config(base)
    port, token = free_port(), secrets.token_hex(24)
    log = base / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1", "--expose-app-in-browser", f"--ServerApp.root_dir={root}",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    lab: Lab | None = None
    try:
        lab = Lab(f"http://127.0.0.1:{port}", token, root, log)
        deadline = time.monotonic() + SERVER_START_BUDGET
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({process.returncode}):\n{lab.log_tail()}",
                            pytrace=False)
            try:
                lab.api("GET", "/api/status", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in {SERVER_START_BUDGET} s:\n"
                                f"{lab.log_tail()}", pytrace=False)
                time.sleep(0.5)
        yield lab
    finally:
        _stop(process, lab)
