"""to_dict() of intents, charges, events and errors validates against Stripe's OpenAPI.

The schemas are the 2023-08-16 extract in ``shared/reference`` (OpenAPI 3.0, so
``nullable`` is turned into JSON Schema's ``null`` type here); the sandbox answers in that
version. Schemas the extract does
not include (customer, payment_method, …) accept anything.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

import paykit

jsonschema = pytest.importorskip("jsonschema")

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
SPEC_FILE = REFERENCE / "stripe_openapi_payment_intent.json"

pytestmark = pytest.mark.skipif(not SPEC_FILE.exists(),
                                reason=f"needs {SPEC_FILE} (the shared reference)")


def _spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text())


def _sandbox(seed: int) -> paykit.Sandbox:
    """A sandbox answering in the spec's own API version: each answer is checked against
    the schema of its version (tests/test_api_versions.py checks what later versions
    change, row by row)."""
    version = _spec()["_source"]["primary_spec"]["info_version"] if SPEC_FILE.exists() \
        else None
    return paykit.Sandbox(seed=seed, api_version=version)


def _to_json_schema(node: Any, known: dict[str, Any]) -> Any:
    """OpenAPI 3.0 → JSON Schema: nullable, and $refs resolved (unknown ones open)."""
    if isinstance(node, list):
        return [_to_json_schema(n, known) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return {"$ref": f"#/definitions/{name}"} if name in known else {}
    out = {k: _to_json_schema(v, known) for k, v in node.items()
           if k not in {"nullable", "x-expandableFields", "x-resourceId", "description",
                        "x-expansionResources", "title", "x-stripeBypassValidation"}}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def validator_for():
    spec = _spec()
    known = {**spec["resolved_refs"], **spec["schemas"]}
    # The sandbox speaks the current API, whose cancellation_reason enum adds "expired"
    # (2026 spec, reference §1): validate that field against the current enum.
    reason = known["payment_intent"]["properties"]["cancellation_reason"]
    reason["enum"] = spec["latest_deltas"]["payment_intent"]["cancellation_reason_enum_latest"]
    definitions = {name: _to_json_schema(schema, known) for name, schema in known.items()}

    def make(name: str):
        schema = {"$ref": f"#/definitions/{name}", "definitions": definitions}
        return jsonschema.Draft7Validator(schema)

    return make


def _check(validator_for, name: str, body: dict[str, Any]) -> None:
    spec = _spec()["schemas"][name]
    errors = sorted(validator_for(name).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert set(spec.get("required", [])) <= set(body)
    assert set(body) <= set(spec["properties"]), set(body) - set(spec["properties"])


def _exercise(sb: paykit.Sandbox) -> None:
    """Intents in every status, with every kind of charge."""
    pis = sb.payment_intents
    pis.create(amount=1099, currency="usd", metadata={"order_id": "6735"},
               setup_future_usage="off_session", statement_descriptor_suffix="ORDER 6735")
    pis.create(amount=1099, currency="usd", payment_method="pm_card_visa", confirm=True,
               shipping={"name": "Jenny Rosen", "address": {"line1": "1 Main St"}})
    pis.create(amount=1099, currency="usd", payment_method="pm_card_visa")
    pis.create(amount=1099, currency="usd", confirm=True, return_url="https://x.test/r",
               payment_method="pm_card_authenticationRequired")
    pis.create(amount=1099, currency="usd", confirm=True,
               payment_method="pm_card_authenticationRequired")
    manual = pis.create(amount=2000, currency="usd", capture_method="manual",
                        payment_method="pm_card_visa", confirm=True)
    pis.capture(manual.id, amount_to_capture=1500)
    pis.create(amount=2000, currency="usd", capture_method="manual",
               payment_method="pm_card_visa", confirm=True)
    pis.create(amount=1000, currency="eur", payment_method="pm_sepaDebit", confirm=True)
    pis.create(amount=1000, currency="usd", payment_method="pm_usBankAccount_chargeDeclined",
               confirm=True)
    with contextlib.suppress(paykit.CardError):
        pis.create(amount=1099, currency="usd", payment_method="pm_card_radarBlock",
                   confirm=True)
    pis.cancel(pis.create(amount=1099, currency="usd").id, cancellation_reason="duplicate")
    sb.advance(days=8)


def test_every_intent_and_charge_and_event_matches_the_schemas(validator_for):
    sb = _sandbox(3)
    _exercise(sb)
    intents = list(sb.payment_intents.list(limit=None))
    assert {pi.status for pi in intents} >= {"requires_payment_method",
                                             "requires_confirmation", "requires_action",
                                             "succeeded", "canceled"}
    for pi in intents:
        _check(validator_for, "payment_intent", pi.to_dict())
    charges = list(sb.charges.list(limit=None))
    assert {c.status for c in charges} == {"succeeded", "failed"}
    for charge in charges:
        _check(validator_for, "charge", charge.to_dict())
    for event in sb.events.list(limit=None):
        _check(validator_for, "event", event.to_dict())
        kind = event.data.object.object
        _check(validator_for, kind, event.data.object.to_dict())


def test_processing_and_requires_capture_intents_match_too(validator_for):
    sb = _sandbox(4)
    _exercise(sb)
    sb2 = _sandbox(5)
    sb2.payment_intents.create(amount=1000, currency="eur", payment_method="pm_sepaDebit",
                               confirm=True)
    sb2.payment_intents.create(amount=2000, currency="usd", capture_method="manual",
                               payment_method="pm_card_visa", confirm=True)
    statuses = set()
    for pi in sb2.payment_intents.list(limit=None):
        statuses.add(pi.status)
        _check(validator_for, "payment_intent", pi.to_dict())
    assert statuses == {"processing", "requires_capture"}


def test_errors_match_the_error_schema(validator_for):
    sb = _sandbox(6)
    pi = sb.payment_intents.create(amount=1099, currency="usd")
    caught: list[paykit.StripeError] = []
    for call in (
        lambda: sb.payment_intents.confirm(pi.id, payment_method="pm_card_chargeDeclined"),
        lambda: sb.payment_intents.create(amount=1, currency="usd"),
        lambda: sb.payment_intents.capture(pi.id),
        lambda: sb.payment_intents.create(amount=1099, currency="usd", nope=1),
    ):
        try:
            call()
        except paykit.StripeError as error:
            caught.append(error)
    assert len(caught) == 4
    for error in caught:
        _check(validator_for, "error", error.to_dict())
    declined = sb.payment_intents.retrieve(pi.id).to_dict()["last_payment_error"]
    assert not list(validator_for("api_errors").iter_errors(declined))


def _is_nested(prop: dict[str, Any]) -> bool:
    """An object or array in every form the schema allows (an id string is not)."""
    options = prop.get("anyOf", [prop])
    return all("$ref" in o or o.get("type") in ("object", "array") for o in options)


@pytest.mark.parametrize(("schema", "declared"), [
    ("payment_intent", paykit.storage.PAYMENT_INTENT_NESTED_FIELDS),
    ("charge", paykit.storage.CHARGE_NESTED_FIELDS),
])
def test_the_fields_stored_as_json_text_are_the_schemas_objects_and_arrays(schema, declared):
    properties = _spec()["schemas"][schema]["properties"]
    later = set(_spec()["latest_deltas"].get(schema, {}).get("added_since_2023_08_16", ()))
    nested = {name for name, prop in properties.items() if _is_nested(prop)}
    assert nested <= set(declared) and set(declared) - nested <= later


def test_todays_intent_has_the_fields_of_todays_schema():
    """The default version (endive) against the 2026-09-30.endive schema's field list
    (``latest_deltas``): every field it shows is one of them, every required one is
    there, and the version table adds exactly the fields Stripe added since 2023-08-16
    that paykit shows."""
    latest = _spec()["latest_deltas"]["payment_intent"]
    body = paykit.Sandbox(seed=3).payment_intents.create(amount=1099, currency="usd").to_dict()
    assert set(latest["required_latest"]) <= set(body) <= set(latest["properties_latest"])
    since_2023 = paykit.api_versions.response_changes("payment_intent", "2023-08-16")
    added = {path for change in since_2023 for path in change.added}
    removed = {name for change in since_2023 for name, _ in change.removed}
    assert added == set(body) & set(latest["added_since_2023_08_16"])
    assert removed == set(latest["removed_since_2023_08_16"])
