"""paykit.minting: each use of a test token mints a new payment method."""

from __future__ import annotations

import pytest

from paykit.errors import InvalidRequestError
from paykit.minting import method_in, mint, resolve_method
from paykit.payment_methods import TEST_PAYMENT_METHODS


def test_a_test_token_mints_a_new_payment_method_each_time(sb):
    account = sb._account
    first = resolve_method(account, "pm_card_visa")
    second = resolve_method(account, "pm_card_visa")
    assert first.id != second.id and first.token == second.token == "pm_card_visa"
    assert resolve_method(account, first.id) is first
    assert first.to_json()["card"]["last4"] == "4242"


def test_an_unknown_payment_method_is_a_stripe_error(sb):
    with pytest.raises(InvalidRequestError) as missing:
        resolve_method(sb._account, "pm_nope")
    assert (missing.value.code, missing.value.param) == ("resource_missing", "payment_method")


def test_payment_method_data_mints_from_the_details(sb):
    minted, new = method_in(sb._account, {"payment_method_data": {
        "type": "card", "card": {"number": "4000000000009995", "exp_month": 12,
                                 "exp_year": 2034, "cvc": "123"}}})
    assert minted is not None and new
    assert minted.test_method.decline is not None


def test_both_payment_method_and_its_data_are_refused(sb):
    with pytest.raises(InvalidRequestError) as both:
        method_in(sb._account, {"payment_method": "pm_card_visa",
                                "payment_method_data": {"type": "card"}})
    assert both.value.param == "payment_method_data"


def test_nothing_named_mints_nothing(sb):
    assert method_in(sb._account, {}) == (None, False)
    token, new = method_in(sb._account, {"payment_method": "pm_card_visa"})
    assert new and token is not None
    assert method_in(sb._account, {"payment_method": token.id}) == (token, False)
    assert mint(sb._account, TEST_PAYMENT_METHODS["pm_card_visa"]).id.startswith("pm_")
