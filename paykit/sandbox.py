"""``paykit.Sandbox``: an in-memory, test-mode Stripe account.

    >>> import paykit
    >>> sb = paykit.Sandbox(seed=0)
    >>> pi = sb.payment_intents.create(amount=1099, currency="usd")
    >>> pi.status
    'requires_payment_method'
    >>> sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa").status
    'succeeded'

The same seed and the same calls give the same ids and timestamps every run; the clock
only moves with ``advance``, which settles bank debits and expires uncaptured
authorisations on the way, in time order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from paykit.account import Account
from paykit.charges import ChargesResource
from paykit.clock import DEFAULT_START, Clock
from paykit.customers import CustomersResource
from paykit.embedded_lists import related_lists
from paykit.event_log import EventLog, EventsResource
from paykit.idempotency import CallTrace
from paykit.ids import IdFactory
from paykit.intents import CONFIRMATION_LIMIT, PaymentIntentsResource
from paykit.payment_method_resource import PaymentMethodsResource, SavedMethods
from paykit.refunds import RefundsResource
from paykit.setup_intents import SetupIntentsResource
from paykit.webhooks.endpoints import WebhookEndpointsResource

__all__ = ["CURRENT_API_VERSION", "Sandbox"]

#: The API version a sandbox speaks unless told otherwise (OpenAPI spec 2026-09-30).
CURRENT_API_VERSION = "2026-09-30.endive"


class Sandbox:
    """One test-mode account: ``payment_intents``, ``setup_intents``, ``customers``,
    ``payment_methods``, ``refunds``, ``charges``, ``events``, and a clock.

    ``api_version`` selects the behaviour of its version (``paykit.api_versions``: before
    2019-02-11, the legacy status names); ``start`` sets the clock, which also decides
    Stripe's dated platform changes (before 2 January 2024 a card payment may still carry
    ``statement_descriptor``).
    ``confirmation_limit``: how many confirmations before a failing one cancels the
    intent (Stripe's number is not public; paykit chooses 10).
    """

    def __init__(
        self,
        seed: int | str | None = 0,
        *,
        api_version: str | None = None,
        start: int = DEFAULT_START,
        confirmation_limit: int = CONFIRMATION_LIMIT,
        statement_descriptor: str = "PAYKIT SANDBOX",
        statement_descriptor_prefix: str = "PAYKIT",
    ) -> None:
        version = api_version or CURRENT_API_VERSION
        self._account = Account(
            api_version=version,
            clock=Clock(start),
            ids=IdFactory(seed),
            confirmation_limit=confirmation_limit,
            statement_descriptor=statement_descriptor,
            statement_descriptor_prefix=statement_descriptor_prefix,
            events=EventLog(version),
        )
        self.seed = seed
        # ids for requests the engine never sees (reads, refused requests): their own
        # seeded stream, so reading never shifts the ids later objects get
        self._read_request_ids = IdFactory(f"{seed}/requests")
        saved = SavedMethods(self._account)
        self.payment_intents = PaymentIntentsResource(self._account, saved)
        self.charges = ChargesResource(self._account)
        self.events = EventsResource(self._account.events, self._account.lock)
        self.payment_methods = PaymentMethodsResource(self._account, saved)
        self.customers = CustomersResource(self._account, saved, self.payment_methods)
        self.refunds = RefundsResource(self._account)
        # what older API versions embed (a PaymentIntent's charges, a Charge's refunds)
        self._account.related = self._account.events.related = related_lists(
            self._account, self.refunds.of_charge)
        self.setup_intents = SetupIntentsResource(self._account, saved)
        # deliveries to the endpoints: retries and delayed ones are timers "webhook"
        self.webhook_endpoints = WebhookEndpointsResource(self._account, seed)
        # who the clock hands each due timer back to (``Timer.resource``)
        self._timed = {"payment_intent": self.payment_intents.fire,
                       "refund": self.refunds.fire,
                       "setup_intent": self.setup_intents.fire,
                       "webhook": self.webhook_endpoints.fire}

    @property
    def api_version(self) -> str:
        return self._account.api_version

    @property
    def statement_descriptor(self) -> str:
        """The account's full statement descriptor (non-card payments, no suffix)."""
        return self._account.statement_descriptor

    @property
    def statement_descriptor_prefix(self) -> str:
        """The account's card prefix: a suffix shows as ``PREFIX* SUFFIX``
        (https://docs.stripe.com/get-started/account/statement-descriptors)."""
        return self._account.statement_descriptor_prefix

    @property
    def now(self) -> int:
        """The sandbox clock, in epoch seconds (what ``created`` fields show)."""
        return self._account.clock.now

    @contextmanager
    def tracing(self) -> Iterator[CallTrace]:
        """What the API calls in this block did, as Stripe's response headers report it.

        Yields this thread's ``CallTrace``: after the block, ``request_id`` is the
        ``req_…`` id of the latest call (the one its events show as ``request.id``), or a
        fresh one when no call made one (a read, a refused request); ``replayed`` says
        whether an idempotency key replayed a saved response. The HTTP layer sends them
        as ``Request-Id`` and ``Idempotent-Replayed``.

        >>> sb = Sandbox(seed=0)
        >>> with sb.tracing() as trace:
        ...     pi = sb.payment_intents.create(amount=1099, currency="usd")
        >>> trace.request_id == sb.events.list()[0].request.id
        True
        """
        trace = self._account.trace
        trace.reset()
        try:
            yield trace
        finally:
            if trace.request_id is None:
                with self._account.lock:
                    trace.request_id = self._read_request_ids.new("req", 14)

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0,
                seconds: float = 0) -> int:
        """Move the clock forward; what falls due on the way happens at its own time.

        Returns the new time. Bank debits settle (or fail) after their processing delay;
        authorisations left uncaptured 7 days after creation are canceled.
        """
        acct = self._account
        with acct.lock:
            # checked before any timer fires: a refused move moves nothing (paykit.clock)
            target = acct.clock.target(days, hours, minutes, seconds)
            for timer in acct.timers.due(target):
                acct.clock.advance_to(max(timer.when, acct.clock.now))
                self._timed[timer.resource](timer)
            acct.clock.advance_to(target)
            return target

    def __repr__(self) -> str:
        acct = self._account
        return (
            f"<Sandbox seed={self.seed!r} api_version={acct.api_version} "
            f"now={acct.clock.isoformat()} intents={len(acct.intents)} "
            f"events={len(acct.events)}>"
        )
