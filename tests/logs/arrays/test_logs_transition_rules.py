"""Everything the analyses know about the lifecycle is derived from its table."""

from __future__ import annotations

from paykit.lifecycle import TRANSITIONS, Action, Status
from paykit.logs.arrays.transition_rules import (
    ATTEMPT_ONLY,
    FAILURE_EVENT_TYPES,
    STATUS_CODE,
    STATUS_EVENT_TYPES,
    TIE_RANK,
    status_event_target,
)


def test_each_status_event_closes_table_rows_that_reach_its_status():
    for event, status in STATUS_EVENT_TYPES.items():
        targets = {t.target for t in TRANSITIONS if t.events and t.events[-1] == event}
        assert targets == {status}


def test_charge_events_report_no_status():
    assert status_event_target("charge.succeeded") is None
    assert status_event_target("payment_intent.succeeded") is Status.SUCCEEDED


def test_declines_come_from_charge_failed_and_payment_failed():
    assert {"charge.failed", "payment_intent.payment_failed"} == FAILURE_EVENT_TYPES


def test_only_confirmations_make_attempt_pairs():
    rpm, succeeded = STATUS_CODE[Status.REQUIRES_PAYMENT_METHOD], STATUS_CODE[Status.SUCCEEDED]
    assert ATTEMPT_ONLY[rpm, succeeded]
    action = STATUS_CODE[Status.REQUIRES_ACTION]
    assert not ATTEMPT_ONLY[action, succeeded]  # authentication finishes an attempt
    assert any(t.action is Action.CONFIRM for t in TRANSITIONS)


def test_tie_ranks_put_creation_first_and_terminal_events_last():
    assert TIE_RANK["payment_intent.created"] < TIE_RANK["charge.succeeded"]
    assert TIE_RANK["charge.succeeded"] < TIE_RANK["payment_intent.payment_failed"]
    assert TIE_RANK["payment_intent.payment_failed"] < TIE_RANK["payment_intent.succeeded"]
    assert TIE_RANK["payment_intent.canceled"] == TIE_RANK["payment_intent.succeeded"]
    assert TIE_RANK["payment_intent.snapshot"] == max(TIE_RANK.values())
