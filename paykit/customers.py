"""``sb.customers``: the Customers API, a thin resource over the Customer table.

A Customer is who you save payment methods for: "To use a PaymentMethod multiple times,
you must attach it to a Customer first" (https://docs.stripe.com/payments/save-and-reuse).
Create, retrieve, update, delete and list, with ``customer.*`` events; an update's event
carries ``data.previous_attributes`` (https://docs.stripe.com/api/events/object).

paykit's choice where Stripe publishes nothing (unconfirmed, tested): deleting a customer
detaches its saved payment methods, which can then never be used again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paykit.customer_lifecycle import (
    CUSTOMER,
    NO_SUCH_CUSTOMER,
    CustomerAction,
    CustomerFacts,
    CustomerStatus,
)
from paykit.errors import InvalidRequestError
from paykit.machine import MoveRefused, Row
from paykit.objects import Customer, ListObject
from paykit.pagination import CreatedFilter
from paykit.params import merge_metadata, validate_object
from paykit.params.customer_rules import CUSTOMER_RULES
from paykit.resources import JsonRecord, JsonResource

if TYPE_CHECKING:
    from paykit.account import Account
    from paykit.payment_method_resource import PaymentMethodsResource, SavedMethods

__all__ = ["CustomersResource", "require_live_customer"]

_NO_INVOICE_SETTINGS = {"custom_fields": None, "default_payment_method": None,
                        "footer": None, "rendering_options": None}


def require_live_customer(account: Account, customer: Any) -> JsonRecord:
    """The customer a request names (``customer=``), which must exist and not be
    deleted: a deleted customer's id is ``resource_missing`` like an unknown one."""
    record = account.customers.get(customer) if isinstance(customer, str) else None
    if record is None or record.status is CustomerStatus.DELETED:
        raise InvalidRequestError(NO_SUCH_CUSTOMER.format(id=customer),
                                  code="resource_missing", param="customer")
    return record


class CustomersResource(JsonResource[JsonRecord]):
    """``sb.customers``: create, retrieve, update, delete, list, and their methods."""

    kind = "customer"
    url = "/v1/customers"
    wrap = Customer

    def __init__(self, account: Account, saved: SavedMethods,
                 methods: PaymentMethodsResource) -> None:
        super().__init__(account)
        self._records = account.customers  # shared: payments and methods look customers up
        self._saved = saved
        self._methods = methods

    def create(self, *, idempotency_key: str | None = None, **params: Any) -> Customer:
        """``POST /v1/customers``; ``payment_method`` attaches one to the new customer."""
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(idempotency_key, "POST /v1/customers", params,
                                        acct.clock.now,
                                        lambda: self._create(params, idempotency_key))

    def retrieve(self, customer: str) -> Customer:
        """``GET /v1/customers/{id}``: a deleted customer answers ``deleted: true``."""
        with self._acct.lock:
            return self._show(self._get(customer))

    def update(self, customer: str, *, idempotency_key: str | None = None,
               **params: Any) -> Customer:
        """``POST /v1/customers/{id}``: "Any parameters not provided will be left
        unchanged"; ``""`` unsets a field."""
        acct = self._acct
        with acct.lock:
            return acct.idempotency.run(idempotency_key, f"POST /v1/customers/{customer}",
                                        params, acct.clock.now,
                                        lambda: self._update(customer, params,
                                                             idempotency_key))

    def delete(self, customer: str) -> Customer:
        """``DELETE /v1/customers/{id}``: permanent; its saved methods are detached."""
        acct = self._acct
        with acct.lock:
            record = self._get(customer)
            row = self._decide(record, CustomerAction.DELETE)
            request = acct.new_request(None)
            for pm_id, state in list(acct.method_states.items()):
                if state.customer == record.id:
                    self._saved.detach(acct.payment_methods[pm_id], request)
            record.status = row.target
            self._emit(row.events, request, record)
            return self._show(record)

    def list(self, limit: int | None = 10, *, email: str | None = None,
             starting_after: str | None = None, ending_before: str | None = None,
             created: CreatedFilter = None) -> ListObject:
        """``GET /v1/customers``: newest first; ``email`` is a case-sensitive filter."""
        with self._acct.lock:
            return self._page(lambda r: (r.status is CustomerStatus.ACTIVE
                                         and (email is None or r.data["email"] == email)),
                              limit, starting_after, ending_before, created)

    def list_payment_methods(self, customer: str, limit: int | None = 10, *,
                             type: str | None = None, starting_after: str | None = None,
                             ending_before: str | None = None) -> ListObject:
        """``GET /v1/customers/{id}/payment_methods``: the methods saved to it."""
        return self._methods.list(limit, customer=customer, type=type,
                                  starting_after=starting_after, ending_before=ending_before)

    # -- the work ---------------------------------------------------------------------------

    def _create(self, raw: dict[str, Any], idempotency_key: str | None) -> Customer:
        acct = self._acct
        params = validate_object(CUSTOMER_RULES, self._acct.version(), "create", raw)
        default = (params.get("invoice_settings") or {}).get("default_payment_method")
        if default and default != params.get("payment_method"):
            # a new customer has no method but the one this call attaches
            raise _not_attached(default, "the new customer")
        customer_id = acct.ids.new("cus", 14)
        record = JsonRecord({
            "id": customer_id, "object": "customer", "address": None, "balance": 0,
            "business_name": None, "created": acct.clock.now, "currency": None,
            "customer_account": None, "default_source": None, "delinquent": False,
            "description": None, "discount": None, "email": None, "individual_name": None,
            "invoice_prefix": acct.ids.token(8).upper(),
            "invoice_settings": dict(_NO_INVOICE_SETTINGS), "livemode": False,
            "metadata": {}, "name": None, "next_invoice_sequence": 1, "phone": None,
            "preferred_locales": [], "shipping": None, "tax_exempt": "none",
            "test_clock": None,
        })
        row = CUSTOMER.decide(None, CustomerAction.CREATE, CustomerFacts())
        self._set(record, {k: v for k, v in params.items() if k != "payment_method"})
        request = acct.new_request(idempotency_key)
        method = None
        if "payment_method" in params:
            method = self._methods._find(params["payment_method"])
        self._records[customer_id] = record
        record.status = row.target
        events = len(acct.events)
        self._emit(row.events, request, record)
        try:
            if method is not None:
                self._saved.attach(method, customer_id, request)
        except Exception:  # the method cannot be attached: no customer either
            del self._records[customer_id]
            acct.events.truncate(events)
            raise
        return self._show(record)

    def _update(self, customer: str, raw: dict[str, Any], idempotency_key: str | None
                ) -> Customer:
        record = self._get(customer)
        row = self._decide(record, CustomerAction.UPDATE)
        params = validate_object(CUSTOMER_RULES, self._acct.version(), "update", raw)
        default = (params.get("invoice_settings") or {}).get("default_payment_method")
        if default and self._saved.owner(default) != record.id:
            raise _not_attached(default, f"customer {record.id}")
        previous = self._set(record, params)
        if previous:  # "Occurs whenever any property of a customer changes."
            self._emit(row.events, self._acct.new_request(idempotency_key), record, previous)
        return self._show(record)

    def _set(self, record: JsonRecord, params: dict[str, Any]) -> dict[str, Any]:
        """Apply parameters to the customer; returns the values they replaced."""
        data = record.data
        previous: dict[str, Any] = {}
        for name, value in params.items():
            if name == "expand":
                continue
            new: Any
            if name == "metadata":
                new = merge_metadata(data["metadata"], value)
            elif name == "invoice_settings":  # "" unsets a key
                new = {**data["invoice_settings"],
                       **{k: None if v == "" else v for k, v in value.items()}}
            elif value == "":
                new = [] if name == "preferred_locales" else None
            else:
                new = value
            if new != data[name]:
                previous[name] = data[name]
                data[name] = new
        return previous

    def _decide(self, record: JsonRecord, action: CustomerAction) -> Row:
        try:
            return CUSTOMER.decide(record.status, action, CustomerFacts())
        except MoveRefused as refused:
            refusal = refused.refusal
            assert refusal is not None
            raise InvalidRequestError(refusal.message.format(id=record.id),
                                      code=refusal.code, param=refusal.param) from None

    def _render(self, record: JsonRecord) -> dict[str, Any]:
        if record.status is CustomerStatus.DELETED:
            return {"id": record.id, "object": "customer", "deleted": True}
        return dict(record.data)

    def _event_object(self, record: JsonRecord) -> dict[str, Any]:
        """``customer.deleted`` shows the customer as it was, not the deleted stub."""
        return dict(record.data)


def _not_attached(method: str, customer: str) -> InvalidRequestError:
    """A default payment method must be one of the customer's (paykit's wording)."""
    return InvalidRequestError(
        f"No such PaymentMethod: '{method}'; it must be attached to {customer} to be its "
        "default.", code="resource_missing",
        param="invoice_settings[default_payment_method]")
