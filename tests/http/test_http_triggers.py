"""stripe-cli's trigger recipes, replayed over HTTP against ``paykit serve``, emit their event.

The recipes come unchanged from ``shared/reference/stripe_cli_triggers``; each step is
form-encoded as stripe-cli sends it and POSTed to a live local server; the event is
then read back through ``GET /v1/events``, as ``stripe listen`` would see it. Recipes
that need objects paykit does not model are skipped with that reason.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
from pathlib import Path
from typing import Any

import pytest

from paykit.http.forms import encode
from paykit.http.server import SandboxServer

TRIGGERS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "stripe_cli_triggers"
RECIPES = sorted(p.stem for p in TRIGGERS.glob("*.json"))
NOT_MODELLED = {
    "/v1/customers": "paykit does not model Customer objects or cash balances",
    "/v1/refunds": "paykit does not model Refund objects",
    "/v1/disputes": "paykit does not model Dispute objects",
    "/v1/test_helpers/customers": "paykit does not model customer cash balances",
}
AUTH = "Basic " + base64.b64encode(b"sk_test_Hrs6SAopgFPF0bZXSN3f6ELN:").decode()


class Api:
    """A minimal HTTP client: one keep-alive connection, JSON answers."""

    def __init__(self, server: SandboxServer) -> None:
        host, port = server.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=10)

    def request(self, method: str, path: str, params: dict[str, Any] | None = None,
                ) -> tuple[int, dict[str, Any]]:
        body = encode(params or {})
        headers = {"Authorization": AUTH,
                   "Content-Type": "application/x-www-form-urlencoded"}
        if method == "GET":
            path, body = (f"{path}?{body}" if body else path), ""
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read())

    def close(self) -> None:
        self.conn.close()


def _substitute(value: Any, made: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, made) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, made) for v in value]
    if isinstance(value, str):
        return re.sub(r"\$\{(\w+):(\w+)\}", lambda m: str(made[m[1]][m[2]]), value)
    return value


def replay(api: Api, recipe: dict[str, Any]) -> None:
    made: dict[str, dict[str, Any]] = {}
    for step in recipe["fixtures"]:
        path = _substitute(step["path"], made)
        for prefix, reason in NOT_MODELLED.items():
            if path.startswith(prefix):
                pytest.skip(reason)
        status, answer = api.request(step["method"].upper(), path,
                                     _substitute(step.get("params", {}), made))
        if status != 200:
            if step.get("expected_error_type") == answer["error"]["type"]:
                continue
            raise AssertionError(f"{path}: {status} {answer}")
        made[step["name"]] = answer


@pytest.fixture
def api(server: SandboxServer) -> Any:
    client = Api(server)
    yield client
    client.close()


def test_the_recipes_are_there():
    if not TRIGGERS.exists():
        pytest.skip(f"the trigger recipes are not at {TRIGGERS}")
    assert len(RECIPES) >= 10


@pytest.mark.parametrize("name", RECIPES)
def test_a_trigger_recipe_over_http_emits_the_event_it_is_named_after(api, name):
    if name.startswith("charge.dispute."):
        pytest.skip("paykit does not model Dispute objects (pm_card_createDispute…)")
    replay(api, json.loads((TRIGGERS / f"{name}.json").read_text()))
    status, events = api.request("GET", "/v1/events", {"type": name, "limit": 100})
    assert status == 200
    assert [e["type"] for e in events["data"]][:1] == [name], events
