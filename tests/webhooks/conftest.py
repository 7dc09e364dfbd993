"""Fixtures: local endpoints that close after the test, and a sandbox that stops its
delivery threads."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from webhook_helpers import Endpoint

import paykit


@pytest.fixture
def endpoint_factory() -> Iterator[Callable[..., Endpoint]]:
    made: list[Endpoint] = []

    def make(answer: Callable[[int], int] = lambda n: 200, hang: float = 0.0) -> Endpoint:
        made.append(Endpoint(answer, hang))
        return made[-1]

    yield make
    for endpoint in made:
        endpoint.close()


@pytest.fixture
def sb() -> Iterator[paykit.Sandbox]:
    sandbox = paykit.Sandbox(seed=0)
    yield sandbox
    sandbox.webhook_endpoints.close()
