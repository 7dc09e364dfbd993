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
from typing import Any

from paykit import currencies
from paykit.lifecycle import Status, parse_status
from paykit.params.coercion import COERCERS, Coercer, Context, new_context
from paykit.params.problems import INVALID, Problem, empty_string, show_value
from paykit.params.rules import (
    CONFIRM_ONLY_PARAMS,
    OPERATIONS,
    RULES,
    ParamRule,
    rules_for,
)
from paykit.params.statement_descriptors import refuses_card_descriptor

__all__ = ["check", "validate"]

# Per operation: each accepted parameter's rule and coercion, looked up once per request.
_COERCERS: dict[str, dict[str, tuple[ParamRule, Coercer]]] = {
    op: {name: (rule, COERCERS[rule.kind]) for name, rule in rules_for(op).items()}
    for op in OPERATIONS
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    op: tuple(name for name in entries if op in RULES[name].required_in)
    for op, entries in _COERCERS.items()
}


def _run(
    operation: str,
    params: Mapping[Any, Any],
    api_version: str | None,
    status: Status | str | None,
    currency: str | None,
    payment_method_type: str | None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Coerce every parameter and list every problem, in the order Stripe reports them.

    Every engine request comes through here, so it is written for speed: arguments by
    position, each parameter's rule and coercion looked up once, and the rules that
    need several values skipped when their parameters are absent.
    """
    if operation not in _COERCERS:
        rules_for(operation)  # the ValueError of an unknown operation
    accepted = _COERCERS[operation]
    if type(params) is not dict and not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping, not {type(params).__name__}")
    state = status if status is None or isinstance(status, Status) else parse_status(status)
    known = currencies.CURRENCIES
    requested = params.get("currency") if "currency" in accepted else None
    charge_currency = known.get(requested) if isinstance(requested, str) else None
    if charge_currency is None and isinstance(currency, str):
        charge_currency = known.get(currency)
    ctx = new_context((operation, api_version, state, charge_currency, payment_method_type))

    problems: list[Problem] = []  # unknown parameters first, then invalid values
    invalid: list[Problem] = []
    coerced: dict[str, Any] = {}
    for key, value in params.items():
        entry = accepted.get(key) if isinstance(key, str) else None
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
    for name in _REQUIRED[operation]:
        if name not in params:
            problems.append(Problem(name, "parameter_missing", f"Missing required param: {name}."))
    _context_problems(params, coerced, ctx, problems)
    return coerced, problems


def _context_problems(
    params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
    problems: list[Problem],
) -> None:
    """Rules that need more than one value: confirm=true, card charges, the status.

    Appends to ``problems``; each rule is looked at only when its parameters are there,
    so a plain create or confirm pays nothing here.
    """
    operation = ctx.operation
    if (operation == "create" and not CONFIRM_ONLY_PARAMS.isdisjoint(params)
            and coerced.get("confirm") is not True):
        problems += [
            Problem(name, INVALID,
                    f"The {name} parameter can only be used with confirm=true; pass it when "
                    f"you confirm the PaymentIntent, or set confirm=true.")
            for name in params
            if name in CONFIRM_ONLY_PARAMS
        ]
    if coerced.get("statement_descriptor") and (
        ctx.payment_method_type == "card" or coerced.get("payment_method_types") == ["card"]
    ) and refuses_card_descriptor(ctx.api_version):
        problems.append(Problem(
            "statement_descriptor", INVALID,
            "The statement_descriptor parameter is not supported for the payment_method_type "
            "card. To override the statement descriptor on a card transaction, use "
            "statement_descriptor_suffix.",
        ))
    if operation == "update" and ctx.status is not None:
        accepted = _COERCERS[operation]
        for name in params:
            if not isinstance(name, str) or name not in accepted:
                continue
            allowed = RULES[name].updatable_in
            if ctx.status not in allowed:
                statuses = ", ".join(s.value for s in Status if s in allowed)
                problems.append(Problem(
                    name, "payment_intent_unexpected_state",
                    f"You cannot update {name} on a PaymentIntent with a status of "
                    f"{ctx.status.value}. {name} can only be updated when the status is one "
                    f"of: {statuses}.",
                ))


def check(
    operation: str = "create",
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
    **params: Any,
) -> list[Problem]:
    """Every problem a request would meet, in Stripe's order; ``[]`` when it is valid.

    Never raises for a bad value: a bad value is always a ``Problem``. On ``create``,
    ``currency=`` is the request's currency; on other operations it is the intent's
    currency (context for the amount's minimum). ``status=`` is the intent's status,
    which limits what ``update`` may change; ``payment_method_type`` says whether it is
    a card charge. An unknown operation or status is a programming error: ``ValueError``.

    >>> [p.code for p in check("update", status="succeeded", amount=2000, currency="usd")]
    ['payment_intent_unexpected_state']
    """
    if operation == "create" and currency is not None:
        params = {**params, "currency": currency}
    return _run(operation, params, api_version, status, currency, payment_method_type)[1]


def validate(
    operation: str,
    params: Mapping[str, Any],
    *,
    api_version: str | None = None,
    status: Status | str | None = None,
    currency: str | None = None,
    payment_method_type: str | None = None,
) -> dict[str, Any]:
    """The parameters as the API reads them, or ``InvalidRequestError`` for the first problem.

    ``currency=`` is the intent's currency (when ``params`` has none); the other context
    arguments are those of ``check``. A bad value raises only ``InvalidRequestError``.

    >>> validate("update", {"metadata": {"order": 42}})
    {'metadata': {'order': '42'}}
    """
    coerced, problems = _run(operation, params, api_version, status, currency,
                             payment_method_type)
    if problems:
        raise problems[0].to_error()
    return coerced
