"""What every browser test shares: Debian's Chromium, where screenshots go, time budgets.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``), driven by Playwright
with ``executable_path``: never ``playwright install``, which cannot download here.
Without it a test skips (``apt-get install chromium``), except under ``CI=true``, where
it fails.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Screenshots, kept as test artifacts (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def require_browser() -> None:
    """Skip (or, under CI, fail) with the command that installs what is missing."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing: apt-get install chromium "
                        "(or: bash .ci/system-deps as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright Python package is missing: pip install -e '.[dev]' "
                        "(do not run `playwright install`: the Debian chromium is used)")
    if not problems:
        return
    message = "browser test cannot run: " + "; ".join(problems)
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Clock:
    """One budget for the whole test: every wait gets what is left, capped."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def ms(self, cap: float) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            pytest.fail("the browser test ran out of its time budget", pytrace=False)
        return min(cap, left) * 1000
