"""Exercises of notebook 13, *Analysing payment logs*, on the samples paykit ships.

Expected answers are computed from the samples with ``paykit.logs`` when checked, so
they follow the samples if those are regenerated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paykit.exercises.core import Exercise, expect, show

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2"]

NOTEBOOK = "13_analysing_payment_logs.ipynb"


def _clean_log() -> Any:
    """The clean events sample as a normalised log."""
    import paykit.logs as pl

    return pl.read_sample("events")[0]


def _funnel_counts() -> dict[str, int]:
    """Intents per funnel step of the clean sample."""
    import paykit.logs as pl

    table = pl.funnel(_clean_log()).table
    return dict(zip(table["step"], table["intents"].astype(int), strict=True))


def _check_success_rate(rate: Any) -> None:
    """q1: succeeded over created, not over attempted."""
    counts = _funnel_counts()
    expect(isinstance(rate, int | float) and not isinstance(rate, bool),
           f"Give the share as a number between 0 and 1, got {show(rate)}.")
    of_created = counts["succeeded"] / counts["created"]
    of_attempted = counts["succeeded"] / counts["attempted"]
    expect(abs(rate - of_attempted) > 0.005 or abs(of_attempted - of_created) < 0.005,
           f"{rate:.3f} is the share of *attempted* intents; the question asks for the "
           "share of all created intents, abandoned ones included.")
    expect(0 <= rate <= 1, f"A share lies between 0 and 1 ({rate} given; 78% is 0.78).")
    expect(abs(rate - of_created) < 0.005,
           f"{rate:.3f} is not it: count the intents that succeeded and divide by those "
           "created.")


def _solution_rate() -> str:
    """q1's solution code."""
    return (
        "import paykit.logs as pl\n\n"
        "log, report = pl.read_sample(\"events\")\n"
        "table = pl.funnel(log).table.set_index(\"step\")\n"
        "success_rate = table.loc[\"succeeded\", \"intents\"] / "
        "table.loc[\"created\", \"intents\"]"
    )


q1 = Exercise(
    name="q1",
    title="How many intents end in success?",
    answer="success_rate",
    checker=_check_success_rate,
    hints=(
        "`pl.funnel(log).table` counts the intents at each step.",
        "Divide the `succeeded` step by the `created` step.",
    ),
    solution=_solution_rate(),
    wrong=0.839,
    says='abandoned ones included',
    mistakes=((83.9, "A share lies between 0 and 1"),
               (0.5, "divide by those created")),
    correct_message="Correct: the funnel's last step over its first, abandoned intents "
                    "included.",
)


def _violation() -> tuple[str, str, str]:
    """q2's answer: the broken sample's first violation."""
    import paykit.logs as pl

    broken = pl.read_sample("events_broken")[0]
    row = pl.conformance(broken).violations.iloc[0]
    return str(row["intent"]), str(row["source"]), str(row["target"])


def _reversed_violation() -> tuple[str, str, str]:
    """A common mistake: the right intent, the move read backwards."""
    intent, source, target = _violation()
    return intent, target, source


def _check_violation(answer: Any) -> None:
    """q2: the violating intent and its move, in order."""
    expect(isinstance(answer, Sequence) and not isinstance(answer, str) and len(answer) == 3,
           f"Answer a tuple (intent, from_status, to_status), got {show(answer)}.")
    intent, source, target = (str(part) for part in answer)
    expected = _violation()
    expect(intent == expected[0], f"{intent!r} follows the lifecycle; look at "
                                  "`conformance(broken).violations`.")
    expect((source, target) != (expected[2], expected[1]),
           "Right intent, but the move is the other way round.")
    expect((source, target) == expected[1:],
           f"{intent} does not move {source} → {target}.")


q2 = Exercise(
    name="q2",
    title="The move the lifecycle forbids",
    answer="violation",
    checker=_check_violation,
    hints=(
        "Read the broken sample with `pl.read_sample(\"events_broken\")`, then run "
        "`pl.conformance` on the log.",
        "Each row of `.violations` has the intent, `source` and `target`.",
    ),
    solution=(
        "import paykit.logs as pl\n\n"
        "broken, report = pl.read_sample(\"events_broken\")\n"
        "row = pl.conformance(broken).violations.iloc[0]\n"
        "violation = (row[\"intent\"], row[\"source\"], row[\"target\"])"
    ),
    wrong=_reversed_violation(),
    says='the other way round',
    correct_message="Correct: succeeded is final in the lifecycle table, so a later event "
                    "moving the intent on is a log error (or a replayed event) to "
                    "investigate.",
)


EXERCISES = (q1, q2)
