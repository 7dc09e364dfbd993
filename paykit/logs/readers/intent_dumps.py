"""Read dumps of PaymentIntent objects: the latest state of each intent.

A dump (``GET /v1/payment_intents`` pages, a JSON list, JSON Lines, a warehouse
export) has no history: only each intent's creation time and its current status. So
each object becomes two rows at most: the creation (``synthetic``: the status an
intent is created in, at ``created``) and a ``payment_intent.snapshot`` row with the
current status, its latest charge and, after a failed attempt, the decline code of
``last_payment_error``. Analyses then see the same shape as for events, with fewer
steps. If one intent appears several times, the later object in the file wins.
"""

from __future__ import annotations

import array
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from paykit.lifecycle import INITIAL_STATUS
from paykit.logs.arrays.transition_rules import SNAPSHOT_EVENT
from paykit.logs.readers.json_records import Progress, records_of
from paykit.logs.readers.log_assembly import RowBuffer, order_rows, rows_frame
from paykit.logs.readers.read_report import ReadReport, ReadResult
from paykit.logs.readers.record_checks import (
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
from paykit.logs.readers.source_text import source_name

__all__ = ["object_rows", "read_objects"]


def object_rows(obj: Any) -> tuple[list[dict[str, Any]], Mapping[str, Any] | None]:
    """The creation row and (if the intent moved on) the snapshot row of one object,
    and its metadata.

    >>> rows, metadata = object_rows({"id": "pi_1", "object": "payment_intent",
    ...                               "created": 1767225600, "status": "canceled"})
    >>> [(row["status"], row["event"]) for row in rows]
    [('requires_payment_method', 'payment_intent.created'), ('canceled', 'payment_intent.snapshot')]
    """
    if not isinstance(obj, Mapping):
        raise Rejected("not a JSON object")
    if obj.get("object") != "payment_intent":
        raise Rejected(f"not a PaymentIntent object: '{obj.get('object')}'")
    intent = obj.get("id")
    intent = check_text(intent, "id") if isinstance(intent, str) else None
    if intent is None:
        raise Rejected("PaymentIntent without an id")
    created = check_time(obj.get("created"))
    status = check_status(obj.get("status"))
    customer = obj.get("customer")
    common = {
        "intent": intent,
        "customer": check_id(customer, "customer") if isinstance(customer, Mapping)
        else check_text(customer, "customer"),
        "amount": check_amount(obj.get("amount")),
        "currency": check_currency(obj.get("currency")),
        "description": check_text(obj.get("description"), "description"),
        "statement_descriptor": check_text(
            obj.get("statement_descriptor") or obj.get("statement_descriptor_suffix"),
            "statement_descriptor"),
    }
    types = obj.get("payment_method_types")
    if isinstance(types, list) and len(types) == 1:
        common["payment_method_type"] = check_text(types[0], "payment method type")
    creation = {**common, "time": created, "status": INITIAL_STATUS.value,
                "event": "payment_intent.created", "synthetic": True}
    rows = [creation]
    error = obj.get("last_payment_error")
    charge = obj.get("latest_charge")
    charge = charge.get("id") if isinstance(charge, Mapping) else charge
    if status != INITIAL_STATUS.value or isinstance(error, Mapping) or charge:
        canceled_at = obj.get("canceled_at")
        when = check_time(canceled_at) if canceled_at is not None else created
        snapshot = {**common, "time": when, "status": status, "event": SNAPSHOT_EVENT,
                    "charge": check_text(charge, "charge") if isinstance(charge, str) else None}
        if isinstance(error, Mapping):
            snapshot["decline_code"] = check_text(
                error.get("decline_code") or error.get("code"), "decline_code")
            method = error.get("payment_method")
            if isinstance(method, Mapping) and method.get("type"):
                snapshot["payment_method_type"] = check_text(method["type"], "payment method type")
        rows.append(snapshot)
    return rows, metadata_of(obj)


def read_objects(source: Any, *, progress: Progress | None = None) -> ReadResult:
    """Read PaymentIntent objects into the normalised log and a read report.

    ``source``: a path, bytes or file (JSON list, list pages, JSON Lines, gzip), or
    objects already loaded (a list of dicts or a list page).

    >>> import json
    >>> pi = {"id": "pi_1", "object": "payment_intent", "created": 1767225600,
    ...       "status": "succeeded", "amount": 1000, "currency": "usd"}
    >>> read_objects(json.dumps([pi]).encode()).log["status"].tolist()
    ['requires_payment_method', 'succeeded']
    """
    report = ReadReport(source=source_name(source), format="objects")
    records = records_of(source, progress, report)
    buffer = RowBuffer()
    latest: dict[str, int] = {}  # intent -> number of its latest object
    owners = array.array("q")  # the object each buffered row comes from
    for number, (line, (rows, metadata)) in enumerate(accepted(records, report, object_rows)):
        intent = rows[0]["intent"]
        if intent in latest:
            report.duplicates += 1  # the later object is the newer state
        latest[intent] = number
        for row in rows:
            buffer.add({**row, "source_line": line}, metadata)
            owners.append(number)
    columns, metadata_columns = buffer.arrays()
    if report.duplicates:
        keep = pa.array(np.isin(np.frombuffer(owners, dtype=np.int64),
                                np.fromiter(latest.values(), dtype=np.int64)))
        columns = {name: values.filter(keep) for name, values in columns.items()}
        metadata_columns = {key: kept for key, values in metadata_columns.items()
                            if (kept := values.filter(keep)).null_count < len(kept)}
    log = order_rows(rows_frame(columns, metadata_columns), newest_first=False)
    return ReadResult(log, report)
