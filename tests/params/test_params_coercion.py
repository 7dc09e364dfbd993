"""``paykit.params.coercion``: each value is read the way the API reads it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from params_helpers import BASE, codes, only

import paykit
from paykit.currencies import CURRENCIES
from paykit.errors import InvalidRequestError, StripeError
from paykit.http.forms import encode
from paykit.http.routes import handle
from paykit.params import (
    OPERATIONS,
    RULES,
    Kind,
    Problem,
    check,
    rules_for,
    validate,
)
from paykit.params.coercion import BOOLEAN_TEXT, as_list, boolean, coerce, integer


def test_integers_accept_ints_and_strings_of_digits() -> None:
    assert validate("create", {"amount": "1099", "currency": "usd"})["amount"] == 1099
    assert validate("create", {"amount": 1099, "currency": "usd"})["amount"] == 1099


@pytest.mark.parametrize("value", [10.99, 10.0, "10.99", "abc", " 1099", "+1099", True, None,
                                   [1099], {"a": 1}, "١٠٩٩", "9" * 5000, 10**30])
def test_anything_else_is_parameter_invalid_integer(value: object) -> None:
    problem = only(check("create", amount=value, currency="usd"))
    assert (problem.param, problem.code) == ("amount", "parameter_invalid_integer")
    assert problem.message.startswith("Invalid integer: ")


def test_a_float_amount_is_echoed_like_stripe_does() -> None:
    assert only(check("create", amount=10.99, currency="usd")).message == "Invalid integer: 10.99"


def test_an_empty_amount_is_parameter_invalid_empty_as_for_every_parameter() -> None:
    problem = only(check("create", amount="", currency="usd"))
    assert (problem.param, problem.code) == ("amount", "parameter_invalid_empty")
    assert problem.message == (
        "You passed an empty string for 'amount'. We assume empty values are an attempt to "
        "unset a parameter; however 'amount' cannot be unset. You should remove 'amount' from "
        "your request or supply a non-empty value."
    )


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False),
                                                 ("true", True), ("false", False),
                                                 ("True", True), ("False", False)])
def test_booleans_accept_bools_and_true_false_strings(value: object, expected: bool) -> None:
    """``True``/``False`` are read too, as the v1 API reads them (coercion.BOOLEAN_TEXT)."""
    assert validate("create", {**BASE, "confirm": value})["confirm"] is expected


@pytest.mark.parametrize("value", ["TRUE", "yes", "YES", "1", "0", "t", "on", " true",
                                   "false\n", 1, 0, None, []])
def test_anything_else_is_an_invalid_boolean(value: object) -> None:
    problem = only(check("create", **BASE, use_stripe_sdk=value))
    assert (problem.param, problem.code) == ("use_stripe_sdk", "payment_intent_invalid_parameter")
    assert problem.message.startswith("Invalid boolean: ")


def test_off_session_takes_a_boolean_or_one_off_or_recurring() -> None:
    for value, expected in (("true", True), ("one_off", "one_off"), ("recurring", "recurring")):
        assert validate("confirm", {"off_session": value})["off_session"] == expected
    problem = only(check("confirm", off_session="sometimes"))
    assert problem.message == (
        "Invalid off_session: must be a boolean or one of one_off or recurring")


@pytest.mark.parametrize("value", [42, None, ["a"], {"a": "b"}, b"bytes"])
def test_strings_accept_str_only(value: object) -> None:
    problem = only(check("create", **BASE, description=value))
    assert (problem.param, problem.code) == ("description", "payment_intent_invalid_parameter")
    assert problem.message.startswith("Invalid string: ")


def test_description_is_at_most_1000_characters() -> None:
    assert check("create", **BASE, description="x" * 1000) == []
    problem = only(check("create", **BASE, description="x" * 1001))
    assert problem.param == "description"
    assert problem.message.endswith("must be at most 1000 characters")


def test_objects_accept_dicts_only() -> None:
    shipping = {"name": "Jenny Rosen", "address": {"line1": "1 Main St"}}
    assert validate("create", {**BASE, "shipping": shipping})["shipping"] == shipping
    problem = only(check("create", **BASE, shipping="Jenny Rosen"))
    assert (problem.param, problem.code) == ("shipping", "payment_intent_invalid_parameter")
    assert problem.message.startswith("Invalid object")


def test_payment_method_types_accept_a_list_or_a_form_decoded_dict() -> None:
    form = {"1": "sepa_debit", "0": "card"}
    assert validate("create", {**BASE, "payment_method_types": form})[
        "payment_method_types"] == ["card", "sepa_debit"]
    assert validate("create", {**BASE, "payment_method_types": ("card",)})[
        "payment_method_types"] == ["card"]


@pytest.mark.parametrize("value", ["card", {"a": "card"}, [1], [""], 5])
def test_payment_method_types_refuse_what_is_not_an_array_of_strings(value: object) -> None:
    problem = only(check("create", **BASE, payment_method_types=value))
    assert problem.message.startswith("Invalid array")


def test_an_empty_payment_method_types_is_parameter_invalid_empty() -> None:
    problem = only(check("create", **BASE, payment_method_types=[]))
    assert (problem.param, problem.code) == ("payment_method_types", "parameter_invalid_empty")


def test_an_unknown_payment_method_type_is_refused() -> None:
    problem = only(check("create", **BASE, payment_method_types=["card", "carrd"]))
    assert problem.message.startswith('The payment method type "carrd" is invalid.')


def test_expand_is_an_array_of_strings_on_every_operation() -> None:
    for operation in OPERATIONS:
        assert "expand" in rules_for(operation)
    assert validate("cancel", {"expand": ["latest_charge"]}) == {"expand": ["latest_charge"]}


def test_receipt_email_must_look_like_an_email() -> None:
    assert check("create", **BASE, receipt_email="jenny@example.com") == []
    problem = only(check("create", **BASE, receipt_email="jenny"))
    assert problem == Problem("receipt_email", "email_invalid", "Invalid email address: jenny")


def test_return_url_must_be_a_url_or_an_app_scheme() -> None:
    for url in ("https://example.com/return", "myapp://stripe-redirect"):
        assert check("confirm", return_url=url) == []
    problem = only(check("confirm", return_url="example.com"))
    assert (problem.param, problem.code) == ("return_url", "url_invalid")


@pytest.mark.parametrize(
    ("operation", "name", "message"),
    [
        ("create", "setup_future_usage",
         "Invalid setup_future_usage: must be one of on_session or off_session"),
        ("create", "capture_method",
         "Invalid capture_method: must be one of automatic, automatic_async, or manual"),
        ("create", "confirmation_method",
         "Invalid confirmation_method: must be one of automatic or manual"),
        ("cancel", "cancellation_reason",
         "Invalid cancellation_reason: must be one of abandoned, duplicate, fraudulent, or "
         "requested_by_customer"),
    ],
)
def test_an_enum_value_outside_the_list_is_refused_with_the_list(
    operation: str, name: str, message: str
) -> None:
    extra = BASE if operation == "create" else {}
    problem = only(check(operation, **extra, **{name: "sometimes"}))
    assert problem == Problem(name, "payment_intent_invalid_parameter", message)


def test_every_enum_value_is_accepted() -> None:
    for name, rule in RULES.items():
        if rule.kind is Kind.ENUM:
            operation = rule.operations[0]
            extra = BASE if operation == "create" else {}
            for value in rule.enum:
                assert check(operation, **extra, **{name: value}) == [], (name, value)


def test_stripe_internal_cancellation_reasons_cannot_be_sent() -> None:
    for reason in ("automatic", "failed_invoice", "void_invoice", "expired"):
        assert codes(check("cancel", cancellation_reason=reason)) == [
            "payment_intent_invalid_parameter"]


def test_an_unsupported_currency_lists_the_supported_ones() -> None:
    problem = only(check("create", amount=1099, currency="xyz"))
    assert (problem.param, problem.code) == ("currency", "payment_intent_invalid_parameter")
    assert problem.message.startswith(
        "Invalid currency: xyz. Stripe currently supports these currencies: usd, ")
    assert "jpy" in problem.message


@pytest.mark.parametrize("value", ["USD", "us", "usdd", 840, None])
def test_a_currency_must_be_a_lowercase_supported_code(value: object) -> None:
    problem = only(check("create", amount=1099, currency=value))
    assert problem.param == "currency"


def test_amount_below_the_usd_minimum_is_amount_too_small() -> None:
    problem = only(check("create", amount=49, currency="usd"))
    assert problem == Problem("amount", "amount_too_small", "Amount must be at least $0.50 usd")


@pytest.mark.parametrize("code", sorted(CURRENCIES))
def test_every_currency_minimum_is_enforced(code: str) -> None:
    c = CURRENCIES[code]
    assert check("create", amount=c.minimum_amount, currency=code) == []
    below = c.minimum_amount - c.must_be_multiple_of
    if below > 0:
        assert codes(check("create", amount=below, currency=code)) == ["amount_too_small"]


def test_amount_minimum_messages_use_the_currency() -> None:
    assert only(check("create", amount=29, currency="gbp")).message == (
        "Amount must be at least £0.30 gbp")
    assert only(check("create", amount=49, currency="jpy")).message == (
        "Amount must be at least ¥50 jpy")
    assert only(check("create", amount=17499, currency="huf")).message == (
        "Amount must be at least 175.00 huf")


@pytest.mark.parametrize("value", [0, -1, "-5"])
def test_amount_must_be_a_positive_integer(value: object) -> None:
    problem = only(check("create", amount=value, currency="usd"))
    assert problem == Problem("amount", "parameter_invalid_integer", "Invalid positive integer")


def test_amount_above_eight_digits_is_amount_too_large() -> None:
    assert check("create", amount=99_999_999, currency="usd") == []
    problem = only(check("create", amount=100_000_000, currency="usd"))
    assert problem == Problem("amount", "amount_too_large",
                              "Amount must be no more than $999,999.99")


def test_three_decimal_amounts_must_end_in_zero() -> None:
    assert check("create", amount=5120, currency="kwd") == []
    problem = only(check("create", amount=5124, currency="kwd"))
    assert (problem.param, problem.code) == ("amount", "invalid_charge_amount")
    assert "5120 or 5130" in problem.message


def test_isk_and_ugx_amounts_must_end_in_00() -> None:
    assert check("create", amount=500, currency="isk") == []
    for code in ("isk", "ugx"):
        problem = only(check("create", amount=550, currency=code))
        assert (problem.code, problem.param) == ("invalid_charge_amount", "amount")
        assert "multiple of 100" in problem.message


def test_updating_the_amount_alone_uses_the_intents_currency() -> None:
    assert codes(check("update", amount=10, currency="usd")) == ["amount_too_small"]
    assert codes(check("update", amount=10, currency="jpy")) == ["amount_too_small"]
    assert check("update", amount=60, currency="jpy") == []
    with pytest.raises(InvalidRequestError) as err:
        validate("update", {"amount": 10}, currency="usd")
    assert err.value.code == "amount_too_small"


def test_a_currency_in_the_request_wins_over_the_intents_currency() -> None:
    assert validate("update", {"amount": 60, "currency": "jpy"}, currency="usd") == {
        "amount": 60, "currency": "jpy"}


def test_without_any_currency_only_positivity_and_eight_digits_are_checked() -> None:
    assert check("update", amount=1) == []
    assert codes(check("update", amount=10**8)) == ["amount_too_large"]


def test_increment_authorization_checks_the_new_total_like_an_amount() -> None:
    assert check("increment_authorization", amount=3000, currency="usd") == []
    assert codes(check("increment_authorization", amount=10, currency="usd")) == [
        "amount_too_small"]


@pytest.mark.parametrize("value", [0, -100, "0"])
def test_amount_to_capture_is_a_positive_integer(value: object) -> None:
    problem = only(check("capture", amount_to_capture=value))
    assert problem == Problem("amount_to_capture", "parameter_invalid_integer",
                              "Invalid positive integer")


def test_application_fee_amount_is_a_non_negative_integer() -> None:
    assert check("create", **BASE, application_fee_amount=0) == []
    problem = only(check("create", **BASE, application_fee_amount=-1))
    assert problem.message == "Invalid non-negative integer"


# -- booleans: what the API reads, and nothing else ----------------------------------------


def test_the_api_reads_exactly_four_spellings_of_a_boolean() -> None:
    assert dict(BOOLEAN_TEXT) == {"true": True, "false": False, "True": True, "False": False}


@pytest.mark.parametrize("name", [n for n, r in RULES.items() if r.kind is Kind.BOOLEAN])
@pytest.mark.parametrize("text", sorted(BOOLEAN_TEXT))
def test_every_boolean_parameter_reads_the_four_spellings(name: str, text: str) -> None:
    assert coerce(RULES[name], text) == (BOOLEAN_TEXT[text], ())


def test_a_refused_boolean_names_the_parameter_as_stripe_does() -> None:
    value, problems = coerce(RULES["confirm"], "YES")
    assert value is None
    assert problems == [Problem("confirm", "payment_intent_invalid_parameter",
                                "Invalid boolean: YES")]


def test_boolean_and_integer_raise_the_api_error_for_parameters_outside_the_table() -> None:
    assert boolean("True", "success") is True and boolean(False, "success") is False
    with pytest.raises(InvalidRequestError) as err:
        boolean("yes", "success")
    assert (err.value.param, err.value.message) == ("success", "Invalid boolean: yes")
    assert integer("42", "created[gt]") == 42
    with pytest.raises(InvalidRequestError) as err:
        integer("soon", "created[gt]")
    assert (err.value.param, err.value.code) == ("created[gt]", "parameter_invalid_integer")


# -- hashes: their keys are typed by the table too ------------------------------------------


def test_automatic_payment_methods_enabled_is_stored_as_a_boolean() -> None:
    for text, expected in (("false", False), ("true", True), (False, False)):
        coerced = validate("create", {**BASE, "automatic_payment_methods": {"enabled": text}})
        assert coerced["automatic_payment_methods"] == {"enabled": expected}


def test_a_bad_nested_value_names_the_nested_parameter() -> None:
    problem = only(check("create", **BASE, automatic_payment_methods={"enabled": "YES"}))
    assert problem == Problem("automatic_payment_methods[enabled]",
                              "payment_intent_invalid_parameter", "Invalid boolean: YES")
    problem = only(check("create", **BASE, automatic_payment_methods={
        "enabled": "true", "allow_redirects": "sometimes"}))
    assert problem.param == "automatic_payment_methods[allow_redirects]"
    assert problem.message == ("Invalid automatic_payment_methods[allow_redirects]: must be "
                               "one of always or never")


def test_payment_method_options_are_typed_per_payment_method_type() -> None:
    options = {"card": {"installments": {"enabled": "True"}, "request_three_d_secure": "any",
                        "setup_future_usage": ""},
               "us_bank_account": {"verification_method": "instant"}}
    coerced = validate("confirm", {"payment_method_options": options})
    assert coerced["payment_method_options"] == {
        "card": {"installments": {"enabled": True}, "request_three_d_secure": "any",
                 "setup_future_usage": ""},
        "us_bank_account": {"verification_method": "instant"}}
    problem = only(check("confirm", payment_method_options={
        "sepa_debit": {"setup_future_usage": "always"}}))
    assert problem.param == "payment_method_options[sepa_debit][setup_future_usage]"


def test_an_empty_nested_value_unsets_only_where_the_spec_allows_it() -> None:
    assert validate("confirm", {"payment_method_options": {"card": ""}}) == {
        "payment_method_options": {"card": ""}}
    problem = only(check("create", **BASE, automatic_payment_methods={"enabled": ""}))
    assert (problem.param, problem.code) == ("automatic_payment_methods[enabled]",
                                             "parameter_invalid_empty")


def test_nested_integers_are_read_from_text() -> None:
    coerced = validate("create", {**BASE, "transfer_data": {"amount": "100",
                                                             "destination": "acct_1"}})
    assert coerced["transfer_data"] == {"amount": 100, "destination": "acct_1"}
    problem = only(check("create", **BASE, transfer_data={"amount": "1.5"}))
    assert (problem.param, problem.code) == ("transfer_data[amount]",
                                             "parameter_invalid_integer")


def test_keys_the_table_does_not_list_are_kept_as_given() -> None:
    shipping = {"name": "Jenny Rosen", "address": {"line1": "1 Main St"}, "note": {"x": 1}}
    assert validate("create", {**BASE, "shipping": shipping})["shipping"] == shipping
    data = {"type": "card", "card": {"number": "4242424242424242"}}
    assert validate("confirm", {"payment_method_data": data}) == {"payment_method_data": data}


def test_as_list_reads_lists_and_form_decoded_indexes_only() -> None:
    assert as_list(("card",)) == ["card"]
    assert as_list({"10": "k", "2": "c", "0": "a"}) == ["a", "c", "k"]
    assert as_list({"a": "card"}) is None and as_list("card") is None


# -- one value, one meaning: the Python API and HTTP agree -----------------------------------


def _through_python(params: dict[str, Any]) -> dict[str, Any]:
    """The intent the Python API stores, or the error it raises, as the API's JSON."""
    try:
        return paykit.Sandbox(seed=0).payment_intents.create(**params).to_dict()
    except StripeError as error:
        return error.to_dict()


def _through_http(body: str) -> dict[str, Any]:
    """The JSON ``POST /v1/payment_intents`` answers for this form body."""
    status, _, payload = handle(paykit.Sandbox(seed=0), "POST", "/v1/payment_intents", "",
                                {"Authorization": "Bearer sk_test_123"}, body.encode())
    answer: dict[str, Any] = json.loads(payload)
    assert (status == 200) == ("error" not in answer)
    return answer


_PAY = {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa"}
_BOOLEAN_SPELLINGS = ["true", "false", "True", "False", "TRUE", "1", "0", "yes", "no", "t",
                      "on", ""]


@pytest.mark.parametrize("text", _BOOLEAN_SPELLINGS)
def test_confirm_as_python_text_and_as_form_text_gives_the_same_intent_or_error(
    text: str,
) -> None:
    python = _through_python({**_PAY, "confirm": text})
    assert python == _through_http(encode({**_PAY, "confirm": text}))
    if text in BOOLEAN_TEXT:
        assert python["status"] == ("succeeded" if BOOLEAN_TEXT[text] else
                                    "requires_confirmation")
    else:
        assert python["error"]["param"] == "confirm"


@pytest.mark.parametrize("value", [True, False])
def test_a_python_boolean_means_what_the_sdk_sends_for_it(value: bool) -> None:
    assert _through_python({**_PAY, "confirm": value}) == _through_http(
        encode({**_PAY, "confirm": value}))
    assert encode({"confirm": value}) == f"confirm={str(value).lower()}"


@pytest.mark.parametrize("text", _BOOLEAN_SPELLINGS)
def test_automatic_payment_methods_enabled_agrees_between_python_and_http(text: str) -> None:
    params = {"amount": 1099, "currency": "usd", "automatic_payment_methods": {"enabled": text}}
    python = _through_python(params)
    assert python == _through_http(encode(params))
    if text in BOOLEAN_TEXT:
        assert python["automatic_payment_methods"]["enabled"] is BOOLEAN_TEXT[text]
    else:
        assert python["error"]["param"] == "automatic_payment_methods[enabled]"


# A NUL character never reaches the parameters over HTTP: the form body is refused first
# (paykit.http.forms), a transport rule with no Python counterpart.
@settings(max_examples=40)
@given(st.one_of(st.sampled_from(_BOOLEAN_SPELLINGS),
                 st.text(max_size=8).filter(lambda text: "\x00" not in text)),
       st.sampled_from(["confirm", "use_stripe_sdk", "off_session", "amount", "capture_method",
                        "description"]))
def test_any_text_means_the_same_through_python_and_http(text: str, name: str) -> None:
    params = {**_PAY, "confirm": "true", name: text} if name != "confirm" else {
        **_PAY, "confirm": text}
    assert _through_python(params) == _through_http(encode(params))
