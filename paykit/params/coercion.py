"""Coercion: ONE set of functions that turn form text and Python values into typed values.

What the API receives is form-encoded text (curl, every official SDK:
https://docs.stripe.com/api "accepts form-encoded request bodies"), so a value is read
the way the API reads that text: ``"1099"`` is the integer 1099, ``"true"`` is ``True``,
``{"0": "card"}`` is ``["card"]``, metadata values are strings. A Python value means
what the SDK would send for it: ``True`` is sent as ``true``, ``1099`` as ``1099``. The
Python API (``paykit.Sandbox``), the HTTP surface (``paykit.http``) and the widgets all
go through these functions, so one value means the same thing everywhere, and a value
refused in one is refused in all, with the same error naming the same parameter.

There is one coercion per ``Kind`` of the rule table (``COERCERS``); each answers
``(value, problems)`` and never raises. Object parameters are coerced key by key, by
the keys the table lists (``automatic_payment_methods[enabled]`` is a boolean).
``boolean`` and ``integer`` raise the API's error instead, for the few parameters
outside the table (list filters, test helpers).

>>> from paykit.params.rules import RULES
>>> coerce(RULES["confirm"], "True")
(True, ())
>>> coerce(RULES["automatic_payment_methods"], {"enabled": "false"})
({'enabled': False}, ())
>>> coerce(RULES["confirm"], "yes")[1][0].message
'Invalid boolean: yes'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, NamedTuple

from paykit import currencies
from paykit.lifecycle import Status
from paykit.params.metadata import metadata_problems, metadata_value
from paykit.params.problems import INVALID, Problem, empty_string, one_of, show_value
from paykit.params.rules import Field, Kind, ParamRule
from paykit.params.statement_descriptors import descriptor_problems

__all__ = [
    "BOOLEAN_TEXT",
    "COERCERS",
    "NO_CONTEXT",
    "Coercer",
    "Context",
    "Result",
    "as_list",
    "boolean",
    "coerce",
    "integer",
    "new_context",
]

#: How the API reads a boolean sent as text. Stripe documents booleans as ``true`` /
#: ``false`` (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-confirm),
#: and its SDK maintainers say the v1 API also accepts the capitalised ``True`` /
#: ``False`` that .NET and older stripe-python releases send
#: (https://github.com/stripe/stripe-dotnet/pull/3104). Anything else is refused with
#: "Invalid boolean: …": ``1`` (https://github.com/cartalyst/stripe/issues/218) and
#: ``YES`` (https://github.com/jcberquist/stripe-cfml/issues/49, which also shows that
#: the error names the nested parameter, ``automatic_payment_methods[enabled]``). Other
#: spellings (``TRUE``, ``yes``, ``on``…) are documented nowhere, so paykit refuses them.
BOOLEAN_TEXT: Mapping[str, bool] = {"true": True, "false": False, "True": True,
                                    "False": False}

_DIGITS = re.compile(r"-?[0-9]{1,30}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://?\S+")
_INT64_MAX = 2**63 - 1

#: What a coercion answers: the typed value (``None`` if refused) and the problems.
Result = tuple[Any, "list[Problem] | tuple[()]"]
#: "No problem": one shared empty tuple, not a new list per accepted value.
_OK: tuple[()] = ()


class Context(NamedTuple):
    """What the rules need besides the value: the intent and the API version.

    A named tuple, built with ``new_context`` (no keyword handling): one is made per
    request, on the engine's hot path, and nothing changes it after.
    """

    operation: str
    api_version: str | None
    status: Status | None
    charge_currency: currencies.Currency | None
    payment_method_type: str | None


#: ``new_context((operation, api_version, status, charge_currency, payment_method_type))``
new_context = partial(tuple.__new__, Context)
#: A value read on its own: no operation, no intent around it.
NO_CONTEXT: Context = new_context(("", None, None, None, None))

#: One coercion: ``(rule or key, value, context) -> (value, problems)``.
Coercer = Callable[[ParamRule | Field, object, Context], Result]


def _integer(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    if type(value) is int and 0 <= value <= _INT64_MAX and value >= (rule.minimum or 0):
        return value, _OK  # the common case, decided without the checks below
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None, [Problem(rule.name, "parameter_invalid_integer",
                              f"Invalid integer: {show_value(value)}")]
    if abs(number) > _INT64_MAX:
        return None, [Problem(rule.name, "parameter_invalid_integer",
                              f"Invalid integer: {show_value(value)}")]
    minimum = rule.minimum or 0
    if number < minimum:
        wanted = {0: "non-negative integer", 1: "positive integer"}.get(
            minimum, f"integer (at least {minimum})"
        )
        return None, [Problem(rule.name, "parameter_invalid_integer", f"Invalid {wanted}")]
    return number, _OK


def _amount(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    number, problems = _integer(rule, value, ctx)
    if problems:
        return None, problems
    currency = ctx.charge_currency
    maximum = currency.maximum_amount if currency else currencies.MAXIMUM_AMOUNT
    if number > maximum:
        shown = (currencies.format_amount(maximum, currency.code, grouping=True)
                 if currency else str(maximum))
        return None, [Problem(rule.name, "amount_too_large",
                              f"Amount must be no more than {shown}")]
    if currency is None:  # update of amount alone, without the intent's currency
        return number, _OK
    if number < currency.minimum_amount:
        minimum = currencies.describe_amount(currency.minimum_amount, currency.code)
        return None, [Problem(rule.name, "amount_too_small",
                              f"Amount must be at least {minimum}")]
    step = currency.must_be_multiple_of
    if number % step:
        why = ("it is a three-decimal currency: the last digit must be 0"
               if currency.exponent == 3 else
               "it is zero-decimal but sent as a two-decimal value ending in 00")
        lower = number - number % step
        return None, [Problem(
            rule.name, "invalid_charge_amount",
            f"Invalid amount {number} for {currency.code}: amounts in {currency.code} must "
            f"be a multiple of {step} ({why}); for example {lower} or {lower + step}.",
        )]
    return number, _OK


def _boolean(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    if value is True or value is False:
        return value, _OK
    if isinstance(value, str):
        parsed = BOOLEAN_TEXT.get(value)
        if parsed is not None:
            return parsed, _OK
        if value in rule.enum:
            return value, _OK
    if rule.enum:
        return None, [Problem(rule.name, INVALID,
                              f"Invalid {rule.name}: must be a boolean or one of "
                              f"{one_of(rule.enum)}")]
    return None, [Problem(rule.name, INVALID, f"Invalid boolean: {show_value(value)}")]


def _enum(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    if isinstance(value, str) and value in rule.enum:
        return value, _OK
    return None, [Problem(rule.name, INVALID,
                          f"Invalid {rule.name}: must be one of {one_of(rule.enum)}")]


def _currency(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    if currencies.get(value) is not None:
        return value, _OK
    return None, [Problem(
        rule.name, INVALID,
        f"Invalid currency: {show_value(value)}. Stripe currently supports these "
        f"currencies: {', '.join(currencies.SUPPORTED_CODES)}",
    )]


def _string(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    if not isinstance(value, str):
        return None, [Problem(rule.name, INVALID, f"Invalid string: {show_value(value)}")]
    if rule.max_length is not None and len(value) > rule.max_length:
        return None, [Problem(rule.name, INVALID,
                              f"Invalid string: {show_value(value, 40)}; must be at most "
                              f"{rule.max_length} characters")]
    return value, _OK


def _email(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    text, problems = _string(rule, value, ctx)
    if not problems and not _EMAIL.fullmatch(text):
        problems = [Problem(rule.name, "email_invalid",
                            f"Invalid email address: {show_value(text)}")]
    return (None if problems else text), problems


def _url(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    text, problems = _string(rule, value, ctx)
    if not problems and not _URL.fullmatch(text):
        problems = [Problem(rule.name, "url_invalid",
                            f"Not a valid URL: {show_value(text)}. Use an absolute URL such "
                            f"as https://example.com/return, or an app URI scheme.")]
    return (None if problems else text), problems


def _descriptor(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    problems = descriptor_problems(value, rule.name)
    return (None if problems else value), problems


def _object(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    """A hash, its listed keys coerced by their own kind; other keys kept as given."""
    if not isinstance(value, Mapping):
        return None, [Problem(rule.name, INVALID, f"Invalid object: {show_value(value)}")]
    fields = rule.fields
    if not fields:
        bad = _not_json(value, rule.name)
        return (None, [bad]) if bad else (dict(value), _OK)
    coerced: dict[Any, Any] = {}
    problems: list[Problem] = []
    for key, item in value.items():
        spec = fields.get(key) if isinstance(key, str) else None
        if spec is None:
            bad = _not_json(item, f"{rule.name}[{show_value(key, 40)}]", key)
            if bad:
                problems.append(bad)
            coerced[key] = item
        elif isinstance(item, str) and item == "":
            if spec.unsettable:
                coerced[key] = ""
            else:
                problems.append(empty_string(spec.name))
        else:
            result, found = COERCERS[spec.kind](spec, item, ctx)
            if found:
                problems.extend(found)
            else:
                coerced[key] = result
    return (None, problems) if problems else (coerced, _OK)


def _not_json(value: object, name: str, key: object = "") -> Problem | None:
    """A value kept as given must still be what a form or JSON can carry: text keys,
    strings, numbers, booleans, null, arrays and hashes of them (a ``Decimal`` or an
    arbitrary object is refused, naming where it is, rather than stored half-way)."""
    if not isinstance(key, str):
        return Problem(name, INVALID, f"Invalid hash key: {show_value(key)}")
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else Problem(
            name, INVALID, f"Invalid number: {show_value(value)}")
    if isinstance(value, list | tuple):
        return next((p for i, item in enumerate(value)
                     if (p := _not_json(item, f"{name}[{i}]")) is not None), None)
    if isinstance(value, Mapping):
        return next((p for k, item in value.items()
                     if (p := _not_json(item, f"{name}[{show_value(k, 40)}]", k)) is not None),
                    None)
    return Problem(name, INVALID, f"Invalid value: {show_value(value)}")


def as_list(value: object) -> list[Any] | None:
    """An array's items: a list (or tuple), or a form-decoded ``{"0": "card", "1": …}``;
    ``None`` when ``value`` is no array.

    >>> as_list({"1": "sepa_debit", "0": "card"}), as_list("card")
    (['card', 'sepa_debit'], None)
    """
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        keys = list(value)
        if all(isinstance(k, str) and k.isascii() and k.isdigit() for k in keys):
            return [value[k] for k in sorted(keys, key=int)]
    return None


def _array(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    items = as_list(value)
    if items is None:
        return None, [Problem(rule.name, INVALID, f"Invalid array: {show_value(value)}")]
    if not items:
        return None, [empty_string(rule.name)]
    for item in items:
        if not isinstance(item, str) or item == "" or (
            rule.max_length is not None and len(item) > rule.max_length
        ):
            return None, [Problem(rule.name, INVALID,
                                  f"Invalid array: {show_value(value)}; every item must be "
                                  f"a non-empty string")]
        if rule.enum and item not in rule.enum:
            return None, [Problem(
                rule.name, INVALID,
                f'The payment method type "{show_value(item)}" is invalid. See '
                f"https://stripe.com/docs/api/payment_intents/create#create_payment_intent-"
                f"payment_method_types for the full list of supported payment method types.",
            )]
    return items, _OK


def _metadata(rule: ParamRule | Field, value: object, ctx: Context) -> Result:
    problems = metadata_problems(value, param=rule.name)
    if problems:
        return None, problems
    assert isinstance(value, Mapping)
    return {key: metadata_value(item) for key, item in value.items()}, _OK


COERCERS: dict[Kind, Coercer] = {
    Kind.INTEGER: _integer,
    Kind.AMOUNT: _amount,
    Kind.BOOLEAN: _boolean,
    Kind.STRING: _string,
    Kind.EMAIL: _email,
    Kind.URL: _url,
    Kind.ENUM: _enum,
    Kind.CURRENCY: _currency,
    Kind.STATEMENT_DESCRIPTOR: _descriptor,
    Kind.OBJECT: _object,
    Kind.ARRAY: _array,
    Kind.METADATA: _metadata,
}
assert set(COERCERS) == set(Kind), "every kind needs a coercion"


def coerce(rule: ParamRule | Field, value: object, ctx: Context = NO_CONTEXT) -> Result:
    """``value`` read as ``rule`` (a row of ``RULES``, or one of its keys) reads it.

    ``""`` is left to the caller: whether it unsets depends on the operation.
    """
    return COERCERS[rule.kind](rule, value, ctx)


def _raising(rule: Field, value: object) -> Any:
    result, problems = COERCERS[rule.kind](rule, value, NO_CONTEXT)
    if problems:
        raise problems[0].to_error()
    return result


def boolean(value: object, param: str) -> bool:
    """``value`` as the API reads a boolean, or its ``InvalidRequestError`` naming ``param``.

    >>> boolean("false", "success"), boolean(True, "success")
    (False, True)
    """
    result: bool = _raising(Field(Kind.BOOLEAN, name=param), value)
    return result


def integer(value: object, param: str, *, minimum: int = 0) -> int:
    """``value`` as the API reads an integer (at least ``minimum``), or its
    ``InvalidRequestError`` naming ``param``.

    >>> integer("1700000000", "created[gte]")
    1700000000
    """
    result: int = _raising(Field(Kind.INTEGER, minimum=minimum, name=param), value)
    return result
