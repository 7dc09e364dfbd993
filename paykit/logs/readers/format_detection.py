"""``read(source)``: pick the right reader by looking at the data, not the file name.

A CSV header names its columns; a JSON record says what it is (``"object": "event"``
or ``"payment_intent"``). The first record decides; the file name is only a hint for
the CSV, whose first line is not JSON.
"""

from __future__ import annotations

from typing import Any

from paykit.logs.readers.dashboard_csv import read_dashboard_csv
from paykit.logs.readers.event_records import read_events
from paykit.logs.readers.intent_dumps import read_objects
from paykit.logs.readers.json_records import Broken, Progress, iter_records, load_text
from paykit.logs.readers.read_report import ReadResult

__all__ = ["FORMATS", "detect_format", "read"]

#: Format name -> reader.
FORMATS = {
    "events": read_events,
    "objects": read_objects,
    "dashboard_csv": read_dashboard_csv,
}


def detect_format(text: str) -> str:
    """``events``, ``objects`` or ``dashboard_csv``, from the text of an export.

    >>> detect_format('id,Created date (UTC),Amount\\n')
    'dashboard_csv'
    >>> detect_format('{"object": "event", "type": "payment_intent.created", "data": {}}')
    'events'
    """
    head = text.lstrip()[:1]
    if head not in ("[", "{"):
        return "dashboard_csv"
    for record in iter_records(text[: 1 << 20]):
        if isinstance(record, Broken):
            continue
        _, value = record
        if isinstance(value, dict):
            if value.get("object") == "event" or ("type" in value and "data" in value):
                return "events"
            if value.get("object") == "payment_intent":
                return "objects"
    return "events"


def read(source: Any, *, format: str | None = None, progress: Progress | None = None
         ) -> ReadResult:
    """Read any supported export, detecting its format (or use ``format``).

    >>> from paykit.logs import sample_path
    >>> read(sample_path("objects")).report.format
    'objects'
    """
    if format is None:
        if isinstance(source, list | dict):
            items = source.get("data", []) if isinstance(source, dict) else source
            first = items[0] if items else {}
            format = "objects" if first.get("object") == "payment_intent" else "events"
        else:
            text = load_text(source)
            format = detect_format(text)
            source = text.encode("utf-8") if not hasattr(source, "__fspath__") and not \
                isinstance(source, str) else source
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[format](source, progress=progress)
