"""Fixtures for the HTTP surface: a sandbox, a live local server, SDK clients."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

import paykit
from paykit.http.sdk import SANDBOX_BASE
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


def as_json(obj: Any) -> Any:
    """An SDK object as plain JSON (``to_dict`` is deprecated in some supported versions)."""
    return json.loads(str(obj))


class Transport:
    """A client for one sandbox, and the sandbox, whatever carries the requests."""

    def __init__(self, client: Any, sandbox: paykit.Sandbox, base: str) -> None:
        self.client = client
        self.base = base
        self.sandbox = sandbox
        self.v1 = client.v1
        self.intents = self.v1.payment_intents

    def helper(self, path: str, **params: Any) -> Any:
        """A paykit test-helper route, through the SDK's raw_request."""
        response = self.client.raw_request("post", f"/v1/test_helpers/{path}", **params)
        return self.client.deserialize(response, api_mode="V1")

    def authenticate(self, intent: str, success: bool = True) -> Any:
        return self.helper(f"payment_intents/{intent}/authenticate", success=success)

    def advance(self, **units: float) -> Any:
        return self.helper("clock/advance", **units)


@pytest.fixture(params=["in_process", "http"])
def sdk(request: pytest.FixtureRequest, sandbox: paykit.Sandbox) -> Iterator[Transport]:
    """The official SDK against ``sandbox``: in-process (no socket), then over loopback
    HTTP with the SDK's own client; each test using it runs both ways."""
    stripe = pytest.importorskip("stripe")
    if request.param == "in_process":
        yield Transport(paykit.stripe_client(sandbox, SECRET_KEY), sandbox, SANDBOX_BASE)
        return
    server: SandboxServer = request.getfixturevalue("server")
    http = stripe.RequestsClient(timeout=10)
    try:
        yield Transport(stripe.StripeClient(SECRET_KEY, base_addresses={"api": server.url},
                                            max_network_retries=0, http_client=http),
                        sandbox, server.url)
    finally:
        http.close()
