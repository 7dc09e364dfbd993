"""Random sequences of actions never break the lifecycle (Hypothesis, stateful).

In CI this runs 50 sequences of 50 steps (2,500 steps); locally a little less.
"""

from __future__ import annotations

import itertools
import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

import paykit
from paykit.event_types import EVENT_TYPES
from paykit.lifecycle import TERMINAL_STATUSES, Status, can_transition
from paykit.payment_methods import TEST_PAYMENT_METHODS

METHODS = sorted(TEST_PAYMENT_METHODS)
CURRENCIES = ["usd", "eur", "jpy", "gbp"]
STEPS = [0]  # steps run, so the suite can show how much it explored
COMPACT = json.JSONEncoder(separators=(",", ":")).encode
REASONS = [None, "abandoned", "duplicate", "fraudulent", "requested_by_customer", "bogus"]


class IntentLifecycle(RuleBasedStateMachine):
    intents = Bundle("intents")

    def __init__(self) -> None:
        super().__init__()
        self.sb = paykit.Sandbox(seed=7, confirmation_limit=4)
        self.last_status: dict[str, str] = {}

    def _call(self, fn, *args, **kwargs) -> None:
        """Only Stripe-shaped errors may come out of the sandbox."""
        try:
            fn(*args, **kwargs)
        except paykit.StripeError as error:
            assert error.to_dict()["error"]["type"]

    @initialize(target=intents)
    def first_intent(self):
        return self.sb.payment_intents.create(amount=1099, currency="usd").id

    @rule(target=intents, amount=st.integers(-5, 200_000), currency=st.sampled_from(CURRENCIES),
          method=st.one_of(st.none(), st.sampled_from(METHODS)), confirm=st.booleans(),
          manual=st.booleans())
    def create(self, amount, currency, method, confirm, manual):
        params = {"amount": amount, "currency": currency}
        if method:
            params["payment_method"] = method
            params["confirm"] = confirm
        if manual:
            params["capture_method"] = "manual"
        self._call(self.sb.payment_intents.create, **params)
        listed = self.sb.payment_intents.list(limit=1).data
        return listed[0].id if listed else "pi_missing"

    @rule(intent=intents, method=st.sampled_from(METHODS), off_session=st.booleans())
    def confirm(self, intent, method, off_session):
        kwargs = {"off_session": True} if off_session else {}
        self._call(self.sb.payment_intents.confirm, intent, payment_method=method, **kwargs)

    @rule(intent=intents)
    def confirm_again(self, intent):
        self._call(self.sb.payment_intents.confirm, intent)

    @rule(intent=intents, success=st.booleans())
    def authenticate(self, intent, success):
        self._call(self.sb.payment_intents.authenticate, intent, success=success)

    @rule(intent=intents, amount=st.one_of(st.none(), st.integers(-10, 300_000)))
    def capture(self, intent, amount):
        kwargs = {} if amount is None else {"amount_to_capture": amount}
        self._call(self.sb.payment_intents.capture, intent, **kwargs)

    @rule(intent=intents, amount=st.integers(0, 300_000))
    def increment(self, intent, amount):
        self._call(self.sb.payment_intents.increment_authorization, intent, amount=amount)

    @rule(intent=intents, reason=st.sampled_from(REASONS))
    def cancel(self, intent, reason):
        kwargs = {} if reason is None else {"cancellation_reason": reason}
        self._call(self.sb.payment_intents.cancel, intent, **kwargs)

    @rule(intent=intents, amount=st.integers(-5, 200_000),
          method=st.one_of(st.none(), st.sampled_from(METHODS)))
    def update(self, intent, amount, method):
        params = {"amount": amount, "metadata": {"step": str(amount)}}
        if method:
            params["payment_method"] = method
        self._call(self.sb.payment_intents.update, intent, **params)

    @rule(hours=st.integers(0, 24 * 9))
    def advance(self, hours):
        self.sb.advance(hours=hours)

    @invariant()
    def every_move_is_a_row_of_the_table(self):
        STEPS[0] += 1
        for pi in self.sb.payment_intents.list(limit=None):
            assert pi.status in {s.value for s in Status}
            history = pi.history
            for source, target in itertools.pairwise(history):
                assert can_transition(source, target), (source, target)
            previous = self.last_status.get(pi.id)
            if previous in {s.value for s in TERMINAL_STATUSES}:
                assert pi.status == previous
            self.last_status[pi.id] = pi.status
            assert 0 <= pi.amount_received <= pi.amount
            assert 0 <= pi.amount_capturable <= pi.amount
            assert pi._compact_json() == COMPACT(pi.to_dict())  # the in-process wire text

    @invariant()
    def every_event_is_a_real_stripe_type(self):
        assert {e.type for e in self.sb.events.list(limit=None)} <= EVENT_TYPES


IntentLifecycle.TestCase.settings = settings(
    max_examples=60 if os.environ.get("CI") else 20,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestIntentLifecycle = IntentLifecycle.TestCase
