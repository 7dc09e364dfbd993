"""Cursor pagination, as every Stripe list endpoint does it (newest first).

``limit``, ``starting_after`` and ``ending_before``: https://docs.stripe.com/api/pagination.

``page`` cuts a page out of a list already built. ``PositionIndex`` pages without
building one: it keeps where each object sits in creation order, its ``created``
stamp and one grouping (an event's type, a charge's PaymentIntent), so a list costs
what its page costs (a few bisections and ``limit`` steps), not what the account holds.
It relies on one fact of the sandbox: objects are stored in creation order and the
clock never goes back, so ``created`` never decreases along the positions.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from paykit.errors import InvalidRequestError

__all__ = [
    "MAX_STRING_LENGTH",
    "CreatedFilter",
    "PositionIndex",
    "check_limit",
    "check_string",
    "created_matches",
    "page",
]

#: The longest string a list parameter takes (``type``, ``starting_after``,
#: ``payment_intent``…): ``maxLength: 5000`` in Stripe's OpenAPI spec for these
#: parameters (https://github.com/stripe/openapi). Checked before the value is used.
MAX_STRING_LENGTH = 5000

#: A list's ``created`` filter: an exact timestamp, or bounds (``{"gte": …, "lt": …}``).
CreatedFilter = dict[str, int] | int | None


def page(
    items: list[Any],
    limit: int | None,
    starting_after: str | None,
    ending_before: str | None,
    what: str,
) -> tuple[list[Any], bool]:
    """Cursor pagination over a newest-first list, as the API does it."""
    ids = [item.id for item in items]
    if starting_after is not None:
        if starting_after not in ids:
            raise InvalidRequestError(
                f"No such {what}: '{starting_after}'", code="resource_missing",
                param="starting_after", http_status=404,
            )
        start = ids.index(starting_after) + 1
        items = items[start:]
        ids = ids[start:]
    if ending_before is not None:
        if ending_before not in ids:
            raise InvalidRequestError(
                f"No such {what}: '{ending_before}'", code="resource_missing",
                param="ending_before", http_status=404,
            )
        end = ids.index(ending_before)
        items = items[:end]
        if limit is not None:
            return items[-limit:], len(items) > limit
        return items, False
    if limit is None:
        return items, False
    return items[:limit], len(items) > limit


def created_matches(created: int, rule: CreatedFilter) -> bool:
    """Whether a ``created`` timestamp passes a list's ``created`` filter.

    >>> created_matches(1_700_000_000, {"gte": 1_700_000_000, "lt": 1_700_000_060})
    True
    """
    if rule is None:
        return True
    if isinstance(rule, int):
        return created == rule
    checks = {"gt": created.__gt__, "gte": created.__ge__, "lt": created.__lt__,
              "lte": created.__le__}
    return all(checks[op](int(value)) for op, value in rule.items() if op in checks)


_LIMIT_DIGITS = re.compile(r"[0-9]{1,4}")


def check_limit(limit: Any) -> int | None:
    """Stripe accepts 1 to 100 per page; paykit also accepts None for everything."""
    if limit is None:
        return None
    # ASCII digits only, and few of them: "²".isdigit() is true and int("²") fails
    if isinstance(limit, str) and _LIMIT_DIGITS.fullmatch(limit):
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidRequestError(
            "Invalid limit: must be an integer between 1 and 100.",
            code="parameter_invalid_integer", param="limit",
        )
    return limit


def check_string(value: str | None, param: str) -> str | None:
    """``value`` if it is a string of at most ``MAX_STRING_LENGTH`` characters (or
    ``None``); else a 400 naming it."""
    if value is not None and not isinstance(value, str):
        raise InvalidRequestError(f"Invalid string: {param} must be a string, not "
                                  f"{type(value).__name__}.",
                                  code="parameter_invalid_string", param=param)
    if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
        raise InvalidRequestError(
            f"Invalid {param}: must be at most {MAX_STRING_LENGTH} characters "
            f"(received {len(value):,}).", code="parameter_invalid_string", param=param)
    return value


def _bound(rule: Mapping[str, Any], op: str) -> int | None:
    value = rule.get(op)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise InvalidRequestError(f"Invalid created[{op}]: an integer is expected.",
                                      code="parameter_invalid_integer",
                                      param=f"created[{op}]") from None
    return value


def _created_range(stamps: Sequence[int], rule: CreatedFilter) -> tuple[int, int]:
    """The positions ``[lo, hi)`` whose (non-decreasing) stamps pass ``rule``."""
    if rule is None:
        return 0, len(stamps)
    if not isinstance(rule, Mapping):
        rule = {"gte": rule, "lte": rule}
    lo, hi = 0, len(stamps)
    if (gt := _bound(rule, "gt")) is not None:
        lo = max(lo, bisect_right(stamps, gt))
    if (gte := _bound(rule, "gte")) is not None:
        lo = max(lo, bisect_left(stamps, gte))
    if (lt := _bound(rule, "lt")) is not None:
        hi = min(hi, bisect_left(stamps, lt))
    if (lte := _bound(rule, "lte")) is not None:
        hi = min(hi, bisect_right(stamps, lte))
    return lo, hi


def _walk(run: Sequence[int], start: int, stop: int, downward: bool) -> Iterator[int]:
    steps = range(stop - 1, start - 1, -1) if downward else range(start, stop)
    return (run[i] for i in steps)


class PositionIndex:
    """Objects in creation order, their ``created`` stamps and one group key each.

    ``add`` appends (the sandbox's write path never calls it: the owner catches up
    when someone lists, with ``follow`` or its own loop); ``page`` answers a list.

    >>> index = PositionIndex()
    >>> for n in range(5):
    ...     index.add(f"evt_{n}", 100 + n, "a" if n % 2 else "b")
    >>> positions, more = index.page(2, None, None, "event")
    >>> [index.ids[p] for p in positions], more
    (['evt_4', 'evt_3'], True)
    >>> [index.ids[p] for p in index.page(None, "evt_4", None, "event", groups={"b"})[0]]
    ['evt_2', 'evt_0']
    """

    __slots__ = ("created", "group_of", "groups", "ids", "positions")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.created: list[int] = []
        self.group_of: list[Any] = []
        self.positions: dict[str, int] = {}
        self.groups: dict[Any, list[int]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, object_id: str, created: int, group: Any) -> None:
        position = len(self.ids)
        self.ids.append(object_id)
        self.created.append(created)
        self.group_of.append(group)
        self.positions[object_id] = position
        self.groups.setdefault(group, []).append(position)

    def truncate(self, count: int) -> None:
        """Forget the objects after the first ``count``."""
        for position in range(len(self.ids) - 1, count - 1, -1):
            del self.positions[self.ids[position]]
            members = self.groups[self.group_of[position]]
            members.pop()
            if not members:
                del self.groups[self.group_of[position]]
        for column in (self.ids, self.created, self.group_of):
            del column[count:]

    def follow(self, objects: dict[str, Any], created: Callable[[Any], int],
               group: Callable[[Any], Any]) -> None:
        """Catch up with an insertion-ordered dict: index the objects added since.

        Replacing a value keeps its place (a charge captured later); if the newest
        indexed object is gone (a request rolled back), the index is built again.
        """
        known = len(self.ids)
        if len(objects) < known or (known and self.ids[-1] not in objects):
            self.truncate(0)
            known = 0
        if len(objects) == known:
            return
        added = list(islice(reversed(objects), len(objects) - known))
        for object_id in reversed(added):
            value = objects[object_id]
            self.add(object_id, created(value), group(value))

    def page(self, limit: int | None, starting_after: str | None, ending_before: str | None,
             what: str, *, groups: Collection[Any] | None = None, created: CreatedFilter = None,
             keep: Callable[[int], bool] | None = None) -> tuple[list[int], bool]:
        """One page of positions, newest first, and whether more remain (as ``page``).

        ``groups`` keeps the objects of those groups, ``created`` a time window, ``keep``
        any other test of a position (run on the objects walked through, no others).
        """
        lo, hi = _created_range(self.created, created)
        runs: list[Sequence[int]] = [range(len(self.ids))] if groups is None else [
            self.groups[g] for g in groups if g in self.groups]

        def listed(object_id: str | None, param: str) -> int | None:
            if object_id is None:
                return None
            position = self.positions.get(object_id)
            if (position is None or not lo <= position < hi
                    or (groups is not None and self.group_of[position] not in groups)
                    or (keep is not None and not keep(position))):
                raise InvalidRequestError(f"No such {what}: '{object_id}'",
                                          code="resource_missing", param=param,
                                          http_status=404)
            return position

        after = listed(starting_after, "starting_after")
        if after is not None:
            hi = min(hi, after)  # ending_before is looked for among what follows it
        before = listed(ending_before, "ending_before")
        if before is not None:
            lo = max(lo, before + 1)
        downward = before is None  # ending_before: the page nearest to it, walking up
        walks = []
        for run in runs:
            start, stop = bisect_left(run, lo), bisect_left(run, hi)
            if start < stop:
                walks.append(_walk(run, start, stop, downward))
        walked: Iterator[int] = (walks[0] if len(walks) == 1
                                 else heapq.merge(*walks, reverse=downward) if walks
                                 else iter(()))
        if keep is not None:
            walked = filter(keep, walked)
        chosen = list(walked if limit is None else islice(walked, limit + 1))
        has_more = limit is not None and len(chosen) > limit
        chosen = chosen[:limit] if limit is not None else chosen
        return (chosen if downward else chosen[::-1]), has_more
