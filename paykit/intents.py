"""``sb.payment_intents``: the PaymentIntent endpoints, driven by the lifecycle table.

Every status change goes through ``_move``, which looks the move up in
``paykit.lifecycle.TRANSITIONS`` and emits exactly the events of that row: the engine
cannot make a move the table does not list. Parameter checks come from
``paykit.params``; what a test payment method does comes from
``paykit.payment_methods``. The engine's own choices (where the reference is silent)
are the constants below, each tested.
"""

from __future__ import annotations

import time
from functools import cache, lru_cache, partial
from typing import Any

from paykit import params as rules
from paykit.account import NO_REQUEST, Account, IntentRecord, Request
from paykit.charges import MintedMethod, charge_value, new_charge, replace_charge
from paykit.errors import APIError, CardError, InvalidRequestError
from paykit.expansion import expand_intent, expansion_paths
from paykit.frozen import EMPTY_OBJECT, freeze, thaw
from paykit.lifecycle import (
    TRANSITIONS,
    Action,
    Status,
    display_status,
    find_transition,
    is_allowed,
)
from paykit.objects import (
    PAYMENT_INTENT_FIELDS,
    PAYMENT_INTENT_NESTED_FIELDS,
    ListObject,
    PaymentIntent,
    charge_json,
)
from paykit.pagination import check_limit, created_matches, page
from paykit.payment_methods import (
    SETTLEMENT_DELAY_SECONDS,
    TEST_PAYMENT_METHODS,
    Authentication,
    Decline,
    TestPaymentMethod,
    find_test_method,
)

__all__ = [
    "CAPTURE_WINDOW_SECONDS",
    "CONFIRMATION_LIMIT",
    "MAX_INCREMENTAL_AUTHORIZATIONS",
    "PaymentIntentsResource",
]

#: Stripe only says there is "a variable upper limit" on confirmations (reference T4).
#: paykit's choice: the failed attempt of the 10th confirmation cancels the intent,
#: with ``cancellation_reason="automatic"``. ``Sandbox(confirmation_limit=…)`` changes it.
CONFIRMATION_LIMIT = 10
#: Uncaptured intents are canceled 7 days after creation (reference §3.4), with
#: ``cancellation_reason="expired"`` (a Stripe-generated reason since 2026 specs; the
#: value Stripe uses is not confirmed).
CAPTURE_WINDOW_SECONDS = 7 * 86_400
#: "Each PaymentIntent can have a maximum of 10 incremental authorization attempts".
MAX_INCREMENTAL_AUTHORIZATIONS = 10
#: From this API version ``capture_method`` defaults to ``automatic_async`` (both capture
#: at once; the version is paykit's reading of Stripe's changelog, unconfirmed).
AUTOMATIC_ASYNC_DEFAULT_FROM = "2024-04-10"
#: From this version ``automatic_payment_methods`` is on when no types are given
#: (API 2023-08-16); before it, ``payment_method_types`` defaults to ``["card"]``.
AUTOMATIC_PAYMENT_METHODS_FROM = "2023-08-16"

_AUTH_REQUIRED = Decline(
    "authentication_required", "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
_AUTH_FAILURE_MESSAGE = (
    "The provided PaymentMethod has failed authentication. You can provide "
    "payment_method_data or a new PaymentMethod to attempt to fulfill this "
    "PaymentIntent again."
)
_PARTICIPLES = {
    Action.CONFIRM: "confirmed",
    Action.CAPTURE: "captured",
    Action.CANCEL: "canceled",
    Action.INCREMENT_AUTHORIZATION: "incremented",
    Action.AUTHENTICATE: "authenticated",
}
_VERBS = {
    Action.CONFIRM: "confirm",
    Action.CAPTURE: "capture",
    Action.CANCEL: "cancel",
    Action.INCREMENT_AUTHORIZATION: "increment the authorization of",
    Action.AUTHENTICATE: "authenticate",
}
# Request parameters that are also fields of the PaymentIntent object.
_STORED = frozenset(PAYMENT_INTENT_FIELDS) - {"id", "object", "status"}
# Stored as JSON text (``paykit.frozen``): an intent's data holds only strings and numbers.
_NESTED = frozenset(PAYMENT_INTENT_NESTED_FIELDS)
# automatic_payment_methods when on.
_AUTOMATIC_DEFAULTS: dict[str, Any] = {"allow_redirects": "always", "enabled": True}
_AUTOMATIC_DEFAULTS_TEXT = freeze(_AUTOMATIC_DEFAULTS)
# A new intent before its parameters are applied: every field, nulls included.
_INTENT_TEMPLATE: dict[str, Any] = {
    **dict.fromkeys(PAYMENT_INTENT_FIELDS),
    "object": "payment_intent", "amount_capturable": 0,
    "amount_details": freeze({"tip": {}}), "amount_received": 0,
    "confirmation_method": "automatic", "livemode": False, "metadata": EMPTY_OBJECT,
}


def _stored(name: str, value: Any) -> Any:
    """A request parameter's value as the intent stores it: JSON text if nested."""
    return freeze(value) if name in _NESTED else value


def _stored_or_unset(name: str, value: Any) -> Any:
    """Like ``_stored``, for update and confirm, where ``""`` unsets the field."""
    return None if value == "" else _stored(name, value)


def _sources_of(action: Action) -> list[str]:
    """The statuses the lifecycle table allows ``action`` from, in Stripe's usual order."""
    return list(dict.fromkeys(t.source.value for t in TRANSITIONS
                              if t.action == action and t.source is not None))


class PaymentIntentsResource:
    """create, retrieve, update, confirm, capture, cancel, increment_authorization, list,
    and ``authenticate`` (the customer's side of ``next_action``, a paykit test helper)."""

    def __init__(self, account: Account) -> None:
        self._acct = account

    # -- public endpoints ---------------------------------------------------------------

    def create(self, *, idempotency_key: str | None = None, **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents``; ``confirm=True`` also confirms it."""
        fields = expansion_paths(params.get("expand"))
        with self._acct.lock:
            if idempotency_key is None:  # the usual case: no replay bookkeeping
                return self._expanded(self._create(params, None), fields)
            return self._acct.idempotency.run(
                idempotency_key, "POST /v1/payment_intents", params, self._acct.clock.now,
                lambda: self._expanded(self._create(params, idempotency_key), fields),
            )

    def retrieve(self, intent: str, *, client_secret: str | None = None,
                 expand: list[str] | None = None) -> PaymentIntent:
        """``GET /v1/payment_intents/{intent}`` (``expand=["latest_charge"]`` as the API)."""
        fields = expansion_paths(expand)
        with self._acct.lock:
            record = self._get(intent)
            if client_secret is not None and client_secret != record.data["client_secret"]:
                raise InvalidRequestError(
                    "The client_secret provided does not match the client_secret associated "
                    "with the PaymentIntent.", code="payment_intent_invalid_parameter",
                    param="client_secret",
                )
            return self._expanded(self._snapshot(record), fields)

    def update(self, intent: str, *, idempotency_key: str | None = None,
               **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents/{intent}``."""
        return self._call(intent, "update", params, idempotency_key, self._update)

    def confirm(self, intent: str, *, idempotency_key: str | None = None,
                **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents/{intent}/confirm``."""
        return self._call(intent, "confirm", params, idempotency_key, self._confirm)

    def capture(self, intent: str, *, idempotency_key: str | None = None,
                **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents/{intent}/capture`` (``amount_to_capture`` optional)."""
        return self._call(intent, "capture", params, idempotency_key, self._capture)

    def cancel(self, intent: str, *, idempotency_key: str | None = None,
               **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents/{intent}/cancel`` (``cancellation_reason`` optional)."""
        return self._call(intent, "cancel", params, idempotency_key, self._cancel)

    def increment_authorization(self, intent: str, *, idempotency_key: str | None = None,
                                **params: Any) -> PaymentIntent:
        """``POST /v1/payment_intents/{intent}/increment_authorization``."""
        return self._call(intent, "increment_authorization", params, idempotency_key,
                          self._increment)

    def authenticate(self, intent: str, success: bool = True) -> PaymentIntent:
        """The customer completes (or fails) ``next_action``, e.g. the 3D Secure page.

        A paykit test helper: on Stripe this happens in the customer's browser. A decline
        after authentication is not raised here (your server learns it from the
        ``payment_intent.payment_failed`` event); the intent shows ``last_payment_error``.
        """
        with self._acct.lock:
            record = self._get(intent)
            self._authenticate(record, bool(success), self._acct.new_request(None))
            return self._snapshot(record)

    def list(self, limit: int | None = 10, *, starting_after: str | None = None,
             ending_before: str | None = None, customer: str | None = None,
             created: dict[str, int] | int | None = None,
             expand: list[str] | None = None) -> ListObject:
        """``GET /v1/payment_intents``: newest first, 10 a page by default
        (``expand=["data.latest_charge"]`` expands every intent of the page)."""
        fields = expansion_paths(expand, in_list=True)
        with self._acct.lock:
            records = [r for r in reversed(self._acct.intents.values())
                       if (customer is None or r.data["customer"] == customer)
                       and created_matches(r.data["created"], created)]
            chosen, has_more = page(records, check_limit(limit), starting_after,
                                    ending_before, "payment_intent")
            return ListObject([self._expanded(self._snapshot(r), fields) for r in chosen],
                              has_more, "/v1/payment_intents")

    # -- plumbing -------------------------------------------------------------------------

    def _call(self, intent: str, operation: str, params: dict[str, Any],
              idempotency_key: str | None, work: Any) -> PaymentIntent:
        # The same shape as create(), written out twice on purpose: a shared helper taking
        # a callable cost ~3 % of create + confirm (measured), on the engine's hot path.
        acct = self._acct
        fields = expansion_paths(params.get("expand"))
        with acct.lock:
            if idempotency_key is None:  # the usual case: no replay bookkeeping
                return self._expanded(self._run_on(intent, params, None, work), fields)
            return acct.idempotency.run(
                idempotency_key, f"POST /v1/payment_intents/{intent}/{operation}", params,
                acct.clock.now,
                lambda: self._expanded(self._run_on(intent, params, idempotency_key, work),
                                       fields),
            )

    def _run_on(self, intent: str, params: dict[str, Any], idempotency_key: str | None,
                work: Any) -> PaymentIntent:
        """Do ``work`` on the intent, all or nothing.

        A refused request (``InvalidRequestError``) changes nothing: the intent is put
        back as it was and its events are forgotten. Declines (``CardError``) are not
        refusals: the attempt happened, and Stripe keeps its charge, its events and the
        new status.
        """
        record = self._get(intent)
        request = self._acct.new_request(idempotency_key)
        saved = (dict(record.data), record.method, record.status, record.history,
                 record.confirmations, record.increments, record.authenticated_pm,
                 len(self._acct.events))
        try:
            work(record, params, request)
        except InvalidRequestError:
            data, record.method, record.status, record.history, record.confirmations, \
                record.increments, record.authenticated_pm, events = saved
            record.data.update(data)
            self._acct.events.truncate(events)
            raise
        return self._snapshot(record)

    def _get(self, intent: Any) -> IntentRecord:
        record = self._acct.intents.get(intent) if isinstance(intent, str) else None
        if record is None:
            raise InvalidRequestError(
                f"No such payment_intent: '{intent}'", code="resource_missing",
                param="intent", http_status=404,
            )
        return record

    def _expanded(self, intent: PaymentIntent, fields: tuple[str, ...]) -> PaymentIntent:
        return expand_intent(intent, fields, self._lookup) if fields else intent

    def _lookup(self, kind: str, object_id: str) -> dict[str, Any]:
        """The JSON of a charge or payment method this account made (for ``expand``)."""
        if kind == "charge":
            return charge_json(self._acct.charges[object_id])
        return self._acct.payment_methods[object_id].to_json()

    def _snapshot(self, record: IntentRecord) -> PaymentIntent:
        return PaymentIntent._from_engine(tuple(record.data.values()), record.history,
                                          self._acct.api_version)

    def _validate(self, operation: str, params: dict[str, Any],
                  record: IntentRecord | None = None) -> dict[str, Any]:
        if record is None:
            return rules.validate(operation, params, api_version=self._acct.api_version)
        method = record.method
        return rules.validate(operation, params, api_version=self._acct.api_version,
                              status=record.status, currency=record.data["currency"],
                              payment_method_type=method.type if method else None)

    def _move(self, record: IntentRecord, action: Action, target: Status,
              request: Request, charge: tuple[Any, ...] | None = None) -> None:
        """Make one move of the lifecycle table and emit that row's events, in order."""
        row = find_transition(record.status, action, target)
        if row is None:  # a bug in paykit, never a learner's mistake
            raise APIError(f"paykit refused a move the lifecycle has no row for: "
                           f"{record.status} --{action}--> {target}")
        record.status = target
        value = target._value_  # the plain string (``.value`` is a slow descriptor)
        record.data["status"] = value
        record.history += (value,)
        intent_values = tuple(record.data.values())
        acct = self._acct
        append, new_id, now = acct.events.append, acct.ids.new, acct.clock.now
        for event_type in row.events:
            if event_type.startswith("charge."):
                if charge is None:
                    raise APIError(f"paykit emitted {event_type} without a charge")
                append(new_id("evt"), event_type, now, request, "charge", charge)
            else:
                append(new_id("evt"), event_type, now, request, "payment_intent",
                       intent_values)

    def _unexpected_state(self, record: IntentRecord, action: Action) -> InvalidRequestError:
        version = self._acct.api_version
        allowed = ", ".join(display_status(s, version) for s in _sources_of(action))
        return InvalidRequestError(
            f"You cannot {_VERBS[action]} this PaymentIntent because it has a status of "
            f"{display_status(record.status, version)}. Only a PaymentIntent with one of the "
            f"following statuses may be {_PARTICIPLES[action]}: {allowed}.",
            code="payment_intent_unexpected_state",
            payment_intent=self._snapshot(record).to_dict(),
        )

    def _require(self, record: IntentRecord, action: Action) -> None:
        if record.status is None or not is_allowed(record.status, action):
            raise self._unexpected_state(record, action)

    # -- create ---------------------------------------------------------------------------

    def _create(self, raw: dict[str, Any], idempotency_key: str | None) -> PaymentIntent:
        acct = self._acct
        params = self._validate("create", raw)
        method = self._method_in(params)
        request = acct.new_request(idempotency_key)
        intent_id = acct.ids.new("pi")
        data = dict(_INTENT_TEMPLATE)
        data["id"] = intent_id
        data["capture_method"] = _default_capture_method(acct.api_version)
        data["client_secret"] = f"{intent_id}_secret_{acct.ids.token(25)}"
        data["created"] = acct.clock.now
        for name, value in params.items():
            if name in _STORED:
                data[name] = _stored(name, value)
        if params.get("metadata"):
            data["metadata"] = freeze(rules.merge_metadata({}, params["metadata"]))
        else:
            data["metadata"] = EMPTY_OBJECT
        data["payment_method"] = None
        types, data["automatic_payment_methods"] = self._method_types(params, method)
        data["payment_method_types"] = _types_text(types)
        data["payment_method_options"] = _method_options(types)
        record = IntentRecord(data=data)
        acct.intents[intent_id] = record
        events_before = len(acct.events)
        try:
            self._create_moves(record, params, method, request)
        except InvalidRequestError:  # e.g. confirm=true with an unusable method
            del acct.intents[intent_id]
            acct.events.truncate(events_before)
            raise
        return self._snapshot(record)

    def _create_moves(self, record: IntentRecord, params: dict[str, Any],
                      method: MintedMethod | None,
                      request: Request) -> None:
        """Created, perhaps with a method attached, perhaps confirmed: one API call."""
        acct = self._acct
        intent_id = record.data["id"]
        self._move(record, Action.CREATE, Status.REQUIRES_PAYMENT_METHOD, request)
        if method is not None:
            self._attach(record, method)
            if not params.get("confirm"):  # confirm=true skips requires_confirmation (seed 001)
                self._move(record, Action.ATTACH_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION,
                           NO_REQUEST)
            # the created event shows the intent as the create call left it
            acct.events.patch_created(intent_id, tuple(record.data.values()))
        if params.get("confirm"):
            confirm_params = {k: v for k, v in params.items() if k in rules.CONFIRM_ONLY_PARAMS}
            self._confirm_validated(record, confirm_params, request)

    def _method_types(self, params: dict[str, Any], method: MintedMethod | None
                      ) -> tuple[tuple[str, ...], str | None]:
        """Explicit types, or (current API) automatic payment methods for the currency
        (and ``automatic_payment_methods`` as stored text)."""
        if params.get("payment_method_types"):
            return tuple(params["payment_method_types"]), None
        automatic = params.get("automatic_payment_methods")
        if automatic is None and self._acct.api_version[:10] < AUTOMATIC_PAYMENT_METHODS_FROM:
            return ("card",), None
        types = ("card", *_debit_types(params["currency"]))
        if method is not None and method.test_method.type not in types:
            types += (method.test_method.type,)
        if not isinstance(automatic, dict):
            return types, _AUTOMATIC_DEFAULTS_TEXT
        return types, freeze({**_AUTOMATIC_DEFAULTS,
                              **{k: v for k, v in automatic.items()
                                 if k in _AUTOMATIC_DEFAULTS}})

    # -- payment methods -----------------------------------------------------------------

    def _method_in(self, params: dict[str, Any]) -> MintedMethod | None:
        """The payment method a request names (``payment_method``) or describes
        (``payment_method_data``, from which a new one is minted), if any."""
        data = params.get("payment_method_data")
        if params.get("payment_method"):
            if data:
                raise InvalidRequestError(
                    "You cannot provide both payment_method and payment_method_data: pass "
                    "an existing PaymentMethod, or the details to create one.",
                    code="payment_intent_invalid_parameter", param="payment_method_data",
                )
            return self._resolve_method(params["payment_method"])
        if data:
            return self.mint(find_test_method(data.get("type"), data,
                                              prefix="payment_method_data"))
        return None

    def _resolve_method(self, pm_id: Any) -> MintedMethod:
        """A minted payment method; a test token (``pm_card_visa``) mints a new one."""
        acct = self._acct
        if isinstance(pm_id, str) and pm_id in acct.payment_methods:
            return acct.payment_methods[pm_id]
        token = TEST_PAYMENT_METHODS.get(pm_id) if isinstance(pm_id, str) else None
        if token is None:
            raise InvalidRequestError(
                f"No such PaymentMethod: '{pm_id}'", code="resource_missing",
                param="payment_method", http_status=400,
            )
        return self.mint(token)

    def mint(self, token: TestPaymentMethod) -> MintedMethod:
        """A new payment method behaving like test token ``token`` (``pm_…`` id)."""
        acct = self._acct
        now = acct.clock.now
        entry = _new_minted((token.id, acct.ids.new("pm"), now, _expiry_year(now)))
        acct.payment_methods[entry.id] = entry
        return entry

    def _attach(self, record: IntentRecord, minted: MintedMethod) -> None:
        record.method = minted.test_method
        record.data["payment_method"] = minted.id
        record.data["next_action"] = None
        record.authenticated_pm = None

    def _check_compatible(self, record: IntentRecord) -> None:
        """The attached method must suit the intent's types, currency and capture."""
        method = record.method
        data = record.data
        assert method is not None
        allowed = thaw(data["payment_method_types"])
        if method.type not in allowed:
            raise InvalidRequestError(
                f"The PaymentMethod provided ({method.type}) is not allowed for this "
                f"PaymentIntent. Allowed types: {', '.join(allowed)}.",
                code="payment_intent_incompatible_payment_method", param="payment_method",
            )
        if method.currencies is not None and data["currency"] not in method.currencies:
            raise InvalidRequestError(
                f"{method.type} only supports {', '.join(sorted(method.currencies))}; "
                f"this PaymentIntent is in {data['currency']}.",
                code="payment_intent_incompatible_payment_method", param="payment_method",
            )
        if method.is_bank_debit and data["capture_method"] == "manual":
            raise InvalidRequestError(
                f"capture_method=manual is not supported for {method.type}.",
                code="payment_intent_incompatible_payment_method", param="capture_method",
            )
        if data["statement_descriptor"] is not None:
            rules.validate("update", {"statement_descriptor": data["statement_descriptor"]},
                           api_version=self._acct.api_version,
                           payment_method_type=method.type)

    # -- update ---------------------------------------------------------------------------

    def _update(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("update", raw, record)
        data = record.data
        if "currency" in params and "amount" not in params:
            self._validate("update", {"amount": data["amount"],
                                      "currency": params["currency"]}, record)
        method = self._method_in(params)
        for name, value in params.items():
            if name == "metadata":
                self._merge_metadata(data, value)
            elif name in _STORED and name != "payment_method":
                data[name] = _stored_or_unset(name, value)
        if "payment_method_types" in params:
            data["payment_method_options"] = _method_options(
                tuple(thaw(data["payment_method_types"])))
        data["last_payment_error"] = None  # "cleared if the PaymentIntent is later updated"
        if method is not None:
            self._attach(record, method)
            self._move(record, Action.ATTACH_PAYMENT_METHOD, Status.REQUIRES_CONFIRMATION,
                       request)

    def _merge_metadata(self, data: dict[str, Any], update: Any) -> None:
        """Apply a metadata parameter: ``""`` unsets a key, ``metadata=""`` unsets all."""
        data["metadata"] = freeze(rules.merge_metadata(thaw(data["metadata"]), update))

    # -- confirm --------------------------------------------------------------------------

    def _confirm(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        self._confirm_validated(record, self._validate("confirm", raw, record), request)

    def _confirm_validated(self, record: IntentRecord, params: dict[str, Any],
                           request: Request) -> None:
        self._require(record, Action.CONFIRM)
        data = record.data
        if "client_secret" in params and params["client_secret"] != data["client_secret"]:
            raise InvalidRequestError(
                "The client_secret provided does not match the client_secret associated "
                "with the PaymentIntent.", code="payment_intent_invalid_parameter",
                param="client_secret",
            )
        method = self._method_in(params)
        if method is not None:
            self._attach(record, method)
        if record.method is None:
            raise InvalidRequestError(
                "You cannot confirm this PaymentIntent because it's missing a payment "
                "method. Update the PaymentIntent with a payment method and then confirm "
                "it again, or confirm it again directly with a payment method.",
                code="payment_intent_unexpected_state",
                payment_intent=self._snapshot(record).to_dict(),
            )
        for name in ("setup_future_usage", "receipt_email", "shipping", "capture_method"):
            if name in params:
                data[name] = _stored_or_unset(name, params[name])
        self._check_compatible(record)
        record.confirmations += 1
        data["last_payment_error"] = None
        challenge = self._authentication(record, bool(params.get("off_session")))
        if challenge == "challenge" and params.get("error_on_requires_action"):
            challenge = "decline"
        if challenge == "decline":
            self._fail(record, Action.CONFIRM, _AUTH_REQUIRED, request, raise_error=True)
        if challenge == "challenge":
            data["next_action"] = freeze(_next_action(record, params.get("return_url")))
            self._move(record, Action.CONFIRM, Status.REQUIRES_ACTION, request)
            return
        self._proceed(record, Action.CONFIRM, request, raise_error=True)

    def _authentication(self, record: IntentRecord, off_session: bool) -> str | None:
        """``None`` (go ahead), ``"challenge"`` (3DS) or ``"decline"`` (off-session)."""
        method = record.method
        assert method is not None
        pm_id = record.data["payment_method"]
        if method.authentication is Authentication.NEVER or record.authenticated_pm == pm_id:
            return None
        if not off_session:
            return "challenge"
        if method.authentication is Authentication.ON_SESSION_ONLY:
            return None
        if (method.authentication is Authentication.UNLESS_SET_UP_OFF_SESSION
                and self._acct.set_up_for.get(pm_id) == "off_session"):
            return None
        # seed 000: an off-session payment with a card set up on-session is likely to be
        # declined, the bank asking for the cardholder's authentication
        return "decline"

    def _proceed(self, record: IntentRecord, action: Action, request: Request, *,
                 raise_error: bool) -> None:
        """The payment attempt itself, once nothing more is asked of the customer."""
        acct = self._acct
        method = record.method
        data = record.data
        assert method is not None
        if method.is_bank_debit:
            charge = self._new_charge(record, "pending", captured=False, decline=None)
            self._move(record, action, Status.PROCESSING, request, charge)
            acct.schedule(acct.clock.now + SETTLEMENT_DELAY_SECONDS[method.type], record,
                          "settle")
            return
        if method.decline is not None:
            self._fail(record, action, method.decline, request, raise_error=raise_error)
            return
        manual = data["capture_method"] == "manual"
        charge = self._new_charge(record, "succeeded", captured=not manual, decline=None)
        if manual:
            data["amount_capturable"] = data["amount"]
            self._move(record, action, Status.REQUIRES_CAPTURE, request, charge)
            acct.schedule(data["created"] + CAPTURE_WINDOW_SECONDS, record, "expire")
            return
        data["amount_received"] = data["amount"]
        self._remember_setup(record)
        self._move(record, action, Status.SUCCEEDED, request, charge)

    def _new_charge(self, record: IntentRecord, status: str, *, captured: bool,
                    decline: Decline | None) -> tuple[Any, ...]:
        acct = self._acct
        method = record.method
        assert method is not None
        pm_id = record.data["payment_method"]
        charge_id = acct.ids.new("ch")
        balance = acct.ids.new("txn") if status == "succeeded" and captured else None
        charge = new_charge(
            charge_id=charge_id, intent=record.data, pm=method, pm_id=pm_id,
            exp_year=acct.payment_methods[pm_id].exp_year,
            created=acct.clock.now, status=status, captured=captured, decline=decline,
            statement_text=self._statement_text(record), balance_transaction=balance,
        )
        acct.charges[charge_id] = charge
        record.data["latest_charge"] = charge_id
        return charge

    def _statement_text(self, record: IntentRecord) -> str:
        """What the customer's statement shows for this attempt (seed 000, §4.2)."""
        data = record.data
        acct = self._acct
        if record.method is not None and record.method.type == "card":
            if data["statement_descriptor_suffix"]:
                return rules.customer_statement(acct.statement_descriptor_prefix,
                                                data["statement_descriptor_suffix"]).text
            return data["statement_descriptor"] or acct.statement_descriptor
        return data["statement_descriptor"] or acct.statement_descriptor

    def _fail(self, record: IntentRecord, action: Action, decline: Decline, request: Request,
              *, raise_error: bool, charge: tuple[Any, ...] | None = None) -> None:
        """A failed attempt: back to requires_payment_method, or canceled at the limit."""
        data = record.data
        if charge is None:
            charge = self._new_charge(record, "failed", captured=False, decline=decline)
        pm_json = self._acct.payment_methods[data["payment_method"]].to_json()
        error = CardError(
            decline.message, code=decline.code, decline_code=decline.decline_code,
            charge=charge[0], payment_method=pm_json,
            payment_method_type=pm_json["type"], request_id=request[0],
        )
        body = error.to_dict()["error"]
        body.pop("request_log_url", None)
        data["last_payment_error"] = freeze(body)
        self._detach_after_failure(record)
        target = self._after_failure(record)
        self._move(record, action, target, request, charge)
        if raise_error:
            error.payment_intent = self._snapshot(record).to_dict()
            raise error

    def _detach_after_failure(self, record: IntentRecord) -> None:
        record.method = None
        record.authenticated_pm = None
        record.data["payment_method"] = None
        record.data["next_action"] = None

    def _after_failure(self, record: IntentRecord) -> Status:
        if record.confirmations >= self._acct.confirmation_limit:
            record.data["canceled_at"] = self._acct.clock.now
            record.data["cancellation_reason"] = "automatic"
            return Status.CANCELED
        return Status.REQUIRES_PAYMENT_METHOD

    def _remember_setup(self, record: IntentRecord) -> None:
        usage = record.data["setup_future_usage"]
        if usage:
            self._acct.set_up_for[record.data["payment_method"]] = usage

    # -- the customer's side ---------------------------------------------------------------

    def _authenticate(self, record: IntentRecord, success: bool, request: Request) -> None:
        self._require(record, Action.AUTHENTICATE)
        data = record.data
        data["next_action"] = None
        if not success:
            pm_json = self._acct.payment_methods[data["payment_method"]].to_json()
            data["last_payment_error"] = freeze({
                "code": "payment_intent_authentication_failure",
                "doc_url": "https://stripe.com/docs/error-codes/"
                           "payment-intent-authentication-failure",
                "message": _AUTH_FAILURE_MESSAGE,
                "payment_method": pm_json,
                "type": "invalid_request_error",
            })
            self._detach_after_failure(record)
            self._move(record, Action.FAIL_AUTHENTICATION, self._after_failure(record),
                       request)
            return
        record.authenticated_pm = data["payment_method"]
        if data["confirmation_method"] == "manual":
            self._move(record, Action.AUTHENTICATE, Status.REQUIRES_CONFIRMATION, request)
            return
        self._proceed(record, Action.AUTHENTICATE, request, raise_error=False)

    # -- capture, increment, cancel ---------------------------------------------------------

    def _capture(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("capture", raw, record)
        self._require(record, Action.CAPTURE)
        data = record.data
        capturable = data["amount_capturable"]
        amount = params.get("amount_to_capture", capturable)
        if amount > capturable:
            raise InvalidRequestError(
                f"The amount_to_capture ({amount}) must be less than or equal to the "
                f"amount_capturable ({capturable}).",
                code="amount_too_large", param="amount_to_capture",
            )
        for name in ("statement_descriptor", "statement_descriptor_suffix",
                     "application_fee_amount", "transfer_data"):
            if name in params:
                data[name] = _stored(name, params[name])
        if "metadata" in params:
            self._merge_metadata(data, params["metadata"])
        charge = self._replace_latest_charge(
            record, statement_descriptor=data["statement_descriptor"],
            statement_descriptor_suffix=data["statement_descriptor_suffix"],
            calculated_statement_descriptor=self._statement_text(record),
            captured=True, amount_captured=amount,
            amount_refunded=self._latest_charge_amount(record) - amount,
            balance_transaction=self._acct.ids.new("txn"))
        data["amount_received"] = amount
        data["amount_capturable"] = 0
        self._remember_setup(record)
        self._move(record, Action.CAPTURE, Status.SUCCEEDED, request, charge)

    def _increment(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("increment_authorization", raw, record)
        self._require(record, Action.INCREMENT_AUTHORIZATION)
        data = record.data
        if record.method is None or record.method.type != "card":
            raise InvalidRequestError(
                "Only card payments support incremental authorization.",
                code="payment_intent_unexpected_state", param="amount",
            )
        if params["amount"] <= data["amount"]:
            raise InvalidRequestError(
                f"The amount ({params['amount']}) must be greater than the currently "
                f"authorized amount ({data['amount']}).",
                code="parameter_invalid_integer", param="amount",
            )
        if record.increments >= MAX_INCREMENTAL_AUTHORIZATIONS:
            raise InvalidRequestError(
                "This PaymentIntent has reached the maximum of "
                f"{MAX_INCREMENTAL_AUTHORIZATIONS} incremental authorization attempts.",
                code="intent_invalid_state", param="amount",
            )
        record.increments += 1
        for name in ("description", "statement_descriptor", "application_fee_amount",
                     "transfer_data"):
            if name in params:
                data[name] = _stored(name, params[name])
        if "metadata" in params:
            self._merge_metadata(data, params["metadata"])
        data["amount"] = data["amount_capturable"] = params["amount"]
        charge = self._replace_latest_charge(record, amount=params["amount"])
        self._move(record, Action.INCREMENT_AUTHORIZATION, Status.REQUIRES_CAPTURE, request,
                   charge)

    def _cancel(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("cancel", raw, record)
        self._require(record, Action.CANCEL)
        if record.status is Status.PROCESSING and not (record.method
                                                       and record.method.is_bank_debit):
            raise self._unexpected_state(record, Action.CANCEL)
        data = record.data
        charge = None
        if record.status is Status.REQUIRES_CAPTURE:
            charge = self._release_authorization(record)
        elif record.status is Status.PROCESSING:
            charge = self._replace_latest_charge(
                record, status="failed", failure_message="The payment was canceled.")
        data["canceled_at"] = self._acct.clock.now
        data["cancellation_reason"] = params.get("cancellation_reason")
        data["next_action"] = None
        self._move(record, Action.CANCEL, Status.CANCELED, request, charge)

    def _latest_charge_amount(self, record: IntentRecord) -> int:
        return charge_value(self._acct.charges[record.data["latest_charge"]], "amount")

    def _replace_latest_charge(self, record: IntentRecord, **changes: Any) -> tuple[Any, ...]:
        """Store the intent's latest charge with ``changes`` (events keep the old tuple)."""
        charges, charge_id = self._acct.charges, record.data["latest_charge"]
        charge = charges[charge_id] = replace_charge(charges[charge_id], **changes)
        return charge

    def _release_authorization(self, record: IntentRecord) -> tuple[Any, ...]:
        """An uncaptured authorisation given back (cancel, or the capture window ending):
        the whole amount is refunded and nothing is capturable any more."""
        record.data["amount_capturable"] = 0
        return self._replace_latest_charge(
            record, refunded=True, amount_refunded=self._latest_charge_amount(record))

    # -- what the clock does ----------------------------------------------------------------

    def fire(self, intent_id: str, kind: str, token: int) -> None:
        """A timer came due: settle a bank debit, or expire an uncaptured authorisation."""
        record = self._acct.intents[intent_id]
        if record.timer != token:
            return
        data = record.data
        if kind == "settle" and record.status is Status.PROCESSING:
            outcome = thaw(charge_value(self._acct.charges[data["latest_charge"]], "outcome"))
            method = record.method
            assert method is not None
            if method.decline is None:
                charge = self._replace_latest_charge(
                    record, status="succeeded", paid=True, captured=True,
                    amount_captured=self._latest_charge_amount(record),
                    balance_transaction=self._acct.ids.new("txn"),
                    outcome=freeze({**outcome, "seller_message": "Payment complete."}))
                data["amount_received"] = data["amount"]
                self._remember_setup(record)
                self._move(record, Action.SETTLE, Status.SUCCEEDED, NO_REQUEST, charge)
                return
            decline = method.decline
            charge = self._replace_latest_charge(
                record, status="failed", failure_code=decline.code,
                failure_message=decline.message,
                outcome=freeze({**outcome, "network_status": decline.network_status,
                                "reason": decline.decline_code,
                                "seller_message": decline.message,
                                "type": decline.outcome_type}))
            self._fail(record, Action.SETTLE, decline, NO_REQUEST, raise_error=False,
                       charge=charge)
        elif kind == "expire" and record.status is Status.REQUIRES_CAPTURE:
            charge = self._release_authorization(record)
            data.update(canceled_at=self._acct.clock.now, cancellation_reason="expired")
            self._move(record, Action.EXPIRE, Status.CANCELED, NO_REQUEST, charge)


def _next_action(record: IntentRecord, return_url: str | None) -> dict[str, Any]:
    """What the client must do: Stripe.js handles it, or a redirect to the 3DS page."""
    intent_id = record.data["id"]
    if return_url:
        return {
            "redirect_to_url": {
                "return_url": return_url,
                "url": f"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={intent_id}",
            },
            "type": "redirect_to_url",
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "type": "three_d_secure_redirect",
            "stripe_js": f"https://hooks.stripe.com/redirect/authenticate/{intent_id}",
        },
    }


# MintedMethod without its keyword-handling constructor (one per payment attempt).
_new_minted = partial(tuple.__new__, MintedMethod)


@cache
def _default_capture_method(api_version: str) -> str:
    return "automatic_async" if api_version[:10] >= AUTOMATIC_ASYNC_DEFAULT_FROM \
        else "automatic"


@lru_cache(maxsize=64)
def _expiry_year(now: int) -> int:
    """Test cards minted at ``now`` expire three years later (the year only)."""
    return time.gmtime(now).tm_year + 3


@cache
def _debit_types(currency: str) -> tuple[str, ...]:
    """The bank-debit test methods that can pay in ``currency``."""
    return tuple(sorted({pm.type for pm in TEST_PAYMENT_METHODS.values()
                         if pm.currencies and currency in pm.currencies}))


@cache
def _types_text(types: tuple[str, ...]) -> str:
    """``payment_method_types`` as stored."""
    return freeze(types)


@cache
def _method_options(types: tuple[str, ...]) -> str:
    """Per-type options as the API shows them (stored text)."""
    options: dict[str, Any] = {}
    if "card" in types:
        options["card"] = {"installments": None, "mandate_options": None, "network": None,
                           "request_three_d_secure": "automatic"}
    if "sepa_debit" in types:
        options["sepa_debit"] = {}
    if "us_bank_account" in types:
        options["us_bank_account"] = {"verification_method": "automatic"}
    return freeze(options)


