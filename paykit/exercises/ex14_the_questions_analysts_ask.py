"""Exercises of notebook 14, *The questions analysts ask*, on the samples paykit ships.

Expected answers are computed from the samples with ``paykit.logs`` when checked, so
they follow the samples if those are regenerated.
"""

from __future__ import annotations

from typing import Any

from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1"]

NOTEBOOK = "14_the_questions_analysts_ask.ipynb"


def _clean_log() -> Any:
    """The clean events sample as a normalised log."""
    import paykit.logs as pl

    return pl.read_sample("events")[0]


def _top_decline() -> str:
    """q1's answer: the most frequent decline code of the clean sample."""
    import paykit.logs as pl

    return str(pl.declines(_clean_log()).codes.index[0])


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

EXERCISES = (q1,)
