"""The PaymentIntent and Charge event types a Stripe account can emit.

Source: the ``enabled_events`` enum of ``POST /v1/webhook_endpoints`` in Stripe's
OpenAPI spec (https://github.com/stripe/openapi, version 2023-08-16; stripe-python's
2026-06-24 release lists the same subset), described at
https://docs.stripe.com/api/events/types. There is no ``payment_intent.updated`` and
no ``payment_intent.requires_capture`` event.
"""

from __future__ import annotations

__all__ = [
    "CHARGE_EVENT_TYPES",
    "EVENT_TYPES",
    "PAYMENT_INTENT_EVENT_TYPES",
    "REFUND_EVENT_TYPES",
    "SAVED_METHOD_EVENT_TYPES",
]

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

#: Refund events (https://docs.stripe.com/refunds#refund-events): sent for every refund
#: from API version 2024-10-28.acacia; ``refund.failed`` is newer than the 2023-08-16
#: spec above (stripe-python 11.2.0 added it on 2024-10-29).
REFUND_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "refund.created",
        "refund.failed",
        "refund.updated",
    }
)

#: Customers, PaymentMethods and SetupIntents: how a payment method is saved for later
#: (https://docs.stripe.com/api/events/types; customer.*, payment_method.*,
#: setup_intent.*). There is no ``setup_intent.processing`` event.
SAVED_METHOD_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "customer.created",
        "customer.deleted",
        "customer.updated",
        "payment_method.attached",
        "payment_method.automatically_updated",
        "payment_method.detached",
        "payment_method.updated",
        "setup_intent.canceled",
        "setup_intent.created",
        "setup_intent.requires_action",
        "setup_intent.setup_failed",
        "setup_intent.succeeded",
    }
)

#: The PaymentIntent and Charge events: what a payment's lifecycle emits and the log
#: checker reads (refund events describe another object: ``REFUND_EVENT_TYPES``).
EVENT_TYPES: frozenset[str] = PAYMENT_INTENT_EVENT_TYPES | CHARGE_EVENT_TYPES
