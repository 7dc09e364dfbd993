"""Stripe's search query language, for the fields paykit stores.

``GET /v1/payment_intents/search?query=…`` (and charges) take a query such as
``status:'succeeded' AND metadata['order_id']:'6735'``
(https://docs.stripe.com/search#search-query-language): clauses joined by ``AND`` or by
``OR`` (not both in one query, at most 10 clauses), each ``field:value`` (exact match),
``-field:value`` (negation), ``field~'text'`` (substring, 3 characters at least), or a
comparison ``>``, ``<``, ``>=``, ``<=`` for numbers and ``created``. Strings are quoted
with ``'`` or ``"``. A field paykit does not search is Stripe's error naming it, not an
empty answer. Results come newest first; paykit's index is immediate (Stripe's "can be up
to an hour behind" has no counterpart in a sandbox).

>>> match = compile_query("status:'succeeded' AND amount>1000", SEARCHABLE["payment_intent"])
>>> match({"status": "succeeded", "amount": 1099, "metadata": {}})
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from paykit.errors import InvalidRequestError

__all__ = ["MAX_CLAUSES", "SEARCHABLE", "compile_query", "search_page"]

#: "You can combine up to 10 query clauses in a search"
MAX_CLAUSES = 10

#: The fields each object can be searched by in paykit: field -> kind
#: (``string``, ``number``, ``metadata``), a subset of Stripe's lists
#: (https://docs.stripe.com/search#query-fields-for-payment-intents).
SEARCHABLE: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "payment_intent": MappingProxyType({
        "amount": "number", "created": "number", "currency": "string",
        "customer": "string", "metadata": "metadata", "status": "string"}),
    "charge": MappingProxyType({
        "amount": "number", "created": "number", "currency": "string",
        "customer": "string", "metadata": "metadata", "payment_method_details.card.last4":
        "string", "status": "string", "payment_intent": "string"}),
})

_CLAUSE = re.compile(
    r"""\s*(?P<neg>-)?(?P<field>[a-z_][a-z0-9_.]*)(?:\[(?P<q1>['"])(?P<key>[^'"]*)(?P=q1)\])?"""
    r"""\s*(?P<op>>=|<=|:|~|>|<)\s*"""
    r"""(?:(?P<q2>['"])(?P<text>(?:\\.|(?!(?P=q2)).)*)(?P=q2)|(?P<number>-?\d+))\s*""")
_JOIN = re.compile(r"\s+(AND|OR)\s+")


def _refuse(message: str) -> InvalidRequestError:
    return InvalidRequestError(message, param="query")


def compile_query(query: Any, fields: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over an object's JSON that says whether ``query`` matches it."""
    if not isinstance(query, str) or not query.strip():
        raise InvalidRequestError("Missing required param: query.", code="parameter_missing",
                                  param="query")
    if len(query) > 5000:
        raise _refuse("Invalid query: must be at most 5000 characters.")
    parts = _JOIN.split(query.strip())
    clauses, joins = parts[::2], set(parts[1::2])
    if len(joins) > 1:
        raise _refuse("Invalid query: AND and OR cannot be used together in one query.")
    if len(clauses) > MAX_CLAUSES:
        raise _refuse(f"Invalid query: at most {MAX_CLAUSES} clauses can be combined.")
    tests = [_clause(text, fields) for text in clauses]
    if joins == {"OR"}:
        return lambda obj: any(test(obj) for test in tests)
    return lambda obj: all(test(obj) for test in tests)


def _clause(text: str, fields: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool]:
    found = _CLAUSE.fullmatch(text)
    if found is None:
        raise _refuse(f"Invalid query: could not parse {text.strip()[:80]!r}. A clause is "
                      "field:'value', -field:'value', field~'value' or field>number.")
    field, op, key = found["field"], found["op"], found["key"]
    kind = fields.get(field)
    if kind is None:
        raise _refuse(f"Invalid query: {field!r} is not a field paykit can search; one of "
                      f"{', '.join(sorted(fields))}.")
    if (kind == "metadata") != (key is not None):
        raise _refuse(f"Invalid query: {field} " + (
            "takes a key: metadata['key']:'value'." if kind == "metadata"
            else "takes no [key]."))
    number = int(found["number"]) if found["number"] is not None else None
    text_value = (re.sub(r"\\(.)", r"\1", found["text"]) if found["text"] is not None
                  else None)
    if op in (">", "<", ">=", "<="):
        if kind != "number" or number is None:
            raise _refuse(f"Invalid query: {field} cannot be compared with {op}; only numbers "
                          "and created can.")
        bound: int = number
        compare = {">": int.__gt__, "<": int.__lt__, ">=": int.__ge__, "<=": int.__le__}[op]

        def test(obj: Mapping[str, Any]) -> bool:
            value = _value(obj, field)
            return isinstance(value, int) and compare(value, bound)
    elif op == "~":
        if text_value is None or len(text_value) < 3:
            raise _refuse("Invalid query: a substring match (~) needs at least 3 characters.")
        part: str = text_value

        def test(obj: Mapping[str, Any]) -> bool:
            value = _value(obj, field, key)
            return isinstance(value, str) and part in value
    else:
        wanted: Any = number if number is not None else text_value
        if kind == "number" and isinstance(wanted, str) and wanted.lstrip("-").isdigit():
            wanted = int(wanted)

        def test(obj: Mapping[str, Any]) -> bool:
            return _value(obj, field, key) == wanted
    if found["neg"]:
        return lambda obj: not test(obj)
    return test


def _value(obj: Mapping[str, Any], field: str, key: str | None = None) -> Any:
    value: Any = obj
    for part in field.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if key is not None:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


_T = TypeVar("_T")


def search_page(candidates: Iterable[tuple[str, _T]]
                ) -> Callable[[Callable[[_T], bool], int | None, str | None],
                              tuple[list[_T], bool, str | None]]:
    """One page of a search over ``(id, object)`` pairs, newest first: the matches after
    the ``page`` cursor (``next_page`` of the previous page), at most ``limit``."""
    def page(match: Callable[[_T], bool], limit: int | None, cursor: str | None,
             ) -> tuple[list[_T], bool, str | None]:
        if cursor is not None and (not isinstance(cursor, str)
                                   or not cursor.startswith(_PAGE_PREFIX)):
            raise InvalidRequestError("Invalid page: use the next_page of a previous search.",
                                      param="page")
        after = None if cursor is None else cursor[len(_PAGE_PREFIX):]
        started = after is None
        chosen: list[_T] = []
        last_id = None
        for object_id, obj in candidates:
            if not started:
                started = object_id == after
                continue
            if not match(obj):
                continue
            if limit is not None and len(chosen) == limit:
                return chosen, True, f"{_PAGE_PREFIX}{last_id}"
            chosen.append(obj)
            last_id = object_id
        return chosen, False, None

    return page


#: ``next_page`` is opaque to callers; paykit's is the last id shown, marked.
_PAGE_PREFIX = "page_after_"
