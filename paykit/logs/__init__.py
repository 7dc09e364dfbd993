"""Analyse exported Stripe payment logs against the PaymentIntent lifecycle.

A flat analyst API in the style of pm4py: ``read_…`` to load an export, verbs to
analyse it, ``view_…`` to draw. Every reader returns the same normalised log (one
pandas DataFrame, documented in ``paykit.logs.schema``) and a read report; every
analysis accepts that log, a reader's result, or a Dask DataFrame.

>>> import paykit.logs as pl
>>> log, report = pl.read(pl.sample_path("events"))
>>> pl.conformance(log).ok
True
"""

from __future__ import annotations

from paykit.logs.analysis import Analysis, analyse
from paykit.logs.audit import Audit, audit
from paykit.logs.autodetect import detect_format, read
from paykit.logs.charts import (
    plot_declines,
    plot_funnel,
    plot_time_in_status,
    view_declines,
    view_funnel,
    view_time_in_status,
)
from paykit.logs.conformance import Conformance, conformance
from paykit.logs.dashboard import read_dashboard_csv
from paykit.logs.declines import Declines, declines
from paykit.logs.events import from_sandbox, read_events
from paykit.logs.export import write_dashboard_csv, write_events, write_objects
from paykit.logs.funnel import Funnel, funnel
from paykit.logs.html_report import html_report, write_html_report
from paykit.logs.objects import read_objects
from paykit.logs.paths import paths, variants
from paykit.logs.process_map import discover_process_map, process_map
from paykit.logs.report import QuarantinedRow, ReadReport, ReadResult
from paykit.logs.samples import read_sample, sample_path, write_samples
from paykit.logs.schema import COLUMNS, schema_table
from paykit.logs.simulate import simulate
from paykit.logs.timing import TimeInStatus, time_in_status
from paykit.logs.transitions import transition_counts

__all__ = [
    "COLUMNS",
    "Analysis",
    "Audit",
    "Conformance",
    "Declines",
    "Funnel",
    "QuarantinedRow",
    "ReadReport",
    "ReadResult",
    "TimeInStatus",
    "analyse",
    "audit",
    "conformance",
    "declines",
    "detect_format",
    "discover_process_map",
    "from_sandbox",
    "funnel",
    "html_report",
    "paths",
    "plot_declines",
    "plot_funnel",
    "plot_time_in_status",
    "process_map",
    "read",
    "read_dashboard_csv",
    "read_events",
    "read_objects",
    "read_sample",
    "sample_path",
    "schema_table",
    "simulate",
    "time_in_status",
    "transition_counts",
    "variants",
    "view_declines",
    "view_funnel",
    "view_time_in_status",
    "write_dashboard_csv",
    "write_events",
    "write_html_report",
    "write_objects",
    "write_samples",
]
