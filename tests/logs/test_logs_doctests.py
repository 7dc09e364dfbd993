"""Every example in the paykit.logs docstrings runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib.pyplot as plt
import pytest

import paykit.cli
import paykit.logs

MODULES = [paykit.cli, paykit.logs] + [
    importlib.import_module(info.name)
    for info in pkgutil.walk_packages(paykit.logs.__path__, "paykit.logs.")
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    plt.close("all")
    assert result.failed == 0


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_public_functions_end_with_an_example(module):
    import inspect

    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        blocks = [b for b in doc.split("\n\n") if b.strip()]
        assert blocks and blocks[-1].lstrip().startswith(">>>"), f"{module.__name__}.{name}"
