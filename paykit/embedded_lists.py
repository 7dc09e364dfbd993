"""The lists older API versions embedded in an object, for ``paykit.versioned_json``.

Before 2022-11-15 a PaymentIntent carried ``charges`` (every charge of its attempts) and a
Charge its ``refunds``; before 2020-08-27 a Customer carried ``sources``,
``subscriptions`` and ``tax_ids`` (paykit models none of those: the lists are empty).
Today's API lists them through their own endpoints, which these URLs name
(https://docs.stripe.com/changelog/2022-11-15/removes-charges-attribute-paymentintent).

Only older versions ask, so the scan over the account's charges is not indexed: the
current version never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paykit import storage

if TYPE_CHECKING:
    from paykit.account import Account
    from paykit.versioned_json import Related

__all__ = ["related_lists"]


def related_lists(account: Account,
                  refunds_of: Callable[[str], list[dict[str, Any]]]) -> Related:
    """The ``Related`` of one account: its charges per intent, ``refunds_of`` per charge
    (today's JSON of each, newest first)."""

    def related(kind: str, object_id: str, name: str) -> tuple[list[dict[str, Any]], str]:
        if (kind, name) == ("payment_intent", "charges"):
            field = storage.charge_field
            return ([storage.charge_json(c) for c in reversed(account.charges.values())
                     if field(c, "payment_intent") == object_id],
                    f"/v1/charges?payment_intent={object_id}")
        if (kind, name) == ("charge", "refunds"):
            return refunds_of(object_id), f"/v1/charges/{object_id}/refunds"
        return [], f"/v1/{kind}s/{object_id}/{name}"

    return related
