"""The flat analyst API: exactly these names, each documented with a runnable example."""

from __future__ import annotations

import inspect

import paykit.logs as pl

EXPECTED = {
    "COLUMNS", "Analysis", "Audit", "Conformance", "Declines", "Funnel", "QuarantinedRow",
    "ReadReport", "ReadResult", "TimeInStatus", "UnreadableExport", "analyse", "audit",
    "conformance", "declines", "Refunds", "refunds", "check_paths",
    "detect_format", "discover_process_map", "from_sandbox", "funnel", "html_report", "paths",
    "plot_declines", "plot_funnel", "plot_time_in_status", "process_map", "read",
    "read_dashboard_csv", "read_events", "read_objects", "read_sample", "sample_path",
    "schema_table", "simulate", "time_in_status", "transition_counts", "variants",
    "view_declines", "view_funnel", "view_time_in_status", "write_dashboard_csv",
    "write_events", "write_html_report", "write_objects", "write_samples",
    # the analysts' questions (issue #16, item 3)
    "Authorisation", "authorisation", "charge_table", "Cohorts", "cohorts", "CustomerRetries",
    "customer_retries", "Disputes", "disputes", "Money", "money", "TimeSeries", "time_series",
    "plot_authorisation", "plot_cohorts", "plot_customer_retries", "plot_disputes",
    "plot_money", "plot_refunds", "plot_time_series", "view_authorisation", "view_cohorts",
    "view_money", "view_time_series",
    # scale-out (issue #16, item 5)
    "read_dask", "write_parquet_parts",
}


def test_all_is_exactly_the_public_api():
    assert set(pl.__all__) == EXPECTED
    assert len(pl.__all__) == len(EXPECTED)
    assert all(hasattr(pl, name) for name in pl.__all__)


def test_every_public_function_ends_its_docstring_with_an_example():
    for name in pl.__all__:
        obj = getattr(pl, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            last = [line for line in doc.splitlines() if line.strip()][-2:]
            assert any(line.startswith(">>>") or line.startswith("...") for line in last) or \
                ">>>" in doc.split("\n\n")[-1], name


def test_readers_return_log_and_report_that_unpack():
    log, report = pl.read(pl.sample_path("events"))
    assert isinstance(report, pl.ReadReport)
    result = pl.read(pl.sample_path("events"))
    assert pl.funnel(result).table.equals(pl.funnel(log).table)  # analyses take either
