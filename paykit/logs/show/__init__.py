"""Stage 4 of ``paykit.logs``: show and write what the analyses found.

Imports the earlier stages; no earlier stage imports it.

- ``charts``: ``plot_…`` and ``view_…`` (matplotlib); registers the results' ``.plot()``;
- ``analyst_charts``: the same for authorisation, retries per customer, refunds,
  disputes, money, time series and cohorts;
- ``parquet_parts``: a log as Parquet parts of whole intents, for ``read_dask``;
- ``html_report``: one self-contained HTML file (charts, process map, tables);
- ``export_writers``: a log written back out as events, PaymentIntent objects or a
  Dashboard CSV.
"""

__all__: list[str] = []
