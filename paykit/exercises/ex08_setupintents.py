"""Exercises of notebook 08, *SetupIntents*: which setup each business needs.

Off-session setups add friction, so a business that never charges without its customer
saves with ``on_session`` (https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Optimiser les moyens de paiement pour les paiements futurs").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1"]

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


EXERCISES = (q1,)
