"""The official ``stripe`` SDK, wired to a sandbox in this process: no socket at all.

Learners copy code from Stripe's docs. With these two they run it as written in a
notebook, offline, with no account and no real key:

- ``stripe_client(sandbox)``: a ``stripe.StripeClient`` (``client.v1.payment_intents…``).
- ``use_sandbox(sandbox)``: the module-level style (``stripe.PaymentIntent.create(…)``),
  as a context manager that puts the previous settings back on exit.

Both go through the SDK's own ``http_client`` interface: ``SandboxHTTPClient`` subclasses
``stripe.HTTPClient`` and answers ``request()`` with ``paykit.http.routes.handle``, the
same function the local server uses, so the SDK encodes, sends, parses and raises
exactly as it does against api.stripe.com. It never retries (a sandbox answer is final)
and sends no telemetry; the base URL is a ``.invalid`` host, so a request that somehow
bypassed it could never reach Stripe.

Telemetry: the SDK's only switch is process-wide (``stripe.enable_telemetry``); with it
on, the SDK writes an id to ``~/.config/stripe/telemetry_id`` before every request and
reports timings. ``stripe_client`` turns it off (a sandbox has nothing to report);
``use_sandbox`` turns it off for its block and restores it.

Needs the ``sdk`` extra (``pip install paykit[sdk]``, stripe >= 12, < 17).

>>> import paykit
>>> client = paykit.stripe_client(paykit.Sandbox(seed=0))
>>> client.v1.payment_intents.create(params={"amount": 1099, "currency": "usd"}).status
'requires_payment_method'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

try:
    import stripe
except ImportError as missing:  # pragma: no cover - depends on the environment
    raise ImportError(
        "paykit.stripe_client and paykit.use_sandbox need the official SDK: "
        "pip install 'paykit[sdk]'"
    ) from missing

from paykit.http.auth import Keys
from paykit.http.routes import handle
from paykit.sandbox import Sandbox

__all__ = ["DEFAULT_API_KEY", "SANDBOX_BASE", "SandboxHTTPClient", "stripe_client",
           "use_sandbox"]

#: The key the SDK sends when you give none (any ``sk_test_`` key works).
DEFAULT_API_KEY = "sk_test_paykit"
#: Where the SDK believes it sends requests: a reserved name that never resolves.
SANDBOX_BASE = "http://sandbox.paykit.invalid"

# What ``use_sandbox`` changes on the stripe module, and restores.
_MODULE_SETTINGS = ("api_key", "api_base", "api_version", "default_http_client",
                    "max_network_retries", "enable_telemetry")


class _Headers(Mapping[str, str]):
    """Response headers, looked up in any case (the SDK asks for both Request-Id and
    request-id, as a real HTTP library allows)."""

    __slots__ = ("_items",)

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._items = {name.lower(): (name, value) for name, value in headers.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


class SandboxHTTPClient(stripe.HTTPClient):
    """A ``stripe.HTTPClient`` whose "network" is one function call into the sandbox."""

    name = "paykit-sandbox"

    def __init__(self, sandbox: Sandbox, *, keys: Keys | None = None) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.keys = keys

    def request(self, method: str, url: str, headers: Mapping[str, str] | None,
                post_data: Any = None, *, _usage: list[str] | None = None,
                ) -> tuple[str, int, Mapping[str, str]]:
        """``(body, status, headers)``, as the SDK's own clients return them."""
        parts = urlsplit(url)
        raw = post_data or b""
        body = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        status, response_headers, response = handle(
            self.sandbox, method, parts.path, parts.query, headers or {}, body, keys=self.keys,
            pretty=False,  # the SDK only parses it
        )
        return response.decode("utf-8"), status, _Headers(response_headers)

    def request_stream(self, method: str, url: str, headers: Mapping[str, str] | None,
                       post_data: Any = None, *, _usage: list[str] | None = None,
                       ) -> tuple[Any, int, Mapping[str, str]]:
        body, status, response_headers = self.request(method, url, headers, post_data)
        return BytesIO(body.encode("utf-8")), status, response_headers

    # No retries and no telemetry: the SDK's retry loop is bypassed altogether.
    def request_with_retries(self, method: str, url: str, headers: Mapping[str, str],
                             post_data: Any = None, max_network_retries: int | None = None,
                             *, _usage: list[str] | None = None,
                             ) -> tuple[str, int, Mapping[str, str]]:
        return self.request(method, url, headers, post_data)

    def request_stream_with_retries(self, method: str, url: str,
                                    headers: Mapping[str, str], post_data: Any = None,
                                    max_network_retries: int | None = None, *,
                                    _usage: list[str] | None = None,
                                    ) -> tuple[Any, int, Mapping[str, str]]:
        return self.request_stream(method, url, headers, post_data)

    async def request_with_retries_async(self, method: str, url: str,
                                         headers: Mapping[str, str], post_data: Any = None,
                                         max_network_retries: int | None = None, *,
                                         _usage: list[str] | None = None,
                                         ) -> tuple[Any, int, Any]:
        return self.request(method, url, headers, post_data)

    async def request_async(self, method: str, url: str, headers: Mapping[str, str],
                            post_data: Any = None) -> tuple[Any, int, Any]:
        return self.request(method, url, headers, post_data)

    def close(self) -> None:
        """Nothing to close: there is no connection."""

    async def close_async(self) -> None:
        """Nothing to close: there is no connection."""


def stripe_client(sandbox: Sandbox, api_key: str = DEFAULT_API_KEY, *,
                  stripe_version: str | None = None,
                  keys: Keys | None = None) -> stripe.StripeClient:
    """An official ``stripe.StripeClient`` that talks to ``sandbox`` in this process.

    It speaks the sandbox's API version unless ``stripe_version`` says otherwise (a
    version before 2019-02-11 shows the legacy status names). Pass a ``pk_test_…`` key
    to see what Stripe.js sees. Turns the SDK's (process-wide) telemetry off.

    >>> import paykit
    >>> sb = paykit.Sandbox(seed=0)
    >>> client = paykit.stripe_client(sb)
    >>> pi = client.v1.payment_intents.create(params={
    ...     "amount": 1099, "currency": "usd", "payment_method": "pm_card_visa",
    ...     "confirm": True})
    >>> pi.status, sb.payment_intents.retrieve(pi.id).status
    ('succeeded', 'succeeded')
    """
    base = {"api": SANDBOX_BASE, "connect": SANDBOX_BASE, "files": SANDBOX_BASE,
            "meter_events": SANDBOX_BASE}
    stripe.enable_telemetry = False  # process-wide: see the module's docstring
    return stripe.StripeClient(
        api_key,
        stripe_version=stripe_version or sandbox.api_version,
        base_addresses=base,  # type: ignore[arg-type]
        max_network_retries=0,
        http_client=SandboxHTTPClient(sandbox, keys=keys),
    )


@contextlib.contextmanager
def use_sandbox(sandbox: Sandbox, api_key: str = DEFAULT_API_KEY, *,
                stripe_version: str | None = None,
                keys: Keys | None = None) -> Iterator[Sandbox]:
    """Point the module-level ``stripe`` API at ``sandbox`` for the ``with`` block.

    Sets ``stripe.api_key``, ``api_base``, ``api_version``, ``default_http_client``,
    ``max_network_retries`` (0) and ``enable_telemetry`` (off), and restores every one
    on exit, even after an error. These are process-wide settings: do not use it from
    two threads at once (``stripe_client`` has no such limit).

    >>> import paykit, stripe
    >>> with paykit.use_sandbox(paykit.Sandbox(seed=0)):
    ...     stripe.PaymentIntent.create(amount=1099, currency="usd").amount
    1099
    """
    saved = {name: getattr(stripe, name) for name in _MODULE_SETTINGS}
    try:
        stripe.api_key = api_key
        stripe.api_base = SANDBOX_BASE
        stripe.api_version = stripe_version or sandbox.api_version
        stripe.default_http_client = SandboxHTTPClient(sandbox, keys=keys)
        stripe.max_network_retries = 0
        stripe.enable_telemetry = False
        yield sandbox
    finally:
        for name, value in saved.items():
            setattr(stripe, name, value)
