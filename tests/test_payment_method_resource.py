"""sb.payment_methods: create with details, attach, detach, update, list; and the
PaymentMethod table that says when a method may be used again."""

from __future__ import annotations

import pytest

import paykit
from paykit.payment_method_lifecycle import (
    PAYMENT_METHOD,
    REUSE_REFUSED,
    MethodAction,
    MethodFacts,
    MethodStatus,
)


def _card(sb, **extra):
    return sb.payment_methods.create(
        type="card", card={"number": "4242424242424242", "exp_month": 8, "exp_year": 2030},
        **extra)


def test_create_keeps_what_it_is_sent(sb):
    pm = _card(sb, billing_details={"name": "Jenny Rosen", "address": {"country": "FR"}},
               metadata={"k": "v"}, allow_redisplay="always")
    assert pm.id.startswith("pm_") and pm.customer is None
    assert pm.card.exp_year == 2030 and pm.card.last4 == "4242"
    assert pm.billing_details.name == "Jenny Rosen"
    assert pm.billing_details.address.country == "FR"
    assert pm.billing_details.address.city is None
    assert (pm.metadata, pm.allow_redisplay) == ({"k": "v"}, "always")
    assert sb.payment_methods.retrieve(pm.id) == pm


def test_the_documented_german_test_iban_works(sb):
    pm = sb.payment_methods.create(type="sepa_debit",
                                   sepa_debit={"iban": "DE89370400440532013000"})
    assert (pm.type, pm.sepa_debit.last4, pm.sepa_debit.country) == ("sepa_debit", "3000",
                                                                     "DE")


@pytest.mark.parametrize(("params", "param"), [
    ({"type": "card", "card": {"number": "4242424242424242", "exp_month": "x",
                               "exp_year": 2030}}, "card[exp_month]"),
    ({"type": "card", "allow_redisplay": "sometimes", "card": {"number": "4242424242424242",
                                                               "exp_month": 1,
                                                               "exp_year": 2030}},
     "allow_redisplay"),
    ({"card": {"number": "4242424242424242"}}, "type"),
])
def test_bad_parameters_are_named(sb, params, param):
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.payment_methods.create(**params)
    assert error.value.param == param


def test_attach_and_detach_emit_their_events_and_detach_is_final(sb):
    customer = sb.customers.create()
    pm = sb.payment_methods.attach(_card(sb).id, customer=customer.id)
    assert pm.customer == customer.id
    assert sb.events.list(limit=1).data[0].type == "payment_method.attached"
    detached = sb.payment_methods.detach(pm.id)
    assert detached.customer is None
    assert sb.events.list(limit=1).data[0].type == "payment_method.detached"
    with pytest.raises(paykit.InvalidRequestError, match="may not be used again"):
        sb.payment_methods.attach(pm.id, customer=customer.id)
    with pytest.raises(paykit.InvalidRequestError, match="not attached to a customer"):
        sb.payment_methods.detach(pm.id)


def test_attach_refusals(sb):
    first, second = sb.customers.create(), sb.customers.create()
    pm = sb.payment_methods.attach(_card(sb).id, customer=first.id)
    assert sb.payment_methods.attach(pm.id, customer=first.id).customer == first.id
    with pytest.raises(paykit.InvalidRequestError, match="already been attached"):
        sb.payment_methods.attach(pm.id, customer=second.id)
    with pytest.raises(paykit.InvalidRequestError) as missing:
        sb.payment_methods.attach(pm.id)
    assert missing.value.param == "customer"
    with pytest.raises(paykit.InvalidRequestError, match="No such customer"):
        sb.payment_methods.attach(_card(sb).id, customer="cus_nobody")
    with pytest.raises(paykit.CardError) as declined:
        sb.payment_methods.attach("pm_card_chargeDeclined", customer=first.id)
    assert declined.value.http_status == 402 and "Decline after attaching" in \
        declined.value.message
    assert sb.payment_methods.attach("pm_card_chargeCustomerFail", customer=first.id)


def test_update_needs_an_attached_method(sb):
    pm = _card(sb)
    with pytest.raises(paykit.InvalidRequestError, match="save this PaymentMethod"):
        sb.payment_methods.update(pm.id, metadata={"a": "1"})
    customer = sb.customers.create()
    sb.payment_methods.attach(pm.id, customer=customer.id)
    updated = sb.payment_methods.update(pm.id, metadata={"a": "1"},
                                        billing_details={"email": "j@example.com"})
    assert updated.metadata == {"a": "1"} and updated.billing_details.email == \
        "j@example.com"
    event = sb.events.list(limit=1).data[0]
    assert event.type == "payment_method.updated"
    assert event.data.previous_attributes["metadata"] == {}


def test_list_shows_saved_methods_by_customer_and_type(sb):
    customer = sb.customers.create()
    card = sb.payment_methods.attach("pm_card_visa", customer=customer.id)
    debit = sb.payment_methods.attach("pm_sepaDebit", customer=customer.id)
    _card(sb)  # not saved: not listed
    assert {m.id for m in sb.payment_methods.list(customer=customer.id).data} == {card.id,
                                                                                  debit.id}
    assert [m.id for m in sb.payment_methods.list(customer=customer.id, type="card").data] \
        == [card.id]
    assert sb.customers.list_payment_methods(customer.id, type="sepa_debit").data[0].id == \
        debit.id


def test_a_method_used_without_a_customer_is_spent(sb):
    first = sb.payment_intents.create(amount=1000, currency="usd",
                                      payment_method="pm_card_visa", confirm=True)
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.payment_intents.create(amount=1000, currency="usd",
                                  payment_method=first.payment_method, confirm=True)
    assert error.value.message == REUSE_REFUSED and error.value.code is None
    with pytest.raises(paykit.InvalidRequestError, match="may not be used again"):
        sb.payment_methods.attach(first.payment_method, customer=sb.customers.create().id)


def test_a_method_attached_to_one_customer_cannot_pay_for_another(sb):
    owner, other = sb.customers.create(), sb.customers.create()
    pm = sb.payment_methods.attach("pm_card_visa", customer=owner.id)
    with pytest.raises(paykit.InvalidRequestError, match="other Customers"):
        sb.payment_intents.create(amount=1000, currency="usd", customer=other.id,
                                  payment_method=pm.id, confirm=True)
    with pytest.raises(paykit.InvalidRequestError, match="pass that customer"):
        sb.payment_intents.create(amount=1000, currency="usd", payment_method=pm.id,
                                  confirm=True)
    for _ in range(2):  # saved: reusable for its customer
        paid = sb.payment_intents.create(amount=1000, currency="usd", customer=owner.id,
                                         payment_method=pm.id, confirm=True)
        assert paid.status == "succeeded"


def test_setup_future_usage_with_a_customer_attaches_on_success(sb):
    customer = sb.customers.create()
    pi = sb.payment_intents.create(amount=1000, currency="usd", customer=customer.id,
                                   setup_future_usage="off_session",
                                   payment_method="pm_card_visa", confirm=True)
    assert sb.payment_methods.retrieve(pi.payment_method).customer == customer.id
    types = [e.type for e in sb.events.list(limit=4)]
    assert "payment_method.attached" in types


def test_a_declined_intent_may_retry_its_own_method(sb):
    pi = sb.payment_intents.create(amount=1000, currency="usd", confirmation_method="manual",
                                   payment_method="pm_card_authenticationRequired",
                                   confirm=True)
    pi = sb.payment_intents.authenticate(pi.id)
    assert sb.payment_intents.confirm(pi.id).status == "succeeded"


def test_the_table_answers_every_question():
    assert PAYMENT_METHOD.check_decisions() > 0
    decide = PAYMENT_METHOD.decide
    assert decide(MethodStatus.UNUSED, MethodAction.USE,
                  MethodFacts("same", saves=True)).target is MethodStatus.UNUSED
    assert decide(MethodStatus.UNUSED, MethodAction.USE,
                  MethodFacts("same")).target is MethodStatus.CONSUMED
    assert PAYMENT_METHOD.terminal == {MethodStatus.CONSUMED, MethodStatus.DETACHED}
