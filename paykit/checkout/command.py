"""``paykit checkout``: the checkout pages, the API and Stripe.js on one local port.

    paykit checkout [--port 4242] [--seed 0] [--amount 1099] [--currency usd]

Open the printed URL, pay with a test card, and watch the sandbox: every request is
logged as ``paykit serve`` logs it. In a notebook, ``start(sb)`` runs the same server in a
background thread over the notebook's own sandbox, so its intents, events and lifecycle
graph change as the other tab pays.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from paykit.checkout.pages import Checkout
from paykit.errors import StripeError
from paykit.http.server import (
    DEFAULT_HOST,
    SandboxServer,
    is_loopback,
    log_requests,
    parse_seed,
    serve_until_interrupted,
)
from paykit.http.server import start as start_server
from paykit.sandbox import Sandbox

__all__ = ["DEFAULT_PORT", "add_checkout_parser", "run", "start"]

#: The port Stripe's sample servers listen on (stripe-samples: ``localhost:4242``).
DEFAULT_PORT = 4242


def start(sandbox: Sandbox, port: int = 0, *, host: str = DEFAULT_HOST, amount: int = 1099,
          currency: str = "usd") -> SandboxServer:
    """The checkout over ``sandbox`` in a background thread (port 0: any free port)."""
    checkout = Checkout(sandbox, amount=amount, currency=currency)
    return start_server(sandbox, host, port, pages=checkout.answer)


def add_checkout_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``checkout`` to the ``paykit`` subparsers; ``args.handler(args)`` runs it."""
    parser = subparsers.add_parser(
        "checkout", help="serve the client-secret checkout pages (SPA, server-rendered, "
                         "Payment Element) with the sandbox and the Stripe.js stand-in",
        description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"loopback address to bind (default {DEFAULT_HOST})")
    parser.add_argument("--seed", default="0", help="sandbox seed (default 0)")
    parser.add_argument("--amount", type=int, default=1099,
                        help="what the shop charges, in the smallest unit (default 1099)")
    parser.add_argument("--currency", default="usd", help="three-letter code (default usd)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; the exit status."""
    if not is_loopback(args.host):
        print(f"paykit checkout: {args.host!r} is not a loopback address; the checkout "
              "binds 127.0.0.1 (or another loopback address) only.", file=sys.stderr)
        return 2
    if not args.quiet:
        log_requests()
    try:
        sandbox = Sandbox(seed=parse_seed(args.seed))
        checkout = Checkout(sandbox, amount=args.amount, currency=args.currency)
        checkout.check()  # a bad amount or currency fails here, not in the browser
        server = SandboxServer((args.host, args.port), sandbox, pages=checkout.answer)
    except StripeError as error:
        print(f"paykit checkout: {error.message}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"paykit checkout: {error}", file=sys.stderr)
        return 1
    url = server.url
    print(f"paykit checkout on {url}/ (sandbox seed {sandbox.seed!r}); Ctrl-C to stop\n"
          f"  single-page app:  {url}/spa\n"
          f"  server-rendered:  {url}/server-rendered\n"
          f"  Payment Element:  {url}/payment-element\n"
          f"  Stripe.js stand-in: {url}/v3/   API: {url}/v1/...", flush=True)
    serve_until_interrupted(server)
    print("paykit checkout stopped", flush=True)
    return 0
