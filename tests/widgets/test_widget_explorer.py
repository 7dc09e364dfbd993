"""LifecycleExplorer: buttons for exactly the allowed actions, the graph, every event."""

from __future__ import annotations

import re
from collections.abc import Callable

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paykit
from paykit.graph import STYLES
from paykit.lifecycle import Action, Status, allowed_actions, can_transition, parse_status
from paykit.widgets import LifecycleExplorer
from paykit.widgets.explorer import ACTIONS, ActionOptions, ExplorerSession
from paykit.widgets.layout import walk

CURRENT_FILL = STYLES["current"]["node"]["fillcolor"]


def current_node(svg_html: str) -> str:
    """The status the SVG draws in the ``current`` style."""
    nodes = re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]+)</title>(.*?)</g>',
                       svg_html, flags=re.S)
    [found] = [title for title, body in nodes if f'fill="{CURRENT_FILL}"' in body]
    return found


def reach(status: str) -> Callable[[paykit.Sandbox], str]:
    """A recipe that brings a new intent to ``status`` through the sandbox."""
    def make(sb: paykit.Sandbox) -> str:
        pis = sb.payment_intents
        manual = {"capture_method": "manual"} if status == "requires_capture" else {}
        pi = pis.create(amount=1099, currency="usd", **manual)
        methods = {"requires_confirmation": None, "requires_action":
                   "pm_card_threeDSecure2Required", "processing": "pm_usBankAccount",
                   "requires_capture": "pm_card_visa", "succeeded": "pm_card_visa"}
        if status == "requires_confirmation":
            pis.update(pi.id, payment_method="pm_card_visa")
        elif status == "canceled":
            pis.cancel(pi.id)
        elif status in methods:
            pis.confirm(pi.id, payment_method=methods[status])
        assert pis.retrieve(pi.id).status == status
        return pi.id
    return make


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_the_buttons_are_exactly_the_actions_the_table_allows(
        sb: paykit.Sandbox, status: str) -> None:
    explorer = LifecycleExplorer(sb, reach(status)(sb))
    assert explorer.visible_actions == allowed_actions(status)
    shown = [w for w in walk(explorer.actions_box) if isinstance(w, widgets.Button)]
    assert shown == [explorer.buttons[a] for a in allowed_actions(status)]


def test_every_action_of_the_table_has_a_button() -> None:
    assert set(ACTIONS) == set(Action) - {Action.CREATE}


def test_confirm_changes_the_buttons_the_status_and_the_graph(sb: paykit.Sandbox) -> None:
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    explorer = LifecycleExplorer(sb, pi)
    assert current_node(explorer.graph.value) == "requires_payment_method"
    explorer.payment_method.value = "pm_card_visa"
    explorer.buttons[Action.CONFIRM].click()
    assert sb.payment_intents.retrieve(pi.id).status == "succeeded"
    assert explorer.visible_actions == ()
    assert "succeeded" in explorer.status.value and "terminal" in explorer.status.value
    assert current_node(explorer.graph.value) == "succeeded"
    assert 'data-current="succeeded"' in explorer.graph.value
    log = explorer.log.value
    for event in ("charge.succeeded", "payment_intent.succeeded"):
        assert event in log
    assert "client.v1.payment_intents.confirm" in log.replace("&quot;", '"')
    assert pi.client_secret not in log


def test_a_declined_card_shows_the_stripe_error_json_and_its_events(sb: paykit.Sandbox) -> None:
    explorer = LifecycleExplorer(sb, sb.payment_intents.create(amount=1099, currency="usd"))
    explorer.payment_method.value = "pm_card_chargeDeclined"
    outcome = explorer.perform(Action.CONFIRM)
    assert outcome.error_code == "card_declined"
    assert outcome.event_types == ("charge.failed", "payment_intent.payment_failed")
    assert "Stripe error (JSON)" in explorer.log.value and "card_declined" in explorer.log.value
    assert explorer.visible_actions == allowed_actions("requires_payment_method")


def test_3d_secure_then_the_customer_completes_it(sb: paykit.Sandbox) -> None:
    explorer = LifecycleExplorer(sb, sb.payment_intents.create(amount=1099, currency="usd"))
    explorer.payment_method.value = "pm_card_threeDSecure2Required"
    explorer.buttons[Action.CONFIRM].click()
    assert Action.AUTHENTICATE in explorer.visible_actions
    explorer.buttons[Action.AUTHENTICATE].click()
    assert explorer.session.status == Status.SUCCEEDED
    assert explorer.session.retrieve().history == (
        "requires_payment_method", "requires_action", "succeeded")


def test_manual_capture_partial_amount(sb: paykit.Sandbox) -> None:
    pi = sb.payment_intents.create(amount=1099, currency="usd", capture_method="manual")
    explorer = LifecycleExplorer(sb, pi)
    explorer.buttons[Action.CONFIRM].click()
    assert Action.CAPTURE in explorer.visible_actions
    explorer.amount_to_capture.value = 500
    explorer.buttons[Action.CAPTURE].click()
    assert sb.payment_intents.retrieve(pi.id).amount_received == 500
    assert "charge.captured" in explorer.log.value


def test_advancing_the_clock_settles_a_bank_debit_and_expires_an_authorisation(
        sb: paykit.Sandbox) -> None:
    bank = LifecycleExplorer(sb, sb.payment_intents.create(amount=1099, currency="usd"))
    bank.payment_method.value = "pm_usBankAccount"
    bank.buttons[Action.CONFIRM].click()
    assert bank.visible_actions == allowed_actions("processing")
    bank.days.value = 7
    bank.buttons[Action.SETTLE].click()
    assert bank.session.status == Status.SUCCEEDED
    assert "2026-01-08" in bank.status.value  # the sandbox clock, never the wall clock

    held = LifecycleExplorer(sb, sb.payment_intents.create(
        amount=1099, currency="usd", capture_method="manual"))
    held.buttons[Action.CONFIRM].click()
    held.buttons[Action.EXPIRE].click()
    assert held.session.status == Status.CANCELED
    assert "charge.expired" in held.log.value


def test_cancel_sends_the_chosen_reason(sb: paykit.Sandbox) -> None:
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    explorer = LifecycleExplorer(sb, pi)
    explorer.cancellation_reason.value = "requested_by_customer"
    explorer.buttons[Action.CANCEL].click()
    assert sb.payment_intents.retrieve(pi.id).cancellation_reason == "requested_by_customer"


def test_a_move_the_table_refuses_gets_the_engines_error(sb: paykit.Sandbox) -> None:
    session = ExplorerSession(sb, sb.payment_intents.create(amount=1099, currency="usd"))
    outcome = session.perform(Action.CAPTURE)
    assert outcome.error_code == "payment_intent_unexpected_state"
    assert outcome.events == ()


def test_without_an_intent_it_offers_to_create_one(sb: paykit.Sandbox) -> None:
    explorer = LifecycleExplorer(sb)
    assert explorer.visible_actions == () and "No intent yet" in explorer.status.value
    assert repr(explorer) == "<LifecycleExplorer no intent>"
    explorer.new_capture_method.value = "manual"
    explorer.new_button.click()
    [pi] = sb.payment_intents.list()
    assert pi.capture_method == "manual" and explorer.session.intent_id == pi.id
    assert explorer.intent_picker.value == pi.id
    other = sb.payment_intents.create(amount=2000, currency="eur")
    explorer.refresh()
    explorer.intent_picker.value = other.id
    assert explorer.session.intent_id == other.id and "€20.00" in explorer.status.value


def test_a_failed_creation_shows_its_error(sb: paykit.Sandbox) -> None:
    explorer = LifecycleExplorer(sb)
    explorer.new_amount.value = 1
    outcome = explorer.create()
    assert outcome.error_code == "amount_too_small" and "amount_too_small" in explorer.log.value


@settings(max_examples=8, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20), max_size=5),
       st.sampled_from(["pm_card_visa", "pm_card_threeDSecure2Required", "pm_usBankAccount",
                        "pm_card_chargeDeclined"]),
       st.sampled_from(["", "manual"]))
def test_any_sequence_of_clicks_keeps_the_buttons_equal_to_the_table(
        picks: list[int], payment_method: str, capture_method: str) -> None:
    sb = paykit.Sandbox(seed=0)
    kwargs = {"capture_method": capture_method} if capture_method else {}
    explorer = LifecycleExplorer(sb, sb.payment_intents.create(amount=1099, currency="usd",
                                                               **kwargs))
    explorer.payment_method.value = payment_method
    for pick in picks:
        visible = explorer.visible_actions
        if not visible:
            break
        outcome = explorer.perform(visible[pick % len(visible)])
        before, after = parse_status(outcome.status_before), parse_status(outcome.status_after)
        assert before == after or can_transition(before, after)
        assert explorer.visible_actions == allowed_actions(explorer.session.status)


def test_options_reach_the_requests() -> None:
    spec = ACTIONS[Action.CONFIRM]
    assert spec.request is not None
    assert spec.request("pi_1", ActionOptions(payment_method="")).params == {}
    capture = ACTIONS[Action.CAPTURE].request
    assert capture is not None
    assert capture("pi_1", ActionOptions(amount_to_capture=300)).params == {
        "amount_to_capture": 300}


# -- the same explorer on a SetupIntent ------------------------------------------------------


def test_every_setup_intent_action_has_a_button():
    from paykit.setup_lifecycle import SetupAction
    from paykit.widgets.explorer import EXPLORED, SETUP_ACTIONS

    assert set(SETUP_ACTIONS) == set(SetupAction) - {SetupAction.CREATE}
    assert set(EXPLORED) == {"payment_intent", "setup_intent"}


def test_the_explorer_walks_a_setup_intent_through_3d_secure(sb):
    from paykit.setup_lifecycle import SetupAction

    explorer = LifecycleExplorer(sb, kind="setup_intent")
    assert repr(explorer) == "<LifecycleExplorer setup_intent no intent>"
    created = explorer.create()
    assert created.ok and created.request.path == "/v1/setup_intents"
    assert explorer.visible_actions == (SetupAction.ATTACH_PAYMENT_METHOD,
                                        SetupAction.CONFIRM, SetupAction.CANCEL)
    explorer.payment_method.value = "pm_card_authenticationRequiredOnSetup"
    confirmed = explorer.perform(SetupAction.CONFIRM)
    assert confirmed.status_after == "requires_action"
    from paykit.widgets.requests import as_python

    assert "client.v1.setup_intents.confirm" in as_python(confirmed.request)
    assert explorer.visible_actions == (SetupAction.AUTHENTICATE,
                                        SetupAction.FAIL_AUTHENTICATION, SetupAction.CANCEL)
    done = explorer.perform(SetupAction.AUTHENTICATE)
    assert done.status_after == "succeeded" and "setup_intent.succeeded" in done.event_types
    assert explorer.visible_actions == ()
    assert explorer.session.path() == ["requires_payment_method", "requires_action",
                                       "succeeded"]
    model = explorer.session.graph().model
    assert model.description.startswith("SetupIntent state graph")
    assert model.edge("requires_action", "succeeded").steps == (2,)
    assert "usage off_session" in explorer.status.value
    assert any("Lifecycle explorer · SetupIntent" in str(getattr(w, "value", ""))
               for w in _all_widgets(explorer.root))


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_the_setup_intent_explorer_cancels_with_its_own_reasons(sb):
    from paykit.setup_lifecycle import SetupAction

    explorer = LifecycleExplorer(sb, sb.setup_intents.create(), kind="setup_intent")
    reasons = [value for _, value in explorer.cancellation_reason.options]
    assert reasons == ["", "abandoned", "duplicate", "requested_by_customer"]
    explorer.cancellation_reason.value = "abandoned"
    outcome = explorer.perform(SetupAction.CANCEL)
    assert outcome.status_after == "canceled"
    assert sb.setup_intents.retrieve(explorer.session.intent_id).cancellation_reason == \
        "abandoned"
    with pytest.raises(ValueError, match="explores"):
        ExplorerSession(sb, kind="refund")
