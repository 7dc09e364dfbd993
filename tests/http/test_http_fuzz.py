"""A bounded fuzz of ``paykit serve`` with schemathesis, from Stripe's own OpenAPI spec.

Every operation paykit serves (the extract of API version 2024-04-10 in
``shared/reference``; paykit's own test helpers are not in it) gets requests generated
from its parameters' schemas, over loopback HTTP. Each answer must: never be a 5xx, have
a JSON content type, and match the spec's response schema for its status (a refusal:
Stripe's error object). The sandbox answers in the spec's version. Schema-valid requests
that paykit refuses are fine here: a sandbox refuses what it does not model, with
Stripe's error (``parameter_unknown``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

import paykit  # noqa: E402
from paykit.http.routes import ROUTES  # noqa: E402
from paykit.http.server import start  # noqa: E402

SPEC_FILE = Path(__file__).resolve().parents[3] / "shared" / "reference" / \
    "stripe_openapi_next.json"
pytestmark = pytest.mark.skipif(not SPEC_FILE.exists(), reason=f"needs {SPEC_FILE}")

#: Examples per operation: a few in CI (the suite stays fast), more with PAYKIT_FUZZ=N.
EXAMPLES = int(os.environ.get("PAYKIT_FUZZ", "6"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _served_spec() -> dict[str, Any]:
    """The extract, cut down to the operations paykit serves."""
    spec = json.loads(SPEC_FILE.read_text())
    served = {(r.method.lower(), r.path) for r in ROUTES if not r.paykit_addition}
    paths = {}
    for path, operations in spec["paths"].items():
        kept = {method: op for method, op in operations.items() if (method, path) in served}
        if kept:
            paths[path] = kept
    return {**{k: v for k, v in spec.items() if not k.startswith("x-")}, "paths": paths}


def _operations() -> list[Any]:
    if not SPEC_FILE.exists():
        return []
    schema = schemathesis.openapi.from_dict(_served_spec())
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = _operations()


def test_every_route_of_the_spec_is_fuzzed():
    served = {(r.method.lower(), r.path) for r in ROUTES if not r.paykit_addition}
    in_spec = {(method, path) for path, operations in
               json.loads(SPEC_FILE.read_text())["paths"].items() for method in operations}
    fuzzed = {(op.method.lower(), op.path) for op in OPERATIONS}
    assert fuzzed == served & in_spec and len(fuzzed) >= 25


@pytest.fixture(scope="module")
def server():
    # the sandbox answers in the spec's own version: its answers are checked against the
    # schemas of that version (later versions' changes: tests/test_api_versions.py)
    version = json.loads(SPEC_FILE.read_text())["info"]["version"]
    running = start(paykit.Sandbox(seed=0, api_version=version))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_5xx_and_every_answer_matches_the_schema(server, operation):
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def fuzz(case: Any) -> None:
        response = case.call(base_url=server.url,
                             headers={"Authorization": "Bearer sk_test_fuzz"})
        case.validate_response(response, checks=CHECKS)

    fuzz()
