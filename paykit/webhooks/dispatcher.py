"""Who sends what, when: the account's deliveries, one worker thread per endpoint.

The event log tells the dispatcher about each new event (``appended``, called inside the
API call that made it, under the account lock). That costs the API call a dictionary
lookup and, per endpoint that wants the event, a small record, the fault roll and one
queue ``put``: nothing is rendered, signed or sent there, so delivery never blocks the
call. It does not make the call free: the worker renders, signs and sends in the same
interpreter. Measured with benchmarks/webhooks.py on the shared 2-core machine (four
runs): card payments at 29,600-45,400/s with no endpoint, 13,700-21,800/s with one
endpoint on loopback, whose worker sent 2,140-2,610 deliveries/s meanwhile (the
benchmark's endpoint server runs in the same process too). The JSON is written and
signed outside the account lock, so the API waits for a worker only while it reads the
event and while it writes the attempt down.

Each endpoint has its own worker thread and queue (``Lane``): a slow or hanging endpoint
delays only its own deliveries, never the API or the other endpoints, and every wait is
bounded by ``timeout``.

A worker takes the account lock only to read the event and to write down the attempt,
never while it waits on the network. Reading under the lock also settles the one race
with the engine: a request the engine refuses takes its events back (``EventLog.truncate``)
before it lets go of the lock, so a worker sees such an event gone and forgets it.

Retries run on the sandbox clock (``paykit.webhooks.schedule``): a failed attempt sets a
timer, and ``Sandbox.advance`` hands due timers back to ``fire``. Faults
(``paykit.webhooks.faults``) are rolled in ``appended``, in the order events happen, so a
seed picks the same deliveries every run. ``wait`` blocks until every queued attempt is
made: what a test or a notebook calls before it looks at the log.

>>> import paykit
>>> sb = paykit.Sandbox(seed=0)
>>> seen = []
>>> endpoint = sb.webhook_endpoints.create(url="https://example.test/hook",
...     enabled_events=["payment_intent.created"],
...     receiver=lambda body, headers: seen.append(body) or 200)
>>> pi = sb.payment_intents.create(amount=1099, currency="usd")
>>> sb.webhook_endpoints.wait()
True
>>> len(seen), sb.events.retrieve(sb.events.list()[0].id).pending_webhooks
(1, 0)
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from paykit.errors import StripeError
from paykit.webhooks.attempts import Attempt, Delivery
from paykit.webhooks.faults import Faults, Picked
from paykit.webhooks.schedule import DEFAULT_TIMEOUT, retry_at
from paykit.webhooks.signing import signature_header
from paykit.webhooks.transport import (
    Answer,
    CallableTransport,
    HttpTransport,
    Receiver,
    delivery_headers,
)

if TYPE_CHECKING:
    from paykit.account import Account
    from paykit.timers import Timer

__all__ = ["Dispatcher", "EndpointState", "Job", "Lane", "Observer"]

_logger = logging.getLogger("paykit.webhooks")

#: Called after each attempt, from the endpoint's worker thread.
Observer = Callable[[Attempt, Delivery], None]


@dataclass(slots=True, eq=False)
class EndpointState:
    """What the dispatcher needs to know of one endpoint (kept by the resource)."""

    id: str
    url: str
    events: tuple[str, ...]
    secret: str
    receiver: Receiver | None
    enabled: bool = True
    deleted: bool = False
    #: the version its events are rendered in (``None``: the account's)
    api_version: str | None = None

    def wants(self, event_type: str) -> bool:
        return self.enabled and ("*" in self.events or event_type in self.events)


class Job(NamedTuple):
    """One attempt to make: which delivery, at what sandbox time, of which kind."""

    delivery: Delivery
    at: int
    kind: str  # automatic, retry, duplicate, resend
    faults: tuple[str, ...] = ()
    late: bool = False  # the ``timeout`` fault: the answer counts as too late


class Lane:
    """One endpoint's queue, worker thread and transport."""

    __slots__ = ("endpoint", "held", "jobs", "thread", "transport")

    def __init__(self, endpoint: EndpointState) -> None:
        self.endpoint = endpoint
        self.jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.held: list[Job] = []  # out-of-order jobs waiting for the next one
        self.thread: threading.Thread | None = None
        self.transport: HttpTransport | CallableTransport | None = None

    def transport_for(self, endpoint: EndpointState) -> HttpTransport | CallableTransport:
        """The transport for the endpoint as it is now (its url may have changed)."""
        current = self.transport
        if endpoint.receiver is not None:
            if not (isinstance(current, CallableTransport)
                    and current.receiver is endpoint.receiver):
                current = CallableTransport(endpoint.receiver)
        elif not (isinstance(current, HttpTransport) and current.url == endpoint.url):
            if current is not None:
                current.close()
            current = HttpTransport(endpoint.url)
        self.transport = current
        return current


class Dispatcher:
    """The deliveries of one account: routing, faults, attempts, retries, waiting."""

    def __init__(self, account: Account, seed: object) -> None:
        self._acct = account
        self._seed = seed
        self._lanes: dict[str, Lane] = {}
        self._routes: dict[str, tuple[Lane, ...]] = {}
        self.deliveries: dict[str, Delivery] = {}  # "evt_…/we_…" -> its delivery
        self.by_event: dict[str, list[Delivery]] = {}
        self._pending: dict[str, int] = {}
        self.log: list[Attempt] = []  # every attempt, in the order they ended
        self.ranks: dict[str, int] = {}  # endpoint id -> creation order
        self._picked: dict[str, Picked] = {}  # faults of a delayed first attempt
        self.faults = Faults()
        self._dice = self.faults.dice(seed)
        self.timeout = DEFAULT_TIMEOUT
        self.observers: list[Observer] = []
        self._idle = threading.Condition()
        self._outstanding = 0

    # -- endpoints (called by the resource, under the account lock) -------------------------

    def add(self, endpoint: EndpointState) -> None:
        self.ranks[endpoint.id] = len(self.ranks)
        self._lanes[endpoint.id] = Lane(endpoint)
        self._routes.clear()

    def changed(self) -> None:
        """An endpoint's events or status changed: route again."""
        self._routes.clear()

    def remove(self, endpoint_id: str) -> None:
        lane = self._lanes.pop(endpoint_id)
        lane.endpoint.deleted = True
        self._routes.clear()
        for job in lane.held:  # released, to be recorded canceled by the worker
            self._put(lane, job, release=False)
        lane.held.clear()
        if lane.thread is not None:
            lane.jobs.put(None)

    def set_faults(self, faults: Faults) -> None:
        self.faults = faults
        self._dice = faults.dice(self._seed)

    # -- the event log's hook (under the account lock, inside the API call) -------------------

    def appended(self, event_id: str, event_type: str, created: int) -> None:
        """A new event: one delivery per endpoint that wants it, faults rolled now."""
        lanes = self._routes.get(event_type)
        if lanes is None:
            lanes = self._routes[event_type] = tuple(
                lane for lane in self._lanes.values() if lane.endpoint.wants(event_type))
        if not lanes:
            return
        self._pending[event_id] = len(lanes)
        deliveries = self.by_event[event_id] = []
        for lane in lanes:
            delivery = Delivery(event_id, lane.endpoint.id, event_type, created)
            deliveries.append(delivery)
            key = f"{event_id}/{lane.endpoint.id}"
            self.deliveries[key] = delivery
            picked = self._dice.roll(self.faults)
            if picked.delay:
                delivery.next_retry = created + self.faults.delay_seconds
                self._picked[key] = picked
                self._acct.timers.schedule(delivery.next_retry, "webhook", key, "delayed")
            else:
                self._first(lane, delivery, created, picked)

    def pending_count(self, event_id: str) -> int:
        """``pending_webhooks``: endpoints that have not answered this event with a 2xx."""
        return self._pending.get(event_id, 0)

    def _first(self, lane: Lane, delivery: Delivery, at: int, picked: Picked) -> None:
        if picked.out_of_order and lane.held:  # it overtakes the held one: not held
            picked = picked._replace(out_of_order=False)
        job = Job(delivery, at, "automatic", picked.names(), picked.timeout)
        if picked.out_of_order:  # held until the next delivery overtakes it
            lane.held.append(job)
            self._count(1)
            return
        self._put(lane, job)
        if picked.duplicate:
            self._put(lane, Job(delivery, at, "duplicate", ("duplicate",)))

    def _put(self, lane: Lane, job: Job, *, release: bool = True, counted: bool = False
             ) -> None:
        """Queue ``job``; then the jobs held back for being out of order."""
        if not counted:
            self._count(1)
        if lane.thread is None:
            lane.thread = threading.Thread(target=self._work, args=(lane,), daemon=True,
                                           name=f"paykit-webhook-{lane.endpoint.id}")
            lane.thread.start()
        lane.jobs.put(job)
        if release and lane.held:
            held, lane.held = lane.held, []
            for late in held:
                self._put(lane, late, release=False, counted=True)

    def release_held(self) -> None:
        """Send the out-of-order jobs no later event came to overtake."""
        for lane in self._lanes.values():
            held, lane.held = lane.held, []
            for job in held:
                self._put(lane, job, release=False, counted=True)

    # -- the clock (under the account lock, from ``Sandbox.advance``) ------------------------

    def fire(self, timer: Timer) -> None:
        """A retry, or a delayed first attempt, fell due."""
        delivery = self.deliveries.get(timer.object_id)
        if delivery is None or not self._acct.timers.is_current(timer):
            return
        lane = self._lanes.get(delivery.endpoint)
        if lane is None:  # deleted meanwhile
            self._cancel(delivery)
            return
        if timer.kind == "delayed":
            picked = self._picked.pop(timer.object_id)
            self._first(lane, delivery, timer.when, picked)
        else:
            self._put(lane, Job(delivery, timer.when, "retry"))

    def resend(self, delivery: Delivery) -> None:
        """A manual attempt (``stripe events resend``): it leaves the schedule alone."""
        lane = self._lanes[delivery.endpoint]
        self._put(lane, Job(delivery, self._acct.clock.now, "resend"), release=False)

    # -- the workers ---------------------------------------------------------------------------

    def _work(self, lane: Lane) -> None:
        while True:
            job = lane.jobs.get()
            if job is None:
                break
            try:
                self._attempt(lane, job)
            except Exception:  # a paykit bug must not stop the endpoint's deliveries
                _logger.exception("webhook delivery of %s failed", job.delivery.event)
            finally:
                self._count(-1)
        if lane.transport is not None:
            lane.transport.close()

    def _attempt(self, lane: Lane, job: Job) -> None:
        delivery, acct = job.delivery, self._acct
        with acct.lock:
            endpoint = lane.endpoint
            if endpoint.deleted or (not endpoint.enabled and job.kind != "resend"):
                self._cancel(delivery)
                return
            try:
                # rendered in the endpoint's version when it pinned one
                event = acct.events.get(delivery.event, endpoint.api_version)
            except StripeError:  # a refused request took its events back
                self._forget(delivery)
                return
            secret, timeout = endpoint.secret, self.timeout
            answer: Answer | None = None
            try:
                transport = lane.transport_for(endpoint)
            except ValueError as error:  # a URL paykit cannot POST to (not http/https)
                answer = Answer(None, "", f"Unable to connect ({error})")
        # a fresh rendering (nested values are never changed in place): out of the lock
        body = json.dumps(event._wire(), indent=2).encode("utf-8")
        signed_at = int(time.time())
        headers = delivery_headers(signature_header(body, secret, signed_at))
        started = time.perf_counter()
        if answer is None:
            answer = transport.send(body, headers, timeout)
        latency = time.perf_counter() - started
        if answer.error is None and (job.late or latency > timeout):
            answer = Answer(None, answer.body, "Timed out")
        self._record(job, answer, signed_at, latency)

    def _record(self, job: Job, answer: Answer, signed_at: int, latency: float) -> None:
        delivery, acct = job.delivery, self._acct
        with acct.lock:
            attempt = Attempt(delivery.event, delivery.endpoint, len(delivery.attempts) + 1,
                              job.at, signed_at, answer.status, answer.body, answer.error,
                              round(latency * 1000, 3), job.kind, job.faults)
            delivery.attempts.append(attempt)
            self.log.append(attempt)
            automatic = job.kind in ("automatic", "retry")
            if automatic:
                delivery.automatic += 1
                delivery.next_retry = None
            if attempt.ok:
                if delivery.status == "pending":
                    delivery.status = "delivered"
                    self._pending[delivery.event] -= 1
            elif automatic:
                when = retry_at(job.at, delivery.automatic)
                if when is None:
                    if delivery.status == "pending":
                        delivery.status = "failed"
                elif delivery.endpoint in self._lanes:
                    delivery.next_retry = when
                    if when <= acct.clock.now:  # the clock passed it while we waited
                        self._put(self._lanes[delivery.endpoint], Job(delivery, when, "retry"),
                                  release=False)
                    else:
                        acct.timers.schedule(when, "webhook",
                                             f"{delivery.event}/{delivery.endpoint}", "retry")
                else:
                    self._cancel(delivery)
            observers = tuple(self.observers)
        for observer in observers:
            try:
                observer(attempt, delivery)
            except Exception:
                _logger.exception("a webhook observer failed")

    def _cancel(self, delivery: Delivery) -> None:
        """No more automatic attempts: the endpoint is gone or disabled."""
        delivery.next_retry = None
        if delivery.status == "pending":
            delivery.status = "canceled"

    def _forget(self, delivery: Delivery) -> None:
        self.deliveries.pop(f"{delivery.event}/{delivery.endpoint}", None)
        self.by_event.pop(delivery.event, None)
        self._pending.pop(delivery.event, None)

    # -- waiting ---------------------------------------------------------------------------------

    def _count(self, change: int) -> None:
        with self._idle:
            self._outstanding += change
            if self._outstanding == 0:
                self._idle.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued attempt (and every held one) is made; ``False`` if
        ``timeout`` seconds passed first. Call it without the account lock."""
        with self._acct.lock:
            self.release_held()
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers after what they have queued (each join bounded)."""
        with self._acct.lock:
            self.release_held()
            lanes = list(self._lanes.values())
            for lane in lanes:
                if lane.thread is not None:
                    lane.jobs.put(None)
        deadline = time.monotonic() + timeout
        for lane in lanes:
            if lane.thread is not None:
                lane.thread.join(max(0.0, deadline - time.monotonic()))
                lane.thread = None
