"""Analyses on partial logs say what the log cannot tell, and never crash on it.

A webhook log that holds only ``succeeded`` and ``payment_failed`` events starts after
creation; a CSV export or an object dump has no timestamp per status; a log may hold
one event, or none. Each test below is a hand-built log with a known answer.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import paykit.logs as pl

T0 = 1_767_225_600


@pytest.fixture
def webhook_log(pi_event):
    """Five intents seen only through their outcome events (the log starts later)."""
    events = [
        pi_event("pi_1", "payment_intent.succeeded", T0 + 10, "succeeded"),
        pi_event("pi_2", "payment_intent.succeeded", T0 + 20, "succeeded"),
        pi_event("pi_3", "payment_intent.payment_failed", T0 + 30, "requires_payment_method",
                 decline="insufficient_funds"),
        pi_event("pi_4", "payment_intent.payment_failed", T0 + 40, "requires_payment_method",
                 decline=51),
        pi_event("pi_4", "payment_intent.succeeded", T0 + 100, "succeeded"),
        pi_event("pi_5", "payment_intent.canceled", T0 + 50, "canceled"),
    ]
    return pl.read_events(events).log


def test_a_log_that_starts_after_creation_leaves_the_created_step_unknown(webhook_log):
    f = pl.funnel(webhook_log)
    steps = f.table.set_index("step")
    assert pd.isna(steps.loc["created", "intents"])
    assert steps["of_created"].isna().all()
    assert steps.loc["attempted", "intents"] == 4 and steps.loc["succeeded", "intents"] == 3
    assert f.note.startswith("5 of 5 intents were first seen after their creation")


def test_a_log_that_starts_after_creation_still_measures_what_it_saw(webhook_log):
    t = pl.time_in_status(webhook_log)
    assert t.available and t.note is None
    assert t.table.loc["requires_payment_method", "stays"] == 1
    assert t.table.loc["requires_payment_method", "median"] == pd.Timedelta(seconds=60)


def test_a_decline_code_that_is_a_number_is_read_as_text(webhook_log):
    codes = pl.declines(webhook_log).codes
    assert codes["declines"].to_dict() == {"insufficient_funds": 1, "51": 1}
    assert codes.loc["51", "recovered"] == 1


def test_with_creation_seen_for_every_intent_the_funnel_is_unchanged(scenario_log):
    f = pl.funnel(scenario_log)
    assert f.note is None
    assert f.table.set_index("step")["intents"].tolist() == [6, 5, 1, 4]


def test_a_log_with_creation_seen_for_some_intents_says_how_many_were_not(pi_event):
    events = [
        pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method"),
        pi_event("pi_1", "payment_intent.succeeded", T0 + 5, "succeeded"),
        pi_event("pi_2", "payment_intent.succeeded", T0 + 9, "succeeded"),
    ]
    f = pl.funnel(pl.read_events(events))
    assert f.note.startswith("1 of 2 intents were first seen after their creation")
    assert pd.isna(f.table.set_index("step").loc["created", "intents"])


def test_the_funnel_by_group_is_unknown_only_where_creation_was_missed(pi_event):
    events = [
        pi_event("pi_1", "payment_intent.created", T0, "requires_payment_method"),
        pi_event("pi_2", "payment_intent.succeeded", T0 + 9, "succeeded", currency="eur"),
    ]
    wide = pl.funnel(pl.read_events(events), by="currency").wide()
    assert wide.loc["created", "usd"] == 1 and pd.isna(wide.loc["created", "eur"])


@pytest.mark.parametrize("events", [
    [],
    ["succeeded"],
    ["created"],
    ["succeeded", "canceled"],
])
def test_every_analysis_runs_on_logs_with_no_transition(pi_event, events):
    log = pl.read_events([
        pi_event(f"pi_{i}", f"payment_intent.{kind}", T0 + i,
                 {"created": "requires_payment_method"}.get(kind, kind))
        for i, kind in enumerate(events)
    ]).log
    result = pl.analyse(log)
    assert result.time_in_status.note.startswith("time in status not available")
    assert not result.time_in_status.available
    assert result.time_in_status.table["median"].isna().all()
    text = result.summary()
    assert "time in status not available" in text
    assert "0 days" not in text


def _payments_csv(*rows: str) -> bytes:
    header = "id,Created date (UTC),Amount,Currency,Status,PaymentIntent ID,Decline Reason"
    return "\n".join([header, *rows, ""]).encode()


def test_a_csv_with_one_attempt_per_intent_has_no_time_in_status_not_zero():
    data = _payments_csv("ch_1,2026-01-01 10:00:00,10.00,usd,Paid,pi_1,",
                         "ch_2,2026-01-01 11:00:00,10.00,usd,Failed,pi_2,do_not_honor")
    t = pl.time_in_status(pl.read(data))
    assert not t.available
    assert "none of the" in t.note and "has its own timestamp" in t.note
    assert (t.table["stays"] == 0).all()


def test_a_csv_measures_the_time_between_two_real_attempts():
    data = _payments_csv("ch_1,2026-01-01 10:00:00,10.00,usd,Failed,pi_1,do_not_honor",
                         "ch_2,2026-01-01 10:30:00,10.00,usd,Paid,pi_1,")
    t = pl.time_in_status(pl.read(data))
    assert t.table.loc["requires_payment_method", "stays"] == 1
    assert t.table.loc["requires_payment_method", "median"] == pd.Timedelta(minutes=30)


def test_an_object_dump_has_no_time_in_status():
    objects = [{"id": f"pi_{k}", "object": "payment_intent", "created": T0 + k,
                "status": "succeeded", "amount": 100, "currency": "usd"} for k in range(3)]
    t = pl.time_in_status(pl.read(json.dumps(objects).encode()))
    assert not t.available and t.note is not None


def test_events_keep_their_measured_times(scenario_log):
    t = pl.time_in_status(scenario_log)
    assert t.note is None
    assert t.table.loc["processing", "median"] == pd.Timedelta(days=4)


def test_an_unknown_group_column_lists_the_columns_there_are(scenario_log):
    with pytest.raises(ValueError, match="no column 'tier'") as error:
        pl.analyse(scenario_log, by="tier")
    assert "currency" in str(error.value) and "payment_method_type" in str(error.value)
    assert "card_brand" not in str(error.value)  # empty here: not offered


def test_a_group_column_the_export_did_not_carry_says_so(scenario_log):
    with pytest.raises(ValueError, match="column 'Card Brand' is empty in this log"):
        pl.analyse(scenario_log, by="Card Brand")


def test_declines_accept_a_hand_built_log_whose_codes_are_not_text(scenario_log):
    log = scenario_log.copy()
    codes = log["decline_code"].astype(object)
    codes[codes == "insufficient_funds"] = 51
    log["decline_code"] = codes
    d = pl.declines(log)
    assert d.codes.loc["51", "declines"] == 1 and d.summary["declines"] == 3
    assert "Declines" in pl.analyse(log).summary()
