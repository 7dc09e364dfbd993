"""Form bodies as the Stripe API reads them: ``metadata[order_id]=6735`` is a hash.

Stripe's v1 API takes ``application/x-www-form-urlencoded`` bodies (curl's ``-d``, every
official SDK) and query strings in the same encoding. Brackets build structure:

- ``metadata[order_id]=6735``              → ``{"metadata": {"order_id": "6735"}}``
- ``shipping[address][line1]=1 Main St``   → nested hashes, as deep as ``MAX_DEPTH``
- ``payment_method_types[]=card``          → ``["card"]`` (curl's habit)
- ``payment_method_types[0]=card``         → ``{"0": "card"}`` (the SDKs' habit)

Indexed keys stay a hash of digit keys, because ``metadata[0]=x`` is a metadata key
``"0"``, not a list: whoever knows the parameter is an array reads it as one
(``paykit.params.coercion.as_list``). Values stay strings; ``paykit.params.coercion``
reads ``"1099"`` and ``"true"``, for HTTP and the Python API alike. A repeated plain key
keeps its last value, as Stripe (Rack) does.

``encode`` and ``form_pairs`` write what an SDK sends: the one form encoder, also used
by the widgets to show a request as curl.

Anything that cannot be read this way is an ``InvalidRequestError`` without a ``code``,
like the API's answer to a broken body.

>>> decode("amount=1099&metadata[order_id]=6735&payment_method_types[]=card")
{'amount': '1099', 'metadata': {'order_id': '6735'}, 'payment_method_types': ['card']}
>>> encode({"amount": 1099, "payment_method_types": ["card"], "confirm": True})
'amount=1099&payment_method_types[0]=card&confirm=true'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

from paykit.errors import InvalidRequestError

__all__ = ["FORM_CONTENT_TYPE", "MAX_DEPTH", "MAX_FIELDS", "decode", "encode", "form_pairs"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
#: paykit's limits (Stripe's are not published): deeper or longer bodies are refused.
MAX_DEPTH = 8
MAX_FIELDS = 1_000

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_BAD_BODY = (
    "Invalid request (check that your POST content type is "
    "application/x-www-form-urlencoded and that the body is UTF-8): {why}"
)


def _refuse(why: str, param: str | None = None) -> InvalidRequestError:
    """The body (or query) cannot be read at all."""
    return InvalidRequestError(_BAD_BODY.format(why=why), param=param)


def _shape(why: str, param: str) -> InvalidRequestError:
    """The body reads, but its names contradict each other."""
    return InvalidRequestError(f"Invalid parameters: {why}", param=param)


def decode(body: bytes | str) -> dict[str, Any]:
    """The parameters of a form body or query string, as nested dicts, lists and strings."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse("the body is not valid UTF-8") from None
    if not body:
        return {}
    try:
        pairs = parse_qsl(body, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise _refuse("a percent-encoded value is not UTF-8") from None
    except ValueError:
        raise _refuse(f"more than {MAX_FIELDS} parameters") from None
    params: dict[str, Any] = {}
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            raise _refuse("NUL characters are not allowed", param=name[:100])
        _insert(params, name, value)
    return params


def _insert(params: dict[str, Any], name: str, value: str) -> None:
    """Put one ``a[b][]=v`` pair into the tree, refusing shapes that contradict it."""
    if name and "[" not in name and "]" not in name:  # a plain name: most parameters
        if isinstance(params.get(name), dict | list):
            raise _shape(f"{name[:100]!r} is given both as a value and as a hash or array",
                         name[:100])
        params[name] = value
        return
    match = _NAME.fullmatch(name)
    if match is None:
        raise _shape(f"invalid parameter name {name[:100]!r}", name[:100])
    segments = _SEGMENT.findall(match[2])
    if len(segments) > MAX_DEPTH:
        raise _shape(f"{name[:100]!r} is nested more than {MAX_DEPTH} levels deep",
                     name[:100])
    node: dict[str, Any] = params
    key = match[1]
    shown = key
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment == "":
            if index != last:
                raise _shape(f"{name[:100]!r}: an array written with [] can only hold "
                             f"values; index it instead (a[0][b]=...)", shown)
            items = node.setdefault(key, [])
            if not isinstance(items, list):
                raise _shape(f"{shown!r} is given both as an array and otherwise", shown)
            items.append(value)
            return
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise _shape(f"{shown!r} is given both as a hash and otherwise", shown)
        node = child
        key = segment
        shown = f"{shown}[{segment}]"
    if isinstance(node.get(key), dict | list):
        raise _shape(f"{shown!r} is given both as a value and as a hash or array", shown)
    node[key] = value


def form_pairs(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The form body as ``(name, value)`` pairs, not yet percent-encoded, as an SDK
    writes them: hashes as ``a[b]``, arrays indexed (``a[0]``), booleans as
    ``true``/``false`` (stripe-python's ``_api_encode``), ``None`` left out.

    >>> form_pairs({"metadata": {"order_id": "6735"}, "payment_method_types": ["card"]})
    [('metadata[order_id]', '6735'), ('payment_method_types[0]', 'card')]
    """
    return list(_flatten(params, ""))


def encode(params: Mapping[str, Any]) -> str:
    """The form body an SDK sends for ``params`` (``form_pairs``, percent-encoded).

    Brackets stay readable.
    """
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in _flatten(params, ""))


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, str]]:
    items: Any
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        raise TypeError(f"cannot form-encode {type(value).__name__} at the top level")
    for key, item in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if item is None:
            continue
        if isinstance(item, Mapping | list | tuple):
            yield from _flatten(item, name)
        elif isinstance(item, bool):
            yield name, "true" if item else "false"
        else:
            yield name, str(item)


def _quote(text: str) -> str:
    return quote(text, safe="[]")
