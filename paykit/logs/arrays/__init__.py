"""Stage 1 of ``paykit.logs``: the lifecycle and the log as numpy arrays.

Every later stage builds on these; they import no other stage.

- ``transition_rules``: what ``paykit.lifecycle.TRANSITIONS`` implies for a log, as
  boolean matrices and mappings (allowed moves, attempts, event types, tie ranks);
- ``log_schema``: the normalised log's columns and dtypes (``COLUMNS``, ``finish_log``);
- ``row_sort``: rows as integer codes and the one (intent, time, tie rank) sort.
"""

__all__: list[str] = []
