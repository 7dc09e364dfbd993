"""JSON records with their line numbers, from any of the shapes Stripe data is kept in.

One walker reads a JSON list, one or many ``{"object": "list", "data": [...]}`` pages
(from ``GET /v1/events`` or ``/v1/payment_intents``), JSON Lines (one record per line,
as webhook logs are kept) or records simply concatenated, in any encoding or
compression ``source_text`` opens. It yields each record with the line it starts on,
and turns a record it cannot decode (even one nested too deeply for Python) into a
``Broken`` entry (line, reason, excerpt) before carrying on, so one bad line never
costs the rest of the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

from paykit.logs.readers.read_report import ReadReport
from paykit.logs.readers.source_text import decode_source

__all__ = ["Broken", "Progress", "iter_records", "records_of"]

#: Called with (characters done, characters in total) while a large file is read.
Progress = Callable[[int, int], None]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r,]*")
_PROGRESS_STEP = 1 << 20


@dataclass(frozen=True, slots=True)
class Broken:
    """A record that could not be decoded: where, why, and what it looked like."""

    line: int
    reason: str
    raw: str


class _Lines:
    """Line numbers of positions, counted incrementally (positions mostly increase)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def records_of(source: Any, progress: Progress | None = None,
               report: ReadReport | None = None) -> Iterator[tuple[int, Any] | Broken]:
    """``(line, record)`` from a path, bytes or file, or from records already loaded (a
    list, or a list page whose ``data`` holds them: the "line" is then the position).

    The file is decoded first (``source_text``): ``report`` gets its encoding and notes.

    >>> list(records_of({"object": "list", "data": [{"id": "evt_1"}]}))
    [(1, {'id': 'evt_1'})]
    """
    if isinstance(source, list | dict):
        items = source["data"] if isinstance(source, dict) else source
        return ((i + 1, item) for i, item in enumerate(items))
    decoded = decode_source(source)
    if report is not None:
        report.opened(decoded.encoding, decoded.notes)
    return iter_records(decoded.take_text(), progress)


def _decode_at(text: str, pos: int) -> tuple[Any, int]:
    """One JSON value; nesting too deep for Python is reported like any other JSON error."""
    try:
        return _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, pos) from None


def _skip_space(text: str, pos: int) -> int:
    """The first position at or after ``pos`` that is not white space or a comma."""
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _line_text(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]


def _rest_of_line(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos : end if end >= 0 else len(text)]


def _is_page(value: Any) -> bool:
    return isinstance(value, dict) and value.get("object") == "list" and isinstance(
        value.get("data"), list
    )


def iter_records(text: str, progress: Progress | None = None) -> Iterator[tuple[int, Any] | Broken]:
    """Every record of the text as ``(line, value)``, or ``Broken`` where it cannot be read.

    List pages and JSON arrays are opened: their items are the records.

    >>> list(iter_records('{"id": 1}\\n{oops}\\n[{"id": 2}]'))[1].line
    2
    """
    n = len(text)
    lines = _Lines(text)
    pos = 0
    next_report = _PROGRESS_STEP
    while True:
        pos = _skip_space(text, pos)
        if pos >= n:
            break
        if progress is not None and pos >= next_report:
            progress(pos, n)
            next_report = pos + _PROGRESS_STEP
        if text[pos] == "[":
            pos = yield from _array(text, pos, lines)
            continue
        line = lines.at(pos)
        try:
            value, end = _decode_at(text, pos)
        except json.JSONDecodeError as error:
            yield Broken(line, f"malformed JSON: {error.msg}", _line_text(text, pos))
            stop = text.find("\n", pos)
            pos = n if stop < 0 else stop + 1
            continue
        if not isinstance(value, dict) and _rest_of_line(text, end).strip(" \t\r,"):
            # a bare value with more on its line (``"{"id": …``): one damaged line
            yield Broken(line, "malformed JSON: text after a value", _line_text(text, pos))
            stop = text.find("\n", pos)
            pos = n if stop < 0 else stop + 1
            continue
        if _is_page(value) and text.count("\n", pos, end):
            yield from _page_items(text, pos, lines)
        elif _is_page(value):
            for item in value["data"]:
                yield line, item
        else:
            yield line, value
        pos = end
    if progress is not None:
        progress(n, n)


def _array(
    text: str, pos: int, lines: _Lines
) -> Generator[tuple[int, Any] | Broken, None, int]:
    """Items of the JSON array starting at ``pos``; returns the position after it."""
    n = len(text)
    pos += 1
    while True:
        pos = _skip_space(text, pos)
        if pos >= n:
            yield Broken(lines.at(n), "malformed JSON: the list is not closed", "")
            return n
        if text[pos] == "]":
            return pos + 1
        line = lines.at(pos)
        try:
            value, end = _decode_at(text, pos)
        except json.JSONDecodeError as error:
            yield Broken(line, f"malformed JSON: {error.msg}", _line_text(text, pos))
            resume = _resume_after(text, pos)
            if resume < 0:
                return n
            pos = resume
            continue
        if _is_page(value):
            if text.count("\n", pos, end):
                yield from _page_items(text, pos, lines)
            else:
                for item in value["data"]:
                    yield line, item
        else:
            yield line, value
        pos = end


def _resume_after(text: str, pos: int) -> int:
    """Where the next item at the same indentation starts, or -1 (a broken array item)."""
    start = text.rfind("\n", 0, pos) + 1
    indent = text[start:pos]
    if indent.strip():
        stop = text.find("\n", pos)
        return -1 if stop < 0 else stop + 1
    match = re.compile("\n" + re.escape(indent) + r"[\[{]").search(text, pos)
    return -1 if match is None else match.start() + 1


def _page_items(text: str, pos: int, lines: _Lines) -> Iterator[tuple[int, Any] | Broken]:
    """The items of a multi-line list page, each with the line it starts on."""
    match = re.compile(r'"data"\s*:\s*\[').search(text, pos)
    assert match is not None  # the page was decoded, so it has a data list
    yield from _array(text, match.end() - 1, lines)
