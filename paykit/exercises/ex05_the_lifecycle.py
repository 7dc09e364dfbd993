"""Exercises of notebook 05, *The lifecycle*: the statuses an intent really goes through.

Expected answers are read from ``paykit.lifecycle`` (the one table), never restated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import paykit
from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1"]

NOTEBOOK = "05_the_lifecycle.ipynb"


def _check_sepa_path(path: Any) -> None:
    """q1: the history a settled SEPA debit really has in the sandbox."""
    expect(isinstance(path, Sequence) and not isinstance(path, str),
           f"`sepa_path` should be a list of statuses, got {show(path)}.")
    sb = paykit.Sandbox(seed=7)
    pi = sb.payment_intents.create(amount=1000, currency="eur")
    sb.payment_intents.confirm(pi.id, payment_method="pm_sepaDebit")
    sb.advance(days=14)
    actual = list(sb.payment_intents.retrieve(pi.id).history)
    given = [str(s) for s in path]
    expect("processing" in given,
           "A SEPA debit is asynchronous: the bank takes days, so the intent waits in "
           "processing.")
    expect(given[:1] == actual[:1],
           f"Every intent starts in {actual[0]}, waiting for a payment method; your path "
           f"starts with {given[0] if given else 'nothing'}.")
    expect(given[-1:] == actual[-1:],
           f"Fourteen days later the bank has settled the debit: the path ends in "
           f"{actual[-1]}, not {given[-1]}.")
    expect(given == actual, f"The history is {' → '.join(actual)}, each status once and in "
                            f"order; yours is {' → '.join(given)}.")


q1 = Exercise(
    name="q1",
    title="The path of a SEPA debit",
    answer="sepa_path",
    checker=_check_sepa_path,
    hints=(
        "Cards skip one status that bank debits go through.",
        "Run it: create an intent in `eur`, confirm it with `payment_method=\"pm_sepaDebit\"`, "
        "then `sb.advance(days=14)` and look at the retrieved intent's `history`.",
    ),
    solution='sepa_path = ["requires_payment_method", "processing", "succeeded"]',
    wrong=["requires_payment_method", "succeeded"],
    says='waits in processing',
    mistakes=((["processing", "succeeded"], "Every intent starts in requires_payment_method"),),
    correct_message="Correct: processing is for asynchronous methods only; the debit "
                    "settles days later and the intent succeeds.",
)

EXERCISES = (q1,)
