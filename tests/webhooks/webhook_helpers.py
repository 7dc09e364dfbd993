"""A real local webhook endpoint (loopback HTTP, standard library) and a payment helper."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import paykit


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timed-out delivery) is expected here."""


class Received:
    """One request the endpoint got."""

    def __init__(self, path: str, headers: dict[str, str], body: bytes) -> None:
        self.path = path
        self.headers = headers
        self.body = body


class Endpoint:
    """A webhook endpoint on 127.0.0.1: records what it gets, answers ``answer(n)``
    (the status for the n-th request, from 0), can hang for ``hang`` seconds."""

    def __init__(self, answer: Callable[[int], int] = lambda n: 200, hang: float = 0.0
                 ) -> None:
        self.received: list[Received] = []
        self.answer = answer
        self.hang = hang
        self._lock = threading.Lock()
        self._release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave in two writes

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with endpoint._lock:
                    number = len(endpoint.received)
                    endpoint.received.append(Received(self.path, dict(self.headers), body))
                if endpoint.hang:
                    endpoint._release.wait(endpoint.hang)
                status = endpoint.answer(number)
                reply = b'{"received": true}'
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return list(self.received)

    def close(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


def pay(sb: paykit.Sandbox, card: str = "pm_card_visa") -> Any:
    """A card payment confirmed at once (three events when it succeeds); a declined
    card's payment is returned as it is left, not raised."""
    try:
        return sb.payment_intents.create(amount=1099, currency="usd", payment_method=card,
                                         confirm=True)
    except paykit.CardError as error:
        return error
