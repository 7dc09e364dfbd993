"""``sb.payment_intents``: the PaymentIntent endpoints, a thin resource over the table.

Every endpoint reads the same way: validate the parameters (``paykit.params``), ask the
lifecycle table which row applies (``PAYMENT_INTENT.decide``), apply that row (its
``effect``: make a charge, release an authorisation, ask for 3D Secure, ...), emit its
events, render the intent. No status is chosen here: the table answers, and a move it
refuses becomes Stripe's error. Payment methods are minted in ``paykit.minting``,
charges made in ``paykit.charges``, timers kept in ``paykit.timers``, idempotent
replays in ``paykit.idempotency``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Any

from paykit import api_versions, storage
from paykit import params as rules
from paykit.account import NO_REQUEST, Account, IntentRecord, Request
from paykit.charges import (
    attempt_charge,
    latest_charge_amount,
    release_authorization,
    replace_latest_charge,
)
from paykit.customers import require_live_customer
from paykit.errors import CardError, InvalidRequestError
from paykit.expansion import expand_intent, expansion_paths
from paykit.lifecycle import (
    BEFORE_BASIL,
    LIMITS,
    PAYMENT_INTENT,
    Action,
    Attempt,
    AuthenticationNeed,
    MethodKind,
    Status,
    display_status,
)
from paykit.machine import MoveRefused, Row
from paykit.minting import MintedMethod, method_in
from paykit.next_actions import three_d_secure
from paykit.objects import (
    ListObject,
    PaymentIntent,
    SearchResult,
    payment_intent_json,
    renders_as_today,
)
from paykit.pagination import PositionIndex, check_limit, check_string
from paykit.params.validation import validate_request
from paykit.payment_method_resource import SavedMethods
from paykit.payment_methods import (
    SETTLEMENT_DELAY_SECONDS,
    TYPE_PARAMS,
    Authentication,
    Decline,
    method_options,
    retyped,
    types_for,
)
from paykit.search import SEARCHABLE, compile_query, search_page
from paykit.storage import (
    PAYMENT_INTENT_FIELDS,
    StoredCharge,
    charge_field,
    charge_json,
    shared,
)
from paykit.timers import Timer
from paykit.versioned_json import render

__all__ = [
    "AUTOMATIC_ASYNC_DEFAULT_FROM",
    "AUTOMATIC_PAYMENT_METHODS_FROM",
    "CAPTURE_WINDOW_SECONDS",
    "CONFIRMATION_LIMIT",
    "MAX_INCREMENTAL_AUTHORIZATIONS",
    "PaymentIntentsResource",
]

#: The limits the lifecycle rows cite (``paykit.lifecycle.LIMITS``, with their sources).
CONFIRMATION_LIMIT = LIMITS["confirmations"].value
CAPTURE_WINDOW_SECONDS = LIMITS["capture_window_seconds"].value
MAX_INCREMENTAL_AUTHORIZATIONS = LIMITS["incremental_authorizations"].value
#: From this API version ``capture_method`` defaults to ``automatic_async`` (both capture
#: at once): the table of ``paykit.api_versions`` says so.
AUTOMATIC_ASYNC_DEFAULT_FROM = api_versions.starts("capture_method_automatic_async")
#: From this version ``automatic_payment_methods`` is on when no types are given; before
#: it, ``payment_method_types`` defaults to ``["card"]`` (``paykit.api_versions``).
AUTOMATIC_PAYMENT_METHODS_FROM = api_versions.starts("automatic_payment_methods_default")

_AUTH_REQUIRED = Decline(
    "authentication_required", "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
_AUTH_FAILURE_MESSAGE = (
    "The provided PaymentMethod has failed authentication. You can provide "
    "payment_method_data or a new PaymentMethod to attempt to fulfill this "
    "PaymentIntent again."
)
# How Stripe's "unexpected state" message names each action.
_VERBS = {
    Action.CONFIRM: ("confirm", "confirmed"),
    Action.CAPTURE: ("capture", "captured"),
    Action.CANCEL: ("cancel", "canceled"),
    Action.INCREMENT_AUTHORIZATION: ("increment the authorization of", "incremented"),
    Action.AUTHENTICATE: ("authenticate", "authenticated"),
    Action.ATTACH_PAYMENT_METHOD: ("update the payment method of", "updated"),
}
# Request parameters that are also fields of the PaymentIntent object.
_STORED = frozenset(PAYMENT_INTENT_FIELDS) - {"id", "object", "status"}
# automatic_payment_methods when on.
_AUTOMATIC_DEFAULTS: dict[str, Any] = {"allow_redirects": "always", "enabled": True}
_AUTOMATIC_ON = shared(_AUTOMATIC_DEFAULTS)
# A new intent before its parameters are applied: every field, nulls included.
_INTENT_TEMPLATE: dict[str, Any] = {
    **dict.fromkeys(PAYMENT_INTENT_FIELDS),
    "object": "payment_intent", "amount_capturable": 0, "amount_details": shared({"tip": {}}),
    "amount_received": 0, "confirmation_method": "automatic", "livemode": False,
    "metadata": shared({}),
}


# Enum members read once: ``Action.CONFIRM`` is a class-attribute lookup through the
# enum machinery each time (~80 ns, against ~10 ns for a module constant; measured).
_CANCELED = Status.CANCELED
_CREATE, _ATTACH, _CONFIRM = Action.CREATE, Action.ATTACH_PAYMENT_METHOD, Action.CONFIRM
# A NamedTuple's own constructor is a Python function (0.28 us against 0.09 us; measured):
# the facts are built twice per payment, so ``_facts`` builds the tuple directly.
_new_facts = tuple.__new__
_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class PaymentIntentsResource:
    """create, retrieve, update, confirm, capture, cancel, increment_authorization, list,
    and ``authenticate`` (the customer's side of ``next_action``, a paykit test helper)."""

    def __init__(self, account: Account, saved: SavedMethods) -> None:
        self._acct = account
        self._listing = PositionIndex()  # list()'s index, caught up when someone lists
        # the account's version decides it once (paykit.api_versions): an expiry has no
        # request whose Stripe-Version could say otherwise
        self._refunds_on_release = not api_versions.since("no_refund_on_release",
                                                          account.api_version)
        # What the PaymentMethod table lets each payment do with its method.
        self._saved = saved
        # A decline an effect recorded, for ``_apply`` to hand back (under the lock).
        self._declined: CardError | None = None
        # What each row's ``effect`` does (paykit.lifecycle names them).
        self._effects: dict[str, Callable[[IntentRecord, Attempt, Request, Mapping[str, Any]],
                                          StoredCharge | None]] = {
            "charge": self._charge,
            "authorize": self._authorize,
            "start_debit": self._start_debit,
            "request_authentication": self._request_authentication,
            "decline": self._decline,
            "fail_authentication": self._fail_authentication,
            "settle": self._settle,
            "fail_debit": self._fail_debit,
            "capture": self._capture_charge,
            "increment": self._increment_charge,
            "release_authorization": self._release,
            "cancel_debit": self._cancel_debit,
        }

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
                raise _secret_mismatch()
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
            # costs what its page costs: the index follows the intents created since the
            # last list; ``customer`` (which an update may change) is read as it is now
            intents, listing = self._acct.intents, self._listing
            listing.follow(intents, _created_of, _no_group)
            ids = listing.ids
            wanted = check_string(customer, "customer")
            keep = None if wanted is None else (
                lambda position: intents[ids[position]].data["customer"] == wanted)
            positions, has_more = listing.page(
                check_limit(limit), check_string(starting_after, "starting_after"),
                check_string(ending_before, "ending_before"), "payment_intent",
                created=created, keep=keep)
            return ListObject([self._expanded(self._snapshot(intents[ids[p]]), fields)
                               for p in positions], has_more, "/v1/payment_intents")

    def search(self, query: str, limit: int | None = 10, *, page: str | None = None,
               expand: Sequence[str] | None = None) -> SearchResult:
        """``GET /v1/payment_intents/search``: Stripe's query language over ``status``,
        ``amount``, ``currency``, ``customer``, ``created`` and ``metadata['key']``
        (``paykit.search``), newest first; ``page`` is the previous ``next_page``."""
        fields = expansion_paths(expand, in_list=True)
        match = compile_query(query, SEARCHABLE["payment_intent"])
        with self._acct.lock:
            found = search_page(
                (r.data["id"], r) for r in reversed(self._acct.intents.values()))
            records, has_more, next_page = found(
                lambda r: match({**r.data, "metadata": r.get("metadata")}),
                check_limit(limit), page)
            return SearchResult([self._expanded(self._snapshot(r), fields) for r in records],
                                has_more, "/v1/payment_intents/search", next_page)

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
        saved, events = record.saved(), len(self._acct.events)
        try:
            work(record, params, request)
        except InvalidRequestError:
            record.restore(saved)
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
            acct = self._acct
            return render(charge_json(acct.charges[object_id]), acct.version(), acct.related)
        return self._acct.payment_methods[object_id].to_json()

    def _snapshot(self, record: IntentRecord) -> PaymentIntent:
        acct = self._acct
        version = acct.version()
        intent = PaymentIntent._from_engine(tuple(record.data.values()), record.history,
                                            version)
        if not renders_as_today("payment_intent", version):
            # an older version may embed the intent's charges: rendered now, as they are
            object.__setattr__(intent, "_data",
                               payment_intent_json(intent._values, version, acct.related))
        return intent

    def _validate(self, operation: str, params: dict[str, Any],
                  record: IntentRecord | None = None) -> dict[str, Any]:
        acct = self._acct
        if record is None:
            return validate_request(operation, params, acct.version(), None, None, None,
                                    acct.clock.now)
        method = record.method
        return validate_request(operation, params, acct.version(), record.status,
                                record.data["currency"], method.type if method else None,
                                acct.clock.now)

    # -- asking the table, applying its answer ------------------------------------------------

    def _facts(self, record: IntentRecord,
               authentication: AuthenticationNeed = "not_needed") -> Attempt:
        """The facts of the intent and this attempt, as the table's guards read them."""
        method = record.method
        data = record.data
        kind: MethodKind = ("none" if method is None
                            else "bank_debit" if method.is_bank_debit else "card")
        return _new_facts(Attempt, (  # Attempt's fields, in order
            kind,
            authentication,
            "declines" if method is not None and method.decline is not None else "approves",
            "manual" if data["capture_method"] == "manual" else "automatic",
            "manual" if data["confirmation_method"] == "manual" else "automatic",
            record.confirmations >= self._acct.confirmation_limit,
            record.increments >= MAX_INCREMENTAL_AUTHORIZATIONS,
        ))

    def _require(self, record: IntentRecord, action: Action) -> None:
        """Refuse ``action`` at once where the table has no row for it at all."""
        if record.status is None or not PAYMENT_INTENT.allows(record.status, action):
            raise self._unexpected_state(record, action)

    def _decide(self, record: IntentRecord, action: Action, facts: Attempt) -> Row:
        """The table's answer, or its refusal as Stripe's error."""
        try:
            return PAYMENT_INTENT.decide(record.status, action, facts)
        except MoveRefused as refused:
            refusal = refused.refusal
            if refusal is None or not refusal.message:
                raise self._unexpected_state(record, action) from None
            message = refusal.message.format_map(
                {name: limit.value for name, limit in LIMITS.items()})
            error = InvalidRequestError(message, code=refusal.code, param=refusal.param)
            if refusal.code == "payment_intent_unexpected_state" and refusal.param is None:
                error.payment_intent = self._snapshot(record).to_dict()
            raise error from None

    def _apply(self, record: IntentRecord, row: Row, facts: Attempt, request: Request,
               params: Mapping[str, Any] = _NO_PARAMS) -> CardError | None:
        """Do what ``row`` says: its effect (with the request's ``params``), then the move
        and its events, in order.

        Returns the decline to raise, if the row's effect was one (the caller decides
        whether the API call raises it: a confirm does, a settlement cannot).
        """
        self._declined = None
        charge = (self._effects[row.effect](record, facts, request, params) if row.effect
                  else None)
        data = record.data
        target = row.target
        events, sets = row.events, row.sets
        if self._refunds_on_release:  # an API version before basil: that row's old form
            events, sets = BEFORE_BASIL.get((row.source, row.action), (events, sets))
        if target is _CANCELED:
            data["canceled_at"] = self._acct.clock.now
        if sets:
            data.update(sets)
        record.status = target
        value = target._value_  # the plain string (``.value`` is a slow descriptor)
        data["status"] = value
        record.history += (value,)
        intent_values = tuple(data.values())
        acct = self._acct
        append, new_id, now = acct.events.append, acct.ids.new, acct.clock.now
        for event_type in events:
            if event_type.startswith("charge."):
                assert charge is not None, f"{row} emits {event_type} without a charge"
                append(new_id("evt"), event_type, now, request, "charge", charge)
            else:
                append(new_id("evt"), event_type, now, request, "payment_intent",
                       intent_values)
        return self._declined

    def _unexpected_state(self, record: IntentRecord, action: Action) -> InvalidRequestError:
        version = self._acct.version()
        verb, participle = _VERBS[action]
        allowed = ", ".join(display_status(s, version)
                            for s in PAYMENT_INTENT.sources_of(action))
        status = record.status
        assert status is not None
        return InvalidRequestError(
            f"You cannot {verb} this PaymentIntent because it has a status of "
            f"{display_status(status, version)}. Only a PaymentIntent with one of the "
            f"following statuses may be {participle}: {allowed}.",
            code="payment_intent_unexpected_state",
            payment_intent=self._snapshot(record).to_dict(),
        )

    # -- create ---------------------------------------------------------------------------

    def _create(self, raw: dict[str, Any], idempotency_key: str | None) -> PaymentIntent:
        acct = self._acct
        params = self._validate("create", raw)
        if params.get("customer"):
            require_live_customer(self._acct, params["customer"])
        method, new = method_in(acct, params)
        request = acct.new_request(idempotency_key)
        intent_id = acct.ids.new("pi")
        record = IntentRecord(data=dict(_INTENT_TEMPLATE))
        data = record.data
        data["id"] = intent_id
        data["capture_method"] = _default_capture_method(acct.version())
        data["client_secret"] = f"{intent_id}_secret_{acct.ids.token(25)}"
        data["created"] = acct.clock.now
        storage.store_fields(data, params, _STORED)
        if params.get("metadata"):
            record.put("metadata", rules.merge_metadata({}, params["metadata"]))
        else:
            data["metadata"] = _INTENT_TEMPLATE["metadata"]
        data["payment_method"] = None
        types, automatic = self._method_types(params, method)
        storage.store_fields(data, {"automatic_payment_methods": automatic,
                                    "payment_method_types": _types_value(types),
                                    "payment_method_options": _method_options(types)}, _STORED)
        acct.intents[intent_id] = record
        events_before = len(acct.events)
        try:
            self._create_moves(record, params, method, request, new)
        except InvalidRequestError:  # e.g. confirm=true with an unusable method
            del acct.intents[intent_id]
            acct.events.truncate(events_before)
            raise
        return self._snapshot(record)

    def _create_moves(self, record: IntentRecord, params: dict[str, Any],
                      method: MintedMethod | None, request: Request, new: bool) -> None:
        """Created, perhaps with a method attached, perhaps confirmed: one API call."""
        facts = self._facts(record)
        self._apply(record, self._decide(record, _CREATE, facts), facts, request)
        if method is not None:
            self._attach(record, method)
            if not params.get("confirm"):  # confirm=true skips requires_confirmation
                self._apply(record, self._decide(record, _ATTACH, facts),
                            facts, NO_REQUEST)
            # the created event shows the intent as the create call left it
            self._acct.events.patch_created(record.data["id"], record.values())
        if params.get("confirm"):
            confirm_params = {k: v for k, v in params.items() if k in rules.CONFIRM_ONLY_PARAMS}
            self._confirm_validated(record, confirm_params, request,
                                    method if new else None)

    def _method_types(self, params: dict[str, Any], method: MintedMethod | None
                      ) -> tuple[tuple[str, ...], Any]:
        """The types a new intent may use, and its ``automatic_payment_methods``:
        explicit types (before endive), the allowed ones that suit the currency, or
        (from 2023-08-16) the automatic payment methods of the currency less the
        excluded ones (``paykit.api_versions``)."""
        explicit = params.get("payment_method_types")
        allowed = params.get("allowed_payment_method_types")
        if explicit or allowed:
            return types_for(explicit, allowed, None, False, params["currency"]), None
        automatic = params.get("automatic_payment_methods")
        if automatic is None and not api_versions.since("automatic_payment_methods_default",
                                                        self._acct.version()):
            return ("card",), None
        excluded = tuple(params.get("excluded_payment_method_types") or ())
        types = _automatic_types(params["currency"], excluded)
        if method is not None and method.test_method.type not in (*types, *excluded):
            types += (method.test_method.type,)
        if not isinstance(automatic, dict):
            return types, _AUTOMATIC_ON
        return types, {**_AUTOMATIC_DEFAULTS,
                       **{k: v for k, v in automatic.items() if k in _AUTOMATIC_DEFAULTS}}

    def _retype(self, record: IntentRecord, params: dict[str, Any]) -> None:
        """An update or confirm that names the types: keep them, and the types and
        options they give (``_method_types``'s rules on the intent as it is)."""
        data = record.data
        types, automatic = retyped(record.get("payment_method_types"),
                                   data["automatic_payment_methods"] is not None, params,
                                   data["currency"])
        for name in ("allowed_payment_method_types", "excluded_payment_method_types"):
            if name in params:
                record.put(name, params[name] or None)  # "" unsets
        if not automatic:
            record.put("automatic_payment_methods", None)
        record.put("payment_method_types", _types_value(types))
        record.put("payment_method_options", _method_options(types))

    # -- payment methods -----------------------------------------------------------------

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
        allowed = record.get("payment_method_types")
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
                           api_version=self._acct.version(),
                           payment_method_type=method.type, now=self._acct.clock.now)

    # -- update ---------------------------------------------------------------------------

    def _update(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("update", raw, record)
        if params.get("customer"):
            require_live_customer(self._acct, params["customer"])
        data = record.data
        if "currency" in params and "amount" not in params:
            self._validate("update", {"amount": data["amount"],
                                      "currency": params["currency"]}, record)
        method, _ = method_in(self._acct, params)
        for name, value in params.items():
            if name == "metadata":
                self._merge_metadata(record, value)
            elif name in _STORED and name not in TYPE_PARAMS and name != "payment_method":
                record.put(name, None if value == "" else value)  # "" unsets a field
        if not TYPE_PARAMS.isdisjoint(params):
            self._retype(record, params)
        data["last_payment_error"] = None  # "cleared if the PaymentIntent is later updated"
        if method is not None:
            self._attach(record, method)
            facts = self._facts(record)
            self._apply(record, self._decide(record, _ATTACH, facts),
                        facts, request)

    def _store(self, record: IntentRecord, params: Mapping[str, Any],
               names: Sequence[str]) -> None:
        """Keep the ``names`` a request gives (metadata is merged, not replaced)."""
        for name in names:
            if name not in params:
                continue
            if name == "metadata":
                self._merge_metadata(record, params["metadata"])
            else:
                record.put(name, params[name])

    def _merge_metadata(self, record: IntentRecord, update: Any) -> None:
        """Apply a metadata parameter: ``""`` unsets a key, ``metadata=""`` unsets all."""
        record.put("metadata", rules.merge_metadata(record.get("metadata"), update))

    # -- confirm --------------------------------------------------------------------------

    def _confirm(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        self._confirm_validated(record, self._validate("confirm", raw, record), request)

    def _confirm_validated(self, record: IntentRecord, params: dict[str, Any],
                           request: Request, new: MintedMethod | None = None) -> None:
        """Confirm; ``new`` is a method minted by this very request (nothing else can
        have used it: the PaymentMethod table need not be asked)."""
        self._require(record, _CONFIRM)
        if "client_secret" in params and params["client_secret"] != record.data["client_secret"]:
            raise _secret_mismatch()
        if not TYPE_PARAMS.isdisjoint(params):
            self._retype(record, params)
        method, minted_now = method_in(self._acct, params)
        tried = self._tried_before(record) if record.confirmations else ()
        if method is not None:
            self._attach(record, method)
            if minted_now:
                new = method
        authentication: AuthenticationNeed = "not_needed"
        if record.method is not None:
            for name in ("setup_future_usage", "receipt_email", "shipping", "capture_method"):
                if name in params:
                    record.put(name, None if params[name] == "" else params[name])
            self._check_compatible(record)
            # the PaymentMethod table: spent, detached or someone else's is refused here
            data = record.data
            if data["payment_method"] not in tried and (
                    new is None or new.id != data["payment_method"]):
                customer = data["customer"]
                self._saved.use(self._acct.payment_methods[data["payment_method"]], customer,
                                customer is not None and bool(data["setup_future_usage"]))
            record.confirmations += 1
            record.data["last_payment_error"] = None
            authentication = self._authentication(record, bool(params.get("off_session")))
            if authentication == "challenge" and params.get("error_on_requires_action"):
                authentication = "refused"
        facts = self._facts(record, authentication)
        row = self._decide(record, _CONFIRM, facts)
        error = self._apply(record, row, facts, request, params)
        if error is not None:
            error.payment_intent = self._snapshot(record).to_dict()
            raise error

    def _authentication(self, record: IntentRecord, off_session: bool) -> AuthenticationNeed:
        """Whether 3D Secure is ``not_needed``, a ``challenge``, or ``refused``."""
        method = record.method
        assert method is not None
        pm_id = record.data["payment_method"]
        if method.authentication is Authentication.NEVER or record.authenticated_pm == pm_id:
            return "not_needed"
        if not off_session:
            return "challenge"
        if method.authentication is Authentication.ON_SESSION_ONLY:
            return "not_needed"
        if (method.authentication is Authentication.UNLESS_SET_UP_OFF_SESSION
                and self._acct.set_up_for.get(pm_id) == "off_session"):
            return "not_needed"
        # An off-session payment with a card set up on-session is likely to be declined,
        # the bank asking for the cardholder's authentication
        # (https://docs.stripe.com/payments/payment-intents#future-usage).
        return "refused"

    # -- the effects the rows name ----------------------------------------------------------

    def _charge(self, record: IntentRecord, facts: Attempt, request: Request,
                params: Mapping[str, Any]) -> StoredCharge:
        """A card payment goes through and is captured at once."""
        data = record.data
        charge = self._new_charge(record, "succeeded", captured=True)
        data["amount_received"] = data["amount"]
        self._remember_setup(record, request)
        return charge

    def _authorize(self, record: IntentRecord, facts: Attempt, request: Request,
                   params: Mapping[str, Any]) -> StoredCharge:
        """A card payment is authorised; the capture window starts."""
        data = record.data
        charge = self._new_charge(record, "succeeded", captured=False)
        data["amount_capturable"] = data["amount"]
        self._acct.timers.schedule(data["created"] + CAPTURE_WINDOW_SECONDS,
                                   "payment_intent", data["id"], "expire")
        return charge

    def _start_debit(self, record: IntentRecord, facts: Attempt, request: Request,
                     params: Mapping[str, Any]) -> StoredCharge:
        """A bank debit starts; it settles (or fails) after its processing delay."""
        method = record.method
        assert method is not None
        charge = self._new_charge(record, "pending", captured=False)
        acct = self._acct
        acct.timers.schedule(acct.clock.now + SETTLEMENT_DELAY_SECONDS[method.type],
                             "payment_intent", record.data["id"], "settle")
        return charge

    def _request_authentication(self, record: IntentRecord, facts: Attempt, request: Request,
                                params: Mapping[str, Any]) -> None:
        """The customer is asked to act: ``next_action`` says how (3D Secure in Stripe.js,
        or a redirect to ``return_url``). The method is in use though no charge shows it
        yet: unless this payment saves it, no other may use it."""
        record.put("next_action", _next_action(record, params.get("return_url")))
        data = record.data
        if data["customer"] is None or not data["setup_future_usage"]:
            self._saved.spend(self._acct.payment_methods[data["payment_method"]])

    def _decline(self, record: IntentRecord, facts: Attempt, request: Request,
                 params: Mapping[str, Any]) -> StoredCharge:
        """The attempt fails: a failed charge, ``last_payment_error``, the method let go."""
        method = record.method
        assert method is not None
        decline = (_AUTH_REQUIRED if facts.authentication == "refused"
                   else method.decline)
        assert decline is not None
        charge = self._new_charge(record, "failed", captured=False, decline=decline)
        self._declined = self._record_decline(record, decline, charge, request)
        return charge

    def _fail_authentication(self, record: IntentRecord, facts: Attempt, request: Request,
                             params: Mapping[str, Any]) -> None:
        """3D Secure failed: no charge, ``last_payment_error`` says why."""
        pm_json = self._acct.payment_methods[record.data["payment_method"]].to_json()
        record.put("last_payment_error", {
            "code": "payment_intent_authentication_failure",
            "doc_url": "https://stripe.com/docs/error-codes/"
                       "payment-intent-authentication-failure",
            "message": _AUTH_FAILURE_MESSAGE,
            "payment_method": pm_json,
            "type": "invalid_request_error",
        })
        self._detach_after_failure(record)

    def _settle(self, record: IntentRecord, facts: Attempt, request: Request,
                params: Mapping[str, Any]) -> StoredCharge:
        """A bank debit completes."""
        data = record.data
        outcome = self._latest_outcome(record)
        charge = replace_latest_charge(
            self._acct, record, status="succeeded", paid=True, captured=True,
            amount_captured=latest_charge_amount(self._acct, record),
            balance_transaction=self._acct.ids.new("txn"),
            outcome={**outcome, "seller_message": "Payment complete."})
        data["amount_received"] = data["amount"]
        self._remember_setup(record, request)
        return charge

    def _fail_debit(self, record: IntentRecord, facts: Attempt, request: Request,
                    params: Mapping[str, Any]) -> StoredCharge:
        """A bank debit fails at settlement."""
        method = record.method
        assert method is not None and method.decline is not None
        decline = method.decline
        charge = replace_latest_charge(
            self._acct, record, status="failed", failure_code=decline.code,
            failure_message=decline.message,
            outcome={**self._latest_outcome(record),
                     "network_status": decline.network_status,
                     "reason": decline.decline_code, "seller_message": decline.message,
                     "type": decline.outcome_type})
        self._declined = self._record_decline(record, decline, charge, request)
        return charge

    def _capture_charge(self, record: IntentRecord, facts: Attempt, request: Request,
                        params: Mapping[str, Any]) -> StoredCharge:
        """The authorised charge is captured; what is not captured is refunded."""
        data = record.data
        amount = params.get("amount_to_capture", data["amount_capturable"])
        charge = replace_latest_charge(
            self._acct, record, statement_descriptor=data["statement_descriptor"],
            statement_descriptor_suffix=data["statement_descriptor_suffix"],
            calculated_statement_descriptor=self._statement_text(record),
            captured=True, amount_captured=amount,
            # before basil, what was not captured was refunded (paykit.api_versions)
            amount_refunded=(latest_charge_amount(self._acct, record) - amount
                             if self._refunds_on_release else 0),
            balance_transaction=self._acct.ids.new("txn"))
        data["amount_received"] = amount
        data["amount_capturable"] = 0
        self._remember_setup(record, request)
        return charge

    def _increment_charge(self, record: IntentRecord, facts: Attempt, request: Request,
                          params: Mapping[str, Any]) -> StoredCharge:
        """The authorised charge now holds the new total."""
        record.increments += 1
        record.data["amount"] = record.data["amount_capturable"] = params["amount"]
        return replace_latest_charge(self._acct, record, amount=record.data["amount"])

    def _release(self, record: IntentRecord, facts: Attempt, request: Request,
                 params: Mapping[str, Any]) -> StoredCharge:
        return release_authorization(self._acct, record, refund=self._refunds_on_release)

    def _cancel_debit(self, record: IntentRecord, facts: Attempt, request: Request,
                      params: Mapping[str, Any]) -> StoredCharge:
        return replace_latest_charge(self._acct, record, status="failed",
                                     failure_message="The payment was canceled.")

    # -- helpers of the effects -------------------------------------------------------------

    def _new_charge(self, record: IntentRecord, status: str, *, captured: bool,
                    decline: Decline | None = None) -> StoredCharge:
        return attempt_charge(self._acct, record, status, captured=captured,
                              decline=decline, statement_text=self._statement_text(record))

    def _latest_outcome(self, record: IntentRecord) -> dict[str, Any]:
        return charge_field(self._acct.charges[record.data["latest_charge"]], "outcome")

    def _statement_text(self, record: IntentRecord) -> str:
        """What the customer's statement shows for this attempt
        (https://docs.stripe.com/get-started/account/statement-descriptors)."""
        data = record.data
        acct = self._acct
        if record.method is not None and record.method.type == "card" \
                and data["statement_descriptor_suffix"]:
            return rules.customer_statement(acct.statement_descriptor_prefix,
                                            data["statement_descriptor_suffix"]).text
        return data["statement_descriptor"] or acct.statement_descriptor

    def _record_decline(self, record: IntentRecord, decline: Decline, charge: StoredCharge,
                        request: Request) -> CardError:
        """``last_payment_error`` set, the method let go; the error the API answers."""
        data = record.data
        pm_json = self._acct.payment_methods[data["payment_method"]].to_json()
        error = CardError(
            decline.message, code=decline.code, decline_code=decline.decline_code,
            charge=charge_field(charge, "id"), payment_method=pm_json,
            payment_method_type=pm_json["type"], request_id=request[0],
        )
        body = error.to_dict()["error"]
        body.pop("request_log_url", None)
        record.put("last_payment_error", body)
        self._detach_after_failure(record)
        return error

    def _detach_after_failure(self, record: IntentRecord) -> None:
        record.method = None
        record.authenticated_pm = None
        record.data["payment_method"] = None
        record.data["next_action"] = None

    def _remember_setup(self, record: IntentRecord, request: Request) -> None:
        """A payment that succeeds with ``setup_future_usage`` sets its method up for that
        use, and with ``customer`` attaches it: "the payment method attaches to the
        Customer after the PaymentIntent has been confirmed and any required actions
        from the user are complete" (https://docs.stripe.com/api/payment_intents/create)."""
        data = record.data
        usage = data["setup_future_usage"]
        if usage:
            pm_id = data["payment_method"]
            self._acct.set_up_for[pm_id] = usage
            if data["customer"] is not None:
                self._saved.attach(self._acct.payment_methods[pm_id], data["customer"],
                                   request, saving=True)

    def _tried_before(self, record: IntentRecord) -> tuple[str | None, ...]:
        """The methods this intent already confirmed with: it may try them again (a
        manual confirmation after 3D Secure, a retry after a decline), while any other
        intent is refused a method spent without a Customer."""
        data = record.data
        latest = data["latest_charge"]
        charged = (storage.charge_field(self._acct.charges[latest], "payment_method")
                   if latest else None)
        return (data["payment_method"], charged)

    # -- the customer's side ---------------------------------------------------------------

    def _authenticate(self, record: IntentRecord, success: bool, request: Request) -> None:
        self._require(record, Action.AUTHENTICATE)
        record.data["next_action"] = None
        if success:
            record.authenticated_pm = record.data["payment_method"]
        action = Action.AUTHENTICATE if success else Action.FAIL_AUTHENTICATION
        facts = self._facts(record)
        self._apply(record, self._decide(record, action, facts), facts, request)

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
        facts = self._facts(record)
        row = self._decide(record, Action.CAPTURE, facts)
        self._store(record, params, ("statement_descriptor", "statement_descriptor_suffix",
                                     "application_fee_amount", "transfer_data", "metadata"))
        self._apply(record, row, facts, request, params)

    def _increment(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("increment_authorization", raw, record)
        self._require(record, Action.INCREMENT_AUTHORIZATION)
        data = record.data
        if params["amount"] <= data["amount"]:
            raise InvalidRequestError(
                f"The amount ({params['amount']}) must be greater than the currently "
                f"authorized amount ({data['amount']}).",
                code="parameter_invalid_integer", param="amount",
            )
        facts = self._facts(record)
        row = self._decide(record, Action.INCREMENT_AUTHORIZATION, facts)
        self._store(record, params, ("description", "statement_descriptor",
                                     "application_fee_amount", "transfer_data", "metadata"))
        self._apply(record, row, facts, request, params)

    def _cancel(self, record: IntentRecord, raw: dict[str, Any], request: Request) -> None:
        params = self._validate("cancel", raw, record)
        self._require(record, Action.CANCEL)
        facts = self._facts(record)
        row = self._decide(record, Action.CANCEL, facts)
        record.data["cancellation_reason"] = params.get("cancellation_reason")
        record.data["next_action"] = None
        self._apply(record, row, facts, request)

    # -- what the clock does ----------------------------------------------------------------

    def fire(self, timer: Timer) -> None:
        """A timer came due: settle a bank debit, or expire an uncaptured authorisation."""
        record = self._acct.intents[timer.object_id]
        if not self._acct.timers.is_current(timer):
            return
        action = Action.SETTLE if timer.kind == "settle" else Action.EXPIRE
        if record.status is None or not PAYMENT_INTENT.allows(record.status, action):
            return  # the intent moved on (captured, canceled) before the timer came due
        facts = self._facts(record)
        self._apply(record, self._decide(record, action, facts), facts, NO_REQUEST)


def _created_of(record: IntentRecord) -> int:
    return record.data["created"]


def _no_group(record: IntentRecord) -> None:
    return None


def _secret_mismatch() -> InvalidRequestError:
    return InvalidRequestError(
        "The client_secret provided does not match the client_secret associated "
        "with the PaymentIntent.", code="payment_intent_invalid_parameter",
        param="client_secret",
    )


def _next_action(record: IntentRecord, return_url: str | None) -> dict[str, Any]:
    """What the client must do: Stripe.js handles it, or a redirect to the 3DS page."""
    return three_d_secure("payment_intent", record.data["id"], return_url)


@cache
def _default_capture_method(api_version: str) -> str:
    return ("automatic_async"
            if api_versions.since("capture_method_automatic_async", api_version)
            else "automatic")


@cache
def _automatic_types(currency: str, excluded: tuple[str, ...]) -> tuple[str, ...]:
    """The automatic payment methods of ``currency`` less ``excluded`` (the same few
    answers on every create: remembered)."""
    return types_for(None, None, excluded, True, currency)


@cache
def _types_value(types: tuple[str, ...]) -> str | None:
    """``payment_method_types``, shared by the intents that have these types."""
    return shared(list(types))


@cache
def _method_options(types: tuple[str, ...]) -> str | None:
    """Per-type options as the API shows them (shared by the intents of these types)."""
    return shared(method_options(types))
