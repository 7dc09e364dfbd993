"""The HTML report is one self-contained file with the map, charts and tables."""

from __future__ import annotations

import re

from paykit.logs import analyse, read_sample, write_html_report


def test_the_report_is_self_contained(tmp_path):
    log, report = read_sample("events_broken")
    page = write_html_report(log, tmp_path / "r.html", report).read_text()
    # funnel, declines, time in status; one per authorisation dimension; retries, money,
    # refunds, disputes, time series, cohorts
    dimensions = len(analyse(log).authorisation)
    assert page.count('src="data:image/png;base64,') == 3 + dimensions + 6
    assert not re.search(r'(src|href)="https?://', page)
    for heading in ("Read report", "Funnel", "Declines", "Conformance", "Process map",
                    "Time in status", "Audit", "Authorisation rate", "Retries across intents",
                    "Money", "Refunds", "Disputes", "Over time"):
        assert f"<h2>{heading}</h2>" in page
    assert "<svg" in page or "digraph" in page
    assert "succeeded is terminal" in page  # the violation is listed
    assert "sk_test_paykit" not in page  # secrets stay masked
