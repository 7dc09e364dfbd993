"""``paykit serve``: the sandbox on a local port, so the docs' curl commands run as written.

    paykit serve [--port 12111] [--host 127.0.0.1] [--seed 0] [--api-version …]
    curl http://127.0.0.1:12111/v1/payment_intents -u sk_test_123: -d amount=1099 -d currency=usd

Every request goes to ``paykit.http.routes.handle``, the function the in-process SDK
client uses too. The server binds the loopback interface only: another address needs
``--allow-remote`` (the sandbox has no real money, but no reason to be on a network
either). Each request is logged on one line with the key and any client secret masked;
bodies are never logged. Ctrl-C (or SIGTERM) stops it cleanly: open connections are
closed and their threads joined.

The port, 12111, is stripe-mock's: tools already configured for it work unchanged.

In a notebook or a test, ``start(sandbox)`` runs a server in a background thread::

    with start(paykit.Sandbox(seed=0)) as server:
        requests.get(server.url + "/v1/events", auth=("sk_test_123", ""))
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import re
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from paykit.errors import InvalidRequestError, StripeError
from paykit.http.auth import Keys, key_for_log
from paykit.http.routes import handle
from paykit.objects import mask_secret
from paykit.sandbox import Sandbox
from paykit.sensitive import mask_key

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MAX_BODY_BYTES",
    "SandboxServer",
    "add_serve_parser",
    "is_loopback",
    "main",
    "masked_target",
    "run",
    "start",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12111
#: paykit's cap on a request body (Stripe publishes none): larger bodies get a 413.
MAX_BODY_BYTES = 1 << 20

_logger = logging.getLogger("paykit.http")

_SECRET_IN_TARGET = re.compile(r"(_secret_)[A-Za-z0-9]+")
_KEY_IN_TARGET = re.compile(r"(?:sk|pk|rk)_(?:test|live)_[A-Za-z0-9_]+")


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.x.y.z`` or ``::1``: reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def masked_target(target: str) -> str:
    """A request target fit for a log: client secrets and keys masked."""
    target = _SECRET_IN_TARGET.sub(lambda m: mask_secret(m[0]) or "", target)
    return _KEY_IN_TARGET.sub(lambda m: mask_key(m[0]), target)


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server in front of one sandbox; ``stop()`` ends it cleanly."""

    daemon_threads = False  # so that server_close() joins the connection threads
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox, *,
                 keys: Keys | None = None, allow_remote: bool = False) -> None:
        host = address[0]
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"paykit serve binds the loopback interface only; {host!r} is not loopback. "
                "Pass allow_remote=True (--allow-remote) if you really mean it."
            )
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.sandbox = sandbox
        self.keys = keys
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._serving = threading.Event()
        self._thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving.set()
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving.clear()

    def track(self, connection: socket.socket, alive: bool) -> None:
        with self._lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def stop(self) -> None:
        """Stop serving, close open connections, join their threads, free the port."""
        if self._serving.is_set() and threading.current_thread() is not self._thread:
            self.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # wakes threads waiting on keep-alive connections
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is not worth a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            _logger.debug("connection from %s dropped: %s", client_address, error)
            return
        _logger.exception("paykit serve: error while answering %s", client_address)

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, hands it to ``routes.handle``, writes the answer."""

    protocol_version = "HTTP/1.1"  # keep-alive: the SDK reuses its connection
    server_version = "paykit"
    # One send per answer (headers and body together; handle_one_request flushes), and no
    # Nagle delay: otherwise each answer waits ~40 ms for the client's delayed ACK.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    timeout = 30  # seconds a connection may sit idle
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, alive=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, alive=False)

    def version_string(self) -> str:
        return self.server_version

    def _serve(self) -> None:
        started = time.perf_counter()
        body = self._read_body()
        if body is None:
            return
        parts = urlsplit(self.path)
        status, headers, payload = handle(self.server.sandbox, self.command, parts.path,
                                          parts.query, dict(self.headers.items()), body,
                                          keys=self.server.keys)
        _logger.info('%s "%s %s" %d %.1fms key=%s %s', self.client_address[0], self.command,
                     masked_target(self.path), status, (time.perf_counter() - started) * 1e3,
                     key_for_log(self.headers.get("Authorization")),
                     headers.get("Request-Id", "-"))
        self._send(status, headers, payload)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> bytes | None:
        """The body by Content-Length; ``None`` when an error has been answered instead."""
        if self.headers.get("Transfer-Encoding", "identity").lower() != "identity":
            self._refuse(HTTPStatus.LENGTH_REQUIRED,
                         "paykit needs a Content-Length; chunked bodies are not read.")
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            self._refuse(HTTPStatus.BAD_REQUEST, f"Invalid Content-Length: {length[:40]}")
            return None
        size = int(length)
        if size > MAX_BODY_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                         f"The request body is {size:,} bytes; paykit reads at most "
                         f"{MAX_BODY_BYTES:,}.")
            return None
        body = self.rfile.read(size)
        if len(body) < size:  # the client went away
            self.close_connection = True
            return None
        return body

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        """Answer with a Stripe-shaped error and drop the connection (its body is unread)."""
        self.close_connection = True
        _logger.info('%s "%s %s" %d %s', self.client_address[0], self.command,
                     masked_target(self.path), int(status), message)
        error = InvalidRequestError(message, http_status=int(status))
        self._send(int(status), {"Content-Type": "application/json"}, _error_json(error))

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Protocol errors (bad request line, huge headers…) in Stripe's JSON too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # garbage is not a 0.9 client: answer 1.0
            self.request_version = "HTTP/1.0"
        text = message or HTTPStatus(code).phrase
        error = InvalidRequestError(f"{text}{': ' + explain if explain else ''}",
                                    http_status=code)
        self._send(code, {"Content-Type": "application/json"}, _error_json(error))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are logged by ``_serve``, masked."""

    def log_message(self, format: str, *args: Any) -> None:
        _logger.debug("%s %s", self.client_address[0], format % args)


def _error_json(error: StripeError) -> bytes:
    return (json.dumps(error.to_dict(), indent=2) + "\n").encode()


def start(sandbox: Sandbox, host: str = DEFAULT_HOST, port: int = 0, *,
          keys: Keys | None = None, allow_remote: bool = False) -> SandboxServer:
    """A server for ``sandbox`` running in a background thread (port 0: any free port).

    Use it as a context manager, or call ``stop()``.
    """
    server = SandboxServer((host, port), sandbox, keys=keys, allow_remote=allow_remote)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"paykit-serve-{server.server_address[1]}", daemon=True)
    server._thread = thread
    thread.start()
    server._serving.wait(5)
    return server


# -- the command line -----------------------------------------------------------------------


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}, stripe-mock's; "
                             "0 picks a free one)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to bind (default {DEFAULT_HOST}; loopback only unless "
                             "--allow-remote)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow a non-loopback --host (anyone who can reach it can use "
                             "the sandbox)")
    parser.add_argument("--seed", default="0",
                        help="sandbox seed: the same seed gives the same ids (default 0)")
    parser.add_argument("--api-version", default=None,
                        help="the sandbox's API version (default: paykit's current one)")
    parser.add_argument("--key", action="append", default=None, metavar="KEY",
                        help="accept only this sk_test_/pk_test_ key (repeatable; default: "
                             "any well-formed test key)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def add_serve_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``serve`` to the ``paykit`` subparsers; ``args.handler(args)`` runs it."""
    parser = subparsers.add_parser(
        "serve", help="run the sandbox as a local Stripe API for curl and the SDK",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    _add_arguments(parser)
    parser.set_defaults(handler=run)
    return parser


def _seed(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status (0 after a clean stop)."""
    if not args.allow_remote and not is_loopback(args.host):
        print(f"paykit serve: refusing to bind {args.host!r}, which is not a loopback "
              "address; add --allow-remote if you really mean it.", file=sys.stderr)
        return 2
    if not args.quiet:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                            stream=sys.stderr)
    try:
        keys = Keys.only(args.key) if args.key else None
        sandbox = Sandbox(seed=_seed(args.seed), api_version=args.api_version)
        server = SandboxServer((args.host, args.port), sandbox, keys=keys,
                               allow_remote=args.allow_remote)
    except (ValueError, OSError) as error:
        print(f"paykit serve: {error}", file=sys.stderr)
        return 1
    if args.allow_remote and not is_loopback(args.host):
        print("paykit serve: WARNING: listening beyond this machine; anyone who can reach "
              "it can use the sandbox.", file=sys.stderr)
    print(f"paykit sandbox listening on {server.url} (seed {sandbox.seed!r}, API version "
          f"{sandbox.api_version}); Ctrl-C to stop\n"
          f"  curl {server.url}/v1/payment_intents -u sk_test_123: -d amount=1099 "
          f"-d currency=usd", flush=True)
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # Set Ctrl-C too: a process started in the background by a shell inherits SIGINT
        # ignored, and Python then installs no KeyboardInterrupt for it.
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    print("paykit sandbox stopped", flush=True)
    return 0


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``python -m paykit.http.server`` (the same as ``paykit serve``)."""
    parser = argparse.ArgumentParser(prog="paykit serve",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    _add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
