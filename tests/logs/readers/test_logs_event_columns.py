"""The events reader's columnar path (pyarrow) against the walker (record by record).

The columnar path is only a faster way to the same answer: on every file, clean or
damaged, ``read_events`` gives the same log and the same read report whether the path
may be taken or not. Events the columns cannot settle go through ``event_row`` one by
one, so the tests also check that a file with such events still takes the path.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paykit.logs import read_events, sample_path, simulate, write_events
from paykit.logs.readers import event_records
from paykit.logs.readers.event_columns import columnar_events
from paykit.logs.readers.event_records import event_row
from paykit.logs.readers.read_report import ReadReport
from paykit.logs.readers.source_text import decode_source
from tests.logs.readers.test_logs_damaged_files import EVENT_CASES, EVENTS, T0, jsonl


def walked(data: Any):
    """``read_events(data)`` with the columnar path refused, as a JSON list would have it."""
    with mock.patch.object(event_records, "columnar_events", return_value=None):
        return read_events(data)


def values(column: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in column]


def takes_columns(text: str) -> bool:
    return columnar_events(decode_source(text.encode()), ReadReport(), event_row) is not None


def assert_same_read(data: bytes | str) -> None:
    fast_log, fast_report = read_events(data)
    slow_log, slow_report = walked(data)
    pd.testing.assert_frame_equal(fast_log, slow_log)
    assert fast_report == slow_report


@pytest.mark.parametrize("name", list(EVENT_CASES))
def test_both_ways_read_each_damaged_file_alike(name):
    assert_same_read(EVENT_CASES[name].data)


@pytest.mark.parametrize(("name", "columnar"), [
    ("clean", True), ("the same export twice", True), ("customer and invoice events", True),
    ("an amount of 10**20", False),  # pyarrow refuses an int64 overflow: the walker reads
    ("a line nested too deeply for Python", False),
    ("a 9999-12-31 time", True),  # a settled type, an impossible value: event_row says why
    ("a status that is an object", False), ("the last line cut off", False),
])
def test_which_damaged_files_take_the_columns(name, columnar):
    text = EVENT_CASES[name].data.decode()
    assert takes_columns(text) is columnar


def test_a_simulated_log_takes_the_columns_and_reads_alike(tmp_path):
    path = write_events(simulate(300, seed=3), tmp_path / "events.jsonl")
    assert takes_columns(path.read_text())
    assert_same_read(path.read_bytes())


def test_the_shipped_sample_reads_alike():
    assert_same_read(sample_path("events").read_bytes())


def _dispute(k: int) -> dict:
    return {"id": f"evt_dp{k}", "object": "event", "type": "charge.dispute.created",
            "created": T0 + 50, "data": {"object": {
                "id": f"dp_{k}", "object": "dispute", "amount": 500, "currency": "usd",
                "charge": f"ch_{k}", "payment_intent": f"pi_{k}", "status": "needs_response",
                "reason": "fraudulent", "metadata": {}}}}


def _charge(k: int, etype: str = "charge.failed", **fields: Any) -> dict:
    obj = {"id": f"ch_{k}", "object": "charge", "amount": 1000, "currency": "EUR",
           "payment_intent": f"pi_{k}", "failure_code": "card_declined",
           "outcome": {"reason": "insufficient_funds" if k % 2 else None},
           "payment_method_details": {"type": "card", "card": {
               "brand": "Visa", "country": "FR", "funding": "credit"}},
           "amount_refunded": 0, "metadata": {"order": str(k)}, **fields}
    return {"id": f"evt_ch{k}_{etype}", "object": "event", "type": etype,
            "created": T0 + 5, "data": {"object": obj}}


def test_disputes_charges_and_metadata_read_alike():
    events = copy.deepcopy(EVENTS)
    events[0]["data"]["object"]["metadata"] = {"order_id": "6735", "channel": ""}
    events[1]["data"]["object"]["payment_method_types"] = ["card", "sepa_debit"]
    events[2]["data"]["object"]["status"] = "requires_source"  # a legacy name, read as today's
    events[3]["data"]["object"]["statement_descriptor_suffix"] = "ORDER 12"
    events[4]["data"]["object"]["customer"] = ""
    more = [_dispute(1), _charge(1), _charge(2), _charge(3, "charge.succeeded"),
            _charge(4, "charge.refunded", amount_refunded=1000)]
    text = jsonl(events + more)
    assert takes_columns(text)
    assert_same_read(text.encode())
    log, _ = read_events(text.encode())
    charges = log[log["event"] == "charge.failed"]
    assert charges["decline_code"].tolist() == ["insufficient_funds", "card_declined"]
    assert set(charges["card_brand"]) == {"visa"}
    assert log["metadata.order_id"].dropna().tolist() == ["6735"]


def test_a_failed_payment_names_its_method_from_the_error_or_the_intent():
    events = copy.deepcopy(EVENTS)
    failed = [e for e in events if e["type"] == "payment_intent.payment_failed"]
    failed[0]["data"]["object"]["last_payment_error"] = {
        "code": "card_declined", "decline_code": "", "payment_method": {"type": "card"}}
    failed[1]["data"]["object"]["last_payment_error"] = {"code": "expired_card"}
    failed[1]["data"]["object"]["payment_method_types"] = ["sepa_debit"]
    failed[2]["data"]["object"]["last_payment_error"] = None
    text = jsonl(events)
    assert takes_columns(text)
    assert_same_read(text.encode())
    log, _ = read_events(text.encode())
    rows = log[log["event"] == "payment_intent.payment_failed"]
    assert values(rows["decline_code"]) == ["card_declined", "expired_card", None]
    assert values(rows["payment_method_type"]) == ["card", "sepa_debit", None]


def test_a_null_metadata_value_is_no_value_either_way():
    events = copy.deepcopy(EVENTS)
    events[0]["data"]["object"]["metadata"] = {"a": None, "b": "x"}
    events[1]["data"]["object"]["metadata"] = {"a": "y"}
    assert_same_read(jsonl(events).encode())
    log, _ = read_events(jsonl(events).encode())
    assert log["metadata.a"].dropna().tolist() == ["y"]


@pytest.mark.parametrize("depth", [50, 2000])
def test_a_line_nested_deeply_but_well_is_read_as_python_reads_it(depth):
    text = jsonl([EVENTS[0], dict(EVENTS[1], extra="@"), *EVENTS[2:]])
    text = text.replace('"@"', "[" * depth + "]" * depth)  # json.dumps would recurse
    assert takes_columns(text) is (depth < 400)
    assert_same_read(text.encode())
    _, report = read_events(text.encode())
    assert report.rows_quarantined == (depth >= 995)


def test_crlf_and_blank_lines_keep_their_line_numbers():
    text = jsonl(EVENTS).replace("\n", "\r\n\r\n")
    assert takes_columns(text)
    assert_same_read(text.encode())
    log, _ = read_events(text.encode())
    assert sorted(log["source_line"]) == list(range(1, 2 * len(EVENTS), 2))


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
    st.sampled_from(["", "usd", "EUR", "zzz", "succeeded", "requires_source", "card", "pi_9",
                     "payment_intent", "charge", "dispute", "customer", "charge.failed",
                     "payment_intent.succeeded", "é\u2028", "\ud800"]),
    st.lists(st.sampled_from(["card", "sepa_debit"]), max_size=2),
    st.fixed_dictionaries({"type": st.sampled_from(["card", "link"])}),
)
_PATHS = st.sampled_from([
    "id", "type", "created", "data", "data.object", "data.object.id", "data.object.object",
    "data.object.amount", "data.object.currency", "data.object.status",
    "data.object.customer", "data.object.description", "data.object.latest_charge",
    "data.object.payment_method", "data.object.payment_method_types",
    "data.object.statement_descriptor", "data.object.metadata",
    "data.object.last_payment_error", "data.object.last_payment_error.decline_code",
    "data.object.payment_intent", "data.object.amount_refunded", "data.object.outcome",
    "data.object.outcome.reason", "data.object.failure_code",
    "data.object.payment_method_details", "data.object.payment_method_details.card.brand",
    "data.object.payment_method_details.type", "data.object.metadata.order",
])
#: PaymentIntent, Charge and dispute events: every branch of ``event_row``.
_MIXED = [*EVENTS, _charge(1), _charge(2), _charge(3, "charge.succeeded"), _dispute(4)]


def _put(event: dict, path: str, value: Any) -> None:
    *keys, last = path.split(".")
    target = event
    for key in keys:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[last] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, len(_MIXED) - 1), _PATHS, _VALUES),
                        min_size=1, max_size=4))
def test_any_change_to_any_field_reads_alike(changes):
    events = copy.deepcopy(_MIXED)
    for k, path, value in changes:
        _put(events[k], path, value)
    text = "".join(json.dumps(e) + "\n" for e in events)
    assert_same_read(text.encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(0, len(EVENTS) - 1), position=st.integers(0, 400),
       text=st.text(st.sampled_from('{}[]",: \r\n\x00\\é0'), max_size=4))
def test_any_raw_damage_reads_alike(k, position, text):
    lines = jsonl(EVENTS).split("\n")
    p = position % (len(lines[k]) + 1)
    lines[k] = lines[k][:p] + text + lines[k][p:]
    assert_same_read("\n".join(lines).encode())


@pytest.mark.parametrize("piece_size", [1, 700, 5000])
def test_a_file_parsed_in_pieces_reads_alike(piece_size, tmp_path, monkeypatch):
    """pyarrow parses a large file a piece of whole lines at a time (so its parsed
    objects are never all in memory): pieces of a line, or a few, give the same read."""
    from paykit.logs.readers import event_columns

    monkeypatch.setattr(event_columns, "_PIECE_SIZE", piece_size)
    for case in EVENT_CASES.values():
        assert_same_read(case.data)
    path = tmp_path / "events.jsonl"
    write_events(simulate(150, seed=4, refund_rate=0.2, dispute_rate=0.1), path)
    assert takes_columns(path.read_text())
    assert_same_read(path.read_bytes())
    assert_same_read(sample_path("events").read_bytes())
