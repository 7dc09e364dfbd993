"""``.plot()`` on analysis results, drawn by charts that the show stage registers.

The analyses return data and never import plotting code. A result that can be drawn
inherits ``Drawable``; ``paykit.logs.show.charts`` registers the function that draws
each such class with ``register_chart``. Importing any part of ``paykit.logs`` runs the
package's ``__init__``, which loads the show stage, so by the time a result exists its
chart is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Chart", "Drawable", "register_chart"]

#: Draws a result on ``ax`` (a new figure if ``None``) and returns the ``Axes``.
Chart = Callable[..., Any]

_CHARTS: dict[type, Chart] = {}


class Drawable:
    """A result that ``.plot()`` draws with the chart registered for its class."""

    def plot(self, ax: Any = None) -> Any:
        """Draw this result on ``ax`` (a new figure if none) and return the ``Axes``."""
        chart = next((_CHARTS[k] for k in type(self).__mro__ if k in _CHARTS), None)
        if chart is None:
            raise LookupError(
                f"no chart is registered for {type(self).__name__}: "
                "import paykit.logs, which registers its charts"
            )
        return chart(self, ax=ax)


def register_chart(kind: type[Drawable], chart: Chart) -> None:
    """Make ``chart(result, ax=...)`` draw every ``kind`` result's ``.plot()``.

    >>> class Tally(Drawable):
    ...     pass
    >>> register_chart(Tally, lambda result, ax=None: f"drew {type(result).__name__}")
    >>> Tally().plot()
    'drew Tally'
    """
    _CHARTS[kind] = chart
