"""read_events: every shape events are kept in, duplicates, ordering and quarantine."""

from __future__ import annotations

import gzip
import json

import pytest

from paykit.logs import read_events
from paykit.logs.arrays.log_schema import COLUMNS

T0 = 1_767_225_600


def _assert_counts(report):
    assert report.rows_read == report.rows_parsed + report.rows_quarantined


def _created_then_succeeded(pi_event, charge_event):
    return [
        pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method"),
        charge_event("pi_1", "charge.succeeded", T0 + 9, "ch_1"),
        pi_event("pi_1", "payment_intent.succeeded", T0 + 9, "succeeded", charge="ch_1"),
    ]


def test_a_json_list_of_events_is_read(pi_event, charge_event):
    log, report = read_events(json.dumps(_created_then_succeeded(pi_event, charge_event)).encode())
    assert report.rows_parsed == 3 and report.rows_quarantined == 0
    assert log["status"].dropna().tolist() == ["requires_payment_method", "succeeded"]
    assert [c.name for c in COLUMNS] == list(log.columns)[: len(COLUMNS)]


def test_list_pages_from_the_api_are_read_newest_first(pi_event, charge_event):
    events = _created_then_succeeded(pi_event, charge_event)[::-1]  # the API lists newest first
    pages = [{"object": "list", "data": events[:2], "has_more": True, "url": "/v1/events"},
             {"object": "list", "data": events[2:], "has_more": False, "url": "/v1/events"}]
    text = "\n".join(json.dumps(p, indent=2) for p in pages)
    log, report = read_events(text.encode())
    assert report.rows_parsed == 3
    assert log["event"].tolist() == ["payment_intent.created", "charge.succeeded",
                                     "payment_intent.succeeded"]
    assert (log["source_line"] > 0).all()


def test_items_of_a_pretty_printed_page_keep_their_own_line(pi_event):
    events = [pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method"),
              pi_event("pi_2", "payment_intent.created", T0 + 1, "requires_payment_method")]
    text = json.dumps({"object": "list", "data": events}, indent=2)
    log, _ = read_events(text.encode())
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "    {"]
    assert sorted(log["source_line"].tolist()) == starts


def test_json_lines_and_gzip_give_the_same_log(pi_event, charge_event, to_jsonl):
    data = to_jsonl(_created_then_succeeded(pi_event, charge_event))
    plain, _ = read_events(data)
    zipped, _ = read_events(gzip.compress(data))
    assert plain.equals(zipped)
    assert plain["source_line"].tolist() == [1, 2, 3]


def test_events_from_a_file_path(tmp_path, pi_event, charge_event, to_jsonl):
    path = tmp_path / "webhooks.jsonl.gz"
    path.write_bytes(gzip.compress(to_jsonl(_created_then_succeeded(pi_event, charge_event))))
    log, report = read_events(path)
    assert report.source == "webhooks.jsonl.gz" and len(log) == 3


def test_duplicate_event_ids_are_kept_once(pi_event, to_jsonl):
    event = pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method")
    log, report = read_events(to_jsonl([event, event, event]))
    assert len(log) == 1
    assert report.rows_parsed == 3 and report.duplicates == 2
    _assert_counts(report)


def test_same_second_events_put_creation_first_and_terminal_last(pi_event, charge_event):
    events = _created_then_succeeded(pi_event, charge_event)
    for event in events:
        event["created"] = T0  # create + confirm in one call: one second for all three
    for order in (events, events[::-1], [events[1], events[2], events[0]]):
        log, _ = read_events(order)
        assert log["event"].tolist() == ["payment_intent.created", "charge.succeeded",
                                         "payment_intent.succeeded"]


def test_same_second_same_rank_events_keep_chronological_input_order(pi_event):
    first = pi_event("pi_1", "payment_intent.payment_failed", T0 + 5, "requires_payment_method",
                     decline="insufficient_funds")
    second = pi_event("pi_1", "payment_intent.requires_action", T0 + 5, "requires_action")
    created = pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method")
    oldest_first, _ = read_events([created, first, second])
    newest_first, _ = read_events([second, first, created])  # as GET /v1/events lists them
    expected = ["requires_payment_method", "requires_payment_method", "requires_action"]
    assert oldest_first["status"].tolist() == expected
    assert newest_first["status"].tolist() == expected


def test_a_payment_intent_object_status_wins_and_legacy_names_are_read(pi_event):
    event = pi_event("pi_1", "payment_intent.created", T0, "requires_source")
    log, _ = read_events([event])
    assert log.loc[0, "status"] == "requires_payment_method"


def test_charge_events_link_to_their_intent_and_report_no_status(charge_event):
    log, _ = read_events([charge_event("pi_9", "charge.failed", T0, "ch_9",
                                       decline="insufficient_funds")])
    row = log.iloc[0]
    assert row["intent"] == "pi_9" and row["charge"] == "ch_9"
    assert (row["decline_code"] == "insufficient_funds" and row["status"] is None) or \
        str(row["status"]) == "nan"


def test_metadata_keys_become_columns(pi_event):
    log, _ = read_events([pi_event("pi_1", "payment_intent.created", T0,
                                   "requires_payment_method", metadata={"order_id": "42"})])
    assert log.loc[0, "metadata.order_id"] == "42"


@pytest.mark.parametrize(("change", "reason"), [
    (lambda e: e.update(created="yesterday"), "impossible timestamp 'yesterday'"),
    (lambda e: e.update(created=99), "impossible timestamp '99'"),
    (lambda e: e["data"]["object"].update(status="paid"), "unknown status 'paid'"),
    (lambda e: e["data"]["object"].update(currency="zzz"), "unknown currency 'zzz'"),
    (lambda e: e.update(type="payment_intent.updated"), "unknown event type"),
    (lambda e: e["data"]["object"].update(object="customer"), "not a PaymentIntent or Charge"),
    (lambda e: e["data"]["object"].update(amount="10.00"), "amount is not an integer"),
])
def test_bad_events_are_quarantined_with_line_and_reason(pi_event, to_jsonl, change, reason):
    good = pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method")
    bad = pi_event("pi_2", "payment_intent.created", T0, "requires_payment_method")
    change(bad)
    log, report = read_events(to_jsonl([good, bad]))
    assert len(log) == 1 and report.rows_quarantined == 1
    line, why, raw = report.quarantined[0]
    assert line == 2 and why.startswith(reason) and raw.startswith("{")
    _assert_counts(report)


def test_malformed_json_lines_are_quarantined_not_fatal(pi_event, to_jsonl):
    good = to_jsonl([pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method")])
    data = b'{"id": "evt_x", "type": \n' + good + b"not json at all\n" + good[:-20]
    log, report = read_events(data)
    assert len(log) == 1
    assert [q.line for q in report.quarantined] == [1, 3, 4]
    assert all(q.reason.startswith("malformed JSON") for q in report.quarantined)
    _assert_counts(report)


def test_a_broken_item_inside_a_json_list_costs_only_that_item(pi_event):
    items = [json.dumps(pi_event(f"pi_{i}", "payment_intent.created", T0,
                                 "requires_payment_method"), indent=2) for i in range(3)]
    items[1] = items[1].replace('"object": "event",', '"object": "event" oops,')
    text = "[\n" + ",\n".join("  " + item.replace("\n", "\n  ") for item in items) + "\n]"
    log, report = read_events(text.encode())
    assert sorted(log["intent"].astype(str)) == ["pi_0", "pi_2"]
    assert report.rows_quarantined == 1
    _assert_counts(report)


def test_charge_events_give_the_card_and_the_customer(charge_event):
    card = {"type": "card", "card": {"brand": "Visa", "country": "US", "funding": "debit"}}
    log, _ = read_events([charge_event("pi_1", "charge.succeeded", T0, "ch_1",
                                       payment_method_details=card, customer="cus_9")])
    row = log.iloc[0]
    assert (row["card_brand"], row["card_country"], row["card_funding"]) == ("visa", "US", "debit")
    assert row["customer"] == "cus_9"


def test_events_about_other_objects_are_out_of_scope_not_errors(pi_event):
    other = {"id": "evt_c", "object": "event", "type": "invoice.paid", "created": T0,
             "data": {"object": {"id": "in_1", "object": "invoice"}}}
    dispute = {"id": "evt_d", "object": "event", "type": "charge.dispute.created",
               "created": T0, "data": {"object": {"id": "dp_1", "object": "dispute"}}}
    good = pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method")
    log, report = read_events([other, dispute, good])
    assert len(log) == 1 and report.rows_quarantined == 0
    assert dict(report.out_of_scope) == {"invoice.paid": 1, "charge.dispute.created": 1}
    assert "2 out of scope (invoice.paid 1, charge.dispute.created 1)" in report.summary()
