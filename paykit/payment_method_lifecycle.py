"""Whether a PaymentMethod can still be used, as a table (``paykit.machine``).

"By default, a PaymentMethod isn't attached to a Customer" (https://docs.stripe.com/testing).
Used once without a Customer it is spent: "To use a PaymentMethod multiple times, you must
attach it to a Customer first". Attached, it can be charged again and again for that
customer; detached, it is gone for good: "After a PaymentMethod is detached, it can no
longer be used for a payment or re-attached to a Customer"
(https://docs.stripe.com/api/payment_methods/detach). The PaymentMethod object has no
``status`` field: the four statuses are paykit's names for what its ``customer`` field and
its past say. The refusals carry the messages Stripe answers (recorded in real API
responses; Stripe gives them no ``code``).

>>> PAYMENT_METHOD.decide(MethodStatus.UNUSED, MethodAction.USE, MethodFacts()).target
<MethodStatus.CONSUMED: 'consumed'>
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
    "PAYMENT_METHOD",
    "REFUSALS",
    "REUSE_REFUSED",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "MethodAction",
    "MethodFacts",
    "MethodStatus",
]


class MethodStatus(StrEnum):
    """paykit's names for where a PaymentMethod stands."""

    #: created, never used, attached to no one
    UNUSED = "unused"
    #: saved to a Customer (``customer`` is set): reusable for that customer
    ATTACHED = "attached"
    #: used in a payment or setup without a Customer: "may not be used again"
    CONSUMED = "consumed"
    #: detached from its Customer: "permanent and irreversible"
    DETACHED = "detached"


class MethodAction(StrEnum):
    CREATE = "create"
    ATTACH = "attach"
    USE = "use"
    DETACH = "detach"


class MethodFacts(NamedTuple):
    """The customer the request names, next to the method's own; whether the card is one
    that simulates an issuer decline; whether the request saves the method for that
    customer once it succeeds (``setup_future_usage`` on a payment, or a SetupIntent)."""

    customer: Literal["none", "same", "other"] = "none"
    issuer_decline: bool = False
    saves: bool = False


FACT_VALUES = MappingProxyType({
    "customer": ("none", "same", "other"),
    "issuer_decline": (False, True),
    "saves": (False, True),
})


def _possible(status: object, facts: MethodFacts) -> bool:
    """Only a request that names a customer can save a method for one."""
    return not (facts.saves and facts.customer == "none")

#: Using a spent or detached method (HTTP 400, ``invalid_request_error``, no code).
REUSE_REFUSED = (
    "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
    "attachment, shared with a connected account without Customer attachment, or was "
    "detached from a Customer. It may not be used again. To use a PaymentMethod multiple "
    "times, you must attach it to a Customer first.")
_ATTACH_REFUSED = (
    "This PaymentMethod was previously used without being attached to a Customer or was "
    "detached from a Customer, and may not be used again.")
_NOT_ATTACHED = ("The payment method you provided is not attached to a customer so "
                 "detachment is impossible.")
_OTHER_CUSTOMER = ("Payment methods attached to other Customers cannot be used with this "
                   "PaymentIntent.")
# paykit's wording (unconfirmed: no recorded response): an attached method used with no
# customer at all.
_NO_CUSTOMER = ("The provided PaymentMethod is attached to a Customer: pass that customer "
                "(customer=cus_…) to use it.")
_ALREADY_ATTACHED = "The payment method you provided has already been attached to a customer."
_DECLINE_CARD = (
    "You can't attach cards that simulate issuer declines to a Customer object. To simulate "
    "a declined payment with an attached card, use the 'Decline after attaching' test card "
    "(4000000000000341, pm_card_chargeCustomerFail).")

_API = "https://docs.stripe.com/api/payment_methods"
_SAVE = "https://docs.stripe.com/payments/save-and-reuse"

_NONE = Guard("no_customer", "no customer is named", lambda f: f.customer == "none")
_SAME = Guard("same_customer", "the method's own customer", lambda f: f.customer == "same")
_OTHER = Guard("other_customer", "another customer", lambda f: f.customer == "other")
_A_CUSTOMER = Guard("a_customer", "a customer is named", lambda f: f.customer != "none")
_ATTACHABLE = Guard("attachable", "a customer is named; not an issuer-decline card",
                    lambda f: f.customer != "none" and not f.issuer_decline)
_DECLINE = Guard("issuer_decline", "a card that simulates an issuer decline",
                 lambda f: f.customer != "none" and f.issuer_decline)
_SPENT = Guard("not_saved", "the request does not save it", lambda f: not f.saves)
_SAVED_LATER = Guard("saved_on_success", "the request saves it for its customer",
                     lambda f: f.saves)

_S = MethodStatus
_A = MethodAction
_T = MappingProxyType({_A.CREATE: Trigger.API, _A.ATTACH: Trigger.API, _A.USE: Trigger.API,
                       _A.DETACH: Trigger.API})


def _row(source: MethodStatus | None, action: MethodAction, target: MethodStatus,
         events: tuple[str, ...], guard: Guard, note: str, url: str) -> Row:
    return Row(source, action, target, events, guard, note, url, trigger=_T[action])


TRANSITIONS: tuple[Row, ...] = (
    _row(None, _A.CREATE, _S.UNUSED, (), ALWAYS,
         "by default, a PaymentMethod isn't attached to a Customer", f"{_API}/create"),
    _row(_S.UNUSED, _A.ATTACH, _S.ATTACHED, ("payment_method.attached",), _ATTACHABLE,
         "attached to a Customer (attach, or a payment or setup that saves it)",
         f"{_API}/attach"),
    _row(_S.UNUSED, _A.USE, _S.CONSUMED, (), _SPENT,
         "used once without being saved to a Customer: it may not be used again", _SAVE),
    _row(_S.UNUSED, _A.USE, _S.UNUSED, (), _SAVED_LATER,
         "the payment or setup attaches it to the customer when it succeeds", _SAVE),
    _row(_S.ATTACHED, _A.USE, _S.ATTACHED, (), _SAME,
         "a saved method is charged again for its customer", _SAVE),
    _row(_S.ATTACHED, _A.ATTACH, _S.ATTACHED, (), _SAME,
         "attaching to its own customer again changes nothing", f"{_API}/attach"),
    _row(_S.ATTACHED, _A.DETACH, _S.DETACHED, ("payment_method.detached",), ALWAYS,
         "detachment is permanent and irreversible", f"{_API}/detach"),
)

REFUSALS: tuple[Refusal, ...] = (
    Refusal(_S.UNUSED, _A.ATTACH, _NONE, "parameter_missing", "Missing required param: "
            "customer.", "customer"),
    Refusal(_S.UNUSED, _A.ATTACH, _DECLINE, "card_declined", _DECLINE_CARD, "payment_method"),
    Refusal(_S.UNUSED, _A.DETACH, ALWAYS, "", _NOT_ATTACHED, "payment_method"),
    Refusal(_S.ATTACHED, _A.USE, _OTHER, "", _OTHER_CUSTOMER, "payment_method"),
    Refusal(_S.ATTACHED, _A.USE, _NONE, "", _NO_CUSTOMER, "customer"),
    Refusal(_S.ATTACHED, _A.ATTACH, _OTHER, "", _ALREADY_ATTACHED, "payment_method"),
    Refusal(_S.ATTACHED, _A.ATTACH, _NONE, "parameter_missing", "Missing required param: "
            "customer.", "customer"),
    *(Refusal(status, _A.USE, ALWAYS, "", REUSE_REFUSED, "payment_method")
      for status in (_S.CONSUMED, _S.DETACHED)),
    *(Refusal(status, _A.ATTACH, _A_CUSTOMER, "", _ATTACH_REFUSED, "payment_method")
      for status in (_S.CONSUMED, _S.DETACHED)),
    *(Refusal(status, _A.ATTACH, _NONE, "parameter_missing", "Missing required param: "
              "customer.", "customer") for status in (_S.CONSUMED, _S.DETACHED)),
    *(Refusal(status, _A.DETACH, ALWAYS, "", _NOT_ATTACHED, "payment_method")
      for status in (_S.CONSUMED, _S.DETACHED)),
)

#: A spent or detached method never comes back.
TERMINAL_STATUSES: frozenset[MethodStatus] = frozenset({_S.CONSUMED, _S.DETACHED})

PAYMENT_METHOD: Machine = Machine(
    "payment_method", MethodStatus, MethodAction, MethodFacts, FACT_VALUES,
    rows=TRANSITIONS, refusals=REFUSALS, terminal=TERMINAL_STATUSES,
    event_types=SAVED_METHOD_EVENT_TYPES, possible=_possible, title="PaymentMethod",
)
