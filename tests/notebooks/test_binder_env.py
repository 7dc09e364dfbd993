"""Binder gets the same environment as the project, and the course runs in it.

Binder (repo2docker) runs ``pip install -r binder/requirements.txt`` from the repository
root, so a local path in that file is resolved against the root (pip reads ``-e .``
relative to the working directory, not to the file). The slow test does exactly that in
a fresh virtual environment and runs notebooks 00 and 05 under nbval: if the Binder
set-up drifts from the project's, it fails.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from tools.course.navigation import notebook_paths

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
NOTEBOOKS = notebook_paths()
START = NOTEBOOKS[0].name
BINDER_NOTEBOOKS = ("00_start_here.ipynb", "05_the_lifecycle.ipynb")
#: What each third-party import of the notebooks needs from paykit's extras.
IMPORT_EXTRAS = {"IPython": "notebooks", "ipywidgets": "widgets", "pandas": "logs",
                 "matplotlib": "logs", "stripe": "sdk", "graphviz": "graph"}
_PIP_TIMEOUT_SECONDS = 1200


def _requirements() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def _extras(name: str, table: dict[str, list[str]]) -> set[str]:
    """An extra and every extra it pulls in (``paykit[graph,widgets]``)."""
    found = {name}
    for requirement in table[name]:
        match = re.fullmatch(r"paykit\[([a-z,]+)\].*", requirement.replace(" ", ""))
        if match:
            for inner in match[1].split(","):
                found |= _extras(inner, table)
    return found


def test_requirements_install_paykit_from_the_repository_root_with_the_notebooks_extra(
) -> None:
    assert _requirements() == ["-e .[notebooks]"]


def test_the_notebooks_extra_brings_everything_the_notebooks_import() -> None:
    table = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    extras = _extras("notebooks", table)
    stdlib = set(sys.stdlib_module_names)
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in stdlib or top == "paykit":
                        continue
                    assert top in IMPORT_EXTRAS, f"{path.name} imports {top}"
                    assert IMPORT_EXTRAS[top] in extras, f"{top} is not in paykit[notebooks]"


def test_runtime_is_python_3_11_or_newer() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match and int(match[1]) >= 11, runtime
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"]
    assert requires == ">=3.11"


def test_no_system_packages_are_needed() -> None:
    """Graphs render with the WebAssembly Graphviz: no apt.txt, no system dot."""
    assert not (BINDER / "apt.txt").exists()
    assert sorted(p.name for p in BINDER.iterdir()) == ["requirements.txt", "runtime.txt"]


def test_notebook_00_links_to_itself_on_binder() -> None:
    link = f"?urlpath=lab/tree/notebooks/{START}"
    start = nbformat.read(NOTEBOOKS[0], as_version=4)
    assert any("mybinder.org/v2/gh/" in c.source and link in c.source for c in start.cells)
    readme = ROOT / "notebooks" / "README.md"
    assert link in readme.read_text(encoding="utf-8")


def _run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          check=False, timeout=_PIP_TIMEOUT_SECONDS, **kwargs)  # type: ignore[call-overload]


@pytest.mark.slow
def test_a_fresh_binder_environment_runs_notebooks_00_and_03_under_nbval(
        tmp_path: Path) -> None:
    """Needs PyPI (as Binder does); takes a few minutes, mostly downloads."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith("PIP_")}
    venv = tmp_path / "binder-venv"
    created = _run([sys.executable, "-m", "venv", venv], env=env)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    # as repo2docker does: from the repository root, the requirements file only
    installed = _run([*pip, "-r", BINDER / "requirements.txt"], cwd=ROOT, env=env)
    assert installed.returncode == 0, installed.stderr[-4000:]
    tools = _run([*pip, "pytest", "nbval"], cwd=ROOT, env=env)
    assert tools.returncode == 0, tools.stderr[-4000:]
    result = _run([python, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
                   *(f"notebooks/{name}" for name in BINDER_NOTEBOOKS)], cwd=ROOT, env=env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert " passed" in result.stdout


def test_make_lab_installs_what_binder_installs_and_opens_notebook_00() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab_rule = makefile.split("$(LAB_STAMP): ")[1].split("\n\n")[0]
    assert "-e '.[notebooks]'" in lab_rule and "dev" not in lab_rule
    assert "-e .[notebooks]" in _requirements()
    lab = makefile.split("\nlab: ")[1].split("\n\n")[0]
    assert lab.startswith("$(LAB_STAMP)") and "system-deps" not in lab
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in lab
