"""How a delivery is signed: Stripe's ``Stripe-Signature`` header.

"Stripe generates the timestamp and signature each time we send an event to your
endpoint" (https://docs.stripe.com/webhooks, "Preventing replay attacks"): the header is
``t=<unix time of this attempt>,v1=<hex HMAC-SHA256 of "t.payload">``, keyed with the
endpoint's whole secret string (``whsec_`` included), over the raw body. The official
libraries (``stripe.Webhook.construct_event``) verify it unchanged.

The time is the wall clock of each attempt, never the event's ``created`` (the sandbox
clock starts in the past, and the libraries refuse a timestamp older than 300 s). Test
events also carry "an additional signature with a fake ``v0`` scheme"; paykit signs it
with a fixed key that is not the secret, so a handler that checks ``v0`` learns nothing.

>>> sign(b'{"id": "evt_1"}', "whsec_test", 1700000000)
'a0c091828640f0b68061abc7c03981ad1100ff7160c5dba6b656239494a2b537'
>>> [part[:3] for part in signature_header(b"{}", "whsec_test", 1700000000).split(",")]
['t=1', 'v1=', 'v0=']
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["SCHEME", "SECRET_PREFIX", "sign", "signature_header"]

#: The one live signature scheme ("Currently, the only valid live signature scheme is v1").
SCHEME = "v1"
#: Every endpoint secret starts with it.
SECRET_PREFIX = "whsec_"
#: The key of the fake ``v0`` signature (paykit's: Stripe does not say how it makes it).
_FAKE_V0_KEY = b"paykit-fake-v0-scheme"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``v1`` signature: hex HMAC-SHA256 of ``"<timestamp>." + payload``."""
    message = str(int(timestamp)).encode("ascii") + b"." + payload
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """The whole ``Stripe-Signature`` value: ``t=…,v1=…,v0=…`` on one line."""
    fake = hmac.new(_FAKE_V0_KEY, str(int(timestamp)).encode("ascii") + b"." + payload,
                    hashlib.sha256).hexdigest()
    return f"t={int(timestamp)},{SCHEME}={sign(payload, secret, timestamp)},v0={fake}"
