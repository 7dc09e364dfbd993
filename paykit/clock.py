"""A controllable clock: sandbox time moves only when you say so.

Stripe timestamps are whole epoch seconds. The sandbox starts at a fixed instant so
that ``created`` fields are the same every run, and ``Sandbox.advance`` moves it
(settling bank debits, expiring uncaptured authorisations on the way).

The clock stays between 1970 and the last second of year 9999 (``MAX_TIMESTAMP``):
paykit's choice, as Stripe publishes no bound. Every API object shows its timestamps as
epoch seconds and the Dashboard as dates, and a four-digit year is as far as dates go
(Python's ``datetime`` and ISO 8601 without expansion). A move past it is refused with
an ``InvalidRequestError`` before anything happens: no timer fires, the clock stays.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from paykit.errors import InvalidRequestError

__all__ = ["DEFAULT_START", "MAX_TIMESTAMP", "Clock"]

#: 2026-01-01T00:00:00Z: where every sandbox clock starts unless told otherwise.
DEFAULT_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
#: 9999-12-31T23:59:59Z: the last instant the sandbox clock can show.
MAX_TIMESTAMP = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())

_UNITS = (("days", 86_400), ("hours", 3_600), ("minutes", 60), ("seconds", 1))


def _refuse(message: str, param: str | None = None) -> InvalidRequestError:
    return InvalidRequestError(message, code="parameter_invalid_integer", param=param)


def _representable(instant: int, param: str | None) -> int:
    if not 0 <= instant <= MAX_TIMESTAMP:
        raise _refuse(
            f"The sandbox clock cannot show {instant}: timestamps run from 0 (1970) to "
            f"{MAX_TIMESTAMP} (9999-12-31T23:59:59Z).", param)
    return instant


class Clock:
    """Epoch seconds that only move forward, and only on request."""

    __slots__ = ("now",)

    def __init__(self, start: int = DEFAULT_START) -> None:
        self.now = _representable(int(start), "start")

    def target(self, days: float = 0, hours: float = 0, minutes: float = 0,
               seconds: float = 0) -> int:
        """The instant a move of ``days`` … ``seconds`` leads to, checked: nothing moves.

        Infinite or NaN amounts and instants past ``MAX_TIMESTAMP`` are an
        ``InvalidRequestError`` naming the unit; a move back is a ``ValueError``.

        >>> Clock(0).target(days=1, seconds=1)
        86401
        """
        total = 0.0
        for (name, unit), amount in zip(_UNITS, (days, hours, minutes, seconds), strict=True):
            if isinstance(amount, bool) or not isinstance(amount, int | float):
                raise _refuse(f"Invalid {name}: a number is expected, not "
                              f"{type(amount).__name__}.", name)
            if not math.isfinite(amount):
                raise _refuse(f"Invalid {name}: a finite number is expected.", name)
            total += amount * unit
        if total < 0:
            raise ValueError("the sandbox clock only moves forward")
        if total > MAX_TIMESTAMP:  # before round(): a huge float stays a float
            raise _refuse(f"The sandbox clock cannot move {total:.0f} seconds past "
                          f"{self.now}: it stops at {MAX_TIMESTAMP} (year 9999).")
        return _representable(self.now + round(total), None)

    def advance_to(self, instant: int) -> None:
        if instant < self.now:
            raise ValueError("the sandbox clock never goes back")
        self.now = _representable(instant, None)

    def isoformat(self) -> str:
        return datetime.fromtimestamp(self.now, UTC).isoformat().replace("+00:00", "Z")
