"""Errors look exactly like the API's error JSON."""

from __future__ import annotations

import json

import pytest

from paykit import errors
from paykit.errors import (
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    StripeError,
    error_from_dict,
)


def test_all_is_exact():
    exported = {n for n in errors.__all__ if n != "error_from_dict"}
    defined = {n for n, v in vars(errors).items()
               if isinstance(v, type) and issubclass(v, StripeError)}
    assert exported == defined


def test_every_error_is_a_stripe_error_with_its_http_status():
    assert CardError("x").http_status == 402
    assert InvalidRequestError("x").http_status == 400
    assert AuthenticationError("x").http_status == 401
    for cls in (CardError, InvalidRequestError, IdempotencyError, AuthenticationError):
        assert issubclass(cls, StripeError)


def test_a_card_error_serialises_like_the_api():
    err = CardError("Your card was declined.", code="card_declined",
                    decline_code="insufficient_funds", charge="ch_1")
    body = err.to_dict()
    assert body == {"error": {
        "charge": "ch_1", "code": "card_declined", "decline_code": "insufficient_funds",
        "doc_url": "https://stripe.com/docs/error-codes/card_declined",
        "message": "Your card was declined.", "type": "card_error",
    }}
    assert json.loads(str(err)) == body


def test_an_invalid_request_names_its_parameter():
    err = InvalidRequestError("Missing required param: amount.", code="parameter_missing",
                              param="amount")
    assert err.to_dict()["error"]["param"] == "amount"
    assert err.to_dict()["error"]["type"] == "invalid_request_error"


def test_idempotency_errors_have_their_own_type():
    assert IdempotencyError("x").to_dict()["error"]["type"] == "idempotency_error"


def test_repr_shows_code_and_status_without_the_whole_body():
    text = repr(InvalidRequestError("bad", code="parameter_unknown", param="foo"))
    assert text.startswith("InvalidRequestError(http_status=400")
    assert "param='foo'" in text


@pytest.mark.parametrize(
    ("body", "status", "cls"),
    [
        ({"error": {"type": "card_error", "message": "m"}}, 402, CardError),
        ({"error": {"type": "idempotency_error", "message": "m"}}, 400, IdempotencyError),
        ({"error": {"type": "invalid_request_error", "message": "m"}}, 401,
         AuthenticationError),
        ({"error": {"type": "invalid_request_error", "message": "m"}}, 404,
         InvalidRequestError),
        ({"error": {"type": "api_error", "message": "m"}}, 500, errors.APIError),
    ],
)
def test_error_from_dict_maps_a_body_to_its_class(body, status, cls):
    err = error_from_dict(body, status)
    assert type(err) is cls
    assert err.http_status == status
