"""The process map: the lifecycle graph with each edge labelled by how often it happened.

The drawing is ``paykit.graph.state_graph(counts=...)``, the same graph the lessons
show, so observed moves that the table does not allow come out in its ``illegal``
style. This module only turns a log into the ``{(source, target): n}`` counts.
"""

from __future__ import annotations

from typing import Any

from paykit.logs.analyses.transition_stats import transition_counts

__all__ = ["discover_process_map", "process_map"]


def discover_process_map(log: Any) -> dict[tuple[str | None, str], int]:
    """Observed transition counts keyed ``(source, target)``; ``None`` is creation.

    >>> from paykit.logs import simulate
    >>> discover_process_map(simulate(100))[(None, "requires_payment_method")]
    100
    """
    frame = transition_counts(log)
    return {
        (row.source if isinstance(row.source, str) else None, row.target): int(row.count)
        for row in frame.itertuples(index=False)
    }


def process_map(log: Any, **graph_options: Any) -> Any:
    """The lifecycle graph drawn with the log's transition counts (a ``graphviz.Digraph``).

    Needs the ``graph`` extra (``pip install paykit[graph]``); ``graph_options`` go to
    ``paykit.graph.state_graph`` (``rankdir``, ``legend``, ``api_version``).

    >>> from paykit.logs import simulate
    >>> g = process_map(simulate(100, illegal_rate=0.2))
    >>> "succeeded -> requires_payment_method" in g.source
    True
    """
    from paykit.graph import state_graph

    counts = log if isinstance(log, dict) else discover_process_map(log)
    return state_graph(counts=counts, **graph_options)
