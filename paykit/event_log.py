"""The account's event log: what webhooks would deliver, listable like ``/v1/events``.

Each event keeps a compact snapshot of its object as it was at that moment (a tuple of
field values; the engine never changes a nested value in place, so sharing them is
safe) and becomes Stripe's event JSON only when someone looks at it.
"""

from __future__ import annotations

import fnmatch
from typing import Any, NamedTuple

from paykit.errors import InvalidRequestError
from paykit.objects import (
    CHARGE_FIELDS,
    PAYMENT_INTENT_FIELDS,
    Event,
    ListObject,
    render_payment_intent,
)
from paykit.pagination import check_limit, page

__all__ = ["EventLog", "EventsResource"]

_FIELDS = {"payment_intent": PAYMENT_INTENT_FIELDS, "charge": CHARGE_FIELDS}


class _Record(NamedTuple):
    id: str
    type: str
    created: int
    request_id: str | None
    idempotency_key: str | None
    kind: str
    values: tuple[Any, ...]


class EventLog:
    """Events in the order they happened (listing reverses it: newest first)."""

    __slots__ = ("_by_id", "_records", "api_version")

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        self._records: list[_Record] = []
        self._by_id: dict[str, _Record] = {}

    def append(
        self,
        event_id: str,
        event_type: str,
        created: int,
        request: tuple[str | None, str | None],
        kind: str,
        values: tuple[Any, ...],
    ) -> None:
        record = _Record(event_id, event_type, created, request[0], request[1], kind, values)
        self._records.append(record)
        self._by_id[event_id] = record

    def __len__(self) -> int:
        return len(self._records)

    def truncate(self, count: int) -> None:
        """Forget the events after the first ``count`` (a refused request emits none)."""
        for record in self._records[count:]:
            del self._by_id[record.id]
        del self._records[count:]

    def patch_created(self, object_id: str, values: tuple[Any, ...]) -> None:
        """Let ``payment_intent.created`` show the intent as the create call left it.

        Creating with ``payment_method`` attaches it in the same call (no event of its
        own), so the created event already shows ``requires_confirmation``.
        """
        for index in range(len(self._records) - 1, -1, -1):
            record = self._records[index]
            if record.type == "payment_intent.created" and record.values[0] == object_id:
                patched = record._replace(values=values)
                self._records[index] = patched
                self._by_id[record.id] = patched
                return

    def render(self, record: _Record) -> Event:
        obj = dict(zip(_FIELDS[record.kind], record.values, strict=True))
        if record.kind == "payment_intent":
            obj = render_payment_intent(obj, self.api_version)
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

    def get(self, event_id: str) -> Event:
        record = self._by_id.get(event_id)
        if record is None:
            raise InvalidRequestError(
                f"No such event: '{event_id}'", code="resource_missing", param="id",
                http_status=404,
            )
        return self.render(record)

    def select(
        self,
        type: str | None = None,
        types: list[str] | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        object_id: str | None = None,
    ) -> tuple[list[_Record], bool]:
        """Matching records newest first, one page of them, and whether more remain."""
        records = self._records[::-1]
        if type is not None:
            records = [r for r in records if fnmatch.fnmatchcase(r.type, type)]
        if types is not None:
            wanted = set(types)
            records = [r for r in records if r.type in wanted]
        if object_id is not None:
            records = [r for r in records if r.values[0] == object_id]
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
    ) -> ListObject:
        """Events newest first. ``type`` accepts ``*`` wildcards (``payment_intent.*``).

        ``limit=None`` (paykit's default) returns every event; the API's own default
        page is 10. ``object_id`` narrows to the events of one intent or charge.
        """
        with self._lock:
            records, has_more = self._log.select(
                type, types, check_limit(limit), starting_after, ending_before, object_id
            )
            return ListObject([self._log.render(r) for r in records], has_more, "/v1/events")
