"""Exercises of notebook 00, *Start here*: a first look at the sandbox.

>>> q1.evaluate("requires_payment_method").status
<Outcome.CORRECT: 'correct'>
"""

from __future__ import annotations

from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

NOTEBOOK = "00_start_here.ipynb"


def _check_first_status(answer: Any) -> None:
    """q1: the initial status of the lifecycle table, as a wire string."""
    expect(isinstance(answer, str),
           f"Give the status as a string such as 'succeeded', not {show(answer)}.")
    expect(answer in {s.value for s in paykit.Status},
           f"{show(answer)} is not one of the seven statuses: print `pi.status` to see it.")
    expect(answer != "requires_confirmation",
           "requires_confirmation comes only once a payment method is attached; a new "
           "intent has none yet.")
    expect(answer == paykit.lifecycle.INITIAL_STATUS,
           f"{show(answer)} comes later in the lifecycle: a brand-new intent waits for a "
           "payment method.")


q1 = Exercise(
    name="q1",
    title="The status of a new PaymentIntent",
    answer="first_status",
    checker=_check_first_status,
    hints=(
        "Create an intent in the sandbox and look at `pi.status`.",
        "The status names what the intent is waiting for.",
    ),
    solution='first_status = "requires_payment_method"',
    wrong="requires_confirmation",
    says='comes only once a payment method is attached',
    mistakes=(("succeeded", "comes later in the lifecycle"),
               ("created", "not one of the seven statuses")),
    correct_message="Correct: every PaymentIntent starts in requires_payment_method and "
                    "waits for a payment method.",
)


def _check_pay(pay: Any) -> None:
    """q2: one intent, $10.99 usd, confirmed to succeeded in the sandbox given."""
    sb = paykit.Sandbox(seed=1)
    pi = call(pay, sb)
    expect(isinstance(pi, paykit.PaymentIntent),
           f"`pay(sb)` should return the PaymentIntent, got {show(pi)}.")
    expect(pi.amount == 1099 and pi.currency == "usd",
           f"The intent is {pi.amount} {pi.currency}; $10.99 is amount=1099, currency='usd'.")
    expect(pi.status != "requires_payment_method",
           "The intent is still requires_payment_method: confirm it with "
           "payment_method='pm_card_visa'.")
    expect(pi.status == "succeeded", f"The intent ended in {pi.status}, not succeeded.")
    expect(len(sb.payment_intents.list()) == 1,
           "Use the sandbox you are given and create one intent only.")


q2 = Exercise(
    name="q2",
    title="A first card payment",
    answer="pay",
    checker=_check_pay,
    hints=(
        "Two calls: `sb.payment_intents.create(...)` then `sb.payment_intents.confirm(...)`.",
        "confirm takes the intent's id and `payment_method=\"pm_card_visa\"`, and returns "
        "the updated intent.",
    ),
    scaffold='''
def pay(sb):
    # 1. create a PaymentIntent for 10.99 US dollars (the amount in cents)
    pi = sb.payment_intents.create(amount=____, currency=____)
    # 2. confirm it with the test card "pm_card_visa"; return what confirm returns
    return ____
''',
    solution='''
def pay(sb):
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    return sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
''',
    wrong=lambda sb: sb.payment_intents.create(amount=1099, currency="usd"),
    says='still requires_payment_method',
    correct_message="Correct: create, then confirm with a payment method. The intent went "
                    "requires_payment_method → succeeded.",
)

EXERCISES = (q1, q2)
