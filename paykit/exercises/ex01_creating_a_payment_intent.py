"""Exercises of notebook 01, *Creating a PaymentIntent*: amounts in the smallest unit.

Section "Créer un PaymentIntent" of https://docs.stripe.com/payments/payment-intents?locale=fr-FR
(English: https://docs.stripe.com/payments/payment-intents).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1"]

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


EXERCISES = (q1,)
