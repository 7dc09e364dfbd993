"""The request parameters of the Customers API, as one table: ``CUSTOMER_RULES``.

Read by the same coercion as every other object's parameters. Source: the
``POST /v1/customers`` and ``POST /v1/customers/{customer}`` request bodies of Stripe's
OpenAPI spec (2024-04-10; https://docs.stripe.com/api/customers/create), with their
length limits (``email`` 512, ``name`` 256, ``phone`` 20). Billing parameters paykit
does not model (``cash_balance``, ``coupon``, ``source``, ``tax``, ``tax_id_data``,
``test_clock``, the legacy card sources) are refused as unknown, not ignored.

>>> CUSTOMER_RULES["email"].max_length, CUSTOMER_RULES["email"].unsettable
(512, ('update',))
"""

from __future__ import annotations

from types import MappingProxyType

from paykit.params.rules import _ADDRESS, _TEXT, Field, Kind, ParamRule, _check_rules

__all__ = ["CUSTOMER_RULES"]

_BOTH = ("create", "update")
_UNSET = ("update",)

CUSTOMER_RULES: MappingProxyType[str, ParamRule] = MappingProxyType({
    rule.name: rule for rule in (
        ParamRule("address", Kind.OBJECT, _BOTH, "The customer's address.",
                  unsettable=_UNSET, fields=_ADDRESS.fields),
        ParamRule("balance", Kind.INTEGER, _BOTH,
                  "Credit (negative) or debt (positive) for the next invoice, in the "
                  "smallest currency unit.", minimum=-(2**63 - 1)),
        ParamRule("business_name", Kind.STRING, _BOTH,
                  "The customer's business name (from 2025-09-30.clover).", max_length=150,
                  unsettable=_UNSET),
        ParamRule("description", Kind.STRING, _BOTH, "Your note about the customer.",
                  max_length=5000, unsettable=_UNSET),
        ParamRule("email", Kind.EMAIL, _BOTH, "The customer's email address.",
                  max_length=512, unsettable=_UNSET),
        ParamRule("expand", Kind.ARRAY, _BOTH, "Fields to expand in the response.",
                  max_length=5000),
        ParamRule("individual_name", Kind.STRING, _BOTH,
                  "The customer's full name as an individual (from 2025-09-30.clover).",
                  max_length=150, unsettable=_UNSET),
        ParamRule("invoice_prefix", Kind.STRING, _BOTH,
                  "The prefix of the customer's invoice numbers (3-12 uppercase letters or "
                  "digits).", max_length=12),
        ParamRule("invoice_settings", Kind.OBJECT, _BOTH,
                  "Invoice defaults: default_payment_method names an attached method.",
                  fields={"custom_fields": Field(Kind.OBJECT, unsettable=True),
                          "default_payment_method": _TEXT,
                          "footer": Field(Kind.STRING, max_length=5000),
                          "rendering_options": Field(Kind.OBJECT, unsettable=True)}),
        ParamRule("metadata", Kind.METADATA, _BOTH,
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=_UNSET),
        ParamRule("name", Kind.STRING, _BOTH, "The customer's full name or business name.",
                  max_length=256, unsettable=_UNSET),
        ParamRule("next_invoice_sequence", Kind.INTEGER, _BOTH,
                  "The sequence number of the customer's next invoice.", minimum=1),
        ParamRule("payment_method", Kind.STRING, ("create",),
                  "A PaymentMethod to attach to the new customer.", max_length=5000),
        ParamRule("phone", Kind.STRING, _BOTH, "The customer's phone number.",
                  max_length=20, unsettable=_UNSET),
        ParamRule("preferred_locales", Kind.ARRAY, _BOTH,
                  "The customer's preferred languages, most preferred first.",
                  unsettable=_UNSET),
        ParamRule("shipping", Kind.OBJECT, _BOTH, "Where to ship to.", unsettable=_UNSET,
                  fields={"address": _ADDRESS, "name": _TEXT, "phone": _TEXT}),
        ParamRule("tax_exempt", Kind.ENUM, _BOTH, "The customer's tax exemption.",
                  enum=("exempt", "none", "reverse"), unsettable=_UNSET),
    )
})

_check_rules(CUSTOMER_RULES, ("create", "update"))


