"""The request parameters of the PaymentIntents API: one table, and what reads it.

- ``rules``                  the table, ``RULES``: every parameter, its kind, its limits
  and the keys of its hashes (checked when imported)
- ``coercion``               one function per kind: form text and Python values become
  typed values the same way for the Python API, HTTP and the widgets
- ``validation``             ``validate`` (the engine) and ``check`` (the widgets, the
  log audit): a whole request, every problem in Stripe's order
- ``statement_descriptors``  the statement text rules and the card statement preview
- ``metadata``               the metadata limits, and how an update merges
- ``cross_rules``            ``CROSS_RULES``: the rules across parameters (confirm-only,
  a card's statement_descriptor, a fee above the amount, updates by status)
- ``problems``               ``Problem``: what a broken rule reports
- ``refund_rules``, ``customer_rules``, ``payment_method_rules``,
  ``webhook_endpoint_rules``: the other objects' parameter tables, read by the same
  coercion (``validate_object``)

Nothing else restates these rules: amounts read their limits from ``paykit.currencies``,
the modelled payment-method types come from ``paykit.payment_methods``.

>>> validate("create", {"amount": 1099, "currency": "usd",
...                     "automatic_payment_methods": {"enabled": "false"}})
{'amount': 1099, 'currency': 'usd', 'automatic_payment_methods': {'enabled': False}}
"""

from __future__ import annotations

from paykit.params.cross_rules import CROSS_RULES
from paykit.params.customer_rules import CUSTOMER_RULES
from paykit.params.metadata import (
    METADATA_LIMITS,
    MetadataLimits,
    merge_metadata,
    metadata_problems,
)
from paykit.params.payment_method_rules import PAYMENT_METHOD_RULES
from paykit.params.problems import Problem
from paykit.params.refund_rules import REFUND_REASONS, REFUND_RULES
from paykit.params.rules import (
    CONFIRM_ONLY_PARAMS,
    OPERATIONS,
    PAYMENT_METHOD_TYPES,
    RULES,
    Kind,
    ParamDefinitionError,
    ParamRule,
    markdown_table,
    rules_for,
)
from paykit.params.statement_descriptors import (
    CARD_STATEMENT_DESCRIPTOR_CUTOFF,
    COMPLETE_MIN_LENGTH,
    DESCRIPTOR_RULES,
    FORBIDDEN_DESCRIPTOR_CHARACTERS,
    PREFIX_LENGTH,
    DescriptorRule,
    StatementPreview,
    customer_statement,
    statement_descriptor_problems,
)
from paykit.params.validation import check, validate, validate_object
from paykit.params.webhook_endpoint_rules import WEBHOOK_ENDPOINT_RULES, WEBHOOK_EVENT_TYPES

__all__ = [
    "CARD_STATEMENT_DESCRIPTOR_CUTOFF",
    "COMPLETE_MIN_LENGTH",
    "CONFIRM_ONLY_PARAMS",
    "CROSS_RULES",
    "CUSTOMER_RULES",
    "DESCRIPTOR_RULES",
    "FORBIDDEN_DESCRIPTOR_CHARACTERS",
    "METADATA_LIMITS",
    "OPERATIONS",
    "PAYMENT_METHOD_RULES",
    "PAYMENT_METHOD_TYPES",
    "PREFIX_LENGTH",
    "REFUND_REASONS",
    "REFUND_RULES",
    "RULES",
    "WEBHOOK_ENDPOINT_RULES",
    "WEBHOOK_EVENT_TYPES",
    "DescriptorRule",
    "Kind",
    "MetadataLimits",
    "ParamDefinitionError",
    "ParamRule",
    "Problem",
    "StatementPreview",
    "check",
    "customer_statement",
    "markdown_table",
    "merge_metadata",
    "metadata_problems",
    "rules_for",
    "statement_descriptor_problems",
    "validate",
    "validate_object",
]
