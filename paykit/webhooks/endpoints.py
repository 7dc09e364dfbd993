"""``sb.webhook_endpoints``: the Webhook Endpoints API, and where deliveries are watched.

Create, retrieve, update, delete and list, as ``/v1/webhook_endpoints``
(https://docs.stripe.com/api/webhook_endpoints): a ``url``, the ``enabled_events`` it
wants (``["*"]`` for all), an optional ``description``, ``metadata`` and
``api_version``, a ``status`` that ``disabled=True`` turns to ``disabled``. The signing
secret (``whsec_…``) is in the create response only: "Only returned at creation".

Python only (not on the wire): ``receiver=`` on create delivers to a function instead of
the URL (same bytes, same headers); ``faults(...)``, ``timeout``, ``wait()``,
``attempts()``, ``deliveries()``, ``resend()`` and ``observe()`` control and show the
deliveries (``paykit.webhooks.dispatcher``).

An endpoint created with ``api_version`` gets its events rendered in that version: "Events
sent to this endpoint will be generated with this Stripe Version instead of your
account's default Stripe Version"
(https://docs.stripe.com/api/webhook_endpoints/create#create_webhook_endpoint-api_version);
without it, in the account's.

Choices where Stripe publishes nothing (UNCONFIRMED, each tested in
tests/webhooks/test_endpoints.py):

- at most ``MAX_ENDPOINTS`` (16) endpoints, "You can register up to 16 webhook endpoints"
  (the docs); the message refusing a 17th is paykit's;
- an ``enabled_events`` name outside Stripe's list is refused (paykit's message);
- a deleted endpoint answers ``resource_missing`` afterwards, as a deleted object does
  on Stripe, and its pending retries are canceled (Stripe: "If your destination has been
  disabled or deleted when we attempt a retry, we prevent future retries").

>>> import paykit
>>> sb = paykit.Sandbox(seed=0)
>>> we = sb.webhook_endpoints.create(url="https://example.com/hook", enabled_events=["*"])
>>> we.secret.startswith("whsec_"), "secret" in sb.webhook_endpoints.retrieve(we.id)
(True, False)
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paykit.errors import InvalidRequestError
from paykit.objects import ListObject, StripeObject
from paykit.params import merge_metadata, validate_object
from paykit.params.webhook_endpoint_rules import WEBHOOK_ENDPOINT_RULES, WEBHOOK_EVENT_TYPES
from paykit.resources import JsonRecord, JsonResource
from paykit.webhooks.attempts import COLUMNS, AttemptTable, Delivery
from paykit.webhooks.dispatcher import Dispatcher, EndpointState, Observer
from paykit.webhooks.faults import Faults
from paykit.webhooks.signing import SECRET_PREFIX
from paykit.webhooks.transport import Receiver

if TYPE_CHECKING:
    from paykit.account import Account
    from paykit.objects import Event
    from paykit.timers import Timer

__all__ = ["MAX_ENDPOINTS", "WebhookEndpoint", "WebhookEndpointsResource"]

#: "You can register up to 16 webhook endpoints" (https://docs.stripe.com/webhooks).
MAX_ENDPOINTS = 16

_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?")


class WebhookEndpoint(StripeObject):
    """Where events are sent (https://docs.stripe.com/api/webhook_endpoints/object)."""

    __slots__ = ()
    OBJECT = "webhook_endpoint"

    def __repr__(self) -> str:
        d = self._data
        if d.get("deleted"):
            return f"<WebhookEndpoint id={d['id']} deleted>"
        return (f"<WebhookEndpoint id={d['id']} url={d['url']} status={d['status']} "
                f"enabled_events={d['enabled_events']}>")


class _EndpointRecord(JsonRecord):
    __slots__ = ("state",)

    def __init__(self, data: dict[str, Any], state: EndpointState) -> None:
        super().__init__(data, "enabled")
        self.state = state


class WebhookEndpointsResource(JsonResource[_EndpointRecord]):
    """``sb.webhook_endpoints``: the endpoints, and the deliveries made to them."""

    kind = "webhook_endpoint"
    url = "/v1/webhook_endpoints"
    wrap = WebhookEndpoint

    def __init__(self, account: Account, seed: object) -> None:
        super().__init__(account)
        self._dispatcher = Dispatcher(account, seed)

    # -- the API ---------------------------------------------------------------------------

    def create(self, *, receiver: Receiver | None = None, idempotency_key: str | None = None,
               **params: Any) -> WebhookEndpoint:
        """``POST /v1/webhook_endpoints``: ``url`` and ``enabled_events`` required.

        ``receiver`` (Python only): a function ``(body: bytes, headers) -> status`` that
        gets each delivery instead of the URL.
        """
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(
                idempotency_key, "POST /v1/webhook_endpoints", params, acct.clock.now,
                lambda: self._create(params, receiver))

    def retrieve(self, webhook_endpoint: str) -> WebhookEndpoint:
        """``GET /v1/webhook_endpoints/{id}`` (no ``secret``)."""
        with self._acct.lock:
            return WebhookEndpoint(self._render(self._get(webhook_endpoint)))

    def update(self, webhook_endpoint: str, *, idempotency_key: str | None = None,
               **params: Any) -> WebhookEndpoint:
        """``POST /v1/webhook_endpoints/{id}``: url, enabled_events, description,
        disabled, metadata."""
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(
                idempotency_key, f"POST /v1/webhook_endpoints/{webhook_endpoint}", params,
                acct.clock.now, lambda: self._update(webhook_endpoint, params))

    def delete(self, webhook_endpoint: str) -> WebhookEndpoint:
        """``DELETE /v1/webhook_endpoints/{id}``: ``{id, object, deleted: true}``."""
        with self._acct.lock:
            record = self._get(webhook_endpoint)
            del self._records[record.id]
            record.state.deleted = True
            self._dispatcher.remove(record.id)
            return WebhookEndpoint({"id": record.id, "object": "webhook_endpoint",
                                    "deleted": True})

    def list(self, limit: int | None = 10, *, starting_after: str | None = None,
             ending_before: str | None = None, created: Any = None) -> ListObject:
        """``GET /v1/webhook_endpoints``: newest first."""
        with self._acct.lock:
            return self._page(lambda r: True, limit, starting_after, ending_before, created)

    # -- deliveries (Python only) ----------------------------------------------------------

    def faults(self, *, duplicate: float = 0.0, out_of_order: float = 0.0,
               delay: float = 0.0, timeout: float = 0.0, seed: int | str = 0,
               delay_seconds: int | None = None) -> Faults:
        """Turn faults on (``paykit.webhooks.faults``); with no switch, all off."""
        extra = {} if delay_seconds is None else {"delay_seconds": delay_seconds}
        faults = Faults(duplicate=duplicate, out_of_order=out_of_order, delay=delay,
                        timeout=timeout, seed=seed, **extra)
        with self._acct.lock:
            self._dispatcher.set_faults(faults)
        return faults

    @property
    def timeout(self) -> float:
        """Seconds an endpoint has to answer (``paykit.webhooks.schedule``)."""
        return self._dispatcher.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        if not 0 < seconds <= 60:
            raise ValueError("timeout is from 0 to 60 seconds")
        self._dispatcher.timeout = float(seconds)

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until every attempt due now has been made; ``False`` on ``timeout``."""
        return self._dispatcher.wait(timeout)

    def deliveries(self, event: str | None = None, endpoint: str | None = None
                   ) -> builtins.list[Delivery]:
        """Deliveries in the order their events happened (one per event and endpoint)."""
        with self._acct.lock:
            return [d for d in self._dispatcher.deliveries.values()
                    if (event is None or d.event == event)
                    and (endpoint is None or d.endpoint == endpoint)]

    def attempts(self, event: str | None = None, endpoint: str | None = None,
                 columns: tuple[str, ...] = COLUMNS) -> AttemptTable:
        """Every attempt made, as a table: by sandbox time, then by endpoint (oldest
        first), then in the order each endpoint got them. Endpoints run in parallel, so
        the order in which their attempts end varies from run to run; this order does
        not."""
        with self._acct.lock:
            ranks = self._dispatcher.ranks
            attempts = sorted((a for a in self._dispatcher.log
                               if (event is None or a.event == event)
                               and (endpoint is None or a.endpoint == endpoint)),
                              key=lambda a: (a.at, ranks[a.endpoint]))
            types = {d.event: d.event_type for d in self._dispatcher.deliveries.values()}
        return AttemptTable(attempts, types, columns)

    def attempt_log(self, webhook_endpoint: str, after: int = 0) -> ListObject:
        """The attempts made to one endpoint in the order they ended, from the
        ``after``-th on: what ``paykit listen --api-base`` polls (a paykit addition)."""
        with self._acct.lock:
            record = self._get(webhook_endpoint, "webhook_endpoint")
            mine = [a for a in self._dispatcher.log if a.endpoint == record.id][after:]
            types = {d.event: d.event_type for d in self._dispatcher.deliveries.values()}
            rows = [StripeObject({"object": "webhook_attempt", **a._asdict(),
                                  "faults": list(a.faults), "type": types.get(a.event)})
                    for a in mine]
        return ListObject(rows, False, f"{self.url}/{record.id}/attempts")

    def resend(self, event: str, webhook_endpoint: str) -> Event:
        """Send ``event`` again to ``webhook_endpoint`` now (``stripe events resend``).

        "Manually resending an event … doesn't dismiss Stripe's automatic retry
        behavior": a scheduled retry still happens.
        """
        acct = self._acct
        with acct.lock:
            found = acct.events.get(event)
            record = self._get(webhook_endpoint, "webhook_endpoint")
            delivery = self._dispatcher.deliveries.get(f"{event}/{record.id}")
            if delivery is None:  # the endpoint did not want it, or came later
                delivery = Delivery(event, record.id, found.type, found.created,
                                    status="resent")
                self._dispatcher.deliveries[f"{event}/{record.id}"] = delivery
            self._dispatcher.resend(delivery)
            return found

    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(attempt, delivery)`` after each attempt (from a worker
        thread); returns the function that stops it."""
        with self._acct.lock:
            self._dispatcher.observers.append(observer)

        def stop() -> None:
            with self._acct.lock:
                if observer in self._dispatcher.observers:
                    self._dispatcher.observers.remove(observer)

        return stop

    def close(self) -> None:
        """Stop the worker threads once they have sent what is queued."""
        self._dispatcher.close()

    def fire(self, timer: Timer) -> None:
        """The clock reached a retry or a delayed delivery (``Sandbox.advance``)."""
        self._dispatcher.fire(timer)

    # -- the work ----------------------------------------------------------------------------

    def _create(self, raw: dict[str, Any], receiver: Receiver | None) -> WebhookEndpoint:
        acct = self._acct
        params = validate_object(WEBHOOK_ENDPOINT_RULES, self._acct.version(), "create", raw)
        _no_expansion(params)
        events = _checked_events(params["enabled_events"])
        version = params.get("api_version")
        if version is not None and not _API_VERSION.fullmatch(version):
            raise InvalidRequestError(f"Invalid api_version: {version}", param="api_version")
        if len(self._records) >= MAX_ENDPOINTS:
            raise InvalidRequestError(
                f"You have reached the maximum of {MAX_ENDPOINTS} test webhook endpoints. "
                "Delete one before you add another.", param="url")
        if receiver is not None and not callable(receiver):
            raise TypeError("receiver must be a function (body, headers) -> status")
        endpoint_id = acct.ids.new("we")
        secret = SECRET_PREFIX + acct.ids.token(32)
        state = EndpointState(endpoint_id, params["url"], tuple(events), secret, receiver,
                              api_version=version)
        record = _EndpointRecord({
            "id": endpoint_id, "object": "webhook_endpoint", "api_version": version,
            "application": None, "created": acct.clock.now,
            "description": params.get("description") or None, "enabled_events": events,
            "livemode": False, "metadata": merge_metadata({}, params.get("metadata") or {}),
            "status": "enabled", "url": params["url"],
        }, state)
        self._records[endpoint_id] = record
        self._dispatcher.add(state)
        if acct.events.webhooks is None:
            acct.events.webhooks = self._dispatcher
        return WebhookEndpoint({**self._render(record), "secret": secret})

    def _update(self, endpoint_id: str, raw: dict[str, Any]) -> WebhookEndpoint:
        params = validate_object(WEBHOOK_ENDPOINT_RULES, self._acct.version(), "update", raw)
        _no_expansion(params)
        record = self._get(endpoint_id)
        data, state = record.data, record.state
        if "enabled_events" in params:
            data["enabled_events"] = _checked_events(params["enabled_events"])
            state.events = tuple(data["enabled_events"])
        if "url" in params:
            data["url"] = state.url = params["url"]
        if "description" in params:
            data["description"] = params["description"] or None
        if "metadata" in params:
            data["metadata"] = merge_metadata(data["metadata"], params["metadata"])
        if "disabled" in params:
            state.enabled = not params["disabled"]
            data["status"] = record.status = "enabled" if state.enabled else "disabled"
        self._dispatcher.changed()
        return WebhookEndpoint(self._render(record))


def _checked_events(names: list[str]) -> list[str]:
    for index, name in enumerate(names):
        if name != "*" and name not in WEBHOOK_EVENT_TYPES:
            raise InvalidRequestError(
                f"Invalid enabled_events[{index}]: {name!r} is not an event type "
                "(https://docs.stripe.com/api/events/types), nor '*'.",
                param=f"enabled_events[{index}]")
    return list(names)


def _no_expansion(params: dict[str, Any]) -> None:
    if params.get("expand"):
        raise InvalidRequestError("A webhook endpoint has no expandable fields.",
                                  param="expand")
