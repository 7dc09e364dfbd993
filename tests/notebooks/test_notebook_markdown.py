"""Markdown renders as written, and reads in English: nothing in a notebook's text, or in
a markdown output, that JupyterLab would typeset as math; every French quote of Stripe's
pages followed by its English rendering (the original kept, for a learner who reads the
French page beside the notebook).

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


_QUOTE = re.compile(r"«[^»]*»\*?")


def untranslated(markdown: str) -> list[str]:
    """The French quotes of ``markdown`` that no English rendering follows: the next
    line of the blockquote (``> …``, no « »), or an inline ``, “…”`` / `` (“…”)``."""
    missing = []
    for match in _QUOTE.finditer(markdown):
        rest = markdown[match.end():]
        inline = rest.startswith((", “", " (“"))
        next_line = rest.split("\n", 2)[1] if rest.count("\n") >= 1 else ""
        block = next_line.startswith("> ") and "«" not in next_line and len(next_line) > 3
        if not (inline or block):
            missing.append(match.group(0)[:60])
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_french_quote_is_followed_by_its_english_rendering(path):
    problems = {where: untranslated(text) for where, text in _markdown(path)
                if untranslated(text)}
    assert not problems, problems


@pytest.mark.parametrize(("text", "missing"), [
    ("> *« Bonjour. »*\n> Hello.", False),
    ("> *« Bonjour. »*\n\nNext paragraph.", True),
    ("as the guide says (« bonjour », “hello”).", False),
    ("as the guide says (« bonjour »).", True),
])
def test_the_translation_detector_itself(text, missing):
    assert bool(untranslated(text)) is missing
