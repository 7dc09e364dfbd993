"""The request parameters of the PaymentIntents API, as ONE declarative table: ``RULES``.

Each row is a top-level parameter of ``POST /v1/payment_intents`` (create), ``…/{id}``
(update), ``…/confirm``, ``…/capture``, ``…/cancel`` and ``…/increment_authorization``,
as the OpenAPI spec of API version 2023-08-16 declares them (reference §3): its type,
the operations that accept it, where it is required, where ``""`` unsets it, its enum
values and length limit, whether ``create`` takes it only with ``confirm=true``, and in
which statuses an update may still change it.

The engine validates every request with ``validate``; the widgets and the log audit
call ``check``, which lists every problem instead of raising the first. Nothing else
restates these rules: amounts read their limits from ``paykit.currencies``.

What the API receives is form-encoded text (curl, the stripe SDKs), so values are
coerced the way the API reads them: ``"1099"`` is the integer 1099, ``"true"`` is
``True``, ``{"0": "card"}`` is ``["card"]``, and metadata values are stored as strings.

>>> check("create", amount=10, currency="usd")[0].code
'amount_too_small'
>>> validate("create", {"amount": "1099", "currency": "usd", "confirm": "true"})
{'amount': 1099, 'currency': 'usd', 'confirm': True}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple

from paykit import currencies
from paykit.errors import InvalidRequestError
from paykit.lifecycle import Status, parse_status

__all__ = [
    "CARD_STATEMENT_DESCRIPTOR_CUTOFF",
    "COMPLETE_MIN_LENGTH",
    "CONFIRM_ONLY_PARAMS",
    "DESCRIPTOR_RULES",
    "FORBIDDEN_DESCRIPTOR_CHARACTERS",
    "METADATA_LIMITS",
    "OPERATIONS",
    "PAYMENT_METHOD_TYPES",
    "PREFIX_LENGTH",
    "RULES",
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
]

#: The six PaymentIntent operations that take parameters (apply_customer_balance and
#: verify_microdeposits are out of paykit's scope).
OPERATIONS: tuple[str, ...] = (
    "create", "update", "confirm", "capture", "cancel", "increment_authorization",
)

#: From this API version on, ``statement_descriptor`` is refused for card charges.
#: [UNCONFIRMED] The 2023-08-16 spec still accepts it for cards ("For non-card charges,
#: you can use this value…"); newer specs say "Setting this value for a card charge
#: returns an error". Stripe's changelog entry was not found: paykit takes the next
#: major version after 2023-08-16, 2023-10-16, as the cut-off.
CARD_STATEMENT_DESCRIPTOR_CUTOFF = "2023-10-16"

#: Payment method types the 2023-08-16 spec knows: ``card`` (and the Terminal ones),
#: plus every ``payment_method_data[type]`` value.
PAYMENT_METHOD_TYPES: tuple[str, ...] = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit",
    "bancontact", "blik", "boleto", "card", "card_present", "cashapp", "customer_balance",
    "eps", "fpx", "giropay", "grabpay", "ideal", "interac_present", "klarna", "konbini",
    "link", "oxxo", "p24", "paynow", "paypal", "pix", "promptpay", "sepa_debit", "sofort",
    "us_bank_account", "wechat_pay", "zip",
)

#: Characters no statement descriptor may contain (reference §4.2, seed 000).
FORBIDDEN_DESCRIPTOR_CHARACTERS = "<>\\'\"*"

# The three statuses in which the payment itself (amount, method, capture) can change.
_BEFORE_PAYMENT = frozenset(
    {Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION, Status.REQUIRES_ACTION}
)
_ANY_STATUS = frozenset(Status)
_INT64_MAX = 2**63 - 1


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
    OBJECT = "object"
    ARRAY = "array"  # of strings; ``enum`` and ``max_length`` apply to the items
    METADATA = "metadata"


def _ops(*names: str) -> tuple[str, ...]:
    """Operation names in ``OPERATIONS`` order, so every row reads the same way."""
    return tuple(op for op in OPERATIONS if op in names)


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


K = Kind
_ALL = OPERATIONS

#: Every top-level parameter of the six operations (SPEC23 ``requests``; ``expand`` too).
#: ``updatable_in`` is paykit's choice where Stripe documents none: what the payment is
#: (amount, currency, method, capture, descriptors, Connect transfers, customer) may change
#: only in requires_payment_method / requires_confirmation / requires_action; notes about
#: it (metadata, description, receipt_email, shipping) may change in every status.
RULES: dict[str, ParamRule] = {
    rule.name: rule
    for rule in (
        ParamRule("amount", K.AMOUNT, _ops("create", "update", "increment_authorization"),
                  "What to collect, in the smallest currency unit (1099 = $10.99); on "
                  "increment_authorization, the new total.",
                  required_in=_ops("create", "increment_authorization"),
                  updatable_in=_BEFORE_PAYMENT, minimum=1),
        ParamRule("amount_to_capture", K.INTEGER, _ops("capture"),
                  "How much of amount_capturable to capture; the rest is released.",
                  minimum=1),
        ParamRule("application_fee_amount", K.INTEGER,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Connect: the platform's fee, capped at the amount.",
                  unsettable=_ops("update"), updatable_in=_BEFORE_PAYMENT, minimum=0),
        ParamRule("automatic_payment_methods", K.OBJECT, _ops("create"),
                  "Accept the payment methods enabled in the Dashboard."),
        ParamRule("cancellation_reason", K.ENUM, _ops("cancel"),
                  "Why you cancel (the four user-provided reasons).",
                  enum=("abandoned", "duplicate", "fraudulent", "requested_by_customer"),
                  max_length=5000),
        ParamRule("capture_method", K.ENUM, _ops("create", "update", "confirm"),
                  "automatic: capture on confirm; manual: authorise now, capture later.",
                  enum=("automatic", "automatic_async", "manual"),
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("client_secret", K.STRING, _ops("confirm"),
                  "The intent's client secret, when confirming with a publishable key.",
                  max_length=5000),
        ParamRule("confirm", K.BOOLEAN, _ops("create"),
                  "Create and confirm in one call (defaults to false)."),
        ParamRule("confirmation_method", K.ENUM, _ops("create"),
                  "manual: only your server (secret key) may confirm.",
                  enum=("automatic", "manual")),
        ParamRule("currency", K.CURRENCY, _ops("create", "update"),
                  "Three-letter ISO code, lowercase, of a supported currency.",
                  required_in=_ops("create"), updatable_in=_BEFORE_PAYMENT),
        ParamRule("customer", K.STRING, _ops("create", "update"),
                  "The Customer (cus_…) this payment belongs to.", max_length=5000,
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("description", K.STRING, _ops("create", "update", "increment_authorization"),
                  "Free text for you and the customer.", max_length=1000),
        ParamRule("error_on_requires_action", K.BOOLEAN, _ops("create", "confirm"),
                  "Fail instead of entering requires_action.", confirm_only=True),
        ParamRule("expand", K.ARRAY, _ALL,
                  "Fields to expand in the response.", max_length=5000),
        ParamRule("mandate", K.STRING, _ops("create", "confirm"),
                  "An existing mandate (mandate_…) for this payment.", max_length=5000,
                  confirm_only=True),
        ParamRule("mandate_data", K.OBJECT, _ops("create", "confirm"),
                  "The mandate to create (bank debits).",
                  unsettable=_ops("create", "confirm"), confirm_only=True),
        ParamRule("metadata", K.METADATA,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Your key-value pairs; a key set to \"\" is removed, metadata=\"\" "
                  "removes all.", unsettable=_ops("update", "capture")),
        ParamRule("off_session", K.BOOLEAN, _ops("create", "confirm"),
                  "The customer is not present to authenticate (true, one_off, recurring).",
                  enum=("one_off", "recurring"), max_length=5000, confirm_only=True),
        ParamRule("on_behalf_of", K.STRING, _ops("create"),
                  "Connect: the account the funds are for."),
        ParamRule("payment_method", K.STRING, _ops("create", "update", "confirm"),
                  "The PaymentMethod (pm_…) to charge; changing it needs a new confirm.",
                  max_length=5000, updatable_in=_BEFORE_PAYMENT),
        ParamRule("payment_method_data", K.OBJECT, _ops("create", "update", "confirm"),
                  "Details to create a PaymentMethod from.", updatable_in=_BEFORE_PAYMENT),
        ParamRule("payment_method_options", K.OBJECT, _ops("create", "update", "confirm"),
                  "Options per payment method type.", updatable_in=_BEFORE_PAYMENT),
        ParamRule("payment_method_types", K.ARRAY, _ops("create", "update", "confirm"),
                  "The types this intent may use (2023-08-16 default: [\"card\"]).",
                  enum=PAYMENT_METHOD_TYPES, max_length=5000, updatable_in=_BEFORE_PAYMENT),
        ParamRule("radar_options", K.OBJECT, _ops("create", "confirm"),
                  "Radar session for fraud checks."),
        ParamRule("receipt_email", K.EMAIL, _ops("create", "update", "confirm"),
                  "Where to send the receipt.", unsettable=_ops("update", "confirm")),
        ParamRule("return_url", K.URL, _ops("create", "confirm"),
                  "Where the customer returns after a redirect (3DS, bank pages).",
                  confirm_only=True),
        ParamRule("setup_future_usage", K.ENUM, _ops("create", "update", "confirm"),
                  "Save the payment method for later payments.",
                  enum=("on_session", "off_session"), unsettable=_ops("update", "confirm"),
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("shipping", K.OBJECT, _ops("create", "update", "confirm"),
                  "Shipping name, address, carrier and tracking number.",
                  unsettable=_ops("update", "confirm")),
        ParamRule("statement_descriptor", K.STATEMENT_DESCRIPTOR,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "The complete statement text for non-card charges (≤ 22 characters).",
                  max_length=22, updatable_in=_BEFORE_PAYMENT),
        ParamRule("statement_descriptor_suffix", K.STATEMENT_DESCRIPTOR,
                  _ops("create", "update", "capture"),
                  "Appended to the card prefix as PREFIX* SUFFIX (22 characters in all).",
                  max_length=22, updatable_in=_BEFORE_PAYMENT),
        ParamRule("transfer_data", K.OBJECT,
                  _ops("create", "update", "capture", "increment_authorization"),
                  "Connect: the transfer to create when the payment succeeds.",
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("transfer_group", K.STRING, _ops("create", "update"),
                  "Connect: groups this payment with transfers.",
                  updatable_in=_BEFORE_PAYMENT),
        ParamRule("use_stripe_sdk", K.BOOLEAN, _ops("create", "confirm"),
                  "Let Stripe.js or the mobile SDKs handle next actions."),
    )
}


class ParamDefinitionError(Exception):
    """The rule table contradicts itself."""


_ENUM_KINDS = {Kind.ENUM, Kind.BOOLEAN, Kind.ARRAY}
_INTEGER_KINDS = {Kind.INTEGER, Kind.AMOUNT}


def _check_rules(rules: Mapping[str, ParamRule]) -> None:
    """Refuse a table that cannot describe the API (checked at import)."""
    for name, rule in rules.items():
        problems = []
        if name != rule.name:
            problems.append("key differs from name")
        if not rule.operations or list(rule.operations) != list(_ops(*rule.operations)):
            problems.append("operations must be a non-empty, ordered subset of OPERATIONS")
        for label, ops in (("required_in", rule.required_in), ("unsettable", rule.unsettable)):
            if not set(ops) <= set(rule.operations):
                problems.append(f"{label} names an operation that does not take it")
        if set(rule.required_in) & set(rule.unsettable):
            problems.append("a required parameter cannot be unset")
        if rule.kind is Kind.ENUM and not rule.enum:
            problems.append("an enum needs values")
        if rule.enum and rule.kind not in _ENUM_KINDS:
            problems.append(f"{rule.kind} takes no enum")
        if (rule.minimum is not None) != (rule.kind in _INTEGER_KINDS):
            problems.append("integers, and only integers, have a minimum")
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


def rules_for(operation: str) -> dict[str, ParamRule]:
    """The rules of the parameters ``operation`` accepts, in table order."""
    return dict(_BY_OPERATION[_known(operation)])


_REQUIRED: dict[str, tuple[str, ...]] = {
    op: tuple(name for name, rule in rules.items() if op in rule.required_in)
    for op, rules in _BY_OPERATION.items()
}


def _known(operation: str) -> str:
    """Unknown operations are a programming error, not a bad request."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; expected one of {OPERATIONS}")
    return operation


# -- problems ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: the parameter, Stripe's error code and a Stripe-like message."""

    param: str
    code: str
    message: str

    def to_error(self) -> InvalidRequestError:
        """The exception the API would answer with (HTTP 400)."""
        return InvalidRequestError(self.message, code=self.code, param=self.param)


# Stripe answers some of these without any ``code`` (observed: "Invalid boolean: True",
# "Invalid capture_method: must be one of …", metadata limits). paykit always gives one,
# and picks a real code from the API's enum: payment_intent_invalid_parameter ("one or
# more provided parameters was not allowed for the given operation on the PaymentIntent").
_INVALID = "payment_intent_invalid_parameter"


def _show(value: object, limit: int = 80) -> str:
    """A value as an error message echoes it, shortened; never raises."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # an object whose repr fails still gets a message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _one_of(values: Iterable[str]) -> str:
    """``a, b, or c`` / ``a or b``, as Stripe lists enum values."""
    items = list(values)
    if len(items) < 3:
        return " or ".join(items)
    return f"{', '.join(items[:-1])}, or {items[-1]}"


def _empty(name: str) -> Problem:
    return Problem(
        name, "parameter_invalid_empty",
        f"You passed an empty string for '{name}'. We assume empty values are an attempt "
        f"to unset a parameter; however '{name}' cannot be unset. You should remove "
        f"'{name}' from your request or supply a non-empty value.",
    )


# -- statement descriptors --------------------------------------------------------------


def _is_latin(ch: str) -> bool:
    """ASCII printable, or a letter whose Unicode name says LATIN (é, ß, ø…)."""
    if " " <= ch <= "~":
        return True
    try:
        return unicodedata.name(ch).startswith("LATIN ")
    except ValueError:  # unnamed code points (controls, unassigned)
        return False


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() and _is_latin(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class DescriptorRule:
    """A rule every statement descriptor text keeps (reference §4.2, seed 000)."""

    name: str
    code: str
    doc: str
    broken: Callable[[str], bool]
    message: str  # formatted with label (e.g. "statement descriptor") and found


DESCRIPTOR_RULES: tuple[DescriptorRule, ...] = (
    DescriptorRule(
        "latin_only", "invalid_characters", "Latin characters only",
        lambda text: not all(_is_latin(ch) for ch in text),
        "The {label} can only contain Latin characters; it contains {found}.",
    ),
    DescriptorRule(
        "no_forbidden_characters", "invalid_characters",
        "none of < > \\ ' \" * (seed 000 lists < > ' \" *; the reference adds \\)",
        lambda text: any(ch in FORBIDDEN_DESCRIPTOR_CHARACTERS for ch in text),
        "The {label} cannot include {found}.",
    ),
    DescriptorRule(
        "has_a_letter", _INVALID,
        "at least one Latin letter: so never only digits (seed 000)",
        lambda text: not _has_letter(text),
        "The {label} must contain at least one letter and cannot consist only of "
        "digits: {found}.",
    ),
)


def _found(rule: DescriptorRule, text: str) -> str:
    """What broke the rule, for the message."""
    if rule.name == "latin_only":
        chars = [ch for ch in dict.fromkeys(text) if not _is_latin(ch)]
    elif rule.name == "no_forbidden_characters":
        chars = [ch for ch in dict.fromkeys(text) if ch in FORBIDDEN_DESCRIPTOR_CHARACTERS]
    else:
        return repr(text)
    return " ".join(chars)


def _descriptor_text_problems(text: str, param: str) -> list[Problem]:
    label = param.replace("_", " ")
    return [
        Problem(param, rule.code, rule.message.format(label=label, found=_found(rule, text)))
        for rule in DESCRIPTOR_RULES
        if rule.broken(text)
    ]


def _descriptor_limit(param: str = "statement_descriptor") -> int:
    """The 22 characters, read from the table (the prefix and total use the same)."""
    limit = RULES.get(param, RULES["statement_descriptor"]).max_length
    assert limit is not None, "descriptor rules carry their max_length"
    return limit


def statement_descriptor_problems(
    value: str, *, param: str = "statement_descriptor"
) -> list[Problem]:
    """Every descriptor rule ``value`` breaks: length, characters, a letter.

    The length limit is the parameter's ``max_length`` in ``RULES`` (22).

    >>> [p.code for p in statement_descriptor_problems("RUNCLUB*")]
    ['invalid_characters']
    """
    return _descriptor_problems(value, param)


def _descriptor_problems(value: object, param: str) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(param, _INVALID, f"Invalid string: {_show(value)}")]
    limit = _descriptor_limit(param)
    problems = []
    if len(value) > limit:
        problems.append(Problem(
            param, _INVALID,
            f"The {param.replace('_', ' ')} must be at most {limit} characters; "
            f"{_show(value, 40)} has {len(value)}.",
        ))
    return problems + _descriptor_text_problems(value, param)


#: A card statement shows ``PREFIX* SUFFIX``: these two characters join them.
_JOINER = "* "
#: The shortened descriptor (the card prefix) is 2 to 10 characters (reference §4.2).
PREFIX_LENGTH = (2, 10)
#: A complete descriptor is at least 5 characters (reference §4.2).
COMPLETE_MIN_LENGTH = 5


@dataclass(frozen=True)
class StatementPreview:
    """What the customer's card statement shows, and every rule it breaks."""

    text: str
    length: int
    budget: int
    remaining: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def customer_statement(prefix: str, suffix: str | None) -> StatementPreview:
    """The descriptor a card statement shows: ``RUNCLUB* ORDER 42``, or just the prefix.

    The ``*`` and the space count in the 22 characters (seed 000), so a 7-character
    prefix leaves 13 for the suffix. ``problems`` lists every broken rule: the prefix
    is 2–10 characters, prefix and suffix each need a letter and allowed characters,
    and the whole is 5–22 characters.

    >>> preview = customer_statement("RUNCLUB", "ORDER 42")
    >>> preview.text, preview.length, preview.remaining
    ('RUNCLUB* ORDER 42', 17, 5)
    """
    budget = _descriptor_limit("statement_descriptor_suffix")
    prefix_text = prefix if isinstance(prefix, str) else _show(prefix)
    suffix_text = suffix if isinstance(suffix, str) else None
    text = f"{prefix_text}{_JOINER}{suffix_text}" if suffix_text else prefix_text
    problems: list[Problem] = []
    low, high = PREFIX_LENGTH
    if not low <= len(prefix_text) <= high:
        problems.append(Problem(
            "statement_descriptor_prefix", _INVALID,
            f"The statement descriptor prefix must be {low} to {high} characters; "
            f"{_show(prefix_text, 40)} has {len(prefix_text)}.",
        ))
    problems += _descriptor_text_problems(prefix_text, "statement_descriptor_prefix")
    if suffix_text:
        problems += _descriptor_text_problems(suffix_text, "statement_descriptor_suffix")
    last = "statement_descriptor_suffix" if suffix_text else "statement_descriptor_prefix"
    if len(text) > budget:
        room = budget - len(prefix_text) - len(_JOINER)
        advice = (
            f", counting the '{_JOINER.strip()}' and the space after the prefix. Shorten the "
            f"suffix to at most {max(room, 0)} characters." if suffix_text else "."
        )
        problems.append(Problem(
            last, _INVALID,
            f"The complete statement descriptor {text!r} is {len(text)} characters; at most "
            f"{budget} fit{advice}",
        ))
    if len(text) < COMPLETE_MIN_LENGTH:
        problems.append(Problem(
            last, _INVALID,
            f"The complete statement descriptor {text!r} must be at least "
            f"{COMPLETE_MIN_LENGTH} characters.",
        ))
    return StatementPreview(text, len(text), budget, budget - len(text), problems)


def _refuses_card_descriptor(api_version: object) -> bool:
    """``None`` is the current version, which refuses it; older versions accept it."""
    if not isinstance(api_version, str):
        return True
    return api_version[:10] >= CARD_STATEMENT_DESCRIPTOR_CUTOFF


# -- metadata -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetadataLimits:
    """Stripe's metadata limits (reference §4.1, docs.stripe.com/metadata)."""

    max_keys: int = 50
    max_key_length: int = 40
    max_value_length: int = 500
    forbidden_key_characters: str = "[]"


METADATA_LIMITS = MetadataLimits()


def _metadata_value(value: object) -> str | None:
    """The stored string, or ``None`` when the API cannot take it (bool, None, dict…)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def metadata_problems(metadata: object, *, param: str = "metadata") -> list[Problem]:
    """Every metadata limit ``metadata`` breaks; ``""`` (unset everything) breaks none.

    Keys set to ``""`` (unset) do not count towards the 50 keys.

    >>> metadata_problems({"order[1]": "x"})[0].code
    'invalid_characters'
    """
    if isinstance(metadata, str) and metadata == "":
        return []
    if not isinstance(metadata, Mapping):
        return [Problem(param, _INVALID, f"Invalid object: {_show(metadata)}")]
    limits = METADATA_LIMITS
    problems: list[Problem] = []
    kept = 0
    for key, value in metadata.items():
        if not isinstance(key, str) or key == "":
            problems.append(Problem(
                param, _INVALID, f"Invalid key: {_show(key)}; metadata keys are non-empty strings",
            ))
        elif len(key) > limits.max_key_length:
            problems.append(Problem(
                param, _INVALID,
                f"Invalid key: {_show(key, 60)} must be a string of at most "
                f"{limits.max_key_length} characters",
            ))
        elif any(ch in limits.forbidden_key_characters for ch in key):
            problems.append(Problem(
                param, "invalid_characters",
                f"Invalid key: {_show(key)}; metadata keys cannot contain square brackets "
                f"([ or ])",
            ))
        text = _metadata_value(value)
        if text is None or len(text) > limits.max_value_length:
            problems.append(Problem(
                param, _INVALID,
                f"Invalid val: {_show(value, 60)} must be a string of at most "
                f"{limits.max_value_length} characters",
            ))
        if text != "":
            kept += 1
    if kept > limits.max_keys:
        problems.append(Problem(
            param, _INVALID,
            f"Metadata can have up to {limits.max_keys} keys, but you've set {kept}.",
        ))
    return problems


def merge_metadata(
    current: Mapping[str, str], update: Mapping[str, object] | str
) -> dict[str, str]:
    """The metadata after an update: ``""`` unsets a key, ``metadata=""`` unsets all.

    Raises ``InvalidRequestError`` when the update, or the merged result, breaks a limit.

    >>> merge_metadata({"a": "1", "b": "2"}, {"b": "", "c": 3})
    {'a': '1', 'c': '3'}
    """
    if isinstance(update, str) and update == "":
        return {}
    problems = metadata_problems(update)
    if problems:
        raise problems[0].to_error()
    assert isinstance(update, Mapping)  # metadata_problems refused everything else
    merged = dict(current)
    for key, value in update.items():
        text = _metadata_value(value) or ""
        if text == "":
            merged.pop(key, None)
        else:
            merged[key] = text
    problems = metadata_problems(merged)
    if problems:
        raise problems[0].to_error()
    return merged


# -- coercion, one function per kind ---------------------------------------------------

_DIGITS = re.compile(r"-?[0-9]{1,30}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://?\S+")

_Result = tuple[Any, "list[Problem] | tuple[()]"]
#: "No problem": one shared empty tuple, not a new list per accepted value.
_OK: tuple[()] = ()


def _integer(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if type(value) is int and 0 <= value <= _INT64_MAX and value >= (rule.minimum or 0):
        return value, _OK  # the common case, decided without the checks below
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None, [Problem(rule.name, "parameter_invalid_integer",
                              f"Invalid integer: {_show(value)}")]
    if abs(number) > _INT64_MAX:
        return None, [Problem(rule.name, "parameter_invalid_integer",
                              f"Invalid integer: {_show(value)}")]
    minimum = rule.minimum or 0
    if number < minimum:
        wanted = {0: "non-negative integer", 1: "positive integer"}.get(
            minimum, f"integer (at least {minimum})"
        )
        return None, [Problem(rule.name, "parameter_invalid_integer", f"Invalid {wanted}")]
    return number, _OK


def _amount(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    number, problems = _integer(rule, value, ctx)
    if problems:
        return None, problems
    currency = ctx.charge_currency
    maximum = currency.maximum_amount if currency else currencies.MAXIMUM_AMOUNT
    if number > maximum:
        shown = (currencies.format_amount(maximum, currency.code, grouping=True)
                 if currency else str(maximum))
        return None, [Problem(rule.name, "amount_too_large",
                              f"Amount must be no more than {shown}")]
    if currency is None:  # update of amount alone, without the intent's currency
        return number, _OK
    if number < currency.minimum_amount:
        minimum = currencies.describe_amount(currency.minimum_amount, currency.code)
        return None, [Problem(rule.name, "amount_too_small",
                              f"Amount must be at least {minimum}")]
    step = currency.must_be_multiple_of
    if number % step:
        why = ("it is a three-decimal currency: the last digit must be 0"
               if currency.exponent == 3 else
               "it is zero-decimal but sent as a two-decimal value ending in 00")
        lower = number - number % step
        return None, [Problem(
            rule.name, "invalid_charge_amount",
            f"Invalid amount {number} for {currency.code}: amounts in {currency.code} must "
            f"be a multiple of {step} ({why}); for example {lower} or {lower + step}.",
        )]
    return number, _OK


def _boolean(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if isinstance(value, bool):
        return value, _OK
    if value in ("true", "false"):
        return value == "true", _OK
    if isinstance(value, str) and value in rule.enum:
        return value, _OK
    if rule.enum:
        return None, [Problem(rule.name, _INVALID,
                              f"Invalid {rule.name}: must be a boolean or one of "
                              f"{_one_of(rule.enum)}")]
    return None, [Problem(rule.name, _INVALID, f"Invalid boolean: {_show(value)}")]


def _enum(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if isinstance(value, str) and value in rule.enum:
        return value, _OK
    return None, [Problem(rule.name, _INVALID,
                          f"Invalid {rule.name}: must be one of {_one_of(rule.enum)}")]


def _currency(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if currencies.get(value) is not None:
        return value, _OK
    return None, [Problem(
        rule.name, _INVALID,
        f"Invalid currency: {_show(value)}. Stripe currently supports these currencies: "
        f"{', '.join(currencies.SUPPORTED_CODES)}",
    )]


def _string(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if not isinstance(value, str):
        return None, [Problem(rule.name, _INVALID, f"Invalid string: {_show(value)}")]
    if rule.max_length is not None and len(value) > rule.max_length:
        return None, [Problem(rule.name, _INVALID,
                              f"Invalid string: {_show(value, 40)}; must be at most "
                              f"{rule.max_length} characters")]
    return value, _OK


def _email(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    text, problems = _string(rule, value, ctx)
    if not problems and not _EMAIL.fullmatch(text):
        problems = [Problem(rule.name, "email_invalid", f"Invalid email address: {_show(text)}")]
    return (None if problems else text), problems


def _url(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    text, problems = _string(rule, value, ctx)
    if not problems and not _URL.fullmatch(text):
        problems = [Problem(rule.name, "url_invalid",
                            f"Not a valid URL: {_show(text)}. Use an absolute URL such as "
                            f"https://example.com/return, or an app URI scheme.")]
    return (None if problems else text), problems


def _descriptor(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    problems = _descriptor_problems(value, rule.name)
    return (None if problems else value), problems


def _object(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    if isinstance(value, Mapping):
        return dict(value), _OK
    return None, [Problem(rule.name, _INVALID, f"Invalid object: {_show(value)}")]


def _array_items(value: object) -> list[object] | None:
    """A list, or a form-decoded ``{"0": "card", "1": "sepa_debit"}``; else ``None``."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        keys = list(value)
        if all(isinstance(k, str) and k.isascii() and k.isdigit() for k in keys):
            return [value[k] for k in sorted(keys, key=int)]
    return None


def _array(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    items = _array_items(value)
    if items is None:
        return None, [Problem(rule.name, _INVALID, f"Invalid array: {_show(value)}")]
    if not items:
        return None, [_empty(rule.name)]
    for item in items:
        if not isinstance(item, str) or item == "" or (
            rule.max_length is not None and len(item) > rule.max_length
        ):
            return None, [Problem(rule.name, _INVALID,
                                  f"Invalid array: {_show(value)}; every item must be a "
                                  f"non-empty string")]
        if rule.enum and item not in rule.enum:
            return None, [Problem(
                rule.name, _INVALID,
                f'The payment method type "{_show(item)}" is invalid. See '
                f"https://stripe.com/docs/api/payment_intents/create#create_payment_intent-"
                f"payment_method_types for the full list of supported payment method types.",
            )]
    return items, _OK


def _metadata(rule: ParamRule, value: object, ctx: _Context) -> _Result:
    problems = metadata_problems(value, param=rule.name)
    if problems:
        return None, problems
    assert isinstance(value, Mapping)
    return {key: _metadata_value(item) for key, item in value.items()}, _OK


_COERCE: dict[Kind, Callable[[ParamRule, object, _Context], _Result]] = {
    Kind.INTEGER: _integer,
    Kind.AMOUNT: _amount,
    Kind.BOOLEAN: _boolean,
    Kind.STRING: _string,
    Kind.EMAIL: _email,
    Kind.URL: _url,
    Kind.ENUM: _enum,
    Kind.CURRENCY: _currency,
    Kind.STATEMENT_DESCRIPTOR: _descriptor,
    Kind.OBJECT: _object,
    Kind.ARRAY: _array,
    Kind.METADATA: _metadata,
}
assert set(_COERCE) == set(Kind), "every kind needs a coercion"

# Per operation: each accepted parameter's rule and coercion, looked up once per request.
_COERCERS: dict[str, dict[str, tuple[ParamRule, Callable[[ParamRule, object, _Context],
                                                        _Result]]]] = {
    op: {name: (rule, _COERCE[rule.kind]) for name, rule in rules.items()}
    for op, rules in _BY_OPERATION.items()
}


# -- check and validate ---------------------------------------------------------------------


class _Context(NamedTuple):
    """What the rules need besides the parameters: the intent and the API version.

    A named tuple, built with ``_new_context`` (no keyword handling): one is made per
    request, on the engine's hot path, and nothing changes it after.
    """

    operation: str
    api_version: str | None
    status: Status | None
    charge_currency: currencies.Currency | None
    payment_method_type: str | None


_new_context = partial(tuple.__new__, _Context)


#: What ``create`` accepts only together with ``confirm=true``.
CONFIRM_ONLY_PARAMS = frozenset(name for name, rule in RULES.items() if rule.confirm_only)


def _run(
    operation: str,
    params: Mapping[Any, Any],
    api_version: str | None,
    status: Status | str | None,
    currency: str | None,
    payment_method_type: str | None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Coerce every parameter and list every problem, in the order Stripe reports them.

    Every engine request comes through here, so it is written for speed: arguments by
    position, each parameter's rule and coercion looked up once, and the rules that
    need several values skipped when their parameters are absent.
    """
    accepted = _COERCERS[_known(operation)]
    if type(params) is not dict and not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    state = status if status is None or isinstance(status, Status) else parse_status(status)
    known = currencies.CURRENCIES
    requested = params.get("currency") if "currency" in accepted else None
    charge_currency = known.get(requested) if isinstance(requested, str) else None
    if charge_currency is None and isinstance(currency, str):
        charge_currency = known.get(currency)
    ctx = _new_context((operation, api_version, state, charge_currency,
                        payment_method_type))

    problems: list[Problem] = []  # unknown parameters first, then invalid values
    invalid: list[Problem] = []
    coerced: dict[str, Any] = {}
    for key, value in params.items():
        entry = accepted.get(key) if isinstance(key, str) else None
        if entry is None:
            problems.append(Problem(_show(key), "parameter_unknown",
                                    f"Received unknown parameter: {_show(key)}"))
            continue
        rule, coerce = entry
        if isinstance(value, str) and value == "":
            if operation in rule.unsettable:
                coerced[key] = ""
            else:
                invalid.append(_empty(key))
            continue
        result, found = coerce(rule, value, ctx)
        if found:
            invalid.extend(found)
        else:
            coerced[key] = result
    if invalid:
        problems += invalid
    for name in _REQUIRED[operation]:
        if name not in params:
            problems.append(Problem(name, "parameter_missing", f"Missing required param: {name}."))
    _context_problems(params, coerced, ctx, problems)
    return coerced, problems


def _context_problems(
    params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: _Context,
    problems: list[Problem],
) -> None:
    """Rules that need more than one value: confirm=true, card charges, the status.

    Appends to ``problems``; each rule is looked at only when its parameters are there,
    so a plain create or confirm pays nothing here.
    """
    operation = ctx.operation
    if (operation == "create" and not CONFIRM_ONLY_PARAMS.isdisjoint(params)
            and coerced.get("confirm") is not True):
        problems += [
            Problem(name, _INVALID,
                    f"The {name} parameter can only be used with confirm=true; pass it when "
                    f"you confirm the PaymentIntent, or set confirm=true.")
            for name in params
            if name in CONFIRM_ONLY_PARAMS
        ]
    if coerced.get("statement_descriptor") and (
        ctx.payment_method_type == "card" or coerced.get("payment_method_types") == ["card"]
    ) and _refuses_card_descriptor(ctx.api_version):
        problems.append(Problem(
            "statement_descriptor", _INVALID,
            "The statement_descriptor parameter is not supported for the payment_method_type "
            "card. To override the statement descriptor on a card transaction, use "
            "statement_descriptor_suffix.",
        ))
    if operation == "update" and ctx.status is not None:
        accepted = _BY_OPERATION[operation]
        for name in params:
            if not isinstance(name, str) or name not in accepted:
                continue
            allowed = RULES[name].updatable_in
            if ctx.status not in allowed:
                statuses = ", ".join(s.value for s in Status if s in allowed)
                problems.append(Problem(
                    name, "payment_intent_unexpected_state",
                    f"You cannot update {name} on a PaymentIntent with a status of "
                    f"{ctx.status.value}. {name} can only be updated when the status is one "
                    f"of: {statuses}.",
                ))


def check(
    operation: str = "create",
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
    **params: Any,
) -> list[Problem]:
    """Every problem a request would meet, in Stripe's order; ``[]`` when it is valid.

    Never raises for a bad value: a bad value is always a ``Problem``. On ``create``,
    ``currency=`` is the request's currency; on other operations it is the intent's
    currency (context for the amount's minimum). ``status=`` is the intent's status,
    which limits what ``update`` may change; ``payment_method_type`` says whether it is
    a card charge. An unknown operation or status is a programming error: ``ValueError``.

    >>> [p.code for p in check("update", status="succeeded", amount=2000, currency="usd")]
    ['payment_intent_unexpected_state']
    """
    if operation == "create" and currency is not None:
        params = {**params, "currency": currency}
    return _run(operation, params, api_version, status, currency, payment_method_type)[1]


def validate(
    operation: str,
    params: Mapping[str, Any],
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
) -> dict[str, Any]:
    """The parameters as the API reads them, or ``InvalidRequestError`` for the first problem.

    ``currency=`` is the intent's currency (when ``params`` has none); the other context
    arguments are those of ``check``. A bad value raises only ``InvalidRequestError``.

    >>> validate("update", {"metadata": {"order": 42}})
    {'metadata': {'order': '42'}}
    """
    coerced, problems = _run(operation, params, api_version, status, currency,
                             payment_method_type)
    if problems:
        raise problems[0].to_error()
    return coerced


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
