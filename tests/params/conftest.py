"""Fixtures of the parameter tests: the OpenAPI extract of the 2023-08-16 spec."""

from __future__ import annotations

import json
from typing import Any

import pytest
from params_helpers import SPEC_FILE


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_FILE.exists():
        pytest.skip(f"needs {SPEC_FILE} (the shared reference)")
    return json.loads(SPEC_FILE.read_text())
