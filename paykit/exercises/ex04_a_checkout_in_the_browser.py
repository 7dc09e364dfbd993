"""Exercises of notebook 04, *A checkout in the browser*: the endpoint a page fetches.

A single-page app fetches the client secret from an endpoint of your server
(https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Transmettre la clé secrète du client côté client").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

NOTEBOOK = "04_a_checkout_in_the_browser.ipynb"


def _check_endpoint(secret_endpoint: Any) -> None:
    """q1: only the client secret, of the cart's one intent, JSON-ready."""
    sb = paykit.Sandbox(seed=4)
    cart: dict[str, Any] = {"id": "cart_9", "total": 3000, "currency": "eur",
                            "payment_intent": None}
    body = call(secret_endpoint, sb, cart)
    expect(isinstance(body, Mapping),
           f"Return the JSON body as a dict, got {show(body)}.")
    expect("client_secret" in body, "The body needs a `client_secret` key, which the "
                                    "browser's fetch reads.")
    extra = sorted(set(body) - {"client_secret"})
    expect(not extra,
           f"The body also sends {len(extra)} other field(s) ({', '.join(extra[:3])}…): the "
           "client needs the client secret only, never the whole PaymentIntent.")
    expect(cart["payment_intent"] is not None,
           "Store the intent's id in the cart, so that the next fetch reuses it.")
    pi = sb.payment_intents.retrieve(cart["payment_intent"])
    expect(body["client_secret"] == pi.client_secret,
           "That is not the client secret of the cart's PaymentIntent.")
    expect(pi.amount == 3000 and pi.currency == "eur",
           f"The intent is {pi.amount} {pi.currency}, the cart 3000 eur.")
    json.dumps(dict(body))  # the endpoint must answer JSON
    again = call(secret_endpoint, sb, cart)
    expect(dict(again) == dict(body) and len(sb.payment_intents.list()) == 1,
           "A second fetch for the same cart created another PaymentIntent: reuse the one "
           "stored in the cart.")


def _whole_intent(sb: Any, cart: dict[str, Any]) -> dict[str, Any]:
    """A common mistake: the endpoint returns the whole PaymentIntent."""
    if cart["payment_intent"] is None:
        pi = sb.payment_intents.create(amount=cart["total"], currency=cart["currency"])
        cart["payment_intent"] = pi.id
    return sb.payment_intents.retrieve(cart["payment_intent"]).to_dict()


q1 = Exercise(
    name="q1",
    title="A /secret endpoint for a single-page app",
    answer="secret_endpoint",
    checker=_check_endpoint,
    hints=(
        "Create the intent the first time (and store its id in the cart), retrieve it "
        "afterwards.",
        "Return `{\"client_secret\": pi.client_secret}`, nothing more.",
    ),
    scaffold='''
def secret_endpoint(sb, cart):
    # the cart's intent: the one it already has, or a new one for its total (keep its id)
    pi = ____
    # answer the browser with the client secret only, never the whole intent
    return {"client_secret": ____}
''',
    solution='''
def secret_endpoint(sb, cart):
    if cart["payment_intent"] is None:
        pi = sb.payment_intents.create(amount=cart["total"], currency=cart["currency"])
        cart["payment_intent"] = pi.id
    else:
        pi = sb.payment_intents.retrieve(cart["payment_intent"])
    return {"client_secret": pi.client_secret}
''',
    wrong=_whole_intent,
    says='the client secret only',
    correct_message="Correct: the browser gets the client secret and nothing else, and "
                    "every fetch for the same cart returns the same intent's secret.",
)

def _status_after_failed_challenge() -> str:
    """q2's answer, from the sandbox: a 3D Secure card, confirmed, the challenge failed."""
    sb = paykit.Sandbox(seed=4)
    pi = sb.payment_intents.create(amount=3000, currency="eur")
    sb.payment_intents.confirm(pi.id, payment_method="pm_card_threeDSecure2Required")
    return str(sb.payment_intents.authenticate(pi.id, success=False).status)


def _check_failed_challenge(status: Any) -> None:
    """q2: the status a failed 3D Secure challenge leaves, and why it is not final."""
    expect(isinstance(status, str), f"Answer a status name as a string, got {show(status)}.")
    expect(status != "requires_action",
           "The challenge is over (failed): the intent no longer waits for the customer to "
           "authenticate, it waits for a payment method.")
    expect(status != "canceled",
           "A failed authentication does not cancel the intent: the customer may try "
           "another card with the same client secret, and only your server cancels.")
    expect(status != "succeeded", "A failed challenge pays nothing.")
    expect(status == _status_after_failed_challenge(),
           f"{status!r} is not a status the lifecycle table allows after a failed challenge.")


q2 = Exercise(
    name="q2",
    title="After a failed 3D Secure challenge",
    answer="status_after_failed_challenge",
    checker=_check_failed_challenge,
    hints=(
        "The checkout above printed each intent's statuses: look at the one whose "
        "challenge you failed.",
        "`last_payment_error` says why; the status says what the intent waits for next.",
    ),
    solution='status_after_failed_challenge = "requires_payment_method"',
    wrong="canceled",
    says="does not cancel",
    mistakes=(("requires_action", "waits for a payment method"),),
    correct_message="Correct: the attempt failed (`payment_intent_authentication_failure`), "
                    "and the intent is ready for another card, with the same client secret.",
)

EXERCISES = (q1, q2)
