"""The Customer lifecycle, as a table (``paykit.machine``): created, updated, deleted.

A Customer has no ``status`` field; its one move that matters is deletion: "Permanently
deletes a customer. It cannot be undone" (https://docs.stripe.com/api/customers/delete),
after which a retrieve answers ``{"id": …, "object": "customer", "deleted": true}``. The
two statuses here are paykit's names for that.

>>> CUSTOMER.decide(CustomerStatus.ACTIVE, CustomerAction.DELETE, CustomerFacts()).events
('customer.deleted',)
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from paykit.event_types import SAVED_METHOD_EVENT_TYPES
from paykit.lifecycle import Trigger
from paykit.machine import ALWAYS, Machine, Refusal, Row

__all__ = ["CUSTOMER", "NO_SUCH_CUSTOMER", "CustomerAction", "CustomerFacts", "CustomerStatus"]


class CustomerStatus(StrEnum):
    """Whether the customer exists (paykit's names: the API shows ``deleted: true``)."""

    ACTIVE = "active"
    DELETED = "deleted"


class CustomerAction(StrEnum):
    """Your API calls on a customer."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class CustomerFacts(NamedTuple):
    """Nothing but the status decides a customer's moves."""


_API = "https://docs.stripe.com/api/customers"
#: Stripe's answer for an id that names no customer, or a deleted one.
NO_SUCH_CUSTOMER = "No such customer: '{id}'"

CUSTOMER: Machine = Machine(
    "customer", CustomerStatus, CustomerAction, CustomerFacts, MappingProxyType({}),
    rows=(
        Row(None, CustomerAction.CREATE, CustomerStatus.ACTIVE, ("customer.created",),
            ALWAYS, "creates a new customer object", f"{_API}/create",
            trigger=Trigger.API),
        Row(CustomerStatus.ACTIVE, CustomerAction.UPDATE, CustomerStatus.ACTIVE,
            ("customer.updated",), ALWAYS,
            "any parameters not provided will be left unchanged", f"{_API}/update",
            trigger=Trigger.API),
        Row(CustomerStatus.ACTIVE, CustomerAction.DELETE, CustomerStatus.DELETED,
            ("customer.deleted",), ALWAYS,
            "permanently deletes a customer; it cannot be undone", f"{_API}/delete",
            trigger=Trigger.API),
    ),
    refusals=(
        Refusal(CustomerStatus.DELETED, CustomerAction.UPDATE, ALWAYS, "resource_missing",
                NO_SUCH_CUSTOMER, "customer"),
        Refusal(CustomerStatus.DELETED, CustomerAction.DELETE, ALWAYS, "resource_missing",
                NO_SUCH_CUSTOMER, "customer"),
    ),
    terminal=frozenset({CustomerStatus.DELETED}), event_types=SAVED_METHOD_EVENT_TYPES,
    title="Customer",
)
