"""``read(source)``: pick the right reader by looking at the data, not the file name.

A CSV header names its columns; a JSON record says what it is (``"object": "event"``
or ``"payment_intent"``). The first record decides; the file name is only a hint for
the CSV, whose first line is not JSON. The file is opened once (``source_text``:
compression, encoding) and the reader reuses it. A file that is no export at all
raises ``UnreadableExport`` (a ``ValueError``) with one sentence saying why.
"""

from __future__ import annotations

import re
from typing import Any

from paykit.logs.readers.dashboard_csv import read_dashboard_csv
from paykit.logs.readers.event_records import read_events
from paykit.logs.readers.intent_dumps import read_objects
from paykit.logs.readers.json_records import Broken, Progress, iter_records
from paykit.logs.readers.read_report import ReadResult
from paykit.logs.readers.source_text import UnreadableExport, decode_source

__all__ = ["FORMATS", "detect_format", "read"]

#: Format name -> reader.
FORMATS = {
    "events": read_events,
    "objects": read_objects,
    "dashboard_csv": read_dashboard_csv,
}


#: How much of the text format detection reads (characters).
_SAMPLE = 1 << 20
_FIRST_CHARACTER = re.compile(r"\s*(\S)")


def _mostly_json_lines(text: str, sample: int = 20) -> bool:
    """Whether most of the first lines are JSON objects (a JSON Lines file whose first
    line is damaged)."""
    lines = [line.lstrip() for line in text[:_SAMPLE].split("\n", sample * 2)[: sample * 2]]
    lines = [line for line in lines if line][:sample]
    return sum(line.startswith("{") for line in lines) * 2 > len(lines)


def detect_format(text: str) -> str:
    """``events``, ``objects`` or ``dashboard_csv``, from the text of an export.

    >>> detect_format('id,Created date (UTC),Amount\\n')
    'dashboard_csv'
    >>> detect_format('{"object": "event", "type": "payment_intent.created", "data": {}}')
    'events'
    >>> detect_format('x{"object": "event"}\\n{"object": "event"}\\n{"object": "event"}')
    'events'
    """
    first = _FIRST_CHARACTER.match(text)
    if (first is None or first.group(1) not in "[{") and not _mostly_json_lines(text):
        return "dashboard_csv"
    for record in iter_records(text[:_SAMPLE]):
        if isinstance(record, Broken):
            continue
        _, value = record
        if isinstance(value, dict):
            if value.get("object") == "event" or ("type" in value and "data" in value):
                return "events"
            if value.get("object") == "payment_intent":
                return "objects"
    return "events"


def read(source: Any, *, format: str | None = None, progress: Progress | None = None,
         **options: Any) -> ReadResult:
    """Read any supported export, detecting its format (or use ``format``).

    ``options`` go to the reader when the file is a Dashboard CSV (``delimiter``,
    ``created_column``, …: ``read_dashboard_csv``); the JSON readers take none.

    >>> from paykit.logs import sample_path
    >>> read(sample_path("objects")).report.format
    'objects'
    """
    if format is None:
        if isinstance(source, list | dict):
            items = source.get("data", []) if isinstance(source, dict) else source
            first = items[0] if items else {}
            is_object = isinstance(first, dict) and first.get("object") == "payment_intent"
            format = "objects" if is_object else "events"
        else:
            source = decode_source(source)  # once: the reader reuses it
            if source.is_blank():
                raise UnreadableExport(f"{source.name} is empty; expected a CSV or JSON export")
            format = detect_format(source.head(_SAMPLE))
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if format != "dashboard_csv":
        options = {}  # CSV options mean nothing to a JSON export
    return FORMATS[format](source, progress=progress, **options)
