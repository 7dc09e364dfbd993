"""tools/spec_coverage: the share of Stripe's parameters each served operation accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.spec_coverage import SPEC, coverage

pytestmark = pytest.mark.skipif(not Path(SPEC).exists(), reason=f"needs {SPEC}")


def test_every_served_operation_is_measured_and_the_core_ones_are_near_complete():
    rows = {label: (ok, total, refused) for label, ok, total, refused in coverage()}
    assert len(rows) >= 40
    ok, total, refused = rows["POST /v1/payment_intents"]
    assert ok / total >= 0.9 and set(refused) <= {"confirmation_token",
                                                 "payment_method_configuration"}
    assert rows["POST /v1/payment_intents/{intent}/confirm"][0] >= 17
    # a parameter paykit does not model is reported by name, never silently ignored
    assert "refund_application_fee" in rows["POST /v1/refunds"][2]
