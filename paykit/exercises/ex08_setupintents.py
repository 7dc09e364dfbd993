"""Exercises of notebook 08, *SetupIntents*: which setup each business needs.

Off-session setups add friction, so a business that never charges without its customer
saves with ``on_session`` (https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Optimiser les moyens de paiement pour les paiements futurs").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "SCENARIOS", "q1", "q2"]

NOTEBOOK = "08_setupintents.ipynb"

#: q1's businesses and the value each should pass when saving the card.
SCENARIOS: dict[str, str] = {
    "a monthly subscription box charged while the customer sleeps": "off_session",
    "a shop that saves the card so returning customers check out faster": "on_session",
    "a ride app that charges after each ride, when the rider has left the app": "off_session",
    "a gym: monthly fee charged automatically, drinks bought in the app": "off_session",
}


def _check_scenarios(answers: Any) -> None:
    """q1: each business gets the value ``SCENARIOS`` gives it."""
    expect(isinstance(answers, Mapping), f"`usage` should be a dict, got {show(answers)}.")
    missing = set(SCENARIOS) - set(answers)
    expect(not missing, f"Answer every scenario; missing: {sorted(missing)}.")
    for scenario, expected in SCENARIOS.items():
        given = answers[scenario]
        expect(given in ("on_session", "off_session"),
               f"{scenario!r}: answer 'on_session' or 'off_session', not {show(given)}.")
        if expected == "on_session":
            expect(given == expected,
                   f"{scenario!r}: the customer is always present, so use on_session: "
                   "off-session setups add friction you do not need.")
        else:
            expect(given == expected,
                   f"{scenario!r}: some payments happen without the customer, so use "
                   "off_session (a card set up on_session is likely to be declined off "
                   "session).")


q1 = Exercise(
    name="q1",
    title="Which value for which business?",
    answer="usage",
    checker=_check_scenarios,
    hints=(
        "Ask: will any payment happen while the customer is not there to authenticate?",
        "If the answer is no, prefer on_session: off-session setups cause more friction.",
    ),
    solution="usage = {\n" + "".join(f"    {s!r}: {v!r},\n" for s, v in SCENARIOS.items())
             + "}",
    wrong={**SCENARIOS,
           "a shop that saves the card so returning customers check out faster": "off_session"},
    says='use on_session',
    correct_message="Correct: off_session only where a payment happens without the "
                    "customer; on_session avoids the extra friction everywhere else.",
)


def _check_save_card(save_card: Any) -> None:
    """q2: a succeeded SetupIntent that saved the card to the customer, for off-session use."""
    sb = paykit.Sandbox(seed=8)
    customer = sb.customers.create(email="trial@example.com")
    si = call(save_card, sb, customer.id)
    expect(isinstance(si, paykit.SetupIntent),
           f"`save_card` should return the SetupIntent, got {show(si)}.")
    expect(not sb.payment_intents.list().data,
           "Nothing is paid today: a SetupIntent saves the card without a PaymentIntent.")
    expect(si.customer == customer.id,
           "Without `customer`, the card is not saved to anyone and cannot be reused.")
    expect(si.status == "succeeded",
           f"The SetupIntent is {si.status}: confirm it (`confirm=True`) with the card.")
    expect(si.usage == "off_session",
           f"usage={si.usage!r}: the monthly renewal is charged without the customer, so "
           "set the card up for `off_session`.")
    saved = [pm.id for pm in sb.payment_methods.list(customer=customer.id).data]
    expect(si.payment_method in saved, "The card is not attached to the customer.")


def _without_customer(sb: Any, customer_id: str) -> Any:
    """A common mistake: the SetupIntent confirmed, but for no customer."""
    return sb.setup_intents.create(payment_method="pm_card_visa", confirm=True,
                                   usage="off_session")


def _on_session(sb: Any, customer_id: str) -> Any:
    """A common mistake: set up for on-session use, then charged off session."""
    return sb.setup_intents.create(customer=customer_id, payment_method="pm_card_visa",
                                   confirm=True, usage="on_session")


q2 = Exercise(
    name="q2",
    title="Save a card for a subscription",
    answer="save_card",
    checker=_check_save_card,
    hints=(
        "`sb.setup_intents.create(...)` takes `customer`, `payment_method`, `usage` and "
        "`confirm=True`.",
        "A renewal charged every month while the customer is away needs `usage=\"off_session\"`.",
    ),
    scaffold='''
def save_card(sb, customer_id):
    # a SetupIntent for the customer, with the test card "pm_card_visa",
    # set up for payments made without the customer, confirmed at once
    si = ____
    return si
''',
    solution='''
def save_card(sb, customer_id):
    si = sb.setup_intents.create(customer=customer_id, payment_method="pm_card_visa",
                                 usage="off_session", confirm=True)
    return si
''',
    wrong=_without_customer,
    says="Without `customer`",
    mistakes=((_on_session, "set the card up for `off_session`"),),
    correct_message="Correct: the card is attached to the customer and set up for "
                    "off-session payments, and nothing was charged.",
)

EXERCISES = (q1, q2)
