"""``paykit.logs`` is laid out by its pipeline, and no stage imports a later one.

The stages, in import order: ``arrays`` (the lifecycle table as arrays, the log's
schema, the one sort) < ``readers`` < ``analyses`` < ``show`` (charts, the HTML report,
the writers) < ``samples``. A module imports modules of its own stage or of an earlier
one, never of a later one, and never the ``paykit.logs`` facade (whose ``__init__``
loads every stage). The analyses return data: plotting lives in ``show``, which plugs
its charts into the results' ``.plot()``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import paykit.logs

ROOT = Path(paykit.logs.__file__).resolve().parent
STAGES = ("arrays", "readers", "analyses", "show", "samples")
#: Stages below ``show`` must not load these, even lazily.
PLOTTING = ("matplotlib", "paykit.logs.show")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("paykit", "logs", *parts))


MODULES: dict[str, Path] = {_name(p): p for p in sorted(ROOT.rglob("*.py"))}
STAGE_MODULES = sorted(
    (name for name in MODULES if name.count(".") == 3),
    key=lambda name: (STAGES.index(name.split(".")[2]), name),
)


def _stage(name: str) -> int | None:
    """The stage index of a ``paykit.logs`` module (``None`` for the facade)."""
    parts = name.split(".")
    return STAGES.index(parts[2]) if len(parts) > 2 else None


def _imports(path: Path) -> set[str]:
    """Every module an import statement in the file names, at any depth (lazy ones too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            assert node.module is not None
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if f"{node.module}.{alias.name}" in MODULES)
    return found


GRAPH = {
    name: {m for m in _imports(path) if m in MODULES and m != name}
    for name, path in MODULES.items()
}


def test_every_module_belongs_to_a_stage():
    assert {name.split(".")[2] for name in MODULES if name != "paykit.logs"} == set(STAGES)
    flat = [name for name in MODULES if name.count(".") == 2 and name.split(".")[2] not in STAGES]
    assert not flat, f"modules outside the stages: {flat}"
    assert all(name.count(".") <= 3 for name in MODULES), "stages hold modules, not packages"


def test_stage_packages_hold_only_their_docstring_and_an_empty_all():
    for stage in STAGES:
        body = ast.parse((ROOT / stage / "__init__.py").read_text(encoding="utf-8")).body
        assert len(body) == 2 and isinstance(body[0], ast.Expr), stage  # the docstring
        assert isinstance(body[1], ast.AnnAssign), stage  # __all__: list[str] = []
        assert ast.unparse(body[1]) == "__all__: list[str] = []", stage


@pytest.mark.parametrize("name", STAGE_MODULES)
def test_no_module_imports_a_later_stage_or_the_facade(name):
    imported = _imports(MODULES[name])
    assert "paykit.logs" not in imported, f"{name} imports the paykit.logs facade"
    later = sorted(m for m in GRAPH[name] if (_stage(m) or 0) > (_stage(name) or 0))
    assert not later, f"{name} ({STAGES[_stage(name) or 0]}) imports later stages: {later}"


@pytest.mark.parametrize("name", [n for n in STAGE_MODULES if (_stage(n) or 0) < 3])
def test_stages_below_show_never_import_plotting(name):
    plotting = sorted(m for m in _imports(MODULES[name]) if m.startswith(PLOTTING))
    assert not plotting, f"{name} imports plotting code: {plotting}"


def test_the_import_graph_of_the_modules_has_no_cycle():
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " -> ".join((*path, name))
        if name in done:
            return
        for imported in sorted(GRAPH[name]):
            visit(imported, (*path, name))
        done.add(name)

    for name in STAGE_MODULES:
        visit(name, ())


#: Imports each module alone (the facade replaced by a bare package, so only what the
#: module itself imports is loaded) and lists the ``paykit.logs`` modules then loaded.
_IMPORT_ALONE = """
import importlib, json, sys, types
import paykit
root, names, loaded = sys.argv[1], json.loads(sys.argv[2]), {}
for name in names:
    for key in [k for k in sys.modules if k == "paykit.logs" or k.startswith("paykit.logs.")]:
        del sys.modules[key]
    bare = types.ModuleType("paykit.logs")
    bare.__path__ = [root]
    sys.modules["paykit.logs"] = bare
    importlib.import_module(name)
    loaded[name] = sorted(k for k in sys.modules
                          if k.startswith("paykit.logs.") or k.split(".")[0] == "matplotlib")
print(json.dumps(loaded))
"""


def test_each_module_imports_alone_in_a_fresh_interpreter_without_later_stages():
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALONE, str(ROOT), json.dumps(STAGE_MODULES)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout)
    assert list(loaded) == STAGE_MODULES
    for name, modules in loaded.items():
        stage = _stage(name) or 0
        later = [m for m in modules if m.startswith("paykit.logs.") and (_stage(m) or 0) > stage]
        assert not later, f"importing {name} loads later stages: {later}"
        if stage < STAGES.index("show"):
            assert not [m for m in modules if m.startswith(PLOTTING)], name


def test_the_package_imports_in_a_fresh_interpreter():
    run = subprocess.run(
        [sys.executable, "-c", "import paykit.logs as pl; print(len(pl.__all__))"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) == len(paykit.logs.__all__)


def _public_names(tree: ast.Module) -> tuple[set[str], set[str] | None]:
    """The public names a module defines at top level, and its ``__all__``."""
    defined: set[str] = set()
    exported = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if "__all__" in names:
                assert node.value is not None
                exported = set(ast.literal_eval(node.value))
            defined |= names - {"__all__"}
    return {n for n in defined if not n.startswith("_")}, exported


@pytest.mark.parametrize("name", STAGE_MODULES)
def test_all_is_exactly_what_each_module_defines_in_public(name):
    defined, exported = _public_names(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    assert exported is not None, f"{name} has no __all__"
    assert exported == defined, (
        f"{name}: not exported {sorted(defined - exported)}, "
        f"exported but not defined {sorted(exported - defined)}"
    )
