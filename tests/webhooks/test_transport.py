"""Transports: a real POST over loopback, and a Python call."""

from __future__ import annotations

import socket
import time

from paykit.webhooks.transport import (
    USER_AGENT,
    CallableTransport,
    HttpTransport,
    delivery_headers,
)

HEADERS = delivery_headers("t=1,v1=abc")


def test_a_post_carries_the_raw_body_and_stripes_headers(endpoint_factory) -> None:
    endpoint = endpoint_factory()
    transport = HttpTransport(endpoint.url)
    answer = transport.send(b'{"id": "evt_1"}', HEADERS, 5.0)
    transport.close()
    assert (answer.status, answer.error) == (200, None)
    assert answer.body == '{"received": true}'
    got = endpoint.received[0]
    assert got.body == b'{"id": "evt_1"}' and got.path == "/webhook"
    assert got.headers["Stripe-Signature"] == "t=1,v1=abc"
    assert got.headers["User-Agent"] == USER_AGENT
    assert got.headers["Content-Type"].startswith("application/json")


def test_the_connection_is_kept_alive_between_deliveries(endpoint_factory) -> None:
    endpoint = endpoint_factory()
    transport = HttpTransport(endpoint.url)
    transport.send(b"{}", HEADERS, 5.0)
    first = transport._connection
    transport.send(b"{}", HEADERS, 5.0)
    assert transport._connection is first and len(endpoint.received) == 2
    transport.close()


def test_a_redirect_is_not_followed(endpoint_factory) -> None:
    endpoint = endpoint_factory(answer=lambda n: 302)
    transport = HttpTransport(endpoint.url)
    assert transport.send(b"{}", HEADERS, 5.0).status == 302
    transport.close()
    assert len(endpoint.received) == 1


def test_a_hanging_endpoint_times_out_within_the_bound(endpoint_factory) -> None:
    endpoint = endpoint_factory(hang=5.0)
    transport = HttpTransport(endpoint.url)
    started = time.monotonic()
    answer = transport.send(b"{}", HEADERS, 0.3)
    assert answer.error == "Timed out" and answer.status is None
    assert time.monotonic() - started < 2.0
    transport.close()


def test_a_closed_port_is_unable_to_connect() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = HttpTransport(f"http://127.0.0.1:{port}/webhook")
    answer = transport.send(b"{}", HEADERS, 1.0)
    assert answer.status is None and answer.error.startswith("Unable to connect")


def test_a_python_receiver_gets_the_same_bytes_and_headers() -> None:
    seen = []
    answer = CallableTransport(lambda body, headers: seen.append((body, headers))).send(
        b"{}", HEADERS, 1.0)
    assert answer.status == 200 and seen == [(b"{}", HEADERS)]
    assert CallableTransport(lambda b, h: (400, "bad")).send(b"", {}, 1.0)[:2] == (400, "bad")


def test_a_receiver_that_raises_answers_500_with_the_error() -> None:
    def broken(body, headers):
        raise KeyError("type")

    answer = CallableTransport(broken).send(b"{}", HEADERS, 1.0)
    assert answer.status == 500 and "KeyError" in answer.body
