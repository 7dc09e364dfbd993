"""The sandbox's HTTP surface: ONE table of routes and ONE function, ``handle``.

``handle(sandbox, method, path, query, headers, body)`` turns a raw HTTP request into
``(status, headers, body)``. The local server (``paykit serve``) and the in-process
client for the official SDK (``paykit.stripe_client``) both call it, so curl, the SDK
over loopback and the SDK in a notebook see byte-for-byte the same API.

What it does, in order: find the route (unknown: Stripe's 404), read ``Stripe-Version``
(a legacy one shows the old status names), check the key (``paykit.http.auth``), decode
the form body and query (``paykit.http.forms``), pass ``Idempotency-Key`` on to the
engine, call the sandbox, and write the JSON the API returns, pretty-printed as Stripe
does. A ``paykit.StripeError`` becomes its JSON and HTTP status; anything else is a bug
in paykit and becomes a 500 ``api_error`` (the server keeps serving). Every answer
carries ``Request-Id``: for a POST, the ``req_…`` id its events show as ``request.id``
(the SDK exposes it as ``last_response.request_id``); a replay of an idempotency key
gives the first request's id and ``Idempotent-Replayed: true``, as Stripe does.
``expand`` works on the PaymentIntent endpoints (``paykit.expansion``); the others refuse
it rather than answer unexpanded.

Stripe.js's requests are read as Stripe.js sends them: the publishable key as ``key=`` in
the body or query (an ``Authorization`` header wins), its extra parameters
(``STRIPE_JS_PARAMS``) dropped; a publishable key where it may not go is always 401. A
``GET`` of ``/v3``, ``/v3/`` or ``/<train>/stripe.js`` answers paykit's Stripe.js stand-in
(``paykit.stripejs``), so a page needs only its script URL pointed here.

The routes under ``/v1/test_helpers/`` marked "paykit" are additions: the customer's
side of ``next_action`` (on Stripe it happens in the customer's browser) and the
sandbox clock. ``markdown_table()`` prints the table for the docs.

>>> import paykit
>>> status, headers, body = handle(paykit.Sandbox(seed=0), "POST", "/v1/payment_intents",
...     "", {"Authorization": "Bearer sk_test_123"}, b"amount=1099&currency=usd")
>>> status, headers["Content-Type"], b'"status": "requires_payment_method"' in body
(200, 'application/json', True)
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from paykit import api_versions
from paykit.errors import APIError, AuthenticationError, InvalidRequestError, StripeError
from paykit.http import forms
from paykit.http.auth import ApiKey, Keys
from paykit.idempotency import KEY_MAX_LENGTH
from paykit.objects import PaymentIntent, StripeObject
from paykit.pagination import check_string
from paykit.params.coercion import as_list, boolean, integer
from paykit.sandbox import Sandbox
from paykit.sensitive import redact_log
from paykit.stripejs.assets import script_response

__all__ = [
    "MAX_ADVANCE_SECONDS",
    "PUBLISHABLE_PAYMENT_INTENT_FIELDS",
    "ROUTES",
    "STRIPE_JS_PARAMS",
    "Call",
    "Response",
    "Route",
    "handle",
    "markdown_table",
]

_logger = logging.getLogger("paykit.http")

#: ``(status, headers, body)``: what ``handle`` answers.
Response = tuple[int, dict[str, str], bytes]

#: What a publishable key sees of a PaymentIntent. Stripe says only "a subset of
#: properties"; paykit takes the fields of Stripe.js's own ``PaymentIntent`` type
#: (@stripe/stripe-js, types/api/payment-intents.d.ts). ``metadata`` is not among them
#: (metadata is redacted for publishable keys, docs.stripe.com/metadata), nor are
#: ``customer``, ``latest_charge``, ``amount_received``, ``payment_method_options``...
PUBLISHABLE_PAYMENT_INTENT_FIELDS: frozenset[str] = frozenset({
    "id", "object", "amount", "canceled_at", "cancellation_reason", "capture_method",
    "client_secret", "confirmation_method", "created", "currency", "description",
    "last_payment_error", "livemode", "next_action", "next_source_action",
    "payment_method", "payment_method_types", "receipt_email", "setup_future_usage",
    "shipping", "status",
})

_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?")
_JSON = "application/json"
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": (
        "Request-Id, Stripe-Version, Idempotency-Key, Idempotent-Replayed"),
}
_PREFLIGHT = {
    **_CORS,
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Authorization, Content-Type, Idempotency-Key, Stripe-Version, "
        "X-Stripe-Client-User-Agent"
    ),
    "Access-Control-Max-Age": "300",
}
#: A publishable key where it may not go: 401, Stripe's words. Stripe answers HTTP 401
#: (stripe-python raises ``AuthenticationError`` for it, e.g.
#: https://github.com/mohammedhammoud/django-rest-framework-stripe/issues/3), so paykit
#: answers 401 everywhere a publishable key is refused: a secret-key endpoint, or a
#: client-secret endpoint called without the client secret.
_PUBLISHABLE_REFUSED = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. "
    "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys. "
    "(paykit: a publishable key (pk_test_...) may only retrieve or confirm a PaymentIntent or "
    "SetupIntent with its client_secret, create a PaymentMethod, and complete next_action.)"
)
#: What Stripe.js adds to the requests it makes with the publishable key, beside the API's
#: own parameters: the key itself, the type the Element collected, and telemetry (names
#: from stripe/stripe-mock#231 and captured Stripe.js requests; UNCONFIRMED officially:
#: they are not in the OpenAPI spec). Read and dropped for publishable-key requests.
STRIPE_JS_PARAMS: frozenset[str] = frozenset({
    "expected_payment_method_type", "client_attribution_metadata", "guid", "muid", "sid",
    "payment_user_agent", "time_on_page", "referrer", "pasted_fields",
})
_STRIPE_JS_METHOD_DATA = STRIPE_JS_PARAMS - {"expected_payment_method_type",
                                             "client_attribution_metadata"}
#: Longest move of the sandbox clock in one call (paykit's bound: 100 years).
MAX_ADVANCE_SECONDS = 100 * 366 * 86_400


@dataclass(frozen=True, slots=True)
class Call:
    """One accepted request, as a route's handler sees it."""

    sandbox: Sandbox
    args: dict[str, str]
    params: dict[str, Any]
    key: ApiKey
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: method, path template, who may call it, and what it does."""

    method: str
    path: str
    name: str
    handler: Callable[[Call], Any]
    doc: str
    publishable: bool = False
    paykit_addition: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        object.__setattr__(self, "pattern", re.compile(regex))


# -- parameter helpers ---------------------------------------------------------------------


def _unknown(name: str) -> InvalidRequestError:
    return InvalidRequestError(f"Received unknown parameter: {name}",
                               code="parameter_unknown", param=name)


def _only(params: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse the first parameter this endpoint does not take."""
    for name in params:
        if name not in allowed:
            raise _unknown(name)


def _no_expansion(params: Mapping[str, Any]) -> None:
    """``expand`` is a parameter of every endpoint, but paykit expands PaymentIntents'
    fields only: say so rather than answer unexpanded (``paykit.expansion``)."""
    if "expand" in params:
        raise InvalidRequestError(
            "paykit expands fields of PaymentIntents only (latest_charge, payment_method); "
            "retrieve the object by its id instead.", param="expand",
        )


def _text(params: Mapping[str, Any], name: str) -> str | None:
    """A string parameter, at most ``MAX_STRING_LENGTH`` long (checked before any use)."""
    value = params.get(name)
    if value is None or isinstance(value, str):
        return check_string(value, name)
    raise InvalidRequestError(f"Invalid string: {name} must be a string, not a hash or array",
                              code="parameter_invalid_string", param=name)


def _number(value: Any, name: str) -> float:
    try:
        number = float(value) if isinstance(value, str) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise InvalidRequestError(f"Invalid {name}: a non-negative number is expected",
                                  code="parameter_invalid_integer", param=name)
    return number


def _created(value: Any) -> int | dict[str, int] | None:
    """``created=…`` or ``created[gte]=…`` (and gt, lt, lte), as the list filters take it."""
    if value is None:
        return None
    if isinstance(value, dict):
        rule = {}
        for op, bound in value.items():
            if op not in ("gt", "gte", "lt", "lte"):
                raise _unknown(f"created[{op}]")
            rule[op] = integer(bound, f"created[{op}]")
        return rule
    return integer(value, "created")


def _engine_kwargs(params: dict[str, Any], *reserved: str) -> dict[str, Any]:
    """The parameters as keyword arguments, refusing names the engine's signature owns.

    Values stay as decoded: the engine reads them with ``paykit.params``, exactly as it
    reads the same values given in Python.
    """
    for name in ("idempotency_key", *reserved):
        if name in params:
            raise _unknown(name)
    return params


def _unlock(call: Call, operation: str) -> Any:
    """The intent, when the caller gave its client secret; a publishable key must.

    The engine refuses a client secret of another intent (400), so a secret never
    unlocks any other PaymentIntent. Returns ``None`` for a secret key without one.
    """
    secret = _client_secret(call, operation)
    if secret is None:
        return None
    return call.sandbox.payment_intents.retrieve(call.args["intent"], client_secret=secret)


def _client_secret(call: Call, operation: str) -> str | None:
    """The request's client secret; a publishable key may not go without one."""
    secret = _text(call.params, "client_secret")
    if secret is None and call.key.kind == "publishable":
        raise _publishable_refused(f"With a publishable key, {operation} needs the "
                                   "PaymentIntent's client_secret (pi_..._secret_...).")
    return secret


def _publishable_refused(detail: str | None = None) -> AuthenticationError:
    """The one answer to a publishable key used where it may not go: 401, with Stripe's
    words, or what is missing when a client secret would have let it through."""
    return AuthenticationError(_PUBLISHABLE_REFUSED if detail is None else detail)


# -- handlers --------------------------------------------------------------------------


def _pi_create(call: Call) -> Any:
    return call.sandbox.payment_intents.create(idempotency_key=call.idempotency_key,
                                               **_engine_kwargs(call.params))


def _pi_list(call: Call) -> Any:
    p = call.params
    _only(p, frozenset({"limit", "starting_after", "ending_before", "customer", "created",
                        "expand"}))
    return call.sandbox.payment_intents.list(
        p.get("limit", 10), starting_after=_text(p, "starting_after"),
        ending_before=_text(p, "ending_before"), customer=_text(p, "customer"),
        created=_created(p.get("created")), expand=p.get("expand"),
    )


def _pi_retrieve(call: Call) -> Any:
    _only(call.params, frozenset({"client_secret", "expand"}))
    return call.sandbox.payment_intents.retrieve(
        call.args["intent"], client_secret=_client_secret(call, "retrieve"),
        expand=call.params.get("expand"))


def _pi_action(operation: str) -> Callable[[Call], Any]:
    def run(call: Call) -> Any:
        method = getattr(call.sandbox.payment_intents, operation)
        return method(call.args["intent"], idempotency_key=call.idempotency_key,
                      **_engine_kwargs(call.params, "intent"))

    run.__name__ = f"_pi_{operation}"
    return run


def _pi_confirm(call: Call) -> Any:
    intent = _unlock(call, "confirm")
    if call.key.kind == "publishable" and intent.confirmation_method == "manual":
        raise InvalidRequestError(
            "This PaymentIntent has confirmation_method=manual: only your server may "
            "confirm it, with a secret key.",
            code="payment_intent_invalid_parameter", param="client_secret",
        )
    return _pi_action("confirm")(call)


def _pm_create(call: Call) -> Any:
    """``POST /v1/payment_methods``: the engine reads every parameter (PAYMENT_METHOD_RULES)."""
    _no_expansion(call.params)
    return call.sandbox.payment_methods.create(idempotency_key=call.idempotency_key,
                                               **_engine_kwargs(call.params))


def _create(resource: str) -> Callable[[Call], Any]:
    """``POST /v1/<resource>``: the engine reads and checks every parameter."""
    def run(call: Call) -> Any:
        return getattr(call.sandbox, resource).create(idempotency_key=call.idempotency_key,
                                                      **_engine_kwargs(call.params))

    run.__name__ = f"_{resource}_create"
    return run


def _act(resource: str, operation: str, arg: str, *,
         idempotent: bool = True) -> Callable[[Call], Any]:
    """``POST /v1/<resource>/{id}[/<operation>]`` on one object."""
    def run(call: Call) -> Any:
        method = getattr(getattr(call.sandbox, resource), operation)
        kwargs = _engine_kwargs(call.params, arg)
        if idempotent:
            kwargs = {**kwargs, "idempotency_key": call.idempotency_key}
        return method(call.args[arg], **kwargs)

    run.__name__ = f"_{resource}_{operation}"
    return run


_PAGING = frozenset({"limit", "starting_after", "ending_before"})


def _listing(resource: str, filters: frozenset[str], *, created: bool = True,
             method: str = "list", owner: str | None = None) -> Callable[[Call], Any]:
    """``GET`` a list: paging, ``created`` and the resource's string filters."""
    def run(call: Call) -> Any:
        p = call.params
        _no_expansion(p)
        _only(p, _PAGING | filters | ({"created"} if created else set()))
        kwargs: dict[str, Any] = {name: _text(p, name) for name in filters if name in p}
        if created and "created" in p:
            kwargs["created"] = _created(p["created"])
        args = (call.args[owner],) if owner else ()
        return getattr(getattr(call.sandbox, resource), method)(
            *args, p.get("limit", 10), starting_after=_text(p, "starting_after"),
            ending_before=_text(p, "ending_before"), **kwargs)

    run.__name__ = f"_{resource}_{method}"
    return run


def _si_retrieve(call: Call) -> Any:
    _no_expansion(call.params)
    _only(call.params, frozenset({"client_secret"}))
    secret = _text(call.params, "client_secret")
    if secret is None and call.key.kind == "publishable":
        raise _publishable_refused("With a publishable key, retrieve needs the "
                                   "SetupIntent's client_secret (seti_..._secret_...).")
    return call.sandbox.setup_intents.retrieve(call.args["intent"], client_secret=secret)


def _si_confirm(call: Call) -> Any:
    if call.key.kind == "publishable" and _text(call.params, "client_secret") is None:
        raise _publishable_refused("With a publishable key, confirm needs the "
                                   "SetupIntent's client_secret (seti_..._secret_...).")
    return _act("setup_intents", "confirm", "intent")(call)


def _si_authenticate(call: Call) -> Any:
    _no_expansion(call.params)
    _only(call.params, frozenset({"success", "client_secret"}))
    secret = _text(call.params, "client_secret")
    if secret is None and call.key.kind == "publishable":
        raise _publishable_refused("With a publishable key, completing next_action needs "
                                   "the SetupIntent's client_secret (seti_..._secret_...).")
    call.sandbox.setup_intents.retrieve(call.args["intent"], client_secret=secret)
    success = boolean(call.params.get("success", "true"), "success")
    return call.sandbox.setup_intents.authenticate(call.args["intent"], success=success)


def _search(resource: str) -> Callable[[Call], Any]:
    """``GET /v1/<resource>/search?query=…``: before the ``{id}`` route, so that
    "search" is never read as an object id."""
    def run(call: Call) -> Any:
        p = call.params
        _no_expansion(p)
        _only(p, frozenset({"query", "limit", "page"}))
        return getattr(call.sandbox, resource).search(
            _text(p, "query"), p.get("limit", 10), page=_text(p, "page"))

    run.__name__ = f"_{resource}_search"
    return run


def _customer_delete(call: Call) -> Any:
    _only(call.params, frozenset())
    return call.sandbox.customers.delete(call.args["customer"])


def _customer_method(call: Call) -> Any:
    """``GET /v1/customers/{customer}/payment_methods/{payment_method}``."""
    _no_expansion(call.params)
    _only(call.params, frozenset())
    method = call.sandbox.payment_methods.retrieve(call.args["payment_method"])
    if method.customer != call.args["customer"]:
        raise InvalidRequestError(
            f"No such PaymentMethod: '{call.args['payment_method']}' for customer "
            f"'{call.args['customer']}'", code="resource_missing", param="payment_method",
            http_status=404)
    return method


def _we_create(call: Call) -> Any:
    """``POST /v1/webhook_endpoints``: ``receiver`` (a Python function) is not a wire
    parameter."""
    return call.sandbox.webhook_endpoints.create(
        idempotency_key=call.idempotency_key, **_engine_kwargs(call.params, "receiver"))


def _we_delete(call: Call) -> Any:
    _only(call.params, frozenset())
    return call.sandbox.webhook_endpoints.delete(call.args["webhook_endpoint"])


def _event_retry(call: Call) -> Any:
    """``POST /v1/events/{event}/retry``: what ``stripe events resend`` calls."""
    _only(call.params, frozenset({"webhook_endpoint"}))
    endpoint = _text(call.params, "webhook_endpoint")
    if endpoint is None:
        raise InvalidRequestError("Missing required param: webhook_endpoint.",
                                  code="parameter_missing", param="webhook_endpoint")
    return call.sandbox.webhook_endpoints.resend(call.args["event"], endpoint)


def _we_attempts(call: Call) -> Any:
    """``GET /v1/test_helpers/webhook_endpoints/{webhook_endpoint}/attempts?after=N``."""
    _only(call.params, frozenset({"after"}))
    after = integer(call.params.get("after", "0"), "after")
    return call.sandbox.webhook_endpoints.attempt_log(call.args["webhook_endpoint"],
                                                      max(after, 0))


def _retrieve(resource: str, what: str) -> Callable[[Call], Any]:
    def run(call: Call) -> Any:
        _no_expansion(call.params)
        _only(call.params, frozenset())
        return getattr(call.sandbox, resource).retrieve(call.args[what])

    run.__name__ = f"_{resource}_retrieve"
    return run


def _charges_list(call: Call) -> Any:
    p = call.params
    _no_expansion(p)
    _only(p, frozenset({"payment_intent", "limit", "starting_after", "ending_before",
                        "created"}))
    return call.sandbox.charges.list(_text(p, "payment_intent"), p.get("limit", 10),
                                     starting_after=_text(p, "starting_after"),
                                     ending_before=_text(p, "ending_before"),
                                     created=_created(p.get("created")))


def _events_list(call: Call) -> Any:
    p = call.params
    _no_expansion(p)
    _only(p, frozenset({"type", "types", "limit", "starting_after", "ending_before",
                        "created"}))
    types = None
    if "types" in p:
        types = as_list(p["types"])
        if not types or not all(isinstance(t, str) for t in types):
            raise InvalidRequestError("Invalid array: types must be an array of event types",
                                      code="parameter_invalid_string", param="types")
    # the engine lists every event when limit is None; the API's default page is 10
    return call.sandbox.events.list(_text(p, "type"), p.get("limit", 10), types=types,
                                    starting_after=_text(p, "starting_after"),
                                    ending_before=_text(p, "ending_before"),
                                    created=_created(p.get("created")))


def _authenticate(call: Call) -> Any:
    _no_expansion(call.params)
    _only(call.params, frozenset({"success", "client_secret"}))
    _unlock(call, "completing next_action")
    success = boolean(call.params.get("success", "true"), "success")
    return call.sandbox.payment_intents.authenticate(call.args["intent"], success=success)


def _clock_json(sandbox: Sandbox) -> dict[str, Any]:
    now = sandbox.now
    return {
        "object": "sandbox_clock",
        "now": now,
        "iso": datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z"),
        "api_version": sandbox.api_version,
        "livemode": False,
    }


def _clock(call: Call) -> Any:
    _only(call.params, frozenset())
    return _clock_json(call.sandbox)


def _clock_advance(call: Call) -> Any:
    units = {"days": 86_400, "hours": 3_600, "minutes": 60, "seconds": 1}
    _only(call.params, frozenset(units))
    amounts = {name: _number(value, name) for name, value in call.params.items()}
    if sum(amounts[n] * units[n] for n in amounts) > MAX_ADVANCE_SECONDS:
        raise InvalidRequestError("paykit moves the clock at most 100 years at a time.",
                                  code="parameter_invalid_integer")
    call.sandbox.advance(**amounts)
    return _clock_json(call.sandbox)


ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/payment_intents", "payment_intents.create", _pi_create,
          "Create a PaymentIntent (confirm=true also confirms it)."),
    Route("GET", "/v1/payment_intents", "payment_intents.list", _pi_list,
          "List PaymentIntents, newest first: limit, starting_after, ending_before, "
          "customer, created (or created[gt], [gte], [lt], [lte])."),
    Route("GET", "/v1/payment_intents/search", "payment_intents.search",
          _search("payment_intents"),
          "Search PaymentIntents: query (status, amount, currency, customer, created, "
          "metadata['key']), limit, page."),
    Route("GET", "/v1/payment_intents/{intent}", "payment_intents.retrieve", _pi_retrieve,
          "Retrieve a PaymentIntent; with a publishable key, ?client_secret=… and a "
          "subset of fields.", publishable=True),
    Route("POST", "/v1/payment_intents/{intent}", "payment_intents.update",
          _pi_action("update"), "Update a PaymentIntent."),
    Route("POST", "/v1/payment_intents/{intent}/confirm", "payment_intents.confirm",
          _pi_confirm, "Confirm; with a publishable key, client_secret=… in the body.",
          publishable=True),
    Route("POST", "/v1/payment_intents/{intent}/capture", "payment_intents.capture",
          _pi_action("capture"), "Capture an authorised payment (amount_to_capture)."),
    Route("POST", "/v1/payment_intents/{intent}/cancel", "payment_intents.cancel",
          _pi_action("cancel"), "Cancel (cancellation_reason)."),
    Route("POST", "/v1/payment_intents/{intent}/increment_authorization",
          "payment_intents.increment_authorization", _pi_action("increment_authorization"),
          "Raise the authorised amount of a requires_capture card payment."),
    Route("POST", "/v1/payment_methods", "payment_methods.create", _pm_create,
          "Create a PaymentMethod from a test card number, IBAN or account number, with "
          "billing_details, metadata, allow_redisplay.", publishable=True),
    Route("GET", "/v1/payment_methods", "payment_methods.list",
          _listing("payment_methods", frozenset({"customer", "type"}), created=False),
          "List saved PaymentMethods, newest first: customer, type, paging."),
    Route("GET", "/v1/payment_methods/{payment_method}", "payment_methods.retrieve",
          _retrieve("payment_methods", "payment_method"),
          "Retrieve a PaymentMethod (test tokens such as pm_card_visa mint one)."),
    Route("POST", "/v1/payment_methods/{payment_method}", "payment_methods.update",
          _act("payment_methods", "update", "payment_method", idempotent=False),
          "Update an attached PaymentMethod: billing_details, metadata, allow_redisplay."),
    Route("POST", "/v1/payment_methods/{payment_method}/attach", "payment_methods.attach",
          _act("payment_methods", "attach", "payment_method"),
          "Attach a PaymentMethod to a Customer (customer)."),
    Route("POST", "/v1/payment_methods/{payment_method}/detach", "payment_methods.detach",
          _act("payment_methods", "detach", "payment_method"),
          "Detach a PaymentMethod from its Customer: permanent."),
    Route("POST", "/v1/customers", "customers.create", _create("customers"),
          "Create a Customer (payment_method attaches one)."),
    Route("GET", "/v1/customers", "customers.list",
          _listing("customers", frozenset({"email"})),
          "List Customers, newest first: email (case-sensitive), created, paging."),
    Route("GET", "/v1/customers/{customer}", "customers.retrieve",
          _retrieve("customers", "customer"),
          "Retrieve a Customer (a deleted one answers deleted: true)."),
    Route("POST", "/v1/customers/{customer}", "customers.update",
          _act("customers", "update", "customer"), "Update a Customer."),
    Route("DELETE", "/v1/customers/{customer}", "customers.delete", _customer_delete,
          "Delete a Customer: permanent; its saved PaymentMethods are detached."),
    Route("GET", "/v1/customers/{customer}/payment_methods", "customers.payment_methods.list",
          _listing("customers", frozenset({"type"}), created=False,
                   method="list_payment_methods", owner="customer"),
          "List a Customer's PaymentMethods: type, paging."),
    Route("GET", "/v1/customers/{customer}/payment_methods/{payment_method}",
          "customers.payment_methods.retrieve", _customer_method,
          "Retrieve one of a Customer's PaymentMethods."),
    Route("POST", "/v1/setup_intents", "setup_intents.create", _create("setup_intents"),
          "Create a SetupIntent (confirm=true also confirms it)."),
    Route("GET", "/v1/setup_intents", "setup_intents.list",
          _listing("setup_intents", frozenset({"customer", "payment_method"})),
          "List SetupIntents, newest first: customer, payment_method, created, paging."),
    Route("GET", "/v1/setup_intents/{intent}", "setup_intents.retrieve", _si_retrieve,
          "Retrieve a SetupIntent; with a publishable key, ?client_secret=….",
          publishable=True),
    Route("POST", "/v1/setup_intents/{intent}", "setup_intents.update",
          _act("setup_intents", "update", "intent"), "Update a SetupIntent."),
    Route("POST", "/v1/setup_intents/{intent}/confirm", "setup_intents.confirm", _si_confirm,
          "Confirm a SetupIntent; with a publishable key, client_secret=… in the body.",
          publishable=True),
    Route("POST", "/v1/setup_intents/{intent}/cancel", "setup_intents.cancel",
          _act("setup_intents", "cancel", "intent"), "Cancel (cancellation_reason)."),
    Route("POST", "/v1/refunds", "refunds.create", _create("refunds"),
          "Refund a payment: payment_intent or charge, amount (default: all that is "
          "left), reason, metadata."),
    Route("GET", "/v1/refunds", "refunds.list",
          _listing("refunds", frozenset({"charge", "payment_intent"})),
          "List refunds, newest first: charge, payment_intent, created, paging."),
    Route("GET", "/v1/refunds/{refund}", "refunds.retrieve", _retrieve("refunds", "refund"),
          "Retrieve a refund."),
    Route("POST", "/v1/refunds/{refund}", "refunds.update", _act("refunds", "update", "refund"),
          "Update a refund's metadata."),
    Route("POST", "/v1/refunds/{refund}/cancel", "refunds.cancel",
          _act("refunds", "cancel", "refund"),
          "Cancel a refund in requires_action."),
    Route("POST", "/v1/test_helpers/refunds/{refund}/expire", "test_helpers.refunds.expire",
          _act("refunds", "expire", "refund", idempotent=False),
          "Expire a refund in requires_action."),
    Route("POST", "/v1/test_helpers/setup_intents/{intent}/authenticate",
          "test_helpers.setup_intents.authenticate", _si_authenticate,
          "The customer completes a SetupIntent's next_action (3D Secure), or fails it "
          "with success=false.", publishable=True, paykit_addition=True),
    Route("GET", "/v1/charges", "charges.list", _charges_list,
          "List charges, newest first: payment_intent, limit, starting_after, "
          "ending_before."),
    Route("GET", "/v1/charges/search", "charges.search", _search("charges"),
          "Search charges: query (status, amount, currency, customer, payment_intent, "
          "created, metadata['key'], payment_method_details.card.last4), limit, page."),
    Route("GET", "/v1/charges/{charge}", "charges.retrieve", _retrieve("charges", "charge"),
          "Retrieve a charge."),
    Route("GET", "/v1/events", "events.list", _events_list,
          "List events, newest first: type (with * wildcards), types[], limit, "
          "starting_after, ending_before."),
    Route("GET", "/v1/events/{event}", "events.retrieve", _retrieve("events", "event"),
          "Retrieve an event."),
    Route("POST", "/v1/events/{event}/retry", "events.retry", _event_retry,
          "Send an event again to one endpoint (webhook_endpoint), as `stripe events "
          "resend` does; not in Stripe's public reference."),
    Route("POST", "/v1/webhook_endpoints", "webhook_endpoints.create", _we_create,
          "Create a webhook endpoint: url, enabled_events (or *), description, metadata, "
          "api_version; the answer holds its whsec_ secret, shown only here."),
    Route("GET", "/v1/webhook_endpoints", "webhook_endpoints.list",
          _listing("webhook_endpoints", frozenset(), created=False),
          "List webhook endpoints, newest first: limit, starting_after, ending_before."),
    Route("GET", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints.retrieve",
          _retrieve("webhook_endpoints", "webhook_endpoint"), "Retrieve a webhook endpoint."),
    Route("POST", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints.update",
          _act("webhook_endpoints", "update", "webhook_endpoint"),
          "Update url, enabled_events, description, metadata; disabled=true disables it."),
    Route("DELETE", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints.delete",
          _we_delete, "Delete a webhook endpoint (its pending retries stop)."),
    Route("GET", "/v1/test_helpers/webhook_endpoints/{webhook_endpoint}/attempts",
          "test_helpers.webhook_endpoints.attempts", _we_attempts,
          "The delivery attempts made to an endpoint, in order, from the after-th on "
          "(what `paykit listen --api-base` prints).", paykit_addition=True),
    Route("POST", "/v1/test_helpers/payment_intents/{intent}/authenticate",
          "test_helpers.payment_intents.authenticate", _authenticate,
          "The customer completes next_action (3D Secure), or fails it with "
          "success=false.", publishable=True, paykit_addition=True),
    Route("GET", "/v1/test_helpers/clock", "test_helpers.clock.retrieve", _clock,
          "The sandbox clock.", paykit_addition=True),
    Route("POST", "/v1/test_helpers/clock/advance", "test_helpers.clock.advance",
          _clock_advance,
          "Move the sandbox clock forward (days, hours, minutes, seconds): bank debits "
          "settle, uncaptured authorisations expire.", paykit_addition=True),
)

_BY_METHOD: dict[str, tuple[Route, ...]] = {
    method: tuple(r for r in ROUTES if r.method == method)
    for method in ("GET", "POST", "DELETE")
}


def _find(method: str, path: str) -> tuple[Route, dict[str, str]]:
    for route in _BY_METHOD.get(method, ()):
        match = route.pattern.fullmatch(path)
        if match:
            return route, {k: unquote(v, errors="replace") for k, v in match.groupdict().items()}
    raise InvalidRequestError(
        f"Unrecognized request URL ({method}: {path[:200]}). paykit serves "
        "/v1/payment_intents, /v1/setup_intents, /v1/payment_methods, /v1/customers, "
        "/v1/refunds, /v1/charges, /v1/events and /v1/test_helpers/...: see "
        "paykit.http.routes.markdown_table().",
        http_status=404,
    )


# -- rendering -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """How this request sees objects: its API version (the engine already rendered them
    in it: ``api_versions.requested``), and whether the key is publishable."""

    version: str
    publishable: bool

    @property
    def plain(self) -> bool:
        """Nothing to change: the engine's JSON is the answer."""
        return not self.publishable

    def intent(self, data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k in PUBLISHABLE_PAYMENT_INTENT_FIELDS}

    def reshape(self, data: dict[str, Any]) -> dict[str, Any]:
        kind = data.get("object")
        if kind == "payment_intent":
            return self.intent(data)
        if kind == "list":
            return {**data, "data": [self.reshape(item) for item in data["data"]]}
        error = data.get("error")
        if isinstance(error, dict) and isinstance(error.get("payment_intent"), dict):
            return {"error": {**error, "payment_intent": self.intent(error["payment_intent"])}}
        return data


def _json(result: Any, view: _View, pretty: bool) -> bytes:
    """The response body: indented like Stripe's (``pretty``), or compact for a program."""
    if not pretty and view.plain and isinstance(result, PaymentIntent):
        text = result._compact_json()  # the engine's stored values, spliced: no dicts
        if text is not None:
            return text.encode()
    if isinstance(result, StripeObject):
        # The snapshot's own JSON, read without to_dict()'s deep copy (reshape() builds
        # new dicts where it changes something and never writes into this one), and
        # without keeping it on the object, which the idempotency store may hold.
        result = result._wire()
    data = result if view.plain else view.reshape(result)
    if pretty:
        return (_PRETTY.encode(data) + "\n").encode()
    return _COMPACT.encode(data).encode()


# Built once: json.dumps with options builds a new encoder on every call.
_PRETTY = json.JSONEncoder(indent=2)
_COMPACT = json.JSONEncoder(separators=(",", ":"))


def _headers(view_version: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    headers = {"Content-Type": _JSON, "Stripe-Version": view_version, **_CORS}
    if extra:
        headers.update(extra)
    return headers


# -- the one entry point -----------------------------------------------------------------


def handle(
    sandbox: Sandbox,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    keys: Keys | None = None,
    pretty: bool = True,
) -> Response:
    """Answer one HTTP request as the Stripe API would; never raises.

    ``path`` is the raw (percent-encoded) path, ``query`` the raw query string,
    ``headers`` any mapping of header names (any case) to values, ``body`` the raw body.
    ``keys`` narrows the accepted API keys (default: any well-formed test key).
    ``pretty=False`` writes compact JSON (the same values), for a client that only
    parses it: the in-process SDK client.
    """
    with sandbox.tracing() as trace:
        status, response_headers, response = _answer(
            sandbox, method, path, query, headers, body, keys, pretty)
    if status != 204:
        response_headers["Request-Id"] = trace.request_id or ""
        if trace.replayed:
            response_headers["Idempotent-Replayed"] = "true"
    return status, response_headers, response


def _answer(sandbox: Sandbox, method: str, path: str, query: str,
            headers: Mapping[str, str], body: bytes, keys: Keys | None,
            pretty: bool) -> Response:
    lower = {name.lower(): value for name, value in headers.items()}
    method = method.upper()
    view = _View(sandbox.api_version, False)
    extra: dict[str, str] = {}
    try:
        if method == "OPTIONS":
            return 204, dict(_PREFLIGHT), b""
        if method == "GET":
            script = script_response(path)
            if script is not None:
                return script
        route, args = _find(method, path)
        requested = _api_version(lower.get("stripe-version"))
        view = _View(requested or sandbox.api_version, False)
        key = (keys or _ANY_TEST_KEY).authenticate(_credentials(lower, method, query, body))
        if key.kind == "publishable":
            if not route.publishable:
                raise _publishable_refused()
            view = _View(view.version, True)
        params = forms.decode(query) if query else {}
        idempotency_key = None
        if method == "POST":
            params.update(_body_params(lower.get("content-type", ""), body))
            idempotency_key = lower.get("idempotency-key")
            # echoed as Stripe does, but only a key that could be one (at most 255
            # printable characters, https://docs.stripe.com/api/idempotent_requests):
            # a header value never carries a line break back out
            if idempotency_key is not None and len(idempotency_key) <= KEY_MAX_LENGTH \
                    and idempotency_key.isprintable():
                extra["Idempotency-Key"] = idempotency_key
        params.pop("key", None)
        if key.kind == "publishable":
            _drop_stripe_js_params(params)
        # the engine reads the call in the request's version: its parameters, defaults
        # and every object it answers with (paykit.api_versions)
        with api_versions.requested(requested):
            result = route.handler(Call(sandbox, args, params, key, idempotency_key))
            answer = _json(result, view, pretty)
        return 200, _headers(view.version, extra), answer
    except StripeError as error:
        return _error(error, view, extra, pretty)
    except Exception as error:  # a bug in paykit: say so, and keep serving
        _logger.exception("paykit failed on %s %s", method, redact_log(path[:200]))
        return _error(APIError(f"paykit hit an internal error ({type(error).__name__}); "
                               "this is a bug in paykit, not in your request."),
                      view, extra, pretty)


_ANY_TEST_KEY = Keys()


def _credentials(lower: Mapping[str, str], method: str, query: str,
                 body: bytes) -> Mapping[str, str]:
    """The headers ``Keys.authenticate`` reads, with Stripe.js's ``key=pk_…`` as a bearer.

    Stripe.js sends the publishable key as a form field (POST) or query parameter (GET),
    not as a header (stripe/stripe-mock#231 shows ``key=`` in a confirm body). Only a
    publishable key is taken this way (UNCONFIRMED: paykit's rule, so that a secret key
    never travels where URLs and bodies get logged); an ``Authorization`` header wins.
    """
    if "authorization" in lower:
        return lower
    try:
        params = forms.decode(query) if query else {}
        if method == "POST" and body and "key" not in params:
            params.update(_body_params(lower.get("content-type", ""), body))
    except StripeError:
        return lower  # unreadable: no key, and the 401 says how to send one
    key = params.get("key")
    if not isinstance(key, str):
        return lower
    if not key.startswith("pk_"):
        raise AuthenticationError(
            "Only a publishable key (pk_test_...) may be sent as key=... in the query or "
            "body, as Stripe.js does; send a secret key in the Authorization header.")
    return {**lower, "authorization": f"Bearer {key}"}


def _drop_stripe_js_params(params: dict[str, Any]) -> None:
    """Read what Stripe.js adds (``STRIPE_JS_PARAMS``) and take it out of the request.

    ``expected_payment_method_type`` must match the type of ``payment_method_data`` when
    both are sent: the Element collected one type, the request says another.
    """
    expected = params.pop("expected_payment_method_type", None)
    for name in STRIPE_JS_PARAMS:
        params.pop(name, None)
    data = params.get("payment_method_data")
    if isinstance(data, dict):
        for name in _STRIPE_JS_METHOD_DATA:
            data.pop(name, None)
        if expected is not None and data.get("type") not in (None, expected):
            raise InvalidRequestError(
                f"expected_payment_method_type is {str(expected)[:40]!r} but "
                f"payment_method_data[type] is {str(data.get('type'))[:40]!r}.",
                param="expected_payment_method_type")


def _api_version(header: str | None) -> str | None:
    """The version a ``Stripe-Version`` header asks for (``None``: none given)."""
    if header is None:
        return None
    header = header.strip()
    if not _API_VERSION.fullmatch(header):
        raise InvalidRequestError(f"Invalid Stripe API version: {header[:80]}",
                                  param="Stripe-Version")
    return header


def _body_params(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    media = content_type.partition(";")[0].strip().lower()
    if media not in ("", forms.FORM_CONTENT_TYPE):
        raise InvalidRequestError(
            f"Invalid request (check that your POST content type is "
            f"{forms.FORM_CONTENT_TYPE}): this API does not read {media[:80]} bodies."
        )
    return forms.decode(body)


def _error(error: StripeError, view: _View, extra: Mapping[str, str],
           pretty: bool) -> Response:
    headers = _headers(view.version, extra)
    if error.http_status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="Stripe"'
    return error.http_status, headers, _json(error.to_dict(), view, pretty)


def markdown_table() -> str:
    """The routes as a Markdown table, for the docs and the notebooks."""
    lines = ["| method | path | publishable key | what it does |", "|---|---|---|---|"]
    for route in ROUTES:
        note = " (paykit addition)" if route.paykit_addition else ""
        lines.append(f"| {route.method} | `{route.path}` | "
                     f"{'yes' if route.publishable else '—'} | {route.doc}{note} |")
    return "\n".join(lines)
