"""The request parameters of the Refunds API, as one table: ``REFUND_RULES``.

The same rows and the same coercion as the PaymentIntent's ``RULES``
(``paykit.params.rules``), so a value reads the same on every object. Source: the
``POST /v1/refunds`` and ``POST /v1/refunds/{refund}`` request bodies of Stripe's OpenAPI
spec (2024-04-10; https://docs.stripe.com/api/refunds/create). The Connect and
customer-balance parameters (``refund_application_fee``, ``reverse_transfer``,
``origin``, ``customer``, ``currency``) are outside what paykit models: they are refused
as unknown rather than accepted and ignored.

>>> sorted(name for name, rule in REFUND_RULES.items() if "update" in rule.operations)
['expand', 'metadata']
"""

from __future__ import annotations

from types import MappingProxyType

from paykit.params.rules import Kind, ParamRule, _check_rules

__all__ = ["REFUND_REASONS", "REFUND_RULES"]

#: The reasons a caller may give (the object adds Stripe's own ``expired_uncaptured_charge``).
REFUND_REASONS: tuple[str, ...] = ("duplicate", "fraudulent", "requested_by_customer")

REFUND_RULES: MappingProxyType[str, ParamRule] = MappingProxyType({
    rule.name: rule for rule in (
        ParamRule("amount", Kind.INTEGER, ("create",),
                  "How much to refund, in the smallest currency unit; without it, all that "
                  "is left of the charge.", minimum=1),
        ParamRule("charge", Kind.STRING, ("create",),
                  "The charge to refund (or give payment_intent).", max_length=5000),
        ParamRule("expand", Kind.ARRAY, ("create", "update", "cancel"),
                  "Fields to expand in the response.", max_length=5000),
        ParamRule("instructions_email", Kind.EMAIL, ("create",),
                  "Where to send refund instructions, for methods without native refunds."),
        ParamRule("metadata", Kind.METADATA, ("create", "update"),
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=("update",)),
        ParamRule("payment_intent", Kind.STRING, ("create",),
                  "The PaymentIntent whose charge to refund (or give charge).",
                  max_length=5000),
        ParamRule("reason", Kind.ENUM, ("create",),
                  "Why you refund; fraudulent also adds the card and email to your block "
                  "lists.", enum=REFUND_REASONS, max_length=5000),
    )
})

_check_rules(REFUND_RULES, ("create", "update", "cancel"))
