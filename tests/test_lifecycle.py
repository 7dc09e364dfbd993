"""The lifecycle table is Stripe's lifecycle page, and a broken table cannot load."""

from __future__ import annotations

import dataclasses

import pytest

from paykit import lifecycle
from paykit.event_types import EVENT_TYPES
from paykit.lifecycle import (
    FACT_VALUES,
    INITIAL_STATUS,
    LIMITS,
    PAYMENT_INTENT,
    REFUSALS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    Attempt,
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
from paykit.machine import Guard, MoveRefused


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


_X = Guard("x", "x", lambda _facts: True)


def test_a_table_with_two_initial_statuses_is_refused():
    extra = Transition(None, Action.CREATE, Status.REQUIRES_CONFIRMATION, (), _X, "x")
    _broken((*TRANSITIONS, extra))


def test_a_table_with_an_exit_from_a_terminal_status_is_refused():
    extra = Transition(Status.SUCCEEDED, Action.CANCEL, Status.CANCELED, (), _X, "x")
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


# -- the table decides ------------------------------------------------------------------------

def _every_question():
    for source in (None, *Status):
        for action in Action:
            for facts in PAYMENT_INTENT.every_facts():
                if PAYMENT_INTENT.possible(source, facts):
                    yield source, action, facts


def test_for_every_status_action_and_facts_exactly_one_row_or_a_refusal_applies():
    asked = 0
    for source, action, facts in _every_question():
        rows = [r for r in TRANSITIONS if (r.source, r.action) == (source, action)
                and r.guard(facts)]
        refusals = [r for r in REFUSALS if (r.source, r.action) == (source, action)
                    and r.guard(facts)]
        has_rows = any((r.source, r.action) == (source, action)
                       for r in (*TRANSITIONS, *REFUSALS))
        if has_rows:
            assert len(rows) + len(refusals) == 1, (source, action, facts, rows, refusals)
        else:
            assert not rows and not refusals
        if rows:
            assert PAYMENT_INTENT.decide(source, action, facts) is rows[0]
        else:
            with pytest.raises(MoveRefused) as refused:
                PAYMENT_INTENT.decide(source, action, facts)
            assert refused.value.refusal is (refusals[0] if refusals else None)
            assert (refused.value.status, refused.value.action) == (source, action)
        asked += 1
    assert asked == len(list(_every_question())) > 2_000
    assert PAYMENT_INTENT.check_decisions() > 2_000


def test_every_fact_combination_is_walked():
    total = 1
    for values in FACT_VALUES.values():
        total *= len(values)
    assert len(list(PAYMENT_INTENT.every_facts())) == total
    assert set(FACT_VALUES) == set(Attempt._fields)


@pytest.mark.parametrize(
    ("facts", "target"),
    [
        (Attempt(), Status.SUCCEEDED),
        (Attempt(capture_method="manual"), Status.REQUIRES_CAPTURE),
        (Attempt(method="bank_debit"), Status.PROCESSING),
        (Attempt(method="bank_debit", bank="declines"), Status.PROCESSING),
        (Attempt(authentication="challenge"), Status.REQUIRES_ACTION),
        (Attempt(authentication="refused"), Status.REQUIRES_PAYMENT_METHOD),
        (Attempt(bank="declines"), Status.REQUIRES_PAYMENT_METHOD),
        (Attempt(bank="declines", last_attempt=True), Status.CANCELED),
        (Attempt(authentication="refused", last_attempt=True), Status.CANCELED),
    ],
)
def test_confirm_goes_where_stripe_says_for_each_kind_of_attempt(facts, target):
    for source in (Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION):
        assert PAYMENT_INTENT.decide(source, Action.CONFIRM, facts).target is target


def test_confirm_without_a_payment_method_is_refused_with_stripes_message():
    with pytest.raises(MoveRefused) as refused:
        PAYMENT_INTENT.decide(Status.REQUIRES_PAYMENT_METHOD, Action.CONFIRM,
                              Attempt(method="none"))
    assert refused.value.refusal is not None
    assert refused.value.refusal.code == "payment_intent_unexpected_state"
    assert "missing a payment method" in refused.value.refusal.message


def test_processing_can_be_canceled_for_bank_debits_only():
    row = PAYMENT_INTENT.decide(Status.PROCESSING, Action.CANCEL, Attempt(method="bank_debit"))
    assert row.target is Status.CANCELED and row.effect == "cancel_debit"
    with pytest.raises(MoveRefused):
        PAYMENT_INTENT.decide(Status.PROCESSING, Action.CANCEL, Attempt(method="card"))


def test_after_authentication_manual_confirmation_returns_to_requires_confirmation():
    row = PAYMENT_INTENT.decide(Status.REQUIRES_ACTION, Action.AUTHENTICATE,
                                Attempt(confirmation_method="manual", bank="declines"))
    assert row.target is Status.REQUIRES_CONFIRMATION and row.events == ()


def test_increments_stop_at_the_limit_the_table_cites():
    assert LIMITS["incremental_authorizations"].value == 10
    with pytest.raises(MoveRefused) as refused:
        PAYMENT_INTENT.decide(Status.REQUIRES_CAPTURE, Action.INCREMENT_AUTHORIZATION,
                              Attempt(increments_exhausted=True))
    assert refused.value.refusal is not None
    assert refused.value.refusal.code == "intent_invalid_state"


def test_automatic_cancels_say_why_in_the_row():
    reasons = {(r.action, r.sets.get("cancellation_reason")) for r in TRANSITIONS
               if r.target is Status.CANCELED and r.action is not Action.CANCEL}
    assert reasons == {(Action.CONFIRM, "automatic"), (Action.AUTHENTICATE, "automatic"),
                       (Action.FAIL_AUTHENTICATION, "automatic"),
                       (Action.SETTLE, "automatic"), (Action.EXPIRE, "expired")}


def test_every_row_that_emits_a_charge_event_has_an_effect_that_makes_or_changes_one():
    for row in TRANSITIONS:
        if any(e.startswith("charge.") for e in row.events):
            assert row.effect, row


def test_every_row_and_refusal_cites_a_public_stripe_page():
    for item in (*TRANSITIONS, *REFUSALS, *LIMITS.values()):
        assert item.url.startswith("https://docs.stripe.com/"), item
    for row in TRANSITIONS:
        assert "seed" not in row.note and "§" not in row.note and "T1" not in row.note


def test_overlapping_guards_are_refused_by_the_check():
    greedy = Guard("greedy", "always", lambda _facts: True)
    rows = list(TRANSITIONS)
    rows[-1] = Transition(Status.PROCESSING, Action.CANCEL, Status.CANCELED,
                          ("charge.failed", "payment_intent.canceled"), greedy, "x",
                          "https://docs.stripe.com/")
    _broken(tuple(rows))


def test_a_gap_in_the_guards_is_refused_by_the_check():
    # without the confirm -> processing rows, a bank debit's confirm has no answer
    _broken(tuple(r for r in TRANSITIONS
                  if not (r.action is Action.CONFIRM and r.target is Status.PROCESSING)))
