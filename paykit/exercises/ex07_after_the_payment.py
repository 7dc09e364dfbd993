"""Exercises of notebook 07, *After the payment*: webhooks and several charges per intent.

https://docs.stripe.com/payments/payment-intents?locale=fr-FR, section "Après le paiement":
listen to webhooks server-side to learn whether the
payment succeeded or failed; one PaymentIntent may have several charges, one per
attempt, each with its own outcome and payment method details.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["DECLINING_CARDS", "EXERCISES", "NOTEBOOK", "q1", "q2", "q3", "shop_events"]

NOTEBOOK = "07_after_the_payment.ipynb"


def shop_events(sb: Any) -> list[Any]:
    """Order 6735: declined, then paid on the same intent. Events oldest first."""
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order_id": "6735"})
    with contextlib.suppress(paykit.CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    return list(sb.events.list())[::-1]


def _check_handler(handle_event: Any) -> None:
    """q1: replay ``shop_events`` and follow the order's state event by event."""
    events = shop_events(paykit.Sandbox(seed=10))
    orders = {"6735": "pending"}
    seen = []
    for event in events:
        call(handle_event, event, orders)
        seen.append((event.type, orders["6735"]))
        if event.type == "payment_intent.created":
            expect(orders["6735"] == "pending",
                   "The order changed on payment_intent.created: nothing is paid yet.")
        if event.type == "payment_intent.payment_failed":
            expect(orders["6735"] == "payment_failed",
                   "After payment_intent.payment_failed, mark the order 'payment_failed' "
                   f"(it is {orders['6735']!r}) so you can ask the customer to retry.")
    expect(orders["6735"] == "paid",
           f"After payment_intent.succeeded the order is {orders['6735']!r}, not 'paid'. "
           "The customer retried on the same PaymentIntent: a payment_failed is not the "
           "end of the story.")


def _only_pending_can_be_paid(event: Any, orders: dict[str, str]) -> None:
    """A common mistake: a failed order is treated as final and never marked paid."""
    order_id = event.data.object["metadata"].get("order_id")
    if order_id is None:
        return
    if event.type == "payment_intent.payment_failed":
        orders[order_id] = "payment_failed"
    elif event.type == "payment_intent.succeeded" and orders[order_id] == "pending":
        orders[order_id] = "paid"


q1 = Exercise(
    name="q1",
    title="A webhook handler",
    answer="handle_event",
    checker=_check_handler,
    hints=(
        "`event.type` says what happened; `event.data.object` is the PaymentIntent (or "
        "Charge) as it was then, with its metadata.",
        "Only two PaymentIntent events change the order: payment_intent.succeeded and "
        "payment_intent.payment_failed. A later success wins over an earlier failure.",
    ),
    solution='''
def handle_event(event, orders):
    if not event.type.startswith("payment_intent."):
        return
    order_id = event.data.object["metadata"].get("order_id")
    if event.type == "payment_intent.succeeded":
        orders[order_id] = "paid"
    elif event.type == "payment_intent.payment_failed":
        orders[order_id] = "payment_failed"
''',
    wrong=_only_pending_can_be_paid,
    correct_message="Correct: your server learns the outcome from the events, including a "
                    "success that follows a decline on the same intent.",
)

#: q2's attempts, in order: two declines, then a card that works.
DECLINING_CARDS: tuple[str, ...] = (
    "pm_card_chargeDeclinedInsufficientFunds",
    "pm_card_chargeDeclinedExpiredCard",
    "pm_card_visa",
)


def _attempt_scenario(sb: Any) -> str:
    """q2's intent: one attempt per card of ``DECLINING_CARDS``."""
    pi = sb.payment_intents.create(amount=2500, currency="usd")
    for card in DECLINING_CARDS:
        with contextlib.suppress(paykit.CardError):
            sb.payment_intents.confirm(pi.id, payment_method=card)
    return pi.id


def _check_attempts(attempts: Any) -> None:
    """q2: one (status, failure_code) per charge, oldest first."""
    sb = paykit.Sandbox(seed=11)
    intent_id = _attempt_scenario(sb)
    got = call(attempts, sb, intent_id)
    expect(isinstance(got, Sequence) and not isinstance(got, str),
           f"Return a list, got {show(got)}.")
    charges = list(sb.charges.list(payment_intent=intent_id))[::-1]
    expected = [(c.status, c.failure_code) for c in charges]
    expect(len(got) == len(expected),
           f"The intent has {len(expected)} charges, one per attempt; you listed {len(got)}.")
    got = [tuple(item) for item in got]
    expect(got != expected[::-1], "Oldest first: `sb.charges.list` gives the newest first.")
    expect(got == expected, f"Not quite: expected (status, failure_code) pairs like "
                            f"{expected[0]}.")


q2 = Exercise(
    name="q2",
    title="Every attempt of one intent",
    answer="attempts",
    checker=_check_attempts,
    hints=(
        "`sb.charges.list(payment_intent=intent_id)` lists the charges of one intent, "
        "newest first.",
        "Each charge has `status` and `failure_code` (None when it succeeded).",
    ),
    solution='''
def attempts(sb, intent_id):
    charges = list(sb.charges.list(payment_intent=intent_id))
    return [(charge.status, charge.failure_code) for charge in reversed(charges)]
''',
    wrong=lambda sb, intent_id: [
        (c.status, c.failure_code) for c in
        [sb.charges.retrieve(sb.payment_intents.retrieve(intent_id).latest_charge)]
    ],
    correct_message="Correct: three attempts, three charges; the intent's latest_charge "
                    "shows only the last one.",
)


def _check_retry(pay_with_retry: Any) -> None:
    """q3: one intent, stopped at the first success (three charges)."""
    sb = paykit.Sandbox(seed=12)
    pi = sb.payment_intents.create(amount=4200, currency="usd")
    cards = ["pm_card_chargeDeclined", "pm_card_chargeDeclinedExpiredCard", "pm_card_visa",
             "pm_card_mastercard"]
    result = call(pay_with_retry, sb, pi.id, cards)
    count = len(sb.payment_intents.list())
    expect(count == 1, f"There are now {count} PaymentIntents: retry on the same intent, "
                       "whose status returned to requires_payment_method.")
    expect(isinstance(result, paykit.PaymentIntent),
           f"Return the PaymentIntent, got {show(result)}.")
    expect(result.status == "succeeded", f"The intent is {result.status}, not succeeded.")
    charges = sb.charges.list(payment_intent=pi.id)
    expect(len(charges) == 3, f"{len(charges)} charges: stop at the first success.")


def _new_intent_per_card(sb: Any, intent_id: str, cards: list[str]) -> Any:
    """A common mistake: a new intent for each card."""
    amount = sb.payment_intents.retrieve(intent_id).amount
    for card in cards:
        try:
            return sb.payment_intents.create(amount=amount, currency="usd",
                                             payment_method=card, confirm=True)
        except paykit.CardError:
            continue
    return None


q3 = Exercise(
    name="q3",
    title="Retry on the same intent",
    answer="pay_with_retry",
    checker=_check_retry,
    hints=(
        "A decline raises `paykit.CardError` and leaves the intent in "
        "requires_payment_method, ready for another confirm.",
        "Loop over the cards: `try: return sb.payment_intents.confirm(...)` and "
        "`except paykit.CardError: continue`.",
    ),
    solution='''
import paykit

def pay_with_retry(sb, intent_id, cards):
    for card in cards:
        try:
            return sb.payment_intents.confirm(intent_id, payment_method=card)
        except paykit.CardError:
            continue
    return sb.payment_intents.retrieve(intent_id)
''',
    wrong=_new_intent_per_card,
    correct_message="Correct: one intent, three charges: two declines and a success, all "
                    "visible in the intent's history.",
)

EXERCISES = (q1, q2, q3)
