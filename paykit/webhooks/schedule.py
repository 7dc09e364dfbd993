"""When a failed delivery is tried again, and how long an endpoint may take to answer.

Stripe: "We retry event deliveries created in a sandbox three times over the course of a
few hours" (https://docs.stripe.com/webhooks, "Event delivery behaviors"); live mode
retries "for up to three days with an exponential back off". The intervals are not
published, so paykit chooses them (UNCONFIRMED; tested in tests/webhooks/test_schedule.py):

====================  =========================  ==========================
attempt               sandbox time after the     why
                      previous attempt
====================  =========================  ==========================
1 (the delivery)      at once                    when the event happens
2 (first retry)       15 minutes                 soon enough to see a fixed endpoint
                                                 answer after ``sb.advance(minutes=15)``
3 (second retry)      1 hour                     backing off (x4) as live mode does
4 (third, last)       3 hours                    the last of three, 4 h 15 min after the
                                                 first attempt: "a few hours"
====================  =========================  ==========================

The intervals run on the sandbox clock: ``sb.advance(hours=...)`` makes the retries that
fall due. A retry whose time passed while an earlier attempt of the same delivery was on
the wire is made as soon as that attempt ends, with the sandbox time it was due at, so
``sb.advance(days=1)`` then ``sb.webhook_endpoints.wait()`` leaves the same log as four
small moves of the clock.

How long Stripe waits for an answer is not published either (UNCONFIRMED); stripe-cli's
local forwarder waits 30 s. paykit waits ``DEFAULT_TIMEOUT`` (10 s) of wall time, and an
endpoint may set less (``sb.webhook_endpoints.timeout``): a slower answer is "Timed out".

>>> [retry_at(1_000, attempt) for attempt in (1, 2, 3, 4)]
[1900, 4600, 11800, None]
"""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUT", "MAX_ATTEMPTS", "RETRY_DELAYS", "retry_at"]

#: Seconds of sandbox clock between an attempt and the next retry (paykit's choice).
RETRY_DELAYS: tuple[int, ...] = (15 * 60, 60 * 60, 3 * 60 * 60)
#: The delivery and its three retries.
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)
#: Wall-clock seconds an endpoint has to answer (paykit's choice; stripe-cli uses 30).
DEFAULT_TIMEOUT = 10.0


def retry_at(previous_at: int, attempt: int) -> int | None:
    """The sandbox time of the retry after automatic attempt number ``attempt`` (from 1)
    made at ``previous_at``, or ``None`` when that was the last one."""
    if attempt >= MAX_ATTEMPTS:
        return None
    return previous_at + RETRY_DELAYS[attempt - 1]
