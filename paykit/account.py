"""The state of one test-mode Stripe account, shared by the sandbox's resources.

It holds what the resources read and change (intents, charges, payment methods, the
event log, timers, idempotency keys), the clock and the seeded id generator, and one
lock that every API call takes, so that the sandbox is safe under threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from paykit import storage
from paykit.api_versions import requested_version
from paykit.clock import Clock
from paykit.event_log import EventLog
from paykit.idempotency import CallTrace, IdempotencyStore
from paykit.ids import IdFactory
from paykit.lifecycle import Status
from paykit.minting import MintedMethod
from paykit.payment_methods import TestPaymentMethod
from paykit.storage import StoredCharge
from paykit.timers import Timers
from paykit.versioned_json import Related

__all__ = ["NO_REQUEST", "Account", "IntentRecord", "Request"]

#: (request id, idempotency key): ``(None, None)`` for what Stripe does on its own.
Request = tuple[str | None, str | None]
NO_REQUEST: Request = (None, None)


@dataclass(slots=True)
class IntentRecord:
    """One PaymentIntent's live state: its fields by name, plus what the engine remembers.

    Read and write fields with ``get`` / ``put`` (JSON values); ``data`` holds them in
    the stored form of ``paykit.storage``, which plain values (ids, amounts, statuses)
    share with their JSON.
    """

    data: dict[str, Any]
    status: Status | None = None
    history: tuple[str, ...] = ()  # wire values, in order (a tuple: snapshots share it)
    method: TestPaymentMethod | None = None
    confirmations: int = 0
    increments: int = 0
    authenticated_pm: str | None = None

    @property
    def id(self) -> str:
        return self.data["id"]

    def get(self, name: str) -> Any:
        """Field ``name`` as JSON (nested values are shared: read, never change)."""
        return storage.load(self.data, name)

    def put(self, name: str, value: Any) -> None:
        """Set field ``name`` to the JSON value ``value``."""
        storage.store(self.data, name, value)

    def values(self) -> tuple[Any, ...]:
        """The stored field values, in the API's order: what a snapshot keeps."""
        return tuple(self.data.values())

    def saved(self) -> tuple[Any, ...]:
        """Everything a refused request must put back (see ``restore``)."""
        return (dict(self.data), self.method, self.status, self.history,
                self.confirmations, self.increments, self.authenticated_pm)

    def restore(self, saved: tuple[Any, ...]) -> None:
        data, self.method, self.status, self.history, self.confirmations, \
            self.increments, self.authenticated_pm = saved
        self.data.update(data)


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
    #: charge id -> the stored charge (``paykit.storage``: replaced, never changed)
    charges: dict[str, StoredCharge] = field(default_factory=dict)
    payment_methods: dict[str, MintedMethod] = field(default_factory=dict)
    #: minted payment method id -> the setup_future_usage it was saved with
    set_up_for: dict[str, str] = field(default_factory=dict)
    #: payment method id -> its saved state, for the few methods that have one
    #: (attached, detached, given billing details; ``paykit.payment_method_resource``)
    method_states: dict[str, Any] = field(default_factory=dict)
    #: customer id -> its record (``paykit.customers``)
    customers: dict[str, Any] = field(default_factory=dict)
    #: this thread's latest call: request id, idempotent replay or not
    trace: CallTrace = field(default_factory=CallTrace)
    idempotency: IdempotencyStore = field(init=False)
    timers: Timers = field(default_factory=Timers)
    #: the lists older API versions embed in an object (``paykit.embedded_lists``)
    related: Related | None = None

    def __post_init__(self) -> None:
        self.idempotency = IdempotencyStore(self.trace)

    def version(self) -> str:
        """The API version this call is read in: the request's ``Stripe-Version`` when
        the HTTP layer gave one (``api_versions.requested``), else the account's."""
        return requested_version() or self.api_version

    def new_request(self, idempotency_key: str | None) -> Request:
        request_id = self.trace.request_id = self.ids.new("req", 14)
        return (request_id, idempotency_key)
