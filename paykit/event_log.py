"""The account's event log: what webhooks would deliver, listable like ``/v1/events``.

Each event keeps a compact snapshot of its object as it was at that moment (a tuple of
field values, as ``paykit.storage`` keeps objects) and becomes Stripe's event
JSON only when someone looks at it.

Listing reads a ``PositionIndex`` (ids, stamps, events by type) that catches up with
new events when someone reads them, so appending stays as cheap as before and a list
costs its page. ``type`` takes ``*`` as its only wildcard, as Stripe documents it
("a specific event name, or group of events using * as a wildcard",
https://docs.stripe.com/api/events/list); the pattern is compared with the handful of
types the log holds, never with each event.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple, Protocol

from paykit.errors import InvalidRequestError
from paykit.objects import Event, ListObject, payment_intent_json
from paykit.pagination import CreatedFilter, PositionIndex, check_limit, check_string
from paykit.storage import charge_json
from paykit.versioned_json import Related, render

__all__ = ["MAX_TYPES", "EventLog", "EventsResource", "type_matches"]

#: "An array of up to 20 strings" (``types``, https://docs.stripe.com/api/events/list).
MAX_TYPES = 20


def type_matches(event_type: str, pattern: str) -> bool:
    """Whether ``event_type`` matches ``pattern``, where ``*`` stands for any text.

    Linear in the lengths (each literal piece is found once, left to right), whatever
    the pattern: ``[`` or ``?`` are plain characters, as in Stripe's filter.

    >>> type_matches("payment_intent.succeeded", "payment_intent.*")
    True
    >>> type_matches("charge.succeeded", "*.succe*ed"), type_matches("a.b", "[a].b")
    (True, False)
    """
    first, *rest = pattern.split("*")
    if not rest:
        return event_type == pattern
    last = rest.pop()
    end = len(event_type) - len(last)
    if end < len(first) or not event_type.startswith(first) or not event_type.endswith(last):
        return False
    at = len(first)
    for piece in rest:
        at = event_type.find(piece, at, end)
        if at < 0:
            return False
        at += len(piece)
    return True


class _Webhooks(Protocol):
    """What the event log tells the deliveries (``paykit.webhooks.dispatcher``)."""

    def appended(self, event_id: str, event_type: str, created: int) -> None: ...

    def pending_count(self, event_id: str) -> int: ...


class _Record(NamedTuple):
    id: str
    type: str
    created: int
    request_id: str | None
    idempotency_key: str | None
    kind: str
    values: tuple[Any, ...]


class EventLog:
    """Events in the order they happened (listing reverses it: newest first).

    Stored column by column (one list per field, one snapshot tuple per event) rather
    than one record object per event: an account can hold millions of events, and
    fewer objects per event means less memory and less work for Python's garbage
    collector. ``_Record`` views are built only when someone reads the events.
    """

    __slots__ = ("_by_object", "_created", "_ids", "_kinds", "_listing", "_requests", "_types",
                 "_values", "api_version", "related", "webhooks")

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        #: the lists older versions embed in an object (set by the sandbox)
        self.related: Related | None = None
        self._ids: list[str] = []
        self._types: list[str] = []
        self._created: list[int] = []
        self._requests: list[tuple[str | None, str | None]] = []
        self._kinds: list[str] = []
        self._values: list[tuple[Any, ...]] = []
        self._listing = PositionIndex()  # ids, stamps and types: caught up when read
        # the same positions grouped by object id, built only once someone filters by one
        self._by_object = PositionIndex()
        #: told of each new event once a webhook endpoint exists (paykit.webhooks); while
        #: none does, an append pays one attribute check for it
        self.webhooks: _Webhooks | None = None

    def append(
        self,
        event_id: str,
        event_type: str,
        created: int,
        request: tuple[str | None, str | None],
        kind: str,
        values: tuple[Any, ...],
    ) -> None:
        self._ids.append(event_id)
        self._types.append(event_type)
        self._created.append(created)
        self._requests.append(request)
        self._kinds.append(kind)
        self._values.append(values)
        if self.webhooks is not None:
            self.webhooks.appended(event_id, event_type, created)

    def __len__(self) -> int:
        return len(self._ids)

    def truncate(self, count: int) -> None:
        """Forget the events after the first ``count`` (a refused request emits none)."""
        if count < len(self._listing):
            self._listing.truncate(count)
        if count < len(self._by_object):
            self._by_object.truncate(count)
        for column in (self._ids, self._types, self._created, self._requests, self._kinds,
                       self._values):
            del column[count:]

    def patch_created(self, object_id: str, values: tuple[Any, ...]) -> None:
        """Let ``payment_intent.created`` show the intent as the create call left it.

        Creating with ``payment_method`` attaches it in the same call (no event of its
        own), so the created event already shows ``requires_confirmation``.
        """
        types, snapshots = self._types, self._values
        for index in range(len(types) - 1, -1, -1):
            if types[index] == "payment_intent.created" and snapshots[index][0] == object_id:
                snapshots[index] = values
                return

    def _record(self, index: int) -> _Record:
        request_id, idempotency_key = self._requests[index]
        return _Record(self._ids[index], self._types[index], self._created[index],
                       request_id, idempotency_key, self._kinds[index], self._values[index])

    def render(self, record: _Record, api_version: str | None = None) -> Event:
        """The event as ``api_version`` shows it (a webhook endpoint's own version; by
        default the account's): its ``data.object`` rendered for it
        (``paykit.versioned_json``)."""
        version = api_version or self.api_version
        if record.kind == "payment_intent":
            obj = payment_intent_json(record.values, version, self.related)
        elif record.kind == "charge":
            obj = render(charge_json(record.values), version, self.related)
        else:  # another object's JSON, and what an update changed (``append_object``)
            _, fields, previous = record.values
            data = copy.deepcopy({"object": render(dict(fields), version, self.related)})
            if previous is not None:
                data["previous_attributes"] = copy.deepcopy(dict(previous))
            return self._event(record, data, version)
        return self._event(record, {"object": obj}, version)

    def append_object(self, event_id: str, event_type: str, created: int,
                      request: tuple[str | None, str | None], kind: str,
                      obj: dict[str, Any], previous: dict[str, Any] | None = None) -> None:
        """An event of an object kept as plain JSON (a Refund, a Customer, ...): its
        fields as they are now and, for an ``*.updated`` event, the values an update
        replaced (``data.previous_attributes``). Kept as ``(id, fields, previous)``: the
        id first, as every snapshot has it. Nested values are never changed in place by
        the resources, so the snapshot can share them."""
        self.append(event_id, event_type, created, request, kind,
                    (obj["id"], tuple(obj.items()),
                     None if previous is None else tuple(previous.items())))

    def _event(self, record: _Record, data: dict[str, Any], api_version: str) -> Event:
        return Event(
            {
                "id": record.id,
                "object": "event",
                "api_version": api_version,
                "created": record.created,
                "data": data,
                "livemode": False,
                "pending_webhooks": (0 if self.webhooks is None
                                     else self.webhooks.pending_count(record.id)),
                "request": {"id": record.request_id, "idempotency_key": record.idempotency_key},
                "type": record.type,
            }
        )

    def _caught_up(self) -> PositionIndex:
        """The listing index, with the events appended since it was last read."""
        listing, ids = self._listing, self._ids
        for index in range(len(listing), len(ids)):
            listing.add(ids[index], self._created[index], self._types[index])
        return listing

    def get(self, event_id: str, api_version: str | None = None) -> Event:
        """Event ``event_id`` as ``api_version`` (default: the account's) shows it."""
        index = (self._caught_up().positions.get(event_id) if isinstance(event_id, str)
                 else None)
        if index is None:
            raise InvalidRequestError(
                f"No such event: '{event_id}'", code="resource_missing", param="id",
                http_status=404,
            )
        return self.render(self._record(index), api_version)

    def select(
        self,
        type: str | None = None,
        types: list[str] | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        object_id: str | None = None,
        created: CreatedFilter = None,
    ) -> tuple[list[_Record], bool]:
        """Matching records newest first, one page of them, and whether more remain.

        The type filters pick among the types the log holds; ``_Record`` views are built
        for the page only.
        """
        listing = self._caught_up()
        wanted: set[str] | None = None
        if type is not None:
            check_string(type, "type")
            wanted = {name for name in listing.groups if type_matches(name, type)}
        if types is not None:
            if isinstance(types, str) or not isinstance(types, list | tuple):
                raise InvalidRequestError(
                    "Invalid array: types must be an array of event types.",
                    code="parameter_invalid_string", param="types")
            if len(types) > MAX_TYPES:
                raise InvalidRequestError(
                    f"Invalid types: at most {MAX_TYPES} event types (received "
                    f"{len(types)}).", code="parameter_invalid_string", param="types")
            for name in types:
                check_string(name, "types")
            wanted = set(types) if wanted is None else wanted & set(types)
        after = check_string(starting_after, "starting_after")
        before = check_string(ending_before, "ending_before")
        if object_id is None:
            positions, has_more = listing.page(limit, after, before, "event", groups=wanted,
                                               created=created)
        else:  # one object's events: its own run of positions, not the whole log
            types = self._types
            keep = None if wanted is None else (lambda i: types[i] in wanted)
            positions, has_more = self._objects_caught_up().page(
                limit, after, before, "event", groups=(check_string(object_id, "object_id"),),
                created=created, keep=keep)
        return [self._record(index) for index in positions], has_more

    def _objects_caught_up(self) -> PositionIndex:
        """The index by object id, with the events appended since it was last read."""
        by_object, ids, values = self._by_object, self._ids, self._values
        for index in range(len(by_object), len(ids)):
            by_object.add(ids[index], self._created[index], values[index][0])
        return by_object


class EventsResource:
    """``sb.events``: retrieve and list, newest first, like ``/v1/events``."""

    def __init__(self, log: EventLog, lock: Any) -> None:
        self._log = log
        self._lock = lock

    def retrieve(self, event_id: str) -> Event:
        with self._lock:
            return self._log.get(event_id)

    def list(
        self,
        type: str | None = None,
        limit: int | None = None,
        *,
        types: list[str] | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        object_id: str | None = None,
        created: CreatedFilter = None,
    ) -> ListObject:
        """Events newest first. ``type`` accepts ``*`` wildcards (``payment_intent.*``).

        ``limit=None`` (paykit's default) returns every event; the API's own default
        page is 10. ``object_id`` narrows to the events of one intent or charge;
        ``created`` to a time window (``{"gte": start, "lt": end}``) or instant.
        """
        with self._lock:
            records, has_more = self._log.select(
                type, types, check_limit(limit), starting_after, ending_before, object_id,
                created,
            )
            return ListObject([self._log.render(r) for r in records], has_more, "/v1/events")
