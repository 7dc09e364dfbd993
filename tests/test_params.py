"""The parameter rules: every rule of ``RULES`` and the helpers, stated as tests."""

from __future__ import annotations

import json
import string
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit import params
from paykit.currencies import CURRENCIES
from paykit.errors import InvalidRequestError
from paykit.lifecycle import Status
from paykit.params import (
    CARD_STATEMENT_DESCRIPTOR_CUTOFF,
    FORBIDDEN_DESCRIPTOR_CHARACTERS,
    OPERATIONS,
    RULES,
    Kind,
    ParamDefinitionError,
    Problem,
    check,
    customer_statement,
    merge_metadata,
    metadata_problems,
    rules_for,
    statement_descriptor_problems,
    validate,
)

SPEC_FILE = Path(__file__).resolve().parents[2] / "shared" / "reference" / (
    "stripe_openapi_payment_intent.json"
)
SPEC_PATHS = {
    "create": "POST /v1/payment_intents",
    "update": "POST /v1/payment_intents/{intent}",
    "confirm": "POST /v1/payment_intents/{intent}/confirm",
    "capture": "POST /v1/payment_intents/{intent}/capture",
    "cancel": "POST /v1/payment_intents/{intent}/cancel",
    "increment_authorization": "POST /v1/payment_intents/{intent}/increment_authorization",
}
#: Every code paykit's rules can answer with; each is in Stripe's code enum (checked below).
USED_CODES = {
    "amount_too_large", "amount_too_small", "email_invalid", "invalid_characters",
    "invalid_charge_amount", "parameter_invalid_empty", "parameter_invalid_integer",
    "parameter_missing", "parameter_unknown", "payment_intent_invalid_parameter",
    "payment_intent_unexpected_state", "url_invalid",
}
BASE = {"amount": 1099, "currency": "usd"}


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_all_is_exact() -> None:
    public = {n for n in vars(params) if not n.startswith("_")}
    imported = {
        "Any", "Callable", "InvalidRequestError", "Iterable", "Mapping", "Status",
        "StrEnum", "annotations", "currencies", "dataclass", "field", "parse_status", "re",
        "unicodedata", "K", "NamedTuple", "partial",
    }
    assert set(params.__all__) == public - imported


# -- the table ------------------------------------------------------------------------------


def test_the_six_operations_in_order() -> None:
    assert OPERATIONS == (
        "create", "update", "confirm", "capture", "cancel", "increment_authorization",
    )


def test_every_rule_names_operations_from_operations_and_has_a_doc() -> None:
    for rule in RULES.values():
        assert set(rule.operations) <= set(OPERATIONS)
        assert rule.doc


def test_a_contradictory_rule_cannot_be_imported() -> None:
    amount = RULES["amount"]
    broken = [
        replace(amount, required_in=("cancel",)),
        replace(amount, unsettable=("create",)),
        replace(amount, kind=Kind.STRING),
        replace(RULES["capture_method"], enum=()),
        replace(RULES["return_url"], operations=("confirm",)),
        replace(RULES["confirm"], updatable_in=frozenset()),
        replace(amount, operations=("update", "create")),
        replace(amount, doc=""),
    ]
    for rule in broken:
        with pytest.raises(ParamDefinitionError):
            params._check_rules({rule.name: rule})
    with pytest.raises(ParamDefinitionError):
        params._check_rules({"other": amount})


def test_rules_for_lists_what_an_operation_accepts() -> None:
    assert set(rules_for("cancel")) == {"cancellation_reason", "expand"}
    assert "amount_to_capture" in rules_for("capture")
    with pytest.raises(ValueError, match="unknown operation"):
        rules_for("refund")


def test_the_markdown_table_prints_every_rule() -> None:
    table = params.markdown_table()
    for name in RULES:
        assert f"`{name}`" in table
    assert "`amount`" not in params.markdown_table("cancel")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_FILE.exists():
        pytest.skip(f"needs {SPEC_FILE} (the shared reference)")
    return json.loads(SPEC_FILE.read_text())


def _variants(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return schema.get("anyOf", [schema])


def test_the_table_has_exactly_the_parameters_of_the_spec(spec: dict[str, Any]) -> None:
    for operation, path in SPEC_PATHS.items():
        body = spec["requests"][path]["request_body_schema"]
        assert set(rules_for(operation)) == set(body["properties"]), operation
        required = {n for n, r in rules_for(operation).items() if operation in r.required_in}
        assert required == set(body.get("required", [])), operation


def test_types_enums_limits_and_unsets_match_the_spec(spec: dict[str, Any]) -> None:
    kinds = {
        "integer": {Kind.INTEGER, Kind.AMOUNT},
        "boolean": {Kind.BOOLEAN},
        "object": {Kind.OBJECT, Kind.METADATA},
        "array": {Kind.ARRAY},
        "string": {Kind.STRING, Kind.EMAIL, Kind.URL, Kind.ENUM, Kind.CURRENCY,
                   Kind.STATEMENT_DESCRIPTOR},
    }
    for operation, path in SPEC_PATHS.items():
        for name, schema in spec["requests"][path]["request_body_schema"]["properties"].items():
            rule = RULES[name]
            variants = _variants(schema)
            unset = any(v.get("enum") == [""] for v in variants) or "" in schema.get("enum", [])
            assert unset == (operation in rule.unsettable), (operation, name)
            main = next(v for v in variants if v.get("enum") != [""])
            assert rule.kind in kinds[main["type"]], (operation, name)
            values = {e for v in variants for e in v.get("enum", []) if e != ""}
            if rule.kind is not Kind.ARRAY:
                assert values == set(rule.enum), (operation, name)
            lengths = {v.get("maxLength") for v in variants} | {
                v.get("items", {}).get("maxLength") for v in variants
            }
            assert rule.max_length in lengths, (operation, name)
            says_confirm_only = "only be used with [`confirm=true`]" in schema.get(
                "description", "")
            if operation == "create":
                assert says_confirm_only == rule.confirm_only, name


def test_every_code_the_rules_use_is_a_real_stripe_code(spec: dict[str, Any]) -> None:
    real = set(spec["latest_deltas"]["api_errors_latest_stripe_python"]["code_enum"])
    assert real >= USED_CODES


# -- required and unknown -----------------------------------------------------------------------


def test_a_valid_create_has_no_problem() -> None:
    assert check("create", amount=1099, currency="usd") == []


def test_amount_and_currency_are_required_on_create() -> None:
    assert check("create") == [
        Problem("amount", "parameter_missing", "Missing required param: amount."),
        Problem("currency", "parameter_missing", "Missing required param: currency."),
    ]


def test_amount_is_required_on_increment_authorization() -> None:
    problem = only(check("increment_authorization", currency="usd"))
    assert (problem.param, problem.code) == ("amount", "parameter_missing")


def test_nothing_is_required_on_update_confirm_capture_and_cancel() -> None:
    for operation in ("update", "confirm", "capture", "cancel"):
        assert check(operation) == []


def test_an_unknown_parameter_is_parameter_unknown() -> None:
    problem = only(check("create", **BASE, foo="bar"))
    assert problem == Problem("foo", "parameter_unknown", "Received unknown parameter: foo")


def test_a_parameter_of_another_operation_is_unknown_here() -> None:
    problem = only(check("cancel", amount=1099))
    assert (problem.param, problem.code) == ("amount", "parameter_unknown")
    assert codes(check("update", **BASE, confirm=True)) == ["parameter_unknown"]


def test_unknown_parameters_are_reported_first() -> None:
    assert codes(check("create", amount="x", zzz=1)) == [
        "parameter_unknown", "parameter_invalid_integer", "parameter_missing",
    ]


def test_a_non_string_key_is_an_unknown_parameter() -> None:
    problems = params._run("create", {**BASE, 7: "x"}, api_version=None, status=None,
                           currency=None, payment_method_type=None)[1]
    assert only(problems) == Problem("7", "parameter_unknown", "Received unknown parameter: 7")


def test_idempotency_key_is_not_a_parameter() -> None:
    assert codes(check("create", **BASE, idempotency_key="k")) == ["parameter_unknown"]


# -- coercion: what arrives as text is read like the API reads it ---------------------------------


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
                                                 ("true", True), ("false", False)])
def test_booleans_accept_bools_and_true_false_strings(value: object, expected: bool) -> None:
    assert validate("create", {**BASE, "confirm": value})["confirm"] is expected


@pytest.mark.parametrize("value", ["True", "yes", "1", 1, 0, None, []])
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


# -- "" unsets, where the spec allows it -------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "name"),
    [("update", "metadata"), ("update", "setup_future_usage"), ("update", "receipt_email"),
     ("update", "shipping"), ("update", "application_fee_amount"), ("capture", "metadata"),
     ("confirm", "setup_future_usage"), ("confirm", "receipt_email"), ("confirm", "shipping"),
     ("confirm", "mandate_data")],
)
def test_an_empty_string_unsets_where_the_spec_allows_it(operation: str, name: str) -> None:
    assert validate(operation, {name: ""}) == {name: ""}


@pytest.mark.parametrize(
    ("operation", "name"),
    [("create", "metadata"), ("create", "setup_future_usage"), ("create", "description"),
     ("update", "description"), ("update", "currency"), ("capture", "application_fee_amount"),
     ("increment_authorization", "metadata"), ("cancel", "cancellation_reason")],
)
def test_an_empty_string_elsewhere_is_parameter_invalid_empty(operation: str, name: str) -> None:
    extra = {"create": BASE, "increment_authorization": {"amount": 2000}}.get(operation, {})
    with pytest.raises(InvalidRequestError) as err:
        validate(operation, {**extra, name: ""})
    assert (err.value.param, err.value.code) == (name, "parameter_invalid_empty")


# -- enums ------------------------------------------------------------------------------------


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


# -- currency ------------------------------------------------------------------------------------


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


# -- amount ------------------------------------------------------------------------------------


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


# -- confirm=true only -------------------------------------------------------------------------


CONFIRM_ONLY = {
    "return_url": "https://example.com/return",
    "mandate": "mandate_123",
    "mandate_data": {"customer_acceptance": {"type": "offline"}},
    "off_session": True,
    "error_on_requires_action": True,
}


def test_the_confirm_only_parameters_are_the_five_of_the_spec() -> None:
    assert {n for n, r in RULES.items() if r.confirm_only} == set(CONFIRM_ONLY)


@pytest.mark.parametrize(("name", "value"), sorted(CONFIRM_ONLY.items()))
def test_confirm_only_parameters_are_refused_on_create_without_confirm_true(
    name: str, value: object
) -> None:
    for confirm in ({}, {"confirm": False}, {"confirm": "false"}):
        problem = only(check("create", **BASE, **confirm, **{name: value}))
        assert (problem.param, problem.code) == (name, "payment_intent_invalid_parameter")
        assert f"The {name} parameter can only be used with confirm=true" in problem.message
    assert check("create", **BASE, confirm="true", **{name: value}) == []
    assert check("confirm", **{name: value}) == []


# -- statement descriptors -------------------------------------------------------------------------


def test_a_statement_descriptor_of_22_characters_is_accepted() -> None:
    assert statement_descriptor_problems("A" * 22) == []
    problem = only(statement_descriptor_problems("A" * 23))
    assert problem.param == "statement_descriptor"
    assert "at most 22 characters" in problem.message


@pytest.mark.parametrize("char", list(FORBIDDEN_DESCRIPTOR_CHARACTERS))
def test_each_forbidden_character_is_invalid_characters(char: str) -> None:
    problem = only(statement_descriptor_problems(f"RUN{char}CLUB"))
    assert (problem.code, problem.param) == ("invalid_characters", "statement_descriptor")
    assert problem.message == f"The statement descriptor cannot include {char}."


def test_a_descriptor_of_digits_only_is_refused() -> None:
    problem = only(statement_descriptor_problems("12345", param="statement_descriptor_suffix"))
    assert problem.param == "statement_descriptor_suffix"
    assert "at least one letter" in problem.message


def test_a_descriptor_needs_a_latin_letter() -> None:
    assert codes(statement_descriptor_problems("123 - 456")) == [
        "payment_intent_invalid_parameter"]
    assert statement_descriptor_problems("Café 42") == []
    assert codes(statement_descriptor_problems("Кафе 42")) == [
        "invalid_characters", "payment_intent_invalid_parameter"]


def test_descriptor_rules_apply_to_the_api_parameters() -> None:
    problem = only(check("create", **BASE, statement_descriptor_suffix="ORDER*42"))
    assert (problem.param, problem.code) == ("statement_descriptor_suffix", "invalid_characters")
    assert codes(check("capture", statement_descriptor="1234")) == [
        "payment_intent_invalid_parameter"]
    assert codes(check("create", **BASE, statement_descriptor=42)) == [
        "payment_intent_invalid_parameter"]


def test_the_seed_example_custom_descriptor_is_accepted_on_older_api_versions() -> None:
    request = {**BASE, "payment_method_types": ["card"],
               "statement_descriptor": "Custom descriptor"}
    for version in ("2019-02-11", "2023-08-16"):
        assert check("create", api_version=version, **request) == []


CARD_MESSAGE = (
    "The statement_descriptor parameter is not supported for the payment_method_type card. "
    "To override the statement descriptor on a card transaction, use "
    "statement_descriptor_suffix."
)


@pytest.mark.parametrize("version", [None, CARD_STATEMENT_DESCRIPTOR_CUTOFF, "2024-06-20",
                                     "2026-06-24.dahlia"])
def test_statement_descriptor_on_a_card_charge_is_refused_from_the_cutoff(
    version: str | None,
) -> None:
    request = {**BASE, "payment_method_types": ["card"], "statement_descriptor": "RUNCLUB"}
    problem = only(check("create", api_version=version, **request))
    assert problem == Problem("statement_descriptor", "payment_intent_invalid_parameter",
                              CARD_MESSAGE)


def test_the_card_cutoff_is_2023_10_16() -> None:
    assert CARD_STATEMENT_DESCRIPTOR_CUTOFF == "2023-10-16"


def test_the_payment_method_type_context_marks_a_card_charge() -> None:
    assert codes(check("capture", payment_method_type="card", statement_descriptor="RUNCLUB")) == [
        "payment_intent_invalid_parameter"]
    assert check("capture", payment_method_type="sepa_debit", statement_descriptor="RUNCLUB") == []


def test_statement_descriptor_is_fine_for_non_card_charges() -> None:
    request = {**BASE, "payment_method_types": ["card", "sepa_debit"],
               "statement_descriptor": "RUNCLUB"}
    assert check("create", **request) == []
    assert check("create", **BASE, statement_descriptor="RUNCLUB") == []


def test_the_suffix_is_the_way_to_go_on_card_charges() -> None:
    assert check("create", **BASE, payment_method_types=["card"],
                 statement_descriptor_suffix="ORDER 42") == []


def test_the_customer_sees_prefix_star_space_suffix() -> None:
    preview = customer_statement("RUNCLUB", "ORDER 42")
    assert (preview.text, preview.length, preview.budget, preview.remaining) == (
        "RUNCLUB* ORDER 42", 17, 22, 5)
    assert preview.problems == []
    assert preview.ok


def test_without_a_suffix_the_customer_sees_the_prefix() -> None:
    preview = customer_statement("RUNCLUB", None)
    assert (preview.text, preview.length, preview.remaining) == ("RUNCLUB", 7, 15)
    assert customer_statement("RUNCLUB", "").text == "RUNCLUB"


def test_the_star_and_space_count_in_the_22_characters() -> None:
    assert customer_statement("RUNCLUB", "X" * 13).problems == []
    preview = customer_statement("RUNCLUB", "X" * 14)
    assert preview.remaining == -1
    problem = only(preview.problems)
    assert problem.param == "statement_descriptor_suffix"
    assert "at most 13 characters" in problem.message


def test_the_prefix_is_2_to_10_characters() -> None:
    for prefix in ("R", "RUNCLUBSHOP"):
        problems = customer_statement(prefix, "ORDER 42").problems
        assert "statement_descriptor_prefix" in [p.param for p in problems]
    assert customer_statement("RUNCLUBSHO", "ORDER 42").problems == []


def test_the_suffix_needs_a_letter_and_allowed_characters() -> None:
    problem = only(customer_statement("RUNCLUB", "4242").problems)
    assert problem.param == "statement_descriptor_suffix"
    problem = only(customer_statement("RUNCLUB", "ORDER'42").problems)
    assert (problem.param, problem.code) == ("statement_descriptor_suffix", "invalid_characters")


def test_a_complete_descriptor_is_at_least_5_characters() -> None:
    problem = only(customer_statement("RUN", None).problems)
    assert "at least 5 characters" in problem.message


ALLOWED = "".join(c for c in string.printable[:95] if c not in FORBIDDEN_DESCRIPTOR_CHARACTERS)


@given(st.text(alphabet=ALLOWED, max_size=21), st.sampled_from(string.ascii_letters),
       st.integers(0, 21))
def test_descriptors_built_from_the_rules_are_accepted(text: str, letter: str, at: int) -> None:
    value = text[:at] + letter + text[at:]
    assert statement_descriptor_problems(value) == []
    assert statement_descriptor_problems(value, param="statement_descriptor_suffix") == []


@given(st.text(max_size=30), st.sampled_from(FORBIDDEN_DESCRIPTOR_CHARACTERS), st.integers(0, 30))
def test_any_string_with_a_forbidden_character_is_refused(text: str, char: str, at: int) -> None:
    problems = statement_descriptor_problems(text[:at] + char + text[at:])
    assert any(p.code == "invalid_characters" and char in p.message for p in problems)


# -- metadata -------------------------------------------------------------------------------


def test_metadata_values_are_stored_as_strings() -> None:
    coerced = validate("create", {**BASE, "metadata": {"order_id": 6735, "ratio": 0.5}})
    assert coerced["metadata"] == {"order_id": "6735", "ratio": "0.5"}


def test_metadata_keys_are_at_most_40_characters() -> None:
    assert metadata_problems({"k" * 40: "v"}) == []
    problem = only(metadata_problems({"k" * 41: "v"}))
    assert (problem.param, problem.code) == ("metadata", "payment_intent_invalid_parameter")
    assert problem.message.startswith("Invalid key: ")
    assert "at most 40 characters" in problem.message


def test_metadata_keys_cannot_contain_square_brackets() -> None:
    for key in ("order[1]", "a]", "[b"):
        problem = only(metadata_problems({key: "v"}))
        assert (problem.param, problem.code) == ("metadata", "invalid_characters")
        assert "square brackets" in problem.message


def test_metadata_values_are_at_most_500_characters() -> None:
    assert metadata_problems({"k": "v" * 500}) == []
    problem = only(metadata_problems({"k": "v" * 501}))
    assert problem.message.startswith("Invalid val: ")
    assert "at most 500 characters" in problem.message


@pytest.mark.parametrize("value", [None, True, ["a"], {"a": "b"}])
def test_metadata_values_are_strings_or_numbers(value: object) -> None:
    assert only(metadata_problems({"k": value})).message.startswith("Invalid val: ")


@pytest.mark.parametrize("key", [1, None, ""])
def test_metadata_keys_are_non_empty_strings(key: object) -> None:
    assert only(metadata_problems({key: "v"})).message.startswith("Invalid key: ")


def test_metadata_has_at_most_50_keys() -> None:
    assert metadata_problems({f"k{i}": "v" for i in range(50)}) == []
    problem = only(metadata_problems({f"k{i}": "v" for i in range(51)}))
    assert problem == Problem("metadata", "payment_intent_invalid_parameter",
                              "Metadata can have up to 50 keys, but you've set 51.")


def test_keys_being_unset_do_not_count_towards_50() -> None:
    update = {f"k{i}": "v" for i in range(50)} | {"gone": ""}
    assert metadata_problems(update) == []


def test_metadata_must_be_an_object_and_empty_means_unset_all() -> None:
    assert metadata_problems("") == []
    assert only(metadata_problems("order=1")).message.startswith("Invalid object")
    assert only(metadata_problems(["a"])).param == "metadata"


def test_merge_metadata_adds_replaces_and_unsets_keys() -> None:
    current = {"a": "1", "b": "2"}
    assert merge_metadata(current, {"b": "", "c": 3, "a": "one"}) == {"a": "one", "c": "3"}
    assert current == {"a": "1", "b": "2"}


def test_merge_metadata_with_an_empty_string_unsets_everything() -> None:
    assert merge_metadata({"a": "1"}, "") == {}


def test_merge_metadata_refuses_a_result_above_50_keys() -> None:
    current = {f"k{i}": "v" for i in range(30)}
    with pytest.raises(InvalidRequestError) as err:
        merge_metadata(current, {f"n{i}": "v" for i in range(21)})
    assert err.value.param == "metadata"
    assert err.value.message == "Metadata can have up to 50 keys, but you've set 51."
    assert len(merge_metadata(current, {f"n{i}": "v" for i in range(20)})) == 50


def test_merge_metadata_refuses_a_bad_update() -> None:
    with pytest.raises(InvalidRequestError) as err:
        merge_metadata({}, {"a[b]": "v"})
    assert err.value.code == "invalid_characters"


_KEYS = st.text(alphabet=st.characters(blacklist_characters="[]"), min_size=1, max_size=40)
_VALUES = st.one_of(st.text(min_size=1, max_size=500), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False))


@given(st.dictionaries(_KEYS, _VALUES, max_size=50))
def test_metadata_within_the_limits_passes(metadata: dict[str, object]) -> None:
    assert metadata_problems(metadata) == []
    coerced = validate("create", {**BASE, "metadata": metadata})["metadata"]
    assert all(isinstance(v, str) for v in coerced.values())
    assert coerced.keys() == metadata.keys()


@settings(max_examples=25)  # 51-key dictionaries are slow to draw; a few suffice
@given(st.dictionaries(_KEYS, st.text(min_size=1, max_size=5), min_size=51, max_size=51))
def test_metadata_with_51_keys_fails(metadata: dict[str, str]) -> None:
    assert codes(metadata_problems(metadata)) == ["payment_intent_invalid_parameter"]


# -- status: what update may still change ---------------------------------------------------------


def test_you_cannot_update_amount_once_the_intent_succeeded() -> None:
    problem = only(check("update", status=Status.SUCCEEDED, amount=2000, currency="usd"))
    assert (problem.param, problem.code) == ("amount", "payment_intent_unexpected_state")
    assert problem.message.startswith(
        "You cannot update amount on a PaymentIntent with a status of succeeded.")


def test_the_refusal_names_the_status_and_is_raised_by_validate() -> None:
    with pytest.raises(InvalidRequestError) as err:
        validate("update", {"payment_method": "pm_card_visa"}, status=Status.REQUIRES_CAPTURE)
    assert err.value.code == "payment_intent_unexpected_state"
    assert err.value.param == "payment_method"
    assert "status of requires_capture" in err.value.message


PAYMENT_FIELDS = ["amount", "currency", "payment_method", "payment_method_types",
                  "capture_method", "setup_future_usage", "statement_descriptor",
                  "statement_descriptor_suffix"]
NOTE_FIELDS = {"metadata": {"order_id": "6735"}, "description": "Order 6735",
               "receipt_email": "jenny@example.com", "shipping": {"name": "Jenny Rosen"}}


@pytest.mark.parametrize("name", PAYMENT_FIELDS)
def test_the_payment_may_change_only_before_it_is_attempted(name: str) -> None:
    before = {Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION,
              Status.REQUIRES_ACTION}
    assert RULES[name].updatable_in == before


@pytest.mark.parametrize(("name", "value"), sorted(NOTE_FIELDS.items()))
@pytest.mark.parametrize("status", list(Status))
def test_notes_may_change_in_every_status(name: str, value: object, status: Status) -> None:
    assert status in RULES[name].updatable_in
    assert check("update", status=status, **{name: value}) == []


def test_a_status_given_as_text_works_too() -> None:
    assert codes(check("update", status="canceled", amount=2000)) == [
        "payment_intent_unexpected_state"]


def test_the_status_only_limits_update() -> None:
    assert check("capture", status=Status.SUCCEEDED, amount_to_capture=100) == []


# -- check never raises, validate raises only InvalidRequestError -------------------------------

_ANY_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
              st.sampled_from(["", "true", "1099", "usd", "card", "manual", "-5"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
_ANY_KEY = st.one_of(st.sampled_from(sorted(RULES)), st.text(max_size=12))
_CONTEXT = st.fixed_dictionaries({
    "api_version": st.one_of(st.none(), st.sampled_from(["2019-02-11", "2023-10-16"])),
    "status": st.one_of(st.none(), st.sampled_from(list(Status))),
    "currency": st.one_of(st.none(), st.sampled_from(["usd", "jpy", "kwd", "isk", "xyz"])),
    "payment_method_type": st.one_of(st.none(), st.sampled_from(["card", "sepa_debit"])),
})


@given(st.sampled_from(OPERATIONS), st.dictionaries(_ANY_KEY, _ANY_VALUE, max_size=6), _CONTEXT)
def test_check_never_raises_and_answers_only_problems(
    operation: str, request: dict[str, Any], context: dict[str, Any]
) -> None:
    # check()'s own keywords cannot also be parameters; on create, currency= is the request's
    if "currency" in request and operation == "create":
        context = {**context, "currency": request["currency"]}
    request = {k: v for k, v in request.items() if k not in {"operation", *context}}
    problems = check(operation, **context, **request)
    assert all(isinstance(p, Problem) for p in problems)
    assert {p.code for p in problems} <= USED_CODES
    assert all(isinstance(p.param, str) and p.message for p in problems)


@given(st.sampled_from(OPERATIONS), st.dictionaries(_ANY_KEY, _ANY_VALUE, max_size=6), _CONTEXT)
def test_validate_raises_only_invalid_request_error(
    operation: str, request: dict[str, Any], context: dict[str, Any]
) -> None:
    try:
        coerced = validate(operation, request, **context)
    except InvalidRequestError as err:
        assert err.code in USED_CODES
        assert err.http_status == 400
    else:
        assert set(coerced) == set(request)


def test_validate_raises_the_first_problem() -> None:
    with pytest.raises(InvalidRequestError) as err:
        validate("create", {"amount": "ten", "foo": 1})
    assert (err.value.code, err.value.param) == ("parameter_unknown", "foo")
    assert err.value.message == "Received unknown parameter: foo"


def test_validate_returns_the_coerced_parameters() -> None:
    request = {"amount": "2000", "currency": "eur", "confirm": "true",
               "payment_method_types": {"0": "card"}, "metadata": {"n": 1},
               "setup_future_usage": "off_session", "return_url": "https://example.com"}
    assert validate("create", request) == {
        "amount": 2000, "currency": "eur", "confirm": True, "payment_method_types": ["card"],
        "metadata": {"n": "1"}, "setup_future_usage": "off_session",
        "return_url": "https://example.com",
    }


def test_a_problem_becomes_the_error_the_api_returns() -> None:
    error = Problem("amount", "amount_too_small", "Amount must be at least $0.50 usd").to_error()
    assert isinstance(error, InvalidRequestError)
    assert error.to_dict() == {"error": {
        "code": "amount_too_small",
        "doc_url": "https://stripe.com/docs/error-codes/amount_too_small",
        "message": "Amount must be at least $0.50 usd",
        "param": "amount",
        "type": "invalid_request_error",
    }}


def test_an_unknown_operation_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        check("refund")
