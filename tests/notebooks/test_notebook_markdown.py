"""Markdown renders as written: nothing in a notebook's text, or in a markdown output,
that JupyterLab would typeset as math.

JupyterLab hands a markdown cell to MathJax after taking out code: any two unescaped
``$`` (or ``$$``, ``\\(``, ``\\[``) delimit math, so "$50.00 ... $40.00" turns the text
between into an equation (https://jupyterlab.readthedocs.io/en/stable/user/notebook.html;
``\\$`` is a literal dollar). The course writes amounts as ``amount=5000`` or
"50.00 US dollars" instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_MATH = re.compile(r"(?<!\\)\$|\\\(|\\\[")


def math_in(markdown: str) -> list[str]:
    """The places of ``markdown`` that would be typeset: a pair of ``$``, or a LaTeX
    delimiter, outside code."""
    text = _CODE.sub("", markdown)
    found = [m.start() for m in _MATH.finditer(text)]
    if len(found) < 2 and not re.search(r"\\\(|\\\[", text):
        return []
    return [text[max(0, i - 20):i + 20] for i in found]


def _markdown(path: Path) -> list[tuple[str, str]]:
    notebook = nbformat.read(path, as_version=4)
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found.append((cell.get("id", "?"), cell.source))
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                found.append((f"{cell.get('id', '?')} (output)", "".join(text)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_text_would_be_typeset_as_math(path):
    problems = {where: math_in(text) for where, text in _markdown(path) if math_in(text)}
    assert not problems, problems


@pytest.mark.parametrize(("text", "typeset"), [
    ("authorise $50.00 then capture $40.00", True),
    ("costs \\$50.00 or \\$40.00", False),
    ("one $5 amount", False),
    ("`$a` and `$b` in code", False),
    ("```\necho $HOME $PATH\n```", False),
    ("inline \\(x\\) math", True),
])
def test_the_detector_itself(text, typeset):
    assert bool(math_in(text)) is typeset
