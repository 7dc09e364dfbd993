"""The rules Stripe applies across parameters, as one table: ``CROSS_RULES``.

A parameter's own rule (its kind, enum, limits) is a row of ``RULES``; some rules need two
values, or a value and the intent: ``confirm``-only parameters on create, a card payment's
``statement_descriptor``, a Connect fee above the amount, what an update may still change
in the intent's status. Each row says when it is looked at (``triggers``: one of these
parameters is given, on one of ``operations``), what it checks, and where Stripe says
so. ``cross_problems`` runs the rows; a plain create or confirm gives none of the
triggers and pays one set test per row.

>>> [rule.name for rule in CROSS_RULES][:2]
['confirm_only', 'application_fee_within_amount']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from paykit.lifecycle import Status
from paykit.params.coercion import Context
from paykit.params.problems import INVALID, Problem
from paykit.params.rules import CONFIRM_ONLY_PARAMS, OPERATIONS, RULES
from paykit.params.statement_descriptors import refuses_card_descriptor
from paykit.payment_methods import compatible_types

__all__ = ["CROSS_RULES", "CrossRule", "cross_problems", "type_choice_problems"]

#: ``check(params, coerced, ctx, now)``: the problems of one rule.
_Check = Callable[[Mapping[Any, Any], Mapping[str, Any], Context, "int | None"], list[Problem]]


@dataclass(frozen=True, slots=True)
class CrossRule:
    """A rule over several values: when it is looked at, what it checks, its source."""

    name: str
    triggers: frozenset[str]
    operations: tuple[str, ...]
    check: _Check
    doc: str
    url: str


def _confirm_only(params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
                  now: int | None) -> list[Problem]:
    if coerced.get("confirm") is True:
        return []
    return [Problem(name, INVALID,
                    f"The {name} parameter can only be used with confirm=true; pass it when "
                    f"you confirm the PaymentIntent, or set confirm=true.")
            for name in params if name in CONFIRM_ONLY_PARAMS]


def _fee_within_amount(params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
                       now: int | None) -> list[Problem]:
    fee, amount = coerced.get("application_fee_amount"), coerced.get("amount")
    if not (isinstance(fee, int) and isinstance(amount, int) and fee > amount):
        return []
    # the wording is paykit's: Stripe's message for it is not published
    return [Problem("application_fee_amount", INVALID,
                    f"The application_fee_amount ({fee}) cannot be greater than the amount "
                    f"({amount}) of the PaymentIntent.")]


def _card_descriptor(params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
                     now: int | None) -> list[Problem]:
    types = coerced.get("payment_method_types") or coerced.get("allowed_payment_method_types")
    card = ctx.payment_method_type == "card" or types == ["card"]
    if not (coerced.get("statement_descriptor") and card and refuses_card_descriptor(now)):
        return []
    return [Problem(
        "statement_descriptor", INVALID,
        "The statement_descriptor parameter is not supported for the payment_method_type "
        "card. To override the statement descriptor on a card transaction, use "
        "statement_descriptor_suffix.")]


def _types_together(params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
                    now: int | None) -> list[Problem]:
    currency = ctx.charge_currency
    return type_choice_problems(params, coerced, currency.code if currency else None)


def type_choice_problems(params: Mapping[Any, Any], coerced: Mapping[str, Any],
                         currency: str | None) -> list[Problem]:
    """allowed_payment_method_types stands alone, excluded_ goes with automatic payment
    methods only, and the allowed types must leave one that can pay in ``currency`` (a
    PaymentIntent's; a SetupIntent has none). Stripe documents the rules, not the
    messages: the wording is paykit's."""
    found = []
    allowed = coerced.get("allowed_payment_method_types")
    if "allowed_payment_method_types" in params:
        others = [name for name in _TYPE_CHOICES if name in params]
        if others:
            found.append(Problem(
                "allowed_payment_method_types", INVALID,
                f"You cannot pass allowed_payment_method_types together with "
                f"{' or '.join(others)}: it replaces them."))
        elif allowed and currency is not None and not compatible_types(allowed, currency):
            found.append(Problem(
                "allowed_payment_method_types", INVALID,
                f"None of the allowed_payment_method_types ({', '.join(allowed)}) can "
                f"pay in {currency}."))
    if "excluded_payment_method_types" in params and "payment_method_types" in params:
        found.append(Problem(
            "excluded_payment_method_types", INVALID,
            "You cannot pass excluded_payment_method_types together with "
            "payment_method_types: it narrows the automatic payment methods."))
    return found


# What allowed_payment_method_types cannot be combined with (payment_method_configuration
# is not modelled: paykit refuses it as unknown).
_TYPE_CHOICES = ("payment_method_types", "excluded_payment_method_types",
                 "automatic_payment_methods")


def _updatable_in_status(params: Mapping[Any, Any], coerced: Mapping[str, Any],
                         ctx: Context, now: int | None) -> list[Problem]:
    status = ctx.status
    if status is None:
        return []
    found = []
    for name in params:
        rule = RULES.get(name) if isinstance(name, str) else None
        if rule is None or "update" not in rule.operations or status in rule.updatable_in:
            continue
        statuses = ", ".join(s.value for s in Status if s in rule.updatable_in)
        found.append(Problem(
            name, "payment_intent_unexpected_state",
            f"You cannot update {name} on a PaymentIntent with a status of {status.value}. "
            f"{name} can only be updated when the status is one of: {statuses}."))
    return found


_API = "https://docs.stripe.com/api/payment_intents"

#: Every rule across parameters, in the order their problems are reported.
CROSS_RULES: tuple[CrossRule, ...] = (
    CrossRule("confirm_only", CONFIRM_ONLY_PARAMS, ("create",), _confirm_only,
              "return_url, off_session, mandate_data, … only with confirm=true",
              f"{_API}/create#create_payment_intent-return_url"),
    CrossRule("application_fee_within_amount", frozenset({"application_fee_amount"}),
              ("create", "update"), _fee_within_amount,
              "the platform's fee comes out of the payment: at most the amount",
              "https://docs.stripe.com/connect/direct-charges#collect-fees"),
    CrossRule("card_statement_descriptor", frozenset({"statement_descriptor"}), OPERATIONS,
              _card_descriptor,
              "statement_descriptor is refused on card payments since 2024-01-02 (the "
              "sandbox clock decides)",
              f"{_API}/create#create_payment_intent-statement_descriptor"),
    CrossRule("payment_method_types_together",
              frozenset({"allowed_payment_method_types", "excluded_payment_method_types"}),
              ("create", "update", "confirm"), _types_together,
              "allowed_payment_method_types replaces payment_method_types, "
              "excluded_payment_method_types and automatic_payment_methods; it keeps the "
              "types that suit the intent",
              "https://docs.stripe.com/changelog/dahlia/2026-07-29/"
              "allowed-payment-method-types-parameter"),
    CrossRule("updatable_in_status", frozenset(RULES), ("update",), _updatable_in_status,
              "what an update may still change in the intent's status (paykit's reading: "
              "the payment's terms until it is under way)", f"{_API}/update"),
)

_BY_OPERATION: Mapping[str, tuple[CrossRule, ...]] = {
    operation: tuple(rule for rule in CROSS_RULES if operation in rule.operations)
    for operation in OPERATIONS
}


def cross_problems(params: Mapping[Any, Any], coerced: Mapping[str, Any], ctx: Context,
                   problems: list[Problem], now: int | None = None) -> None:
    """Append the problems of every rule whose triggers the request gives."""
    for rule in _BY_OPERATION.get(ctx.operation, ()):
        if not rule.triggers.isdisjoint(params):
            problems += rule.check(params, coerced, ctx, now)
