"""Exercises of notebook 02, *One intent per purchase*: the guide's best practices.

An idempotency key derived from the cart, and one intent per cart that is reused and
updated when the cart changes: "Bonnes pratiques" in https://docs.stripe.com/payments/payment-intents?locale=fr-FR
(English: "Best practices", https://docs.stripe.com/payments/payment-intents).
"""

from __future__ import annotations

from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

NOTEBOOK = "02_one_intent_per_purchase.ipynb"

def _check_key(idempotency_key: Any) -> None:
    """q1: same cart, same key; other cart, other key; the sandbox agrees."""
    first = call(idempotency_key, "cart_42")
    expect(isinstance(first, str) and first,
           f"The key should be a non-empty string, got {show(first)}.")
    again = call(idempotency_key, "cart_42")
    expect(first == again,
           "Two calls for the same cart gave different keys: a retry after a network "
           "error would then create a second PaymentIntent for the same purchase.")
    other = call(idempotency_key, "cart_43")
    expect(other != first,
           "Two different carts get the same key: the second cart's create would get the "
           "first cart's PaymentIntent back (or an IdempotencyError).")
    expect(len(first) <= 255, f"Stripe accepts keys of at most 255 characters ({len(first)}).")
    sb = paykit.Sandbox(seed=2)
    one = sb.payment_intents.create(amount=2000, currency="usd", idempotency_key=first)
    two = sb.payment_intents.create(amount=2000, currency="usd", idempotency_key=again)
    expect(one.id == two.id, "The sandbox created two intents with your keys.")


def _random_key(cart_id: str) -> str:
    """A common mistake: a fresh UUID per call is unique, but not idempotent."""
    import uuid

    return str(uuid.uuid4())


q1 = Exercise(
    name="q1",
    title="An idempotency key derived from the cart",
    answer="idempotency_key",
    checker=_check_key,
    hints=(
        "The key must be the same every time you retry the same purchase.",
        "Build it from the cart id and the operation, e.g. an f-string.",
    ),
    scaffold='''
def idempotency_key(cart_id):
    # the same cart always gives the same key; two carts never share one
    return ____
''',
    solution='''
def idempotency_key(cart_id):
    return f"create-payment-intent-{cart_id}"
''',
    wrong=_random_key,
    says='gave different keys',
    correct_message="Correct: the same cart always gives the same key, so a retried "
                    "create returns the first PaymentIntent instead of a second one.",
)


def _check_checkout(checkout: Any) -> None:
    """q2: one intent per cart across visits, its amount following the cart."""
    sb = paykit.Sandbox(seed=3)
    cart: dict[str, Any] = {"id": "cart_7", "total": 2000, "currency": "usd",
                            "payment_intent": None}
    first = call(checkout, sb, cart)
    expect(isinstance(first, paykit.PaymentIntent),
           f"`checkout` should return the PaymentIntent, got {show(first)}.")
    expect(first.amount == 2000, f"The first intent is for {first.amount}, the cart for 2000.")
    expect(cart["payment_intent"] == first.id,
           "Store the intent's id in the cart (`cart['payment_intent'] = pi.id`) so that "
           "a returning customer gets the same intent.")
    cart["total"] = 2500  # the customer went back and added an item
    second = call(checkout, sb, cart)
    expect(isinstance(second, paykit.PaymentIntent),
           f"`checkout` should return the PaymentIntent, got {show(second)}.")
    count = len(sb.payment_intents.list())
    expect(count == 1 and second.id == first.id,
           f"The same cart now has {count} PaymentIntents: retrieve the stored one and "
           "update its amount instead of creating another.")
    expect(second.amount == 2500,
           f"The cart total changed to 2500 but the intent still asks for {second.amount}: "
           "update the amount.")
    third = call(checkout, sb, cart)  # the customer reloads the page
    expect(third.id == first.id and len(sb.payment_intents.list()) == 1,
           "A reload created another intent.")


def _new_intent_every_time(sb: Any, cart: dict[str, Any]) -> Any:
    """A common mistake: a new intent at every visit to the checkout page."""
    pi = sb.payment_intents.create(amount=cart["total"], currency=cart["currency"])
    cart["payment_intent"] = pi.id
    return pi


q2 = Exercise(
    name="q2",
    title="One intent per cart, reused and updated",
    answer="checkout",
    checker=_check_checkout,
    hints=(
        "If `cart['payment_intent']` is set, retrieve that intent; otherwise create one "
        "and store its id in the cart.",
        "When the intent's amount differs from the cart total, "
        "`sb.payment_intents.update(pi.id, amount=...)` returns the updated intent.",
    ),
    scaffold='''
def checkout(sb, cart):
    if cart["payment_intent"] is None:
        # first visit: create the intent (with an idempotency key made from the cart),
        # keep its id in the cart, and return it
        ____
    # later visits: retrieve the cart's intent, update its amount if the total changed
    pi = ____
    return pi
''',
    solution='''
def checkout(sb, cart):
    if cart["payment_intent"] is None:
        pi = sb.payment_intents.create(
            amount=cart["total"], currency=cart["currency"],
            idempotency_key=f"create-payment-intent-{cart['id']}",
        )
        cart["payment_intent"] = pi.id
        return pi
    pi = sb.payment_intents.retrieve(cart["payment_intent"])
    if pi.amount != cart["total"]:
        pi = sb.payment_intents.update(pi.id, amount=cart["total"])
    return pi
''',
    wrong=_new_intent_every_time,
    says='retrieve the stored one',
    correct_message="Correct: one PaymentIntent per cart, created once (with an "
                    "idempotency key), retrieved when the customer returns, its amount "
                    "updated when the cart changes.",
)

EXERCISES = (q1, q2)
