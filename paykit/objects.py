"""The API objects a learner gets back: wire-faithful, read-only snapshots.

Like stripe-python's objects, each is a snapshot of the API response at the time of the
call (retrieve again to see later changes). ``to_dict()`` is exactly the API's JSON,
every field present, nulls included; ``str()`` prints it as indented JSON; ``repr()``
is a one-line summary that never shows a whole client secret.

Their fields and stored form are ``paykit.storage``'s; this module gives them Python
manners (attribute access, ``repr``, notebook display, legacy status names).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from typing import Any, ClassVar

from paykit import storage
from paykit.api_versions import response_changes
from paykit.versioned_json import Related, render

__all__ = [
    "Charge",
    "Customer",
    "Event",
    "ListObject",
    "PaymentIntent",
    "PaymentMethod",
    "Refund",
    "SearchResult",
    "SetupIntent",
    "StripeObject",
    "mask_secret",
    "payment_intent_json",
    "renders_as_today",
]

def mask_secret(secret: str | None) -> str | None:
    """``pi_123_secret_abc…`` → ``pi_123_secret_****``: enough to recognise, not to use."""
    if not secret:
        return secret
    head, sep, _ = secret.partition("_secret_")
    return f"{head}{sep}****" if sep else "****"


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return StripeObject(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


class StripeObject:
    """Attribute access over an API JSON object, without letting it be changed."""

    __slots__ = ("_data",)
    OBJECT: ClassVar[str | None] = None

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r}"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is a snapshot of an API response: change it through "
            "the sandbox (update, confirm, …), then retrieve it again"
        )

    def __getitem__(self, key: str) -> Any:
        return _wrap(self._data[key])

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str, default: Any = None) -> Any:
        return _wrap(self._data.get(key, default))

    def keys(self):
        return self._data.keys()

    def _wire(self) -> dict[str, Any]:
        """The JSON to send, not to change (shared): ``to_dict()`` without the copy."""
        return self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StripeObject):
            return type(self) is type(other) and self._data == other._data
        if isinstance(other, dict):
            return self._data == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON the API returns, as a fresh dict you may change freely."""
        return copy.deepcopy(self._data)

    def __str__(self) -> str:
        return json.dumps(self._data, indent=2)

    def __repr__(self) -> str:
        shown = {k: v for k, v in self._data.items() if not isinstance(v, dict | list)}
        inner = " ".join(f"{k}={v!r}" for k, v in list(shown.items())[:6])
        return f"<{type(self).__name__} {inner}>"


class PaymentIntent(StripeObject):
    """A PaymentIntent snapshot; in a notebook it draws its own path through the lifecycle."""

    __slots__ = ("_api_version", "_history", "_values")
    OBJECT = "payment_intent"

    def __init__(
        self,
        data: dict[str, Any] | None = None,
        history: tuple[str, ...] = (),
        api_version: str | None = None,
        *,
        values: tuple[Any, ...] | None = None,
    ) -> None:
        """From the JSON ``data``, or (the engine's fast path) the field ``values``."""
        if data is not None:
            object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_history", history)
        object.__setattr__(self, "_api_version", api_version)

    @classmethod
    def _from_engine(cls, values: tuple[Any, ...], history: tuple[str, ...],
                     api_version: str | None) -> PaymentIntent:
        """The engine's constructor: one per API response, so it skips ``__init__``'s
        keyword handling and the read-only guard (twice as fast, measured)."""
        intent = _new_object(cls)
        _set_values(intent, values)
        _set_history(intent, history)
        _set_api_version(intent, api_version)
        return intent

    def __getattr__(self, name: str) -> Any:
        if name == "_data":  # built on first look: most responses are never read whole
            data = payment_intent_json(self._values, self._api_version)
            object.__setattr__(self, "_data", data)
            return data
        return super().__getattr__(name)

    def _wire(self) -> dict[str, Any]:
        """Like ``StripeObject._wire``, without building ``_data`` on this object: the
        idempotency store keeps responses, compact (their field values) if unread."""
        try:
            return object.__getattribute__(self, "_data")
        except AttributeError:
            return payment_intent_json(self._values, self._api_version)

    def _compact_json(self) -> str | None:
        """The API's JSON as compact text, straight from the stored values (the in-process
        SDK's fast path); ``None`` when this snapshot has no such form (an expanded
        response, or a legacy API version, whose JSON is renamed)."""
        values = self._values
        if values is None or not renders_as_today("payment_intent", self._api_version):
            return None
        return storage.payment_intent_json_text(values)

    @property
    def id(self) -> str:
        return self._values[0] if self._values is not None else self._data["id"]

    @property
    def history(self) -> tuple[str, ...]:
        """The statuses this intent went through, up to this snapshot (current names)."""
        return self._history

    def __repr__(self) -> str:
        d = self._data
        return (
            f"<PaymentIntent id={d['id']} status={d['status']} amount={d['amount']} "
            f"currency={d['currency']} client_secret={mask_secret(d['client_secret'])}>"
        )

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        """The history graph as SVG, and a stable text summary for nbval to compare."""
        bundle: dict[str, Any] = {"text/plain": repr(self)}
        try:
            from paykit.graph import history_view
        except ImportError:  # graph extra not installed: the text is still useful
            return bundle
        view = history_view(self._history, self._history[-1] if self._history else None,
                            self._api_version)
        graph_bundle = view._repr_mimebundle_(include, exclude)
        if "image/svg+xml" in graph_bundle:
            bundle["image/svg+xml"] = graph_bundle["image/svg+xml"]
        return bundle


_new_object = object.__new__
_set_values = PaymentIntent._values.__set__  # type: ignore[attr-defined]
_set_history = PaymentIntent._history.__set__  # type: ignore[attr-defined]
_set_api_version = PaymentIntent._api_version.__set__  # type: ignore[attr-defined]


class Charge(StripeObject):
    """One payment attempt of a PaymentIntent."""

    __slots__ = ()
    OBJECT = "charge"

    def __repr__(self) -> str:
        d = self._data
        return (
            f"<Charge id={d['id']} status={d['status']} amount={d['amount']} "
            f"currency={d['currency']} payment_intent={d['payment_intent']}>"
        )


class Customer(StripeObject):
    """Who you save payment methods for (https://docs.stripe.com/api/customers/object)."""

    __slots__ = ()
    OBJECT = "customer"

    def __repr__(self) -> str:
        d = self._data
        if d.get("deleted"):
            return f"<Customer id={d['id']} deleted>"
        return f"<Customer id={d['id']} email={d.get('email')} name={d.get('name')}>"


class SetupIntent(StripeObject):
    """A payment method set up for later (https://docs.stripe.com/api/setup_intents/object)."""

    __slots__ = ()
    OBJECT = "setup_intent"

    def __repr__(self) -> str:
        d = self._data
        return (f"<SetupIntent id={d['id']} status={d['status']} usage={d['usage']} "
                f"customer={d['customer']} payment_method={d['payment_method']}>")


class Refund(StripeObject):
    """Money given back on a charge (https://docs.stripe.com/api/refunds/object)."""

    __slots__ = ()
    OBJECT = "refund"

    def __repr__(self) -> str:
        d = self._data
        return (f"<Refund id={d['id']} status={d['status']} amount={d['amount']} "
                f"currency={d['currency']} charge={d['charge']}>")


class Event(StripeObject):
    """What a webhook endpoint would receive: ``data.object`` is the snapshot then."""

    __slots__ = ()
    OBJECT = "event"

    def __repr__(self) -> str:
        d = self._data
        obj = d["data"]["object"]
        return (
            f"<Event id={d['id']} type={d['type']} created={d['created']} "
            f"object={obj.get('id')}>"
        )


class PaymentMethod(StripeObject):
    """A payment method (test tokens such as ``pm_card_visa`` mint one of these)."""

    __slots__ = ()
    OBJECT = "payment_method"

    def __repr__(self) -> str:
        d = self._data
        return f"<PaymentMethod id={d['id']} type={d['type']}>"


class ListObject(StripeObject):
    """A page of a list endpoint: ``data``, ``has_more`` and ``url``; iterable."""

    __slots__ = ("_items",)
    OBJECT = "list"

    def __init__(self, items: list[StripeObject], has_more: bool, url: str) -> None:
        super().__init__(
            {"object": "list", "data": [i._data for i in items], "has_more": has_more,
             "url": url}
        )
        object.__setattr__(self, "_items", items)

    @property
    def data(self) -> list[StripeObject]:
        return list(self._items)

    def __iter__(self) -> Iterator[StripeObject]:  # type: ignore[override]
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int | str) -> Any:
        if isinstance(index, int):
            return self._items[index]
        return super().__getitem__(index)

    def __repr__(self) -> str:
        return f"<ListObject url={self._data['url']} count={len(self._items)} " \
               f"has_more={self._data['has_more']}>"


class SearchResult(ListObject):
    """A page of a search endpoint: ``data``, ``has_more``, ``next_page`` (the ``page`` to
    ask for next) and ``url`` (https://docs.stripe.com/search#search-query-language)."""

    __slots__ = ()
    OBJECT = "search_result"

    def __init__(self, items: list[StripeObject], has_more: bool, url: str,
                 next_page: str | None) -> None:
        super().__init__(items, has_more, url)
        self._data["object"] = "search_result"
        self._data["next_page"] = next_page


def payment_intent_json(values: tuple[Any, ...], api_version: str | None,
                        related: Related | None = None) -> dict[str, Any]:
    """A stored intent as the API's JSON for ``api_version`` (``paykit.versioned_json``;
    ``related`` supplies the charges versions before 2022-11-15 embed)."""
    return render(storage.payment_intent_json(values), api_version, related)


@cache
def renders_as_today(kind: str, api_version: str | None) -> bool:
    """Whether ``api_version`` shows ``kind`` in today's form (nothing to undo)."""
    return not api_version or not response_changes(kind, api_version)
