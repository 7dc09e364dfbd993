"""Webhooks for real: endpoints, signed deliveries, retries, and faults on purpose.

- ``endpoints``   ``sb.webhook_endpoints``: the Webhook Endpoints API, and the
  deliveries made to them (attempts, wait, resend, faults)
- ``dispatcher``  routing each new event to the endpoints that want it, one worker
  thread per endpoint, retries on the sandbox clock
- ``signing``     the ``Stripe-Signature`` header (``stripe.Webhook.construct_event``
  verifies it unchanged)
- ``transport``   a POST over HTTP, or a call to a Python function
- ``schedule``    when a failed delivery is retried; how long an endpoint may take
- ``faults``      duplicate, out-of-order, delayed and timed-out deliveries, seeded
- ``attempts``    the log of every attempt, as a table
- ``listen``      ``paykit listen --forward-to URL``: the offline ``stripe listen``

Only the standard library: ``stripe`` is needed by the learner's endpoint, not here.
"""

from __future__ import annotations

from paykit.webhooks.attempts import Attempt, AttemptTable, Delivery
from paykit.webhooks.endpoints import MAX_ENDPOINTS, WebhookEndpoint, WebhookEndpointsResource
from paykit.webhooks.faults import Faults
from paykit.webhooks.schedule import DEFAULT_TIMEOUT, RETRY_DELAYS
from paykit.webhooks.signing import sign, signature_header

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_ENDPOINTS",
    "RETRY_DELAYS",
    "Attempt",
    "AttemptTable",
    "Delivery",
    "Faults",
    "WebhookEndpoint",
    "WebhookEndpointsResource",
    "sign",
    "signature_header",
]
