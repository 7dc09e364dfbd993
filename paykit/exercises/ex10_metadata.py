"""Exercises of notebook 10, *Metadata*.

https://docs.stripe.com/payments/payment-intents?locale=fr-FR, section
"Stocker des informations sous forme de métadonnées": the order id as
metadata, copied into each charge when the charge is created and independent afterwards,
and never sensitive data (card data, personal data) in metadata or the description.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import paykit
from paykit import params
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "ORDER", "q1", "q2", "scenario"]

NOTEBOOK = "10_metadata.ipynb"

#: q1's order, as a shop's database holds it.
ORDER: dict[str, Any] = {
    "id": 6735,
    "customer_name": "Ada Lovelace",
    "customer_email": "ada@example.com",
    "card_number": "4242 4242 4242 4242",
    "items": 3,
    "coupon": "SPRING",
}
_SENSITIVE = {
    "customer_name": "the customer's name is personal data",
    "customer_email": "an e-mail address is personal data",
    "card_number": "card data never goes in metadata (nor anywhere outside Stripe)",
}


def _check_order_metadata(order_metadata: Any) -> None:
    """q1: order_id kept, nothing sensitive, within the metadata limits."""
    metadata = call(order_metadata, dict(ORDER))
    expect(isinstance(metadata, Mapping), f"Return a dict, got {show(metadata)}.")
    expect("order_id" in metadata,
           "Put the order number under the key 'order_id', as in Stripe's example.")
    expect(str(metadata["order_id"]) == str(ORDER["id"]),
           f"order_id should be {ORDER['id']}, not {show(metadata['order_id'])}.")
    for field, why in _SENSITIVE.items():
        secret = str(ORDER[field])
        digits = "".join(ch for ch in secret if ch.isdigit())
        for key, value in metadata.items():
            text = f"{key} {value}"
            leaked = secret in text or (len(digits) > 8 and digits in
                                        "".join(ch for ch in text if ch.isdigit()))
            expect(not leaked, f"metadata[{key!r}] holds {field}: {why}.")
    problems = params.metadata_problems(metadata)
    expect(not problems, problems[0].message if problems else "")


q1 = Exercise(
    name="q1",
    title="Metadata for an order",
    answer="order_metadata",
    checker=_check_order_metadata,
    hints=(
        "Keep what helps you reconcile and analyse: the order id, maybe items and coupon.",
        "Leave out names, e-mail addresses and card data: metadata is not the place for "
        "them.",
    ),
    scaffold='''
def order_metadata(order):
    # one key per fact you will look payments up by: the order id, the number of items
    # and the coupon (metadata values are strings; and a missing coupon?)
    return ____
''',
    solution='''
def order_metadata(order):
    return {"order_id": str(order["id"]), "items": str(order["items"]),
            "coupon": order["coupon"]}
''',
    wrong=lambda order: {"order_id": str(order["id"]),
                         **{k: str(v) for k, v in order.items() if k != "id"}},
    says='personal data',
    correct_message="Correct: the order id links the payment to your order; nothing in "
                    "it identifies the customer or their card.",
)


def scenario(sb: Any) -> str:
    """q2's story: metadata, a declined attempt, a metadata update, a successful attempt."""
    pi = sb.payment_intents.create(amount=1099, currency="usd",
                                   metadata={"order_id": "6735"})
    with contextlib.suppress(paykit.CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    sb.payment_intents.update(pi.id, metadata={"retry": "true"})
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    sb.payment_intents.update(pi.id, metadata={"shipped": "true"})
    return pi.id


def _actual_charge_metadata() -> list[dict[str, str]]:
    """q2's answer: the charges' metadata after ``scenario``, oldest first."""
    sb = paykit.Sandbox(seed=9)
    intent_id = scenario(sb)
    charges = list(sb.charges.list(payment_intent=intent_id))[::-1]  # oldest first
    return [dict(charge.metadata) for charge in charges]


def _check_charge_metadata(answer: Any) -> None:
    """q2: each charge keeps the copy made when it was created."""
    expect(isinstance(answer, Sequence) and not isinstance(answer, str),
           f"`charge_metadata` should be a list of two dicts, got {show(answer)}.")
    actual = _actual_charge_metadata()
    expect(len(answer) == len(actual),
           f"There were {len(actual)} attempts, so {len(actual)} charges.")
    first, second = (dict(m) if isinstance(m, Mapping) else m for m in answer)
    expect("shipped" not in first and "shipped" not in second,
           "'shipped' was added after both charges were created: a charge keeps the copy "
           "it got when it was created.")
    expect(first == actual[0],
           "The first charge was created before the 'retry' update: its metadata is the "
           f"copy of that moment, {actual[0]}.")
    expect(second == actual[1], f"The second charge copied the intent's metadata when it was "
                                f"created: {actual[1]}.")


q2 = Exercise(
    name="q2",
    title="What each charge keeps",
    answer="charge_metadata",
    checker=_check_charge_metadata,
    hints=(
        "A charge copies the intent's metadata when the charge is created, at each attempt.",
        "Later updates of the intent's metadata never reach charges created before.",
    ),
    solution='''
charge_metadata = [
    {"order_id": "6735"},
    {"order_id": "6735", "retry": "true"},
]
''',
    wrong=[{"order_id": "6735", "retry": "true", "shipped": "true"},
           {"order_id": "6735", "retry": "true", "shipped": "true"}],
    says='keeps the copy it got when it was created',
    correct_message="Correct: each charge holds the metadata of the moment it was created; "
                    "the intent's later changes do not reach it.",
)

EXERCISES = (q1, q2)
