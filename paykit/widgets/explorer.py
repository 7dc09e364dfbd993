"""``LifecycleExplorer``: move one PaymentIntent (or SetupIntent) through its lifecycle by hand.

The buttons are exactly the actions the object's table allows in its status
(``Machine.allowed_actions``): which actions exist in which status is read from the table
on every refresh, never written here. This module only says what each *action* means as
a call (``ACTIONS`` for PaymentIntents, ``SETUP_ACTIONS`` for SetupIntents: confirm is
``…confirm``, settle and expire are the clock moving, authenticate is the customer on the
3D Secure page…), and each is checked at import to cover every action of its table, so
a new row cannot appear without a button. ``EXPLORED`` names the objects it explores.

Each click shows, as it happens: the call (Python and curl), the resulting object or
Stripe's error JSON, and every event emitted. The state graph (``paykit.graph``) lights
the current status and numbers the path taken.

The logic is ``ExplorerSession`` (no widgets); ``LifecycleExplorer`` is its view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import ipywidgets as widgets

from paykit import currencies
from paykit.graph import GraphView, graph_model, history_view
from paykit.lifecycle import PAYMENT_INTENT, Action, Transition
from paykit.machine import Machine
from paykit.objects import PaymentIntent, StripeObject
from paykit.params import RULES
from paykit.params.setup_intent_rules import SETUP_INTENT_RULES
from paykit.payment_methods import TEST_PAYMENT_METHODS
from paykit.rendering import GraphvizRenderError, GraphvizUnavailableError
from paykit.sandbox import Sandbox
from paykit.setup_lifecycle import SETUP_INTENT, SetupAction
from paykit.widgets import layout as ui
from paykit.widgets.outcome import Outcome, execute, observe
from paykit.widgets.requests import ApiRequest

__all__ = [
    "ACTIONS",
    "EXPLORED",
    "SETUP_ACTIONS",
    "ActionOptions",
    "ActionSpec",
    "ExploredObject",
    "ExplorerSession",
    "LifecycleExplorer",
]


@dataclass(frozen=True)
class ActionOptions:
    """The choices an action may take; each action reads only its own."""

    payment_method: str = "pm_card_visa"  # "" confirms with the one already attached
    cancellation_reason: str = ""  # "" sends none
    amount_to_capture: int | None = None  # None (or 0 in the view): capture it all
    increment_amount: int | None = None  # the new total to authorise
    days: float = 7.0  # how far the clock moves: banks settle in 4-5, captures expire at 7


@dataclass(frozen=True)
class ActionSpec:
    """What one lifecycle action is, as something a learner can do.

    Exactly one of ``request`` (an API call from your server) and ``perform`` (the
    customer or time, which no API call does) is set. ``options`` names the
    ``ActionOptions`` fields it reads, so the view puts those controls by its button.
    """

    label: str
    help: str
    options: tuple[str, ...] = ()
    request: Callable[[str, ActionOptions], ApiRequest] | None = None
    perform: Callable[[Sandbox, str, ActionOptions], Any] | None = None


def _confirm(intent: str, options: ActionOptions, resource: str = "payment_intents"
             ) -> ApiRequest:
    params = {"payment_method": options.payment_method} if options.payment_method else {}
    return ApiRequest("confirm", intent, params, resource=resource)


def _attach(intent: str, options: ActionOptions, resource: str = "payment_intents"
            ) -> ApiRequest:
    """An update with the chosen method ("the one already attached" sends nothing new)."""
    pm = options.payment_method
    return ApiRequest("update", intent, {"payment_method": pm} if pm else {},
                      resource=resource)


def _capture(intent: str, options: ActionOptions) -> ApiRequest:
    amount = options.amount_to_capture
    return ApiRequest("capture", intent, {"amount_to_capture": amount} if amount else {})


def _increment(intent: str, options: ActionOptions) -> ApiRequest:
    return ApiRequest("increment_authorization", intent,
                      {} if options.increment_amount is None
                      else {"amount": options.increment_amount})


def _cancel(intent: str, options: ActionOptions, resource: str = "payment_intents"
            ) -> ApiRequest:
    reason = options.cancellation_reason
    return ApiRequest("cancel", intent, {"cancellation_reason": reason} if reason else {},
                      resource=resource)


def _authenticate(success: bool, resource: str = "payment_intents"
                  ) -> Callable[[Sandbox, str, ActionOptions], Any]:
    def perform(sandbox: Sandbox, intent: str, options: ActionOptions) -> Any:
        return getattr(sandbox, resource).authenticate(intent, success=success)

    return perform


def _waiting(resource: str) -> Callable[[Sandbox, str, ActionOptions], Any]:
    def perform(sandbox: Sandbox, intent: str, options: ActionOptions) -> Any:
        sandbox.advance(days=options.days)
        return getattr(sandbox, resource).retrieve(intent)

    return perform


_wait = _waiting("payment_intents")


def _on_setup_intents(build: Callable[..., ApiRequest]
                      ) -> Callable[[str, ActionOptions], ApiRequest]:
    return lambda intent, options: build(intent, options, "setup_intents")


#: Every action of the lifecycle table but creation, as a button.
ACTIONS: dict[Action, ActionSpec] = {
    Action.ATTACH_PAYMENT_METHOD: ActionSpec(
        "Attach method", "update(payment_method=…): attached, not yet confirmed",
        ("payment_method",), request=_attach),
    Action.CONFIRM: ActionSpec(
        "Confirm", "confirm with the chosen test payment method", ("payment_method",),
        request=_confirm),
    Action.AUTHENTICATE: ActionSpec(
        "Customer passes 3DS", "the customer completes 3D Secure (next_action) in the browser",
        perform=_authenticate(True)),
    Action.FAIL_AUTHENTICATION: ActionSpec(
        "Customer fails 3DS", "the customer fails or abandons 3D Secure (next_action)",
        perform=_authenticate(False)),
    Action.SETTLE: ActionSpec(
        "Wait: bank settles", "advance the sandbox clock: bank debits settle after a few days",
        ("days",), perform=_wait),
    Action.CAPTURE: ActionSpec(
        "Capture", "capture the authorised funds (0 = all of amount_capturable)",
        ("amount_to_capture",), request=_capture),
    Action.INCREMENT_AUTHORIZATION: ActionSpec(
        "Raise authorization", "increment_authorization: a higher total before capture",
        ("increment_amount",), request=_increment),
    Action.EXPIRE: ActionSpec(
        "Wait: hold expires",
        "advance the sandbox clock: uncaptured funds are released 7 days after creation",
        ("days",), perform=_wait),
    Action.CANCEL: ActionSpec(
        "Cancel", "cancel, with an optional reason", ("cancellation_reason",),
        request=_cancel),
}

#: Every action of the SetupIntent table but creation, as a button.
SETUP_ACTIONS: dict[SetupAction, ActionSpec] = {
    SetupAction.ATTACH_PAYMENT_METHOD: ActionSpec(
        "Attach method", "update(payment_method=…): attached, not yet confirmed",
        ("payment_method",), request=_on_setup_intents(_attach)),
    SetupAction.CONFIRM: ActionSpec(
        "Confirm", "confirm with the chosen test payment method", ("payment_method",),
        request=_on_setup_intents(_confirm)),
    SetupAction.AUTHENTICATE: ActionSpec(
        "Customer passes 3DS", "the customer completes 3D Secure (next_action) in the browser",
        perform=_authenticate(True, "setup_intents")),
    SetupAction.FAIL_AUTHENTICATION: ActionSpec(
        "Customer fails 3DS", "the customer fails or abandons 3D Secure (next_action)",
        perform=_authenticate(False, "setup_intents")),
    SetupAction.SETTLE: ActionSpec(
        "Wait: bank answers", "advance the sandbox clock: a bank debit's setup is answered "
        "after its processing delay", ("days",), perform=_waiting("setup_intents")),
    SetupAction.CANCEL: ActionSpec(
        "Cancel", "cancel, with an optional reason", ("cancellation_reason",),
        request=_on_setup_intents(_cancel)),
}


@dataclass(frozen=True)
class ExploredObject:
    """An object the explorer explores: its table, its resource, its buttons."""

    name: str  # ``payment_intent``
    machine: Machine
    resource: str  # the sandbox attribute: ``payment_intents``
    actions: dict[Any, ActionSpec]
    cancellation_reasons: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.machine.title


#: What the explorer can explore, by name.
EXPLORED: dict[str, ExploredObject] = {
    "payment_intent": ExploredObject("payment_intent", PAYMENT_INTENT, "payment_intents",
                                     dict(ACTIONS), RULES["cancellation_reason"].enum),
    "setup_intent": ExploredObject("setup_intent", SETUP_INTENT, "setup_intents",
                                   dict(SETUP_ACTIONS),
                                   SETUP_INTENT_RULES["cancellation_reason"].enum),
}

for _explored in EXPLORED.values():
    _MISSING = {row.action for row in _explored.machine.rows if row.source is not None} \
        - set(_explored.actions)
    if _MISSING:
        raise RuntimeError(f"the explorer has no button for {_explored.title} actions "
                           f"{sorted(_MISSING)}")


class ExplorerSession:
    """One intent of one sandbox, the actions taken on it, and what each produced.

    ``kind`` names what is explored (``EXPLORED``): ``payment_intent`` by default, or
    ``setup_intent``; the buttons, the graph and the calls follow that object's table.
    """

    def __init__(self, sandbox: Sandbox, intent: StripeObject | str | None = None, *,
                 kind: str = "payment_intent") -> None:
        if kind not in EXPLORED:
            raise ValueError(f"the explorer explores {', '.join(EXPLORED)}, not {kind!r}")
        self.sandbox = sandbox
        self.kind = EXPLORED[kind]
        self.intent_id: str | None = (intent if isinstance(intent, str) or intent is None
                                      else str(intent["id"]))
        self.outcomes: list[tuple[str, Outcome]] = []
        if self.intent_id is not None:
            self.retrieve()  # an unknown id fails now, not at the first click

    @property
    def resource(self) -> Any:
        return getattr(self.sandbox, self.kind.resource)

    def retrieve(self) -> Any:
        if self.intent_id is None:
            return None
        return self.resource.retrieve(self.intent_id)

    @property
    def status(self) -> Any:
        intent = self.retrieve()
        return None if intent is None else self.kind.machine.parse(intent.status)

    def allowed(self) -> tuple[Any, ...]:
        """What the table allows now (nothing without an intent)."""
        status = self.status
        return () if status is None else self.kind.machine.allowed_actions(status)

    def next_moves(self) -> tuple[Transition, ...]:
        """The table's rows leaving the current status: where each action may lead."""
        status = self.status
        return () if status is None else self.kind.machine.rows_from(status)

    def history(self) -> list[Outcome]:
        """The outcomes of the current intent, oldest first."""
        return [outcome for intent, outcome in self.outcomes if intent == self.intent_id]

    def _status_text(self) -> str | None:
        intent = self.retrieve()
        return None if intent is None else str(intent.status)

    def _record(self, outcome: Outcome) -> Outcome:
        assert self.intent_id is not None
        self.outcomes.append((self.intent_id, outcome))
        return outcome

    def create(self, amount: int = 1099, currency: str = "usd",
               capture_method: str = "", usage: str = "") -> Outcome:
        """A new intent to explore (it becomes the current one if creation succeeds): a
        PaymentIntent takes ``amount``, ``currency`` and ``capture_method``; a
        SetupIntent, ``usage``."""
        params: dict[str, Any]
        if self.kind.name == "payment_intent":
            params = {"amount": amount, "currency": currency}
            if capture_method:
                params["capture_method"] = capture_method
        else:
            params = {"usage": usage} if usage else {}
        outcome = execute(self.sandbox, ApiRequest("create", params=params,
                                                   resource=self.kind.resource),
                          label="create")
        if outcome.result is not None:
            self.intent_id = str(outcome.result["id"])
            outcome = replace(outcome, status_after=str(outcome.result["status"]))
            self._record(outcome)
        return outcome

    def select(self, intent_id: str) -> None:
        self.intent_id = intent_id
        self.retrieve()

    def perform(self, action: Any, options: ActionOptions | None = None) -> Outcome:
        """Do ``action`` to the current intent. A move the table refuses is sent anyway:
        the engine answers with Stripe's error, which is worth seeing too."""
        if self.intent_id is None:
            raise ValueError("no intent yet: create one first")
        options = options or ActionOptions()
        spec = self.kind.actions[self.kind.machine.actions(action)]
        intent_id = self.intent_id
        before = self._status_text()
        if spec.request is not None:
            request = spec.request(intent_id, options)
            outcome = execute(self.sandbox, request, label=spec.label, status_before=before,
                              status_of=self._status_text)
        else:
            assert spec.perform is not None
            perform = spec.perform
            label = spec.label + (f" ({options.days:g} days)" if "days" in spec.options else "")
            outcome = observe(self.sandbox, label,
                              lambda: perform(self.sandbox, intent_id, options),
                              status_before=before, status_of=self._status_text)
        return self._record(outcome)

    def path(self) -> list[str]:
        """The statuses the current intent went through: a PaymentIntent keeps its own
        history; for another object, the statuses this session saw it in."""
        intent = self.retrieve()
        if intent is None:
            return []
        if isinstance(intent, PaymentIntent):
            return list(intent.history)
        seen: list[str] = []
        for outcome in self.history():
            for status in (outcome.status_before, outcome.status_after):
                if status and (not seen or seen[-1] != status):
                    seen.append(status)
        if not seen or seen[-1] != intent.status:
            seen.append(str(intent.status))
        return seen

    def graph(self) -> GraphView:
        """The intent's path through the lifecycle, current status lit (or the bare table)."""
        intent = self.retrieve()
        version = self.sandbox.api_version
        machine = self.kind.machine
        if intent is None:
            return GraphView(graph_model(api_version=version, machine=machine))
        return history_view(self.path(), machine.parse(intent.status), version,
                            machine=machine)


def _payment_method_options() -> list[tuple[str, str]]:
    """The test payment methods, described (read from ``TEST_PAYMENT_METHODS``)."""
    return [("the one already attached", ""), *(
        (f"{pm.id} — {pm.description}", pm.id) for pm in TEST_PAYMENT_METHODS.values()
    )]


class LifecycleExplorer(ui.WidgetView):
    """Buttons for the actions allowed now, the graph, and everything each click did.

    Controls: ``buttons`` (one ``Button`` per action; only the allowed ones are shown,
    see ``visible_actions``), ``payment_method``, ``cancellation_reason``,
    ``amount_to_capture``, ``increment_amount``, ``days``; ``intent_picker`` and
    ``new_button`` (with ``new_amount``, ``new_currency``, ``new_capture_method``).
    Output: ``status``, ``moves`` (the table's rows from here), ``graph``, ``log``.
    The logic lives in ``session`` (an ``ExplorerSession``).
    """

    #: The log keeps the latest steps on screen (the session keeps them all).
    LOG_LENGTH = 20

    def __init__(self, sandbox: Sandbox, intent: StripeObject | str | None = None, *,
                 kind: str = "payment_intent") -> None:
        self.session = ExplorerSession(sandbox, intent, kind=kind)
        explored = self.session.kind
        style, layout = ui.DESCRIPTION_STYLE, ui.control_layout
        small = widgets.Layout(width="210px")
        self.payment_method = widgets.Dropdown(options=_payment_method_options(),
                                               value="pm_card_visa", layout=small)
        self.cancellation_reason = widgets.Dropdown(
            options=[("no reason sent", ""),
                     *((r, r) for r in explored.cancellation_reasons)], layout=small)
        self.amount_to_capture = widgets.IntText(value=0, layout=small,
                                                 tooltip="0 captures all of it")
        self.increment_amount = widgets.IntText(value=1599, layout=small,
                                                tooltip="the new total to authorise")
        self.days = widgets.FloatText(value=7.0, layout=small, tooltip="days")
        option_controls = {
            "payment_method": self.payment_method,
            "cancellation_reason": self.cancellation_reason,
            "amount_to_capture": self.amount_to_capture,
            "increment_amount": self.increment_amount,
            "days": self.days,
        }
        self.buttons: dict[Any, widgets.Button] = {}
        self._rows: dict[Any, widgets.HBox] = {}
        for action, spec in explored.actions.items():
            button = widgets.Button(description=spec.label, tooltip=spec.help,
                                    layout=widgets.Layout(width="180px"))
            button.add_class(f"paykit-action-{action.value}")
            button.on_click(lambda _, a=action: self.perform(a))
            self.buttons[action] = button
            self._rows[action] = widgets.HBox(
                [button, *(option_controls[name] for name in spec.options)])
        self.actions_box = widgets.VBox()
        self.actions_box.add_class("paykit-actions")
        self._nothing_allowed = widgets.HTML(
            '<div class="paykit-note">Nothing: no row of the lifecycle table leaves this '
            "status.</div>")

        self.intent_picker = widgets.Dropdown(description="intent", style=style,
                                              layout=layout())
        self.new_amount = widgets.IntText(value=1099, description="amount", style=style,
                                          layout=layout())
        self.new_currency = widgets.Dropdown(options=sorted(currencies.CURRENCIES), value="usd",
                                             description="currency", style=style,
                                             layout=layout())
        self.new_capture_method = widgets.Dropdown(
            options=[("not sent (API default)", ""),
                     *((m, m) for m in RULES["capture_method"].enum)],
            description="capture_method", style=style, layout=layout())
        self.new_usage = widgets.Dropdown(
            options=[("not sent (off_session)", ""),
                     *((u, u) for u in SETUP_INTENT_RULES["usage"].enum)],
            description="usage", style=style, layout=layout())
        self.new_button = widgets.Button(description="New intent", icon="plus",
                                         tooltip=f"create a {explored.title} to explore")
        self.new_button.add_class("paykit-new-intent")
        self.new_button.on_click(lambda _: self.create())

        self.status = ui.pane(css_class="paykit-status-pane")
        self.moves = ui.pane()
        self.graph = ui.pane(css_class="paykit-graph-pane")
        self.log = ui.pane(css_class="paykit-log")
        new_controls = ([self.new_amount, self.new_currency, self.new_capture_method]
                        if explored.name == "payment_intent" else [self.new_usage])
        title = ("Lifecycle explorer" if explored.name == "payment_intent"
                 else f"Lifecycle explorer · {explored.title}")
        # the graph across the whole width: in a column beside the controls it is
        # scaled down until its text is smaller than the notebook's
        self.root = ui.columns(
            [self.intent_picker, self.status,
             widgets.HTML('<div class="paykit-subtitle">Allowed now</div>'), self.actions_box,
             self.moves,
             widgets.HTML('<div class="paykit-subtitle">Or start a new intent</div>'),
             *new_controls, self.new_button],
            [widgets.HTML('<div class="paykit-subtitle">What happened, newest first</div>'),
             self.log],
            css_class="paykit-lifecycle-explorer",
            top=[ui.section_title(title), self.graph],
        )
        self._picking = False
        self.intent_picker.observe(self._picked, names="value")
        self.refresh()

    # -- what the learner does ----------------------------------------------------------------

    @property
    def options(self) -> ActionOptions:
        """The option controls as an ``ActionOptions``."""
        return ActionOptions(
            payment_method=self.payment_method.value,
            cancellation_reason=self.cancellation_reason.value,
            amount_to_capture=self.amount_to_capture.value or None,
            increment_amount=self.increment_amount.value,
            days=float(self.days.value),
        )

    @property
    def visible_actions(self) -> tuple[Any, ...]:
        """The actions whose buttons are on screen now."""
        shown = set(self.actions_box.children)
        return tuple(action for action, row in self._rows.items() if row in shown)

    def perform(self, action: Any) -> Outcome:
        outcome = self.session.perform(action, self.options)
        self.refresh()
        return outcome

    def create(self) -> Outcome:
        outcome = self.session.create(self.new_amount.value, self.new_currency.value,
                                      self.new_capture_method.value, self.new_usage.value)
        self.refresh()
        if not outcome.ok:  # nothing new to select: show the error on top of the log
            self.log.value = ui.outcome_html(outcome) + self.log.value
        return outcome

    def show(self, intent_id: str) -> None:
        """Explore another intent of the sandbox (e.g. one an ``IntentBuilder`` made)."""
        self.session.select(intent_id)
        self.refresh()

    def _picked(self, change: dict[str, Any]) -> None:
        if not self._picking and change["new"]:
            self.show(change["new"])

    # -- what the learner sees ------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw everything from the sandbox: status, buttons, graph, log."""
        session = self.session
        version = session.sandbox.api_version
        intent = session.retrieve()
        self._refresh_picker()
        allowed = session.allowed()
        self.actions_box.children = [self._rows[action] for action in allowed] or [
            self._nothing_allowed]
        if intent is None:
            self.status.value = ('<div class="paykit-note">No intent yet: create one below, '
                                 "or pass one to LifecycleExplorer(sandbox, intent).</div>")
            self.moves.value = ""
        else:
            self.status.value = self._status_html(intent)
            self.moves.value = self._moves_html(session.next_moves(), version,
                                                session.kind.machine)
        self.graph.value = self._graph_html()
        steps = session.history()
        numbered = list(enumerate(steps, start=1))[-self.LOG_LENGTH:]
        self.log.value = "".join(ui.outcome_html(o, n) for n, o in reversed(numbered)) or (
            '<div class="paykit-note">Click an action: its request, the object or error, '
            "and every event appear here.</div>")

    def _refresh_picker(self) -> None:
        listed = self.session.resource.list(limit=100)
        options = [(f"{o.id} · {o.status} · {self._summary(o)}", o.id) for o in listed]
        self._picking = True
        try:
            self.intent_picker.options = options
            self.intent_picker.value = self.session.intent_id if any(
                v == self.session.intent_id for _, v in options) else None
        finally:
            self._picking = False

    @staticmethod
    def _summary(obj: Any) -> str:
        """What tells one intent of the picker from another."""
        if isinstance(obj, PaymentIntent):
            return currencies.format_amount(obj.amount, obj.currency)
        return str(obj.usage)

    def _status_html(self, intent: Any) -> str:
        data = intent.to_dict()
        status = str(data["status"])

        def money(name: str) -> str:
            return currencies.format_amount(data[name], data["currency"])

        if isinstance(intent, PaymentIntent):
            facts = [
                f"amount {money('amount')}",
                f"capturable {money('amount_capturable')}",
                f"received {money('amount_received')}",
                f"capture_method {data['capture_method']}",
                f"latest_charge {data['latest_charge'] or '—'}",
            ]
        else:
            facts = [f"usage {data['usage']}", f"payment_method {data['payment_method'] or '—'}",
                     f"customer {data['customer'] or '—'}", f"mandate {data['mandate'] or '—'}"]
        facts.append(f"sandbox clock {self._clock()}")
        terminal = "" if self.session.allowed() else (
            '<div class="paykit-note">A terminal status.</div>')
        return (f'<div><span class="paykit-badge paykit-current paykit-status">'
                f"{ui.esc(status)}</span> <code>{ui.esc(intent.id)}</code></div>"
                f'<div class="paykit-note">{ui.esc(" · ".join(facts))}</div>{terminal}')

    def _clock(self) -> str:
        """The sandbox's clock (never the wall clock: notebooks must compare run to run)."""
        return datetime.fromtimestamp(self.session.sandbox.now, UTC).strftime("%Y-%m-%d %H:%M UTC")

    @staticmethod
    def _moves_html(rows: tuple[Transition, ...], version: str,
                    machine: Machine = PAYMENT_INTENT) -> str:
        if not rows:
            return ""
        cells = [[ui.esc(row.action.value), ui.esc(machine.show(row.target, version)),
                  ui.esc(row.condition)] for row in rows]
        return ("<details><summary>Where each action may lead (the lifecycle table)</summary>"
                + ui.table(["action", "to", "when"], cells, mono=(0, 1)) + "</details>")

    def _graph_html(self) -> str:
        intent = self.session.retrieve()
        current = "" if intent is None else ui.esc(intent.status)
        try:
            svg = self.session.graph().svg()
        except (GraphvizUnavailableError, GraphvizRenderError) as exc:
            return ui.messages([f"The graph cannot be drawn here: {exc}"], "warning")
        return f'<div class="paykit-graph" data-current="{current}">{svg}</div>'

    def __repr__(self) -> str:
        intent = self.session.retrieve()
        if intent is None:
            kind = self.session.kind
            return ("<LifecycleExplorer no intent>" if kind.name == "payment_intent"
                    else f"<LifecycleExplorer {kind.name} no intent>")
        allowed = ", ".join(a.value for a in self.session.allowed()) or "none"
        return f"<LifecycleExplorer {intent.id} status={intent.status} allowed=[{allowed}]>"
