"""Stage 2 of ``paykit.logs``: read an export into the normalised log and a read report.

Imports only the arrays stage.

- ``read_report``: ``ReadReport`` (rows read, parsed, quarantined, out of scope) and
  ``ReadResult``;
- ``source_text``: bytes to text (gzip/bz2/zip with a ratio limit, encodings detected),
  and ``UnreadableExport`` for a file that is no export;
- ``json_records``: JSON records with their line numbers, from any shape Stripe data has;
- ``csv_records``: a CSV's records by physical line, the damaged ones set aside;
- ``export_times``: the Dashboard's created times, Excel's re-saved dates included;
- ``record_checks``: field checks shared by the JSON readers, and the quarantine loop;
- ``log_assembly``: collected rows to the sorted, typed log;
- ``event_records``: ``read_events`` (events pages, webhook JSON Lines), ``from_sandbox``;
- ``intent_dumps``: ``read_objects`` (dumps of PaymentIntent objects);
- ``dashboard_csv``: ``read_dashboard_csv`` (the Dashboard payments export);
- ``format_detection``: ``read`` and ``detect_format`` (pick the reader from the content);
- ``dask_frames``: ``read_dask`` (Parquet parts or one export file per partition).
"""

__all__: list[str] = []
