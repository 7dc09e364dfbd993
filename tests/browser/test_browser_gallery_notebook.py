"""The notebook the browser test opens is committed clean and uses every widget."""

from __future__ import annotations

import json
from pathlib import Path

import paykit.widgets

NOTEBOOK = Path(__file__).with_name("widgets_gallery.ipynb")


def test_the_gallery_is_committed_without_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_the_gallery_shows_every_widget() -> None:
    notebook = json.loads(NOTEBOOK.read_text())
    source = "\n".join("".join(cell["source"]) for cell in notebook["cells"]
                       if cell["cell_type"] == "code")
    for name in paykit.widgets.__all__:
        assert f"{name}(" in source
