"""pytest settings for ``pytest --nbval notebooks/``: the build's kernel environment.

nbval starts a notebook's kernel when the notebook's first cell is set up, from this
process's environment. Around that setup (and only there, so that other tests see the
environment untouched) this sets ``tools.course.build.KERNEL_ENV``: the kernels draw
graphs with the same renderer (WebAssembly Graphviz) as ``python -m tools.course.build``,
which stored the outputs, whether or not this machine has the ``dot`` program.

The sanitize file next to this one (``nbval_sanitize.cfg``, which explains why it holds
no rule) is used unless ``--nbval-sanitize-with`` names another.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from tools.course.build import kernel_environment

SANITIZE_FILE = Path(__file__).with_name("nbval_sanitize.cfg")


def pytest_configure(config: pytest.Config) -> None:
    """Use the course's sanitize file, whatever directory pytest runs from."""
    option = config.option
    if getattr(option, "nbval_sanitize_with", "absent") is None:
        option.nbval_sanitize_with = str(SANITIZE_FILE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Start notebook kernels with the build's environment."""
    if item.path.suffix != ".ipynb":
        return (yield)
    with kernel_environment():
        return (yield)
