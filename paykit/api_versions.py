"""Stripe's API versions as one table: every change paykit models, and where it starts.

Each :class:`VersionChange` row names a change by a key, the API version that made it,
the objects it touches, what it does (in words, and as data: :class:`ResponseChange` for
the JSON an object shows, :class:`RequestChange` for the parameters a request may send)
and its changelog entry (https://docs.stripe.com/changelog). Code never compares version
strings itself: it asks ``since(key, api_version)``; ``paykit.versioned_json`` renders an
object for a version from the rows' response changes, ``paykit.params.validation``
checks a request's parameters against their request changes. A version is a date,
optionally with its release name (``2026-09-30.endive``); only the date orders versions.

Which version a call is read in: the account's (``Sandbox(api_version=...)``), or the
request's own when the HTTP layer sets one from a ``Stripe-Version`` header
(:func:`requested`, ``requested_version``).

>>> since("statuses_renamed", "2018-11-08"), since("statuses_renamed", "2026-09-30.endive")
(False, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from types import MappingProxyType

__all__ = ["CHANGES", "MODELLED_VERSIONS", "PLATFORM_CHANGES", "Before", "ParamGate",
           "PlatformChange",
           "RequestChange", "ResponseChange", "VersionChange", "in_effect_from",
           "markdown_table", "param_gates", "requested", "requested_version",
           "response_changes", "since", "starts"]

_CHANGELOG = "https://docs.stripe.com/changelog"


class Before(StrEnum):
    """What a field a version removed showed on the versions before it."""

    NULL = "null"  # the field, null (paykit models nothing it could hold)
    LIST = "list"  # a list object of the related objects (``paykit.embedded_lists``)


@dataclass(frozen=True, slots=True)
class ResponseChange:
    """What a version changed in one object's JSON. ``added``: fields (a dotted path for
    a nested one) absent before the version; ``removed``: fields shown before it, and
    what they showed; ``renamed``: ``(earlier name, name from the version)``;
    ``status_aliases``: before the version the status values are the object's table's
    aliases (``paykit.machine.Machine.aliases``)."""

    object: str
    added: tuple[str, ...] = ()
    removed: tuple[tuple[str, Before], ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    status_aliases: bool = False


@dataclass(frozen=True, slots=True)
class RequestChange:
    """What a version changed in the parameters of one object's ``operations``:
    ``added`` ones are unknown before it; ``refused`` ones are refused from it with
    ``code`` and ``message`` (``{param}`` names the parameter)."""

    object: str
    operations: tuple[str, ...]
    added: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    code: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One change of the API: from ``version`` on (and on every later version).
    ``responses`` and ``requests`` are what it does as data; a change without them is a
    behaviour the engine asks ``since`` about (a default, an event, a refund)."""

    key: str
    version: str
    objects: tuple[str, ...]
    what: str
    url: str
    responses: tuple[ResponseChange, ...] = ()
    requests: tuple[RequestChange, ...] = ()


_PI_WRITES = ("create", "update", "confirm")
_SI_WRITES = ("create", "update", "confirm")
_ALL_TYPES_FIELDS = ("allowed_payment_method_types", "excluded_payment_method_types")
_TYPES_REFUSED_CODE = "payment_method_types_no_longer_supported"
# Stripe's entry quotes the code, not the message: the wording is paykit's.
_TYPES_REFUSED = ("The {param} parameter is not supported on API version 2026-09-30.endive "
                  "and later. Use automatic payment methods (the default), "
                  "allowed_payment_method_types or excluded_payment_method_types instead.")

#: The changes paykit models, oldest first. The reference for each is its changelog
#: entry; the few whose details Stripe's entry leaves open say so in ``what``.
CHANGES: tuple[VersionChange, ...] = (
    VersionChange(
        "statuses_renamed", "2019-02-11", ("payment_intent",),
        "status requires_source → requires_payment_method, requires_source_action → "
        "requires_action; next_source_action → next_action",
        f"{_CHANGELOG}/2019-02-11/renames-several-statuses-payment-intents",
        responses=(ResponseChange("payment_intent",
                                  renamed=(("next_source_action", "next_action"),),
                                  status_aliases=True),)),
    VersionChange(
        "customer_balance_renamed", "2019-10-17", ("customer",),
        "the Customer's account_balance is renamed balance",
        f"{_CHANGELOG}/2019-10-17/renames-account-balance-customer-object",
        responses=(ResponseChange("customer", renamed=(("account_balance", "balance"),)),)),
    VersionChange(
        "customer_tax_info_removed", "2019-12-03", ("customer",),
        "the deprecated tax_info and tax_info_verification fields leave the Customer (the "
        "entry's field names are UNCONFIRMED: paykit shows them null before)",
        f"{_CHANGELOG}/2019-12-03/removes-deprecated-tax-information-fields",
        responses=(ResponseChange("customer", removed=(("tax_info", Before.NULL),
                                                       ("tax_info_verification",
                                                        Before.NULL))),)),
    VersionChange(
        "customer_lists_not_expanded", "2020-08-27", ("customer",),
        "a Customer's sources, subscriptions and tax_ids are no longer included unless "
        "expanded (before: lists, empty in paykit, which models none of them)",
        f"{_CHANGELOG}/2020-08-27/deprecates-auto-expansion-customer-sources",
        responses=(ResponseChange("customer", removed=(("sources", Before.LIST),
                                                       ("subscriptions", Before.LIST),
                                                       ("tax_ids", Before.LIST))),)),
    VersionChange(
        "customer_default_currency_removed", "2022-08-01", ("customer",),
        "the Customer's default_currency is removed (currency stays)",
        f"{_CHANGELOG}/2022-08-01/removes-default-currency-customer-object",
        responses=(ResponseChange("customer",
                                  removed=(("default_currency", Before.NULL),)),)),
    VersionChange(
        "charges_removed", "2022-11-15", ("payment_intent",),
        "a PaymentIntent no longer has charges (the list of its charges): use latest_charge",
        f"{_CHANGELOG}/2022-11-15/removes-charges-attribute-paymentintent",
        responses=(ResponseChange("payment_intent", removed=(("charges", Before.LIST),)),)),
    VersionChange(
        "charge_refunds_not_included", "2022-11-15", ("charge",),
        "a Charge's refunds are no longer included by default: list them with GET "
        "/v1/refunds?charge=",
        f"{_CHANGELOG}/2022-11-15/deprecates-charges-auto-expand",
        responses=(ResponseChange("charge", removed=(("refunds", Before.LIST),)),)),
    VersionChange(
        "automatic_payment_methods_default", "2023-08-16", ("payment_intent", "setup_intent"),
        "without payment_method_types, automatic_payment_methods[enabled]=true (before: "
        "[\"card\"])", f"{_CHANGELOG}/2023-08-16/automatic-payment-methods"),
    VersionChange(
        "capture_method_automatic_async", "2024-04-10", ("payment_intent",),
        "an omitted capture_method defaults to automatic_async (before: automatic)",
        f"{_CHANGELOG}/2024-04-10/automatic-sync-default-paymentintents"),
    VersionChange(
        "refund_events_for_every_refund", "2024-10-28.acacia", ("refund", "event"),
        "refund.created, refund.updated and refund.failed are sent for refunds of a charge "
        "too (before: only charge.refunded and charge.refund.updated)",
        f"{_CHANGELOG}/acacia/2024-10-28/refund-webhook-update"),
    VersionChange(
        "charge_network_codes", "2024-12-18.acacia", ("charge",),
        "a Charge's outcome shows the network's network_advice_code and "
        "network_decline_code (null for paykit's test cards: Stripe publishes none)",
        f"{_CHANGELOG}/acacia/2024-12-18/network-advice-code-network-decline-code",
        responses=(ResponseChange("charge", added=("outcome.network_advice_code",
                                                   "outcome.network_decline_code")),)),
    VersionChange(
        "charge_advice_code", "2025-01-27.acacia", ("charge",),
        "a Charge's outcome shows advice_code (how to proceed after a decline)",
        "https://docs.stripe.com/api/charges/object#charge_object-outcome-advice_code",
        responses=(ResponseChange("charge", added=("outcome.advice_code",)),)),
    VersionChange(
        "no_refund_on_release", "2025-03-31.basil", ("payment_intent", "charge", "event"),
        "canceling an uncaptured payment, its expiry or a partial capture no longer refunds "
        "the rest: no charge.refunded, the charge keeps amount_refunded 0 and refunded false; "
        "an expired authorisation is canceled with cancellation_reason expired (before: "
        "automatic)",
        f"{_CHANGELOG}/basil/2025-03-31/"
        "remove-refund-from-partial-capture-and-payment-cancellation-flow"),
    VersionChange(
        "invoice_removed", "2025-03-31.basil", ("payment_intent", "charge"),
        "PaymentIntents and Charges no longer have an invoice field",
        f"{_CHANGELOG}/basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices",
        responses=(ResponseChange("payment_intent", removed=(("invoice", Before.NULL),)),
                   ResponseChange("charge", removed=(("invoice", Before.NULL),)))),
    VersionChange(
        "refund_pending_reason", "2025-04-30.basil", ("refund",),
        "a Refund shows pending_reason (why a pending refund waits)",
        "https://docs.stripe.com/api/refunds/object#refund_object-pending_reason",
        responses=(ResponseChange("refund", added=("pending_reason",)),)),
    VersionChange(
        "excluded_payment_method_types", "2025-08-27.basil", ("payment_intent", "setup_intent"),
        "excluded_payment_method_types: the automatic payment methods minus these (a "
        "parameter and a field; stripe-python 12.5.0 dates it for PaymentIntents, paykit "
        "gives SetupIntents the same date, UNCONFIRMED)",
        "https://docs.stripe.com/api/payment_intents/create"
        "#create_payment_intent-excluded_payment_method_types",
        responses=(ResponseChange("payment_intent", added=("excluded_payment_method_types",)),
                   ResponseChange("setup_intent", added=("excluded_payment_method_types",))),
        requests=(RequestChange("payment_intent", _PI_WRITES,
                                added=("excluded_payment_method_types",)),
                  RequestChange("setup_intent", _SI_WRITES,
                                added=("excluded_payment_method_types",)))),
    VersionChange(
        "customer_names", "2025-09-30.clover", ("customer",),
        "a Customer has business_name and individual_name (parameters and fields)",
        "https://docs.stripe.com/api/customers/object#customer_object-business_name",
        responses=(ResponseChange("customer", added=("business_name", "individual_name")),),
        requests=(RequestChange("customer", ("create", "update"),
                                added=("business_name", "individual_name")),)),
    VersionChange(
        "customer_account", "2025-12-15.clover", ("payment_intent", "setup_intent",
                                                  "payment_method", "customer"),
        "objects that name a customer also show customer_account (an Accounts v2 id; "
        "always null in paykit, which models no v2 account)",
        "https://docs.stripe.com/api/payment_intents/object"
        "#payment_intent_object-customer_account",
        responses=tuple(ResponseChange(kind, added=("customer_account",))
                        for kind in ("payment_intent", "setup_intent", "payment_method",
                                     "customer"))),
    VersionChange(
        "allowed_payment_method_types", "2026-07-29.dahlia", ("payment_intent", "setup_intent"),
        "allowed_payment_method_types: the types the intent may use, silently filtered to "
        "the compatible ones, which payment_method_types then shows; it cannot be combined "
        "with payment_method_types, excluded_payment_method_types or "
        "automatic_payment_methods",
        f"{_CHANGELOG}/dahlia/2026-07-29/allowed-payment-method-types-parameter",
        responses=(ResponseChange("payment_intent", added=("allowed_payment_method_types",)),
                   ResponseChange("setup_intent", added=("allowed_payment_method_types",))),
        requests=(RequestChange("payment_intent", _PI_WRITES,
                                added=("allowed_payment_method_types",)),
                  RequestChange("setup_intent", _SI_WRITES,
                                added=("allowed_payment_method_types",)))),
    VersionChange(
        "refund_customer_and_payment_method", "2026-07-29.dahlia", ("refund",),
        "a Refund shows the customer, customer_account and payment_method of its payment",
        f"{_CHANGELOG}/dahlia/2026-07-29/"
        "adds-customer-and-payment-method-details-to-the-refunds-api",
        responses=(ResponseChange("refund", added=("customer", "customer_account",
                                                   "payment_method")),)),
    VersionChange(
        "payment_method_types_refused", "2026-09-30.endive", ("payment_intent", "setup_intent"),
        "payment_method_types is no longer a parameter (400 "
        "payment_method_types_no_longer_supported); the field stays, showing the computed "
        "types. Use automatic payment methods, allowed_payment_method_types or "
        "excluded_payment_method_types",
        f"{_CHANGELOG}/endive/2026-09-30/"
        "removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents",
        requests=(RequestChange(
            "payment_intent", ("create", "update", "confirm"), refused=("payment_method_types",),
            code=_TYPES_REFUSED_CODE, message=_TYPES_REFUSED),
                  RequestChange(
            "setup_intent", ("create", "update"), refused=("payment_method_types",),
            code=_TYPES_REFUSED_CODE, message=_TYPES_REFUSED))),
    VersionChange(
        "payment_record", "2026-09-30.endive", ("payment_intent",),
        "a PaymentIntent shows payment_record (the Payment Record it created; null in paykit)",
        "https://docs.stripe.com/api/payment_intents/object#payment_intent_object-payment_record",
        responses=(ResponseChange("payment_intent", added=("payment_record",)),)),
)

_BY_KEY: MappingProxyType[str, VersionChange] = MappingProxyType(
    {change.key: change for change in CHANGES})


@dataclass(frozen=True, slots=True)
class PlatformChange:
    """A change Stripe made on a day, whatever the API version: paykit reads the day on
    the sandbox clock (a sandbox whose clock is before it behaves as before)."""

    key: str
    day: str
    objects: tuple[str, ...]
    what: str
    url: str


#: Dated changes that no API version selects.
PLATFORM_CHANGES: tuple[PlatformChange, ...] = (
    PlatformChange(
        "card_statement_descriptor_refused", "2024-01-02", ("payment_intent",),
        "statement_descriptor is refused on card payments (use statement_descriptor_suffix); "
        "2023-10-16 changed nothing for PaymentIntents",
        "https://docs.stripe.com/get-started/account/statement-descriptors"),
)

#: Every version at which a modelled change starts, oldest first.
MODELLED_VERSIONS: tuple[str, ...] = tuple(dict.fromkeys(c.version for c in CHANGES))


def in_effect_from(key: str) -> int:
    """The epoch second from which platform change ``key`` applies (UTC midnight)."""
    day = next(p.day for p in PLATFORM_CHANGES if p.key == key)
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def starts(key: str) -> str:
    """The API version (its date) from which change ``key`` applies."""
    return _BY_KEY[key].version[:10]


@cache
def since(key: str, api_version: str | None) -> bool:
    """Whether ``api_version`` has change ``key`` (``None``: the oldest behaviour)."""
    if not api_version:
        return False
    return api_version[:10] >= _BY_KEY[key].version[:10]


@cache
def response_changes(kind: str, api_version: str | None) -> tuple[ResponseChange, ...]:
    """What ``api_version`` does not have yet of ``kind``'s JSON: the response changes of
    the later versions, newest first (the order in which to undo them)."""
    return tuple(response for change in reversed(CHANGES)
                 if not since(change.key, api_version)
                 for response in change.responses if response.object == kind)


@dataclass(frozen=True, slots=True)
class ParamGate:
    """When one parameter may be sent: from ``added`` (a change key) and until
    ``refused`` (the change that refuses it), either one optional."""

    added: VersionChange | None
    refused: tuple[VersionChange, RequestChange] | None


@cache
def param_gates(kind: str, operation: str) -> MappingProxyType[str, ParamGate]:
    """The parameters of ``kind``'s ``operation`` that some version adds or refuses."""
    added: dict[str, VersionChange] = {}
    refused: dict[str, tuple[VersionChange, RequestChange]] = {}
    for change in CHANGES:
        for request in change.requests:
            if request.object == kind and operation in request.operations:
                added.update(dict.fromkeys(request.added, change))
                refused.update(dict.fromkeys(request.refused, (change, request)))
    return MappingProxyType({name: ParamGate(added.get(name), refused.get(name))
                             for name in (*added, *refused)})


# The version of the request being answered, when it names its own (``Stripe-Version``).
_REQUESTED: ContextVar[str | None] = ContextVar("paykit_requested_api_version", default=None)


@contextmanager
def requested(api_version: str | None) -> Iterator[None]:
    """Read the calls in this block in ``api_version`` (the HTTP layer's
    ``Stripe-Version``); ``None`` leaves the account's version."""
    token = _REQUESTED.set(api_version)
    try:
        yield
    finally:
        _REQUESTED.reset(token)


#: The version the request being answered names (``None``: it names none). A C call:
#: the engine asks it on every API call (``Account.version``).
requested_version = _REQUESTED.get


def markdown_table(objects: tuple[str, ...] = ()) -> str:
    """The table for the docs and the notebooks; with ``objects``, only the changes to
    those objects (``("payment_intent",)``)."""
    def wanted(touched: tuple[str, ...]) -> bool:
        return not objects or bool(set(touched) & set(objects))

    lines = ["| from version | change | objects | what it does |",
             "|---|---|---|---|"]
    lines += [f"| `{c.version}` | [{c.key}]({c.url}) | {', '.join(c.objects)} | {c.what} |"
              for c in CHANGES if wanted(c.objects)]
    lines += [f"| every version, from {p.day} | [{p.key}]({p.url}) | {', '.join(p.objects)} "
              f"| {p.what} |" for p in PLATFORM_CHANGES if wanted(p.objects)]
    return "\n".join(lines)
