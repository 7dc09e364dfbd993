"""Every object of a run (PaymentIntents, Charges, Customers, PaymentMethods, SetupIntents,
Refunds), and every event's object, validates against Stripe's schema.

The schemas are the OpenAPI extract of API version 2024-04-10 in ``shared/reference``
(``stripe_openapi_next.json``), and the sandbox answers in that version. OpenAPI 3.0's
``nullable`` becomes JSON Schema's null type; every ``$ref`` is resolved within the
extract. Besides the schema, each object may carry no field its schema lacks, and no null
where the schema does not allow one.
"""

from __future__ import annotations

import contextlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import paykit

jsonschema = pytest.importorskip("jsonschema")

SPEC_FILE = Path(__file__).resolve().parents[2] / "shared" / "reference" / \
    "stripe_openapi_next.json"
pytestmark = pytest.mark.skipif(not SPEC_FILE.exists(), reason=f"needs {SPEC_FILE}")

_DROP = {"nullable", "x-expandableFields", "x-resourceId", "description",
         "x-expansionResources", "title", "x-stripeBypassValidation", "x-stripeMostCommon",
         "x-stripeResource", "x-stripeOperations"}


@cache
def _schemas() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text())["components"]["schemas"]


def _sandbox() -> paykit.Sandbox:
    """A sandbox answering in the spec's own API version (2024-04-10): each answer is
    checked against the schema of its version; tests/test_api_versions.py checks what
    the later versions change, row by row."""
    version = json.loads(SPEC_FILE.read_text())["info"]["version"]
    return paykit.Sandbox(seed=3, api_version=version)


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": "#/definitions/" + node["$ref"].rsplit("/", 1)[-1]}
    out = {k: _convert(v) for k, v in node.items() if k not in _DROP}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def _validator(name: str) -> Any:
    definitions = {key: _convert(schema) for key, schema in _schemas().items()}
    return jsonschema.Draft7Validator({"$ref": f"#/definitions/{name}",
                                       "definitions": definitions})


def _extra_fields(body: Any, schema: dict[str, Any], path: str) -> list[str]:
    """Fields of ``body``, at any depth, that its schema does not declare (Stripe's
    schemas allow extra properties, so jsonschema alone would not see them)."""
    while "$ref" in schema:
        schema = _schemas()[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:  # an expandable field or a nullable object: its object form
        objects = [s for s in schema["anyOf"]
                   if "$ref" in s or s.get("type") == "object" or "properties" in s]
        if not objects:
            return []
        return _extra_fields(body, objects[0], path)
    if isinstance(body, dict) and "properties" in schema:
        found = []
        for key, value in body.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += _extra_fields(value, schema["properties"][key], f"{path}.{key}")
        return found
    if isinstance(body, list) and isinstance(schema.get("items"), dict):
        return [extra for i, item in enumerate(body)
                for extra in _extra_fields(item, schema["items"], f"{path}[{i}]")]
    return []


def _check(name: str, body: dict[str, Any]) -> None:
    errors = sorted(_validator(name).iter_errors(body), key=str)
    assert not errors, f"{name}: " + "\n".join(f"{list(e.path)}: {e.message}"
                                               for e in errors[:5])
    properties = _schemas()[name]["properties"]
    assert set(body) <= set(properties), (name, set(body) - set(properties))
    for field, value in body.items():
        assert value is not None or properties[field].get("nullable"), (name, field)
    assert not _extra_fields(body, _schemas()[name], name)


def _flows(sb: paykit.Sandbox) -> None:
    customer = sb.customers.create(email="jenny@example.com", name="Jenny",
                                   address={"city": "Paris", "country": "FR"},
                                   metadata={"user": "1"})
    sb.customers.update(customer.id, phone="+33100000000")
    sb.customers.delete(sb.customers.create().id)
    pm = sb.payment_methods.create(type="card", card={"number": "4242424242424242",
                                                      "exp_month": 1, "exp_year": 2031},
                                   billing_details={"name": "Jenny"})
    sb.payment_methods.attach(pm.id, customer=customer.id)
    sb.payment_methods.update(pm.id, metadata={"a": "b"})
    sb.setup_intents.create(customer=customer.id, payment_method="pm_card_visa",
                            confirm=True)
    sb.setup_intents.authenticate(sb.setup_intents.create(
        customer=customer.id, confirm=True,
        payment_method="pm_card_authenticationRequiredOnSetup").id)
    sb.setup_intents.create(payment_method="pm_sepaDebit", confirm=True,
                            mandate_data={"customer_acceptance": {"type": "offline"}})
    with contextlib.suppress(paykit.CardError):
        sb.setup_intents.create(payment_method="pm_card_chargeDeclined", confirm=True)
    sb.setup_intents.cancel(sb.setup_intents.create().id, cancellation_reason="duplicate")
    paid = sb.payment_intents.create(amount=2000, currency="eur", customer=customer.id,
                                     payment_method=pm.id, confirm=True)
    sb.refunds.create(payment_intent=paid.id, amount=500, reason="requested_by_customer")
    for method in ("pm_card_pendingRefund", "pm_card_refundFail"):
        pi = sb.payment_intents.create(amount=1000, currency="usd", payment_method=method,
                                       confirm=True)
        sb.refunds.create(payment_intent=pi.id)
    sb.advance(days=10)
    sb.payment_methods.detach(pm.id)


_KINDS = {"customer": "customer", "payment_method": "payment_method",
          "setup_intent": "setup_intent", "refund": "refund", "charge": "charge",
          "payment_intent": "payment_intent"}


def test_every_object_and_event_object_matches_its_schema():
    sb = _sandbox()
    _flows(sb)
    checked: dict[str, int] = {}
    bodies: list[dict[str, Any]] = [c.to_dict() for c in sb.customers.list(limit=None)]
    bodies += [m.to_dict() for m in sb.payment_methods.list(limit=None)]
    bodies += [s.to_dict() for s in sb.setup_intents.list(limit=None)]
    bodies += [r.to_dict() for r in sb.refunds.list(limit=None)]
    bodies += [c.to_dict() for c in sb.charges.list(limit=None)]
    bodies += [p.to_dict() for p in sb.payment_intents.list(limit=None)]
    bodies += [e.data.object.to_dict() for e in sb.events.list(limit=None)
               if e.type.split(".")[0] in _KINDS]
    for body in bodies:
        name = body["object"]
        if body.get("deleted"):
            name = "deleted_customer"
        _check(name, body)
        checked[name] = checked.get(name, 0) + 1
    assert set(checked) == {"customer", "payment_method", "setup_intent", "refund", "charge",
                            "payment_intent"}, checked
    assert sum(checked.values()) >= 30


def test_a_deleted_customer_matches_deleted_customer():
    sb = _sandbox()
    customer = sb.customers.create()
    _check("deleted_customer", sb.customers.delete(customer.id).to_dict())
