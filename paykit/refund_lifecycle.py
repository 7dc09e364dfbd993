"""The Refund lifecycle, as a table that decides (``paykit.machine``).

A refund is created against a successful payment and "can appear to succeed and later
fail, or can appear as ``pending`` at first and later succeed"
(https://docs.stripe.com/refunds). Which of those happens depends on the payment
method: the facts (:class:`RefundAttempt`) say how it refunds, each row says when it
applies, and ``paykit.refunds`` applies the row the table answers.

Rows for payment methods without native refunds (Konbini, PromptPay, bank transfers:
``requires_action`` until the customer gives bank details) are in the table because
Stripe documents them and the graphs and the log checker read them; none of the payment
methods paykit models refunds that way yet, so the sandbox never takes those rows.

>>> REFUND.decide(None, RefundAction.CREATE, RefundAttempt("pending")).target
<RefundStatus.PENDING: 'pending'>
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Literal, NamedTuple

from paykit import api_versions
from paykit.event_types import CHARGE_EVENT_TYPES, REFUND_EVENT_TYPES
from paykit.lifecycle import Trigger
from paykit.machine import ALWAYS, Guard, Machine, Row

__all__ = [
    "EVENTS_BEFORE_ACACIA",
    "FACT_VALUES",
    "REFUND",
    "REFUND_EVENTS_FROM",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "RefundAction",
    "RefundAttempt",
    "RefundKind",
    "RefundStatus",
    "refund_events",
]


class RefundStatus(StrEnum):
    """A refund's ``status``: "This can be ``pending``, ``requires_action``,
    ``succeeded``, ``failed``, or ``canceled``" (https://docs.stripe.com/api/refunds/object)."""

    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


class RefundAction(StrEnum):
    """What moves a refund: your API call, the customer, or Stripe (time passing)."""

    CREATE = "create"
    SETTLE = "settle"
    FAIL = "fail"
    PROVIDE_DETAILS = "provide_details"
    EXPIRE = "expire"
    CANCEL = "cancel"


_TRIGGERS = MappingProxyType({
    RefundAction.CREATE: Trigger.API,
    RefundAction.SETTLE: Trigger.STRIPE,
    RefundAction.FAIL: Trigger.STRIPE,
    RefundAction.PROVIDE_DETAILS: Trigger.CUSTOMER,
    RefundAction.EXPIRE: Trigger.STRIPE,
    RefundAction.CANCEL: Trigger.API,
})

#: How the payment method refunds (``paykit.payment_methods.RefundBehaviour``), plus the
#: methods without native refunds that wait for the customer's bank details.
RefundKind = Literal["immediate", "pending", "fails_later", "needs_customer_details"]


class RefundAttempt(NamedTuple):
    """The one fact the rows read: how the refunded payment's method refunds."""

    behaviour: RefundKind = "immediate"


FACT_VALUES = MappingProxyType({
    "behaviour": ("immediate", "pending", "fails_later", "needs_customer_details"),
})

_REFUNDS = "https://docs.stripe.com/refunds"
_TESTING = "https://docs.stripe.com/testing#refunds"
_CREATED = ("refund.created", "charge.refunded")
# A change to a charge's refund also sends the deprecated charge.refund.updated: "Sent
# when the refund is updated, only for refunds with a corresponding charge"
# (https://docs.stripe.com/refunds#refund-events). Every refund paykit makes has a charge.
_UPDATED = ("refund.updated", "charge.refund.updated")
_FAILED = ("refund.failed", "charge.refund.updated")

_SUCCEEDS_AT_ONCE = Guard(
    "succeeds_at_once", "the method refunds at once (most cards; 4000000000005126 fails later)",
    lambda f: f.behaviour in ("immediate", "fails_later"))
_ASYNCHRONOUS = Guard(
    "asynchronous", "the refund is asynchronous (4000000000007726; bank debits)",
    lambda f: f.behaviour == "pending")
_NEEDS_DETAILS = Guard(
    "needs_customer_details",
    "the method has no native refunds (Konbini, PromptPay, bank transfers)",
    lambda f: f.behaviour == "needs_customer_details")
# Why a refund failed or was canceled (``failure_reason``). ``expired_or_canceled_card``
# is what Stripe's Terminal testing page gives for 4000000000005126; ``merchant_request``
# for a cancellation is paykit's choice among the documented values (unconfirmed).
_CARD_FAILED = MappingProxyType({"failure_reason": "expired_or_canceled_card"})
_CANCELED = MappingProxyType({"failure_reason": "merchant_request"})


def _row(source: RefundStatus | None, action: RefundAction, target: RefundStatus,
         events: tuple[str, ...], note: str, url: str, *, guard: Guard = ALWAYS,
         effect: str = "", sets: MappingProxyType[str, str] | None = None) -> Row:
    return Row(source, action, target, events, guard, note, url, effect,
               sets if sets is not None else MappingProxyType({}), trigger=_TRIGGERS[action])


_S = RefundStatus
_A = RefundAction

#: The Refund lifecycle, one row per documented move.
TRANSITIONS: tuple[Row, ...] = (
    _row(None, _A.CREATE, _S.SUCCEEDED, _CREATED,
         "most refunds succeed immediately and don't change status after that", _TESTING,
         guard=_SUCCEEDS_AT_ONCE, effect="refund"),
    _row(None, _A.CREATE, _S.PENDING, _CREATED,
         "an asynchronous refund's status begins as pending", _TESTING,
         guard=_ASYNCHRONOUS, effect="refund"),
    _row(None, _A.CREATE, _S.REQUIRES_ACTION, ("refund.created",),
         "Stripe emails the customer for the bank details the refund needs",
         f"{_REFUNDS}#refunds-that-require-action", guard=_NEEDS_DETAILS, effect="refund"),
    _row(_S.PENDING, _A.SETTLE, _S.SUCCEEDED, _UPDATED,
         "some time later, its status transitions to succeeded", _TESTING),
    _row(_S.SUCCEEDED, _A.FAIL, _S.FAILED, _FAILED,
         "some time later, its status transitions to failed; the funds return to your "
         "balance", f"{_REFUNDS}#failed-refunds", effect="return_funds", sets=_CARD_FAILED),
    _row(_S.REQUIRES_ACTION, _A.PROVIDE_DETAILS, _S.PENDING, _UPDATED,
         "the customer submits their bank details", f"{_REFUNDS}#refunds-that-require-action"),
    _row(_S.REQUIRES_ACTION, _A.EXPIRE, _S.FAILED, _FAILED,
         "the customer doesn't respond before the expiration threshold",
         f"{_REFUNDS}#refunds-that-require-action", effect="return_funds"),
    _row(_S.REQUIRES_ACTION, _A.CANCEL, _S.CANCELED, _UPDATED,
         "only refunds with a status of requires_action can be canceled through the API",
         f"{_REFUNDS}#cancel-refund", effect="return_funds", sets=_CANCELED),
)

#: A failed or canceled refund is final.
TERMINAL_STATUSES: frozenset[RefundStatus] = frozenset({_S.FAILED, _S.CANCELED})

#: The Refund machine: ask it which row applies (``decide``).
REFUND: Machine = Machine(
    "refund", RefundStatus, RefundAction, RefundAttempt, FACT_VALUES, rows=TRANSITIONS,
    terminal=TERMINAL_STATUSES, event_types=REFUND_EVENT_TYPES | CHARGE_EVENT_TYPES,
    title="Refund", main_path=(_S.PENDING, _S.SUCCEEDED),
)

#: From this API version every refund sends ``refund.*`` events; before it, a refund of a
#: charge sent only the ``charge.*`` ones (``paykit.api_versions``).
REFUND_EVENTS_FROM = api_versions.starts("refund_events_for_every_refund")
#: The events a charge's refund did not send before ``REFUND_EVENTS_FROM``.
EVENTS_BEFORE_ACACIA: frozenset[str] = REFUND_EVENT_TYPES


def refund_events(events: tuple[str, ...], api_version: str) -> tuple[str, ...]:
    """The events a row sends for a charge's refund on ``api_version``."""
    if api_versions.since("refund_events_for_every_refund", api_version):
        return events
    return tuple(e for e in events if e not in EVENTS_BEFORE_ACACIA)
