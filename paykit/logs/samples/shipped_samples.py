"""The sample exports paykit ships: a clean set and a deliberately broken one.

The clean files hold the same 60 payments three ways (events as JSON Lines, PaymentIntent
objects, a Dashboard CSV), so a lesson can show that the formats agree. The broken
files hold the kinds of trouble real exports have, each on a known line, for the
lessons on the read report, conformance and the audit:

- ``events_broken``: personal data and secrets on line 1, a malformed line, an impossible
  timestamp, an unknown status, an unknown currency, a repeated webhook, a customer
  event, a charge with no PaymentIntent, an event after ``succeeded``, a cut-off last line.
- ``payments_broken``: ``;`` delimiter with comma decimals and minute timestamps, a
  30 February, an unknown status label and currency, too many decimals, a row with an
  extra field, and a descriptor that breaks the rules.

``write_samples`` regenerates them (deterministic); ``sample_path`` finds a shipped one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from paykit.logs.readers.format_detection import read
from paykit.logs.readers.read_report import ReadResult
from paykit.logs.samples.synthetic_log import simulate
from paykit.logs.show.export_writers import (
    event_dicts,
    write_dashboard_csv,
    write_events,
    write_objects,
)

__all__ = ["SAMPLES", "read_sample", "sample_path", "write_samples"]

#: Sample name -> file name in ``paykit/data``.
SAMPLES: dict[str, str] = {
    "events": "sample_events.jsonl",
    "objects": "sample_payment_intents.json",
    "payments": "sample_unified_payments.csv",
    "events_broken": "sample_events_broken.jsonl",
    "payments_broken": "sample_unified_payments_broken.csv",
}
#: ``paykit/data``, where the package ships its data files.
_DATA = Path(__file__).resolve().parents[2] / "data"
_N, _SEED = 60, 7


def sample_path(name: str) -> Path:
    """Where a shipped sample lives (``events``, ``objects``, ``payments``, ``…_broken``).

    >>> sample_path("events").name
    'sample_events.jsonl'
    """
    if name not in SAMPLES:
        raise KeyError(f"no sample {name!r}; choose one of {', '.join(SAMPLES)}")
    return _DATA / SAMPLES[name]


def read_sample(name: str) -> ReadResult:
    """Read a shipped sample with the reader its format needs (``(log, report)``).

    >>> log, report = read_sample("payments_broken")
    >>> report.rows_quarantined > 0
    True
    """
    return read(sample_path(name))


def _clean_log() -> pd.DataFrame:
    log = simulate(_N, _SEED, mix={"card": 0.6, "card_3ds": 0.15, "manual_capture": 0.1,
                                   "bank_debit": 0.15}, decline_rate=0.25)
    return log


def write_samples(directory: str | Path = _DATA) -> list[Path]:
    """Write every sample file into ``directory`` (the package's ``data`` by default).

    >>> import tempfile
    >>> len(write_samples(tempfile.mkdtemp()))
    5
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    log = _clean_log()
    paths = [
        write_events(log, directory / SAMPLES["events"]),
        write_objects(log, directory / SAMPLES["objects"]),
        write_dashboard_csv(log, directory / SAMPLES["payments"]),
    ]
    paths.append(_broken_events(log, directory / SAMPLES["events_broken"]))
    paths.append(_broken_payments(log, directory / SAMPLES["payments_broken"]))
    return paths


def _broken_events(log: pd.DataFrame, path: Path) -> Path:
    events = event_dicts(log)
    lines = [json.dumps(e, separators=(",", ":")) for e in events]

    def variant(i: int, change: Callable[[dict[str, Any]], Any]) -> str:
        event = json.loads(lines[i])
        change(event)
        return json.dumps(event, separators=(",", ":"))

    obj = lambda e: e["data"]["object"]  # noqa: E731
    pi_event = next(i for i in range(5, len(lines)) if events[i]["type"].startswith("payment_i"))
    secret_intent = obj(events[0])["id"]
    extra = [
        '{"id": "evt_broken", "object": "event", "type": "payment_intent.created", "data": {',
        variant(1, lambda e: e.update(created=-5, id="evt_impossible_time")),
        variant(pi_event, lambda e: (obj(e).update(status="requires_magic"),
                              e.update(id="evt_unknown_status"))),
        variant(3, lambda e: (obj(e).update(currency="xyz"), e.update(id="evt_bad_currency"))),
        lines[4],  # the same event delivered twice
        json.dumps({"id": "evt_customer", "object": "event", "type": "customer.created",
                    "created": events[0]["created"],
                    "data": {"object": {"id": "cus_1", "object": "customer"}}}),
        json.dumps({"id": "evt_orphan_charge", "object": "event", "type": "charge.succeeded",
                    "created": events[0]["created"],
                    "data": {"object": {"id": "ch_orphan", "object": "charge",
                                        "payment_intent": None, "amount": 500,
                                        "currency": "usd"}}}),
    ]
    succeeded = next(e for e in events if e["type"] == "payment_intent.succeeded")
    after = json.loads(json.dumps(succeeded))
    after.update(id="evt_after_success", type="payment_intent.payment_failed",
                 created=succeeded["created"] + 3600)
    after["data"]["object"].update(status="requires_payment_method",
                                   last_payment_error={"type": "card_error",
                                                       "code": "card_declined",
                                                       "decline_code": "do_not_honor"})
    extra.append(json.dumps(after, separators=(",", ":")))
    leaky = json.loads(lines[0])  # the first event carries personal data and secrets
    leaky["data"]["object"].update(
        description="Order for jane.doe@example.com",
        statement_descriptor="RUNCLUB*<SALE>",
        metadata={"channel": "web", "card": "4242 4242 4242 4242",
                  "note": "call support with key sk_test_" + "paykitTeachingExample0",
                  "secret": secret_intent + "_secret_" + "TeachingExample1"},
    )
    lines[0] = json.dumps(leaky, separators=(",", ":"))
    body = lines[:5] + extra[:4] + lines[5:] + extra[4:]
    path.write_text("\n".join(body) + '\n{"id": "evt_cut_off", "object": "ev', encoding="utf-8")
    return path


def _broken_payments(log: pd.DataFrame, path: Path) -> Path:
    write_dashboard_csv(log, path, variant="all", delimiter=";", decimal=",", minutes=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    created, status, currency = (header.index(n) for n in
                                 ("Created date (UTC)", "Status", "Currency"))
    amount, descriptor = header.index("Amount"), header.index("Statement Descriptor")

    def edit(i: int, column: int, value: str) -> None:
        cells = lines[i].split(";")
        cells[column] = value
        lines[i] = ";".join(cells)

    edit(2, created, "2024-02-30 10:00")
    edit(3, status, "Disputed")
    edit(4, currency, "xyz")
    edit(5, amount, "12,345")
    edit(6, descriptor, "RUNCLUB*<SALE>")
    lines[7] = lines[7] + ";an extra field"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
