"""Exercises of notebook 01, *Creating a PaymentIntent*.

Amounts in the smallest currency unit, an idempotency key derived from the cart, and
one intent per cart that is reused and updated when the cart changes: "Best practices"
in https://docs.stripe.com/payments/payment-intents ("Bonnes pratiques" in the French
edition the course follows, https://docs.stripe.com/payments/payment-intents?locale=fr-FR).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2", "q3"]

NOTEBOOK = "01_creating_a_payment_intent.ipynb"

#: The prices of q1 as a person writes them, and the API integer each one is.
_PRICES: dict[str, tuple[str, int]] = {
    "usd": ("$25.00", 2500),
    "jpy": ("¥1500", 1500),
    "eur": ("€0.50", 50),
}


def _check_amounts(amounts: Any) -> None:
    """q1: each price as the API integer, and one the API accepts."""
    expect(isinstance(amounts, Mapping), f"`amounts` should be a dict, got {show(amounts)}.")
    expect(set(amounts) == set(_PRICES),
           f"`amounts` needs exactly the keys {sorted(_PRICES)}, got {sorted(amounts)}.")
    for currency, (price, expected) in _PRICES.items():
        value = amounts[currency]
        expect(isinstance(value, int) and not isinstance(value, bool),
               f"{price}: amounts are integers in the smallest unit, not {show(value)}.")
        if currency == "jpy":
            expect(value != expected * 100,
                   "¥1500 is 1500: jpy is a zero-decimal currency, there are no 'yen cents'.")
        if currency == "usd":
            expect(value != 25, "$25.00 is 2500 cents, not 25: the API counts in cents.")
        problems = paykit.params.check("create", amount=value, currency=currency)
        expect(not problems, f"{price}: the API would refuse amount={value}: "
                             f"{problems[0].message if problems else ''}")
        expect(value == expected, f"{price} is not amount={value} in {currency}.")


q1 = Exercise(
    name="q1",
    title="Amounts in the smallest currency unit",
    answer="amounts",
    checker=_check_amounts,
    hints=(
        "usd and eur count in cents (two decimals); jpy has no decimals at all.",
        "`paykit.currencies.to_minor_units('25.00', 'usd')` does the conversion for you.",
    ),
    solution='amounts = {"usd": 2500, "jpy": 1500, "eur": 50}',
    wrong={"usd": 2500, "jpy": 150000, "eur": 50},
    says='zero-decimal currency',
    mistakes=(({"usd": 25, "jpy": 1500, "eur": 50}, "the API counts in cents"),
               ({"usd": 2500, "jpy": 1500, "eur": 0.5}, "integers in the smallest unit")),
    correct_message="Correct: 2500 cents, 1500 yen (zero-decimal) and 50 cents, the euro "
                    "minimum.",
)


def _check_key(idempotency_key: Any) -> None:
    """q2: same cart, same key; other cart, other key; the sandbox agrees."""
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


q2 = Exercise(
    name="q2",
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
    """q3: one intent per cart across visits, its amount following the cart."""
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


q3 = Exercise(
    name="q3",
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

EXERCISES = (q1, q2, q3)
