"""charge_table: one row per payment attempt, with authorised, captured, declined, pending."""

from __future__ import annotations

import json

import pandas as pd

from paykit.logs import charge_table, read_events
from tests.logs.conftest import T0


def _table(events):
    return charge_table(read_events(json.dumps(events).encode()).log).set_index("charge")


def test_a_held_authorisation_is_authorised_but_not_captured_until_captured(pi_event,
                                                                           charge_event):
    e, c = pi_event, charge_event
    held = [e("pi_H", "payment_intent.created", T0, "requires_payment_method"),
            c("pi_H", "charge.succeeded", T0 + 5, "ch_H", captured=False),
            e("pi_H", "payment_intent.amount_capturable_updated", T0 + 5, "requires_capture",
              charge="ch_H")]
    row = _table(held).loc["ch_H"]
    assert (row["authorised"], row["captured"]) == (True, False)
    captured = [*held, c("pi_H", "charge.captured", T0 + 50, "ch_H"),
                e("pi_H", "payment_intent.succeeded", T0 + 50, "succeeded", charge="ch_H")]
    assert _table(captured).loc["ch_H", "captured"]


def test_every_attempt_is_authorised_declined_or_pending_and_only_one(scenario):
    table = _table(scenario)
    flags = table[["authorised", "declined", "pending"]]
    assert (flags.sum(axis=1) == 1).all()
    assert table.index[table["declined"]].tolist() == ["ch_B1", "ch_B2", "ch_D1"]
    assert table.loc["ch_F1", "paid_at"] == pd.Timestamp(T0 + 5 + 4 * 86_400, unit="s",
                                                         tz="UTC")


def test_attributes_missing_on_the_charge_come_from_its_intent(pi_event, charge_event):
    events = [pi_event("pi_A", "payment_intent.created", T0, "requires_payment_method",
                       customer="cus_1"),
              charge_event("pi_A", "charge.succeeded", T0 + 5, "ch_A")]
    assert _table(events).loc["ch_A", "customer"] == "cus_1"


def test_the_first_refund_event_dates_the_refund(scenario, charge_event):
    refunds = [charge_event("pi_A", "charge.refunded", T0 + 3600, "ch_A1", amount_refunded=400),
               charge_event("pi_A", "charge.refunded", T0 + 7200, "ch_A1",
                            amount_refunded=1000)]
    row = _table([*scenario, *refunds]).loc["ch_A1"]
    assert row["refunded_at"] == pd.Timestamp(T0 + 3600, unit="s", tz="UTC")
    assert row["amount_refunded"] == 1000  # cumulative: the largest
