"""The table of rules across parameters: each row fires on its triggers, and only then."""

from __future__ import annotations

import pytest

import paykit
from paykit.params import CROSS_RULES, check
from paykit.params.rules import OPERATIONS

BASE = {"amount": 1000, "currency": "usd"}


def test_every_row_names_its_triggers_operations_and_source():
    for rule in CROSS_RULES:
        assert rule.triggers and set(rule.operations) <= set(OPERATIONS)
        assert rule.url.startswith("https://docs.stripe.com/") and rule.doc


@pytest.mark.parametrize(("operation", "params", "extra", "fires"), [
    ("create", {"return_url": "https://x.test/back"}, {}, "return_url"),
    ("create", {"return_url": "https://x.test/back", "confirm": True}, {}, None),
    ("create", {"application_fee_amount": 1500}, {}, "application_fee_amount"),
    ("create", {"application_fee_amount": 1000}, {}, None),
    ("create", {"statement_descriptor": "RUNCLUB", "payment_method_types": ["card"]}, {},
     "statement_descriptor"),
    ("create", {"statement_descriptor": "RUNCLUB",
                "payment_method_types": ["sepa_debit"]}, {}, None),
    ("update", {"amount": 500}, {"status": "succeeded"}, "amount"),
    ("update", {"metadata": {"a": "1"}}, {"status": "succeeded"}, None),
])
def test_a_row_fires_on_its_triggers_only(operation, params, extra, fires):
    request = {**BASE, **params} if operation == "create" else params
    problems = check(operation, **extra, **request)
    assert [p.param for p in problems] == ([fires] if fires else [])


def test_the_fee_rule_refuses_and_the_refused_create_leaves_nothing():
    sb = paykit.Sandbox(seed=0)
    with pytest.raises(paykit.InvalidRequestError) as error:
        sb.payment_intents.create(amount=1000, currency="usd", application_fee_amount=1001)
    assert error.value.param == "application_fee_amount"
    assert sb.payment_intents.list().data == []
