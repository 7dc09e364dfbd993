"""What the sandbox clock owes: settlements and expiries due at a later time.

A resource schedules a timer for one of its objects (``settle`` a bank debit in
``processing``, ``expire`` an uncaptured authorisation); ``Sandbox.advance`` pops the
timers that fall due, earliest first, and hands each back to the resource that set it.
A newer timer for the same object makes the older one stale (its token no longer
matches), so nothing is ever removed from the middle of the heap.

>>> timers = Timers()
>>> timers.schedule(200, "payment_intent", "pi_1", "settle")
1
>>> timers.schedule(100, "payment_intent", "pi_2", "expire")
1
>>> [(t.when, t.object_id, t.kind) for t in timers.due(150)]
[(100, 'pi_2', 'expire')]
"""

from __future__ import annotations

import heapq
from typing import NamedTuple

__all__ = ["Timer", "Timers"]


class Timer(NamedTuple):
    """A due timer: what to do to which object, and the token it was scheduled with."""

    when: int
    resource: str
    object_id: str
    kind: str
    token: int


class Timers:
    """A heap of timers, and the latest token of each object (older ones are stale)."""

    __slots__ = ("_heap", "_latest", "_sequence")

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, str, str, int]] = []
        self._latest: dict[str, int] = {}
        self._sequence = 0

    def schedule(self, when: int, resource: str, object_id: str, kind: str) -> int:
        """Come back to ``object_id`` at ``when``; returns the timer's token."""
        token = self._latest[object_id] = self._latest.get(object_id, 0) + 1
        self._sequence += 1
        heapq.heappush(self._heap, (when, self._sequence, resource, object_id, kind, token))
        return token

    def is_current(self, timer: Timer) -> bool:
        """Whether no newer timer was scheduled for the same object since."""
        return self._latest.get(timer.object_id) == timer.token

    def due(self, until: int) -> list[Timer]:
        """Pop the timers due by ``until``, earliest first (stale ones included)."""
        due = []
        heap = self._heap
        while heap and heap[0][0] <= until:
            when, _, resource, object_id, kind, token = heapq.heappop(heap)
            due.append(Timer(when, resource, object_id, kind, token))
        return due

    def __len__(self) -> int:
        return len(self._heap)
