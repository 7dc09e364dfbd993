"""The SetupIntent lifecycle, as a table that decides (``paykit.machine``).

A SetupIntent saves a payment method for later payments without charging it
(https://docs.stripe.com/payments/setup-intents). Its statuses are the PaymentIntent's
but ``requires_capture``; confirming it succeeds, asks the customer to authenticate, waits
for a bank (``processing``) or fails back to ``requires_payment_method``
(https://docs.stripe.com/api/setup_intents/confirm).

paykit's choices where Stripe's pages leave it open (unconfirmed, each tested):

- bank-debit setups (``sepa_debit``, ``us_bank_account``) pass through ``processing``
  for their settlement delay, and a test account that fails its debits fails the setup;
- no confirmation limit: Stripe says one exists ("or the canceled status if the
  confirmation limit is reached") without its number, and paykit does not invent one
  for setups;
- a card that needs 3D Secure for any payment (every 3DS test card) asks for it at setup,
  and so does ``payment_method_options[card][request_three_d_secure]=any|challenge``.

>>> SETUP_INTENT.decide(SetupStatus.REQUIRES_PAYMENT_METHOD, SetupAction.CONFIRM,
...                     SetupAttempt("card", "challenge")).target
<SetupStatus.REQUIRES_ACTION: 'requires_action'>
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Literal, NamedTuple

from paykit.event_types import SAVED_METHOD_EVENT_TYPES
from paykit.lifecycle import Trigger
from paykit.machine import ALWAYS, Guard, Machine, Refusal, Row

__all__ = [
    "FACT_VALUES",
    "REFUSALS",
    "SETUP_INTENT",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "SetupAction",
    "SetupAttempt",
    "SetupStatus",
]


class SetupStatus(StrEnum):
    """The six statuses of a SetupIntent (https://docs.stripe.com/payments/intents#intent-statuses)."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    CANCELED = "canceled"
    SUCCEEDED = "succeeded"


class SetupAction(StrEnum):
    """What moves a SetupIntent: your API call, the customer, or Stripe."""

    CREATE = "create"
    ATTACH_PAYMENT_METHOD = "attach_payment_method"
    CONFIRM = "confirm"
    AUTHENTICATE = "authenticate"
    FAIL_AUTHENTICATION = "fail_authentication"
    SETTLE = "settle"
    CANCEL = "cancel"


_TRIGGERS = MappingProxyType({
    SetupAction.CREATE: Trigger.API,
    SetupAction.ATTACH_PAYMENT_METHOD: Trigger.API,
    SetupAction.CONFIRM: Trigger.API,
    SetupAction.AUTHENTICATE: Trigger.CUSTOMER,
    SetupAction.FAIL_AUTHENTICATION: Trigger.CUSTOMER,
    SetupAction.SETTLE: Trigger.STRIPE,
    SetupAction.CANCEL: Trigger.API,
})


class SetupAttempt(NamedTuple):
    """The facts the rows read. The defaults: a card set up without a challenge."""

    method: Literal["card", "bank_debit", "none"] = "card"
    authentication: Literal["not_needed", "challenge"] = "not_needed"
    #: whether the bank refuses the method (an issuer-decline card; a failing test IBAN
    #: or account)
    bank: Literal["approves", "declines"] = "approves"


FACT_VALUES = MappingProxyType({
    "method": ("card", "bank_debit", "none"),
    "authentication": ("not_needed", "challenge"),
    "bank": ("approves", "declines"),
})


def _possible(status: object, facts: SetupAttempt) -> bool:
    """A setup under way has a method; only cards are challenged."""
    if status in (SetupStatus.REQUIRES_ACTION, SetupStatus.PROCESSING) \
            and facts.method == "none":
        return False
    return not (facts.authentication == "challenge" and facts.method != "card")


_API = "https://docs.stripe.com/api/setup_intents"
_STATUSES = "https://docs.stripe.com/payments/intents#intent-statuses"

_NO_METHOD = Guard("no_payment_method", "no payment method is attached",
                   lambda f: f.method == "none")
_CARD_OK = Guard("card_set_up", "a card that needs no further step and is not declined",
                 lambda f: f.method == "card" and f.authentication == "not_needed"
                 and f.bank == "approves")
_CARD_DECLINED = Guard("card_declined", "the bank declines the card",
                       lambda f: f.method == "card" and f.authentication == "not_needed"
                       and f.bank == "declines")
_CHALLENGED = Guard("needs_authentication", "the card needs authentication (3D Secure)",
                    lambda f: f.method == "card" and f.authentication == "challenge")
_ASYNCHRONOUS = Guard("asynchronous", "a bank debit: the bank answers later",
                      lambda f: f.method == "bank_debit")
_APPROVED = Guard("approved", "the bank accepts the method", lambda f: f.bank == "approves")
_REFUSED = Guard("declined", "the bank refuses the method", lambda f: f.bank == "declines")

_S = SetupStatus
_A = SetupAction


def _row(source: SetupStatus | None, action: SetupAction, target: SetupStatus,
         events: tuple[str, ...], guard: Guard, note: str, url: str = _STATUSES,
         effect: str = "") -> Row:
    return Row(source, action, target, events, guard, note, url, effect,
               trigger=_TRIGGERS[action])


def _confirm_rows(source: SetupStatus) -> tuple[Row, ...]:
    confirm = f"{_API}/confirm"
    return (
        _row(source, _A.CONFIRM, _S.SUCCEEDED, ("setup_intent.succeeded",), _CARD_OK,
             "the payment method needs no additional steps from the customer", confirm,
             effect="set_up"),
        _row(source, _A.CONFIRM, _S.REQUIRES_ACTION, ("setup_intent.requires_action",),
             _CHALLENGED, "the customer must authenticate, suggested by next_action",
             confirm, effect="request_authentication"),
        _row(source, _A.CONFIRM, _S.PROCESSING, (), _ASYNCHRONOUS,
             "a bank debit processes; there is no setup_intent.processing event",
             effect="start_setup"),
        _row(source, _A.CONFIRM, _S.REQUIRES_PAYMENT_METHOD, ("setup_intent.setup_failed",),
             _CARD_DECLINED, "if setup fails, it returns to requires_payment_method",
             confirm, effect="decline"),
    )


TRANSITIONS: tuple[Row, ...] = (
    _row(None, _A.CREATE, _S.REQUIRES_PAYMENT_METHOD, ("setup_intent.created",), ALWAYS,
         "a new SetupIntent waits for a payment method", f"{_API}/create"),
    _row(_S.REQUIRES_PAYMENT_METHOD, _A.ATTACH_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, (),
         ALWAYS, "with a payment method, it is ready to be confirmed"),
    *_confirm_rows(_S.REQUIRES_PAYMENT_METHOD),
    *_confirm_rows(_S.REQUIRES_CONFIRMATION),
    _row(_S.REQUIRES_ACTION, _A.AUTHENTICATE, _S.SUCCEEDED, ("setup_intent.succeeded",),
         ALWAYS, "the customer authenticated: the setup succeeds", effect="set_up"),
    _row(_S.REQUIRES_ACTION, _A.FAIL_AUTHENTICATION, _S.REQUIRES_PAYMENT_METHOD,
         ("setup_intent.setup_failed",), ALWAYS,
         "authentication failed (setup_intent_authentication_failure)",
         effect="fail_authentication"),
    _row(_S.PROCESSING, _A.SETTLE, _S.SUCCEEDED, ("setup_intent.succeeded",), _APPROVED,
         "the bank accepts the debit authorisation", effect="set_up"),
    _row(_S.PROCESSING, _A.SETTLE, _S.REQUIRES_PAYMENT_METHOD, ("setup_intent.setup_failed",),
         _REFUSED, "the bank refuses it: the setup fails", effect="decline"),
    *(_row(source, _A.CANCEL, _S.CANCELED, ("setup_intent.canceled",), ALWAYS,
           "you can cancel a SetupIntent at any point before it is processing or "
           "succeeded", f"{_API}/cancel")
      for source in (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION,
                     _S.REQUIRES_ACTION)),
)

_MISSING_METHOD = (
    "You cannot confirm this SetupIntent because it's missing a payment method. You can "
    "either update the SetupIntent with a payment method and then confirm it again, or "
    "confirm it again directly with a payment method.")

REFUSALS: tuple[Refusal, ...] = (
    *(Refusal(source, _A.CONFIRM, _NO_METHOD, "setup_intent_unexpected_state",
              _MISSING_METHOD, None, f"{_API}/confirm")
      for source in (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION)),
    # "any operations on the SetupIntent fail with an error" once it is canceled;
    # a succeeded or processing setup cannot be confirmed or canceled either
    *(Refusal(source, action, ALWAYS, "setup_intent_unexpected_state")
      for source in (_S.PROCESSING, _S.SUCCEEDED, _S.CANCELED)
      for action in (_A.CONFIRM, _A.CANCEL)),
)

#: Nothing leaves a succeeded or canceled SetupIntent.
TERMINAL_STATUSES: frozenset[SetupStatus] = frozenset({_S.SUCCEEDED, _S.CANCELED})

SETUP_INTENT: Machine = Machine(
    "setup_intent", SetupStatus, SetupAction, SetupAttempt, FACT_VALUES, rows=TRANSITIONS,
    refusals=REFUSALS, terminal=TERMINAL_STATUSES, event_types=SAVED_METHOD_EVENT_TYPES,
    possible=_possible, title="SetupIntent",
    # a card set up with 3D Secure (https://docs.stripe.com/payments/intents#intent-statuses)
    main_path=(_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, _S.REQUIRES_ACTION,
               _S.SUCCEEDED),
)
