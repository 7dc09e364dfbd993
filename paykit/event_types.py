"""The PaymentIntent and Charge event types a Stripe account can emit.

Source: the ``enabled_events`` enum of ``POST /v1/webhook_endpoints`` in Stripe's
OpenAPI spec (https://github.com/stripe/openapi, version 2023-08-16; stripe-python's
2026-06-24 release lists the same subset), described at
https://docs.stripe.com/api/events/types. There is no ``payment_intent.updated`` and
no ``payment_intent.requires_capture`` event.
"""

from __future__ import annotations

__all__ = ["CHARGE_EVENT_TYPES", "EVENT_TYPES", "PAYMENT_INTENT_EVENT_TYPES"]

PAYMENT_INTENT_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "payment_intent.amount_capturable_updated",
        "payment_intent.canceled",
        "payment_intent.created",
        "payment_intent.partially_funded",
        "payment_intent.payment_failed",
        "payment_intent.processing",
        "payment_intent.requires_action",
        "payment_intent.succeeded",
    }
)

CHARGE_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "charge.captured",
        "charge.dispute.closed",
        "charge.dispute.created",
        "charge.dispute.funds_reinstated",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.updated",
        "charge.expired",
        "charge.failed",
        "charge.pending",
        "charge.refund.updated",
        "charge.refunded",
        "charge.succeeded",
        "charge.updated",
    }
)

EVENT_TYPES: frozenset[str] = PAYMENT_INTENT_EVENT_TYPES | CHARGE_EVENT_TYPES
