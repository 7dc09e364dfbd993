"""A self-contained HTML report of a log: one file, no external links, charts inlined.

Charts are PNG images embedded as base64, the process map is inline SVG (rendered by
``paykit.graph``; if no renderer is available its DOT source is shown instead), tables
are plain HTML. The file opens anywhere and can be mailed as is.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from paykit.decline_codes import DOCS_URL
from paykit.logs.analyses.all_analyses import Analysis, analyse
from paykit.logs.readers.read_report import ReadReport

__all__ = ["html_report", "write_html_report"]

_STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;
max-width:1100px;color:#1f2933;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #d9e2ec}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
td,th{border:1px solid #d9e2ec;padding:.25em .6em;text-align:right}
th{background:#f5f7fa}td:first-child,th:first-child{text-align:left}
.note{color:#52606d;font-size:.9em}img,svg{max-width:100%;height:auto}
"""


def _png(draw: Any, height: float = 3.6) -> str:
    """Draw on a figure that no pyplot backend knows of (safe in notebooks and servers)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, height), layout="constrained")
    draw(ax=figure.add_subplot())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="chart" src="data:image/png;base64,{data}">'


def _process_map(result: Analysis) -> str:
    counts = {
        (row.source if isinstance(row.source, str) else None, row.target): int(row.count)
        for row in result.transitions.itertuples(index=False)
    }
    try:
        from paykit.graph import state_graph
        from paykit.rendering import render_svg

        graph = state_graph(counts=counts)
    except ImportError as error:
        return f'<p class="note">No process map: {html.escape(str(error))}</p>'
    try:
        return render_svg(graph)
    except Exception as error:  # no renderer: show the DOT text rather than nothing
        return (f'<p class="note">Graph not rendered ({html.escape(type(error).__name__)}); '
                f"DOT source:</p><pre>{html.escape(graph.source)}</pre>")


def _note(note: str | None) -> str:
    """What the log could not tell, said above the chart it concerns."""
    return f"<p><em>{html.escape(note)}</em></p>" if note else ""


def html_report(log: Any, report: ReadReport | None = None, *, title: str = "Payment log report"
                ) -> str:
    """The report as one HTML string (process map, charts and tables).

    >>> from paykit.logs import simulate
    >>> page = html_report(simulate(100))
    >>> page.startswith("<!DOCTYPE html>") and "Process map" in page
    True
    """
    result = log if isinstance(log, Analysis) else analyse(log)
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if report is not None:
        parts.append(f"<h2>Read report</h2><p>{html.escape(report.summary())}</p>")
        if report.quarantined:
            parts.append(report.to_frame().head(200).to_html(index=False))
    parts += [
        "<h2>Funnel</h2>", _note(result.funnel.note), _png(result.funnel.plot),
        result.funnel.table.to_html(index=False, float_format="{:.1%}".format),
        "<h2>Declines</h2>", f"<p>{html.escape(str(result.declines))}</p>",
    ]
    if len(result.declines.codes):
        height = 0.6 + 0.35 * min(10, len(result.declines.codes))
        parts += [_png(result.declines.plot, height),
                  result.declines.codes.to_html(float_format="{:.1%}".format)]
    if len(result.declines.codes):
        parts += ["<p>Hard and soft declines (paykit's reading of Stripe's next steps, "
                  f"{DOCS_URL}, cited as text: the file links nowhere):</p>",
                  result.declines.kinds.to_html(float_format="{:.1%}".format)]
    parts.append("<h2>Authorisation rate</h2>")
    for column, rates in result.authorisation.items():
        height = 0.6 + 0.35 * min(12, max(len(rates.table), 1))
        parts += [f"<h3>By {html.escape(str(column))}</h3>", _png(rates.plot, height),
                  rates.table.to_html(float_format="{:.1%}".format)]
    parts += [
        "<h2>Retries across intents</h2>", f"<p>{html.escape(str(result.customer_retries))}</p>",
        _png(result.customer_retries.plot),
        result.customer_retries.summary.to_frame("value").to_html(),
        "<h2>Money</h2>", f"<p>{html.escape(str(result.money))}</p>", _png(result.money.plot),
        result.money.by_currency.to_html(),
        result.money.converted.to_html() if len(result.money.converted) else "",
        "<h2>Refunds</h2>", f"<p>{html.escape(str(result.refunds))}</p>",
        _png(result.refunds.plot), result.refunds.by_currency.to_html(float_format="{:.1%}".format),
        result.refunds.summary.to_frame("value").to_html(),
        "<h2>Disputes</h2>", f"<p>{html.escape(str(result.disputes))}</p>",
        _png(result.disputes.plot),
        result.disputes.by_currency.to_html(float_format="{:.2%}".format),
        result.disputes.by_reason.to_html() if len(result.disputes.by_reason) else "",
        "<h2>Over time</h2>", _png(result.time_series.plot),
        result.time_series.table.to_html(float_format="{:.1%}".format),
        "<h3>Customer cohorts</h3>", _png(result.cohorts.plot, 0.8 + 0.3 * max(
            len(result.cohorts.table), 1)), result.cohorts.table.to_html(),
    ]
    parts += [
        "<h2>Conformance</h2>", result.conformance.to_html(),
        "<h2>Process map</h2>", _process_map(result),
        result.transitions.to_html(index=False),
        "<h2>Time in status</h2>", _note(result.time_in_status.note),
        _png(result.time_in_status.plot) if result.time_in_status.available else "",
        result.time_in_status.table.to_html(),
        "<h2>Audit</h2>", f"<p>{html.escape(str(result.audit))}</p>",
        result.audit.findings.to_html(index=False) if len(result.audit.findings) else "",
    ]
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body>{body}</body></html>\n")


def write_html_report(log: Any, path: str | Path, report: ReadReport | None = None,
                      **options: Any) -> Path:
    """Write ``html_report`` to ``path`` and return the path.

    >>> import tempfile, os
    >>> from paykit.logs import simulate
    >>> write_html_report(simulate(50), os.path.join(tempfile.mkdtemp(), "r.html")).exists()
    True
    """
    path = Path(path)
    path.write_text(html_report(log, report, **options), encoding="utf-8")
    return path
