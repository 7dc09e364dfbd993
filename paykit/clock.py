"""A controllable clock: sandbox time moves only when you say so.

Stripe timestamps are whole epoch seconds. The sandbox starts at a fixed instant so
that ``created`` fields are the same every run, and ``Sandbox.advance`` moves it
(settling bank debits, expiring uncaptured authorisations on the way).
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["DEFAULT_START", "Clock"]

#: 2026-01-01T00:00:00Z: where every sandbox clock starts unless told otherwise.
DEFAULT_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())


class Clock:
    """Epoch seconds that only move forward, and only on request."""

    __slots__ = ("now",)

    def __init__(self, start: int = DEFAULT_START) -> None:
        self.now = int(start)

    def advance_to(self, instant: int) -> None:
        if instant < self.now:
            raise ValueError("the sandbox clock never goes back")
        self.now = instant

    def isoformat(self) -> str:
        return datetime.fromtimestamp(self.now, UTC).isoformat().replace("+00:00", "Z")
