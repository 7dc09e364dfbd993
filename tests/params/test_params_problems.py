"""``paykit.params.problems``: what a broken rule reports, and the codes used."""

from __future__ import annotations

from typing import Any

from params_helpers import USED_CODES

from paykit.errors import InvalidRequestError
from paykit.params import (
    Problem,
)


def test_every_code_the_rules_use_is_a_real_stripe_code(spec: dict[str, Any]) -> None:
    real = set(spec["latest_deltas"]["api_errors_latest_stripe_python"]["code_enum"])
    assert real >= USED_CODES


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
