"""The request parameters of the PaymentMethods API, as one table: ``PAYMENT_METHOD_RULES``.

Read by the same coercion as every other object's parameters. Source: the request bodies
of ``POST /v1/payment_methods``, ``/v1/payment_methods/{id}``, ``…/attach`` and
``…/detach`` in Stripe's OpenAPI spec (2024-04-10;
https://docs.stripe.com/api/payment_methods/create). ``customer`` + ``payment_method``
(Connect cloning) and ``radar_options`` are outside what paykit models and refused as
unknown. Only the test numbers of https://docs.stripe.com/testing make a method, as in
test mode.

>>> PAYMENT_METHOD_RULES["card"].fields["exp_year"].kind
<Kind.INTEGER: 'integer'>
"""

from __future__ import annotations

from types import MappingProxyType

from paykit.params.rules import (
    _ADDRESS,
    _TEXT,
    PAYMENT_METHOD_TYPES,
    Field,
    Kind,
    ParamRule,
    _check_rules,
)

__all__ = ["PAYMENT_METHOD_OPERATIONS", "PAYMENT_METHOD_RULES"]

#: The operations that take parameters, in the order the rows list them.
PAYMENT_METHOD_OPERATIONS: tuple[str, ...] = ("create", "update", "attach", "detach")

_REDISPLAY = ("always", "limited", "unspecified")
_BILLING = {"address": _ADDRESS, "email": Field(Kind.STRING, max_length=5000,
                                                unsettable=True),
            "name": Field(Kind.STRING, max_length=5000, unsettable=True),
            "phone": Field(Kind.STRING, max_length=5000, unsettable=True)}

PAYMENT_METHOD_RULES: MappingProxyType[str, ParamRule] = MappingProxyType({
    rule.name: rule for rule in (
        ParamRule("allow_redisplay", Kind.ENUM, ("create", "update"),
                  "Whether checkout flows may show it to its customer again.",
                  enum=_REDISPLAY),
        ParamRule("billing_details", Kind.OBJECT, ("create", "update"),
                  "Billing information: address, email, name, phone.", fields=_BILLING),
        ParamRule("card", Kind.OBJECT, ("create", "update"),
                  "A test card: number, exp_month, exp_year, cvc (or a token); on update, "
                  "only the expiry.",
                  fields={"cvc": _TEXT, "exp_month": Field(Kind.INTEGER, minimum=1),
                          "exp_year": Field(Kind.INTEGER, minimum=1), "number": _TEXT,
                          "token": _TEXT, "networks": Field(Kind.OBJECT)}),
        ParamRule("customer", Kind.STRING, ("attach",), "The Customer to attach it to.",
                  required_in=("attach",), max_length=5000),
        ParamRule("expand", Kind.ARRAY, PAYMENT_METHOD_OPERATIONS,
                  "Fields to expand in the response.", max_length=5000),
        ParamRule("metadata", Kind.METADATA, ("create", "update"),
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=("update",)),
        ParamRule("sepa_debit", Kind.OBJECT, ("create",), "A test IBAN: iban.",
                  fields={"iban": _TEXT}),
        ParamRule("type", Kind.ENUM, ("create",), "The type of the new PaymentMethod.",
                  required_in=("create",), enum=PAYMENT_METHOD_TYPES),
        ParamRule("us_bank_account", Kind.OBJECT, ("create", "update"),
                  "A test bank account: routing_number, account_number, account_holder_type, "
                  "account_type.",
                  fields={"account_holder_type": Field(Kind.ENUM,
                                                       enum=("company", "individual")),
                          "account_number": _TEXT,
                          "account_type": Field(Kind.ENUM, enum=("checking", "savings")),
                          "financial_connections_account": _TEXT, "routing_number": _TEXT}),
    )
})

_check_rules(PAYMENT_METHOD_RULES, PAYMENT_METHOD_OPERATIONS)
