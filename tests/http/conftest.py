"""Fixtures for the HTTP surface: a sandbox, a live local server, SDK clients."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

import paykit
from paykit.http.server import SandboxServer, start

# the example key of https://docs.stripe.com/payments/payment-intents
SECRET_KEY = "sk_test_Hrs6SAopgFPF0bZXSN3f6ELN"
PUBLISHABLE_KEY = "pk_test_paykit"


@pytest.fixture
def sandbox() -> paykit.Sandbox:
    return paykit.Sandbox(seed=0)


@pytest.fixture
def server(sandbox: paykit.Sandbox) -> Iterator[SandboxServer]:
    """``sandbox`` served on a free loopback port, stopped (and its threads joined) after."""
    running = start(sandbox)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(autouse=True)
def _no_sdk_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK would write a telemetry id under ~/.config: not from a test suite."""
    try:
        import stripe
    except ImportError:
        return
    monkeypatch.setattr(stripe, "enable_telemetry", False)


@pytest.fixture
def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        pytest.skip("curl is not installed (.ci/system-deps installs it when run as root)")
    return path
