"""Exercises of notebook 05, *The lifecycle*: the statuses an intent really goes through.

Expected answers are read from ``paykit.lifecycle`` (the one table), never restated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import paykit
from paykit.exercises.core import Exercise, expect, show
from paykit.lifecycle import PAYMENT_INTENT

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

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

def _check_after_processing(statuses: Any) -> None:
    """q2: every status one move away from processing, as the table says."""
    expect(isinstance(statuses, set | frozenset | list | tuple),
           f"`after_processing` should be a set of statuses, got {show(statuses)}.")
    given = {str(s) for s in statuses}
    table = {str(row.target) for row in PAYMENT_INTENT.rows_from("processing")}
    expect("succeeded" in given, "Most debits settle: processing leads to succeeded.")
    expect("requires_payment_method" in given,
           "A debit can also fail days later: the bank's answer sends the intent back to "
           "requires_payment_method, for another payment method.")
    unknown = sorted(given - table)
    expect(not unknown, f"The table has no move from processing to {', '.join(unknown)}.")
    missing = sorted(table - given)
    expect(not missing, f"The table also leads from processing to {', '.join(missing)}: "
                        "read the processing row of the table above.")


q2 = Exercise(
    name="q2",
    title="Where processing can lead",
    answer="after_processing",
    checker=_check_after_processing,
    hints=(
        "The table above (`moves_table()`) has a row for `processing`.",
        "A bank debit can settle, fail, or be canceled.",
    ),
    solution='after_processing = {"succeeded", "requires_payment_method", "canceled"}',
    wrong={"succeeded"},
    says="can also fail days later",
    mistakes=(({"succeeded", "requires_payment_method"}, "also leads from processing to"),
              ({"succeeded", "requires_payment_method", "canceled", "requires_action"},
               "no move from processing to requires_action")),
    correct_message="Correct: processing ends when the bank answers (succeeded, or back to "
                    "requires_payment_method) or when the intent is canceled.",
)

EXERCISES = (q1, q2)
