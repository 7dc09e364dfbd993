"""The card fields' checks (paykit.stripejs.card_checks): the table and its worked examples."""

from __future__ import annotations

import json

import pytest

from paykit.stripejs import card_checks as cc


def _check(field: str, typed: str, brand: str) -> cc.Problem | None:
    if field == "number":
        return cc.check_number(typed)
    if field == "expiry":
        return cc.check_expiry(typed, today=cc.EXAMPLES_TODAY)
    return cc.check_cvc(typed, brand)


@pytest.mark.parametrize("field, typed, brand, expected", cc.EXAMPLES)
def test_every_worked_example_gives_its_code(field, typed, brand, expected):
    problem = _check(field, typed, brand)
    assert (problem.code if problem else None) == expected


def test_the_examples_reach_every_message_of_the_table():
    assert {e[3] for e in cc.EXAMPLES} - {None} == set(cc.MESSAGES)


def test_luhn_accepts_the_test_cards_and_refuses_a_changed_digit():
    for number in ("4242424242424242", "4000002760003184", "378282246310005"):
        assert cc.luhn(number)
        assert not cc.luhn(number[:-1] + str((int(number[-1]) + 1) % 10))
    assert not cc.luhn("")


def test_brands_come_from_the_leading_digits():
    assert [cc.brand_of(n).name for n in ("4", "34", "37", "51", "2221", "6011", "62",
                                          "3530", "36", "9")] == [
        "visa", "amex", "amex", "mastercard", "mastercard", "discover", "unionpay", "jcb",
        "diners", "unknown"]


def test_a_problem_is_shaped_as_stripe_js_reports_it():
    problem = cc.check_number("4242")
    assert problem is not None
    assert problem.to_dict() == {"type": "validation_error", "code": "incomplete_number",
                                 "message": "Your card number is incomplete.",
                                 "param": "number"}


def test_the_rules_the_browser_reads_are_the_table():
    rules = json.loads(cc.rules_json())
    assert rules["messages"] == cc.MESSAGES
    assert [b["name"] for b in rules["brands"]] == [b.name for b in cc.BRANDS]
    assert rules["brands"][0] == {"name": "amex", "prefixes": [[34, 34], [37, 37]],
                                  "lengths": [15], "cvc_length": 4}
    assert rules["years_ahead"] == cc.YEARS_AHEAD


def test_the_script_carries_the_table_it_was_served_with():
    from paykit.stripejs.assets import stand_in_source
    assert cc.rules_json().encode() in stand_in_source()
