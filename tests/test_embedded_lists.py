"""The lists older API versions embed: an intent's charges and a charge's refunds, as they
are when the object is read, over Python and HTTP alike."""

from __future__ import annotations

import json

import pytest

import paykit
from paykit.http.routes import handle

OLD = "2022-08-01"  # before 2022-11-15: charges on intents, refunds on charges
KEY = {"Authorization": "Bearer sk_test_lists"}


def test_an_intent_lists_every_attempts_charge_newest_first():
    sb = paykit.Sandbox(seed=0, api_version=OLD)
    pi = sb.payment_intents.create(amount=1000, currency="usd")
    with pytest.raises(paykit.CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    charges = pi.to_dict()["charges"]
    assert [c["status"] for c in charges["data"]] == ["succeeded", "failed"]
    assert charges["data"][0]["id"] == pi.latest_charge
    assert (charges["total_count"], charges["has_more"], charges["url"]) == (
        2, False, f"/v1/charges?payment_intent={pi.id}")


def test_a_snapshot_keeps_the_charges_it_had():
    sb = paykit.Sandbox(seed=0, api_version=OLD)
    pi = sb.payment_intents.create(amount=1000, currency="usd")
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert pi.to_dict()["charges"]["data"] == []  # read before the payment


def test_a_charge_lists_its_refunds_and_the_charge_inside_the_intent_too():
    sb = paykit.Sandbox(seed=0, api_version=OLD)
    pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                   payment_method="pm_card_visa")
    first = sb.refunds.create(payment_intent=pi.id, amount=300)
    second = sb.refunds.create(payment_intent=pi.id, amount=200)
    refunds = sb.charges.retrieve(pi.latest_charge).to_dict()["refunds"]
    assert [r["id"] for r in refunds["data"]] == [second.id, first.id]
    assert refunds["url"] == f"/v1/charges/{pi.latest_charge}/refunds"
    inner = sb.payment_intents.retrieve(pi.id).to_dict()["charges"]["data"][0]
    assert inner["refunds"]["total_count"] == 2


def test_a_current_sandbox_embeds_them_for_an_old_header():
    sb = paykit.Sandbox(seed=0)
    pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                   payment_method="pm_card_visa")
    sb.refunds.create(payment_intent=pi.id, amount=300)
    status, _, body = handle(sb, "GET", f"/v1/payment_intents/{pi.id}", "",
                             {**KEY, "Stripe-Version": OLD}, b"")
    charges = json.loads(body)["charges"]
    assert status == 200 and charges["data"][0]["refunds"]["total_count"] == 1
    _, _, body = handle(sb, "GET", f"/v1/payment_intents/{pi.id}", "", KEY, b"")
    assert "charges" not in json.loads(body)


def test_events_of_an_old_account_embed_the_lists_as_they_are_read():
    sb = paykit.Sandbox(seed=0, api_version=OLD)
    pi = sb.payment_intents.create(amount=1000, currency="usd", confirm=True,
                                   payment_method="pm_card_visa")
    succeeded = next(e for e in sb.events.list(limit=None)
                     if e.type == "payment_intent.succeeded")
    assert succeeded.data.object.charges.data[0].id == pi.latest_charge
