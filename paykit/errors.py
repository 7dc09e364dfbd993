"""Every error paykit raises, shaped like the Stripe API's own.

A bad request to the sandbox never surfaces as a Python traceback from deep inside
paykit: it is always one of these, and ``to_dict()`` gives the JSON body the real
API would have returned (``{"error": {...}}``), so a learner sees what Stripe sends.

The hierarchy (one class per ``error.type`` of the API, plus the HTTP-level ones)::

    StripeError                      any error the API can return
    ├── CardError                    402, type "card_error": the card was declined
    ├── InvalidRequestError          400/404, type "invalid_request_error"
    ├── IdempotencyError             400/409, type "idempotency_error"
    ├── AuthenticationError          401, no valid API key
    ├── PermissionError              403, a key that may not do this
    ├── RateLimitError               429
    └── APIError                     500, type "api_error"

``error_from_dict`` maps an API error body back to its class, as stripe-python does.
The types, codes and HTTP statuses: https://docs.stripe.com/api/errors.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "CardError",
    "IdempotencyError",
    "InvalidRequestError",
    "PermissionError",
    "RateLimitError",
    "StripeError",
    "error_from_dict",
]

_DOC_URL = "https://stripe.com/docs/error-codes/{code}"


class StripeError(Exception):
    """Base class: carries every field of Stripe's ``api_errors`` object."""

    http_status: int = 500
    type: str = "api_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        http_status: int | None = None,
        payment_intent: dict[str, Any] | None = None,
        charge: str | None = None,
        payment_method: dict[str, Any] | None = None,
        payment_method_type: str | None = None,
        request_id: str | None = None,
        setup_intent: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        if http_status is not None:
            self.http_status = http_status
        self.payment_intent = payment_intent
        self.charge = charge
        self.payment_method = payment_method
        self.payment_method_type = payment_method_type
        self.request_id = request_id
        self.setup_intent = setup_intent

    @property
    def doc_url(self) -> str | None:
        """Stripe links every coded error to its documentation page."""
        return _DOC_URL.format(code=self.code) if self.code else None

    def to_dict(self) -> dict[str, Any]:
        """The response body, as the API returns it: absent fields are left out."""
        body: dict[str, Any] = {}
        for key in ("charge", "code", "decline_code", "doc_url", "message", "param"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        if self.payment_intent is not None:
            body["payment_intent"] = self.payment_intent
        if self.payment_method is not None:
            body["payment_method"] = self.payment_method
        if self.payment_method_type is not None:
            body["payment_method_type"] = self.payment_method_type
        if self.setup_intent is not None:
            body["setup_intent"] = self.setup_intent
        if self.request_id is not None:
            body["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{self.request_id}"
            )
        body["type"] = self.type
        return {"error": body}

    def __str__(self) -> str:
        """The API's JSON with every secret masked: a traceback or a log shows ``str()``,
        and the ``payment_intent`` of an error carries its client secret
        (``to_dict()`` keeps it: it is the response body)."""
        from paykit.sensitive import redact  # paykit.sensitive imports this module's users

        return json.dumps(redact(self.to_dict()), indent=2)

    def __repr__(self) -> str:
        from paykit.sensitive import redact_text

        details = ", ".join(
            f"{name}={redact_text(str(getattr(self, name)))!r}"
            for name in ("code", "param", "decline_code")
            if getattr(self, name) is not None
        )
        sep = ", " if details else ""
        return (
            f"{type(self).__name__}(http_status={self.http_status}{sep}{details}, "
            f"message={redact_text(self.message)!r})"
        )


class CardError(StripeError):
    """The card (or bank debit) was declined: HTTP 402 and a ``decline_code``."""

    http_status = 402
    type = "card_error"


class InvalidRequestError(StripeError):
    """Bad parameters, a missing object (404) or a move the state machine refuses."""

    http_status = 400
    type = "invalid_request_error"


class IdempotencyError(StripeError):
    """An idempotency key re-used with a different endpoint or parameters.

    The HTTP status is not confirmed by Stripe's docs (third parties report 400 and 409):
    paykit answers 400, as stripe-python maps ``idempotency_error`` whatever the status,
    and keeps 409 for a key already in use by a concurrent request.
    """

    http_status = 400
    type = "idempotency_error"


class AuthenticationError(StripeError):
    """No API key, a malformed one, or one this sandbox does not know."""

    http_status = 401
    type = "invalid_request_error"


class PermissionError(StripeError):
    """A key without the right to make this request (publishable keys, mostly)."""

    http_status = 403
    type = "invalid_request_error"


class RateLimitError(StripeError):
    """Too many requests."""

    http_status = 429
    type = "invalid_request_error"


class APIError(StripeError):
    """Something went wrong on the sandbox's side."""

    http_status = 500
    type = "api_error"


def error_from_dict(body: dict[str, Any], http_status: int) -> StripeError:
    """Rebuild the matching exception from an API error body and its HTTP status."""
    error = body.get("error", body)
    kwargs = {
        "code": error.get("code"),
        "param": error.get("param"),
        "decline_code": error.get("decline_code"),
        "payment_intent": error.get("payment_intent"),
        "charge": error.get("charge"),
        "http_status": http_status,
    }
    message = error.get("message", "")
    kind = error.get("type")
    cls: type[StripeError]
    if kind == "idempotency_error":
        cls = IdempotencyError
    elif kind == "card_error":
        cls = CardError
    elif http_status == 401:
        cls = AuthenticationError
    elif http_status == 403:
        cls = PermissionError
    elif http_status == 429:
        cls = RateLimitError
    elif kind == "invalid_request_error":
        cls = InvalidRequestError
    else:
        cls = APIError
    return cls(message, **kwargs)
