"""What one click did to the sandbox: the object returned, or Stripe's error, and the events.

Every widget that calls the sandbox goes through ``observe``, so each shows the same
three things, as they happen: the resulting object's JSON, the API error body exactly as
Stripe would send it (``{"error": {...}}``), and every event the call emitted, oldest
first, as a webhook endpoint would receive them. Client secrets are masked by the views,
not here: the outcome keeps the truth, the screen shows ``redact``-ed copies.

>>> import paykit
>>> sb = paykit.Sandbox(seed=0)
>>> done = execute(sb, ApiRequest("create", params={"amount": 1099, "currency": "usd"}))
>>> done.ok, done.result["status"], [e["type"] for e in done.events]
(True, 'requires_payment_method', ['payment_intent.created'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from paykit.errors import StripeError
from paykit.sandbox import Sandbox
from paykit.widgets.requests import ApiRequest

__all__ = ["Outcome", "execute", "observe"]


@dataclass(frozen=True)
class Outcome:
    """One action and everything it produced (``result`` xor ``error``)."""

    label: str
    request: ApiRequest | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    events: tuple[dict[str, Any], ...] = ()
    status_before: str | None = None
    status_after: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (a declined card is an error, as in the API)."""
        return self.error is None

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(event["type"] for event in self.events)

    @property
    def error_code(self) -> str | None:
        """``card_declined``, ``payment_intent_unexpected_state``… or ``None``."""
        return None if self.error is None else self.error["error"].get("code")


def _newest_event(sandbox: Sandbox) -> str | None:
    page = sandbox.events.list(limit=1)
    return page.data[0].id if len(page) else None


def observe(
    sandbox: Sandbox,
    label: str,
    call: Callable[[], Any],
    *,
    request: ApiRequest | None = None,
    status_before: str | None = None,
    status_of: Callable[[], str | None] | None = None,
) -> Outcome:
    """Run ``call`` against ``sandbox`` and record what it returned and emitted.

    A ``StripeError`` is an outcome, not an exception: the learner sees its JSON.
    ``status_of`` reads the intent's status afterwards (a failed confirm still moves it).
    """
    newest = _newest_event(sandbox)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    try:
        returned = call()
    except StripeError as exc:
        error = exc.to_dict()
    else:
        result = returned.to_dict() if hasattr(returned, "to_dict") else None
    page = sandbox.events.list(ending_before=newest) if newest else sandbox.events.list()
    events = tuple(event.to_dict() for event in reversed(page.data))
    return Outcome(
        label=label,
        request=request,
        result=result,
        error=error,
        events=events,
        status_before=status_before,
        status_after=status_of() if status_of is not None else None,
    )


def execute(
    sandbox: Sandbox,
    request: ApiRequest,
    *,
    label: str | None = None,
    status_before: str | None = None,
    status_of: Callable[[], str | None] | None = None,
) -> Outcome:
    """Send ``request`` to the sandbox's resource (``payment_intents``, ...) and observe it."""
    resource = getattr(sandbox, request.resource)
    params = dict(request.params)
    key = request.idempotency_key or None

    def call() -> Any:
        if request.operation == "create":
            return resource.create(idempotency_key=key, **params)
        method = getattr(resource, request.operation)
        return method(request.intent, idempotency_key=key, **params)

    return observe(sandbox, label or request.operation, call, request=request,
                   status_before=status_before, status_of=status_of)
