"""Stage 3 of ``paykit.logs``: analyses of a normalised log. They return data, never draw.

Imports the arrays and readers stages. A result that can be drawn (``Funnel``,
``Declines``, ``TimeInStatus``) inherits ``drawable.Drawable``: its ``.plot()`` uses the
chart the show stage registered, so nothing here imports plotting code.

- ``intent_partitions``: ``as_log`` and ``map_intents`` (a pandas log, or Dask partitions);
- ``transition_stats``: one pass over the sorted status rows (counts, violations, stays);
- ``intent_paths``: each intent's status path, attempts, declines, outcome (``paths``);
- ``conformance``, ``funnel``, ``declines``, ``time_in_status``, ``process_map``, ``audit``:
  one analysis each;
- ``charge_table``: one row per payment attempt, what the money questions start from;
- ``authorisation``, ``customer_retries``, ``refunds``, ``disputes``, ``money``,
  ``time_series`` (and cohorts): the analysts' questions, one module each;
- ``all_analyses``: ``analyse``, every analysis at once, sharing the sorts;
- ``drawable``: ``Drawable`` and ``register_chart``, the hook for ``.plot()``.
"""

__all__: list[str] = []
