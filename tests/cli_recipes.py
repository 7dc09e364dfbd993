"""stripe-cli trigger recipes, replayed against paykit (in-process or over HTTP).

A test helper, not part of the package: ``tests/test_cli_triggers.py`` replays the
recipes against a sandbox, ``tests/http/test_http_triggers.py`` against ``paykit serve``.
pytest puts ``tests/`` on ``sys.path`` (the directory of its ``conftest.py``), so both
``import cli_recipes``.

A recipe (``stripe trigger payment_intent.succeeded`` and friends) is a list of API calls
whose later steps refer to earlier answers as ``${name:field}``. ``replay`` walks the
steps, resolves those references and hands each call to ``send``; a step whose
``expected_error_type`` matches the error it gets is a success, as in stripe-cli.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["NOT_MODELLED", "NOT_MODELLED_VALUES", "NotModelled", "Send", "StepFailed", "load",
           "replay", "substitute"]

#: API areas the recipes touch that paykit does not model, and why a replay stops there.
NOT_MODELLED: dict[str, str] = {
    "/v1/disputes": "paykit does not model Dispute objects",
    "/v1/test_helpers/customers": "paykit does not model customer cash balances",
}
#: Parameter values naming what paykit does not model (a payment from a cash balance).
NOT_MODELLED_VALUES: dict[str, str] = {
    "customer_balance": "paykit does not model customer cash balances (customer_balance)",
}
_REFERENCE = re.compile(r"\$\{(\w+):(\w+)\}")


class NotModelled(Exception):
    """The recipe needs an object paykit does not model; the message says which."""


class StepFailed(Exception):
    """A step got an error; ``error_type`` is the API error's ``type``."""

    def __init__(self, error_type: str, detail: object) -> None:
        super().__init__(f"{error_type}: {detail}")
        self.error_type = error_type


def load(path: str | Path) -> dict[str, Any]:
    """A recipe file as stripe-cli reads it."""
    return json.loads(Path(path).read_text())


def substitute(value: Any, made: dict[str, dict[str, Any]]) -> Any:
    """``value`` with every ``${name:field}`` replaced by that earlier answer's field.

    >>> substitute({"path": "/v1/payment_intents/${pi:id}/capture"}, {"pi": {"id": "pi_1"}})
    {'path': '/v1/payment_intents/pi_1/capture'}
    """
    if isinstance(value, dict):
        return {key: substitute(item, made) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, made) for item in value]
    if isinstance(value, str):
        return _REFERENCE.sub(lambda m: str(made[m[1]][m[2]]), value)
    return value


#: ``send(method, path, params)``: one step's call, answering the JSON it got back.
Send = Callable[[str, str, dict[str, Any]], dict[str, Any]]


def replay(recipe: dict[str, Any], send: Send) -> dict[str, dict[str, Any]]:
    """Run every step through ``send(method, path, params)``; the answers by step name.

    ``send`` returns the answer's JSON or raises ``StepFailed``. Raises ``NotModelled``
    before a step paykit cannot answer.
    """
    made: dict[str, dict[str, Any]] = {}
    for step in recipe["fixtures"]:
        path = substitute(step["path"], made)
        for prefix, reason in NOT_MODELLED.items():
            if path.startswith(prefix):
                raise NotModelled(reason)
        for value in step.get("params", {}).values():
            if isinstance(value, str) and value in NOT_MODELLED_VALUES:
                raise NotModelled(NOT_MODELLED_VALUES[value])
        try:
            made[step["name"]] = send(step["method"].upper(), path,
                                      substitute(step.get("params", {}), made))
        except StepFailed as failure:
            if step.get("expected_error_type") != failure.error_type:
                raise
    return made
