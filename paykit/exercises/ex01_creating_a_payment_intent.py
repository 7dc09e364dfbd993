"""Exercises of notebook 01, *Creating a PaymentIntent*: amounts in the smallest unit.

Section "Créer un PaymentIntent" of https://docs.stripe.com/payments/payment-intents?locale=fr-FR
(English: https://docs.stripe.com/payments/payment-intents).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.currencies import format_amount
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

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


def _check_meets_minimum(meets_minimum: Any) -> None:
    """q2: the minimum of each currency, in its smallest unit, the minimum itself allowed."""
    for currency in ("usd", "eur", "jpy", "gbp", "kwd"):
        minimum = paykit.currencies.CURRENCIES[currency].minimum_amount
        for amount in (minimum - 1, minimum, minimum + 10, minimum * 100):
            accepted = not any(p.code == "amount_too_small"
                               for p in paykit.params.check("create", amount=amount,
                                                            currency=currency))
            answer = call(meets_minimum, amount, currency)
            expect(isinstance(answer, bool),
                   f"`meets_minimum` should return True or False, got {show(answer)}.")
            if amount == minimum:
                expect(answer, f"{format_amount(amount, currency)} is exactly the minimum "
                               f"in {currency}, and Stripe accepts the minimum itself.")
            expect(answer == accepted,
                   f"amount={amount} in {currency} ({format_amount(amount, currency)}): Stripe "
                   f"{'accepts' if accepted else 'refuses'} it, your function says "
                   f"{answer}. Compare with `paykit.currencies.get(currency).minimum_amount`,"
                   " which is in the smallest unit too.")


def _minimum_in_major_units(amount: int, currency: str) -> bool:
    """A common mistake: the minimum read as dollars, not cents."""
    return amount >= 0.50


def _strictly_above(amount: int, currency: str) -> bool:
    """A common mistake: the minimum itself refused."""
    return amount > paykit.currencies.CURRENCIES[currency].minimum_amount


q2 = Exercise(
    name="q2",
    title="The minimum amount of each currency",
    answer="meets_minimum",
    checker=_check_meets_minimum,
    hints=(
        "`paykit.currencies.get(currency).minimum_amount` is the minimum, already in the "
        "smallest unit (50 for usd is $0.50).",
        "The minimum itself is accepted: compare with `>=`.",
    ),
    scaffold='''
def meets_minimum(amount, currency):
    # the currency's minimum, in its smallest unit like `amount`
    minimum = ____
    # True when Stripe accepts this amount (the minimum itself included)
    return ____
''',
    solution='''
import paykit


def meets_minimum(amount, currency):
    minimum = paykit.currencies.get(currency).minimum_amount
    return amount >= minimum
''',
    wrong=_minimum_in_major_units,
    says="smallest unit too",
    mistakes=((_strictly_above, "Stripe accepts the minimum itself"),),
    correct_message="Correct: both sides in the smallest unit, and the minimum itself is "
                    "accepted; below it Stripe answers `amount_too_small`.",
)

EXERCISES = (q1, q2)
