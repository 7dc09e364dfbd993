"""The package itself: a light import, an exact public API, typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import paykit


def test_import_paykit_does_not_load_pandas_ipywidgets_or_graphviz():
    code = (
        "import sys, paykit; sb = paykit.Sandbox(); "
        "sb.payment_intents.create(amount=1099, currency='usd'); "
        "heavy = [m for m in ('pandas', 'ipywidgets', 'graphviz', 'numpy', 'stripe') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_all_names_exist_and_are_public():
    for name in paykit.__all__:
        assert getattr(paykit, name) is not None


def test_the_package_is_typed():
    assert (Path(paykit.__file__).parent / "py.typed").exists()


def _modules_with_examples() -> list[str]:
    """Every paykit module whose docstrings hold a ``>>>`` example."""
    root = Path(paykit.__file__).parent
    return sorted(
        ".".join(("paykit", *path.relative_to(root).with_suffix("").parts)).removesuffix(
            ".__init__")
        for path in root.rglob("*.py") if ">>>" in path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("module", _modules_with_examples())
def test_the_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
