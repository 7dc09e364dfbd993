"""read_objects: a dump of PaymentIntents gives each intent's creation and latest state."""

from __future__ import annotations

import json

from paykit.logs import paths, read_objects

T0 = 1_767_225_600


def _pi(intent, status, **fields):
    return {"id": intent, "object": "payment_intent", "created": T0, "status": status,
            "amount": 1000, "currency": "usd", "payment_method_types": ["card"], **fields}


def test_each_object_becomes_creation_then_its_latest_status():
    page = {"object": "list", "data": [_pi("pi_1", "succeeded", latest_charge="ch_1"),
                                       _pi("pi_2", "requires_payment_method")]}
    log, report = read_objects(json.dumps(page).encode())
    assert report.rows_parsed == 2
    one = log[log["intent"] == "pi_1"]
    assert one["status"].tolist() == ["requires_payment_method", "succeeded"]
    assert one["synthetic"].tolist() == [True, False]
    assert one["event"].tolist() == ["payment_intent.created", "payment_intent.snapshot"]
    assert log[log["intent"] == "pi_2"]["status"].tolist() == ["requires_payment_method"]


def test_a_failed_last_attempt_carries_its_decline_code():
    error = {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds"}
    log, _ = read_objects([_pi("pi_1", "requires_payment_method", last_payment_error=error)])
    p = paths(log).iloc[0]
    assert (p["attempts"], p["declines"]) == (1, 1)
    assert log["decline_code"].dropna().tolist() == ["insufficient_funds"]


def test_canceled_intents_are_dated_at_canceled_at():
    log, _ = read_objects([_pi("pi_1", "canceled", canceled_at=T0 + 3600)])
    assert log.iloc[-1]["time"].timestamp() == T0 + 3600


def test_the_later_object_of_an_intent_wins(to_jsonl):
    log, report = read_objects(to_jsonl([_pi("pi_1", "requires_action"),
                                         _pi("pi_1", "succeeded")]))
    assert report.duplicates == 1
    assert log["status"].tolist()[-1] == "succeeded"


def test_non_intent_objects_and_bad_statuses_are_quarantined(to_jsonl):
    _log, report = read_objects(to_jsonl([{"id": "ch_1", "object": "charge"},
                                         _pi("pi_2", "almost_paid"), _pi("pi_3", "succeeded")]))
    assert [(q.line, q.reason) for q in report.quarantined] == [
        (1, "not a PaymentIntent object: 'charge'"), (2, "unknown status 'almost_paid'")]
    assert report.rows_read == report.rows_parsed + report.rows_quarantined == 3


def test_a_lone_surrogate_escape_sets_only_its_object_aside():
    objects = [_pi("pi_1", "succeeded"), _pi("pi_2", "succeeded", description="a\ud800"),
               _pi("pi_3", "canceled", customer={"id": "cus_\udfff"})]
    log, report = read_objects(json.dumps(objects).encode())
    assert (report.rows_read, report.rows_parsed) == (3, 1)
    assert [q.reason for q in report.quarantined] == [
        "description is not valid Unicode (a lone surrogate escape)",
        "customer is not valid Unicode (a lone surrogate escape)"]
    assert set(log["intent"]) == {"pi_1"}


def test_a_later_copy_of_an_object_replaces_the_earlier_one_whole():
    older = [_pi("pi_1", "requires_payment_method", metadata={"old_only": "x"}),
             _pi("pi_2", "succeeded")]
    newer = [_pi("pi_1", "succeeded", description="paid", metadata={"order": "7"})]
    log, report = read_objects((json.dumps(older) + "\n" + json.dumps(newer)).encode())
    assert (report.rows_read, report.rows_parsed, report.duplicates) == (3, 3, 1)
    assert "metadata.old_only" not in log.columns
    one = log[log["intent"] == "pi_1"]
    assert one["status"].tolist() == ["requires_payment_method", "succeeded"]
    assert one["metadata.order"].tolist() == ["7", "7"]
    assert one["source_line"].tolist() == [2, 2]
    assert log[log["intent"] == "pi_2"]["description"].isna().all()
