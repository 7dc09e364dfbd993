"""The state of one test-mode Stripe account, shared by the sandbox's resources.

It holds what the resources read and change (intents, charges, payment methods, the
event log, timers, idempotency keys), the clock and the seeded id generator, and one
lock that every API call takes, so that the sandbox is safe under threads.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass, field
from typing import Any

from paykit.charges import MintedMethod
from paykit.clock import Clock
from paykit.event_log import EventLog
from paykit.idempotency import CallTrace, IdempotencyStore
from paykit.ids import IdFactory
from paykit.lifecycle import Status
from paykit.payment_methods import TestPaymentMethod

__all__ = ["Account", "IntentRecord", "Request"]

#: (request id, idempotency key): ``(None, None)`` for what Stripe does on its own.
Request = tuple[str | None, str | None]
NO_REQUEST: Request = (None, None)


@dataclass(slots=True)
class IntentRecord:
    """One PaymentIntent's live state: its API JSON (nested values as JSON text, see
    ``paykit.frozen``) plus what the engine remembers."""

    data: dict[str, Any]
    status: Status | None = None
    history: tuple[str, ...] = ()  # wire values, in order (a tuple: snapshots share it)
    method: TestPaymentMethod | None = None
    confirmations: int = 0
    increments: int = 0
    authenticated_pm: str | None = None
    timer: int = 0

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass(slots=True)
class Account:
    """Everything one sandbox knows; the resources are views over it."""

    api_version: str
    clock: Clock
    ids: IdFactory
    confirmation_limit: int
    statement_descriptor: str
    statement_descriptor_prefix: str
    events: EventLog
    lock: threading.RLock = field(default_factory=threading.RLock)
    intents: dict[str, IntentRecord] = field(default_factory=dict)
    #: charge id -> its field values (``paykit.charges``: replaced, never changed)
    charges: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    payment_methods: dict[str, MintedMethod] = field(default_factory=dict)
    #: minted payment method id -> the setup_future_usage it was saved with
    set_up_for: dict[str, str] = field(default_factory=dict)
    #: this thread's latest call: request id, idempotent replay or not
    trace: CallTrace = field(default_factory=CallTrace)
    idempotency: IdempotencyStore = field(init=False)
    timers: list[tuple[int, int, str, str, int]] = field(default_factory=list)
    _timer_seq: int = 0

    def __post_init__(self) -> None:
        self.idempotency = IdempotencyStore(self.trace)

    def new_request(self, idempotency_key: str | None) -> Request:
        request_id = self.trace.request_id = self.ids.new("req", 14)
        return (request_id, idempotency_key)

    def schedule(self, when: int, record: IntentRecord, kind: str) -> None:
        """Ask the clock to come back to this intent at ``when`` (settle or expire)."""
        record.timer += 1
        self._timer_seq += 1
        heapq.heappush(self.timers, (when, self._timer_seq, record.data["id"], kind,
                                     record.timer))

    def due_timers(self, until: int) -> list[tuple[int, str, str, int]]:
        """Pop the timers due by ``until``, earliest first."""
        due = []
        while self.timers and self.timers[0][0] <= until:
            when, _, intent_id, kind, token = heapq.heappop(self.timers)
            due.append((when, intent_id, kind, token))
        return due
