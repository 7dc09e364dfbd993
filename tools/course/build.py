"""Regenerate the course: navigation, map, coverage table, then every notebook's outputs.

``python -m tools.course.build`` (what ``make notebooks`` runs) rewrites each notebook in
place so that the committed file is exactly what the tests compare against:

1. the generated cells (``tools.course.navigation``) are rewritten from the files, and
   ``notebooks/appendix.md`` from the notebooks and paykit's tables
   (``tools.course.appendix``);
2. the notebook is executed top to bottom in a fresh ``python3`` kernel (nbclient), with
   ``KERNEL_ENV`` set, the same environment ``notebooks/conftest.py`` gives nbval;
3. what would differ from run to run or machine to machine is removed: execution
   timings, the Python patch version, widget state and widget view ids (a widget keeps
   its ``text/plain`` form; it becomes live again when the learner runs the cell).

Run it twice and the files do not change: the sandbox is seeded, its clock is fixed, and
graphs are drawn by the WebAssembly Graphviz (``PAYKIT_GRAPHVIZ_RENDERER=wasm``) whatever
the machine has installed.

``--check`` executes nothing: it fails when a notebook's generated cells or metadata are
out of date. ``--no-execute`` only rewrites the generated cells and metadata.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from tools.course.appendix import appendix_markdown, appendix_path, write_appendix
from tools.course.navigation import (
    apply_navigation,
    course_entries,
    default_notebooks_dir,
    notebook_paths,
)

__all__ = [
    "CELL_METADATA_KEYS",
    "KERNEL_ENV",
    "KERNEL_NAME",
    "NOTEBOOK_METADATA",
    "STRIPPED_MIMETYPES",
    "build",
    "execute",
    "is_normalised",
    "kernel_environment",
    "main",
    "normalise",
]

#: The environment of every kernel that runs a course notebook (build and nbval alike).
#: The renderer is forced because the system ``dot`` and the WebAssembly Graphviz lay
#: graphs out differently; hash seed and time zone are pinned for good measure.
KERNEL_ENV: dict[str, str] = {
    "PAYKIT_GRAPHVIZ_RENDERER": "wasm",
    "PYTHONHASHSEED": "0",
    "TZ": "UTC",
}
KERNEL_NAME = "python3"
#: The whole notebook-level metadata a course notebook carries (no Python version).
NOTEBOOK_METADATA: dict[str, object] = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                   "name": KERNEL_NAME},
    "language_info": {"name": "python", "pygments_lexer": "ipython3",
                      "file_extension": ".py", "mimetype": "text/x-python",
                      "codemirror_mode": {"name": "ipython", "version": 3},
                      "nbconvert_exporter": "python"},
}
#: Cell metadata worth keeping: tags (navigation, seed points, nbval) and the hidden flag.
CELL_METADATA_KEYS: tuple[str, ...] = ("tags", "jupyter")
#: Output data removed after execution: widget view ids are new on every run.
STRIPPED_MIMETYPES: tuple[str, ...] = ("application/vnd.jupyter.widget-view+json",)
_CELL_TIMEOUT_SECONDS = 300


@contextmanager
def kernel_environment() -> Iterator[None]:
    """Set ``KERNEL_ENV`` for kernels started inside the block, then restore."""
    saved = {name: os.environ.get(name) for name in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _clean_outputs(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """Drop widget view ids; merge consecutive chunks of one stream (how ``print`` is
    split into messages depends on timing, what it prints does not)."""
    kept: list[NotebookNode] = []
    for output in outputs:
        if output.output_type == "stream":
            previous = kept[-1] if kept else None
            if (previous is not None and previous.output_type == "stream"
                    and previous.name == output.name):
                previous.text += output.text
                continue
        data = output.get("data")
        if data is not None:
            for mimetype in STRIPPED_MIMETYPES:
                data.pop(mimetype, None)
            if not data:
                continue
        kept.append(output)
    return kept


def normalise(notebook: NotebookNode) -> NotebookNode:
    """Strip what varies between runs and machines (in place) and return the notebook."""
    notebook.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEYS and v})
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
        if cell.cell_type == "code":
            cell.outputs = _clean_outputs(cell.outputs)
    return notebook


def is_normalised(notebook: NotebookNode) -> bool:
    """Whether ``normalise`` would leave the notebook unchanged."""
    copy = nbformat.from_dict(nbformat.reads(nbformat.writes(notebook), as_version=4))
    return nbformat.writes(normalise(copy)) == nbformat.writes(notebook)


def execute(notebook: NotebookNode, directory: Path) -> NotebookNode:
    """Run every cell in a fresh kernel started in ``directory`` (in place)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        timeout=_CELL_TIMEOUT_SECONDS,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(directory)}},
        record_timing=False,
        store_widget_state=False,
    )
    with kernel_environment():
        client.execute()
    return notebook


def build(paths: Sequence[Path], *, run: bool = True,
          only: Sequence[str] = ()) -> list[Path]:
    """Regenerate the notebooks in ``paths`` (or those named in ``only``); return changed."""
    entries = course_entries(paths)
    changed = []
    if write_appendix(paths):
        changed.append(appendix_path(paths))
    for index, path in enumerate(paths):
        if only and path.name not in only and path.name[:2] not in only:
            continue
        before = path.read_text(encoding="utf-8")
        notebook = nbformat.reads(before, as_version=4)
        apply_navigation(notebook, index, entries, paths)
        if run:
            print(f"executing {path.name}", file=sys.stderr)
            execute(notebook, path.parent)
        normalise(notebook)
        nbformat.validate(notebook)
        after = nbformat.writes(notebook).rstrip("\n") + "\n"
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(path)
    return changed


def _check(paths: Sequence[Path]) -> list[str]:
    """What ``--check`` reports: stale generated cells, unnormalised notebooks."""
    from tools.course.navigation import stale

    problems = [f"{name}: generated cells are out of date" for name in
                stale(paths[0].parent)] if paths else []
    appendix = appendix_path(paths) if paths else None
    if appendix is not None and (not appendix.exists() or appendix.read_text(
            encoding="utf-8") != appendix_markdown(paths)):
        problems.append(f"{appendix.name}: out of date")
    for path in paths:
        if not is_normalised(nbformat.read(path, as_version=4)):
            problems.append(f"{path.name}: metadata or outputs are not normalised")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.course.build [--check | --no-execute] [NN ...]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.course.build",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*",
                        help="only these notebooks (file names or numbers such as 03)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="the notebooks directory (default: the checkout's notebooks/)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="fail if generated cells or metadata are out of date")
    mode.add_argument("--no-execute", action="store_true",
                      help="rewrite generated cells and metadata without running code")
    args = parser.parse_args(argv)
    paths = notebook_paths(args.dir or default_notebooks_dir())
    if not paths:
        parser.error("no course notebooks found")
    if args.check:
        problems = _check(paths)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    changed = build(paths, run=not args.no_execute, only=args.notebooks)
    for path in changed:
        print(f"updated {path.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
