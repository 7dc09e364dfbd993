"""How much of Stripe's spec paykit serves: per operation, the share of its parameters
paykit accepts.

    python -m tools.spec_coverage

For every operation of the OpenAPI extract (``shared/reference/stripe_openapi_next.json``,
API 2024-04-10) that ``paykit serve`` routes, each top-level parameter of the spec is sent
alone, in-process through the HTTP handler; it counts as accepted unless paykit answers
``parameter_unknown`` naming it (a refusal of its value still means the parameter is
read). Prints one line per operation and the total.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import paykit
from paykit.http.routes import ROUTES, handle

SPEC = Path(__file__).resolve().parents[2] / "shared" / "reference" / \
    "stripe_openapi_next.json"
_HEADERS = {"Authorization": "Bearer sk_test_coverage",
            "Content-Type": "application/x-www-form-urlencoded"}


def _world() -> tuple[paykit.Sandbox, dict[str, str]]:
    """A sandbox with one object of each kind: a parameter is checked after the object
    it names is found, so the paths must name real objects."""
    sb = paykit.Sandbox(seed=0)
    customer = sb.customers.create().id
    paid = sb.payment_intents.create(amount=2000, currency="usd", customer=customer,
                                     setup_future_usage="off_session",
                                     payment_method="pm_card_visa", confirm=True)
    return sb, {
        "payment_intents": paid.id, "setup_intents": sb.setup_intents.create().id,
        "customer": customer, "payment_method": paid.payment_method,
        "refund": sb.refunds.create(payment_intent=paid.id, amount=100).id,
        "charge": paid.latest_charge,
        "webhook_endpoint": sb.webhook_endpoints.create(
            url="https://example.com/hook", enabled_events=["*"]).id,
    }


def _concrete(path: str, ids: dict[str, str]) -> str:
    def one(found: re.Match[str]) -> str:
        name = found[1]
        if name == "intent":
            return ids["setup_intents" if "/setup_intents/" in path else "payment_intents"]
        return ids[name]

    return re.sub(r"\{(\w+)\}", one, path)


def _parameters(operation: dict[str, Any]) -> list[str]:
    names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
    body = (operation.get("requestBody", {}).get("content", {})
            .get("application/x-www-form-urlencoded", {}).get("schema", {}))
    return names + list(body.get("properties", {}))


def coverage() -> list[tuple[str, int, int, list[str]]]:
    """``(operation, accepted, in the spec, the refused names)`` per served operation."""
    spec = json.loads(SPEC.read_text())
    served = {(r.method, r.path) for r in ROUTES if not r.paykit_addition}
    rows = []
    for path, operations in sorted(spec["paths"].items()):
        for method, operation in operations.items():
            if (method.upper(), path) not in served:
                continue
            refused = []
            names = _parameters(operation)
            for name in names:
                sb, ids = _world()
                concrete = _concrete(path, ids)
                pair = f"{name}=1"
                query, body = (pair, b"") if method == "get" else ("", pair.encode())
                _, _, answer = handle(sb, method.upper(), concrete, query, _HEADERS, body)
                error = json.loads(answer).get("error", {}) if answer else {}
                if error.get("code") == "parameter_unknown" and error.get("param") == name:
                    refused.append(name)
            rows.append((f"{method.upper()} {path}", len(names) - len(refused), len(names),
                         refused))
    return rows


def main() -> None:
    rows = coverage()
    accepted = total = 0
    for label, ok, count, refused in rows:
        accepted, total = accepted + ok, total + count
        share = f"{ok / count:.0%}" if count else "-"
        print(f"{label:<62}{ok:>4}/{count:<4}{share:>5}  "
              + (f"not modelled: {', '.join(refused)}" if refused else ""))
    print(f"{'all operations':<62}{accepted:>4}/{total:<4}{accepted / total:>5.0%}")


if __name__ == "__main__":
    main()
