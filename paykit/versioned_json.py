"""An object's JSON as an API version shows it, read from the version table.

paykit keeps every object in today's form. A sandbox on an older version, a request's
``Stripe-Version`` header or a webhook endpoint's ``api_version`` asks for another form:
``render`` undoes, newest first, what each later version changed
(``paykit.api_versions.ResponseChange``): it takes out the fields added since, puts back
the fields removed since (null, or the list of related objects that ``related``
supplies, itself rendered for the version), and gives renamed fields and status values
their earlier names. Nothing here knows a version by name: the table says it all.

>>> render({"id": "cus_1", "object": "customer", "balance": 0}, "2019-01-01")
{'id': 'cus_1', 'object': 'customer', 'account_balance': 0, 'default_currency': None, \
'sources': {'object': 'list', 'data': [], 'has_more': False, 'total_count': 0, \
'url': '/v1/customers/cus_1/sources'}, 'subscriptions': {'object': 'list', 'data': [], \
'has_more': False, 'total_count': 0, 'url': '/v1/customers/cus_1/subscriptions'}, \
'tax_ids': {'object': 'list', 'data': [], 'has_more': False, 'total_count': 0, \
'url': '/v1/customers/cus_1/tax_ids'}, 'tax_info': None, 'tax_info_verification': None}
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from paykit.api_versions import CHANGES, Before, ResponseChange, response_changes
from paykit.lifecycle import PAYMENT_INTENT
from paykit.machine import Machine

__all__ = ["Related", "render", "shape", "with_field"]

#: ``(object kind, object id, field)`` → today's JSON of each related object (newest
#: first) and the list's URL: what an older version embedded in ``field``.
Related = Callable[[str, str, str], tuple[list[dict[str, Any]], str]]

# Every object some version's JSON changes (the table says which).
_KINDS: tuple[str, ...] = tuple(sorted({response.object for change in CHANGES
                                        for response in change.responses}))
# The tables whose statuses have older names (``ResponseChange.status_aliases``).
_MACHINES: dict[str, Machine[Any, Any, Any]] = {"payment_intent": PAYMENT_INTENT}


def render(data: dict[str, Any], api_version: str | None,
           related: Related | None = None) -> dict[str, Any]:
    """``data`` (today's JSON of one object, or a list of them) as ``api_version`` shows
    it; ``data`` itself when the version (``None``: today's) changes nothing. Never
    changes ``data``."""
    if not api_version or not any(shape(api_version)):
        return data
    return _render(data, api_version, related)


def _render(data: dict[str, Any], api_version: str,
            related: Related | None) -> dict[str, Any]:
    """``render`` for a version that changes something: this object, and the objects
    nested in it (a list's items, ``last_payment_error.payment_method``, an expanded
    field), each a new dict only where something changed."""
    out = data
    for key, value in data.items():
        if key == "metadata":  # the user's own keys: an "object" there is just text
            continue
        new: dict[str, Any] | list[Any]
        if isinstance(value, dict):
            new = _render(value, api_version, related)
        elif key == "data" and isinstance(value, list):
            new = [_render(v, api_version, related) if isinstance(v, dict) else v
                   for v in value]
            if all(n is v for n, v in zip(new, value, strict=True)):
                continue
        else:
            continue
        if new is not value:
            if out is data:
                out = dict(data)
            out[key] = new
    kind = out.get("object")
    changes = response_changes(kind, api_version) if isinstance(kind, str) else ()
    if not changes or out.get("deleted"):  # a deleted object's stub has no version
        return out
    out = dict(out) if out is data else out
    for change in changes:
        out = _undo(change, out, api_version, related)
    return out


@cache
def shape(api_version: str | None) -> tuple[int, ...]:
    """What tells two versions' JSON apart: how many response changes each lacks, per
    object. Two versions with the same shape render every object alike."""
    return tuple(len(response_changes(kind, api_version)) for kind in _KINDS)


def with_field(data: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """``data`` with ``name`` added in the API's order (``id``, ``object``, then A-Z)."""
    out: dict[str, Any] = {}
    for position, (key, item) in enumerate(data.items()):
        if name not in out and position >= 2 and key > name:
            out[name] = value
        out[key] = item
    out.setdefault(name, value)
    return out


def _undo(change: ResponseChange, out: dict[str, Any], api_version: str | None,
          related: Related | None) -> dict[str, Any]:
    kind = out["object"]
    for path in change.added:
        out = _without(out, path.split("."))
    for name, before in change.removed:
        value = None if before is Before.NULL else _embedded(
            kind, out["id"], name, api_version, related)
        out = with_field({k: v for k, v in out.items() if k != name}, name, value)
    for earlier, later in change.renamed:
        if later in out:
            value = out[later]
            out = with_field({k: v for k, v in out.items() if k != later}, earlier, value)
    if change.status_aliases:
        out["status"] = _MACHINES[kind].show(out["status"], api_version)
    return out


def _without(data: dict[str, Any], path: list[str]) -> dict[str, Any]:
    """``data`` without the field at ``path`` (a new dict on the way down; nested values
    are shared, never changed)."""
    head = path[0]
    if len(path) == 1:
        return {k: v for k, v in data.items() if k != head} if head in data else data
    inner = data.get(head)
    if not isinstance(inner, dict):
        return data
    return {**data, head: _without(inner, path[1:])}


def _embedded(kind: str, object_id: str, name: str, api_version: str | None,
              related: Related | None) -> dict[str, Any]:
    """The list object an older version embedded: Stripe's list shape, with the count."""
    items: list[dict[str, Any]]
    if related is None:
        items, url = [], f"/v1/{kind}s/{object_id}/{name}"
    else:
        items, url = related(kind, object_id, name)
    return {"object": "list", "data": [render(item, api_version, related) for item in items],
            "has_more": False, "total_count": len(items), "url": url}
