"""Read Stripe events (``GET /v1/events`` pages, JSON lists, webhook JSON Lines, .gz).

Each ``payment_intent.*`` or ``charge.*`` event becomes one row of the normalised log.
How an event maps to a status comes from the lifecycle table (``rules``): the event
types that close a table row report a status, and when the event carries a
PaymentIntent, that object's own ``status`` is authoritative. Charge events report no
status; their Charge links the row to its intent through ``payment_intent`` and gives
the attempt's charge id, decline code and payment method type.

Duplicate event ids (webhooks are delivered more than once) are kept once. Rows that
cannot be used are quarantined with their line and the reason, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from paykit.currencies import CURRENCIES
from paykit.event_types import EVENT_TYPES
from paykit.lifecycle import parse_status
from paykit.logs.assemble import RowBuffer, order_rows
from paykit.logs.jsonrecords import Broken, Progress, records_of, source_name
from paykit.logs.report import ReadReport, ReadResult
from paykit.logs.rules import FAILURE_EVENT_TYPES, STATUS_EVENT_TYPES
from paykit.logs.schema import TIME_RANGE

T = TypeVar("T")

__all__ = ["from_sandbox", "read_events"]

_KINDS = ("payment_intent", "charge")


class Rejected(ValueError):
    """A record that cannot become a row; the message is the quarantine reason."""


def _id(value: Any) -> str | None:
    """An id from a field that may be expanded into an object."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def check_time(value: Any) -> int:
    """Epoch seconds, or ``Rejected`` for a timestamp no payment can have."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(f"impossible timestamp '{value}'")
    if not TIME_RANGE[0] <= value < TIME_RANGE[1] or value != int(value):
        raise Rejected(f"impossible timestamp '{value}'")
    return int(value)


def check_currency(value: Any) -> str | None:
    """A known lowercase currency code, ``None`` if absent, ``Rejected`` otherwise."""
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in CURRENCIES:
        raise Rejected(f"unknown currency '{value}'")
    return value.lower()


def check_amount(value: Any, field: str = "amount") -> int | None:
    """An integer amount in the smallest unit, ``None`` if absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(f"{field} is not an integer in the smallest unit '{value}'")
    return value


def check_status(value: Any) -> str:
    """A current status name from a current or legacy wire name."""
    try:
        return parse_status(value).value
    except (ValueError, TypeError):
        raise Rejected(f"unknown status '{value}'") from None


def _metadata(obj: Mapping) -> dict | None:
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, Mapping) and metadata else None


def _descriptor(obj: Mapping) -> str | None:
    return obj.get("statement_descriptor") or obj.get("statement_descriptor_suffix")


def event_row(event: Any) -> tuple[dict, dict | None]:
    """The log row of one event and its metadata; ``Rejected`` says why there is none."""
    if not isinstance(event, Mapping):
        raise Rejected("not a JSON object")
    etype = event.get("type")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(etype, str) or not isinstance(obj, Mapping):
        raise Rejected("not a Stripe event: no type or data.object")
    kind = obj.get("object")
    if kind not in _KINDS:
        raise Rejected(f"not a PaymentIntent or Charge event: '{etype}'")
    if etype not in EVENT_TYPES:
        raise Rejected(f"unknown event type '{etype}'")
    row: dict[str, Any] = {
        "event": etype,
        "event_id": event.get("id") if isinstance(event.get("id"), str) else None,
        "time": check_time(event.get("created")),
        "amount": check_amount(obj.get("amount")),
        "currency": check_currency(obj.get("currency")),
        "description": obj.get("description"),
        "statement_descriptor": _descriptor(obj),
    }
    failure = etype in FAILURE_EVENT_TYPES
    if kind == "payment_intent":
        row["intent"] = _id(obj.get("id"))
        if row["intent"] is None:
            raise Rejected("PaymentIntent without an id")
        raw = obj.get("status")
        status = check_status(raw) if raw is not None else None
        if etype in STATUS_EVENT_TYPES:
            fallback = STATUS_EVENT_TYPES[etype]
            row["status"] = status or (fallback.value if fallback else None)
        row["charge"] = _id(obj.get("latest_charge"))
        error = obj.get("last_payment_error") if failure else None
        if isinstance(error, Mapping):
            row["decline_code"] = error.get("decline_code") or error.get("code")
            method = error.get("payment_method")
            row["payment_method_type"] = method.get("type") if isinstance(method, Mapping) else None
        if row.get("payment_method_type") is None:
            method = obj.get("payment_method")
            types = obj.get("payment_method_types")
            if isinstance(method, Mapping):
                row["payment_method_type"] = method.get("type")
            elif isinstance(types, list) and len(types) == 1:
                row["payment_method_type"] = types[0]
    else:
        row["intent"] = _id(obj.get("payment_intent"))
        if row["intent"] is None:
            raise Rejected(f"charge not linked to a PaymentIntent: '{obj.get('id')}'")
        row["charge"] = _id(obj.get("id"))
        if failure:
            outcome = obj.get("outcome")
            reason = outcome.get("reason") if isinstance(outcome, Mapping) else None
            row["decline_code"] = reason or obj.get("failure_code")
        details = obj.get("payment_method_details")
        row["payment_method_type"] = details.get("type") if isinstance(details, Mapping) else None
        row["amount_refunded"] = check_amount(obj.get("amount_refunded"), "amount_refunded")
    return row, _metadata(obj)


def normalise_events(
    records: Iterable[tuple[int, Any] | Broken], report: ReadReport, *, newest_first=None
):
    """The sorted log of event records; fills ``report`` as it goes."""
    rows = RowBuffer()
    seen: set[str] = set()
    for line, (row, metadata) in accepted(records, report, event_row):
        event_id = row["event_id"]
        if event_id is not None:
            if event_id in seen:
                report.duplicates += 1
                continue
            seen.add(event_id)
        row["source_line"] = line
        rows.add(row, metadata)
    return order_rows(rows.frame(), newest_first=newest_first)


def accepted(
    records: Iterable[tuple[int, Any] | Broken],
    report: ReadReport,
    parse: Callable[[Any], T],
) -> Iterator[tuple[int, T]]:
    """``(line, parse(record))`` for each good record; every other one is quarantined.

    Counts each record read and each parsed, so that read == parsed + quarantined.
    """
    for record in records:
        report.rows_read += 1
        if isinstance(record, Broken):
            report.quarantine(record.line, record.reason, record.raw)
            continue
        line, item = record
        try:
            parsed = parse(item)
        except Rejected as why:
            report.quarantine(line, str(why), _excerpt(item))
            continue
        report.rows_parsed += 1
        yield line, parsed


def _excerpt(value: Any) -> str:
    import json

    try:
        return json.dumps(value, separators=(",", ":"), default=str)[:200]
    except (TypeError, ValueError):
        return repr(value)[:200]


def read_events(source: Any, *, progress: Progress | None = None) -> ReadResult:
    """Read Stripe events into the normalised log and a read report.

    ``source`` is a path, bytes or file (JSON list, list pages, JSON Lines; gzip is
    detected), or events already loaded (a list of dicts or a list page). Lines are
    1-based; for loaded events the "line" is the position in the list.

    >>> from paykit.logs.samples import sample_path
    >>> log, report = read_events(sample_path("events"))
    >>> report.rows_read == report.rows_parsed + report.rows_quarantined
    True
    """
    report = ReadReport(source=source_name(source), format="events")
    log = normalise_events(records_of(source, progress), report)
    return ReadResult(log, report)


def from_sandbox(sandbox: Any) -> ReadResult:
    """The events of a ``paykit.Sandbox`` as a normalised log, as if exported.

    The events go through the same code as ``read_events``, so a notebook can analyse
    what it just did.

    >>> import paykit
    >>> sb = paykit.Sandbox()
    >>> _ = sb.payment_intents.create(amount=1000, currency="usd",
    ...                                payment_method="pm_card_visa", confirm=True)
    >>> from_sandbox(sb).log["status"].dropna().tolist()
    ['requires_payment_method', 'succeeded']
    """
    listing = sandbox.events.list()
    events = [event.to_dict() for event in listing]
    report = ReadReport(source="sandbox", format="events")
    records = ((i + 1, item) for i, item in enumerate(events))
    log = normalise_events(records, report, newest_first=True)
    log["source_line"] = 0
    return ReadResult(log, report)
