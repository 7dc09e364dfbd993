"""stripe-cli's trigger recipes, replayed against the sandbox, emit their event.

The recipes are stripe-cli's own, unchanged
(https://github.com/stripe/stripe-cli/tree/master/pkg/fixtures/triggers), read from the
copy in ``shared/reference/stripe_cli_triggers`` next to the checkout; without it those
tests skip. Recipes that need objects paykit does not model (disputes, customer cash
balances) are skipped with that reason.
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cli_recipes
import pytest
from cli_recipes import NotModelled, StepFailed, load, replay

import paykit

TRIGGERS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "stripe_cli_triggers"
WANTED = sorted(p.stem for p in TRIGGERS.glob("*.json")
                if p.stem.startswith("payment_intent.")
                or p.stem in {"charge.succeeded", "charge.failed", "charge.captured"})

needs_triggers = pytest.mark.skipif(not TRIGGERS.is_dir(),
                                    reason=f"needs {TRIGGERS} (the shared reference)")

#: The recipes send payment_method_types, which 2026-09-30.endive refuses: they are
#: replayed on the version before it, as ``stripe trigger --stripe-version`` would
#: (https://docs.stripe.com/stripe-cli/use-cli).
RECIPE_VERSION = "2026-07-29.dahlia"


def _send(sb: paykit.Sandbox) -> Callable[[str, str, dict[str, Any]], dict[str, Any]]:
    """Each recipe step as the matching sandbox call."""

    def send(method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        assert method == "POST", path
        try:
            created = re.fullmatch(r"/v1/(\w+)", path)
            if created:  # /v1/payment_methods, /v1/payment_intents, /v1/customers, ...
                return getattr(sb, created[1]).create(**params).to_dict()
            updated = re.fullmatch(r"/v1/(\w+)/(\w+)", path)
            if updated:
                return getattr(sb, updated[1]).update(updated[2], **params).to_dict()
            match = re.fullmatch(r"/v1/(\w+)/(\w+)/(\w+)", path)
            assert match, path
            return getattr(getattr(sb, match[1]), match[3])(match[2], **params).to_dict()
        except paykit.StripeError as error:
            raise StepFailed(error.to_dict()["error"]["type"], error) from error

    return send


def test_the_helper_docstring_examples_run():
    result = doctest.testmod(cli_recipes)
    assert result.attempted > 0 and result.failed == 0


@needs_triggers
def test_the_recipes_are_there():
    assert len(WANTED) >= 10


@needs_triggers
@pytest.mark.parametrize("name", WANTED)
def test_a_trigger_recipe_emits_the_event_it_is_named_after(name):
    sb = paykit.Sandbox(seed=0, api_version=RECIPE_VERSION)
    try:
        replay(load(TRIGGERS / f"{name}.json"), _send(sb))
    except NotModelled as reason:
        pytest.skip(str(reason))
    emitted = [e.type for e in sb.events.list()]
    assert name in emitted, emitted


def test_a_step_failing_with_another_error_type_stops_the_replay():
    recipe = {"fixtures": [{"name": "pi", "path": "/v1/payment_intents", "method": "post",
                            "expected_error_type": "card_error",
                            "params": {"amount": 1, "currency": "usd"}}]}
    with pytest.raises(StepFailed) as caught:
        replay(recipe, _send(paykit.Sandbox(seed=0)))
    assert caught.value.error_type == "invalid_request_error"


@needs_triggers
def test_on_todays_version_a_recipe_meets_the_endive_refusal():
    with pytest.raises(StepFailed) as caught:
        replay(load(TRIGGERS / "payment_intent.succeeded.json"), _send(paykit.Sandbox(seed=0)))
    assert caught.value.error_type == "invalid_request_error"
    assert "payment_method_types" in str(caught.value)
