"""The PaymentIntent lifecycle, as ONE declarative table.

Read ``TRANSITIONS`` top to bottom and you have Stripe's lifecycle page
(docs.stripe.com/payments/paymentintents/lifecycle, seed ``001_…``) as data: for each
row, the status it leaves, the action that moves it, the status it reaches, the events
a real account emits, when the row applies, and where the fact comes from.

Everything else reads this table and restates nothing: the sandbox engine refuses any
move that is not a row, the state graphs draw it, the widgets offer only its allowed
actions, the log checker validates real paths against it, and the notebooks print it.

The table is checked when this module is imported (exactly one initial status, nothing
leaves ``succeeded`` or ``canceled``, every status reachable, every event a real Stripe
event type): a broken table cannot be imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from paykit.event_types import EVENT_TYPES

__all__ = [
    "INITIAL_STATUS",
    "LEGACY_API_VERSION_CUTOFF",
    "LEGACY_STATUS_NAMES",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Action",
    "LifecycleDefinitionError",
    "Status",
    "Transition",
    "Trigger",
    "allowed_actions",
    "can_transition",
    "display_status",
    "entry_statuses",
    "find_transition",
    "is_allowed",
    "is_legacy_api_version",
    "markdown_table",
    "parse_status",
    "transitions_from",
]


class Status(StrEnum):
    """The seven statuses of a PaymentIntent, with Stripe's wire values."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    REQUIRES_CAPTURE = "requires_capture"
    CANCELED = "canceled"
    SUCCEEDED = "succeeded"


class Action(StrEnum):
    """What moves an intent: an API call, the customer, or Stripe itself."""

    CREATE = "create"
    ATTACH_PAYMENT_METHOD = "attach_payment_method"
    CONFIRM = "confirm"
    AUTHENTICATE = "authenticate"
    FAIL_AUTHENTICATION = "fail_authentication"
    SETTLE = "settle"
    CAPTURE = "capture"
    INCREMENT_AUTHORIZATION = "increment_authorization"
    CANCEL = "cancel"
    EXPIRE = "expire"


class Trigger(StrEnum):
    """Who causes a transition: your server's API call, the customer, or Stripe."""

    API = "api"
    CUSTOMER = "customer"
    STRIPE = "stripe"


#: Which of the three parties performs each action.
ACTION_TRIGGERS: dict[Action, Trigger] = {
    Action.CREATE: Trigger.API,
    Action.ATTACH_PAYMENT_METHOD: Trigger.API,
    Action.CONFIRM: Trigger.API,
    Action.AUTHENTICATE: Trigger.CUSTOMER,
    Action.FAIL_AUTHENTICATION: Trigger.CUSTOMER,
    Action.SETTLE: Trigger.STRIPE,
    Action.CAPTURE: Trigger.API,
    Action.INCREMENT_AUTHORIZATION: Trigger.API,
    Action.CANCEL: Trigger.API,
    Action.EXPIRE: Trigger.STRIPE,
}


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the lifecycle: ``source --action--> target`` and what it emits.

    ``source`` is ``None`` only for creation. ``events`` are in the order a real account
    emits them. ``condition`` says when this row (and not a sibling) applies.
    """

    source: Status | None
    action: Action
    target: Status
    events: tuple[str, ...]
    condition: str
    note: str

    @property
    def trigger(self) -> Trigger:
        return ACTION_TRIGGERS[self.action]


S = Status
A = Action
_SUCCEEDED_CARD = ("charge.succeeded", "payment_intent.succeeded")
_AUTHORIZED = ("charge.succeeded", "payment_intent.amount_capturable_updated")
_PENDING = ("charge.pending", "payment_intent.processing")
_DECLINED = ("charge.failed", "payment_intent.payment_failed")
_DECLINED_AT_LIMIT = (*_DECLINED, "payment_intent.canceled")

#: The lifecycle. Sources: seed 001 (lifecycle page) and reference §2 rows T1–T15.
TRANSITIONS: tuple[Transition, ...] = (
    # -- creation ------------------------------------------------------------------
    Transition(None, A.CREATE, S.REQUIRES_PAYMENT_METHOD, ("payment_intent.created",),
               "always: a new intent waits for a payment method",
               "T1; seed 001: requires_payment_method until a payment method is attached"),
    Transition(S.REQUIRES_PAYMENT_METHOD, A.ATTACH_PAYMENT_METHOD, S.REQUIRES_CONFIRMATION, (),
               "payment_method given on create or update, not confirmed yet",
               "T2; seed 001: requires_confirmation is optional, usually skipped"),
    Transition(S.REQUIRES_CONFIRMATION, A.ATTACH_PAYMENT_METHOD, S.REQUIRES_CONFIRMATION, (),
               "payment_method replaced by an update",
               "reference §2: updating payment_method always needs a new confirm"),
    Transition(S.REQUIRES_ACTION, A.ATTACH_PAYMENT_METHOD, S.REQUIRES_CONFIRMATION, (),
               "payment_method replaced while authentication is pending",
               "[DERIVED] reference §2: a new payment_method needs a new confirm"),
    # -- confirm (also create with confirm=true) --------------------------------------
    *(
        row
        for source in (S.REQUIRES_PAYMENT_METHOD, S.REQUIRES_CONFIRMATION)
        for row in (
            Transition(source, A.CONFIRM, S.SUCCEEDED, _SUCCEEDED_CARD,
                       "card authorised, capture_method automatic",
                       "T6; seed 001: cards do not go through processing"),
            Transition(source, A.CONFIRM, S.REQUIRES_CAPTURE, _AUTHORIZED,
                       "card authorised, capture_method manual",
                       "T5; seed 001: authorise and capture separately"),
            Transition(source, A.CONFIRM, S.PROCESSING, _PENDING,
                       "asynchronous payment method (bank debit)",
                       "T6; seed 001: processing only for asynchronous methods"),
            Transition(source, A.CONFIRM, S.REQUIRES_ACTION, ("payment_intent.requires_action",),
                       "the card needs authentication (3D Secure)",
                       "T3; seed 001: requires_action, e.g. 3D Secure"),
            Transition(source, A.CONFIRM, S.REQUIRES_PAYMENT_METHOD, _DECLINED,
                       "declined: the attempt fails, the intent can be retried",
                       "T4; seed 001: a failed attempt returns to requires_payment_method"),
            Transition(source, A.CONFIRM, S.CANCELED, _DECLINED_AT_LIMIT,
                       "declined and the confirmation limit is reached",
                       "T4; seed 001: canceled after too many confirmations"),
        )
    ),
    # -- the customer handles next_action ------------------------------------------------
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.SUCCEEDED, _SUCCEEDED_CARD,
               "authenticated, confirmation_method automatic, capture automatic",
               "T7: no further confirm needed after next_action"),
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.REQUIRES_CAPTURE, _AUTHORIZED,
               "authenticated, confirmation_method automatic, capture manual", "T7"),
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.PROCESSING, _PENDING,
               "authenticated, asynchronous payment method", "T7"),
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.REQUIRES_CONFIRMATION, (),
               "authenticated, confirmation_method manual: the server confirms again",
               "T8: returns to requires_confirmation"),
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.REQUIRES_PAYMENT_METHOD, _DECLINED,
               "authenticated, then the card declines", "T4 after T7"),
    Transition(S.REQUIRES_ACTION, A.AUTHENTICATE, S.CANCELED, _DECLINED_AT_LIMIT,
               "authenticated, declined, confirmation limit reached", "T4 after T7"),
    Transition(S.REQUIRES_ACTION, A.FAIL_AUTHENTICATION, S.REQUIRES_PAYMENT_METHOD,
               ("payment_intent.payment_failed",),
               "authentication failed (payment_intent_authentication_failure)", "T9"),
    Transition(S.REQUIRES_ACTION, A.FAIL_AUTHENTICATION, S.CANCELED,
               ("payment_intent.payment_failed", "payment_intent.canceled"),
               "authentication failed and the confirmation limit is reached", "T9 + T4"),
    # -- asynchronous payments settle ------------------------------------------------------
    Transition(S.PROCESSING, A.SETTLE, S.SUCCEEDED, _SUCCEEDED_CARD,
               "the bank debit succeeds", "T10"),
    Transition(S.PROCESSING, A.SETTLE, S.REQUIRES_PAYMENT_METHOD, _DECLINED,
               "the bank debit fails", "T10; seed 001: back to requires_payment_method"),
    Transition(S.PROCESSING, A.SETTLE, S.CANCELED, _DECLINED_AT_LIMIT,
               "the bank debit fails and the confirmation limit is reached", "T10 + T4"),
    # -- manual capture --------------------------------------------------------------------
    Transition(S.REQUIRES_CAPTURE, A.CAPTURE, S.SUCCEEDED,
               ("charge.captured", "payment_intent.succeeded"),
               "amount_to_capture <= amount_capturable (the rest is released)", "T11"),
    Transition(S.REQUIRES_CAPTURE, A.INCREMENT_AUTHORIZATION, S.REQUIRES_CAPTURE,
               ("payment_intent.amount_capturable_updated",),
               "a higher total, at most 10 attempts", "T14; reference §3.6"),
    Transition(S.REQUIRES_CAPTURE, A.EXPIRE, S.CANCELED,
               ("charge.expired", "payment_intent.canceled"),
               "not captured within 7 days of creation", "T12; reference §3.4"),
    # -- cancel ------------------------------------------------------------------------------
    Transition(S.REQUIRES_PAYMENT_METHOD, A.CANCEL, S.CANCELED, ("payment_intent.canceled",),
               "on request", "T13; seed 001: cancel any time before processing/succeeded"),
    Transition(S.REQUIRES_CONFIRMATION, A.CANCEL, S.CANCELED, ("payment_intent.canceled",),
               "on request", "T13"),
    Transition(S.REQUIRES_ACTION, A.CANCEL, S.CANCELED, ("payment_intent.canceled",),
               "on request", "T13"),
    Transition(S.REQUIRES_CAPTURE, A.CANCEL, S.CANCELED,
               ("charge.refunded", "payment_intent.canceled"),
               "on request: the held funds are released", "T13; seed 001: cancel releases funds"),
    Transition(S.PROCESSING, A.CANCEL, S.CANCELED, ("charge.failed", "payment_intent.canceled"),
               "bank debits only (e.g. us_bank_account, sepa_debit)",
               "T13; seed 001 footnote 2: processing can be canceled for US bank accounts"),
)

#: The status every intent starts in.
INITIAL_STATUS: Status = next(t.target for t in TRANSITIONS if t.source is None)
#: Nothing leaves these: canceling "cannot be undone", a success is final.
TERMINAL_STATUSES: frozenset[Status] = frozenset({Status.SUCCEEDED, Status.CANCELED})

#: API versions before this date show the old names (changelog 2019-02-11).
LEGACY_API_VERSION_CUTOFF = "2019-02-11"
LEGACY_STATUS_NAMES: dict[Status, str] = {
    Status.REQUIRES_PAYMENT_METHOD: "requires_source",
    Status.REQUIRES_ACTION: "requires_source_action",
}


class LifecycleDefinitionError(Exception):
    """The transition table breaks a rule every PaymentIntent lifecycle must keep."""


def _check(rows: Iterable[Transition]) -> None:
    """Refuse a table that could not describe Stripe's lifecycle."""
    rows = tuple(rows)
    initial = {t.target for t in rows if t.source is None}
    if len(initial) != 1:
        raise LifecycleDefinitionError(f"exactly one initial status expected, got {initial}")
    keys = [(t.source, t.action, t.target) for t in rows]
    if len(keys) != len(set(keys)):
        raise LifecycleDefinitionError("a (source, action, target) row appears twice")
    for t in rows:
        if t.source in TERMINAL_STATUSES:
            raise LifecycleDefinitionError(f"{t.source} is terminal but has an exit: {t}")
        unknown = set(t.events) - EVENT_TYPES
        if unknown:
            raise LifecycleDefinitionError(f"not Stripe event types: {sorted(unknown)}")
    reached = set(initial)
    frontier = list(initial)
    while frontier:
        status = frontier.pop()
        for t in rows:
            if t.source == status and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    missing = set(Status) - reached
    if missing:
        raise LifecycleDefinitionError(f"unreachable statuses: {sorted(missing)}")
    for status in set(Status) - TERMINAL_STATUSES:
        if not any(t.source == status for t in rows):
            raise LifecycleDefinitionError(f"{status} is not terminal but has no exit")


_check(TRANSITIONS)

_BY_KEY: dict[tuple[Status | None, Action, Status], Transition] = {
    (t.source, t.action, t.target): t for t in TRANSITIONS
}
_FROM: dict[Status | None, tuple[Transition, ...]] = {
    source: tuple(t for t in TRANSITIONS if t.source == source)
    for source in (None, *Status)
}
_PAIRS: frozenset[tuple[Status, Status]] = frozenset(
    (t.source, t.target) for t in TRANSITIONS if t.source is not None
)


def transitions_from(status: Status | None) -> tuple[Transition, ...]:
    """Every row leaving ``status`` (``None``: the creation rows)."""
    return _FROM[None if status is None else Status(status)]


def allowed_actions(status: Status | str) -> tuple[Action, ...]:
    """The actions the table allows in ``status``, in table order, without repeats."""
    return tuple(dict.fromkeys(t.action for t in transitions_from(Status(status))))


_ALLOWED: dict[Status, frozenset[Action]] = {
    status: frozenset(t.action for t in _FROM[status]) for status in Status
}


def is_allowed(status: Status, action: Action) -> bool:
    """Whether the table has any row for ``action`` from ``status`` (a fast lookup)."""
    return action in _ALLOWED[status]


def can_transition(source: Status | str, target: Status | str) -> bool:
    """Whether any row moves an intent from ``source`` straight to ``target``."""
    return (Status(source), Status(target)) in _PAIRS


def find_transition(
    source: Status | None, action: Action, target: Status
) -> Transition | None:
    """The row for this move, or ``None`` when the lifecycle has no such row."""
    return _BY_KEY.get((source, action, target))


def entry_statuses() -> frozenset[Status]:
    """Statuses an intent can show in its first event: created, then silent rows.

    ``create`` with ``payment_method`` attaches it in the same call, and attaching emits
    no event, so ``payment_intent.created`` may already show ``requires_confirmation``.
    """
    found = {INITIAL_STATUS}
    frontier = [INITIAL_STATUS]
    while frontier:
        status = frontier.pop()
        for t in _FROM[status]:
            if not t.events and t.target not in found:
                found.add(t.target)
                frontier.append(t.target)
    return frozenset(found)


def is_legacy_api_version(api_version: str | None) -> bool:
    """API versions before 2019-02-11 name two statuses differently."""
    return bool(api_version) and api_version[:10] < LEGACY_API_VERSION_CUTOFF


def display_status(status: Status | str, api_version: str | None = None) -> str:
    """The status name a given API version shows on the wire."""
    status = Status(status)
    if is_legacy_api_version(api_version):
        return LEGACY_STATUS_NAMES.get(status, status.value)
    return status.value


_FROM_LEGACY = {name: status for status, name in LEGACY_STATUS_NAMES.items()}


def parse_status(name: str) -> Status:
    """A status from its current or legacy wire name; ``ValueError`` otherwise."""
    if name in _FROM_LEGACY:
        return _FROM_LEGACY[name]
    return Status(name)


def markdown_table(api_version: str | None = None) -> str:
    """The lifecycle as a Markdown table, for the docs and the notebooks."""
    lines = [
        "| from | action | to | events | when | source |",
        "|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        source = "(new)" if t.source is None else f"`{display_status(t.source, api_version)}`"
        events = ", ".join(f"`{e}`" for e in t.events) or "none"
        lines.append(
            f"| {source} | {t.action} ({t.trigger}) | `{display_status(t.target, api_version)}` "
            f"| {events} | {t.condition} | {t.note} |"
        )
    return "\n".join(lines)
