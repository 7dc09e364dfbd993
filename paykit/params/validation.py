"""Validation: a whole request read against ``RULES``, every problem in Stripe's order.

``validate`` is what the engine calls on every request (the Python API and HTTP alike);
``check`` is what the widgets and the log audit call: it lists every problem instead of
raising the first. Each value is read by ``paykit.params.coercion``; the rules that need
more than one value (``confirm=true``, card charges, the intent's status) are here.

>>> check("create", amount=10, currency="usd")[0].code
'amount_too_small'
>>> validate("create", {"amount": "1099", "currency": "usd", "confirm": "true"})
{'amount': 1099, 'currency': 'usd', 'confirm': True}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from types import MappingProxyType
from typing import Any

from paykit import currencies
from paykit.api_versions import ParamGate, param_gates, since
from paykit.lifecycle import Status, parse_status
from paykit.params.coercion import COERCERS, Coercer, new_context
from paykit.params.cross_rules import cross_problems
from paykit.params.problems import INVALID, Problem, empty_string, show_value
from paykit.params.rules import (
    OPERATIONS,
    RULES,
    ParamRule,
    rules_for,
)

__all__ = ["check", "validate", "validate_object", "validate_request"]

# Per operation: each accepted parameter's rule and coercion, looked up once per request.
_COERCERS: dict[str, dict[str, tuple[ParamRule, Coercer]]] = {
    op: {name: (rule, COERCERS[rule.kind]) for name, rule in rules_for(op).items()}
    for op in OPERATIONS
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    op: tuple(name for name in entries if op in RULES[name].required_in)
    for op, entries in _COERCERS.items()
}
# Per operation: the parameters an API version adds or refuses (paykit.api_versions).
_PI_GATES: dict[str, Mapping[str, ParamGate]] = {
    op: param_gates("payment_intent", op) for op in OPERATIONS}
_NO_GATES: Mapping[str, ParamGate] = MappingProxyType({})


def _run(
    operation: str,
    params: Mapping[Any, Any],
    api_version: str | None,
    status: Status | str | None,
    currency: str | None,
    payment_method_type: str | None,
    table: tuple[Mapping[str, tuple[ParamRule, Coercer]], tuple[str, ...]] | None = None,
    now: int | None = None,
    gates: Mapping[str, ParamGate] = _NO_GATES,
) -> tuple[dict[str, Any], list[Problem]]:
    """Coerce every parameter and list every problem, in the order Stripe reports them:
    unknown parameters first, then invalid values, then missing ones.

    ``table`` is another object's ``(accepted, required)`` (``_object_run``); without
    it, the PaymentIntent's rules for ``operation``, and their rules across parameters.
    ``gates`` are the parameters an API version adds or refuses (``api_version`` decides:
    ``None`` reads as the oldest version).
    Every engine request comes through here, so it is written for speed: arguments by
    position, each parameter's rule and coercion looked up once, and the rules that
    need several values skipped when their parameters are absent.
    """
    accepted: Mapping[str, tuple[ParamRule, Coercer]]
    if table is None:
        if operation not in _COERCERS:
            rules_for(operation)  # the ValueError of an unknown operation
        accepted, required = _COERCERS[operation], _REQUIRED[operation]
        gates = _PI_GATES[operation]
    else:
        accepted, required = table
    if type(params) is not dict and not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    state = status if status is None or isinstance(status, Status) else parse_status(status)
    known = currencies.CURRENCIES
    requested = params.get("currency") if "currency" in accepted else None
    charge_currency = known.get(requested) if isinstance(requested, str) else None
    if charge_currency is None and isinstance(currency, str):
        charge_currency = known.get(currency)
    ctx = new_context((operation, api_version, state, charge_currency, payment_method_type))

    problems: list[Problem] = []
    invalid: list[Problem] = []
    coerced: dict[str, Any] = {}
    for key, value in params.items():
        entry = accepted.get(key) if isinstance(key, str) else None
        if entry is not None and key in gates:
            refused = _gated(key, gates[key], api_version)
            if refused is not None:
                problems.append(refused)
                continue
        if entry is None:
            problems.append(Problem(show_value(key), "parameter_unknown",
                                    f"Received unknown parameter: {show_value(key)}"))
            continue
        rule, coerce = entry
        if isinstance(value, str) and value == "":
            if operation in rule.unsettable:
                coerced[key] = ""
            else:
                invalid.append(empty_string(key))
            continue
        result, found = coerce(rule, value, ctx)
        if found:
            invalid.extend(found)
        else:
            coerced[key] = result
    if invalid:
        problems += invalid
    for name in required:
        if name not in params:
            problems.append(Problem(name, "parameter_missing", f"Missing required param: {name}."))
    if table is None:
        cross_problems(params, coerced, ctx, problems, now)
    return coerced, problems


def _gated(name: str, gate: ParamGate, api_version: str | None) -> Problem | None:
    """The problem of sending ``name`` on ``api_version``, if its version forbids it:
    unknown before the version that adds it, refused from the one that removes it."""
    if gate.added is not None and not since(gate.added.key, api_version):
        return Problem(name, "parameter_unknown", f"Received unknown parameter: {name}")
    if gate.refused is not None and since(gate.refused[0].key, api_version):
        change = gate.refused[1]
        return Problem(name, change.code, change.message.format(param=name))
    return None


def validate_object(
    rules: Mapping[str, ParamRule], api_version: str | None, operation: str,
    params: Mapping[Any, Any], *, currency: str | None = None, invalid_code: str = "",
) -> dict[str, Any]:
    """``validate`` for another object's rule table (a Refund's, a Customer's): the same
    coercion, so a value means the same on every object. ``api_version`` is the one the
    call is read in (its version gates; ``None``: the oldest). ``currency`` is the object's
    (context for amounts); ``invalid_code`` the object's code for a bad value
    (``setup_intent_invalid_parameter``; none by default)."""
    coerced, problems = _object_run(rules, operation, params, api_version, currency,
                                    invalid_code)
    if problems:
        raise problems[0].to_error()
    return coerced


def _object_run(
    rules: Mapping[str, ParamRule], operation: str, params: Mapping[Any, Any],
    api_version: str | None, currency: str | None, invalid_code: str = "",
) -> tuple[dict[str, Any], list[Problem]]:
    accepted = {name: (rule, COERCERS[rule.kind]) for name, rule in rules.items()
                if operation in rule.operations}
    required = tuple(name for name, (rule, _) in accepted.items()
                     if operation in rule.required_in)
    kind = _kinds().get(id(rules))
    gates = param_gates(kind, operation) if kind else _NO_GATES
    coerced, problems = _run(operation, params, api_version, None, currency, None,
                             (accepted, required), None, gates)
    # Coercion names a bad value ``payment_intent_invalid_parameter``; another object's
    # own code where Stripe has one (``setup_intent_invalid_parameter``), else none
    # (paykit's choice: Stripe documents no such code for refunds or customers).
    return coerced, [replace(p, code=invalid_code) if p.code == INVALID else p
                     for p in problems]


def check(
    operation: str = "create",
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
    resource: str = "payment_intent",
    now: int | None = None,
    **params: Any,
) -> list[Problem]:
    """Every problem a request would meet, in Stripe's order; ``[]`` when it is valid.

    ``resource`` names the object whose table applies: ``payment_intent`` (the default),
    ``refund``, ``customer``, ``payment_method``, ``setup_intent`` or ``webhook_endpoint``
    (``check("create", resource="refund", amount=0)``).

    Never raises for a bad value: a bad value is always a ``Problem``. On ``create``,
    ``currency=`` is the request's currency; on other operations it is the intent's
    currency (context for the amount's minimum). ``status=`` is the intent's status,
    which limits what ``update`` may change; ``payment_method_type`` says whether it is
    a card charge; ``now`` is the sandbox clock, for the dated platform rules (``None``:
    today). An unknown operation or status is a programming error: ``ValueError``.

    >>> [p.code for p in check("update", status="succeeded", amount=2000, currency="usd")]
    ['payment_intent_unexpected_state']
    """
    if resource != "payment_intent":
        tables = _object_tables()
        if resource not in tables:
            raise ValueError(f"unknown resource {resource!r}; one of: payment_intent, "
                             f"{', '.join(tables)}")
        rules, operations = tables[resource]
        if operation not in operations:
            raise ValueError(f"{resource} has no operation {operation!r}; one of "
                             f"{operations}")
        invalid = "setup_intent_invalid_parameter" if resource == "setup_intent" else ""
        return _object_run(rules, operation, params, api_version, currency, invalid)[1]
    if operation == "create" and currency is not None:
        params = {**params, "currency": currency}
    return _run(operation, params, api_version, status, currency, payment_method_type,
                None, now)[1]


@cache
def _kinds() -> dict[int, str]:
    """Which object each rule table is of (by identity): its version gates say so."""
    return {id(rules): kind for kind, (rules, _) in _object_tables().items()}


def _object_tables() -> dict[str, tuple[Mapping[str, ParamRule], tuple[str, ...]]]:
    """The other objects' tables and their operations (imported here: they import this
    package's rules)."""
    from paykit.params.customer_rules import CUSTOMER_RULES
    from paykit.params.payment_method_rules import (
        PAYMENT_METHOD_OPERATIONS,
        PAYMENT_METHOD_RULES,
    )
    from paykit.params.refund_rules import REFUND_RULES
    from paykit.params.setup_intent_rules import SETUP_INTENT_OPERATIONS, SETUP_INTENT_RULES
    from paykit.params.webhook_endpoint_rules import (
        WEBHOOK_ENDPOINT_OPERATIONS,
        WEBHOOK_ENDPOINT_RULES,
    )

    return {"customer": (CUSTOMER_RULES, ("create", "update")),
            "payment_method": (PAYMENT_METHOD_RULES, PAYMENT_METHOD_OPERATIONS),
            "refund": (REFUND_RULES, ("create", "update", "cancel")),
            "setup_intent": (SETUP_INTENT_RULES, SETUP_INTENT_OPERATIONS),
            "webhook_endpoint": (WEBHOOK_ENDPOINT_RULES, WEBHOOK_ENDPOINT_OPERATIONS)}


def validate(
    operation: str,
    params: Mapping[str, Any],
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The parameters as the API reads them, or ``InvalidRequestError`` for the first problem.

    ``currency=`` is the intent's currency (when ``params`` has none); the other context
    arguments are those of ``check``. A bad value raises only ``InvalidRequestError``.

    >>> validate("update", {"metadata": {"order": 42}})
    {'metadata': {'order': '42'}}
    """
    coerced, problems = _run(operation, params, api_version, status, currency,
                             payment_method_type, None, now)
    if problems:
        raise problems[0].to_error()
    return coerced


def validate_request(
    operation: str, params: Mapping[str, Any], api_version: str | None,
    status: Status | None, currency: str | None, payment_method_type: str | None,
    now: int | None,
) -> dict[str, Any]:
    """``validate`` with every argument by position: the engine's entry, called twice per
    payment (keyword arguments cost a measurable share there)."""
    coerced, problems = _run(operation, params, api_version, status, currency,
                             payment_method_type, None, now)
    if problems:
        raise problems[0].to_error()
    return coerced
