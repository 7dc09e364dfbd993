"""``framing.frame``: a request is answered only once it has arrived whole, and only once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paykit.http.framing import expects_continue, frame

FORM = b"amount=1099&currency=usd"
REQUESTS = {
    "get": (b"GET /v1/events?limit=3 HTTP/1.1\r\nHost: x\r\n\r\n", b""),
    "content-length": (b"POST /v1/payment_intents HTTP/1.1\r\nContent-Length: 24\r\n\r\n" + FORM,
                       FORM),
    "chunked": (b"POST /v1/payment_intents HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                b"7;ext=1\r\namount=\r\n11\r\n1099&currency=usd\r\n0\r\nX-Trailer: 1\r\n\r\n",
                FORM),
    "bare-newlines": (b"POST /v1/x HTTP/1.1\nContent-Length: 3\n\nabc", b"abc"),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_every_prefix_waits_and_the_whole_request_is_one_frame(name):
    request, body = REQUESTS[name]
    for cut in range(len(request)):
        assert frame(request[:cut], 1000) is None, cut
    framed = frame(request + b"GET /next HTTP/1.1\r\n", 1000)
    assert framed is not None and framed.refusal is None
    assert (framed.length, framed.body) == (len(request), body)


@given(st.lists(st.binary(min_size=1, max_size=30), min_size=1, max_size=8))
def test_any_chunking_of_a_body_decodes_to_the_body(chunks):
    encoded = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    request = b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + encoded
    framed = frame(request, 10_000)
    assert framed is not None and framed.body == b"".join(chunks)
    assert framed.length == len(request)


@pytest.mark.parametrize("request_bytes, status", [
    (b"POST /x HTTP/1.1\r\nContent-Length: \xb2\r\n\r\n", 400),
    (b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
    (b"POST /x HTTP/1.1\r\nContent-Length:\r\n 3\r\n\r\nabc", 400),
    (b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    (b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
    (b"POST /x HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413),
    (b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n", 413),
    (b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
])
def test_a_body_that_cannot_be_read_is_refused_without_waiting_for_it(request_bytes, status):
    framed = frame(request_bytes, 1000)
    assert framed is not None and framed.refusal is not None
    assert framed.refusal[0] == status


def test_a_request_line_without_a_version_is_a_request_of_its_own():
    framed = frame(b"GET /v1/events\r\n", 1000)
    assert framed is not None and framed.length == len(b"GET /v1/events\r\n")


def test_a_client_waiting_for_100_continue_is_seen_once_its_head_is_here():
    head = b"POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2000\r\n"
    assert not expects_continue(head)
    assert expects_continue(head + b"\r\n") and frame(head + b"\r\n", 5000) is None
