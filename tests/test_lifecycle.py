"""The lifecycle table is Stripe's lifecycle page, and a broken table cannot load."""

from __future__ import annotations

import dataclasses

import pytest

from paykit import lifecycle
from paykit.event_types import EVENT_TYPES
from paykit.lifecycle import (
    INITIAL_STATUS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    LifecycleDefinitionError,
    Status,
    Transition,
    allowed_actions,
    can_transition,
    display_status,
    entry_statuses,
    find_transition,
    parse_status,
)


def test_there_are_exactly_the_seven_stripe_statuses():
    assert {s.value for s in Status} == {
        "requires_payment_method", "requires_confirmation", "requires_action",
        "processing", "requires_capture", "canceled", "succeeded",
    }


def test_a_new_intent_starts_in_requires_payment_method():
    assert INITIAL_STATUS is Status.REQUIRES_PAYMENT_METHOD


def test_nothing_leaves_succeeded_or_canceled():
    assert {Status.SUCCEEDED, Status.CANCELED} == TERMINAL_STATUSES
    for status in TERMINAL_STATUSES:
        assert allowed_actions(status) == ()
        assert not any(can_transition(status, target) for target in Status)


def test_every_event_in_the_table_is_a_real_stripe_event_type():
    for row in TRANSITIONS:
        assert set(row.events) <= EVENT_TYPES


def test_there_is_no_payment_intent_updated_or_requires_capture_event():
    emitted = {e for row in TRANSITIONS for e in row.events}
    assert "payment_intent.updated" not in emitted
    assert "payment_intent.requires_capture" not in emitted


def test_every_row_cites_its_source_and_says_when_it_applies():
    for row in TRANSITIONS:
        assert row.note and row.condition


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("requires_payment_method", "requires_confirmation"),
        ("requires_confirmation", "requires_action"),
        ("requires_action", "requires_confirmation"),  # manual confirmation
        ("requires_payment_method", "processing"),
        ("processing", "succeeded"),
        ("processing", "requires_payment_method"),
        ("requires_capture", "succeeded"),
        ("requires_capture", "canceled"),
        ("requires_payment_method", "canceled"),
        ("processing", "canceled"),
    ],
)
def test_documented_transitions_are_allowed(source, target):
    assert can_transition(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("succeeded", "requires_payment_method"),
        ("canceled", "requires_payment_method"),
        ("requires_capture", "requires_action"),
        ("processing", "requires_action"),
        ("requires_capture", "requires_payment_method"),
    ],
)
def test_undocumented_transitions_are_refused(source, target):
    assert not can_transition(source, target)


def test_cancel_is_allowed_exactly_where_the_lifecycle_page_says():
    cancelable = {s for s in Status if Action.CANCEL in allowed_actions(s)}
    assert cancelable == {
        Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION,
        Status.REQUIRES_ACTION, Status.REQUIRES_CAPTURE, Status.PROCESSING,
    }


def test_capture_and_increment_only_in_requires_capture():
    for action in (Action.CAPTURE, Action.INCREMENT_AUTHORIZATION):
        assert {s for s in Status if action in allowed_actions(s)} == {
            Status.REQUIRES_CAPTURE
        }


def test_a_decline_returns_to_requires_payment_method_with_both_failure_events():
    row = find_transition(Status.REQUIRES_CONFIRMATION, Action.CONFIRM,
                          Status.REQUIRES_PAYMENT_METHOD)
    assert row is not None
    assert row.events == ("charge.failed", "payment_intent.payment_failed")


def test_reaching_the_confirmation_limit_cancels():
    row = find_transition(Status.REQUIRES_CONFIRMATION, Action.CONFIRM, Status.CANCELED)
    assert row is not None and "payment_intent.canceled" in row.events


def test_processing_is_only_entered_for_asynchronous_methods():
    rows = [t for t in TRANSITIONS if t.target is Status.PROCESSING]
    assert rows and all("asynchronous" in t.condition for t in rows)


def test_create_with_a_payment_method_can_open_in_requires_confirmation():
    assert entry_statuses() == {Status.REQUIRES_PAYMENT_METHOD,
                                Status.REQUIRES_CONFIRMATION}


def test_api_versions_before_2019_02_11_show_the_legacy_names():
    assert display_status("requires_payment_method", "2018-11-08") == "requires_source"
    assert display_status("requires_action", "2019-02-10") == "requires_source_action"
    assert display_status("requires_action", "2019-02-11") == "requires_action"
    assert display_status("succeeded", "2018-11-08") == "succeeded"
    assert display_status("requires_action", None) == "requires_action"


def test_parse_status_accepts_current_and_legacy_names_only():
    assert parse_status("requires_source") is Status.REQUIRES_PAYMENT_METHOD
    assert parse_status("requires_source_action") is Status.REQUIRES_ACTION
    assert parse_status("succeeded") is Status.SUCCEEDED
    with pytest.raises(ValueError):
        parse_status("paid")


def test_the_markdown_table_has_one_line_per_row():
    table = lifecycle.markdown_table()
    assert len(table.splitlines()) == len(TRANSITIONS) + 2
    assert "`requires_source`" in lifecycle.markdown_table("2018-11-08")


def _broken(rows):
    with pytest.raises(LifecycleDefinitionError):
        lifecycle._check(rows)


def test_a_table_with_two_initial_statuses_is_refused():
    extra = Transition(None, Action.CREATE, Status.REQUIRES_CONFIRMATION, (), "x", "x")
    _broken((*TRANSITIONS, extra))


def test_a_table_with_an_exit_from_a_terminal_status_is_refused():
    extra = Transition(Status.SUCCEEDED, Action.CANCEL, Status.CANCELED, (), "x", "x")
    _broken((*TRANSITIONS, extra))


def test_a_table_with_an_unreachable_status_is_refused():
    _broken(tuple(t for t in TRANSITIONS if t.target is not Status.PROCESSING))


def test_a_table_with_an_invented_event_type_is_refused():
    row = dataclasses.replace(TRANSITIONS[0], events=("payment_intent.updated",))
    _broken((row, *TRANSITIONS[1:]))


def test_a_table_with_a_duplicate_row_is_refused():
    _broken((*TRANSITIONS, TRANSITIONS[-1]))


def test_the_shipped_table_passes_its_own_check():
    lifecycle._check(TRANSITIONS)
