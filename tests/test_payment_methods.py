"""The test payment methods: the table, and reading card numbers, IBANs and accounts."""

from __future__ import annotations

import pytest

from paykit import CardError, InvalidRequestError, Sandbox
from paykit.payment_methods import (
    BANK_DEBIT_TYPES,
    METHOD_TYPES,
    MODELLED_TYPES,
    SETTLEMENT_DELAY_SECONDS,
    TEST_PAYMENT_METHODS,
    compatible_types,
    debit_types,
    find_by_card_number,
    find_by_iban,
    find_test_method,
    luhn_valid,
    method_options,
    retyped,
    types_for,
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


# -- the modelled types: one table -------------------------------------------------------


def test_the_modelled_types_are_card_and_two_bank_debits():
    assert MODELLED_TYPES == ("card", "sepa_debit", "us_bank_account")
    assert {"sepa_debit", "us_bank_account"} == BANK_DEBIT_TYPES
    assert dict(SETTLEMENT_DELAY_SECONDS) == {"sepa_debit": 5 * 86_400,
                                              "us_bank_account": 4 * 86_400}


def test_every_test_method_is_of_a_modelled_type_and_pays_in_its_types_currencies():
    for pm in TEST_PAYMENT_METHODS.values():
        row = METHOD_TYPES[pm.type]
        assert pm.currencies == row.currencies
        assert pm.is_bank_debit is row.bank_debit


def test_the_bank_debits_a_currency_can_use():
    assert debit_types("eur") == ("sepa_debit",)
    assert debit_types("usd") == ("us_bank_account",)
    assert debit_types("gbp") == ()


def test_method_options_are_the_defaults_the_api_shows_per_type_in_table_order():
    options = method_options(["us_bank_account", "card"])
    assert list(options) == ["card", "us_bank_account"]
    assert options == {
        "card": {"installments": None, "mandate_options": None, "network": None,
                 "request_three_d_secure": "automatic"},
        "us_bank_account": {"verification_method": "automatic"},
    }
    options["card"]["network"] = "visa"  # a new dict each time: the table is unchanged
    assert METHOD_TYPES["card"].options["network"] is None


def test_an_intent_shows_the_options_of_its_types():
    for currency in ("eur", "usd"):
        pi = Sandbox(seed=0).payment_intents.create(amount=1099, currency=currency)
        assert pi.to_dict()["payment_method_options"] == method_options(
            pi.to_dict()["payment_method_types"])


def test_an_unmodelled_type_is_refused_naming_the_modelled_ones():
    with pytest.raises(InvalidRequestError) as refused:
        find_test_method("ideal", {})
    assert refused.value.message == (
        "Invalid type: paykit models card, sepa_debit and us_bank_account, not 'ideal'.")


# -- which types an intent may use (allowed / excluded / automatic) ---------------------------


def test_compatible_types_keep_what_pays_in_the_currency_and_what_paykit_cannot_judge():
    assert compatible_types(["sepa_debit", "card", "klarna", "card"], "usd") == (
        "card", "klarna")


@pytest.mark.parametrize(("explicit", "allowed", "excluded", "automatic", "currency",
                          "expected"), [
    (["sepa_debit"], None, None, False, "eur", ("sepa_debit",)),
    (None, ["sepa_debit", "card"], None, False, "usd", ("card",)),
    (None, ["sepa_debit", "card"], None, False, None, ("sepa_debit", "card")),
    (None, None, ["card"], True, "eur", ("sepa_debit",)),
    (None, None, None, True, None, ("card", "sepa_debit", "us_bank_account")),
    (None, None, None, False, "usd", ("card",)),
])
def test_types_for_reads_the_choices_in_stripes_order(explicit, allowed, excluded,
                                                      automatic, currency, expected):
    assert types_for(explicit, allowed, excluded, automatic, currency) == expected


def test_retyped_turns_automatic_off_for_allowed_types_only():
    assert retyped(["card"], True, {"allowed_payment_method_types": ["card"]}, "usd") == (
        ("card",), False)
    assert retyped(["card", "us_bank_account"], True,
                   {"excluded_payment_method_types": ["card"]}, "usd") == (
        ("us_bank_account",), True)
    assert retyped(["card"], True, {"excluded_payment_method_types": ""}, "usd") == (
        ("card", "us_bank_account"), True)
