"""How a signed delivery reaches an endpoint: a POST over HTTP, or a Python call.

``HttpTransport`` POSTs the raw body with Stripe's headers over one kept-alive
connection per endpoint (``http.client``, standard library), never follows a redirect
(Stripe: "We consider redirect responses to webhook requests as failures"), reads at
most ``BODY_PREVIEW`` bytes of the answer for the attempts log, and gives up after
``timeout`` seconds on connecting and on each read: a hanging endpoint costs its own
worker that long, nothing else. ``CallableTransport`` hands the same bytes and headers
to a Python function, for notebooks and tests without a socket.

>>> answer = CallableTransport(lambda body, headers: 204).send(b"{}", {}, 1.0)
>>> answer.status, answer.error
(204, None)
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

__all__ = ["BODY_PREVIEW", "USER_AGENT", "Answer", "CallableTransport", "HttpTransport",
           "Receiver", "delivery_headers"]

#: How much of an endpoint's answer the attempts log keeps, like the Dashboard's preview.
BODY_PREVIEW = 512
#: What Stripe's deliveries announce themselves as (seen on real deliveries; unofficial).
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"

#: A Python endpoint: ``(raw body, headers) -> status``, or ``(status, body text)``, or
#: ``None`` for 200. An exception is a 500 whose body is the exception's text.
Receiver = Callable[[bytes, Mapping[str, str]], Any]


class Answer(NamedTuple):
    """What an endpoint answered: ``status`` (``None`` when no answer came), the first
    bytes of its body, and why there was no answer (``"Timed out"``, ``"Unable to
    connect"``...)."""

    status: int | None
    body: str = ""
    error: str | None = None


def delivery_headers(signature: str) -> dict[str, str]:
    """The headers of one delivery (as a real delivery shows them; ``Content-Type``
    is paykit's choice, Stripe's is not documented)."""
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "Accept": "*/*; q=0.5, application/xml", "Cache-Control": "no-cache",
            "Stripe-Signature": signature}


class HttpTransport:
    """POSTs to one URL over a connection it keeps open between deliveries."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._connection: http.client.HTTPConnection | None = None

    def send(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        """One POST; a broken kept-alive connection is retried once on a fresh one."""
        for fresh in (self._connection is None, True):
            try:
                return self._post(body, headers, timeout)
            except TimeoutError:
                self.close()
                return Answer(None, "", "Timed out")
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                self.close()
                if fresh:
                    return Answer(None, "", f"Unable to connect ({error})")
        raise AssertionError("unreachable")  # pragma: no cover

    def _post(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._host, self._port, timeout=timeout)
        connection = self._connection
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        connection.request("POST", self._target, body=body, headers=dict(headers))
        response = connection.getresponse()
        length = response.length
        preview = response.read(BODY_PREVIEW)
        if response.will_close or length is None or length > BODY_PREVIEW:
            self.close()  # an answer too long to drain is not worth the connection
        return Answer(response.status, preview.decode("utf-8", "replace"))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class CallableTransport:
    """Calls a Python function with the body and headers a real endpoint would get."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        self.url = getattr(receiver, "__qualname__", repr(receiver))

    def send(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        try:
            answer = self.receiver(body, dict(headers))
        except Exception as error:  # a crashing handler is a 500, as a server shows it
            return Answer(500, f"{type(error).__name__}: {error}"[:BODY_PREVIEW])
        if answer is None:
            return Answer(200)
        if isinstance(answer, tuple):
            status, text = answer
            return Answer(int(status), str(text)[:BODY_PREVIEW])
        return Answer(int(answer))

    def close(self) -> None:
        """Nothing to close."""
