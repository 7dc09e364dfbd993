"""The account's event log: what webhooks would deliver, listable like ``/v1/events``.

Each event keeps a compact snapshot of its object as it was at that moment (a tuple of
field values, as ``paykit.storage`` keeps objects) and becomes Stripe's event
JSON only when someone looks at it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Any, NamedTuple

from paykit.errors import InvalidRequestError
from paykit.objects import Event, ListObject, payment_intent_json
from paykit.pagination import CreatedFilter, check_limit, created_matches, page
from paykit.storage import charge_json

__all__ = ["EventLog", "EventsResource"]


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

    __slots__ = ("_created", "_ids", "_index", "_indexed", "_kinds", "_requests", "_types",
                 "_values", "api_version")

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        self._ids: list[str] = []
        self._types: list[str] = []
        self._created: list[int] = []
        self._requests: list[tuple[str | None, str | None]] = []
        self._kinds: list[str] = []
        self._values: list[tuple[Any, ...]] = []
        self._index: dict[str, int] = {}  # id -> position, built when first needed
        self._indexed = 0  # how many events _index covers

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

    def __len__(self) -> int:
        return len(self._ids)

    def truncate(self, count: int) -> None:
        """Forget the events after the first ``count`` (a refused request emits none)."""
        for event_id in self._ids[count:self._indexed]:
            del self._index[event_id]
        self._indexed = min(self._indexed, count)
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

    def render(self, record: _Record) -> Event:
        if record.kind == "payment_intent":
            obj = payment_intent_json(record.values, self.api_version)
        else:
            obj = charge_json(record.values)
        return Event(
            {
                "id": record.id,
                "object": "event",
                "api_version": self.api_version,
                "created": record.created,
                "data": {"object": obj},
                "livemode": False,
                "pending_webhooks": 0,
                "request": {"id": record.request_id, "idempotency_key": record.idempotency_key},
                "type": record.type,
            }
        )

    def _position(self, event_id: str) -> int | None:
        """Where ``event_id`` is; the index catches up with new events only when asked."""
        ids = self._ids
        if self._indexed < len(ids):
            self._index.update(zip(ids[self._indexed:], range(self._indexed, len(ids)),
                                   strict=True))
            self._indexed = len(ids)
        return self._index.get(event_id)

    def get(self, event_id: str) -> Event:
        index = self._position(event_id) if isinstance(event_id, str) else None
        if index is None:
            raise InvalidRequestError(
                f"No such event: '{event_id}'", code="resource_missing", param="id",
                http_status=404,
            )
        return self.render(self._record(index))

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

        Filters read the columns; ``_Record`` views are built for the matches only.
        """
        event_types, values, stamps = self._types, self._values, self._created
        found: Iterable[int] = range(len(self._ids) - 1, -1, -1)
        if type is not None:
            found = [i for i in found if fnmatch.fnmatchcase(event_types[i], type)]
        if types is not None:
            wanted = set(types)
            found = [i for i in found if event_types[i] in wanted]
        if object_id is not None:
            found = [i for i in found if values[i][0] == object_id]
        if created is not None:
            found = [i for i in found if created_matches(stamps[i], created)]
        records = [self._record(index) for index in found]
        return page(records, limit, starting_after, ending_before, "event")


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
