"""The request parameters of the PaymentIntents API, as ONE declarative table: ``RULES``.

Each row is a top-level parameter of ``POST /v1/payment_intents`` (create), ``…/{id}``
(update), ``…/confirm``, ``…/capture``, ``…/cancel`` and ``…/increment_authorization``,
as the OpenAPI spec of API version 2023-08-16 declares them
(https://github.com/stripe/openapi/blob/63a674638635c68de26b9f3add13e58198f4df44/openapi/spec3.yaml;
the same parameters are documented at https://docs.stripe.com/api/payment_intents/create):
its type, the operations that accept it, where it is required, where ``""`` unsets it,
its enum values and length limit, whether ``create`` takes it only with
``confirm=true``, and in which statuses an update may still change it.

An object parameter also lists its keys (``fields``), typed the same way, so that
``automatic_payment_methods[enabled]`` is a boolean wherever it comes from. Keys the
table does not list are kept as given: paykit models part of each hash, not all of it.

The table is checked when this module is imported: a contradictory row cannot load.

>>> RULES["confirm"].kind, RULES["automatic_payment_methods"].fields["enabled"].name
(<Kind.BOOLEAN: 'boolean'>, 'automatic_payment_methods[enabled]')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

from paykit.lifecycle import Status
from paykit.payment_methods import MODELLED_TYPES

__all__ = [
    "CONFIRM_ONLY_PARAMS",
    "OPERATIONS",
    "PAYMENT_METHOD_TYPES",
    "RULES",
    "Field",
    "Kind",
    "ParamDefinitionError",
    "ParamRule",
    "markdown_table",
    "rules_for",
]

#: The six PaymentIntent operations that take parameters (apply_customer_balance and
#: verify_microdeposits are out of paykit's scope).
OPERATIONS: tuple[str, ...] = (
    "create", "update", "confirm", "capture", "cancel", "increment_authorization",
)

#: Payment method types the 2023-08-16 spec knows: ``card`` (and the Terminal ones),
#: plus every ``payment_method_data[type]`` value. paykit models three of them
#: (``paykit.payment_methods.METHOD_TYPES``); the others are accepted names.
PAYMENT_METHOD_TYPES: tuple[str, ...] = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit",
    "bancontact", "blik", "boleto", "card", "card_present", "cashapp", "customer_balance",
    "eps", "fpx", "giropay", "grabpay", "ideal", "interac_present", "klarna", "konbini",
    "link", "oxxo", "p24", "paynow", "paypal", "pix", "promptpay", "sepa_debit", "sofort",
    "us_bank_account", "wechat_pay", "zip",
)

# The three statuses in which the payment itself (amount, method, capture) can change.
_BEFORE_PAYMENT = frozenset(
    {Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION, Status.REQUIRES_ACTION}
)
_ANY_STATUS = frozenset(Status)


class Kind(StrEnum):
    """How the API reads a parameter's value."""

    INTEGER = "integer"
    AMOUNT = "amount"  # an integer checked against the currency's limits
    BOOLEAN = "boolean"  # with ``enum``, those strings are accepted too (off_session)
    STRING = "string"
    EMAIL = "email"
    URL = "url"
    ENUM = "enum"
    CURRENCY = "currency"
    STATEMENT_DESCRIPTOR = "statement_descriptor"
    OBJECT = "object"  # with ``fields``, its keys are typed too
    ARRAY = "array"  # of strings; ``enum`` and ``max_length`` apply to the items
    METADATA = "metadata"


def _ops(*names: str) -> tuple[str, ...]:
    """Operation names in ``OPERATIONS`` order, so every row reads the same way."""
    return tuple(op for op in OPERATIONS if op in names)


_NO_FIELDS: Mapping[str, Field] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an object parameter: ``automatic_payment_methods[enabled]``.

    ``name`` is the bracketed name errors report; the table fills it in. ``unsettable``:
    ``""`` unsets this key (it is refused as empty otherwise).
    """

    kind: Kind
    enum: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: int | None = None  # integers only
    unsettable: bool = False
    fields: Mapping[str, Field] = field(default_factory=lambda: _NO_FIELDS, hash=False)
    name: str = ""


@dataclass(frozen=True, slots=True)
class ParamRule:
    """One top-level request parameter and every rule the API applies to it.

    ``updatable_in`` only matters for ``update``: the statuses in which an update may
    still change this parameter (paykit's choice, documented on ``RULES``).
    """

    name: str
    kind: Kind
    operations: tuple[str, ...]
    doc: str
    required_in: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    max_length: int | None = None
    unsettable: tuple[str, ...] = ()
    confirm_only: bool = False
    updatable_in: frozenset[Status] = _ANY_STATUS
    minimum: int | None = None  # integers only
    fields: Mapping[str, Field] = field(default_factory=lambda: _NO_FIELDS, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _named(self.name, self.fields))


def _named(parent: str, fields: Mapping[str, Field]) -> Mapping[str, Field]:
    """The keys of ``parent`` with their bracketed names, all the way down."""
    if not fields:
        return _NO_FIELDS
    named = {}
    for key, spec in fields.items():
        name = f"{parent}[{key}]"
        named[key] = replace(spec, name=name, fields=_named(name, spec.fields))
    return MappingProxyType(named)


# -- the keys of object parameters (2023-08-16 spec, request bodies) ---------------------------


def _hash(unsettable: bool = False, /, **fields: Field) -> Field:
    """An object key; without ``fields``, its content is kept as given."""
    return Field(Kind.OBJECT, unsettable=unsettable, fields=fields)


_TEXT = Field(Kind.STRING, max_length=5000)
_ANY_TEXT = Field(Kind.STRING)  # the spec gives no maxLength
# Enums the spec marks x-stripeBypassValidation (network, request_three_d_secure,
# verification_method: later API versions add values, such as
# request_three_d_secure=challenge) are read as text: paykit does not check the values.
_SETUP_FUTURE_USAGE = Field(Kind.ENUM, enum=("none", "off_session", "on_session"),
                            unsettable=True)
_ADDRESS = _hash(False, **dict.fromkeys(("city", "country", "line1", "line2",
                                         "postal_code", "state"), _TEXT))

#: ``payment_method_options[<type>]`` for each type paykit models.
_METHOD_OPTIONS: dict[str, Field] = {
    "card": _hash(
        True,
        capture_method=Field(Kind.ENUM, enum=("manual",), unsettable=True),
        cvc_token=_TEXT,
        installments=_hash(
            enabled=Field(Kind.BOOLEAN),
            plan=_hash(True, count=Field(Kind.INTEGER, minimum=0),
                       interval=Field(Kind.ENUM, enum=("month",)),
                       type=Field(Kind.ENUM, enum=("fixed_count",))),
        ),
        mandate_options=_hash(),
        network=_TEXT,
        request_three_d_secure=_TEXT,
        setup_future_usage=_SETUP_FUTURE_USAGE,
        statement_descriptor_suffix_kana=Field(Kind.STRING, max_length=22, unsettable=True),
        statement_descriptor_suffix_kanji=Field(Kind.STRING, max_length=17,
                                                unsettable=True),
    ),
    "sepa_debit": _hash(True, mandate_options=_hash(),
                        setup_future_usage=_SETUP_FUTURE_USAGE),
    "us_bank_account": _hash(
        True,
        financial_connections=_hash(),
        networks=_hash(),
        preferred_settlement_speed=Field(Kind.ENUM, enum=("fastest", "standard"),
                                         unsettable=True),
        setup_future_usage=_SETUP_FUTURE_USAGE,
        verification_method=_ANY_TEXT,
    ),
}

_FIELDS: dict[str, dict[str, Field]] = {
    "automatic_payment_methods": {
        "allow_redirects": Field(Kind.ENUM, enum=("always", "never")),
        "enabled": Field(Kind.BOOLEAN),
    },
    "mandate_data": {
        "customer_acceptance": _hash(
            accepted_at=Field(Kind.INTEGER, minimum=0),
            offline=_hash(),
            online=_hash(ip_address=_ANY_TEXT, user_agent=_TEXT),
            type=Field(Kind.ENUM, enum=("offline", "online"), max_length=5000),
        ),
    },
    "payment_method_options": {name: _METHOD_OPTIONS[name] for name in MODELLED_TYPES},
    "radar_options": {"session": _TEXT},
    "shipping": {"address": _ADDRESS, "carrier": _TEXT, "name": _TEXT, "phone": _TEXT,
                 "tracking_number": _TEXT},
    "transfer_data": {"amount": Field(Kind.INTEGER, minimum=0), "destination": _ANY_TEXT},
}


# -- the table -----------------------------------------------------------------------------

_ALL = OPERATIONS

#: Every top-level parameter of the six operations (the spec's request bodies;
#: ``expand`` too). ``updatable_in`` is paykit's choice where Stripe documents none:
#: what the payment is (amount, currency, method, capture, descriptors, Connect transfers,
#: customer) may change only in requires_payment_method / requires_confirmation /
#: requires_action; notes about it (metadata, description, receipt_email, shipping) may
#: change in every status.
RULES: dict[str, ParamRule] = {
    rule.name: rule
    for rule in (
        ParamRule("amount", Kind.AMOUNT, _ops("create", "update", "increment_authorization"),
                  "What to collect, in the smallest currency unit (1099 = $10.99); on "
                  "increment_authorization, the new total.",
                  required_in=_ops("create", "increment_authorization"),
                  updatable_in=_BEFORE_PAYMENT, minimum=1),
        ParamRule("allowed_payment_method_types", Kind.ARRAY,
                  _ops("create", "update", "confirm"),
                  "The types this intent may use, filtered to those compatible with it "
                  "(from 2026-07-29.dahlia; replaces payment_method_types).",
                  enum=PAYMENT_METHOD_TYPES, max_length=5000, updatable_in=_BEFORE_PAYMENT),
        ParamRule("amount_to_capture", Kind.INTEGER, _ops("capture"),
                  "How much of amount_capturable to capture; the rest is released.",
                  minimum=1),
        ParamRule("application_fee_amount", Kind.INTEGER,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Connect: the platform's fee, capped at the amount.",
                  unsettable=_ops("update"), updatable_in=_BEFORE_PAYMENT, minimum=0),
        ParamRule("automatic_payment_methods", Kind.OBJECT, _ops("create"),
                  "Accept the payment methods enabled in the Dashboard.",
                  fields=_FIELDS["automatic_payment_methods"]),
        ParamRule("cancellation_reason", Kind.ENUM, _ops("cancel"),
                  "Why you cancel (the four user-provided reasons).",
                  enum=("abandoned", "duplicate", "fraudulent", "requested_by_customer"),
                  max_length=5000),
        ParamRule("capture_method", Kind.ENUM, _ops("create", "update", "confirm"),
                  "automatic: capture on confirm; manual: authorise now, capture later.",
                  enum=("automatic", "automatic_async", "manual"),
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("client_secret", Kind.STRING, _ops("confirm"),
                  "The intent's client secret, when confirming with a publishable key.",
                  max_length=5000),
        ParamRule("confirm", Kind.BOOLEAN, _ops("create"),
                  "Create and confirm in one call (defaults to false)."),
        ParamRule("confirmation_method", Kind.ENUM, _ops("create"),
                  "manual: only your server (secret key) may confirm.",
                  enum=("automatic", "manual")),
        ParamRule("currency", Kind.CURRENCY, _ops("create", "update"),
                  "Three-letter ISO code, lowercase, of a supported currency.",
                  required_in=_ops("create"), updatable_in=_BEFORE_PAYMENT),
        ParamRule("customer", Kind.STRING, _ops("create", "update"),
                  "The Customer (cus_…) this payment belongs to.", max_length=5000,
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("description", Kind.STRING,
                  _ops("create", "update", "increment_authorization"),
                  "Free text for you and the customer.", max_length=1000),
        ParamRule("error_on_requires_action", Kind.BOOLEAN, _ops("create", "confirm"),
                  "Fail instead of entering requires_action.", confirm_only=True),
        ParamRule("excluded_payment_method_types", Kind.ARRAY,
                  _ops("create", "update", "confirm"),
                  "Types to leave out of the automatic payment methods (from "
                  "2025-08-27.basil).", enum=PAYMENT_METHOD_TYPES, max_length=5000,
                  unsettable=_ops("update", "confirm"), updatable_in=_BEFORE_PAYMENT),
        ParamRule("expand", Kind.ARRAY, _ALL,
                  "Fields to expand in the response.", max_length=5000),
        ParamRule("mandate", Kind.STRING, _ops("create", "confirm"),
                  "An existing mandate (mandate_…) for this payment.", max_length=5000,
                  confirm_only=True),
        ParamRule("mandate_data", Kind.OBJECT, _ops("create", "confirm"),
                  "The mandate to create (bank debits).",
                  unsettable=_ops("create", "confirm"), confirm_only=True,
                  fields=_FIELDS["mandate_data"]),
        ParamRule("metadata", Kind.METADATA,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=_ops("update", "capture")),
        ParamRule("off_session", Kind.BOOLEAN, _ops("create", "confirm"),
                  "The customer is not present to authenticate (true, one_off, recurring).",
                  enum=("one_off", "recurring"), max_length=5000, confirm_only=True),
        ParamRule("on_behalf_of", Kind.STRING, _ops("create"),
                  "Connect: the account the funds are for."),
        ParamRule("payment_method", Kind.STRING, _ops("create", "update", "confirm"),
                  "The PaymentMethod (pm_…) to charge; changing it needs a new confirm.",
                  max_length=5000, updatable_in=_BEFORE_PAYMENT),
        ParamRule("payment_method_data", Kind.OBJECT, _ops("create", "update", "confirm"),
                  "Details to create a PaymentMethod from.", updatable_in=_BEFORE_PAYMENT),
        ParamRule("payment_method_options", Kind.OBJECT, _ops("create", "update", "confirm"),
                  "Options per payment method type.", updatable_in=_BEFORE_PAYMENT,
                  fields=_FIELDS["payment_method_options"]),
        ParamRule("payment_method_types", Kind.ARRAY, _ops("create", "update", "confirm"),
                  "The types this intent may use (2023-08-16 default: [\"card\"]); "
                  "refused from 2026-09-30.endive.",
                  enum=PAYMENT_METHOD_TYPES, max_length=5000, updatable_in=_BEFORE_PAYMENT),
        ParamRule("radar_options", Kind.OBJECT, _ops("create", "confirm"),
                  "Radar session for fraud checks.", fields=_FIELDS["radar_options"]),
        ParamRule("receipt_email", Kind.EMAIL, _ops("create", "update", "confirm"),
                  "Where to send the receipt.", unsettable=_ops("update", "confirm")),
        ParamRule("return_url", Kind.URL, _ops("create", "confirm"),
                  "Where the customer returns after a redirect (3DS, bank pages).",
                  confirm_only=True),
        ParamRule("setup_future_usage", Kind.ENUM, _ops("create", "update", "confirm"),
                  "Save the payment method for later payments.",
                  enum=("on_session", "off_session"), unsettable=_ops("update", "confirm"),
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("shipping", Kind.OBJECT, _ops("create", "update", "confirm"),
                  "Shipping name, address, carrier and tracking number.",
                  unsettable=_ops("update", "confirm"), fields=_FIELDS["shipping"]),
        ParamRule("statement_descriptor", Kind.STATEMENT_DESCRIPTOR,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "The complete statement text for non-card charges (≤ 22 characters).",
                  max_length=22, updatable_in=_BEFORE_PAYMENT),
        ParamRule("statement_descriptor_suffix", Kind.STATEMENT_DESCRIPTOR,
                  _ops("create", "update", "capture"),
                  "Appended to the card prefix as PREFIX* SUFFIX (22 characters in all).",
                  max_length=22, updatable_in=_BEFORE_PAYMENT),
        ParamRule("transfer_data", Kind.OBJECT,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Connect: the transfer to create when the payment succeeds.",
                  updatable_in=_BEFORE_PAYMENT, fields=_FIELDS["transfer_data"]),
        ParamRule("transfer_group", Kind.STRING, _ops("create", "update"),
                  "Connect: groups this payment with transfers.",
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("use_stripe_sdk", Kind.BOOLEAN, _ops("create", "confirm"),
                  "Let Stripe.js or the mobile SDKs handle next actions."),
    )
}


class ParamDefinitionError(Exception):
    """The rule table contradicts itself."""


_ENUM_KINDS = {Kind.ENUM, Kind.BOOLEAN, Kind.ARRAY}
_INTEGER_KINDS = {Kind.INTEGER, Kind.AMOUNT}
#: What a key of an object parameter can be (amounts, currencies, descriptors and
#: metadata need the request around them, so they are top-level only).
_FIELD_KINDS = {Kind.INTEGER, Kind.BOOLEAN, Kind.STRING, Kind.ENUM, Kind.OBJECT, Kind.ARRAY}


def _kind_problems(spec: ParamRule | Field) -> list[str]:
    """What is wrong with a rule's or a key's kind, enum, minimum and keys."""
    problems = []
    if spec.kind is Kind.ENUM and not spec.enum:
        problems.append("an enum needs values")
    if spec.enum and spec.kind not in _ENUM_KINDS:
        problems.append(f"{spec.kind} takes no enum")
    if (spec.minimum is not None) != (spec.kind in _INTEGER_KINDS):
        problems.append("integers, and only integers, have a minimum")
    if spec.fields and spec.kind is not Kind.OBJECT:
        problems.append("only objects have fields")
    for key, sub in spec.fields.items():
        if sub.kind not in _FIELD_KINDS:
            problems.append(f"{key}: {sub.kind} cannot be a key of an object")
        problems += [f"{key}: {why}" for why in _kind_problems(sub)]
    return problems


def _check_rules(rules: Mapping[str, ParamRule],
                 operations: tuple[str, ...] = OPERATIONS) -> None:
    """Refuse a table that cannot describe the API (checked at import). ``operations``
    are the object's operations, in order (the PaymentIntent's by default)."""
    for name, rule in rules.items():
        problems = []
        if name != rule.name:
            problems.append("key differs from name")
        ordered = [op for op in operations if op in rule.operations]
        if not rule.operations or list(rule.operations) != ordered:
            problems.append("operations must be a non-empty, ordered subset of the "
                            "object's operations")
        for label, ops in (("required_in", rule.required_in), ("unsettable", rule.unsettable)):
            if not set(ops) <= set(rule.operations):
                problems.append(f"{label} names an operation that does not take it")
        if set(rule.required_in) & set(rule.unsettable):
            problems.append("a required parameter cannot be unset")
        problems += _kind_problems(rule)
        if rule.confirm_only and not {"create", "confirm"} <= set(rule.operations):
            problems.append("confirm_only means: on create only with confirm, so both")
        if rule.updatable_in != _ANY_STATUS and "update" not in rule.operations:
            problems.append("updatable_in restricts update, which does not take it")
        if not rule.doc:
            problems.append("every rule says what it is for")
        if problems:
            raise ParamDefinitionError(f"{name}: {'; '.join(problems)}")


_check_rules(RULES)


_BY_OPERATION: dict[str, dict[str, ParamRule]] = {
    op: {name: rule for name, rule in RULES.items() if op in rule.operations}
    for op in OPERATIONS
}

#: What ``create`` accepts only together with ``confirm=true``.
CONFIRM_ONLY_PARAMS = frozenset(name for name, rule in RULES.items() if rule.confirm_only)


def rules_for(operation: str) -> dict[str, ParamRule]:
    """The rules of the parameters ``operation`` accepts, in table order.

    An unknown operation is a programming error, not a bad request: ``ValueError``.

    >>> list(rules_for("cancel"))
    ['cancellation_reason', 'expand']
    """
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; expected one of {OPERATIONS}")
    return dict(_BY_OPERATION[operation])


def markdown_table(operation: str | None = None) -> str:
    """The rules as a Markdown table, for the docs and the notebooks."""
    rules = RULES if operation is None else rules_for(operation)
    lines = [
        "| parameter | kind | operations | required in | \"\" unsets in | limits | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules.values():
        limits = []
        if rule.enum and rule.kind is not Kind.ARRAY:
            limits.append(" / ".join(rule.enum))
        if rule.max_length is not None:
            limits.append(f"≤ {rule.max_length} chars")
        if rule.confirm_only:
            limits.append("create: only with confirm=true")
        if rule.updatable_in != _ANY_STATUS:
            limits.append("update: before payment only")
        lines.append(
            f"| `{rule.name}` | {rule.kind} | {', '.join(rule.operations)} "
            f"| {', '.join(rule.required_in) or '—'} | {', '.join(rule.unsettable) or '—'} "
            f"| {'; '.join(limits) or '—'} | {rule.doc} |"
        )
    return "\n".join(lines)
