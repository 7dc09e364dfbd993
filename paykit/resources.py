"""What every resource kept as plain JSON shares: lookup, lists, events, moves.

Refunds, Customers, PaymentMethods' usage and SetupIntents keep each object as a dict of
its JSON fields (they are few next to PaymentIntents, which ``paykit.storage`` packs for
speed). A resource built on :class:`JsonResource` finds an object or answers Stripe's
404, pages a filtered list newest first, asks its table (a ``paykit.machine.Machine``)
for the row of a move, and emits events with the object's snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from paykit.errors import InvalidRequestError
from paykit.objects import ListObject, StripeObject
from paykit.pagination import CreatedFilter, check_limit, created_matches, page
from paykit.versioned_json import render

if TYPE_CHECKING:
    from paykit.account import Account, Request

__all__ = ["JsonRecord", "JsonResource"]


class JsonRecord:
    """One object: its JSON fields (``data``) and its status in its table, if it has one.

    Nested values in ``data`` are replaced, never changed in place: events share them.
    """

    __slots__ = ("data", "status")

    def __init__(self, data: dict[str, Any], status: Any = None) -> None:
        self.data = data
        self.status = status

    @property
    def id(self) -> str:
        return self.data["id"]


_R = TypeVar("_R", bound=JsonRecord)


class JsonResource(Generic[_R]):
    """The shared plumbing of a resource whose objects are ``JsonRecord`` s.

    ``kind`` is the object's name in errors and events (``refund``), ``url`` its list
    URL (``/v1/refunds``), ``wrap`` the ``StripeObject`` class handed to callers.
    """

    kind = ""
    url = ""
    wrap: type[StripeObject] = StripeObject

    def __init__(self, account: Account) -> None:
        self._acct = account
        self._records: dict[str, _R] = {}

    def _get(self, object_id: Any, param: str | None = None) -> _R:
        record = self._records.get(object_id) if isinstance(object_id, str) else None
        if record is None:
            raise InvalidRequestError(f"No such {self.kind}: '{object_id}'",
                                      code="resource_missing", param=param or self.kind,
                                      http_status=404)
        return record

    def _render(self, record: _R) -> dict[str, Any]:
        """The object's JSON in today's form (a fresh top-level dict; nested values are
        shared): what events keep, rendered for their version when read."""
        return dict(record.data)

    def _show(self, record: _R) -> Any:
        """The object as the caller gets it (a ``wrap``): in the version the call is read
        in."""
        acct = self._acct
        return self.wrap(render(self._render(record), acct.version(), acct.related))

    def _page(self, keep: Callable[[_R], bool], limit: int | None,
              starting_after: str | None, ending_before: str | None,
              created: CreatedFilter = None) -> ListObject:
        """Records that ``keep`` accepts, newest first, one page of them."""
        chosen = [r for r in reversed(self._records.values())
                  if keep(r) and created_matches(r.data["created"], created)]
        records, has_more = page(chosen, check_limit(limit), starting_after, ending_before,
                                 self.kind)
        return ListObject([self._show(r) for r in records], has_more, self.url)

    def _page_where(self, filters: Mapping[str, str | None], limit: int | None,
                    starting_after: str | None, ending_before: str | None,
                    created: CreatedFilter = None) -> ListObject:
        """``_page`` of the records whose fields equal every filter that is given."""
        wanted = [(name, value) for name, value in filters.items() if value is not None]
        return self._page(lambda r: all(r.data[name] == value for name, value in wanted),
                          limit, starting_after, ending_before, created)

    def _emit(self, events: Iterable[str], request: Request, record: _R,
              previous: dict[str, Any] | None = None) -> None:
        """Each event of ``events``, showing the object as it is now."""
        acct = self._acct
        snapshot = self._event_object(record)
        for event_type in events:
            acct.events.append_object(acct.ids.new("evt"), event_type, acct.clock.now,
                                      request, self.kind, snapshot, previous)

    def _event_object(self, record: _R) -> dict[str, Any]:
        """What an event's ``data.object`` shows: the object as the API renders it."""
        return self._render(record)
