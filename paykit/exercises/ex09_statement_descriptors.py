"""Exercises of notebook 09, *Statement descriptors*.

The rules (https://docs.stripe.com/payments/payment-intents?locale=fr-FR,
section "Libellé de relevé bancaire dynamique"; in full:
https://docs.stripe.com/get-started/account/statement-descriptors) are read from
``paykit.params``: 22 characters, none of ``< > ' " *``, not only digits, and the
``"* "`` between prefix and suffix counted in the 22.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from paykit import params
from paykit.exercises.core import Exercise, call, expect, show

__all__ = ["DESCRIPTORS", "EXERCISES", "NOTEBOOK", "PREFIX", "q1", "q2", "q3"]

NOTEBOOK = "09_statement_descriptors.ipynb"

#: The shortened descriptor (prefix) of q3's account.
PREFIX = "PAYKIT"


def _longest_suffix(prefix: str) -> int:
    """The longest suffix ``params.customer_statement`` accepts after ``prefix``."""
    longest = 0
    for length in range(1, 23):
        if not params.customer_statement(prefix, "A" * length).problems:
            longest = length
    return longest


def _check_max_suffix(max_suffix_length: Any) -> None:
    """q1: the longest suffix ``params.customer_statement`` accepts."""
    for prefix in ("RUNCLUB", "PAYKIT", "ACME", "BLUEBIRD C"):
        got = call(max_suffix_length, prefix)
        expected = _longest_suffix(prefix)
        expect(got != 22 - len(prefix),
               f"For {prefix!r} you left {got} characters: the '*' and the space after "
               "the prefix count in the 22 too.")
        expect(got == expected, f"For {prefix!r} ({len(prefix)} characters) the suffix can "
                                f"have {expected} characters, not {show(got)}.")


q1 = Exercise(
    name="q1",
    title="Room left for the suffix",
    answer="max_suffix_length",
    checker=_check_max_suffix,
    hints=(
        "The customer sees PREFIX* SUFFIX, 22 characters at most.",
        "Two characters join them: an asterisk and a space.",
    ),
    scaffold='''
def max_suffix_length(prefix):
    # 22 characters in all: the prefix, then "* ", then the suffix
    return ____
''',
    solution='''
def max_suffix_length(prefix):
    return 22 - len(prefix) - len("* ")
''',
    wrong=lambda prefix: 22 - len(prefix),
    says='count in the 22 too',
    correct_message="Correct: 22 − the prefix − 2 for the '* ' that Stripe inserts.",
)

#: q2's candidate descriptors (complete, static descriptors).
DESCRIPTORS: tuple[str, ...] = (
    "Custom descriptor",
    "12345678",
    "ACME <SHOES>",
    "BOB'S BIKES",
    "MEGA*STORE",
    "THE VERY LONG COMPANY NAME",
    "RUNCLUB 2026",
)


def _expected_valid() -> dict[str, bool]:
    """q2's answers, from the descriptor rules of ``paykit.params``."""
    return {text: not params.statement_descriptor_problems(text) for text in DESCRIPTORS}


def _check_valid(valid: Any) -> None:
    """q2: each descriptor judged as ``paykit.params`` judges it."""
    expect(isinstance(valid, Mapping), f"`valid` should be a dict, got {show(valid)}.")
    missing = set(DESCRIPTORS) - set(valid)
    expect(not missing, f"Answer every descriptor; missing: {sorted(missing)}.")
    for text, ok in _expected_valid().items():
        given = valid[text]
        expect(isinstance(given, bool), f"Answer True or False for {text!r}.")
        if given != ok:
            problems = params.statement_descriptor_problems(text)
            why = problems[0].message if problems else "it breaks none of the rules"
            expect(False, f"{text!r} is {'valid' if ok else 'refused'}: {why}")


q2 = Exercise(
    name="q2",
    title="Valid descriptors",
    answer="valid",
    checker=_check_valid,
    hints=(
        "Three rules: at most 22 characters; none of < > ' \" *; at least one letter.",
        "`paykit.params.statement_descriptor_problems(text)` lists what is wrong.",
    ),
    solution="valid = {\n" + "".join(f"    {t!r}: {ok},\n" for t, ok in _expected_valid().items())
             + "}",
    wrong={**_expected_valid(), "BOB'S BIKES": True},
    says='cannot include',
    correct_message="Correct: digits only, < >, the apostrophe, the asterisk and a 26-"
                    "character name are all refused.",
)


def _check_suffix(suffix_for: Any) -> None:
    """q3: suffixes that fit after PREFIX and show the order number."""
    for order_id in (6735, 42, 12345678):
        suffix = call(suffix_for, order_id)
        expect(isinstance(suffix, str), f"Return the suffix as a string, got {show(suffix)}.")
        expect(str(order_id) in suffix,
               f"{suffix!r} should show the order number {order_id}, so the customer "
               "recognises the payment.")
        preview = params.customer_statement(PREFIX, suffix)
        expect(not preview.problems,
               f"For order {order_id} the customer would see {preview.text!r}: "
               f"{preview.problems[0].message if preview.problems else ''}")


q3 = Exercise(
    name="q3",
    title="A dynamic suffix per order",
    answer="suffix_for",
    checker=_check_suffix,
    hints=(
        f"The prefix is {PREFIX!r}: {_longest_suffix(PREFIX)} characters are left for the "
        "suffix.",
        "A suffix needs a letter: a bare number is refused. Keep it short, e.g. 'ORDER 42'.",
    ),
    scaffold='''
def suffix_for(order_id):
    # short, readable, no forbidden character: what the customer will recognise
    return ____
''',
    solution='''
def suffix_for(order_id):
    return f"ORDER {order_id}"
''',
    wrong=lambda order_id: f"Order #{order_id} from our shop",
    says='at most 22 fit',
    correct_message="Correct: PAYKIT* ORDER 12345678 is 22 characters, the longest order "
                    "number still fits.",
)

EXERCISES = (q1, q2, q3)
