"""stripe-cli's trigger recipes, replayed against the sandbox, emit their event.

Recipes come unchanged from ``shared/reference/stripe_cli_triggers``. Those that need
objects paykit does not model (customers, refunds, disputes) are skipped with that reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import paykit

TRIGGERS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "stripe_cli_triggers"
WANTED = sorted(p.stem for p in TRIGGERS.glob("*.json")
                if p.stem.startswith("payment_intent.")
                or p.stem in {"charge.succeeded", "charge.failed", "charge.captured"})
NOT_MODELLED = {
    "/v1/customers": "paykit does not model Customer objects or cash balances",
    "/v1/refunds": "paykit does not model Refund objects",
    "/v1/disputes": "paykit does not model Dispute objects",
    "/v1/test_helpers/customers": "paykit does not model customer cash balances",
}


def _substitute(value: Any, made: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, made) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, made) for v in value]
    if isinstance(value, str):
        return re.sub(r"\$\{(\w+):(\w+)\}", lambda m: str(made[m[1]][m[2]]), value)
    return value


def replay(sb: paykit.Sandbox, recipe: dict[str, Any]) -> None:
    made: dict[str, dict[str, Any]] = {}
    for step in recipe["fixtures"]:
        path = _substitute(step["path"], made)
        params = _substitute(step.get("params", {}), made)
        try:
            result = _call(sb, step["method"], path, params)
        except paykit.StripeError as error:
            if step.get("expected_error_type") == error.to_dict()["error"]["type"]:
                continue
            raise
        made[step["name"]] = result


def _call(sb: paykit.Sandbox, method: str, path: str, params: dict[str, Any]) -> dict:
    for prefix, reason in NOT_MODELLED.items():
        if path.startswith(prefix):
            pytest.skip(reason)
    assert method == "post"
    if path == "/v1/payment_methods":
        return sb.payment_methods.create(**params).to_dict()
    if path == "/v1/payment_intents":
        return sb.payment_intents.create(**params).to_dict()
    match = re.fullmatch(r"/v1/payment_intents/(\w+)/(\w+)", path)
    assert match, path
    return getattr(sb.payment_intents, match[2])(match[1], **params).to_dict()


pytestmark = pytest.mark.skipif(not TRIGGERS.is_dir(),
                                reason=f"needs {TRIGGERS} (the shared reference)")


def test_the_recipes_are_there():
    assert len(WANTED) >= 10


@pytest.mark.parametrize("name", WANTED)
def test_a_trigger_recipe_emits_the_event_it_is_named_after(name):
    sb = paykit.Sandbox(seed=0)
    replay(sb, json.loads((TRIGGERS / f"{name}.json").read_text()))
    emitted = [e.type for e in sb.events.list()]
    assert name in emitted, emitted
