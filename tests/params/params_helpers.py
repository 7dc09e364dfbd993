"""What the parameter tests share: a valid create, the spec's paths, and two helpers."""

from __future__ import annotations

from pathlib import Path

from paykit.params import Problem

#: The 2023-08-16 spec's PaymentIntent requests, extracted (the shared reference).
SPEC_FILE = Path(__file__).resolve().parents[3] / "shared" / "reference" / (
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


#: The parameters ``create`` takes only with ``confirm=true``, each with a valid value.
CONFIRM_ONLY = {
    "return_url": "https://example.com/return",
    "mandate": "mandate_123",
    "mandate_data": {"customer_acceptance": {"type": "offline"}},
    "off_session": True,
    "error_on_requires_action": True,
}
