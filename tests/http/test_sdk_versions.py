"""The stripe SDK range paykit declares is the range it is tested with.

The test environment installs the newest release the range allows; this module checks
that, then runs the SDK tests and paykit.http.sdk's examples again on the oldest release
of the range (installed next to the tests, not into the environment).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _declared_range() -> tuple[str, str, str]:
    """``(requirement, oldest, first excluded)`` of the ``sdk`` extra in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirement = next(r for r in project["optional-dependencies"]["sdk"]
                       if r.startswith("stripe"))
    oldest = re.search(r">=\s*([\d.]+)", requirement)
    excluded = re.search(r"<\s*([\d.]+)", requirement)
    assert oldest and excluded, f"the sdk extra should read stripe>=X,<Y: {requirement}"
    return requirement, oldest[1], excluded[1]


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def test_the_installed_sdk_is_inside_the_declared_range():
    stripe = pytest.importorskip("stripe")
    requirement, oldest, excluded = _declared_range()
    assert _release(oldest) <= _release(stripe.VERSION) < _release(excluded), requirement


@pytest.mark.slow
def test_the_oldest_declared_sdk_passes_the_sdk_tests(tmp_path):
    pytest.importorskip("stripe")
    _, oldest, _ = _declared_range()
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(tmp_path), f"stripe=={oldest}"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if install.returncode != 0:
        pytest.skip(f"cannot install stripe=={oldest} from the package index: "
                    f"{install.stderr.strip()[-300:]}")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    shown = subprocess.run([sys.executable, "-c", "import stripe; print(stripe.VERSION)"],
                           env=env, capture_output=True, text=True, check=True)
    assert _release(shown.stdout) == _release(oldest)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "-k", "sdk", "tests/http/test_http_sdk.py", "tests/test_package.py"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\b\d{2,} passed", run.stdout), run.stdout[-2000:]
