"""``sb.setup_intents``: save a payment method for later, a thin resource over its table.

"Use the Setup Intents API to set up a payment method for future payments"
(https://docs.stripe.com/payments/setup-intents): confirm it with the customer present
(3D Secure if the card asks for it), and its method is saved to ``customer`` and set up
for ``usage`` (``off_session`` by default), so later off-session payments go through
(https://docs.stripe.com/payments/save-and-reuse). Each endpoint validates
(``SETUP_INTENT_RULES``), asks the table (``paykit.setup_lifecycle.SETUP_INTENT``),
applies the row's effect and emits its events; the PaymentMethod table
(``SavedMethods``) says whether the method may be used at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from paykit import api_versions
from paykit.customers import require_live_customer
from paykit.errors import CardError, InvalidRequestError
from paykit.machine import MoveRefused, Row
from paykit.minting import MintedMethod, method_in
from paykit.next_actions import three_d_secure
from paykit.objects import ListObject, SetupIntent
from paykit.pagination import CreatedFilter
from paykit.params import merge_metadata, validate_object
from paykit.params.cross_rules import type_choice_problems
from paykit.params.setup_intent_rules import SETUP_INTENT_RULES
from paykit.payment_methods import (
    SETTLEMENT_DELAY_SECONDS,
    TYPE_PARAMS,
    Authentication,
    TestPaymentMethod,
    retyped,
    types_for,
)
from paykit.resources import JsonRecord, JsonResource
from paykit.setup_lifecycle import SETUP_INTENT, SetupAction, SetupAttempt, SetupStatus

if TYPE_CHECKING:
    from paykit.account import Account, Request
    from paykit.payment_method_resource import SavedMethods
    from paykit.timers import Timer

__all__ = ["SetupIntentsResource", "SetupRecord"]

#: A SetupIntent's code for a bad parameter value (Stripe's error codes list it).
_INVALID = "setup_intent_invalid_parameter"
_THREE_D_SECURE_FORCED = frozenset({"any", "challenge"})
_AUTHENTICATION_FAILED = {
    "code": "setup_intent_authentication_failure",
    "doc_url": "https://stripe.com/docs/error-codes/setup-intent-authentication-failure",
    "message": "The latest attempt to set up the payment method has failed because "
               "authentication failed.",
    "type": "invalid_request_error",
}
_CARD_OPTIONS = {"card": {"mandate_options": None, "network": None,
                          "request_three_d_secure": "automatic"}}


class SetupRecord(JsonRecord):
    """One SetupIntent: its JSON fields, its status, its method's test behaviour."""

    __slots__ = ("method", "tried")

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.method: TestPaymentMethod | None = None
        self.tried: set[str] = set()  # methods this setup already tried (it may retry)


class SetupIntentsResource(JsonResource[SetupRecord]):
    """create, retrieve, update, confirm, cancel, list, and ``authenticate`` (the
    customer's side of ``next_action``, a paykit test helper)."""

    kind = "setup_intent"
    url = "/v1/setup_intents"
    wrap = SetupIntent

    def __init__(self, account: Account, saved: SavedMethods) -> None:
        super().__init__(account)
        self._saved = saved
        self._effects: dict[str, Callable[[SetupRecord, dict[str, Any]],
                                          CardError | None]] = {
            "set_up": self._set_up,
            "request_authentication": self._request_authentication,
            "start_setup": self._start_setup,
            "decline": self._decline,
            "fail_authentication": self._fail_authentication,
        }

    # -- endpoints --------------------------------------------------------------------------

    def create(self, *, idempotency_key: str | None = None, **params: Any) -> SetupIntent:
        """``POST /v1/setup_intents``; ``confirm=True`` also confirms it."""
        return self._run(idempotency_key, "POST /v1/setup_intents", params,
                         lambda request: self._create(params, request))

    def retrieve(self, intent: str, *, client_secret: str | None = None) -> SetupIntent:
        """``GET /v1/setup_intents/{intent}``."""
        with self._acct.lock:
            record = self._get(intent, "intent")
            if client_secret is not None and client_secret != record.data["client_secret"]:
                raise InvalidRequestError(
                    "The client_secret provided does not match the client_secret associated "
                    "with the SetupIntent.", code="setup_intent_invalid_parameter",
                    param="client_secret")
            return self._show(record)

    def update(self, intent: str, *, idempotency_key: str | None = None,
               **params: Any) -> SetupIntent:
        """``POST /v1/setup_intents/{intent}``."""
        return self._run(idempotency_key, f"POST /v1/setup_intents/{intent}", params,
                         lambda request: self._update(intent, params, request), intent)

    def confirm(self, intent: str, *, idempotency_key: str | None = None,
                **params: Any) -> SetupIntent:
        """``POST /v1/setup_intents/{intent}/confirm``."""
        def work(request: Request) -> SetupIntent:
            record = self._get(intent, "intent")
            self._confirm(record, params, request)
            return self._show(record)

        return self._run(idempotency_key, f"POST /v1/setup_intents/{intent}/confirm", params,
                         work, intent)

    def cancel(self, intent: str, *, idempotency_key: str | None = None,
               **params: Any) -> SetupIntent:
        """``POST /v1/setup_intents/{intent}/cancel`` (``cancellation_reason`` optional)."""
        def work(request: Request) -> SetupIntent:
            record = self._get(intent, "intent")
            valid = self._validated("cancel", params)
            row = self._decide(record, SetupAction.CANCEL)
            record.data["cancellation_reason"] = valid.get("cancellation_reason")
            record.data["next_action"] = None
            self._apply(record, row, request)
            return self._show(record)

        return self._run(idempotency_key, f"POST /v1/setup_intents/{intent}/cancel", params,
                         work, intent)

    def authenticate(self, intent: str, success: bool = True) -> SetupIntent:
        """The customer completes (or fails) ``next_action``: the 3D Secure page."""
        acct = self._acct
        with acct.lock:
            record = self._get(intent, "intent")
            action = SetupAction.AUTHENTICATE if success else SetupAction.FAIL_AUTHENTICATION
            self._apply(record, self._decide(record, action), acct.new_request(None))
            return self._show(record)

    def list(self, limit: int | None = 10, *, customer: str | None = None,
             payment_method: str | None = None, starting_after: str | None = None,
             ending_before: str | None = None, created: CreatedFilter = None) -> ListObject:
        """``GET /v1/setup_intents``: newest first."""
        with self._acct.lock:
            return self._page_where({"customer": customer, "payment_method": payment_method},
                                    limit, starting_after, ending_before, created)

    def fire(self, timer: Timer) -> None:
        """A bank debit's setup is answered by its bank."""
        record = self._records[timer.object_id]
        if self._acct.timers.is_current(timer) and record.status is SetupStatus.PROCESSING:
            self._apply(record, self._decide(record, SetupAction.SETTLE), (None, None))

    # -- the work ---------------------------------------------------------------------------

    def _run(self, key: str | None, endpoint: str, params: dict[str, Any],
             work: Callable[[Request], SetupIntent], intent: str | None = None
             ) -> SetupIntent:
        """One API call, all or nothing: a refused request leaves no trace (the
        SetupIntent it names is put back, one it created is forgotten)."""
        acct = self._acct
        with acct.lock:
            def attempt() -> SetupIntent:
                record = self._records.get(intent) if intent is not None else None
                state = _saved(record) if record is not None else None
                count, events = len(self._records), len(acct.events)
                try:
                    return work(acct.new_request(key))
                except InvalidRequestError:
                    while len(self._records) > count:
                        self._records.popitem()
                    if record is not None and state is not None:
                        _restore(record, state)
                    acct.events.truncate(events)
                    raise

            return acct.idempotency.run(key, endpoint, params, acct.clock.now, attempt)

    def _create(self, raw: dict[str, Any], request: Request) -> SetupIntent:
        acct = self._acct
        params = self._validated("create", raw)
        if params.get("customer"):
            require_live_customer(acct, params["customer"])
        method, _ = method_in(acct, params)
        explicit, allowed = (params.get("payment_method_types"),
                             params.get("allowed_payment_method_types"))
        automatic = None
        if not (explicit or allowed) and (
                params.get("automatic_payment_methods")
                or api_versions.since("automatic_payment_methods_default", acct.version())):
            automatic = {"allow_redirects": "always", "enabled": True,
                         **(params.get("automatic_payment_methods") or {})}
        types = types_for(explicit, allowed, params.get("excluded_payment_method_types"),
                          automatic is not None, None)
        intent_id = acct.ids.new("seti")
        record = SetupRecord({
            "id": intent_id, "object": "setup_intent",
            "allowed_payment_method_types": allowed, "application": None,
            "automatic_payment_methods": automatic, "cancellation_reason": None,
            "client_secret": f"{intent_id}_secret_{acct.ids.token(25)}",
            "created": acct.clock.now, "customer": params.get("customer"),
            "customer_account": None, "description": params.get("description"),
            "excluded_payment_method_types": params.get("excluded_payment_method_types"),
            "flow_directions": params.get("flow_directions"), "last_setup_error": None,
            "latest_attempt": None, "livemode": False, "mandate": None,
            "metadata": merge_metadata({}, params.get("metadata") or {}),
            "next_action": None, "on_behalf_of": None, "payment_method": None,
            "payment_method_configuration_details": None,
            "payment_method_options": {**_CARD_OPTIONS,
                                       **(params.get("payment_method_options") or {})},
            "payment_method_types": list(types), "single_use_mandate": None,
            "status": None, "usage": params.get("usage", "off_session"),
        })
        self._records[intent_id] = record
        created = self._decide(record, SetupAction.CREATE)
        self._apply(record, created, request, emit=False)
        if method is not None:
            self._attach(record, method)
            if not params.get("confirm"):
                self._apply(record, self._decide(record, SetupAction.ATTACH_PAYMENT_METHOD),
                            request)
        self._emit(created.events, request, record)
        if params.get("confirm"):
            confirm = {k: v for k, v in params.items()
                       if k in ("mandate_data", "return_url", "use_stripe_sdk")}
            self._confirm(record, confirm, request, validated=True)
        return self._show(record)

    def _validated(self, operation: str, raw: dict[str, Any]) -> dict[str, Any]:
        """The parameters of ``operation``, read in the call's version, or the first
        problem as Stripe's error (the type choices too: ``type_choice_problems``)."""
        params = validate_object(SETUP_INTENT_RULES, self._acct.version(), operation, raw,
                                 invalid_code=_INVALID)
        problems = type_choice_problems(raw, params, None)
        if problems:
            raise replace(problems[0], code=_INVALID).to_error()
        return params

    def _retype(self, record: SetupRecord, params: dict[str, Any]) -> None:
        """An update or confirm that names the types (``payment_methods.retyped``)."""
        data = record.data
        for name in ("allowed_payment_method_types", "excluded_payment_method_types"):
            if name in params:
                data[name] = params[name] or None  # "" unsets
        types, automatic = retyped(data["payment_method_types"],
                                   data["automatic_payment_methods"] is not None, params, None)
        data["payment_method_types"] = list(types)
        if not automatic:
            data["automatic_payment_methods"] = None

    def _update(self, intent: str, raw: dict[str, Any], request: Request) -> SetupIntent:
        record = self._get(intent, "intent")
        params = self._validated("update", raw)
        data = record.data
        if record.status in (SetupStatus.PROCESSING, SetupStatus.SUCCEEDED,
                             SetupStatus.CANCELED) and set(params) - {"metadata", "expand"}:
            raise self._unexpected(record, "update")
        if params.get("customer"):
            require_live_customer(self._acct, params["customer"])
        method, _ = method_in(self._acct, params)
        for name, value in params.items():
            if name == "metadata":
                data["metadata"] = merge_metadata(data["metadata"], value)
            elif name in ("customer", "description", "flow_directions"):
                data[name] = None if value == "" else value
        if not TYPE_PARAMS.isdisjoint(params):
            self._retype(record, params)
        if method is not None:
            self._attach(record, method)
            if record.status is SetupStatus.REQUIRES_PAYMENT_METHOD:
                self._apply(record, self._decide(record, SetupAction.ATTACH_PAYMENT_METHOD),
                            request)
        return self._show(record)

    def _confirm(self, record: SetupRecord, raw: dict[str, Any], request: Request, *,
                 validated: bool = False) -> None:
        params = raw if validated else self._validated("confirm", raw)
        data = record.data
        if not TYPE_PARAMS.isdisjoint(params):
            self._retype(record, params)
        if "client_secret" in params and params["client_secret"] != data["client_secret"]:
            raise InvalidRequestError(
                "The client_secret provided does not match the client_secret associated "
                "with the SetupIntent.", code="setup_intent_invalid_parameter",
                param="client_secret")
        if record.status not in (SetupStatus.REQUIRES_PAYMENT_METHOD,
                                 SetupStatus.REQUIRES_CONFIRMATION):
            self._decide(record, SetupAction.CONFIRM)  # the table's refusal
        method, _ = method_in(self._acct, params)
        if method is not None:
            self._attach(record, method)
        if record.method is not None and data["payment_method"] not in record.tried:
            customer = data["customer"]
            self._saved.use(self._acct.payment_methods[data["payment_method"]], customer,
                            customer is not None)
            record.tried.add(data["payment_method"])
        data["last_setup_error"] = None
        failure = self._apply(record, self._decide(record, SetupAction.CONFIRM), request,
                              params)
        if failure is not None:
            failure.setup_intent = self._render(record)
            raise failure

    # -- the table --------------------------------------------------------------------------

    def _facts(self, record: SetupRecord) -> SetupAttempt:
        method = record.method
        if method is None:
            return SetupAttempt("none")
        if method.is_bank_debit:
            return SetupAttempt("bank_debit", "not_needed",
                                "declines" if method.decline is not None else "approves")
        forced = ((record.data["payment_method_options"].get("card") or {})
                  .get("request_three_d_secure") in _THREE_D_SECURE_FORCED)
        challenge = forced or method.authentication is not Authentication.NEVER
        return SetupAttempt("card", "challenge" if challenge else "not_needed",
                            "declines" if method.simulates_issuer_decline else "approves")

    def _decide(self, record: SetupRecord, action: SetupAction) -> Row:
        try:
            return SETUP_INTENT.decide(record.status, action, self._facts(record))
        except MoveRefused as refused:
            refusal = refused.refusal
            if refusal is not None and refusal.message:
                raise InvalidRequestError(refusal.message, code=refusal.code,
                                          param=refusal.param) from None
            raise self._unexpected(record, action.value) from None

    def _unexpected(self, record: SetupRecord, action: str) -> InvalidRequestError:
        error = InvalidRequestError(
            f"You cannot {action} this SetupIntent because it has a status of "
            f"{record.data['status']}.", code="setup_intent_unexpected_state")
        error.setup_intent = self._render(record)
        return error

    def _apply(self, record: SetupRecord, row: Row, request: Request,
               params: dict[str, Any] | None = None, *, emit: bool = True
               ) -> CardError | None:
        """The row's effect, then the move, then its events; returns the decline the
        effect made, for a confirm to raise (a settlement cannot)."""
        failure = self._effects[row.effect](record, params or {}) if row.effect else None
        record.status = row.target
        record.data["status"] = row.target.value
        if emit:
            self._emit(row.events, request, record)
        return failure

    def _attach(self, record: SetupRecord, minted: MintedMethod) -> None:
        record.method = minted.test_method
        record.data["payment_method"] = minted.id
        record.data["next_action"] = None

    # -- the effects the rows name ----------------------------------------------------------

    def _set_up(self, record: SetupRecord, params: dict[str, Any]) -> None:
        """Saved: set up for its usage, attached to the customer, a mandate for a debit."""
        acct = self._acct
        data = record.data
        pm_id = data["payment_method"]
        acct.set_up_for[pm_id] = data["usage"]
        data["next_action"] = None
        if record.method is not None and record.method.is_bank_debit:
            data["mandate"] = acct.ids.new("mandate")
        if data["customer"] is not None:
            self._saved.attach(acct.payment_methods[pm_id], data["customer"], (None, None),
                               saving=True)

    def _request_authentication(self, record: SetupRecord, params: dict[str, Any]) -> None:
        record.data["next_action"] = three_d_secure("setup_intent", record.id,
                                                    params.get("return_url"))

    def _start_setup(self, record: SetupRecord, params: dict[str, Any]) -> None:
        acct = self._acct
        assert record.method is not None
        acct.timers.schedule(acct.clock.now + SETTLEMENT_DELAY_SECONDS[record.method.type],
                             "setup_intent", record.id, "settle")

    def _decline(self, record: SetupRecord, params: dict[str, Any]) -> CardError:
        """The bank refuses the method: the setup fails back to requires_payment_method."""
        method = record.method
        assert method is not None and method.decline is not None
        decline = method.decline
        pm_json = self._saved.json(self._acct.payment_methods[record.data["payment_method"]])
        error = {"code": decline.code, "decline_code": decline.decline_code,
                 "doc_url": f"https://stripe.com/docs/error-codes/"
                            f"{decline.code.replace('_', '-')}",
                 "message": decline.message, "payment_method": pm_json,
                 "type": "card_error"}
        self._fail(record, error)
        return CardError(decline.message, code=decline.code,
                         decline_code=decline.decline_code, payment_method=pm_json)

    def _fail_authentication(self, record: SetupRecord, params: dict[str, Any]) -> None:
        pm_json = self._saved.json(self._acct.payment_methods[record.data["payment_method"]])
        self._fail(record, {**_AUTHENTICATION_FAILED, "payment_method": pm_json})

    def _fail(self, record: SetupRecord, error: dict[str, Any]) -> None:
        data = record.data
        data["last_setup_error"] = error
        data["payment_method"] = None
        data["next_action"] = None
        record.method = None


def _saved(record: SetupRecord) -> tuple[Any, ...]:
    return (dict(record.data), record.status, record.method, set(record.tried))


def _restore(record: SetupRecord, state: tuple[Any, ...]) -> None:
    data, record.status, record.method, record.tried = state
    record.data.clear()
    record.data.update(data)
