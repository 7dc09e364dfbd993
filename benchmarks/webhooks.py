"""Webhook delivery speed: signed deliveries to a local endpoint, next to raw POSTs.

    python benchmarks/webhooks.py [--payments N] [--rounds R]

One run, on loopback, against the same local endpoint (a standard-library HTTP/1.1
server answering 200 at once):

- deliveries/s: card payments make events (3 each); the time runs from the first API
  call until ``sb.webhook_endpoints.wait()`` says every delivery was made, so it counts
  routing, rendering the event JSON, signing, the POST and the bookkeeping;
- raw POSTs/s: the very bodies the endpoint received, POSTed again one after another
  with the same HTTP client (``paykit.webhooks.transport.HttpTransport``, the same
  headers, one kept-alive connection): what the endpoint and the client cost alone;
- the ratio of the two: what paykit adds on top of the HTTP round trip;
- the API's side: payments/s with that endpoint on (deliveries run in a worker thread)
  next to payments/s with no endpoint. The endpoint server runs in this process too, so
  the API, the delivery worker and the endpoint share one interpreter here.

The figures are reported by hand, never asserted (tests/test_benchmarks.py runs it tiny).
"""

from __future__ import annotations

import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import paykit
from paykit.webhooks.signing import signature_header
from paykit.webhooks.transport import HttpTransport, delivery_headers


class _Endpoint(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave in two writes
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _payments(sb: paykit.Sandbox, n: int) -> None:
    create = sb.payment_intents.create
    for _ in range(n):
        create(amount=1099, currency="usd", payment_method="pm_card_visa", confirm=True)


def deliveries(url: str, n: int) -> tuple[float, float, int]:
    """(seconds until every delivery was made, seconds of API calls, deliveries)."""
    sb = paykit.Sandbox(seed=0)
    sb.webhook_endpoints.create(url=url, enabled_events=["*"])
    start = time.perf_counter()
    _payments(sb, n)
    api = time.perf_counter() - start
    assert sb.webhook_endpoints.wait(600)
    total = time.perf_counter() - start
    made = sb.webhook_endpoints.attempts()
    assert all(a.ok for a in made.attempts), "the endpoint refused a delivery"
    sb.webhook_endpoints.close()
    return total, api, len(made)


def raw_posts(url: str, bodies: list[bytes]) -> float:
    """Seconds to POST ``bodies`` with the same client and headers, one after another."""
    transport = HttpTransport(url)
    start = time.perf_counter()
    for body in bodies:
        headers = delivery_headers(signature_header(body, "whsec_benchmark", int(time.time())))
        answer = transport.send(body, headers, 10.0)
        assert answer.status == 200
    elapsed = time.perf_counter() - start
    transport.close()
    return elapsed


def api_alone(n: int) -> float:
    sb = paykit.Sandbox(seed=0)
    start = time.perf_counter()
    _payments(sb, n)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1000,
                        help="card payments per round (3 events each; default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is kept")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    best_total = best_api = best_raw = best_alone = float("inf")
    count = 0
    try:
        for _ in range(args.rounds):
            _Endpoint.bodies = []
            total, api, count = deliveries(url, args.payments)
            bodies = list(_Endpoint.bodies)
            best_raw = min(best_raw, raw_posts(url, bodies))
            best_total, best_api = min(best_total, total), min(best_api, api)
            best_alone = min(best_alone, api_alone(args.payments))
    finally:
        server.shutdown()
        server.server_close()
    n = args.payments
    print(f"payments: {n:,} per round ({count:,} deliveries), best of {args.rounds} rounds")
    print(f"{'signed deliveries to a local endpoint':<40}{count / best_total:>10,.0f} /s")
    print(f"{'raw POSTs of the same bodies':<40}{count / best_raw:>10,.0f} /s")
    print(f"{'ratio deliveries / raw POSTs':<40}{best_raw / best_total:>10.2%}")
    print(f"{'payments with one endpoint (API side)':<40}{n / best_api:>10,.0f} /s")
    print(f"{'payments with no endpoint':<40}{n / best_alone:>10,.0f} /s")


if __name__ == "__main__":
    main()
