"""The package itself: a light import, an exact public API in every module, typed."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import paykit

ROOT = Path(paykit.__file__).parent
#: What the tests, the notebook build and the linters need; the runtime package never does.
DEV_ONLY = {"hypothesis", "nbclient", "nbconvert", "nbformat", "nbval", "pytest"}


def _fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter (nothing another test imported)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def test_import_paykit_does_not_load_pandas_ipywidgets_or_graphviz():
    code = (
        "import sys, paykit; sb = paykit.Sandbox(); "
        "sb.payment_intents.create(amount=1099, currency='usd'); "
        "heavy = [m for m in ('pandas', 'ipywidgets', 'graphviz', 'numpy', 'stripe') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    assert _fresh(code) == ""


# -- the package namespace --------------------------------------------------------------


def test_all_is_exactly_the_public_names_of_the_package_after_import():
    listed = json.loads(_fresh(
        "import json, paykit; print(json.dumps({"
        "'dir': [n for n in dir(paykit) if not n.startswith('_')], "
        "'bound': [n for n in vars(paykit) if not n.startswith('_')], "
        "'all': paykit.__all__}))"))
    assert sorted(listed["dir"]) == sorted(listed["all"])
    assert len(set(listed["all"])) == len(listed["all"])
    # what is not bound yet is loaded on first use, and only that
    assert set(listed["bound"]) <= set(listed["all"])


def test_all_names_exist():
    for name in paykit.__all__:
        assert getattr(paykit, name) is not None


def test_the_engines_modules_are_not_in_the_namespace_but_stay_importable():
    out = _fresh("import paykit; print('intents' in dir(paykit), 'clock' in vars(paykit)); "
                 "import paykit.clock; print(paykit.clock.__name__)")
    assert out.splitlines() == ["False False", "paykit.clock"]


def test_an_unknown_name_is_an_attribute_error():
    assert not hasattr(paykit, "no_such_name")
    with pytest.raises(AttributeError, match="no_such_name"):
        paykit.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_the_package_is_typed():
    assert (ROOT / "py.typed").exists()


# -- every module: an exact __all__ -----------------------------------------------------


def _walk(path: Path, prefix: str) -> Iterator[str]:
    """Every module under ``path`` (pkgutil, without importing anything)."""
    for info in pkgutil.iter_modules([str(path)], prefix):
        yield info.name
        if info.ispkg:
            yield from _walk(path / info.name.rsplit(".", 1)[-1], f"{info.name}.")


MODULES = ["paykit", *_walk(ROOT, "paykit.")]


def _source(module_name: str) -> Path:
    relative = Path(*module_name.split(".")[1:])
    package = ROOT / relative / "__init__.py"
    return package if package.exists() else (ROOT / relative).with_suffix(".py")


def _top_level(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names the module defines (def, class, assignment) and names it imports."""
    defined: set[str] = set()
    imported: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                defined.update(n.id for t in targets for n in ast.walk(t)
                               if isinstance(n, ast.Name))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                imported.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.If | ast.With):
                visit(node.body)
                visit(getattr(node, "orelse", []))
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody,
                              *(h.body for h in node.handlers)):
                    visit(block)

    visit(tree.body)
    return defined, imported


def test_every_module_is_walked():
    assert {"paykit", "paykit.sandbox", "paykit.widgets", "paykit.widgets.explorer",
            "paykit.http.server", "paykit.exercises.core", "paykit.logs"} <= set(MODULES)
    assert any(name.startswith("paykit.logs.") for name in MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_module_has_an_exact_all(module_name):
    """``__all__`` lists only what the module defines (a package may re-export), and
    every public name the module defines is in it: anything else starts with ``_``."""
    module = importlib.import_module(module_name)
    path = _source(module_name)
    defined, imported = _top_level(ast.parse(path.read_text(encoding="utf-8")))
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    assert len(set(exported)) == len(exported), f"{module_name}.__all__ repeats a name"
    missing = [name for name in exported if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ lists names it does not have: {missing}"
    if path.name != "__init__.py":
        foreign = sorted(set(exported) - defined)
        assert not foreign, f"{module_name}.__all__ lists names defined elsewhere: {foreign}"
    unlisted = sorted(name for name in defined - set(exported) - imported
                      if not name.startswith("_"))
    assert not unlisted, (f"{module_name} defines public names missing from __all__ "
                          f"(list them, or prefix them with _): {unlisted}")


# -- what the runtime package ships ------------------------------------------------------


def test_no_build_tooling_or_test_helper_ships_in_the_package():
    assert not (ROOT / "course").exists()
    assert not (ROOT / "recipes.py").exists()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and not node.level}
        assert not imported & DEV_ONLY, f"{path.relative_to(ROOT)} imports {imported & DEV_ONLY}"


def _modules_with_examples() -> list[str]:
    """Every paykit module whose docstrings hold a ``>>>`` example."""
    return sorted(name for name in MODULES if ">>>" in _source(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", _modules_with_examples())
def test_the_docstring_examples_run(module):
    import doctest

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
