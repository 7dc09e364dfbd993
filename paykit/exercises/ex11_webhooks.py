"""Exercises of notebook 11, *Webhooks*: a handler that survives real deliveries.

https://docs.stripe.com/payments/payment-intents?locale=fr-FR, section "Après le paiement":
listen to webhooks server-side to learn whether the payment succeeded or failed
(deliveries: https://docs.stripe.com/webhooks).
"""

from __future__ import annotations

import contextlib
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "SHOP_FAULTS", "q1", "q2", "shop_events"]

NOTEBOOK = "11_webhooks.ipynb"


#: q1's faults: duplicates, swapped and delayed deliveries; this seed delivers order
#: 6735's ``payment_intent.succeeded`` before its ``payment_intent.payment_failed``.
SHOP_FAULTS: dict[str, Any] = {"duplicate": 0.3, "out_of_order": 0.3, "delay": 0.3,
                               "seed": 16}


def shop_events(sb: Any) -> None:
    """q1's three orders: 6735 declined then paid on the same intent; 6736 refused at
    3D Secure (no charge: only ``payment_intent.payment_failed`` says so); 6737 paid."""
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"order_id": "6735"})
    with contextlib.suppress(paykit.CardError):
        sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined")
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    secure = sb.payment_intents.create(amount=2000, currency="usd",
                                       metadata={"order_id": "6736"})
    sb.payment_intents.confirm(secure.id, payment_method="pm_card_authenticationRequired")
    sb.payment_intents.authenticate(secure.id, success=False)
    sb.payment_intents.create(amount=500, currency="usd", metadata={"order_id": "6737"},
                              payment_method="pm_card_visa", confirm=True)


def _delivered_under_faults(sb: Any) -> list[Any]:
    """Run ``shop_events`` with a webhook endpoint and ``SHOP_FAULTS`` on; the events as
    the endpoint received them, each verified with ``stripe.Webhook.construct_event``."""
    import stripe

    received: list[tuple[bytes, dict[str, str]]] = []
    endpoint = sb.webhook_endpoints.create(
        url="https://shop.example/webhook", enabled_events=["*"],
        receiver=lambda body, headers: received.append((body, headers)))
    sb.webhook_endpoints.faults(**SHOP_FAULTS)
    shop_events(sb)
    sb.webhook_endpoints.wait()
    sb.advance(minutes=10)  # the delayed deliveries go out
    sb.webhook_endpoints.wait()
    sb.webhook_endpoints.close()
    return [stripe.Webhook.construct_event(body, headers["Stripe-Signature"], endpoint.secret)
            for body, headers in received]


def _check_handler(handle_event: Any) -> None:
    """q1: the deliveries of ``shop_events`` under faults, through the learner's handler."""
    sb = paykit.Sandbox(seed=10)
    events = _delivered_under_faults(sb)
    late = [e.type for e in events
            if e.data.object.to_dict().get("metadata", {}).get("order_id") == "6735"
            and e.type.startswith("payment_intent.")]
    assert late.index("payment_intent.succeeded") < late.index(
        "payment_intent.payment_failed"), "SHOP_FAULTS no longer delivers out of order"
    orders = {"6735": "pending", "6736": "pending", "6737": "pending"}
    for event in events:
        call(handle_event, sb, event, orders)
    expect(orders["6736"] == "payment_failed",
           f"Order 6736 is {orders['6736']!r}: its customer failed 3D Secure. That makes no "
           "charge, so no charge.failed: only payment_intent.payment_failed tells you.")
    expect(orders["6737"] == "paid", f"Order 6737 was paid, but it is {orders['6737']!r}.")
    expect(orders["6735"] == "paid",
           f"Order 6735 is {orders['6735']!r}, yet it was paid: its declined attempt's "
           "payment_intent.payment_failed arrived after payment_intent.succeeded (Stripe "
           "does not guarantee the order). Read the intent's current status "
           "(sb.payment_intents.retrieve) rather than trusting the event's order.")


def _trusts_the_order(sb: Any, event: Any, orders: dict[str, str]) -> None:
    """A common mistake: each event's type is taken as the latest truth."""
    if not event.type.startswith("payment_intent."):
        return
    order_id = event.data.object["metadata"]["order_id"]
    if event.type == "payment_intent.succeeded":
        orders[order_id] = "paid"
    elif event.type == "payment_intent.payment_failed":
        orders[order_id] = "payment_failed"


q1 = Exercise(
    name="q1",
    title="A webhook handler that survives real deliveries",
    answer="handle_event",
    checker=_check_handler,
    hints=(
        "Events can come twice and out of order. `event.data.object` is the PaymentIntent "
        "as it was *then*; `sb.payment_intents.retrieve(id)` is how it is *now*.",
        "Decide from the current intent: `succeeded` means paid; back in "
        "`requires_payment_method` with a `last_payment_error` means the attempt failed "
        "(a declined card, or a failed 3D Secure, which makes no charge).",
    ),
    scaffold='''
def handle_event(sb, event, orders):
    # 1. ignore the events that are not about a PaymentIntent
    if ____:
        return
    # 2. read the intent as it is now (the event shows it as it was then)
    intent = ____
    order_id = intent.metadata.get("order_id")
    # 3. the order is "paid" if the intent succeeded, "payment_failed" if it failed
    ____
''',
    solution='''
def handle_event(sb, event, orders):
    if not event.type.startswith("payment_intent."):
        return
    intent = sb.payment_intents.retrieve(event.data.object["id"])  # now, not then
    order_id = intent.metadata.get("order_id")
    if intent.status == "succeeded":
        orders[order_id] = "paid"
    elif intent.last_payment_error is not None:
        orders[order_id] = "payment_failed"
''',
    wrong=_trusts_the_order,
    says="Read the intent's current status",
    correct_message="Correct: whatever the order and however often events arrive, your "
                    "handler reads the intent's current state, and it catches a failed "
                    "3D Secure, which only payment_intent.payment_failed reports.",
)


def _check_tolerance(seconds: Any) -> None:
    """q2: the age past which ``construct_event`` refuses a signature, as the SDK has it."""
    import stripe

    expect(isinstance(seconds, int) and not isinstance(seconds, bool),
           f"Answer a number of seconds (an int), got {show(seconds)}.")
    expect(seconds != 0,
           "A tolerance of 0 turns the recency check off: a captured delivery could be "
           "replayed forever.")
    expect(seconds != 5, "Five minutes, in seconds.")
    expect(seconds == stripe.Webhook.DEFAULT_TOLERANCE,
           f"{seconds} s is not the default of Stripe's libraries; the notebook refused a "
           "signature ten minutes old and accepted a fresh one.")


q2 = Exercise(
    name="q2",
    title="How old a signature may be",
    answer="tolerance_seconds",
    checker=_check_tolerance,
    hints=(
        "The section *What your endpoint must refuse* says how recent the time `t` must be.",
        "`stripe.Webhook.DEFAULT_TOLERANCE` is the SDK's own value.",
    ),
    solution="tolerance_seconds = 5 * 60",
    wrong=0,
    says="turns the recency check off",
    mistakes=((5, "in seconds"), (3600, "not the default of Stripe's libraries")),
    correct_message="Correct: 300 seconds. Older signatures are refused, so a request "
                    "someone captured cannot be replayed later.",
)

EXERCISES = (q1, q2)
