"""The Python API under arguments of any type and shape: only Stripe's errors come out,
and a refused call leaves the sandbox exactly as it was (all or nothing)."""

from __future__ import annotations

import decimal
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paykit
from paykit.params import (
    CUSTOMER_RULES,
    PAYMENT_METHOD_RULES,
    REFUND_RULES,
    rules_for,
)
from paykit.params.setup_intent_rules import SETUP_INTENT_RULES

_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(),
    st.text(max_size=6), st.binary(max_size=3), st.just(object()),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from(["pm_card_visa", "usd", "true", "", "manual", "off_session"]),
)
VALUES = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=4), st.sampled_from(
        ["name", "address", "line1", "enabled", "type", "card", "number"])), inner,
        max_size=3)), max_leaves=6)


def _names(rules: Any, operation: str) -> list[str]:
    return sorted(name for name, rule in rules.items() if operation in rule.operations)


def _world() -> tuple[paykit.Sandbox, dict[str, str]]:
    """A sandbox with one object of each kind, to aim the calls at."""
    sb = paykit.Sandbox(seed=5)
    customer = sb.customers.create(email="a@example.com").id
    paid = sb.payment_intents.create(amount=2000, currency="usd", customer=customer,
                                     setup_future_usage="off_session",
                                     payment_method="pm_card_visa", confirm=True)
    open_intent = sb.payment_intents.create(amount=1500, currency="eur").id
    refund = sb.refunds.create(payment_intent=paid.id, amount=100).id
    setup = sb.setup_intents.create(customer=customer).id
    return sb, {"customer": customer, "paid": paid.id, "open": open_intent,
                "refund": refund, "setup": setup, "pm": paid.payment_method}


# (call, the ids it is aimed at, the parameter names to draw from)
CALLS: list[tuple[str, tuple[str, ...], list[str]]] = [
    ("payment_intents.create", (), _names({n: r for n, r in rules_for("create").items()},
                                          "create")),
    ("payment_intents.update", ("open",), sorted(rules_for("update"))),
    ("payment_intents.confirm", ("open",), sorted(rules_for("confirm"))),
    ("payment_intents.capture", ("open",), sorted(rules_for("capture"))),
    ("payment_intents.cancel", ("open",), sorted(rules_for("cancel"))),
    ("payment_intents.list", (), ["limit", "starting_after", "ending_before", "customer",
                                  "created"]),
    ("customers.create", (), _names(CUSTOMER_RULES, "create")),
    ("customers.update", ("customer",), _names(CUSTOMER_RULES, "update")),
    ("refunds.create", (), _names(REFUND_RULES, "create")),
    ("refunds.update", ("refund",), _names(REFUND_RULES, "update")),
    ("setup_intents.create", (), _names(SETUP_INTENT_RULES, "create")),
    ("setup_intents.confirm", ("setup",), _names(SETUP_INTENT_RULES, "confirm")),
    ("payment_methods.create", (), _names(PAYMENT_METHOD_RULES, "create")),
    ("payment_methods.update", ("pm",), _names(PAYMENT_METHOD_RULES, "update")),
    ("events.list", (), ["type", "types", "limit", "starting_after", "created"]),
    ("charges.list", (), ["payment_intent", "limit", "starting_after", "created"]),
]


def _state(sb: paykit.Sandbox) -> str:
    """Everything a caller can observe of the sandbox, as one text."""
    every = {name: [o.to_dict() for o in getattr(sb, name).list(limit=None)]
             for name in ("payment_intents", "charges", "customers", "refunds",
                          "setup_intents", "payment_methods")}
    every["events"] = [e.id for e in sb.events.list(limit=None)]
    every["clock"] = sb.now
    return json.dumps(every, sort_keys=True, default=str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CALLS), st.data())
def test_any_arguments_give_a_result_or_a_stripe_error_and_a_refusal_changes_nothing(
        call, data):
    sb, ids = _world()
    name, aimed_at, params = call
    resource, method = name.split(".")
    chosen = data.draw(st.lists(st.sampled_from(params), max_size=3, unique=True))
    kwargs = {param: data.draw(VALUES, label=param) for param in chosen}
    before = _state(sb)
    try:
        getattr(getattr(sb, resource), method)(*(ids[a] for a in aimed_at), **kwargs)
    except paykit.StripeError as error:
        assert error.to_dict()["error"]["type"]
        assert _state(sb) == before, (name, kwargs, error)


def test_a_half_valid_update_changes_nothing():
    sb, ids = _world()
    before = _state(sb)
    try:
        sb.payment_intents.update(ids["open"], description="kept?",
                                  shipping={"name": decimal.Decimal("1.5"),
                                            "address": {"line1": "1 Main St"}})
    except paykit.InvalidRequestError as error:
        assert error.param == "shipping[name]"
    assert _state(sb) == before
    assert sb.payment_intents.retrieve(ids["open"]).description is None
