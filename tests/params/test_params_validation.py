"""``paykit.params.validation``: whole requests, every problem in Stripe's order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from params_helpers import BASE, CONFIRM_ONLY, USED_CODES, codes, only

from paykit.errors import InvalidRequestError
from paykit.lifecycle import Status
from paykit.params import (
    OPERATIONS,
    RULES,
    Problem,
    check,
    validate,
    validation,
)


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
    problems = validation._run("create", {**BASE, 7: "x"}, api_version=None, status=None,
                           currency=None, payment_method_type=None)[1]
    assert only(problems) == Problem("7", "parameter_unknown", "Received unknown parameter: 7")


def test_idempotency_key_is_not_a_parameter() -> None:
    assert codes(check("create", **BASE, idempotency_key="k")) == ["parameter_unknown"]


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


NOTE_FIELDS = {"metadata": {"order_id": "6735"}, "description": "Order 6735",
               "receipt_email": "jenny@example.com", "shipping": {"name": "Jenny Rosen"}}


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


def test_an_unknown_operation_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        check("refund")
