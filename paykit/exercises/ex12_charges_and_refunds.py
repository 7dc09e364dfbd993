"""Exercises of notebook 12, *Charges and refunds*: every attempt, and what is left to refund.

https://docs.stripe.com/payments/payment-intents?locale=fr-FR, section "Après le paiement": one
PaymentIntent may have several charges, one per attempt, each with its own outcome and
payment method details. "Si vous devez rembourser le client, vous pouvez utiliser l'API
Refunds": a refund never exceeds what is left of the charge
(https://docs.stripe.com/refunds).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["DECLINING_CARDS", "EXERCISES", "NOTEBOOK", "q1", "q2", "q3"]

NOTEBOOK = "12_charges_and_refunds.ipynb"


#: q1's attempts, in order: two declines, then a card that works.
DECLINING_CARDS: tuple[str, ...] = (
    "pm_card_chargeDeclinedInsufficientFunds",
    "pm_card_chargeDeclinedExpiredCard",
    "pm_card_visa",
)


def _attempt_scenario(sb: Any) -> str:
    """q1's intent: one attempt per card of ``DECLINING_CARDS``."""
    pi = sb.payment_intents.create(amount=2500, currency="usd")
    for card in DECLINING_CARDS:
        with contextlib.suppress(paykit.CardError):
            sb.payment_intents.confirm(pi.id, payment_method=card)
    return pi.id


def _check_attempts(attempts: Any) -> None:
    """q1: one (status, failure_code) per charge, oldest first."""
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
    wrong = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b) \
        if got != expected else 0
    expect(got == expected, f"Attempt {wrong + 1} is the charge {expected[wrong]}: each pair "
                            f"is (charge.status, charge.failure_code), the failure code None "
                            f"for a charge that succeeded; you gave {show(got[wrong])}.")


q1 = Exercise(
    name="q1",
    title="Every attempt of one intent",
    answer="attempts",
    checker=_check_attempts,
    hints=(
        "`sb.charges.list(payment_intent=intent_id)` lists the charges of one intent, "
        "newest first.",
        "Each charge has `status` and `failure_code` (None when it succeeded).",
    ),
    scaffold='''
def attempts(sb, intent_id):
    # the intent's charges (the list is newest first) ...
    charges = ____
    # ... as (status, failure_code), one per attempt, the first attempt first
    return ____
''',
    solution='''
def attempts(sb, intent_id):
    charges = list(sb.charges.list(payment_intent=intent_id))
    return [(charge.status, charge.failure_code) for charge in reversed(charges)]
''',
    wrong=lambda sb, intent_id: [
        (c.status, c.failure_code) for c in
        [sb.charges.retrieve(sb.payment_intents.retrieve(intent_id).latest_charge)]
    ],
    says='one per attempt',
    correct_message="Correct: three attempts, three charges; the intent's latest_charge "
                    "shows only the last one.",
)


def _check_retry(pay_with_retry: Any) -> None:
    """q2: one intent, stopped at the first success (three charges)."""
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


q2 = Exercise(
    name="q2",
    title="Retry on the same intent",
    answer="pay_with_retry",
    checker=_check_retry,
    hints=(
        "A decline raises `paykit.CardError` and leaves the intent in "
        "requires_payment_method, ready for another confirm.",
        "Loop over the cards: `try: return sb.payment_intents.confirm(...)` and "
        "`except paykit.CardError: continue`.",
    ),
    scaffold='''
import paykit


def pay_with_retry(sb, intent_id, cards):
    for card in cards:
        # confirm with this card; a decline (paykit.CardError) means: try the next one
        ____
    # every card was declined: return the intent as it stands
    return ____
''',
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
    says='retry on the same intent',
    correct_message="Correct: one intent, three charges: two declines and a success, all "
                    "visible in the intent's history.",
)



_REFUND_ADVICE = {"amount": "Refund at most what is left: the charge's amount_captured "
                            "less its amount_refunded."}


def _check_refund_up_to(refund_up_to: Any) -> None:
    """q3: a partial refund, a request for more than is left, then nothing left."""
    sb = paykit.Sandbox(seed=13)
    pi = sb.payment_intents.create(amount=3000, currency="usd", payment_method="pm_card_visa",
                                   confirm=True)
    first = call(refund_up_to, sb, pi.id, 1000, explain=_REFUND_ADVICE)
    expect(isinstance(first, paykit.Refund), f"Return the Refund, got {show(first)}.")
    expect(first.amount == 1000, f"The first refund is {first.amount}, not the 1000 asked.")
    second = call(refund_up_to, sb, pi.id, 2500, explain=_REFUND_ADVICE)
    expect(isinstance(second, paykit.Refund) and second.amount == 2000,
           "Only 2000 was left of the 3000 charge: refund that much, not "
           f"{getattr(second, 'amount', second)!r}.")
    third = call(refund_up_to, sb, pi.id, 500, explain=_REFUND_ADVICE)
    expect(third is None, f"Nothing is left to refund: return None, got {show(third)}.")
    refunded = sb.charges.retrieve(pi.latest_charge).amount_refunded
    expect(refunded == 3000, f"The charge shows {refunded} refunded, not 3000.")


def _asks_for_everything(sb: Any, intent_id: str, amount: int) -> Any:
    """A common mistake: asking for the amount as given (Stripe refuses more than is left)."""
    return sb.refunds.create(payment_intent=intent_id, amount=amount)


q3 = Exercise(
    name="q3",
    title="Refund what you can",
    answer="refund_up_to",
    checker=_check_refund_up_to,
    hints=(
        "The charge knows what is left: `amount_captured - amount_refunded` "
        "(`sb.charges.retrieve(intent.latest_charge)`).",
        "Refund `min(amount, left)`; when nothing is left, create no refund and return None.",
    ),
    scaffold='''
def refund_up_to(sb, intent_id, amount):
    # 1. how much is left to refund? its charge's captured amount less what is refunded
    intent = ____
    charge = ____
    left = ____
    # 2. nothing left: None; otherwise refund at most what is left
    if left == 0:
        return None
    return ____
''',
    solution='''
def refund_up_to(sb, intent_id, amount):
    intent = sb.payment_intents.retrieve(intent_id)
    charge = sb.charges.retrieve(intent.latest_charge)
    left = charge.amount_captured - charge.amount_refunded
    if left == 0:
        return None
    return sb.refunds.create(payment_intent=intent_id, amount=min(amount, left))
''',
    wrong=_asks_for_everything,
    says='Refund at most what is left',
    correct_message="Correct: partial refunds add up on the charge, and a refund never "
                    "exceeds what is left of it.",
)

EXERCISES = (q1, q2, q3)
