"""Exercises of notebook 06, *Capture and cancel*: capture, cancel, legacy names.

Expected answers are read from ``paykit.lifecycle`` (the one table), never restated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import paykit
from paykit.exercises.core import Exercise, call, expect, show
from paykit.lifecycle import LEGACY_STATUS_NAMES, Action, Status, allowed_actions

__all__ = ["EXERCISES", "NOTEBOOK", "q1", "q2", "q3"]

NOTEBOOK = "06_capture_and_cancel.ipynb"


def _expected_can_cancel() -> dict[str, bool]:
    """The general rule: cancel is allowed before processing or succeeded.

    The table also lets bank debits cancel in ``processing`` (footnote 2 of the lifecycle
    page); q1 asks for the general rule, so ``processing`` is ``False`` here.
    """
    return {status.value: Action.CANCEL in allowed_actions(status)
            and status is not Status.PROCESSING for status in Status}


_CANCEL_WHY = {
    "succeeded": "a succeeded payment is final: refund it (Refunds API), do not cancel it",
    "canceled": "canceling cannot be undone, and a canceled intent cannot be canceled again",
    "processing": "once processing, the payment is under way: cancel only before processing "
                  "(bank debits such as US bank accounts are the exception, next section)",
    "requires_capture": "canceling an authorisation releases the held funds",
}


def _check_can_cancel(can_cancel: Any) -> None:
    """q1: cancel allowed exactly where ``_expected_can_cancel`` says."""
    expect(isinstance(can_cancel, Mapping),
           f"`can_cancel` should be a dict, got {show(can_cancel)}.")
    expected = _expected_can_cancel()
    missing = set(expected) - set(can_cancel)
    expect(not missing, f"Answer every status; missing: {sorted(missing)}.")
    for status, allowed in expected.items():
        given = can_cancel[status]
        expect(isinstance(given, bool), f"Answer True or False for {status!r}.")
        why = _CANCEL_WHY.get(status, "nothing has been paid yet, so it can be canceled")
        expect(given == allowed, f"{status}: cancel is {'allowed' if allowed else 'refused'}; "
                                 f"{why}.")


q1 = Exercise(
    name="q1",
    title="When can you cancel?",
    answer="can_cancel",
    checker=_check_can_cancel,
    hints=(
        "The guide: you can cancel at any time before the intent is processing or "
        "succeeded.",
        "`paykit.lifecycle.allowed_actions(status)` lists what the table allows.",
    ),
    solution="can_cancel = {\n" + "".join(
        f"    {status!r}: {allowed},\n" for status, allowed in _expected_can_cancel().items()
    ) + "}",
    wrong={**_expected_can_cancel(), "succeeded": True},
    says='refund it (Refunds API)',
    correct_message="Correct: cancel before processing or succeeded; after that, a "
                    "succeeded payment is refunded, and a canceled intent stays canceled.",
)


def _check_capture(authorise_then_capture: Any) -> None:
    """q2: through requires_capture, $50 authorised, $40 captured."""
    sb = paykit.Sandbox(seed=6)
    pi = call(authorise_then_capture, sb)
    expect(isinstance(pi, paykit.PaymentIntent),
           f"Return the PaymentIntent, got {show(pi)}.")
    expect("requires_capture" in pi.history,
           f"The path was {' → '.join(pi.history)}: with capture_method='manual' the "
           "intent stops in requires_capture until you capture.")
    expect(pi.amount == 5000, f"Authorise $50.00 (amount=5000), not {pi.amount}.")
    expect(pi.status == "succeeded", f"The intent is {pi.status}: capture it.")
    expect(pi.amount_received == 4000,
           f"Captured {pi.amount_received}; capture only $40.00 (amount_to_capture=4000), "
           "the rest is released.")


def _automatic(sb: Any) -> Any:
    """A common mistake: automatic capture of the smaller amount."""
    pi = sb.payment_intents.create(amount=4000, currency="usd")
    return sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")


q2 = Exercise(
    name="q2",
    title="Authorise now, capture less later",
    answer="authorise_then_capture",
    checker=_check_capture,
    hints=(
        "Create with `capture_method=\"manual\"`, then confirm with a card.",
        "`sb.payment_intents.capture(pi.id, amount_to_capture=4000)`.",
    ),
    scaffold='''
def authorise_then_capture(sb):
    # 1. create the intent: 5000 cents in usd, captured by hand later
    pi = ____
    # 2. confirm it with "pm_card_visa": the funds are only authorised
    pi = ____
    # 3. capture 4000 of them, and return the intent
    return ____
''',
    solution='''
def authorise_then_capture(sb):
    pi = sb.payment_intents.create(amount=5000, currency="usd", capture_method="manual")
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    return sb.payment_intents.capture(pi.id, amount_to_capture=4000)
''',
    wrong=_automatic,
    says='stops in requires_capture',
    correct_message="Correct: requires_payment_method → requires_capture → succeeded; $40 "
                    "captured, the other $10 released.",
)


def _check_legacy(legacy: Any) -> None:
    """q3: the legacy names of ``paykit.lifecycle.LEGACY_STATUS_NAMES``."""
    expect(isinstance(legacy, Mapping), f"`legacy` should be a dict, got {show(legacy)}.")
    expected = {status.value: name for status, name in LEGACY_STATUS_NAMES.items()}
    expect(set(legacy) == set(expected),
           f"`legacy` needs exactly the keys {sorted(expected)}.")
    for status, name in expected.items():
        expect(legacy[status] == name,
               f"Before 2019-02-11, {status} was not called {show(legacy[status])}.")


q3 = Exercise(
    name="q3",
    title="The names before 2019-02-11",
    answer="legacy",
    checker=_check_legacy,
    hints=(
        "Payment methods used to be called sources.",
        "Try `paykit.Sandbox(api_version=\"2018-11-08\")`, or "
        "`paykit.lifecycle.display_status(status, \"2018-11-08\")`.",
    ),
    solution='legacy = {"requires_payment_method": "requires_source", '
             '"requires_action": "requires_source_action"}',
    wrong={"requires_payment_method": "requires_source", "requires_action": "requires_source"},
    says='Before 2019-02-11',
    mistakes=(({"requires_payment_method": "requires_source_action",
                 "requires_action": "requires_source"},
                "was not called 'requires_source_action'"),),
    correct_message="Correct: requires_source and requires_source_action, renamed in API "
                    "version 2019-02-11.",
)


EXERCISES = (q1, q2, q3)
