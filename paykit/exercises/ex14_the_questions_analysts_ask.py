"""Exercises of notebook 14, *The questions analysts ask*: declines and authorisation rates.

The answers are computed when checked, with ``paykit.logs``, from the same data the
notebook uses (the clean events sample, the simulated month), never written down here.
"""

from __future__ import annotations

from typing import Any

from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

NOTEBOOK = "14_the_questions_analysts_ask.ipynb"


def _top_decline() -> str:
    """q1's answer: the most frequent decline code of the clean sample."""
    import paykit.logs as pl

    log, _report = pl.read_sample("events")
    return str(pl.declines(log).codes.index[0])


def _check_top_decline(code: Any) -> None:
    """q1: the bank's decline code, not the generic error code."""
    expect(isinstance(code, str), f"Answer the decline code as a string, got {show(code)}.")
    expect(code != "card_declined",
           "card_declined is the error code of every decline; the bank's reason is the "
           "decline_code.")
    expect(code == _top_decline(), f"{code!r} is not the most frequent decline code.")


q1 = Exercise(
    name="q1",
    title="The most frequent decline",
    answer="top_decline",
    checker=_check_top_decline,
    hints=(
        "`pl.declines(log).codes` counts declines per decline code, most frequent first.",
        "The answer is the first index of that table.",
    ),
    solution=(
        "import paykit.logs as pl\n\n"
        "log, report = pl.read_sample(\"events\")\n"
        "top_decline = pl.declines(log).codes.index[0]"
    ),
    wrong="card_declined",
    says='decline_code',
    mistakes=(("generic_decline", "not the most frequent decline code"),),
    correct_message="Correct: the bank's most frequent reason; the codes table also shows "
                    "how many of those intents recovered on a retry.",
)

def _rates_by_brand() -> Any:
    """q2's table: the authorisation rate of each card brand in the month."""
    import paykit.logs as pl

    month = pl.simulate(3000, seed=8, refund_rate=0.05, dispute_rate=0.01)  # the notebook's
    table = pl.authorisation(month, by="card_brand").table
    return table.drop(index="(none)", errors="ignore")


def _check_weakest_brand(brand: Any) -> None:
    """q2: the lowest authorisation rate, not the most declines."""
    expect(isinstance(brand, str), f"Answer a card brand as a string, got {show(brand)}.")
    table = _rates_by_brand()
    expect(brand != "(none)", "(none) gathers the payments made without a card (bank "
                              "debits...): it is not a card brand.")
    expect(brand in table.index, f"{brand!r} is not a card brand of this month: "
                                 f"{', '.join(table.index)}.")
    weakest = str(table["authorisation_rate"].idxmin())
    if brand == str(table["declined"].idxmax()):
        expect(brand == weakest,
               f"{brand} has the most declines because it has the most payments; compare "
               "the authorisation rate, declines per attempt.")
    expect(brand == weakest,
           f"{brand} is authorised {table.loc[brand, 'authorisation_rate']:.1%} of the "
           "time; another brand does worse.")


q2 = Exercise(
    name="q2",
    title="The card brand authorised least often",
    answer="weakest_brand",
    checker=_check_weakest_brand,
    hints=(
        "`pl.authorisation(month, by=\"card_brand\").table` has an `authorisation_rate` "
        "column.",
        "`.idxmin()` of that column names the brand; leave out `(none)`, the payments "
        "without a card.",
    ),
    solution=(
        "import paykit.logs as pl\n\n"
        "month = pl.simulate(3000, seed=8, refund_rate=0.05, dispute_rate=0.01)\n"
        "rates = pl.authorisation(month, by=\"card_brand\").table\n"
        "weakest_brand = rates.drop(index=\"(none)\")[\"authorisation_rate\"].idxmin()"
    ),
    wrong="visa",
    says="compare the authorisation rate",
    mistakes=(("(none)", "not a card brand"), ("mastercard", "another brand does worse")),
    correct_message="Correct: the rate, not the count, compares brands of different "
                    "sizes; split it further by country or funding to find why.",
)

EXERCISES = (q1, q2)
