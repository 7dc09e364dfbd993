"""The fixtures the browser tests share (defined in ``jupyter_support``)."""

from jupyter_support import jupyterlab

__all__ = ["jupyterlab"]
