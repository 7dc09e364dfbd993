"""Read Stripe events (``GET /v1/events`` pages, JSON lists, webhook JSON Lines, .gz).

Each ``payment_intent.*`` or ``charge.*`` event becomes one row of the normalised log.
How an event maps to a status comes from the lifecycle table (``transition_rules``):
the event types that close a table row report a status, and when the event carries a
PaymentIntent, that object's own ``status`` is authoritative. Charge events report no
status; their Charge links the row to its intent through ``payment_intent`` and gives
the attempt's charge id, decline code and payment method type. A ``charge.dispute.*``
event whose Dispute names its ``payment_intent`` is a row too (no status; the disputed
amount, the dispute's status and reason); a dispute without one (a charge made without a
PaymentIntent) is out of scope. The event types and their payloads:
https://docs.stripe.com/api/events/types; the Dispute object:
https://docs.stripe.com/api/disputes/object.

Duplicate event ids are kept once: a webhook endpoint may receive the same event more
than once (https://docs.stripe.com/webhooks, "Event delivery behaviors"). Rows that
cannot be used are quarantined with their line and the reason, never dropped; events
about other objects (``customer.*``, ``invoice.*``, refunds) are counted as out of
scope, by type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from paykit.event_types import EVENT_TYPES
from paykit.logs.arrays.transition_rules import FAILURE_EVENT_TYPES, STATUS_EVENT_TYPES
from paykit.logs.readers.event_columns import columnar_events
from paykit.logs.readers.json_records import Broken, Progress, iter_records, records_of
from paykit.logs.readers.log_assembly import RowBuffer, order_rows
from paykit.logs.readers.read_report import ReadReport, ReadResult
from paykit.logs.readers.record_checks import (
    OutOfScope,
    Rejected,
    accepted,
    check_amount,
    check_currency,
    check_id,
    check_status,
    check_text,
    check_time,
    metadata_of,
)
from paykit.logs.readers.source_text import decode_source, source_name

__all__ = ["event_frame", "event_row", "from_sandbox", "normalise_events", "read_events"]

_KINDS = ("payment_intent", "charge")
#: Event types about payments: any other type (``customer.*``, ``invoice.*``) is out of
#: scope, counted by type in the read report, not quarantined as an error.
_PAYMENT_PREFIXES = ("payment_intent.", "charge.")
_CHARGE_PARTS = ("charge.dispute.", "charge.refund.")


def _card(details: Any) -> dict[str, Any]:
    """Brand, issuing country and funding of a charge's card, where it was a card."""
    card = details.get("card") if isinstance(details, Mapping) else None
    if not isinstance(card, Mapping):
        return {}
    brand, country = check_text(card.get("brand"), "card brand"), card.get("country")
    return {"card_brand": brand.lower() if brand else None,
            "card_country": check_text(country, "card country"),
            "card_funding": check_text(card.get("funding"), "card funding")}


def _dispute_row(event: Mapping[str, Any], etype: str, obj: Mapping[str, Any]
                 ) -> dict[str, Any]:
    """The row of a dispute event: its intent and charge, amount, status and reason."""
    return {
        "event": etype,
        "event_id": check_text(event.get("id"), "event id"),
        "time": check_time(event.get("created")),
        "intent": check_id(obj.get("payment_intent")),
        "charge": check_id(obj.get("charge")),
        "currency": check_currency(obj.get("currency")),
        "amount_disputed": check_amount(obj.get("amount"), "dispute amount"),
        "dispute_status": check_text(obj.get("status"), "dispute status"),
        "dispute_reason": check_text(obj.get("reason"), "dispute reason"),
    }


def _descriptor(obj: Mapping[str, Any]) -> str | None:
    return obj.get("statement_descriptor") or obj.get("statement_descriptor_suffix")


def event_row(event: Any) -> tuple[dict[str, Any], Mapping[str, Any] | None]:
    """The log row of one event and its metadata; ``Rejected`` says why there is none.

    >>> intent = {"id": "pi_1", "object": "payment_intent", "amount": 1000,
    ...           "currency": "usd", "status": "requires_payment_method"}
    >>> event = {"id": "evt_1", "object": "event", "type": "payment_intent.created",
    ...          "created": 1767225600, "data": {"object": intent}}
    >>> row, metadata = event_row(event)
    >>> row["intent"], row["status"], metadata
    ('pi_1', 'requires_payment_method', None)
    """
    if not isinstance(event, Mapping):
        raise Rejected("not a JSON object")
    etype = event.get("type")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(etype, str) or not isinstance(obj, Mapping):
        raise Rejected("not a Stripe event: no type or data.object")
    kind = obj.get("object")
    if kind == "dispute" and etype.startswith("charge.dispute.") and etype in EVENT_TYPES \
            and check_id(obj.get("payment_intent")):
        return _dispute_row(event, etype, obj), metadata_of(obj)
    if kind not in _KINDS:
        if isinstance(kind, str) and kind and not etype.startswith(_PAYMENT_PREFIXES):
            raise OutOfScope(etype)
        if isinstance(kind, str) and etype.startswith(_CHARGE_PARTS):
            raise OutOfScope(etype)  # a dispute or refund object: not an attempt
        raise Rejected(f"not a PaymentIntent or Charge event: '{etype}'")
    if etype not in EVENT_TYPES:
        raise Rejected(f"unknown event type '{etype}'")
    row: dict[str, Any] = {
        "event": etype,
        "event_id": check_text(event.get("id"), "event id"),
        "time": check_time(event.get("created")),
        "amount": check_amount(obj.get("amount")),
        "currency": check_currency(obj.get("currency")),
        "description": check_text(obj.get("description"), "description"),
        "statement_descriptor": check_text(_descriptor(obj), "statement_descriptor"),
    }
    row["customer"] = check_id(obj.get("customer"))
    failure = etype in FAILURE_EVENT_TYPES
    if kind == "payment_intent":
        row["intent"] = check_id(obj.get("id"))
        if row["intent"] is None:
            raise Rejected("PaymentIntent without an id")
        raw = obj.get("status")
        status = check_status(raw) if raw is not None else None
        if etype in STATUS_EVENT_TYPES:
            fallback = STATUS_EVENT_TYPES[etype]
            row["status"] = status or (fallback.value if fallback else None)
        row["charge"] = check_id(obj.get("latest_charge"))
        error = obj.get("last_payment_error") if failure else None
        if isinstance(error, Mapping):
            row["decline_code"] = check_text(
                error.get("decline_code") or error.get("code"), "decline_code")
            method = error.get("payment_method")
            row["payment_method_type"] = check_text(
                method.get("type") if isinstance(method, Mapping) else None, "payment method type")
        if row.get("payment_method_type") is None:
            method = obj.get("payment_method")
            types = obj.get("payment_method_types")
            if isinstance(method, Mapping):
                row["payment_method_type"] = check_text(method.get("type"), "payment method type")
            elif isinstance(types, list) and len(types) == 1:
                row["payment_method_type"] = check_text(types[0], "payment method type")
    else:
        row["intent"] = check_id(obj.get("payment_intent"))
        if row["intent"] is None:
            raise Rejected(f"charge not linked to a PaymentIntent: '{obj.get('id')}'")
        row["charge"] = check_id(obj.get("id"))
        row.update(_card(obj.get("payment_method_details")))
        if failure:
            outcome = obj.get("outcome")
            reason = outcome.get("reason") if isinstance(outcome, Mapping) else None
            row["decline_code"] = check_text(reason or obj.get("failure_code"), "decline_code")
        details = obj.get("payment_method_details")
        row["payment_method_type"] = check_text(
            details.get("type") if isinstance(details, Mapping) else None, "payment method type")
        row["amount_refunded"] = check_amount(obj.get("amount_refunded"), "amount_refunded")
    return row, metadata_of(obj)


def normalise_events(
    records: Iterable[tuple[int, Any] | Broken],
    report: ReadReport,
    *,
    newest_first: bool | None = None,
) -> pd.DataFrame:
    """The sorted log of event records ``(line, event)``; fills ``report`` as it goes.

    ``newest_first``: the input order (``None``: judged from the timestamps).

    >>> event = {"id": "evt_1", "type": "payment_intent.created", "created": 1767225600,
    ...          "data": {"object": {"id": "pi_1", "object": "payment_intent"}}}
    >>> report = ReadReport()
    >>> normalise_events([(1, event), (2, event)], report)["intent"].tolist()
    ['pi_1']
    >>> report.duplicates
    1
    """
    return order_rows(event_frame(records, report), newest_first=newest_first)


def event_frame(records: Iterable[tuple[int, Any] | Broken], report: ReadReport) -> pd.DataFrame:
    """The rows of event records in input order, each event id once (the walker's way).

    >>> event = {"id": "evt_1", "type": "payment_intent.created", "created": 1767225600,
    ...          "data": {"object": {"id": "pi_1", "object": "payment_intent"}}}
    >>> event_frame([(1, event), (2, event)], ReadReport())["source_line"].tolist()
    [1]
    """
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
    return rows.frame()


def read_events(source: Any, *, progress: Progress | None = None) -> ReadResult:
    """Read Stripe events into the normalised log and a read report.

    ``source`` is a path, bytes or file (JSON list, list pages, JSON Lines; gzip is
    detected), or events already loaded (a list of dicts or a list page). Lines are
    1-based; for loaded events the "line" is the position in the list. JSON Lines go
    column by column through pyarrow (``event_columns``) when the file allows it; any
    other file, record by record: the same log and report either way.

    >>> from paykit.logs import sample_path
    >>> log, report = read_events(sample_path("events"))
    >>> report.rows_read == report.rows_parsed + report.rows_quarantined
    True
    """
    report = ReadReport(source=source_name(source), format="events")
    if isinstance(source, list | dict):
        return ReadResult(normalise_events(records_of(source), report), report)
    decoded = decode_source(source)
    report.opened(decoded.encoding, decoded.notes)
    size = decoded.size
    # the columns, when they read the file, let its bytes go (``read`` still holds
    # ``decoded``); the walker takes the text, which it alone then holds
    frame = columnar_events(decoded, report, event_row)
    if frame is None:
        frame = event_frame(iter_records(decoded.take_text(), progress), report)
    elif progress is not None:
        progress(size, size)
    return ReadResult(order_rows(frame), report)


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
