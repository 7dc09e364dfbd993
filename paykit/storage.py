"""How the engine stores objects: the one module that knows the compact encoding.

The rest of paykit reads and writes objects by field name (``IntentRecord.get`` /
``put``, ``charge_field`` / ``charge_with`` / ``pack_charge``) and gets JSON back from
``payment_intent_json`` / ``charge_json``; only this module knows that nested values are
JSON text and that a charge is a tuple of values in ``CHARGE_FIELDS`` order.

Why the encoding, and what each part buys (``benchmarks/ab.py``, same machine):

- **Nested values as JSON text.** The engine keeps every snapshot an event shows, as
  a tuple of field values. CPython's cyclic garbage collector stops tracking an exact
  ``tuple`` or ``dict`` that holds only strings, numbers and ``None``; one nested dict
  keeps it tracked for good, and every collection walks all of it again. Storing the
  JSON objects and arrays (``metadata``, ``payment_method_options``, a charge's
  ``outcome``...) as text took create + confirm from about 18,500 to 21,500 intents/s
  and memory from 322 to 310 MiB per 100k intents. Text is immutable, which also
  settles sharing: a charge copies its intent's metadata "when the charge is created"
  by holding the same text.
- **Charges as plain tuples** (not a ``NamedTuple`` or a class: only an exact tuple is
  ever untracked by the collector), built from a template by position.
- **Compact JSON spliced from the stored text** (``payment_intent_json_text``): the
  in-process SDK's responses, three times faster to encode than a parse + dump.

>>> text = freeze({"order_id": "6735"})
>>> text
'{"order_id":"6735"}'
>>> thaw(text)
{'order_id': '6735'}
>>> freeze(None) is None
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

__all__ = [
    "CHARGE_FIELDS",
    "CHARGE_JSON_FIELDS",
    "CHARGE_NESTED_FIELDS",
    "EMPTY_OBJECT",
    "PAYMENT_INTENT_FIELDS",
    "PAYMENT_INTENT_NESTED_FIELDS",
    "StoredCharge",
    "charge_builder",
    "charge_field",
    "charge_json",
    "charge_template",
    "charge_with",
    "freeze",
    "load",
    "pack_charge",
    "payment_intent_json",
    "payment_intent_json_text",
    "shared",
    "store",
    "store_fields",
    "stored_fields",
    "thaw",
]

# -- the fields of each object, as the API prints them -----------------------------------
# Field lists follow the OpenAPI schemas (https://github.com/stripe/openapi), ``id`` and
# ``object`` first and the rest in alphabetical order, as the API prints them: the fields
# of today's API version; older versions add theirs back when rendered
# (``paykit.objects.render``, read from ``paykit.api_versions``).

PAYMENT_INTENT_FIELDS: tuple[str, ...] = (
    "id", "object", "allowed_payment_method_types", "amount", "amount_capturable",
    "amount_details", "amount_received", "application", "application_fee_amount",
    "automatic_payment_methods", "canceled_at", "cancellation_reason", "capture_method",
    "client_secret", "confirmation_method", "created", "currency", "customer",
    "customer_account", "description", "excluded_payment_method_types",
    "last_payment_error", "latest_charge", "livemode", "metadata", "next_action",
    "on_behalf_of", "payment_method", "payment_method_options", "payment_method_types",
    "payment_record", "processing", "receipt_email", "review", "setup_future_usage",
    "shipping", "statement_descriptor", "statement_descriptor_suffix", "status",
    "transfer_data", "transfer_group",
)

CHARGE_FIELDS: tuple[str, ...] = (
    "id", "object", "amount", "amount_captured", "amount_refunded", "application",
    "application_fee", "application_fee_amount", "balance_transaction", "billing_details",
    "calculated_statement_descriptor", "captured", "created", "currency", "customer",
    "description", "disputed", "failure_balance_transaction", "failure_code",
    "failure_message", "fraud_details", "livemode", "metadata", "on_behalf_of",
    "outcome", "paid", "payment_intent", "payment_method", "payment_method_details",
    "radar_options", "receipt_email", "receipt_number", "receipt_url", "refunded",
    "refunds", "review", "shipping", "source_transfer", "statement_descriptor",
    "statement_descriptor_suffix", "status", "transfer", "transfer_data", "transfer_group",
)

#: A charge's fields as the API shows them (``charge_json``) when it has no transfer.
CHARGE_JSON_FIELDS: tuple[str, ...] = tuple(
    name for name in CHARGE_FIELDS if name not in ("refunds", "transfer"))

# The fields whose value is a JSON object or array (never an id): stored as JSON text.
PAYMENT_INTENT_NESTED_FIELDS: tuple[str, ...] = (
    "allowed_payment_method_types", "amount_details", "automatic_payment_methods",
    "excluded_payment_method_types", "last_payment_error", "metadata",
    "next_action", "payment_method_options", "payment_method_types", "processing",
    "shipping", "transfer_data",
)
CHARGE_NESTED_FIELDS: tuple[str, ...] = (
    "billing_details", "fraud_details", "metadata", "outcome", "payment_method_details",
    "radar_options", "refunds", "shipping", "transfer_data",
)

# -- nested values as text -------------------------------------------------------------------

# ASCII-only, like the API's own JSON: stored text can be spliced into a response as is.
_encode = json.JSONEncoder(separators=(",", ":")).encode


def freeze(value: Any) -> str | None:
    """A nested JSON value as stored text; ``None`` (JSON null) stays ``None``."""
    return None if value is None else _encode(value)


@lru_cache(maxsize=4096)
def thaw(text: str) -> Any:
    """The JSON value of stored text.

    Shared between callers (the same few option and outcome texts come back on every
    response): read it, never change it. Objects handed to users copy on ``to_dict()``.
    """
    return json.loads(text)


#: ``{}``: empty metadata, and the other empty objects of the API.
EMPTY_OBJECT = "{}"

# -- intents: a dict of field values by name --------------------------------------------------

_INTENT_NESTED = frozenset(PAYMENT_INTENT_NESTED_FIELDS)


def store(data: dict[str, Any], name: str, value: Any) -> None:
    """Set field ``name`` of a stored intent to the JSON value ``value`` (or to a
    ``shared`` value: no nested field's JSON value is ever a string)."""
    data[name] = (_encode(value) if name in _INTENT_NESTED and value is not None
                  and type(value) is not str else value)


def store_fields(data: dict[str, Any], values: Mapping[str, Any],
                 names: frozenset[str]) -> None:
    """``store`` every field of ``values`` that ``names`` holds, in one call (a create
    sets a dozen fields: one call instead of one per field, on the engine's hot path)."""
    nested = _INTENT_NESTED
    for name, value in values.items():
        if name in names:
            data[name] = (_encode(value) if name in nested and value is not None
                          and type(value) is not str else value)


def load(data: Mapping[str, Any], name: str) -> Any:
    """Field ``name`` of a stored intent as a JSON value (shared: read, never change)."""
    value = data[name]
    return thaw(value) if name in _INTENT_NESTED and value is not None else value


# -- charges: a plain tuple of values in CHARGE_FIELDS order -----------------------------------

#: A stored charge: its values in ``CHARGE_FIELDS`` order, nested ones as text.
StoredCharge = tuple[Any, ...]

_CHARGE_POSITION = {name: index for index, name in enumerate(CHARGE_FIELDS)}
_CHARGE_NESTED = frozenset(CHARGE_NESTED_FIELDS)


def shared(value: Any) -> str | None:
    """A nested value stored once and shared by many objects (a card's details, an
    outcome): pass what this returns wherever a JSON value is expected. Cache it."""
    return freeze(value)


def pack_charge(template: StoredCharge, fields: Mapping[str, Any]) -> StoredCharge:
    """A stored charge: ``template`` with ``fields`` set (JSON values, by name; a
    nested field may also take a ``shared`` value, or an intent's stored value of the
    same field as ``IntentRecord.stored`` gives it)."""
    values = list(template)
    position, nested = _CHARGE_POSITION, _CHARGE_NESTED
    for name, value in fields.items():
        values[position[name]] = (_encode(value) if name in nested and value is not None
                                  and type(value) is not str else value)
    return tuple(values)


def charge_template(fields: Mapping[str, Any]) -> StoredCharge:
    """Every field null but ``fields``: what new charges start from."""
    return pack_charge((None,) * len(CHARGE_FIELDS), fields)


def charge_builder(template: StoredCharge, names: tuple[str, ...]
                   ) -> Callable[..., StoredCharge]:
    """A fast constructor, once per payment attempt: ``build(*values)`` is ``template``
    with ``names`` set to ``values``, given *as stored* (plain values, ``shared``
    values, or another stored object's values of the same fields).

    The tuple is picked in one C call from ``values + template`` (3x faster than
    setting 24 positions one by one, measured)."""
    given = {name: index for index, name in enumerate(names)}
    pick = itemgetter(*(given.get(name, len(names) + position)
                        for position, name in enumerate(CHARGE_FIELDS)))

    def build(*values: Any) -> StoredCharge:
        return pick(values + template)

    return build


def stored_fields(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A reader of several fields of a stored intent, as stored (for a charge to copy)."""
    return itemgetter(*names)


def charge_field(charge: StoredCharge, name: str) -> Any:
    """Field ``name`` of a stored charge as a JSON value (shared: read, never change)."""
    value = charge[_CHARGE_POSITION[name]]
    return thaw(value) if name in _CHARGE_NESTED and value is not None else value


def charge_with(charge: StoredCharge, **changes: Any) -> StoredCharge:
    """A stored charge with some fields changed (the old tuple stays as events saw it)."""
    for name in changes:
        if name not in _CHARGE_POSITION:
            raise KeyError(f"a charge has no field {name!r}")
    return pack_charge(charge, changes)


# -- rendering: stored values -> the API's JSON ------------------------------------------------

def _thawed(data: dict[str, Any], nested: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with its stored JSON text turned back into JSON objects and arrays."""
    for name in nested:
        text = data[name]
        if text is not None:
            data[name] = thaw(text)
    return data


def payment_intent_json(values: tuple[Any, ...]) -> dict[str, Any]:
    """A stored intent (its values in ``PAYMENT_INTENT_FIELDS`` order) as JSON."""
    data = dict(zip(PAYMENT_INTENT_FIELDS, values, strict=True))
    return _thawed(data, PAYMENT_INTENT_NESTED_FIELDS)


def charge_json(values: StoredCharge) -> dict[str, Any]:
    """A stored charge as the API's JSON.

    ``refunds`` is "no longer included by default" (API 2022-11-15:
    https://docs.stripe.com/changelog/2022-11-15/deprecates-charges-auto-expand; list them
    with ``GET /v1/refunds?charge=``), and ``transfer``, which Stripe's schema does not let
    be null, is left out when there is none, as the API does.
    """
    data = _thawed(dict(zip(CHARGE_FIELDS, values, strict=True)), CHARGE_NESTED_FIELDS)
    del data["refunds"]
    if data["transfer"] is None:
        del data["transfer"]
    return data


_INTENT_KEYS = tuple(f"{encode_basestring_ascii(name)}:" for name in PAYMENT_INTENT_FIELDS)
_INTENT_IS_NESTED = tuple(name in _INTENT_NESTED for name in PAYMENT_INTENT_FIELDS)


def payment_intent_json_text(values: tuple[Any, ...]) -> str:
    """Compact JSON of a stored intent, byte for byte what encoding the rendered object
    gives, without building it: nested values are already JSON text, so they are spliced
    in rather than parsed and encoded again (three times faster, measured)."""
    parts: list[str] = []
    append = parts.append
    for key, value, is_nested in zip(_INTENT_KEYS, values, _INTENT_IS_NESTED, strict=True):
        if value is None:
            append(f"{key}null")
        elif is_nested:
            append(key + value)
        elif type(value) is str:
            append(key + encode_basestring_ascii(value))
        elif value is True or value is False:
            append(f"{key}{'true' if value else 'false'}")
        elif type(value) is int:
            append(f"{key}{value}")
        else:
            append(key + _encode(value))
    return "{" + ",".join(parts) + "}"
