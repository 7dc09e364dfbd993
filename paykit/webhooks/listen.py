"""``paykit listen --forward-to URL``: the offline counterpart of ``stripe listen``.

    paykit listen --forward-to http://localhost:4242/webhook [--events a,b] [--port 12111]
    paykit events resend evt_… --webhook-endpoint we_… [--api-base http://127.0.0.1:12111]

``listen`` starts a sandbox server (as ``paykit serve`` does), or with ``--api-base``
attaches to a running one, registers a webhook endpoint for ``--forward-to`` (every
event, or ``--events``), prints its signing secret, and prints one line per delivery in
stripe-cli's format (``--> type [evt_…]`` then ``<--  [200] POST url [evt_…]``, or
``[ERROR] Failed to POST: …``). Point your code and curl at the server it prints; Ctrl-C
(or SIGTERM) stops it cleanly (an attached listener deletes its endpoint on the way out).
Attached, it reads the attempts from the paykit route
``GET /v1/test_helpers/webhook_endpoints/{id}/attempts``, four times a second.

Unlike ``stripe listen`` (which relays what Stripe's servers signed, and never retries a
failed local delivery), paykit signs each delivery itself and retries a failure on the
sandbox clock: ``curl -X POST $SANDBOX/v1/test_helpers/clock/advance -d hours=1``.
``events resend`` calls ``POST /v1/events/{event}/retry``, as ``stripe events resend``
does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import urlencode, urlsplit

from paykit.webhooks.attempts import Attempt

__all__ = ["TIME_FORMAT", "add_events_parser", "add_listen_parser", "delivery_lines", "listen",
           "resend"]

#: stripe-cli's ``timeLayout`` (local time).
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def delivery_lines(attempt: Attempt, event_type: str, url: str) -> list[str]:
    """The lines ``stripe listen`` prints for one forwarded event.

    >>> from paykit.webhooks.attempts import Attempt
    >>> a = Attempt("evt_1", "we_1", 1, 0, 0, 200, "", None, 1.0, "automatic", ())
    >>> [line[19:] for line in delivery_lines(a, "charge.succeeded", "http://localhost/hook")]
    ['   --> charge.succeeded [evt_1]', '  <--  [200] POST http://localhost/hook [evt_1]']
    """
    stamp = time.strftime(TIME_FORMAT, time.localtime(attempt.signed_at))
    lines = [f"{stamp}   --> {event_type} [{attempt.event}]"]
    if attempt.status is not None:
        lines.append(f"{stamp}  <--  [{attempt.status}] POST {url} [{attempt.event}]")
    else:
        lines.append(f"{stamp}            [ERROR] Failed to POST: {attempt.error}")
    return lines


def _events(text: str | None) -> list[str]:
    if not text:
        return ["*"]
    return [name.strip() for name in text.split(",") if name.strip()]


def _printer(out: TextIO) -> Callable[..., None]:
    """Print whole lines from any thread, flushed at once (the output may be a pipe)."""
    lock = threading.Lock()

    def say(*lines: str) -> None:
        with lock:
            for line in lines:
                print(line, file=out)
            out.flush()

    return say


def _until_stopped(tick: Callable[[], None] = lambda: None) -> None:
    """Call ``tick`` every 0.25 s until Ctrl-C or SIGTERM."""
    stopped = threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # Set Ctrl-C too: a process started in the background by a shell inherits SIGINT
        # ignored (as ``paykit serve`` does)
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.25):
            tick()
    except KeyboardInterrupt:  # when no handler could be set (not the main thread)
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def listen(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Serve (or attach to ``--api-base``), forward every matching event signed, print
    each delivery; 0 after a clean Ctrl-C."""
    from paykit.http.server import is_loopback

    out = out or sys.stdout
    if urlsplit(args.forward_to).scheme not in ("http", "https"):
        print(f"paykit listen: --forward-to takes an http(s) URL, not {args.forward_to!r}",
              file=sys.stderr)
        return 2
    if args.api_base:
        return _attach(args, _printer(out))
    if not is_loopback(args.host):
        print(f"paykit listen: refusing to bind {args.host!r}: loopback only",
              file=sys.stderr)
        return 2
    return _serve(args, _printer(out))


def _serve(args: argparse.Namespace, say: Callable[..., None]) -> int:
    """A sandbox server of its own; deliveries reported by the sandbox as they end."""
    from paykit.errors import StripeError
    from paykit.http.server import SandboxServer, parse_seed
    from paykit.sandbox import Sandbox

    try:
        sandbox = Sandbox(seed=parse_seed(args.seed), api_version=args.api_version)
        sandbox.webhook_endpoints.timeout = args.timeout
        endpoint = sandbox.webhook_endpoints.create(url=args.forward_to,
                                                    enabled_events=_events(args.events))
        server = SandboxServer((args.host, args.port), sandbox)
    except (ValueError, OSError, StripeError) as error:
        print(f"paykit listen: {error}", file=sys.stderr)
        return 1
    sandbox.webhook_endpoints.observe(lambda attempt, delivery: say(
        *delivery_lines(attempt, delivery.event_type, args.forward_to)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="paykit-listen-server", daemon=True)
    server._thread = thread
    thread.start()
    say(f"paykit sandbox on {server.url} (seed {sandbox.seed!r}); webhook endpoint "
        f"{endpoint.id} -> {args.forward_to}",
        f"Ready! You are using paykit API Version [{sandbox.api_version}]. Your webhook "
        f"signing secret is {endpoint.secret} (^C to quit)")
    try:
        _until_stopped()
    finally:
        server.stop()
        sandbox.webhook_endpoints.close()
    say("paykit listen stopped")
    return 0


def _attach(args: argparse.Namespace, say: Callable[..., None]) -> int:
    """A running sandbox (``paykit serve``): register an endpoint over its API, print the
    attempts it makes (polled), delete the endpoint on the way out."""
    base = args.api_base.rstrip("/")
    form = {"url": args.forward_to}
    form.update({f"enabled_events[{i}]": name for i, name in
                 enumerate(_events(args.events))})
    try:
        endpoint = _call(args, "POST", "/v1/webhook_endpoints", form)
    except _Refused as error:
        print(f"paykit listen: {error}", file=sys.stderr)
        return 1
    seen = 0

    def poll() -> None:
        nonlocal seen
        page = _call(args, "GET", f"/v1/test_helpers/webhook_endpoints/{endpoint['id']}"
                                  f"/attempts?after={seen}")
        for row in page["data"]:
            row["faults"] = tuple(row["faults"])
            attempt = Attempt(*(row[name] for name in Attempt._fields))
            say(*delivery_lines(attempt, row["type"], args.forward_to))
            seen += 1

    say(f"paykit sandbox at {base}; webhook endpoint {endpoint['id']} -> {args.forward_to}",
        f"Ready! Your webhook signing secret is {endpoint['secret']} (^C to quit)")
    try:
        _until_stopped(poll)
    except _Refused as error:
        print(f"paykit listen: {error}", file=sys.stderr)
        return 1
    finally:
        with contextlib.suppress(_Refused):
            poll()  # what ended since the last look
            _call(args, "DELETE", f"/v1/webhook_endpoints/{endpoint['id']}")
    say("paykit listen stopped")
    return 0


class _Refused(Exception):
    """The sandbox answered an error, or could not be reached."""


def _call(args: argparse.Namespace, method: str, path: str,
          form: dict[str, str] | None = None) -> dict[str, Any]:
    """One request to ``--api-base`` with the test key; the JSON answer."""
    request = urllib.request.Request(
        args.api_base.rstrip("/") + path, method=method,
        data=urlencode(form).encode() if form is not None else None,
        headers={"Authorization": f"Bearer {args.api_key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as error:
        detail = json.loads(error.read() or b"{}").get("error", {}).get("message", "")
        raise _Refused(f"[{error.code}] {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise _Refused(str(error)) from None


def resend(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``POST /v1/events/{event}/retry`` to a running sandbox (``paykit listen`` or
    ``serve``): 0 when it accepted, 1 with its error otherwise."""
    try:
        event = _call(args, "POST", f"/v1/events/{args.event}/retry",
                      {"webhook_endpoint": args.webhook_endpoint})
    except _Refused as error:
        print(f"paykit events resend: {error}", file=sys.stderr)
        return 1
    print(f"resent {event['type']} [{event['id']}] to {args.webhook_endpoint}",
          file=out or sys.stdout)
    return 0


def add_listen_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``listen`` to the ``paykit`` subparsers."""
    from paykit.http.server import DEFAULT_HOST, DEFAULT_PORT

    parser = subparsers.add_parser(
        "listen", help="forward the sandbox's events, signed, to your webhook endpoint",
        description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--forward-to", "-f", required=True, metavar="URL",
                        help="your endpoint, e.g. http://localhost:4242/webhook")
    parser.add_argument("--events", "-e", metavar="a,b",
                        help="only these event types, comma-separated (default: all)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"the sandbox server's port (default {DEFAULT_PORT}; 0: any)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="loopback address to bind")
    parser.add_argument("--seed", default="0", help="sandbox seed (default 0)")
    parser.add_argument("--api-version", default=None, help="the sandbox's API version")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds your endpoint has to answer (default 10)")
    parser.add_argument("--api-base", metavar="URL",
                        help="attach to a running sandbox (paykit serve) instead of "
                             "starting one, e.g. http://127.0.0.1:12111")
    parser.add_argument("--api-key", default="sk_test_123",
                        help="the test key for --api-base (default sk_test_123)")
    parser.set_defaults(handler=listen)
    return parser


def add_events_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``events resend`` to the ``paykit`` subparsers."""
    parser = subparsers.add_parser("events", help="act on a running sandbox's events")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    again = actions.add_parser("resend", help="send one event again to one endpoint")
    again.add_argument("event", help="the event id (evt_…)")
    again.add_argument("--webhook-endpoint", required=True, metavar="we_…")
    again.add_argument("--api-base", default="http://127.0.0.1:12111",
                       help="the sandbox server (default http://127.0.0.1:12111)")
    again.add_argument("--api-key", default="sk_test_123", help="a test secret key")
    again.set_defaults(handler=resend)
    return parser
