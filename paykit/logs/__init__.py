"""Analyse exported Stripe payment logs against the PaymentIntent lifecycle.

A flat analyst API in the style of pm4py: ``read_…`` to load an export, verbs to
analyse it, ``view_…`` to draw. Every reader returns the same normalised log (one
pandas DataFrame, documented in ``paykit.logs.arrays.log_schema``) and a read report;
every analysis accepts that log, a reader's result, or a Dask DataFrame.

The code is laid out by the pipeline, one subpackage per stage; a stage imports only
the stages listed before it (``tests/logs/test_logs_layout.py`` checks it):

- ``arrays``: the lifecycle table as numpy arrays, the log's schema, the one sort;
- ``readers``: events, PaymentIntent dumps and the Dashboard CSV into the log;
- ``analyses``: conformance, paths, funnel, declines (hard and soft), refunds, audit,
  authorisation rates, retries per customer, disputes, money, time series and cohorts
  (data only);
- ``show``: charts, the HTML report, and writers back to Stripe's export formats;
- ``samples``: ``simulate`` and the sample exports paykit ships.

>>> import paykit.logs as pl
>>> log, report = pl.read(pl.sample_path("events"))
>>> pl.conformance(log).ok
True
"""

from __future__ import annotations

from paykit.logs.analyses.all_analyses import Analysis, analyse
from paykit.logs.analyses.audit import Audit, audit
from paykit.logs.analyses.authorisation import Authorisation, authorisation
from paykit.logs.analyses.charge_table import charge_table
from paykit.logs.analyses.conformance import Conformance, check_paths, conformance
from paykit.logs.analyses.customer_retries import CustomerRetries, customer_retries
from paykit.logs.analyses.declines import Declines, declines
from paykit.logs.analyses.disputes import Disputes, disputes
from paykit.logs.analyses.funnel import Funnel, funnel
from paykit.logs.analyses.intent_paths import paths
from paykit.logs.analyses.money import Money, money
from paykit.logs.analyses.path_variants import variants
from paykit.logs.analyses.process_map import discover_process_map, process_map
from paykit.logs.analyses.refunds import Refunds, refunds
from paykit.logs.analyses.time_in_status import TimeInStatus, time_in_status
from paykit.logs.analyses.time_series import Cohorts, TimeSeries, cohorts, time_series
from paykit.logs.analyses.transition_stats import transition_counts
from paykit.logs.arrays.log_schema import COLUMNS, schema_table
from paykit.logs.readers.dashboard_csv import read_dashboard_csv
from paykit.logs.readers.dask_frames import read_dask
from paykit.logs.readers.event_records import from_sandbox, read_events
from paykit.logs.readers.format_detection import detect_format, read
from paykit.logs.readers.intent_dumps import read_objects
from paykit.logs.readers.read_report import QuarantinedRow, ReadReport, ReadResult
from paykit.logs.readers.source_text import UnreadableExport
from paykit.logs.samples.shipped_samples import read_sample, sample_path, write_samples
from paykit.logs.samples.synthetic_log import simulate
from paykit.logs.show.analyst_charts import (
    plot_authorisation,
    plot_cohorts,
    plot_customer_retries,
    plot_disputes,
    plot_money,
    plot_refunds,
    plot_time_series,
    view_authorisation,
    view_cohorts,
    view_money,
    view_time_series,
)
from paykit.logs.show.charts import (
    plot_declines,
    plot_funnel,
    plot_time_in_status,
    view_declines,
    view_funnel,
    view_time_in_status,
)
from paykit.logs.show.export_writers import write_dashboard_csv, write_events, write_objects
from paykit.logs.show.html_report import html_report, write_html_report
from paykit.logs.show.parquet_parts import write_parquet_parts

__all__ = [
    "COLUMNS",
    "Analysis",
    "Audit",
    "Authorisation",
    "Cohorts",
    "Conformance",
    "CustomerRetries",
    "Declines",
    "Disputes",
    "Funnel",
    "Money",
    "QuarantinedRow",
    "ReadReport",
    "ReadResult",
    "Refunds",
    "TimeInStatus",
    "TimeSeries",
    "UnreadableExport",
    "analyse",
    "audit",
    "authorisation",
    "charge_table",
    "check_paths",
    "cohorts",
    "conformance",
    "customer_retries",
    "declines",
    "detect_format",
    "discover_process_map",
    "disputes",
    "from_sandbox",
    "funnel",
    "html_report",
    "money",
    "paths",
    "plot_authorisation",
    "plot_cohorts",
    "plot_customer_retries",
    "plot_declines",
    "plot_disputes",
    "plot_funnel",
    "plot_money",
    "plot_refunds",
    "plot_time_in_status",
    "plot_time_series",
    "process_map",
    "read",
    "read_dashboard_csv",
    "read_dask",
    "read_events",
    "read_objects",
    "read_sample",
    "refunds",
    "sample_path",
    "schema_table",
    "simulate",
    "time_in_status",
    "time_series",
    "transition_counts",
    "variants",
    "view_authorisation",
    "view_cohorts",
    "view_declines",
    "view_funnel",
    "view_money",
    "view_time_in_status",
    "view_time_series",
    "write_dashboard_csv",
    "write_events",
    "write_html_report",
    "write_objects",
    "write_parquet_parts",
    "write_samples",
]
