"""Where one HTTP/1.1 request ends in the bytes a connection has sent, and what its body is.

``paykit serve`` reads every connection in one event loop and answers a request only
once ``frame`` says it has arrived whole, so a client that trickles its request holds
nothing but its socket. The body rules are RFC 9112's
(https://www.rfc-editor.org/rfc/rfc9112#section-6.3): a ``Content-Length`` of ASCII digits,
given once (or repeated with the same value); ``Transfer-Encoding: chunked`` decoded;
both at once, any other coding, or a body larger than the server reads is a refusal,
which the handler answers (Stripe's error JSON) before closing the connection.

>>> frame(b"POST /v1/x HTTP/1.1\\r\\nContent-Length: 3\\r\\n\\r\\nab", 100) is None
True
>>> frame(b"POST /v1/x HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n"
...       b"2\\r\\nab\\r\\n1\\r\\nc\\r\\n0\\r\\n\\r\\n", 100).body
b'abc'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

__all__ = ["Frame", "expects_continue", "frame"]

#: The longest request line (``BaseHTTPRequestHandler`` answers 414 past it).
_LINE_LIMIT = 65_536
#: The most header bytes waited for; past it the request is handed over as it is.
_HEAD_LIMIT = 1 << 20
#: The end of the header block: an empty line after the request line.
_HEAD_END = re.compile(rb"\n\r?\n")
_DIGITS = re.compile(r"[0-9]{1,16}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,8}")
_TRAILER_LINES = 100


@dataclass(frozen=True, slots=True)
class Frame:
    """One request: how many bytes it takes, its decoded body, or why it is refused."""

    length: int
    body: bytes = b""
    refusal: tuple[HTTPStatus, str] | None = None


def _refuse(length: int, status: HTTPStatus, message: str) -> Frame:
    return Frame(length, refusal=(status, message))


def frame(data: bytes | bytearray, max_body: int) -> Frame | None:
    """The first request in ``data``, or ``None`` while more bytes are needed.

    A request line without three words (no HTTP version, garbage) is a request of its
    own: the handler answers it at once rather than wait for headers that never come.
    """
    line_end = data.find(b"\n")
    if line_end < 0:
        return Frame(len(data)) if len(data) > _LINE_LIMIT else None
    if len(data[:line_end].split()) != 3:
        return Frame(line_end + 1)
    head = _HEAD_END.search(data, line_end)
    if head is None:
        return Frame(len(data)) if len(data) > _HEAD_LIMIT else None
    head_end = head.end()
    lowered = bytes(data[line_end + 1:head_end]).lower()
    if b"content-length" not in lowered and b"transfer-encoding" not in lowered:
        return Frame(head_end)  # most requests: no body
    lengths, codings = _framing_fields(lowered)
    coding = ", ".join(codings) if codings else None
    if coding is not None:
        if lengths:
            return _refuse(head_end, HTTPStatus.BAD_REQUEST,
                           "A request may not have both Content-Length and "
                           "Transfer-Encoding (RFC 9112 section 6.3).")
        if coding.strip().lower() != "chunked":
            return _refuse(head_end, HTTPStatus.NOT_IMPLEMENTED,
                           f"paykit reads Transfer-Encoding: chunked only, not "
                           f"{coding[:40]!r}.")
        return _chunked(data, head_end, max_body)
    values = {value.strip() for line in lengths for value in line.split(",")}
    if len(values) != 1 or not _DIGITS.fullmatch(next(iter(values))):
        shown = ", ".join(lengths)[:80]
        return _refuse(head_end, HTTPStatus.BAD_REQUEST,
                       f"Invalid Content-Length: {shown!r} (one number of ASCII digits).")
    size = int(values.pop())
    if size > max_body:
        return _refuse(head_end, HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                       f"The request body is {size:,} bytes; paykit reads at most "
                       f"{max_body:,}.")
    if len(data) < head_end + size:
        return None
    return Frame(head_end + size, bytes(data[head_end:head_end + size]))


def _framing_fields(lowered: bytes) -> tuple[list[str], list[str]]:
    """The ``Content-Length`` and ``Transfer-Encoding`` values of a (lower-cased) header
    block. A folded line (obs-fold) makes a value unreadable: ``"?"``, refused later."""
    lengths: list[str] = []
    codings: list[str] = []
    current: list[str] | None = None
    for line in lowered.split(b"\n"):
        if line[:1] in (b" ", b"\t") and current is not None and line.strip():
            current[-1] = "?"
            continue
        name, colon, value = line.partition(b":")
        current = {b"content-length": lengths, b"transfer-encoding": codings}.get(name)
        if current is not None and colon:
            current.append(value.strip().decode("latin-1"))
        else:
            current = None
    return lengths, codings


def _chunked(data: bytes | bytearray, at: int, max_body: int) -> Frame | None:
    """A chunked body (RFC 9112 section 7.1) from ``at``; trailer fields are skipped."""
    head_end, body = at, bytearray()
    while True:
        line_end = data.find(b"\n", at, at + 1024)
        if line_end < 0:
            if len(data) - at < 1024:
                return None
            line_end = at + 1024  # a size line this long is no size line
        size_text = bytes(data[at:line_end]).split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            return _refuse(head_end, HTTPStatus.BAD_REQUEST,
                           "Invalid chunked body: a chunk size is a hexadecimal number on "
                           "its own line.")
        size = int(size_text, 16)
        at = line_end + 1
        if size == 0:
            break
        if len(body) + size > max_body:
            return _refuse(head_end, HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                           f"The chunked request body passes {max_body:,} bytes, the most "
                           "paykit reads.")
        if len(data) < at + size + 2:
            return None
        body += data[at:at + size]
        at += size
        ending = data[at:at + 2]
        if ending == b"\r\n":
            at += 2
        elif ending[:1] == b"\n":
            at += 1
        else:
            return _refuse(head_end, HTTPStatus.BAD_REQUEST,
                           "Invalid chunked body: a chunk must end with CRLF.")
    for _ in range(_TRAILER_LINES):  # trailer fields, up to the empty line
        line_end = data.find(b"\n", at)
        if line_end < 0:
            return None
        line, at = data[at:line_end], line_end + 1
        if line in (b"", b"\r"):
            return Frame(at, bytes(body))
    return _refuse(head_end, HTTPStatus.BAD_REQUEST, "Too many trailer fields.")


def expects_continue(data: bytes | bytearray) -> bool:
    """Whether a request whose head has arrived waits for ``100 Continue`` (curl does,
    for bodies over 1 KiB) before it sends its body."""
    head = _HEAD_END.search(data)
    return head is not None and b"100-continue" in bytes(data[:head.end()]).lower()
