"""Stripe's API versions as one table: every change paykit models, and where it starts.

Each :class:`VersionChange` row names a change by a key, the API version that made it,
the objects it touches, what it does to requests and responses, and its changelog entry
(https://docs.stripe.com/changelog). Code never compares version strings itself: it asks
``since(key, api_version)``. A version is a date, optionally with its release name
(``2026-09-30.endive``); only the date orders versions.

>>> since("statuses_renamed", "2018-11-08"), since("statuses_renamed", "2026-09-30.endive")
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType

__all__ = ["CHANGES", "MODELLED_VERSIONS", "PLATFORM_CHANGES", "PlatformChange",
           "VersionChange", "in_effect_from", "markdown_table", "since", "starts"]

_CHANGELOG = "https://docs.stripe.com/changelog"


@dataclass(frozen=True, slots=True)
class VersionChange:
    """One change of the API: from ``version`` on (and on every later version)."""

    key: str
    version: str
    objects: tuple[str, ...]
    what: str
    url: str


#: The changes paykit models, oldest first.
CHANGES: tuple[VersionChange, ...] = (
    VersionChange(
        "statuses_renamed", "2019-02-11", ("payment_intent",),
        "status requires_source → requires_payment_method, requires_source_action → "
        "requires_action; next_source_action → next_action",
        f"{_CHANGELOG}/2019-02-11/renames-several-statuses-payment-intents"),
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
        f"{_CHANGELOG}/basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices"),
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


def markdown_table() -> str:
    """The table for the docs and the notebooks."""
    lines = ["| from version | change | objects | what it does |",
             "|---|---|---|---|"]
    lines += [f"| `{c.version}` | [{c.key}]({c.url}) | {', '.join(c.objects)} | {c.what} |"
              for c in CHANGES]
    lines += [f"| every version, from {p.day} | [{p.key}]({p.url}) | {', '.join(p.objects)} "
              f"| {p.what} |" for p in PLATFORM_CHANGES]
    return "\n".join(lines)
