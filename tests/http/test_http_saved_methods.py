"""The saved-card and refund flows of Stripe's guides, through the official SDK, in-process
and over loopback HTTP (the ``sdk`` fixture runs each flow both ways).

https://docs.stripe.com/payments/save-and-reuse, https://docs.stripe.com/refunds and
https://docs.stripe.com/testing#refunds: save a card on a first payment and charge it off
session a week later; set one up with a SetupIntent and 3D Secure first; an off-session
``authentication_required`` decline recovered on session; a partial then a full refund;
an asynchronous refund that settles with the clock.
"""

from __future__ import annotations

from typing import Any

import pytest

stripe = pytest.importorskip("stripe")

from tests.http.conftest import Transport  # noqa: E402  (``sdk`` is the conftest's fixture)


def _customer(sdk: Transport) -> str:
    return sdk.v1.customers.create(params={"email": "jenny.rosen@example.com"}).id


def _pay(sdk: Transport, **params: Any) -> Any:
    return sdk.intents.create(params={"amount": 2000, "currency": "usd", "confirm": True,
                                      **params})


def test_save_a_card_on_a_first_payment_and_charge_it_off_session_a_week_later(sdk):
    customer = _customer(sdk)
    first = _pay(sdk, customer=customer, setup_future_usage="off_session",
                 payment_method="pm_card_visa")
    assert first.status == "succeeded"
    saved = sdk.v1.customers.payment_methods.list(customer).data
    assert [m.id for m in saved] == [first.payment_method]
    sdk.advance(days=7)
    later = _pay(sdk, customer=customer, payment_method=first.payment_method,
                 off_session=True)
    assert later.status == "succeeded" and later.customer == customer
    types = [e.type for e in sdk.v1.events.list(params={"limit": 20}).data]
    assert "payment_method.attached" in types


def test_a_setup_intent_with_3d_secure_then_an_off_session_payment(sdk):
    customer = _customer(sdk)
    setup = sdk.v1.setup_intents.create(params={
        "customer": customer, "confirm": True,
        "payment_method": "pm_card_authenticationRequiredOnSetup"})
    assert isinstance(setup, stripe.SetupIntent) and setup.status == "requires_action"
    setup = sdk.helper(f"setup_intents/{setup.id}/authenticate")
    assert setup.status == "succeeded"
    later = _pay(sdk, customer=customer, payment_method=setup.payment_method,
                 off_session=True)
    assert later.status == "succeeded"


def test_an_off_session_decline_is_recovered_on_session(sdk):
    customer = _customer(sdk)
    setup = sdk.v1.setup_intents.create(params={
        "customer": customer, "confirm": True, "usage": "on_session",
        "payment_method": "pm_card_authenticationRequired"})
    setup = sdk.helper(f"setup_intents/{setup.id}/authenticate")
    with pytest.raises(stripe.CardError) as declined:
        _pay(sdk, customer=customer, payment_method=setup.payment_method, off_session=True)
    error = declined.value
    assert (error.http_status, error.code) == (402, "authentication_required")
    intent = error.error.payment_intent
    assert intent.status == "requires_payment_method"
    # the customer is back: confirm on session with the same method, then 3D Secure
    again = sdk.intents.confirm(intent.id, params={"payment_method": setup.payment_method})
    assert again.status == "requires_action"
    assert sdk.authenticate(intent.id).status == "succeeded"


def test_a_partial_then_a_full_refund(sdk):
    paid = _pay(sdk, payment_method="pm_card_visa")
    partial = sdk.v1.refunds.create(params={"payment_intent": paid.id, "amount": 500,
                                            "reason": "requested_by_customer"})
    assert isinstance(partial, stripe.Refund) and partial.amount == 500
    rest = sdk.v1.refunds.create(params={"charge": paid.latest_charge})
    assert rest.amount == 1500
    charge = sdk.v1.charges.retrieve(paid.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (2000, True)
    with pytest.raises(stripe.InvalidRequestError) as again:
        sdk.v1.refunds.create(params={"payment_intent": paid.id})
    assert again.value.code == "charge_already_refunded"
    listed = sdk.v1.refunds.list(params={"payment_intent": paid.id}).data
    assert [r.id for r in listed] == [rest.id, partial.id]


def test_an_asynchronous_refund_settles_with_the_clock(sdk):
    paid = _pay(sdk, payment_method="pm_card_pendingRefund")
    refund = sdk.v1.refunds.create(params={"payment_intent": paid.id})
    assert refund.status == "pending"
    sdk.advance(days=1)
    assert sdk.v1.refunds.retrieve(refund.id).status == "succeeded"


def test_customers_and_payment_methods_over_the_sdk(sdk):
    customer = sdk.v1.customers.create(params={"name": "Jenny", "metadata": {"a": "1"}})
    pm = sdk.v1.payment_methods.create(params={
        "type": "card", "card": {"number": "4242424242424242", "exp_month": 12,
                                 "exp_year": 2030},
        "billing_details": {"name": "Jenny Rosen"}})
    assert pm.card.exp_year == 2030 and pm.billing_details.name == "Jenny Rosen"
    attached = sdk.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    assert attached.customer == customer.id
    updated = sdk.v1.customers.update(customer.id, params={"name": "Jenny R"})
    assert updated.name == "Jenny R"
    detached = sdk.v1.payment_methods.detach(pm.id)
    assert detached.customer is None
    deleted = sdk.v1.customers.delete(customer.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as reuse:
        sdk.v1.payment_methods.attach(pm.id, params={"customer": _customer(sdk)})
    assert "may not be used again" in str(reuse.value.user_message)


def test_search_through_the_sdk(sdk):
    for order in ("6735", "6736"):
        _pay(sdk, payment_method="pm_card_visa", metadata={"order_id": order})
    found = sdk.intents.search(params={"query": "metadata['order_id']:'6736'"})
    assert [p.metadata["order_id"] for p in found.data] == ["6736"]
    charges = sdk.v1.charges.search(params={"query": "amount:2000", "limit": 1})
    assert len(charges.data) == 1 and charges.has_more and charges.next_page
