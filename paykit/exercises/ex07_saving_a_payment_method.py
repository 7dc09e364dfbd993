"""Exercises of notebook 07, *Saving a payment method*: the on_session / off_session table.

The table is the guide's (https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Optimiser les moyens de paiement pour les paiements futurs"):
on-session payments only → ``on_session``; off-session only → ``off_session``; both →
``off_session``. An off-session payment with a card set up on-session is likely to be
declined, the bank asking the cardholder to authenticate.
"""

from __future__ import annotations

import contextlib
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "USAGE_TABLE", "q1", "q2"]

NOTEBOOK = "07_saving_a_payment_method.ipynb"

#: The guide's table: (payments on session?, payments off session?) → the value to use.
#: Neither: do not save the method at all (``None``: leave setup_future_usage out).
USAGE_TABLE: dict[tuple[bool, bool], str | None] = {
    (True, False): "on_session",
    (False, True): "off_session",
    (True, True): "off_session",
    (False, False): None,
}


def _check_choose(choose_setup_future_usage: Any) -> None:
    """q1: every row of ``USAGE_TABLE``."""
    for (on, off), expected in USAGE_TABLE.items():
        got = call(choose_setup_future_usage, on_session=on, off_session=off)
        situation = {
            (True, False): "payments only while the customer is in your app",
            (False, True): "payments only while the customer is away",
            (True, True): "payments both on and off session",
            (False, False): "no future payment at all",
        }[(on, off)]
        if expected is None:
            expect(got is None, f"For {situation}, do not save the payment method: return "
                                f"None, not {show(got)}.")
        else:
            expect(got == expected, f"For {situation}, use {expected!r}, not {show(got)}.")


q1 = Exercise(
    name="q1",
    title="The setup_future_usage table",
    answer="choose_setup_future_usage",
    checker=_check_choose,
    hints=(
        "As soon as any future payment happens off session, you need off_session.",
        "Only on-session reuse needs on_session; no reuse needs no setup_future_usage.",
    ),
    scaffold='''
def choose_setup_future_usage(on_session, off_session):
    # the guide's table: which value for payments off session (alone, or with payments
    # on session)? for payments on session only? and with no later payment at all?
    if off_session:
        return ____
    if on_session:
        return ____
    return ____
''',
    solution='''
def choose_setup_future_usage(on_session, off_session):
    if off_session:
        return "off_session"
    if on_session:
        return "on_session"
    return None
''',
    wrong=lambda on_session, off_session: (
        "on_session" if on_session else "off_session" if off_session else None),
    says="use 'off_session'",
    correct_message="Correct: off_session whenever you will charge without the customer, "
                    "on_session for in-app reuse only, nothing when you will not reuse it.",
)

def _scenario(sb: Any) -> tuple[str, str]:
    """A card set up on-session, then declined off-session: (intent id, payment method)."""
    customer = sb.customers.create(email="jenny.rosen@example.com").id
    first = sb.payment_intents.create(
        amount=2000, currency="usd", customer=customer, setup_future_usage="on_session",
        confirm=True, payment_method="pm_card_authenticationRequiredOnSetup")
    first = sb.payment_intents.authenticate(first.id)
    payment_method = first.payment_method  # saved to the customer when it succeeded
    later = sb.payment_intents.create(amount=1500, currency="usd", customer=customer)
    # declined with authentication_required: the bank wants the cardholder
    with contextlib.suppress(paykit.CardError):
        sb.payment_intents.confirm(later.id, payment_method=payment_method, off_session=True)
    return later.id, payment_method


def _check_recover(recover: Any) -> None:
    """q2: the declined intent itself, through requires_action, to succeeded."""
    sb = paykit.Sandbox(seed=8)
    intent_id, payment_method = _scenario(sb)
    pi = call(recover, sb, intent_id, payment_method, explain={
        "authentication_required": "The customer is back, present: confirm on session "
                                   "(no off_session), so that the bank can ask for 3D "
                                   "Secure, and let them authenticate."})
    expect(isinstance(pi, paykit.PaymentIntent), f"Return the PaymentIntent, got {show(pi)}.")
    expect(pi.id == intent_id, "Recover the declined intent itself, do not create another.")
    expect("requires_action" in pi.history,
           "The customer must authenticate: confirm on session (no off_session), which "
           "leads to requires_action, then let the customer authenticate.")
    expect(pi.status == "succeeded", f"The intent ended in {pi.status}, not succeeded.")


def _retry_off_session(sb: Any, intent_id: str, payment_method: str) -> Any:
    """A common mistake: retrying off session, which the bank declines again."""
    return sb.payment_intents.confirm(intent_id, payment_method=payment_method,
                                      off_session=True)


q2 = Exercise(
    name="q2",
    title="Bring the customer back on session",
    answer="recover",
    checker=_check_recover,
    hints=(
        "Off session, nobody can answer the bank's 3D Secure challenge; on session, the "
        "customer can.",
        "Confirm again without off_session, then `sb.payment_intents.authenticate(id)` "
        "plays the customer's part.",
    ),
    scaffold='''
def recover(sb, intent_id, payment_method):
    # 1. the customer is back: confirm the intent with the payment method they give
    pi = ____
    # 2. if the bank asks for authentication, the customer completes it
    if ____:
        pi = ____
    return pi
''',
    solution='''
def recover(sb, intent_id, payment_method):
    pi = sb.payment_intents.confirm(intent_id, payment_method=payment_method)
    if pi.status == "requires_action":
        pi = sb.payment_intents.authenticate(pi.id)
    return pi
''',
    wrong=_retry_off_session,
    says='authentication_required',
    correct_message="Correct: the bank wanted the cardholder; back on session, the customer "
                    "authenticates and the same intent succeeds.",
)

EXERCISES = (q1, q2)
