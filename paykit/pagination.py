"""Cursor pagination, as every Stripe list endpoint does it (newest first).

``limit``, ``starting_after`` and ``ending_before``: https://docs.stripe.com/api/pagination.
"""

from __future__ import annotations

from typing import Any

from paykit.errors import InvalidRequestError

__all__ = ["CreatedFilter", "check_limit", "created_matches", "page"]

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


def check_limit(limit: Any) -> int | None:
    """Stripe accepts 1 to 100 per page; paykit also accepts None for everything."""
    if limit is None:
        return None
    if isinstance(limit, str) and limit.isdigit():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidRequestError(
            "Invalid limit: must be an integer between 1 and 100.",
            code="parameter_invalid_integer", param="limit",
        )
    return limit
