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
from paykit.event_types import EVENT_TYPES, REFUND_EVENT_TYPES, SAVED_METHOD_EVENT_TYPES
from paykit.lifecycle import TERMINAL_STATUSES, Status, can_transition
from paykit.payment_methods import TEST_PAYMENT_METHODS
from paykit.refund_lifecycle import REFUND
from paykit.setup_lifecycle import SETUP_INTENT

METHODS = sorted(TEST_PAYMENT_METHODS)
CURRENCIES = ["usd", "eur", "jpy", "gbp"]
STEPS = [0]  # steps run, so the suite can show how much it explored
COMPACT = json.JSONEncoder(separators=(",", ":")).encode
REASONS = [None, "abandoned", "duplicate", "fraudulent", "requested_by_customer", "bogus"]


class IntentLifecycle(RuleBasedStateMachine):
    intents = Bundle("intents")
    customers = Bundle("customers")
    setups = Bundle("setups")

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

    @rule(target=customers)
    def create_customer(self):
        return self.sb.customers.create().id

    @rule(target=setups, customer=st.one_of(st.none(), customers),
          method=st.sampled_from(METHODS), confirm=st.booleans())
    def create_setup(self, customer, method, confirm):
        params = {"payment_method": method, "confirm": confirm}
        if customer:
            params["customer"] = customer
        self._call(self.sb.setup_intents.create, **params)
        listed = self.sb.setup_intents.list(limit=1).data
        return listed[0].id if listed else "seti_missing"

    @rule(setup=setups, success=st.booleans())
    def authenticate_setup(self, setup, success):
        self._call(self.sb.setup_intents.authenticate, setup, success=success)

    @rule(customer=customers, off_session=st.booleans(), save=st.booleans(), data=st.data())
    def pay_with_a_known_method(self, customer, off_session, save, data):
        """Reuse a method the account already has (spent, saved, detached, anyone's):
        a spent or detached one is never charged again."""
        methods = sorted(self.sb._account.payment_methods)
        if not methods:
            return
        pm = data.draw(st.sampled_from(methods))
        account = self.sb._account
        status = self.sb.payment_intents._saved.status(account.payment_methods[pm])
        charges_before = len(self.sb.charges.list(limit=None).data)
        params = {"amount": 1500, "currency": "usd", "payment_method": pm, "confirm": True,
                  "customer": customer}
        if off_session:
            params["off_session"] = True
        if save:
            params["setup_future_usage"] = "off_session"
        self._call(self.sb.payment_intents.create, **params)
        if status.value in ("consumed", "detached"):
            assert len(self.sb.charges.list(limit=None).data) == charges_before, pm

    @rule(customer=customers, data=st.data())
    def detach_a_saved_method(self, customer, data):
        saved = self.sb.customers.list_payment_methods(customer, limit=None).data
        if saved:
            self._call(self.sb.payment_methods.detach, data.draw(st.sampled_from(saved)).id)

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

    @rule(intent=intents, amount=st.one_of(st.none(), st.integers(-5, 250_000)),
          by_charge=st.booleans())
    def refund(self, intent, amount, by_charge):
        params = {} if amount is None else {"amount": amount}
        if by_charge:
            pi = self.sb.payment_intents.retrieve(intent)
            params["charge"] = pi.latest_charge or "ch_none"
        else:
            params["payment_intent"] = intent
        self._call(self.sb.refunds.create, **params)

    @rule(data=st.data())
    def cancel_a_refund(self, data):
        refunds = self.sb.refunds.list(limit=None).data
        if refunds:
            self._call(self.sb.refunds.cancel, data.draw(st.sampled_from(refunds)).id)

    @invariant()
    def refunds_never_exceed_what_was_received(self):
        for charge in self.sb.charges.list(limit=None):
            # a released authorisation shows its whole amount refunded (uncaptured)
            received = charge.amount_captured if charge.captured else charge.amount
            assert 0 <= charge.amount_refunded <= received
            if charge.captured:
                assert charge.refunded == (charge.amount_refunded == charge.amount_captured)
        for refund in self.sb.refunds.list(limit=None):
            status = REFUND.statuses(refund.status)
            previous = self.last_status.get(refund.id)
            if previous is not None and previous != refund.status:
                assert REFUND.can_move(REFUND.statuses(previous), status), (previous, status)
            self.last_status[refund.id] = refund.status

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
    def every_setup_move_is_a_row_of_its_table(self):
        for setup in self.sb.setup_intents.list(limit=None):
            status = SETUP_INTENT.statuses(setup.status)
            previous = self.last_status.get(setup.id)
            if previous is not None and previous != setup.status:
                assert SETUP_INTENT.can_move(SETUP_INTENT.statuses(previous), status), \
                    (previous, status)
            self.last_status[setup.id] = setup.status

    @invariant()
    def every_event_is_a_real_stripe_type(self):
        seen = {e.type for e in self.sb.events.list(limit=None)}
        assert seen <= EVENT_TYPES | REFUND_EVENT_TYPES | SAVED_METHOD_EVENT_TYPES


IntentLifecycle.TestCase.settings = settings(
    max_examples=60 if os.environ.get("CI") else 20,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestIntentLifecycle = IntentLifecycle.TestCase
