"""Write a normalised log back out as Stripe events, PaymentIntent objects or a Dashboard CSV.

For teaching and testing: the same payments, saved in the three shapes a Stripe user
actually has, read back through the readers, must give the same analysis answers.
The objects are wire-shaped but minimal (only the fields the readers use, plus the
required ones). Writers loop over rows in Python: they are not on any hot path.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paykit.currencies import CURRENCIES
from paykit.logs.analyses.intent_partitions import as_log
from paykit.logs.analyses.intent_paths import intent_table
from paykit.logs.arrays.log_schema import metadata_columns
from paykit.logs.arrays.row_sort import sort_rows

__all__ = [
    "API_VERSION",
    "DASHBOARD_HEADERS",
    "event_dicts",
    "write_dashboard_csv",
    "write_events",
    "write_objects",
]

#: The ``api_version`` written into every event.
API_VERSION = "2024-06-20"

#: Header lines of real exports, from ``unified_payments.csv`` files published in public
#: repositories: ``default`` is the Default set of 2025-2026 (github.com/DataScience-GT/query);
#: ``all`` is the "All columns" set of 2024 (github.com/Liam-Dupeyron/AnswersAi_data_science)
#: keeping 28 of its 83 columns (no card details, shipping, disputes, Checkout, UTM, Terminal
#: or Connect columns); ``old`` is the Default set of 2023 (github.com/kanema20/primeorca).
DASHBOARD_HEADERS: dict[str, str] = {
    "default": "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
    "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,"
    "Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,"
    "Customer ID,Customer Description,Customer Email,Invoice ID,Transfer",
    "all": "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
    "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,Is Link,"
    "Link Funding,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),"
    "Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Customer ID,"
    "Customer Description,Customer Email,Invoice ID,Transfer",
    "old": "id,Description,Seller Message,Created (UTC),Amount,Amount Refunded,Currency,"
    "Converted Amount,Converted Amount Refunded,Fee,Taxes On Fee,Converted Currency,Status,"
    "Statement Descriptor,Customer ID,Customer Description,Customer Email,Captured,Card ID,"
    "Invoice ID,Transfer",
}
_FAILED_MESSAGE = (
    "The latest payment attempt of this PaymentIntent has failed or been canceled, and the "
    "attached payment method has been removed. You can try confirming again with a new "
    "payment method."
)
_LABEL = {
    "succeeded": "Paid", "requires_payment_method": "Failed", "processing": "Pending",
    "requires_capture": "Paid",
}


def _open(path: str | Path):
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", newline="")
    return path.open("w", encoding="utf-8", newline="")


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value


def event_dicts(log: Any) -> list[dict]:
    """The Stripe event JSON of each real event row, oldest first (snapshots skipped).

    >>> from paykit.logs import simulate
    >>> event_dicts(simulate(1))[0]["type"]
    'payment_intent.created'
    """
    log = as_log(log)
    s = sort_rows(log, status_only=False)
    keys = metadata_columns(log)
    order = s.row
    col = {name: [_clean(v) for v in log[name].astype(object).to_numpy()[order].tolist()]
           for name in ("intent", "event", "status", "decline_code", "payment_method_type",
                        "charge", "amount", "currency", "description", "statement_descriptor",
                        "event_id", "amount_refunded")}
    meta = {k: log[k].astype(object).to_numpy()[order].tolist() for k in keys}
    seconds = (s.time // 1_000_000_000).tolist()
    created_at: dict[str, int] = {}
    events = []
    for position in range(len(order)):
        kind = str(col["event"][position])
        if kind.endswith(".snapshot"):
            continue
        intent = str(col["intent"][position])
        created = seconds[position]
        created_at.setdefault(intent, created)
        status, code = col["status"][position], col["decline_code"][position]
        pm_type, charge = col["payment_method_type"][position], col["charge"][position]
        metadata = {k.removeprefix("metadata."): str(v) for k in keys
                    if (v := _clean(meta[k][position])) is not None}
        common = {
            "amount": col["amount"][position],
            "currency": col["currency"][position],
            "description": col["description"][position],
            "metadata": metadata,
            "statement_descriptor": col["statement_descriptor"][position],
        }
        if kind.startswith("payment_intent."):
            error = None
            if code is not None:
                auth = code.startswith("payment_intent_")
                error = {"type": "invalid_request_error" if auth else "card_error",
                         "code": code if auth else "card_declined",
                         "decline_code": None if auth else code,
                         "payment_method": {"type": pm_type} if pm_type else None}
            obj = {"id": intent, "object": "payment_intent", **common,
                   "created": created_at[intent], "status": status, "latest_charge": charge,
                   "last_payment_error": error,
                   "payment_method_types": [pm_type] if pm_type else ["card"],
                   "canceled_at": created if status == "canceled" else None}
        else:
            outcome_status = {"charge.failed": "failed", "charge.pending": "pending"}
            obj = {"id": charge, "object": "charge", **common, "payment_intent": intent,
                   "status": outcome_status.get(kind, "succeeded"),
                   "captured": kind != "charge.succeeded" or status != "requires_capture",
                   "failure_code": "card_declined" if code else None,
                   "outcome": {"reason": code, "type": "issuer_declined" if code else
                               "authorized"},
                   "payment_method_details": {"type": pm_type} if pm_type else None,
                   "amount_refunded": col["amount_refunded"][position] or 0}
        events.append({
            "id": col["event_id"][position] or f"evt_{intent[3:]}{position:07d}",
            "object": "event", "api_version": API_VERSION, "created": created,
            "data": {"object": obj}, "livemode": False, "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": None}, "type": kind,
        })
    return events


def write_events(log: Any, path: str | Path, *, shape: str = "jsonl", page_size: int = 100) -> Path:
    """Save the log's events: ``jsonl`` (a webhook log, oldest first) or ``pages``
    (``GET /v1/events`` list pages, newest first, one JSON document per page).

    >>> import tempfile, os
    >>> from paykit.logs import simulate
    >>> p = write_events(simulate(3), os.path.join(tempfile.mkdtemp(), "e.jsonl"))
    >>> p.read_text().count("\\n") > 3
    True
    """
    events = event_dicts(log)
    with _open(path) as out:
        if shape == "jsonl":
            for event in events:
                out.write(json.dumps(event, separators=(",", ":")) + "\n")
        elif shape == "pages":
            newest = events[::-1]
            for start in range(0, len(newest), page_size):
                page = {"object": "list", "data": newest[start:start + page_size],
                        "has_more": start + page_size < len(newest), "url": "/v1/events"}
                out.write(json.dumps(page, indent=2) + "\n")
        else:
            raise ValueError(f"shape must be 'jsonl' or 'pages', not {shape!r}")
    return Path(path)


def write_objects(log: Any, path: str | Path) -> Path:
    """Save each intent's latest state as a PaymentIntent list page (JSON).

    >>> import tempfile, os
    >>> from paykit.logs import simulate
    >>> p = write_objects(simulate(3), os.path.join(tempfile.mkdtemp(), "pi.json"))
    >>> json.loads(p.read_text())["data"][0]["object"]
    'payment_intent'
    """
    log = as_log(log)
    table, declines = intent_table(log)
    last_code = declines.drop_duplicates("intent", keep="last").set_index("intent")["decline_code"]
    charges = log.dropna(subset=["charge"]).drop_duplicates("intent", keep="last")
    charge_of = dict(zip(charges["intent"].astype(str), charges["charge"], strict=True))
    keys = metadata_columns(log)
    firsts = log.drop_duplicates("intent")
    first_of = {
        intent: i for i, intent in enumerate(firsts["intent"].astype(str).tolist())
    }
    first_values = {name: firsts[name].astype(object).tolist()
                    for name in ["description", "statement_descriptor", *keys]}
    objects = []
    for row in table.itertuples(index=False):
        intent = str(row.intent)
        status = row.last_status if isinstance(row.last_status, str) else "requires_payment_method"
        code = last_code.get(intent) if status in ("requires_payment_method", "canceled") else None
        error = None
        if code is not None and code != "(none)":
            auth = code.startswith("payment_intent_")
            error = {"type": "card_error", "code": code if auth else "card_declined",
                     "decline_code": None if auth else code}
        i = first_of[intent]
        metadata = {k.removeprefix("metadata."): str(first_values[k][i]) for k in keys
                    if _clean(first_values[k][i]) is not None}
        objects.append({
            "id": intent, "object": "payment_intent", "amount": _clean(row.amount),
            "currency": _clean(row.currency), "status": status,
            "created": int(row.first_seen.timestamp()),
            "canceled_at": int(row.last_seen.timestamp()) if status == "canceled" else None,
            "latest_charge": charge_of.get(intent) if row.attempts else None,
            "last_payment_error": error,
            "payment_method_types": [_clean(row.payment_method_type) or "card"],
            "description": _clean(first_values["description"][i]),
            "statement_descriptor": _clean(first_values["statement_descriptor"][i]),
            "metadata": metadata,
        })
    with _open(path) as out:
        json.dump({"object": "list", "data": objects, "has_more": False,
                   "url": "/v1/payment_intents"}, out, indent=1)
    return Path(path)


def _major(amount: Any, currency: str, decimal: str) -> str:
    if amount is None:
        return ""
    found = CURRENCIES[currency]
    digits = found.decimals
    value = int(amount) / 10**found.exponent
    text = f"{value:.{digits}f}"
    return text.replace(".", decimal)


def write_dashboard_csv(
    log: Any, path: str | Path, *, variant: str = "all", delimiter: str = ",",
    decimal: str = ".", minutes: bool = False,
) -> Path:
    """Save the payment attempts as a Dashboard export (newest first, like the Dashboard).

    ``variant``: ``default`` (no PaymentIntent ID: intents are inferred), ``all`` (with
    ``PaymentIntent ID`` and rows for intents without a charge) or ``old`` (2023 layout,
    ``Created (UTC)``). Metadata becomes ``<key> (metadata)`` columns.

    >>> import tempfile, os
    >>> from paykit.logs import simulate
    >>> p = write_dashboard_csv(simulate(3), os.path.join(tempfile.mkdtemp(), "u.csv"))
    >>> p.read_text().splitlines()[0][:22]
    'id,Created date (UTC),'
    """
    log = as_log(log)
    header = DASHBOARD_HEADERS[variant].split(",")
    keys = metadata_columns(log)
    header += [k.removeprefix("metadata.") + " (metadata)" for k in keys]
    created_name = "Created (UTC)" if variant == "old" else "Created date (UTC)"
    fmt = "%Y-%m-%d %H:%M" if minutes or variant == "old" else "%Y-%m-%d %H:%M:%S"
    s = sort_rows(log, status_only=True)
    col = {name: [_clean(v) for v in log[name].astype(object).to_numpy()[s.row].tolist()]
           for name in ("intent", "event", "status", "decline_code", "payment_method_type",
                        "charge", "amount", "currency", "description", "statement_descriptor")}
    meta = {k.removeprefix("metadata.") + " (metadata)":
            ["" if (v := _clean(x)) is None else str(v)
             for x in log[k].astype(object).to_numpy()[s.row].tolist()] for k in keys}
    stamps = pd.DatetimeIndex(s.time.view("M8[ns]")).strftime(fmt).tolist()
    out_rows: list[dict[str, str]] = []
    seen_charge: dict[str, int] = {}
    last_status: dict[str, str] = {}
    last_charge_status: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    failed_intents: set[str] = set()
    for i in range(len(stamps)):
        intent, status, charge = col["intent"][i], col["status"][i], col["charge"][i]
        first_seen.setdefault(intent, i)
        last_status[intent] = status
        if col["decline_code"][i] is not None:
            failed_intents.add(intent)
        if charge is None or col["event"][i] == "payment_intent.created":
            continue
        label = _LABEL.get(status, status)
        record = {
            "id": charge, "Amount": _major(col["amount"][i], col["currency"][i], decimal),
            "Currency": col["currency"][i], "Status": label,
            "Captured": "false" if status in ("requires_capture", "requires_payment_method")
            else "true",
            "Decline Reason": col["decline_code"][i] or "",
            "PaymentIntent ID": intent,
            "Payment Source Type": col["payment_method_type"][i] or "",
            "Description": col["description"][i] or "",
            "Statement Descriptor": col["statement_descriptor"][i] or "",
            "Amount Refunded": "0",
            "Seller Message": "Payment complete." if label == "Paid" else "",
            **{name: values[i] for name, values in meta.items()},
        }
        if charge in seen_charge:  # a later status of the same attempt: the row shows the last
            created = out_rows[seen_charge[charge]][created_name]
            out_rows[seen_charge[charge]] = {**record, created_name: created}
        else:
            record[created_name] = stamps[i]
            seen_charge[charge] = len(out_rows)
            out_rows.append(record)
        last_charge_status[intent] = status
    declined_without_charge = {
        intent for intent, status in last_status.items()
        if status == "requires_payment_method" and intent not in last_charge_status
        and intent in failed_intents
    }
    if variant == "all":  # PaymentIntent rows: intents whose status no attempt row shows
        for intent, status in last_status.items():
            if last_charge_status.get(intent) == status:
                continue
            i = first_seen[intent]
            out_rows.append({
                "id": "", created_name: stamps[i], "PaymentIntent ID": intent,
                "Amount": _major(col["amount"][i], col["currency"][i], decimal),
                "Currency": col["currency"][i], "Status": status, "Captured": "false",
                "Payment Source Type": col["payment_method_type"][i] or "",
                "Seller Message": _FAILED_MESSAGE if intent in declined_without_charge else "",
                **{name: values[i] for name, values in meta.items()},
            })
    out_rows.sort(key=lambda r: r[created_name], reverse=True)
    with _open(path) as out:
        writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter,
                                extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
    return Path(path)
