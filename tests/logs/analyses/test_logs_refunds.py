"""Refunds in a log: amounts per currency, the refund rate, refunds per intent."""

from __future__ import annotations

import pandas as pd

import paykit
import paykit.logs as pl
from paykit.logs import refunds


def _sandbox_log():
    sb = paykit.Sandbox(seed=0)
    twice = sb.payment_intents.create(amount=2000, currency="usd", confirm=True,
                                      payment_method="pm_card_visa")
    sb.refunds.create(payment_intent=twice.id, amount=500)
    sb.refunds.create(payment_intent=twice.id)  # the rest: 1500
    partly = sb.payment_intents.create(amount=1000, currency="eur", confirm=True,
                                       payment_method="pm_card_visa")
    sb.refunds.create(payment_intent=partly.id, amount=100)
    sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                              payment_method="pm_card_visa")
    with __import__("contextlib").suppress(paykit.CardError):
        sb.payment_intents.create(amount=700, currency="usd", confirm=True,
                                  payment_method="pm_card_chargeDeclined")
    return pl.from_sandbox(sb)


def test_an_event_log_counts_each_refund():
    result = refunds(_sandbox_log())
    s = result.summary
    assert (s["paid_charges"], s["refunded_charges"], s["fully_refunded"],
            s["partially_refunded"], s["refunds"], s["refunded_intents"]) == (3, 2, 1, 1, 3, 2)
    assert abs(s["refund_rate"] - 2 / 3) < 1e-9
    usd, eur = result.by_currency.loc["usd"], result.by_currency.loc["eur"]
    assert (usd["amount_paid"], usd["amount_refunded"]) == (3000, 2000)
    assert (eur["amount_paid"], eur["amount_refunded"], eur["refunded_share"]) == (1000, 100,
                                                                                   0.1)
    assert result.per_intent["intents"].to_dict() == {1: 1, 2: 1}
    assert str(result) == "2 of 3 paid charges refunded (66.7%; 1 in full), 3 refunds"


def test_an_export_counts_a_refunded_charge_once():
    log = pd.DataFrame({
        "intent": ["pi_1", "pi_2", "pi_3"], "charge": ["ch_1", "ch_2", "ch_3"],
        "event": [pd.NA] * 3, "status": ["succeeded", "succeeded", "requires_payment_method"],
        "amount": pd.array([1000, 500, 800], dtype="Int64"),
        "amount_refunded": pd.array([250, 0, 0], dtype="Int64"),
        "currency": ["usd", "usd", "usd"],
    })
    result = refunds(log)
    assert (result.summary["paid_charges"], result.summary["refunds"]) == (2, 1)
    assert result.by_currency.loc["usd", "amount_refunded"] == 250


def test_a_log_without_charges_has_nothing_refunded():
    result = refunds(pd.DataFrame({"intent": ["pi_1"], "charge": [None], "event": ["x"],
                                   "status": ["succeeded"], "amount": [1],
                                   "amount_refunded": [None], "currency": ["usd"]}))
    assert result.summary["paid_charges"] == 0 and "nothing could be refunded" in str(result)


def test_analyse_reports_refunds():
    text = pl.analyse(_sandbox_log()).summary()
    assert "Refunds\n  2 of 3 paid charges refunded" in text
    assert "usd" in text and "2,000 of 3,000 refunded" in text
