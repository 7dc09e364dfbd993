"""Charges: stored compactly, replaced (never changed in place), shown as the API shows them."""

from __future__ import annotations

import gc

import pytest

from paykit import InvalidRequestError
from paykit.charges import new_charge
from paykit.payment_methods import TEST_PAYMENT_METHODS
from paykit.storage import CHARGE_FIELDS, CHARGE_JSON_FIELDS, CHARGE_NESTED_FIELDS, charge_json
from paykit.storage import charge_field as charge_value
from paykit.storage import charge_with as replace_charge


def _intent(sb):
    """The intent as the engine stores it (what a charge is made from)."""
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order": "42"})
    return sb._account.intents[pi.id]


def _charge(intent, **overrides):
    arguments = dict(
        charge_id="ch_test", intent=intent, pm=TEST_PAYMENT_METHODS["pm_card_visa"],
        pm_id="pm_test", exp_year=2029, created=1_767_225_600, status="succeeded",
        captured=True, decline=None, statement_text="PAYKIT SANDBOX",
        balance_transaction="txn_test",
    )
    return new_charge(**{**arguments, **overrides})


def test_a_new_charge_has_every_field_of_the_api_in_order(sb):
    charge = charge_json(_charge(_intent(sb)))
    assert tuple(charge) == CHARGE_JSON_FIELDS
    assert (charge["id"], charge["object"], charge["amount"], charge["currency"]) == (
        "ch_test", "charge", 1099, "usd")
    assert charge["amount_captured"] == 1099 and charge["captured"] is True
    assert charge["paid"] is True and charge["status"] == "succeeded"
    assert charge["failure_code"] is None and charge["failure_message"] is None
    assert charge["receipt_url"] == "https://pay.stripe.com/receipts/payment/ch_test"


def test_refunds_and_a_null_transfer_are_left_out_as_the_api_does(sb):
    # refunds: not included by default since API 2022-11-15 (list them by charge);
    # transfer: Stripe's schema does not allow null, the API omits it
    charge = charge_json(_charge(_intent(sb)))
    assert "refunds" not in charge and "transfer" not in charge
    assert "three_d_secure_usage" not in charge["payment_method_details"]["card"]
    assert charge["payment_method_details"]["card"]["three_d_secure"] is None


def test_an_uncaptured_charge_has_captured_nothing(sb):
    charge = charge_json(_charge(_intent(sb), captured=False, balance_transaction=None))
    assert (charge["captured"], charge["amount_captured"]) == (False, 0)


def test_a_declined_charge_carries_the_decline(sb):
    decline = TEST_PAYMENT_METHODS["pm_card_chargeDeclinedInsufficientFunds"].decline
    charge = charge_json(_charge(_intent(sb), status="failed", captured=False,
                                 decline=decline, balance_transaction=None))
    assert (charge["failure_code"], charge["paid"]) == ("card_declined", False)
    assert charge["outcome"]["reason"] == "insufficient_funds"


def test_the_charge_keeps_the_intents_metadata_as_it_was_then(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order": "42"},
                                   payment_method="pm_card_visa", confirm=True)
    sb.payment_intents.update(pi.id, metadata={"order": "changed"})
    charge = sb._account.charges[pi.latest_charge]
    assert charge_value(charge, "metadata") == {"order": "42"}
    assert sb.charges.retrieve(pi.latest_charge).metadata.to_dict() == {"order": "42"}


def test_nested_fields_are_stored_as_text_so_the_collector_forgets_the_charge(sb):
    charge = _charge(_intent(sb))
    for name in CHARGE_NESTED_FIELDS:  # the stored tuple itself (paykit.storage's form)
        stored = charge[CHARGE_FIELDS.index(name)]
        assert stored is None or isinstance(stored, str)
    gc.collect()
    assert not gc.is_tracked(charge)


def test_replace_charge_returns_a_new_tuple_and_leaves_the_old_one_alone(sb):
    charge = _charge(_intent(sb), captured=False)
    captured = replace_charge(charge, captured=True, amount_captured=500)
    assert charge_value(charge, "captured") is False
    assert (charge_value(captured, "captured"), charge_value(captured, "amount_captured")) \
        == (True, 500)
    assert charge_value(captured, "id") == charge_value(charge, "id")


def test_an_unknown_field_is_a_programming_error(sb):
    with pytest.raises(KeyError):
        replace_charge(_charge(_intent(sb)), capturd=True)


def test_retrieve_and_list_show_the_api_json(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   payment_method="pm_card_visa", confirm=True)
    charge = sb.charges.retrieve(pi.latest_charge)
    # every stored field but the two the API leaves out here (refunds, a null transfer)
    assert tuple(charge.to_dict()) == CHARGE_JSON_FIELDS
    assert [c.id for c in sb.charges.list(payment_intent=pi.id)] == [charge.id]
    with pytest.raises(InvalidRequestError) as missing:
        sb.charges.retrieve("ch_missing")
    assert (missing.value.code, missing.value.http_status) == ("resource_missing", 404)


def test_charges_list_filters_by_created(sb):
    first = sb.payment_intents.create(amount=1099, currency="usd",
                                      payment_method="pm_card_visa", confirm=True)
    start = sb.advance(days=1)
    second = sb.payment_intents.create(amount=1099, currency="usd",
                                       payment_method="pm_card_visa", confirm=True)
    assert [c.id for c in sb.charges.list(created={"gte": start})] == [second.latest_charge]
    assert [c.id for c in sb.charges.list(created={"lt": start})] == [first.latest_charge]
