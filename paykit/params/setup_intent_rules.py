"""The request parameters of the SetupIntents API, as one table: ``SETUP_INTENT_RULES``.

Read by the same coercion as every other object's parameters. Source: the request bodies
of ``POST /v1/setup_intents``, ``…/{intent}``, ``…/confirm`` and ``…/cancel`` in Stripe's
OpenAPI spec (2024-04-10; https://docs.stripe.com/api/setup_intents/create). Connect
(``on_behalf_of``, ``attach_to_self``), ``confirmation_token``,
``payment_method_configuration`` and ``single_use`` mandates are outside what paykit
models and refused as unknown.

>>> SETUP_INTENT_RULES["usage"].enum
('off_session', 'on_session')
"""

from __future__ import annotations

from types import MappingProxyType

from paykit.params.rules import (
    _FIELDS,
    _TEXT,
    PAYMENT_METHOD_TYPES,
    Field,
    Kind,
    ParamRule,
    _check_rules,
)

__all__ = ["SETUP_INTENT_OPERATIONS", "SETUP_INTENT_RULES"]

#: The operations that take parameters, in the order the rows list them.
SETUP_INTENT_OPERATIONS: tuple[str, ...] = ("create", "update", "confirm", "cancel")

_CARD_OPTIONS = {"card": Field(Kind.OBJECT, fields={
    "request_three_d_secure": Field(Kind.ENUM, enum=("any", "automatic", "challenge")),
    "mandate_options": Field(Kind.OBJECT), "network": _TEXT})}

SETUP_INTENT_RULES: MappingProxyType[str, ParamRule] = MappingProxyType({
    rule.name: rule for rule in (
        ParamRule("allowed_payment_method_types", Kind.ARRAY, ("create", "update", "confirm"),
                  "The types this SetupIntent may use, filtered to the compatible ones "
                  "(from 2026-07-29.dahlia).", enum=PAYMENT_METHOD_TYPES, max_length=5000),
        ParamRule("automatic_payment_methods", Kind.OBJECT, ("create",),
                  "Accept the payment methods enabled in the Dashboard.",
                  fields=_FIELDS["automatic_payment_methods"]),
        ParamRule("cancellation_reason", Kind.ENUM, ("cancel",), "Why you cancel.",
                  enum=("abandoned", "duplicate", "requested_by_customer")),
        ParamRule("client_secret", Kind.STRING, ("confirm",),
                  "The SetupIntent's client secret (a publishable-key confirm).",
                  max_length=5000),
        ParamRule("confirm", Kind.BOOLEAN, ("create",), "Confirm it at once."),
        ParamRule("customer", Kind.STRING, ("create", "update"),
                  "The Customer the method is saved to when the setup succeeds.",
                  max_length=5000),
        ParamRule("description", Kind.STRING, ("create", "update"),
                  "Your description of the setup.", max_length=1000, unsettable=("update",)),
        ParamRule("excluded_payment_method_types", Kind.ARRAY, ("create", "update", "confirm"),
                  "Types to leave out of the automatic payment methods (from "
                  "2025-08-27.basil).", enum=PAYMENT_METHOD_TYPES, max_length=5000,
                  unsettable=("update", "confirm")),
        ParamRule("expand", Kind.ARRAY, SETUP_INTENT_OPERATIONS,
                  "Fields to expand in the response.", max_length=5000),
        ParamRule("flow_directions", Kind.ARRAY, ("create", "update"),
                  "Whether the method will take money in (inbound) or pay out (outbound).",
                  enum=("inbound", "outbound")),
        ParamRule("mandate_data", Kind.OBJECT, ("create", "confirm"),
                  "The mandate the customer accepted (bank debits).",
                  fields=_FIELDS["mandate_data"]),
        ParamRule("metadata", Kind.METADATA, ("create", "update"),
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=("update",)),
        ParamRule("payment_method", Kind.STRING, ("create", "update", "confirm"),
                  "The PaymentMethod to set up.", max_length=5000),
        ParamRule("payment_method_data", Kind.OBJECT, ("create", "update", "confirm"),
                  "Details to create a PaymentMethod from."),
        ParamRule("payment_method_options", Kind.OBJECT, ("create", "update", "confirm"),
                  "Options per payment method type.", fields=_CARD_OPTIONS),
        ParamRule("payment_method_types", Kind.ARRAY, ("create", "update"),
                  "The types this SetupIntent may use (refused from 2026-09-30.endive).",
                  enum=PAYMENT_METHOD_TYPES, max_length=5000),
        ParamRule("return_url", Kind.URL, ("create", "confirm"),
                  "Where to send the customer back after a redirect."),
        ParamRule("usage", Kind.ENUM, ("create",),
                  "How you will use the method: off_session (the default) or on_session.",
                  enum=("off_session", "on_session")),
        ParamRule("use_stripe_sdk", Kind.BOOLEAN, ("create", "confirm"),
                  "Let Stripe.js handle next actions."),
    )
})

_check_rules(SETUP_INTENT_RULES, SETUP_INTENT_OPERATIONS)
