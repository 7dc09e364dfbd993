"""Shared fixtures: a fresh, seeded sandbox for every test that asks for one."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import paykit

# CI runs the property tests harder than a laptop does.
settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# The browser test's notebook is opened in JupyterLab by that test; nbval runs the course.
collect_ignore_glob = ["browser/*.ipynb"]


@pytest.fixture
def sb() -> paykit.Sandbox:
    return paykit.Sandbox(seed=0)
