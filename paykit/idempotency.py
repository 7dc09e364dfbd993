"""Idempotency keys, as Stripe keeps them.

Sources: https://docs.stripe.com/api/idempotent_requests and
https://docs.stripe.com/idempotency (the 255-character limit, what is saved, pruning
after 24 hours, the parameter comparison); https://docs.stripe.com/api/errors (the
``idempotency_error`` type).

- The first request that runs with a key has its result saved: the response, or the
  error if the request failed after it started doing work (a declined card, say).
- A retry with the same key and the same endpoint and parameters gets the saved result
  back: the same response body (a snapshot from then), no new object, no new event.
- The same key with another endpoint or other parameters is an ``IdempotencyError``.
- Nothing is saved when parameter validation fails: fix the request and retry.
- Keys are forgotten 24 hours (of sandbox clock) after first use.
- A replay reports the first request's id and that it was replayed (``CallTrace``):
  the HTTP layer sends them as ``Request-Id`` and ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from paykit.errors import IdempotencyError, InvalidRequestError, StripeError

__all__ = ["KEY_MAX_LENGTH", "KEY_TTL_SECONDS", "CallTrace", "IdempotencyStore"]

KEY_TTL_SECONDS = 24 * 3600
KEY_MAX_LENGTH = 255

_T = TypeVar("_T")


class CallTrace(threading.local):
    """What this thread's latest API call did: its request id (``req_…``) and whether it
    was an idempotent replay. Per thread, so a threaded server reports each request's own.
    """

    request_id: str | None = None
    replayed: bool = False

    def reset(self) -> None:
        self.request_id = None
        self.replayed = False


@dataclass(slots=True)
class _Saved:
    endpoint: str
    fingerprint: str
    first_used: int
    request_id: str | None
    result: Any = None
    error: StripeError | None = None


def _fingerprint(params: dict[str, Any]) -> str:
    """A canonical form of the parameters, so that key order does not matter."""
    return _CANONICAL.encode(params)


# Built once (json.dumps with options builds an encoder per call; the SDK sends a key
# with every POST, so this runs on most requests).
_CANONICAL = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))


class IdempotencyStore:
    """Saved results by key. The sandbox's lock makes it safe under threads."""

    __slots__ = ("_by_age", "_saved", "_trace")

    def __init__(self, trace: CallTrace | None = None) -> None:
        self._trace = trace if trace is not None else CallTrace()
        self._saved: dict[str, _Saved] = {}
        self._by_age: deque[tuple[int, str]] = deque()  # (first used, key), oldest first

    def run(
        self,
        key: str | None,
        endpoint: str,
        params: dict[str, Any],
        now: int,
        work: Callable[[], _T],
    ) -> _T:
        """Run ``work`` once per key; replay its saved result on a matching retry."""
        if key is None:
            return work()
        if not isinstance(key, str) or not key or len(key) > KEY_MAX_LENGTH:
            raise InvalidRequestError(
                f"Invalid idempotency key: keys must be 1 to {KEY_MAX_LENGTH} characters.",
                param="idempotency_key",
                code="parameter_invalid_string",
            )
        self._forget_expired(now)
        print_ = _fingerprint(params)
        saved = self._saved.get(key)
        if saved is not None:
            if saved.endpoint != endpoint or saved.fingerprint != print_:
                raise IdempotencyError(
                    "Keys for idempotent requests can only be used with the same parameters "
                    "they were first used with. Try using a key other than "
                    f"'{key}' if you meant to execute a different request.",
                )
            self._trace.request_id = saved.request_id
            self._trace.replayed = True
            if saved.error is not None:
                raise saved.error
            return saved.result
        try:
            result = work()
        except StripeError as error:
            if _started_work(error):
                self._save(key, _Saved(endpoint, print_, now, self._trace.request_id,
                                       error=error))
            raise
        self._save(key, _Saved(endpoint, print_, now, self._trace.request_id, result=result))
        return result

    def _save(self, key: str, saved: _Saved) -> None:
        self._saved[key] = saved
        self._by_age.append((saved.first_used, key))

    def _forget_expired(self, now: int) -> None:
        """Drop every key older than 24 hours: the store does not grow without end."""
        by_age = self._by_age
        while by_age and now - by_age[0][0] >= KEY_TTL_SECONDS:
            first_used, key = by_age.popleft()
            saved = self._saved.get(key)
            if saved is not None and saved.first_used == first_used:
                del self._saved[key]

    def __len__(self) -> int:
        return len(self._saved)


def _started_work(error: StripeError) -> bool:
    """Declines happen after the request began; validation errors happen before."""
    return error.http_status == 402
