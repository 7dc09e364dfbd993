"""The test payment methods: the table, and reading card numbers, IBANs and accounts."""

from __future__ import annotations

import pytest

from paykit import CardError, InvalidRequestError
from paykit.payment_methods import (
    TEST_PAYMENT_METHODS,
    find_by_card_number,
    find_by_iban,
    find_test_method,
    luhn_valid,
)


@pytest.mark.parametrize("number, valid", [
    ("4242424242424242", True), ("4242 4242 4242 4242", True), ("378282246310005", True),
    ("4242424242424241", False), ("4000056655665557", False),
])
def test_the_luhn_check(number, valid):
    assert luhn_valid(number.replace(" ", "")) is valid


def test_a_test_card_number_finds_its_row_however_it_is_spaced():
    assert find_by_card_number("4242 4242 4242 4242") is TEST_PAYMENT_METHODS["pm_card_visa"]
    assert find_by_card_number("4000000000009995") is \
        TEST_PAYMENT_METHODS["pm_card_chargeDeclinedInsufficientFunds"]
    assert find_by_card_number("4111111111111111") is None  # valid, but no test card


def test_a_sepa_test_iban_finds_its_row_in_any_case_and_spacing():
    assert find_by_iban("at32 1904 3002 3547 3204") is TEST_PAYMENT_METHODS["pm_sepaDebit"]


@pytest.mark.parametrize("kind, details, token", [
    ("card", {"card": {"number": "4242424242424242"}}, "pm_card_visa"),
    ("sepa_debit", {"sepa_debit": {"iban": "AT321904300235473204"}}, "pm_sepaDebit"),
    ("us_bank_account", {"us_bank_account": {"account_number": "000123456789"}},
     "pm_usBankAccount"),
])
def test_find_test_method_reads_each_modelled_type(kind, details, token):
    assert find_test_method(kind, details) is TEST_PAYMENT_METHODS[token]


@pytest.mark.parametrize("kind, details, error, code, param", [
    ("card", {}, InvalidRequestError, "parameter_missing", "card[number]"),
    ("card", {"card": "4242"}, InvalidRequestError, "parameter_missing", "card[number]"),
    ("card", {"card": {"number": "4242424242424241"}}, CardError, "incorrect_number",
     "number"),
    ("card", {"card": {"number": "4111111111111111"}}, CardError, "card_declined", None),
    ("sepa_debit", {"sepa_debit": {"iban": "DE00"}}, InvalidRequestError,
     "invalid_bank_account_iban", "sepa_debit[iban]"),
    ("us_bank_account", {}, InvalidRequestError, "account_number_invalid",
     "us_bank_account[account_number]"),
    ("ideal", {}, InvalidRequestError, "parameter_invalid_string", "type"),
    (None, {}, InvalidRequestError, "parameter_invalid_string", "type"),
])
def test_find_test_method_refuses_with_the_parameter_named(kind, details, error, code, param):
    with pytest.raises(error) as refused:
        find_test_method(kind, details)
    assert (refused.value.code, refused.value.param) == (code, param)
    with pytest.raises(error) as nested:
        find_test_method(kind, details, prefix="payment_method_data")
    if error is CardError:  # a card error names the card's own field, wherever it came from
        assert nested.value.param == param
    else:
        head, bracket, rest = param.partition("[")
        assert nested.value.param == f"payment_method_data[{head}]{bracket}{rest}"


def test_a_live_card_number_is_refused_as_test_mode_refuses_it():
    with pytest.raises(CardError) as refused:
        find_test_method("card", {"card": {"number": "4111111111111111"}})
    assert refused.value.decline_code == "test_mode_live_card"
