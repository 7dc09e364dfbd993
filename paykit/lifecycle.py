"""The PaymentIntent lifecycle, as ONE declarative table that decides.

Read ``TRANSITIONS`` top to bottom and you have Stripe's lifecycle page
(https://docs.stripe.com/payments/paymentintents/lifecycle) as data: for each row, the
status it leaves, the action that moves it, the status it reaches, the events a real
account emits, the named guard that says when the row applies, and where the fact comes
from. ``REFUSALS`` says when an action is refused instead, with Stripe's error.

The engine (``paykit.intents``) never chooses a status: it gathers the facts of the
attempt (an :class:`Attempt`) and asks ``PAYMENT_INTENT.decide(status, action, facts)``,
which answers exactly one row or raises ``MoveRefused``. The state graphs draw the same
rows, the widgets offer only their actions, the log checker validates real paths
against them and the notebooks print them.

The table is checked when this module is imported (``paykit.machine``): exactly one
initial status, nothing leaves ``succeeded`` or ``canceled``, every status reachable,
every event a real Stripe event type. ``tests/test_lifecycle.py`` asks it about every
status, action and combination of facts (``_check``), and proves exactly one row (or a
refusal) applies each time.

>>> PAYMENT_INTENT.decide(Status.REQUIRES_CONFIRMATION, Action.CONFIRM,
...                       Attempt(capture_method="manual")).target
<Status.REQUIRES_CAPTURE: 'requires_capture'>
>>> PAYMENT_INTENT.decide(Status.REQUIRES_CONFIRMATION, Action.CONFIRM,
...                       Attempt(bank="declines", last_attempt=True)).events
('charge.failed', 'payment_intent.payment_failed', 'payment_intent.canceled')
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, NamedTuple

from paykit import api_versions
from paykit.event_types import EVENT_TYPES
from paykit.machine import (
    ALWAYS,
    Guard,
    Limit,
    Machine,
    MachineDefinitionError,
    Refusal,
    Row,
)

__all__ = [
    "ACTION_TRIGGERS",
    "BEFORE_BASIL",
    "FACT_VALUES",
    "INITIAL_STATUS",
    "LEGACY_API_VERSION_CUTOFF",
    "LEGACY_STATUS_NAMES",
    "LIMITS",
    "MAIN_PATH",
    "PAYMENT_INTENT",
    "REFUSALS",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Action",
    "Attempt",
    "AuthenticationNeed",
    "LifecycleDefinitionError",
    "MethodKind",
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
ACTION_TRIGGERS: MappingProxyType[Action, Trigger] = MappingProxyType({
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
})


#: The kinds of payment method the rows tell apart.
MethodKind = Literal["card", "bank_debit", "none"]
#: Whether 3D Secure stands in the way of an attempt.
AuthenticationNeed = Literal["not_needed", "challenge", "refused"]


class Attempt(NamedTuple):
    """The facts the rows read: what is true of the intent and this attempt.

    The defaults describe a plain card payment that goes through.
    """

    #: the attached payment method: a card, a bank debit (asynchronous), or none yet
    method: MethodKind = "card"
    #: 3D Secure: not needed, asked of the customer, or refused (off-session: the bank
    #: wants the cardholder, who is not there)
    authentication: AuthenticationNeed = "not_needed"
    #: what the bank answers the charge (for a bank debit: at settlement)
    bank: Literal["approves", "declines"] = "approves"
    capture_method: Literal["automatic", "manual"] = "automatic"
    confirmation_method: Literal["automatic", "manual"] = "automatic"
    #: this confirmation is the last the intent may make (``LIMITS["confirmations"]``)
    last_attempt: bool = False
    #: the intent has used all its incremental authorizations
    increments_exhausted: bool = False


#: Every value each fact can take: what the exhaustive check walks.
FACT_VALUES: MappingProxyType[str, tuple[object, ...]] = MappingProxyType({
    "method": ("card", "bank_debit", "none"),
    "authentication": ("not_needed", "challenge", "refused"),
    "bank": ("approves", "declines"),
    "capture_method": ("automatic", "manual"),
    "confirmation_method": ("automatic", "manual"),
    "last_attempt": (False, True),
    "increments_exhausted": (False, True),
})

_LIFECYCLE = "https://docs.stripe.com/payments/paymentintents/lifecycle"
_API = "https://docs.stripe.com/api/payment_intents"

#: The numbers the rows cite. ``confirmations`` is paykit's choice: Stripe only says
#: there is "a variable upper limit on how many times a PaymentIntent can be
#: confirmed" (``Sandbox(confirmation_limit=…)`` changes it; tests/test_intents.py).
LIMITS: MappingProxyType[str, Limit] = MappingProxyType({
    "confirmations": Limit(
        10, "the failed attempt of the 10th confirmation cancels the intent "
            "(paykit's choice: Stripe's number is not public)", f"{_API}/confirm"),
    "capture_window_seconds": Limit(
        7 * 86_400, "uncaptured PaymentIntents are canceled 7 days after creation",
        "https://docs.stripe.com/payments/capture-later"),
    "incremental_authorizations": Limit(
        10, "each PaymentIntent can have a maximum of 10 incremental authorization "
            "attempts, including declines",
        "https://docs.stripe.com/payments/incremental-authorization"),
})


# -- the guards: named conditions over an Attempt ------------------------------------------

def _declined(f: Attempt) -> bool:
    """The attempt fails: authentication refused, or the bank declines a card."""
    return f.authentication == "refused" or (
        f.method == "card" and f.bank == "declines" and f.authentication == "not_needed")


def _goes_ahead(f: Attempt) -> bool:
    """Nothing stops the attempt: no authentication is pending or refused."""
    return f.authentication == "not_needed"


_CHALLENGED = Guard("needs_authentication", "the card needs authentication (3D Secure)",
                     lambda f: f.method != "none" and f.authentication == "challenge")
_CONFIRM_DECLINED = Guard(
    "declined", "declined: the attempt fails, the intent can be retried",
    lambda f: f.method != "none" and _declined(f) and not f.last_attempt)
_CONFIRM_DECLINED_AT_LIMIT = Guard(
    "declined_at_limit", "declined and the confirmation limit is reached",
    lambda f: f.method != "none" and _declined(f) and f.last_attempt)
_ASYNCHRONOUS = Guard("asynchronous", "asynchronous payment method (bank debit)",
                       lambda f: f.method == "bank_debit" and _goes_ahead(f))
_AUTHORISED_AUTOMATIC = Guard(
    "authorised_capture_automatic", "card authorised, capture_method automatic",
    lambda f: f.method == "card" and _goes_ahead(f) and f.bank == "approves"
    and f.capture_method == "automatic")
_AUTHORISED_MANUAL = Guard(
    "authorised_capture_manual", "card authorised, capture_method manual",
    lambda f: f.method == "card" and _goes_ahead(f) and f.bank == "approves"
    and f.capture_method == "manual")
_NO_METHOD = Guard("no_payment_method", "no payment method is attached",
                    lambda f: f.method == "none")

# After the customer authenticates, the attempt goes on as a confirm would (or, with
# manual confirmation, waits for the server to confirm again).
_AUTOMATIC = "authenticated, confirmation_method automatic"
_AUTH_MANUAL = Guard(
    "confirmation_manual",
    "authenticated, confirmation_method manual: the server confirms again",
    lambda f: f.confirmation_method == "manual")
_AUTH_CAPTURE_AUTOMATIC = Guard(
    "authenticated_capture_automatic", f"{_AUTOMATIC}, capture automatic",
    lambda f: f.confirmation_method == "automatic" and f.method == "card"
    and f.bank == "approves" and f.capture_method == "automatic")
_AUTH_CAPTURE_MANUAL = Guard(
    "authenticated_capture_manual", f"{_AUTOMATIC}, capture manual",
    lambda f: f.confirmation_method == "automatic" and f.method == "card"
    and f.bank == "approves" and f.capture_method == "manual")
_AUTH_ASYNCHRONOUS = Guard(
    "authenticated_asynchronous", "authenticated, asynchronous payment method",
    lambda f: f.confirmation_method == "automatic" and f.method == "bank_debit")
_AUTH_DECLINED = Guard(
    "authenticated_declined", "authenticated, then the card declines",
    lambda f: f.confirmation_method == "automatic" and f.method == "card"
    and f.bank == "declines" and not f.last_attempt)
_AUTH_DECLINED_AT_LIMIT = Guard(
    "authenticated_declined_at_limit", "authenticated, declined, confirmation limit reached",
    lambda f: f.confirmation_method == "automatic" and f.method == "card"
    and f.bank == "declines" and f.last_attempt)
_AUTH_FAILED = Guard(
    "authentication_failed", "authentication failed (payment_intent_authentication_failure)",
    lambda f: not f.last_attempt)
_AUTH_FAILED_AT_LIMIT = Guard(
    "authentication_failed_at_limit",
    "authentication failed and the confirmation limit is reached",
    lambda f: f.last_attempt)
_SETTLES = Guard("debit_succeeds", "the bank debit succeeds",
                  lambda f: f.bank == "approves")
_DEBIT_FAILS = Guard("debit_fails", "the bank debit fails",
                      lambda f: f.bank == "declines" and not f.last_attempt)
_DEBIT_FAILS_AT_LIMIT = Guard(
    "debit_fails_at_limit", "the bank debit fails and the confirmation limit is reached",
    lambda f: f.bank == "declines" and f.last_attempt)
_BANK_DEBIT = Guard("bank_debit", "bank debits only (e.g. us_bank_account, sepa_debit)",
                     lambda f: f.method == "bank_debit")
_NOT_BANK_DEBIT = Guard("not_bank_debit", "the payment method is not a bank debit",
                         lambda f: f.method != "bank_debit")
_INCREMENTABLE = Guard("incrementable", "a higher total, at most 10 attempts",
                        lambda f: f.method == "card" and not f.increments_exhausted)
_NOT_A_CARD = Guard("not_a_card", "the payment method is not a card",
                     lambda f: f.method != "card")
_INCREMENTS_EXHAUSTED = Guard(
    "increments_exhausted", "the 10 incremental authorization attempts are used",
    lambda f: f.method == "card" and f.increments_exhausted)


def _always(when: str) -> Guard:
    """The guard of a row that always applies, in this row's words."""
    return Guard(ALWAYS.name, when, ALWAYS.holds)


# -- the rows ----------------------------------------------------------------------------------

_S = Status
_A = Action
_SUCCEEDED_CARD = ("charge.succeeded", "payment_intent.succeeded")
_AUTHORIZED = ("charge.succeeded", "payment_intent.amount_capturable_updated")
_PENDING = ("charge.pending", "payment_intent.processing")
_DECLINED = ("charge.failed", "payment_intent.payment_failed")
_DECLINED_AT_LIMIT = (*_DECLINED, "payment_intent.canceled")
_AUTOMATIC_CANCEL = MappingProxyType({"cancellation_reason": "automatic"})


def _row(source: Status | None, action: Action, target: Status, events: tuple[str, ...],
         guard: Guard, note: str, url: str = _LIFECYCLE, effect: str = "",
         sets: MappingProxyType[str, str] | None = None) -> Row:
    return Row(source, action, target, events, guard, note, url, effect,
               sets if sets is not None else MappingProxyType({}),
               trigger=ACTION_TRIGGERS[action])


def _confirm_rows(source: Status) -> tuple[Row, ...]:
    """What a confirm does from ``source`` (also create with ``confirm=true``)."""
    confirm = f"{_API}/confirm"
    return (
        _row(source, _A.CONFIRM, _S.SUCCEEDED, _SUCCEEDED_CARD, _AUTHORISED_AUTOMATIC,
             "cards are processed at once and do not go through processing",
             effect="charge"),
        _row(source, _A.CONFIRM, _S.REQUIRES_CAPTURE, _AUTHORIZED, _AUTHORISED_MANUAL,
             "with capture_method=manual the funds are authorised, captured later",
             "https://docs.stripe.com/payments/place-a-hold-on-a-payment-method",
             effect="authorize"),
        _row(source, _A.CONFIRM, _S.PROCESSING, _PENDING, _ASYNCHRONOUS,
             "asynchronous methods such as bank debits move to processing",
             effect="start_debit"),
        _row(source, _A.CONFIRM, _S.REQUIRES_ACTION, ("payment_intent.requires_action",),
             _CHALLENGED, "the customer must act, e.g. authenticate with 3D Secure",
             effect="request_authentication"),
        _row(source, _A.CONFIRM, _S.REQUIRES_PAYMENT_METHOD, _DECLINED, _CONFIRM_DECLINED,
             "a failed attempt returns to requires_payment_method and can be retried",
             effect="decline"),
        _row(source, _A.CONFIRM, _S.CANCELED, _DECLINED_AT_LIMIT, _CONFIRM_DECLINED_AT_LIMIT,
             "after too many confirmations the intent is canceled", confirm,
             effect="decline", sets=_AUTOMATIC_CANCEL),
    )


#: The lifecycle, one row per move (the graphs draw exactly these).
TRANSITIONS: tuple[Row, ...] = (
    # -- creation ------------------------------------------------------------------------
    _row(None, _A.CREATE, _S.REQUIRES_PAYMENT_METHOD, ("payment_intent.created",),
         _always("always: a new intent waits for a payment method"),
         "a new intent is in requires_payment_method until a payment method is attached"),
    _row(_S.REQUIRES_PAYMENT_METHOD, _A.ATTACH_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, (),
         _always("payment_method given on create or update, not confirmed yet"),
         "requires_confirmation is optional: most integrations confirm at once"),
    _row(_S.REQUIRES_CONFIRMATION, _A.ATTACH_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, (),
         _always("payment_method replaced by an update"),
         "updating the payment_method always requires a new confirmation",
         f"{_API}/update"),
    _row(_S.REQUIRES_ACTION, _A.ATTACH_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, (),
         _always("payment_method replaced while authentication is pending"),
         "a new payment_method needs a new confirmation, even during authentication",
         f"{_API}/update"),
    # -- confirm -------------------------------------------------------------------------
    *_confirm_rows(_S.REQUIRES_PAYMENT_METHOD),
    *_confirm_rows(_S.REQUIRES_CONFIRMATION),
    # -- the customer handles next_action ----------------------------------------------------
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.SUCCEEDED, _SUCCEEDED_CARD,
         _AUTH_CAPTURE_AUTOMATIC,
         "after next_action is handled no further confirmation is needed",
         f"{_API}/confirm", effect="charge"),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.REQUIRES_CAPTURE, _AUTHORIZED,
         _AUTH_CAPTURE_MANUAL, "authorised after authentication, captured later",
         f"{_API}/confirm", effect="authorize"),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.PROCESSING, _PENDING, _AUTH_ASYNCHRONOUS,
         "asynchronous methods move to processing once actions are handled",
         effect="start_debit"),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.REQUIRES_CONFIRMATION, (), _AUTH_MANUAL,
         "with manual confirmation the intent returns to requires_confirmation",
         f"{_API}/confirm"),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.REQUIRES_PAYMENT_METHOD, _DECLINED,
         _AUTH_DECLINED, "a decline after authentication returns to "
         "requires_payment_method", effect="decline"),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.CANCELED, _DECLINED_AT_LIMIT,
         _AUTH_DECLINED_AT_LIMIT, "after too many confirmations the intent is canceled",
         f"{_API}/confirm", effect="decline", sets=_AUTOMATIC_CANCEL),
    _row(_S.REQUIRES_ACTION, _A.FAIL_AUTHENTICATION, _S.REQUIRES_PAYMENT_METHOD,
         ("payment_intent.payment_failed",), _AUTH_FAILED,
         "failed authentication sets last_payment_error and asks for a new method",
         "https://docs.stripe.com/error-codes/payment-intent-authentication-failure",
         effect="fail_authentication"),
    _row(_S.REQUIRES_ACTION, _A.FAIL_AUTHENTICATION, _S.CANCELED,
         ("payment_intent.payment_failed", "payment_intent.canceled"),
         _AUTH_FAILED_AT_LIMIT, "after too many confirmations the intent is canceled",
         f"{_API}/confirm", effect="fail_authentication", sets=_AUTOMATIC_CANCEL),
    # -- asynchronous payments settle ----------------------------------------------------------
    _row(_S.PROCESSING, _A.SETTLE, _S.SUCCEEDED, _SUCCEEDED_CARD, _SETTLES,
         "processing ends in succeeded when the payment completes", effect="settle"),
    _row(_S.PROCESSING, _A.SETTLE, _S.REQUIRES_PAYMENT_METHOD, _DECLINED, _DEBIT_FAILS,
         "a failed payment returns to requires_payment_method so it can be retried",
         effect="fail_debit"),
    _row(_S.PROCESSING, _A.SETTLE, _S.CANCELED, _DECLINED_AT_LIMIT, _DEBIT_FAILS_AT_LIMIT,
         "after too many confirmations the intent is canceled", f"{_API}/confirm",
         effect="fail_debit", sets=_AUTOMATIC_CANCEL),
    # -- manual capture ------------------------------------------------------------------------
    _row(_S.REQUIRES_CAPTURE, _A.CAPTURE, _S.SUCCEEDED,
         ("charge.captured", "payment_intent.succeeded"),
         _always("amount_to_capture <= amount_capturable (the rest is released)"),
         "capturing moves the funds; any amount not captured is refunded",
         f"{_API}/capture", effect="capture"),
    _row(_S.REQUIRES_CAPTURE, _A.INCREMENT_AUTHORIZATION, _S.REQUIRES_CAPTURE,
         ("payment_intent.amount_capturable_updated",), _INCREMENTABLE,
         "raises the authorised amount of a card payment before capture",
         "https://docs.stripe.com/payments/incremental-authorization", effect="increment"),
    _row(_S.REQUIRES_CAPTURE, _A.EXPIRE, _S.CANCELED,
         ("charge.expired", "payment_intent.canceled"),
         _always("not captured within 7 days of creation"),
         "an authorisation not captured in time is released and the intent canceled",
         "https://docs.stripe.com/payments/capture-later", effect="release_authorization",
         sets=MappingProxyType({"cancellation_reason": "expired"})),
    # -- cancel --------------------------------------------------------------------------------
    _row(_S.REQUIRES_PAYMENT_METHOD, _A.CANCEL, _S.CANCELED, ("payment_intent.canceled",),
         _always("on request"),
         "an intent can be canceled before it is processing or succeeded", f"{_API}/cancel"),
    _row(_S.REQUIRES_CONFIRMATION, _A.CANCEL, _S.CANCELED, ("payment_intent.canceled",),
         _always("on request"),
         "an intent can be canceled before it is processing or succeeded", f"{_API}/cancel"),
    _row(_S.REQUIRES_ACTION, _A.CANCEL, _S.CANCELED, ("payment_intent.canceled",),
         _always("on request"),
         "an intent can be canceled before it is processing or succeeded", f"{_API}/cancel"),
    _row(_S.REQUIRES_CAPTURE, _A.CANCEL, _S.CANCELED, ("payment_intent.canceled",),
         _always("on request: the held funds are released"),
         "canceling releases any funds held", effect="release_authorization"),
    _row(_S.PROCESSING, _A.CANCEL, _S.CANCELED, ("charge.failed", "payment_intent.canceled"),
         _BANK_DEBIT,
         "processing can be canceled for bank debits (ACH, ACSS, BECS, BACS, SEPA)",
         effect="cancel_debit"),
)

_MISSING_METHOD = (
    "You cannot confirm this PaymentIntent because it's missing a payment method. "
    "Update the PaymentIntent with a payment method and then confirm it again, or "
    "confirm it again directly with a payment method."
)

#: When an action that has rows from a status is refused all the same.
REFUSALS: tuple[Refusal, ...] = (
    *(Refusal(source, _A.CONFIRM, _NO_METHOD, "payment_intent_unexpected_state",
              _MISSING_METHOD, url=f"{_API}/confirm")
      for source in (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION)),
    Refusal(_S.PROCESSING, _A.CANCEL, _NOT_BANK_DEBIT, "payment_intent_unexpected_state",
            url=_LIFECYCLE),
    Refusal(_S.REQUIRES_CAPTURE, _A.INCREMENT_AUTHORIZATION, _NOT_A_CARD,
            "payment_intent_unexpected_state",
            "Only card payments support incremental authorization.", "amount",
            "https://docs.stripe.com/payments/incremental-authorization"),
    Refusal(_S.REQUIRES_CAPTURE, _A.INCREMENT_AUTHORIZATION, _INCREMENTS_EXHAUSTED,
            "intent_invalid_state",
            "This PaymentIntent has reached the maximum of {incremental_authorizations} "
            "incremental authorization attempts.", "amount",
            "https://docs.stripe.com/payments/incremental-authorization"),
)

#: The rows that differed before API version 2025-03-31.basil, which stopped refunding
#: what a cancel, an expiry or a partial capture releases (``paykit.api_versions``,
#: ``no_refund_on_release``): their events and fields then. The table's rows are today's.
BEFORE_BASIL: MappingProxyType[tuple[Status, Action], tuple[tuple[str, ...],
                                                             MappingProxyType[str, str]]] = \
    MappingProxyType({
        (_S.REQUIRES_CAPTURE, _A.CANCEL): (
            ("charge.refunded", "payment_intent.canceled"), MappingProxyType({})),
        (_S.REQUIRES_CAPTURE, _A.EXPIRE): (
            ("charge.refunded", "charge.expired", "payment_intent.canceled"),
            _AUTOMATIC_CANCEL),
    })

#: Nothing leaves these: canceling "cannot be undone", a success is final.
TERMINAL_STATUSES: frozenset[Status] = frozenset({Status.SUCCEEDED, Status.CANCELED})


def _possible(status: Status | None, facts: Attempt) -> bool:
    """What is always true in a status (the exhaustive check skips the rest): a
    payment method is attached once an attempt is under way."""
    if status in (_S.REQUIRES_ACTION, _S.PROCESSING, _S.REQUIRES_CAPTURE):
        return facts.method != "none"
    return True


#: API versions before this date show the old names (``paykit.api_versions``).
LEGACY_API_VERSION_CUTOFF = api_versions.starts("statuses_renamed")
LEGACY_STATUS_NAMES: MappingProxyType[Status, str] = MappingProxyType({
    Status.REQUIRES_PAYMENT_METHOD: "requires_source",
    Status.REQUIRES_ACTION: "requires_source_action",
})


class LifecycleDefinitionError(MachineDefinitionError):
    """The PaymentIntent table breaks a rule every lifecycle must keep."""


#: The way Stripe's lifecycle page tells it
#: (https://docs.stripe.com/payments/paymentintents/lifecycle): a method, a confirmation,
#: perhaps an action, perhaps processing, then success. The graph draws it straight.
MAIN_PATH: tuple[Status, ...] = (
    Status.REQUIRES_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION, Status.REQUIRES_ACTION,
    Status.PROCESSING, Status.SUCCEEDED)


def _machine(rows: Iterable[Row], *, every_decision: bool = False) -> Machine:
    """The machine of ``rows``; its structure is checked as it is built, and with
    ``every_decision`` every question it can be asked too (about 4,000, ~10 ms: the
    tests ask them, ``import paykit`` does not pay for it)."""
    try:
        machine = Machine(
            "payment_intent", Status, Action, Attempt, FACT_VALUES, rows=tuple(rows),
            refusals=REFUSALS, terminal=TERMINAL_STATUSES, event_types=EVENT_TYPES,
            limits=LIMITS, possible=_possible, title="PaymentIntent",
            aliases={name: (LEGACY_API_VERSION_CUTOFF, status)
                     for status, name in LEGACY_STATUS_NAMES.items()},
            main_path=MAIN_PATH,
        )
        if every_decision:
            machine.check_decisions()
        return machine
    except MachineDefinitionError as error:
        raise LifecycleDefinitionError(str(error)) from error


def _check(rows: Iterable[Row]) -> None:
    """Refuse a table that could not describe Stripe's lifecycle, gaps and overlaps of
    its guards included."""
    _machine(rows, every_decision=True)


#: The PaymentIntent machine: ask it which row applies (``decide``).
PAYMENT_INTENT: Machine = _machine(TRANSITIONS)

#: ``Transition`` is the lifecycle's name for a row of the machine.
Transition = Row

#: The status every intent starts in.
INITIAL_STATUS: Status = PAYMENT_INTENT.initial


_PAIRS: frozenset[tuple[Status, Status]] = frozenset(
    (t.source, t.target) for t in TRANSITIONS if t.source is not None
)


def transitions_from(status: Status | str | None) -> tuple[Row, ...]:
    """Every row leaving ``status`` (``None``: the creation rows)."""
    return PAYMENT_INTENT.rows_from(None if status is None else Status(status))


def allowed_actions(status: Status | str) -> tuple[Action, ...]:
    """The actions the table allows in ``status``, in table order, without repeats."""
    return PAYMENT_INTENT.allowed_actions(Status(status))


def is_allowed(status: Status, action: Action) -> bool:
    """Whether the table has any row for ``action`` from ``status`` (a fast lookup)."""
    return PAYMENT_INTENT.allows(status, action)


def can_transition(source: Status | str, target: Status | str) -> bool:
    """Whether any row moves an intent from ``source`` straight to ``target``."""
    return (Status(source), Status(target)) in _PAIRS


def find_transition(source: Status | None, action: Action, target: Status) -> Row | None:
    """The row for this move, or ``None`` when the lifecycle has no such row."""
    return PAYMENT_INTENT.find(source, action, target)


def entry_statuses() -> frozenset[Status]:
    """Statuses an intent can show in its first event: created, then silent rows.

    ``create`` with ``payment_method`` attaches it in the same call, and attaching emits
    no event, so ``payment_intent.created`` may already show ``requires_confirmation``.
    """
    return PAYMENT_INTENT.entry_statuses()


def is_legacy_api_version(api_version: str | None) -> bool:
    """API versions before 2019-02-11 name two statuses differently."""
    return bool(api_version) and not api_versions.since("statuses_renamed", api_version)


def display_status(status: Status | str, api_version: str | None = None) -> str:
    """The status name a given API version shows on the wire."""
    return PAYMENT_INTENT.show(status, api_version)


def parse_status(name: str) -> Status:
    """A status from its current or legacy wire name; ``ValueError`` otherwise."""
    return PAYMENT_INTENT.parse(name)


def markdown_table(api_version: str | None = None) -> str:
    """The lifecycle as a Markdown table, for the docs and the notebooks."""
    return PAYMENT_INTENT.markdown_table(api_version)
