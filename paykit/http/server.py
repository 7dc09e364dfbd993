"""``paykit serve``: the sandbox on a local port, so the docs' curl commands run as written.

    paykit serve [--port 12111] [--host 127.0.0.1] [--seed 0] [--api-version …]
    curl http://127.0.0.1:12111/v1/payment_intents -u sk_test_123: -d amount=1099 -d currency=usd

Every request goes to ``paykit.http.routes.handle``, the function the in-process SDK
client uses too; it also serves paykit's Stripe.js stand-in at ``/v3/`` (a page's
``<script src="http://127.0.0.1:12111/v3/">``). The server binds the loopback interface
only: another address needs ``--allow-remote`` (the sandbox has no real money, but no
reason to be on a network either). Each request is logged on one line with the key and
any client secret masked; bodies are never logged. Ctrl-C (or SIGTERM) stops it cleanly:
open connections are closed and their threads joined.

The server is built on the standard library: one thread runs an event loop
(``selectors``) that accepts connections, reads what they send, answers each request once
it has arrived whole (``paykit.http.framing``; ``http.server`` parses it) and writes the
answer as fast as the client takes it in. The sandbox answers one request at a time
anyway (its lock, and the GIL), so threads would only add hand-offs: with one thread per
connection, 64 clients got 0.7x the requests per second of 8 (benchmarks/server.py). So:

- a burst of clients is queued by the kernel (a listen backlog of ``LISTEN_BACKLOG``;
  socketserver's default of 5 left 64 clients connecting at once waiting seconds on SYN
  retries) and costs no thread per connection;
- a request must arrive within ``request_timeout`` of its first byte (line, headers and
  body together, not per read), and its answer be taken in within as long: a client
  trickling a byte at a time holds nothing but its socket and is dropped when its
  deadline passes; an idle keep-alive connection is closed after ``idle_timeout``;
- HEAD answers as GET without the body; ``Transfer-Encoding: chunked`` bodies are
  decoded (up to ``MAX_BODY_BYTES``); ``Expect: 100-continue`` is answered;
- anything it cannot read (no HTTP version, a folded or nameless header line, a
  ``Content-Length`` that is not ASCII digits or is given twice differently, both
  ``Content-Length`` and ``Transfer-Encoding``) is answered with Stripe's error JSON and
  a ``Request-Id``, then that connection is closed; the server goes on serving;
- while it serves, what survives a full garbage collection is frozen (``gc.freeze``,
  https://docs.python.org/3/library/gc.html#gc.freeze), so the next one scans only what
  is new: a sandbox of 100k payments holds some 3.4M references, and each full
  collection over them stopped every request for about 220 ms at random moments (the
  sandbox makes no cyclic garbage; frozen objects are still freed by reference count).
  In a notebook the freeze covers its other objects too: cyclic garbage among them
  waits until the last server stops (``SandboxServer.freeze_gc = False`` opts out).

Why not a WSGI server from PyPI: waitress 3 (measured against this server on the same
tests and benchmark) answers its own refusals in plain text without a Request-Id, and
paykit's core stays pure standard library.

The port, 12111, is stripe-mock's: tools already configured for it work unchanged.

In a notebook or a test, ``start(sandbox)`` runs a server in a background thread::

    with start(paykit.Sandbox(seed=0)) as server:
        requests.get(server.url + "/v1/events", auth=("sk_test_123", ""))
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import ipaddress
import json
import logging
import re
import selectors
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import urlsplit

from paykit.errors import InvalidRequestError, StripeError
from paykit.http.auth import Keys, key_for_log
from paykit.http.framing import Frame, expects_continue, frame
from paykit.http.routes import handle
from paykit.sandbox import Sandbox
from paykit.sensitive import redact_log

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "IDLE_TIMEOUT",
    "LISTEN_BACKLOG",
    "MAX_BODY_BYTES",
    "REQUEST_TIMEOUT",
    "Pages",
    "SandboxServer",
    "add_serve_parser",
    "is_loopback",
    "log_requests",
    "main",
    "masked_target",
    "parse_seed",
    "run",
    "serve_until_interrupted",
    "start",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12111
#: paykit's cap on a request body (Stripe publishes none): larger bodies get a 413.
MAX_BODY_BYTES = 1 << 20
#: Connections the kernel queues before the server accepts them (Linux caps it at
#: net.core.somaxconn): a burst of test clients must all fit.
LISTEN_BACKLOG = 1024
#: Seconds a request may take to arrive, from its first byte to the end of its body.
REQUEST_TIMEOUT = 10.0
#: Seconds a keep-alive connection may wait for its next request.
IDLE_TIMEOUT = 30.0

_logger = logging.getLogger("paykit.http")

#: ``(method, path, query) -> (status, headers, body)`` or ``None``: pages served beside
#: the API by the same server (the checkout), asked before ``routes.handle``.
Pages = Callable[[str, str, str], "tuple[int, dict[str, str], bytes] | None"]

#: A header name: an RFC 9110 token (no space before the colon, no control character).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


_OLDEST = 2  # gc's oldest generation: collecting it is a full collection
_gc_lock = threading.Lock()
_gc_servers = 0  # servers serving in this process: the first installs, the last removes
_gc_unfreeze = False  # whether the last one gives the frozen objects back to gc


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    """A ``gc.callbacks`` hook: after a full collection, freeze what it kept (only live
    objects are left then: every generation was just collected)."""
    if phase == "stop" and info["generation"] == _OLDEST:
        gc.freeze()


@contextlib.contextmanager
def _short_gc_pauses() -> Iterator[None]:
    """Full collections scan only what is new while a server serves in this process.

    Objects frozen by someone else before (a forking server's ``gc.freeze()``) stay
    frozen afterwards; otherwise the last server to stop unfreezes everything.
    """
    global _gc_servers, _gc_unfreeze
    with _gc_lock:
        _gc_servers += 1
        if _gc_servers == 1:
            _gc_unfreeze = gc.get_freeze_count() == 0
            gc.freeze()  # the sandbox as it is; garbage among it waits until the stop
            gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        with _gc_lock:
            _gc_servers -= 1
            if _gc_servers == 0:
                gc.callbacks.remove(_freeze_survivors)
                if _gc_unfreeze:
                    gc.unfreeze()


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.x.y.z`` or ``::1``: reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def masked_target(target: str) -> str:
    """A request target fit for a log: client secrets and keys masked, even encoded."""
    return redact_log(target)


class _Connection:
    """One client connection as the loop sees it: what it sent, what is left to send."""

    __slots__ = ("address", "buffer", "continued", "idle_since", "keep", "outgoing", "sock",
                 "started")

    def __init__(self, sock: socket.socket, address: Any, now: float) -> None:
        self.sock = sock
        self.address = address
        self.buffer = bytearray()  # received, not yet answered
        self.started: float | None = None  # first byte of the request being read
        self.idle_since = now
        self.continued = False  # "100 Continue" sent for the request being read
        self.outgoing = b""  # an answer the client has not taken in yet
        self.keep = True  # whether the connection stays open once it is sent


class SandboxServer(HTTPServer):
    """An HTTP server in front of one sandbox; ``stop()`` ends it cleanly."""

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG
    #: Freeze what survives full collections while serving (see the module docstring).
    freeze_gc = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox, *,
                 keys: Keys | None = None, allow_remote: bool = False,
                 request_timeout: float = REQUEST_TIMEOUT,
                 idle_timeout: float = IDLE_TIMEOUT, pages: Pages | None = None) -> None:
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
        self.pages = pages
        self.request_timeout = request_timeout
        self.idle_timeout = idle_timeout
        self._serving = threading.Event()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._thread: threading.Thread | None = None
        self._wake_read, self._wake_write = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"

    # -- the loop: accept, read whole requests, answer, write ---------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until ``shutdown()`` (or ``stop()``)."""
        selector = self._selector
        self.socket.setblocking(False)
        selector.register(self.socket, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)
        self._stopped.clear()
        try:
            with contextlib.ExitStack() as stack:
                if self.freeze_gc:
                    stack.enter_context(_short_gc_pauses())
                self._serving.set()
                self._loop(selector, poll_interval)
        finally:
            self._stopped.set()  # after the gc policy is undone: stop() returns to it

    def _loop(self, selector: selectors.BaseSelector, poll_interval: float) -> None:
        next_check = 0.0
        try:
            while not self._stopping.is_set():
                for key, events in selector.select(timeout=min(poll_interval, 0.1)):
                    if key.fileobj is self.socket:
                        self._accept()
                    elif key.fileobj is self._wake_read:
                        with contextlib.suppress(OSError):
                            self._wake_read.recv(4096)
                    elif events & selectors.EVENT_WRITE:
                        self._write(key.data)
                    else:
                        self._read(key.data)
                if time.monotonic() >= next_check:  # deadlines to 0.1 s: cheap per event
                    self._expire()
                    next_check = time.monotonic() + 0.1
        finally:
            self._serving.clear()
            for key in list(selector.get_map().values()):
                if isinstance(key.data, _Connection):
                    self._close(key.data)
            for fileobj in (self.socket, self._wake_read):
                with contextlib.suppress(KeyError, ValueError):
                    selector.unregister(fileobj)

    def _accept(self) -> None:
        while True:
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # out of file descriptors...: the kernel keeps them
                _logger.warning("paykit serve: cannot accept: %s", error)
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
            connection = _Connection(sock, address, time.monotonic())
            self._selector.register(sock, selectors.EVENT_READ, connection)

    def _read(self, connection: _Connection) -> None:
        try:
            data = connection.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._close(connection)
            return
        if not connection.buffer:
            connection.started = time.monotonic()
        connection.buffer += data
        self._answer_whole_requests(connection)

    def _answer_whole_requests(self, connection: _Connection) -> None:
        """Answer the requests that have arrived whole, in order, while the client reads."""
        while not connection.outgoing:
            framed = frame(connection.buffer, MAX_BODY_BYTES)
            if framed is None:
                if not connection.continued and expects_continue(connection.buffer):
                    connection.continued = True
                    with contextlib.suppress(OSError):
                        connection.sock.send(_CONTINUE)
                return
            request = bytes(connection.buffer[:framed.length])
            del connection.buffer[:framed.length]
            try:
                answer, keep = _Handler.answer(self, connection.address, request, framed)
            except Exception:  # a bug in paykit: that connection closes, the server goes on
                self.handle_error(connection.sock, connection.address)
                self._close(connection)
                return
            now = time.monotonic()
            connection.continued = False
            connection.started = now if connection.buffer else None
            connection.idle_since = now
            connection.keep = keep
            connection.outgoing = answer
            if not self._write(connection):
                return

    def _write(self, connection: _Connection) -> bool:
        """Send what the client takes in; ``True`` once all is sent and it stays open."""
        try:
            sent = connection.sock.send(connection.outgoing)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._close(connection)
            return False
        connection.outgoing = connection.outgoing[sent:]
        if connection.outgoing:  # the client reads slowly: wait until it can take more
            if sent or self._selector.get_key(connection.sock).events != selectors.EVENT_WRITE:
                connection.idle_since = time.monotonic()  # its write deadline starts now
            self._selector.modify(connection.sock, selectors.EVENT_WRITE, connection)
            return False
        if not connection.keep:
            self._close(connection)
            return False
        if self._selector.get_key(connection.sock).events != selectors.EVENT_READ:
            self._selector.modify(connection.sock, selectors.EVENT_READ, connection)
            self._answer_whole_requests(connection)  # what it sent meanwhile
        return True

    def _expire(self) -> None:
        """Drop connections past their request deadline, write deadline or idle timeout."""
        now = time.monotonic()
        for key in list(self._selector.get_map().values()):
            connection = key.data
            if not isinstance(connection, _Connection):
                continue
            if connection.outgoing:
                late = now - connection.idle_since > self.request_timeout
            elif connection.started is not None:
                late = now - connection.started > self.request_timeout
            else:
                late = now - connection.idle_since > self.idle_timeout
            if late:
                if connection.started is not None or connection.outgoing:
                    _logger.info("%s dropped: no whole request, or its answer not taken in, "
                                 "within %g s", connection.address[0], self.request_timeout)
                self._close(connection)

    def _close(self, connection: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection.sock)
        with contextlib.suppress(OSError):
            connection.sock.close()

    # -- stopping ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the loop and wait until its connections are closed."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")
        self._stopped.wait()

    def stop(self) -> None:
        """Stop serving, close open connections, free the port."""
        if self._serving.is_set() and threading.current_thread() is not self._thread:
            self.shutdown()
        self.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def server_close(self) -> None:
        super().server_close()
        self._selector.close()
        for sock in (self._wake_read, self._wake_write):
            sock.close()

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
    """Parses one whole request (bytes the loop framed), asks ``routes.handle``, and
    writes the answer into a buffer the loop sends."""

    protocol_version = "HTTP/1.1"  # keep-alive: the SDK reuses its connection
    server_version = "paykit"
    server: SandboxServer
    frame: Frame
    raw_requestline: bytes

    @classmethod
    def answer(cls, server: SandboxServer, address: Any, request: bytes,
               framed: Frame) -> tuple[bytes, bool]:
        """The answer's bytes, and whether the connection stays open after it."""
        handler = cls.__new__(cls)
        handler.server = server
        handler.client_address = address
        handler.rfile = io.BytesIO(request)
        handler.wfile = io.BytesIO()
        handler.frame = framed
        handler.close_connection = True
        handler.handle_one_request()
        wfile = handler.wfile
        assert isinstance(wfile, io.BytesIO)
        return wfile.getvalue(), not handler.close_connection

    def version_string(self) -> str:
        return self.server_version

    def handle_expect_100(self) -> bool:
        """The loop sent ``100 Continue`` while the body arrived; it is here now."""
        return True

    def parse_request(self) -> bool:
        """The standard parse, made strict where a lenient one misreads a request."""
        words = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n").split()
        if len(words) == 2:  # "GET /path": HTTP/0.9, which gets no status line at all
            self.command, self.path = words
            self.request_version = "HTTP/1.0"
            self.requestline = " ".join(words)
            self.send_error(HTTPStatus.BAD_REQUEST,
                            "The request line has no HTTP version (GET /path HTTP/1.1).")
            return False
        if not super().parse_request():
            return False
        problem = self._header_problem()
        if problem is not None:
            self.send_error(HTTPStatus.BAD_REQUEST, problem)
            return False
        return True

    def _header_problem(self) -> str | None:
        """What makes the headers unreadable (RFC 9112 section 5), or ``None``."""
        headers = self.headers
        if headers.defects or headers.get_payload():
            return "A header line is not 'Name: value' (a name, then a colon)."
        for name, value in headers.items():
            if not _TOKEN.fullmatch(name):
                return ("A header line's name may not contain spaces or control characters "
                        "(no space before the colon).")
            if "\r" in value or "\n" in value:
                return ("A header line is folded onto the next (obs-fold, refused by "
                        "RFC 9112 section 5.2): send each header on one line.")
        return None

    def _serve(self) -> None:
        started = time.perf_counter()
        if self.frame.refusal is not None:
            self._refuse(*self.frame.refusal)
            return
        parts = urlsplit(self.path)
        # HEAD is GET without the body (RFC 9110 section 9.3.2); _send leaves it out
        method = "GET" if self.command == "HEAD" else self.command
        page = self.server.pages(method, parts.path, parts.query) if self.server.pages \
            else None
        status, headers, payload = page or handle(
            self.server.sandbox, method, parts.path, parts.query, dict(self.headers.items()),
            self.frame.body, keys=self.server.keys)
        _logger.info('%s "%s %s" %d %.1fms key=%s %s', self.client_address[0], self.command,
                     masked_target(self.path), status, (time.perf_counter() - started) * 1e3,
                     key_for_log(self.headers.get("Authorization")),
                     headers.get("Request-Id", "-"))
        self._send(status, headers, payload)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _request_id(self) -> str:
        """A ``req_…`` id for an answer the route table never saw (same id stream as reads)."""
        with self.server.sandbox.tracing() as trace:
            pass
        return trace.request_id or ""

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        """Answer with a Stripe-shaped error and close the connection."""
        self.close_connection = True
        request_id = self._request_id()
        _logger.info('%s "%s %s" %d %s %s', self.client_address[0], self.command,
                     masked_target(self.path), int(status), redact_log(message), request_id)
        error = InvalidRequestError(redact_log(message), http_status=int(status))
        self._send(int(status), {"Content-Type": "application/json",
                                 "Request-Id": request_id}, _error_json(error))

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

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Protocol errors (bad request line, huge headers…) in Stripe's JSON too."""
        if self.request_version == "HTTP/0.9":  # garbage is not a 0.9 client: answer 1.0
            self.request_version = "HTTP/1.0"
        if not hasattr(self, "command"):
            self.command = ""
        if not hasattr(self, "path"):
            self.path = ""
        text = message or HTTPStatus(code).phrase
        self._refuse(HTTPStatus(code), f"{text}{': ' + explain if explain else ''}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are logged by ``_serve``, masked."""

    def log_message(self, format: str, *args: Any) -> None:
        _logger.debug("%s %s", self.client_address[0], redact_log(format % args))


def _error_json(error: StripeError) -> bytes:
    return (json.dumps(error.to_dict(), indent=2) + "\n").encode()


def start(sandbox: Sandbox, host: str = DEFAULT_HOST, port: int = 0, *,
          keys: Keys | None = None, allow_remote: bool = False,
          request_timeout: float = REQUEST_TIMEOUT,
          idle_timeout: float = IDLE_TIMEOUT, pages: Pages | None = None) -> SandboxServer:
    """A server for ``sandbox`` running in a background thread (port 0: any free port).

    ``pages`` answers the paths that are not the API (``paykit checkout``'s pages) before
    ``routes.handle`` does. Use it as a context manager, or call ``stop()``.
    """
    server = SandboxServer((host, port), sandbox, keys=keys, allow_remote=allow_remote,
                           request_timeout=request_timeout, idle_timeout=idle_timeout,
                           pages=pages)
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


def parse_seed(text: str) -> int | str:
    """A ``--seed`` as the sandbox takes it: a whole number, or else the text."""
    return int(text) if text.lstrip("-").isdigit() else text


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status (0 after a clean stop)."""
    if not args.allow_remote and not is_loopback(args.host):
        print(f"paykit serve: refusing to bind {args.host!r}, which is not a loopback "
              "address; add --allow-remote if you really mean it.", file=sys.stderr)
        return 2
    if not args.quiet:
        log_requests()
    try:
        keys = Keys.only(args.key) if args.key else None
        sandbox = Sandbox(seed=parse_seed(args.seed), api_version=args.api_version)
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
    serve_until_interrupted(server)
    print("paykit sandbox stopped", flush=True)
    return 0


def log_requests() -> None:
    """Log each request to stderr, as a command line server shows them."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        stream=sys.stderr)


def serve_until_interrupted(server: SandboxServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the server (a command's main loop)."""
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
