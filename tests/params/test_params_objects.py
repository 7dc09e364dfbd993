"""The other objects' parameter tables: the same coercion, their own operations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paykit
from paykit.params import (
    CUSTOMER_RULES,
    PAYMENT_METHOD_RULES,
    REFUND_RULES,
    check,
    validate_object,
)
from paykit.params.rules import Kind, ParamDefinitionError, ParamRule, _check_rules
from paykit.params.setup_intent_rules import SETUP_INTENT_RULES


def test_check_reads_each_objects_table():
    assert check("create", resource="refund", charge="ch_1", amount="300") == []
    assert [p.param for p in check("create", resource="refund", amount=0)] == ["amount"]
    assert [p.code for p in check("create", resource="customer", email="x")] == \
        ["email_invalid"]
    assert [p.code for p in check("attach", resource="payment_method")] == \
        ["parameter_missing"]
    assert [p.code for p in check("create", resource="setup_intent", usage="x")] == \
        ["setup_intent_invalid_parameter"]
    with pytest.raises(ValueError, match="unknown resource"):
        check("create", resource="invoice")
    with pytest.raises(ValueError, match="no operation"):
        check("capture", resource="refund")


def test_a_bad_enum_value_of_a_refund_has_no_code():
    error = check("create", resource="refund", reason="changed_mind")[0].to_error()
    assert error.code is None and error.to_dict()["error"]["param"] == "reason"


@settings(max_examples=60)
@given(st.one_of(st.integers(-5, 10**9), st.text(max_size=6), st.booleans(), st.none(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                      st.integers(),
                                                                      max_size=2)))
def test_any_value_is_coerced_or_refused_by_name(value):
    for rules, operation, name in ((REFUND_RULES, "create", "amount"),
                                   (CUSTOMER_RULES, "update", "email"),
                                   (SETUP_INTENT_RULES, "create", "usage"),
                                   (PAYMENT_METHOD_RULES, "update", "billing_details")):
        try:
            validate_object(rules, None, operation, {name: value})
        except paykit.InvalidRequestError as error:
            assert error.param is not None and error.param.startswith(name)


def test_an_objects_table_is_checked_against_its_operations():
    rule = ParamRule("amount", Kind.INTEGER, ("capture",), "x", minimum=1)
    with pytest.raises(ParamDefinitionError, match="operations"):
        _check_rules({"amount": rule}, ("create", "update"))
