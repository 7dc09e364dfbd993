"""Charts for the analysts' questions: authorisation, retries, refunds, disputes, money,
time series and cohorts (matplotlib).

Like ``charts``, each ``plot_…`` takes a result, draws on ``ax`` (a new figure if none),
returns the ``Axes`` and is registered as its result's ``.plot()``; ``view_…`` computes
and draws in one call. Colours come from ``charts.COLORS``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from paykit.logs.analyses.authorisation import Authorisation, authorisation
from paykit.logs.analyses.customer_retries import CustomerRetries
from paykit.logs.analyses.disputes import Disputes
from paykit.logs.analyses.drawable import register_chart
from paykit.logs.analyses.money import Money, money
from paykit.logs.analyses.refunds import Refunds
from paykit.logs.analyses.time_series import FREQUENCIES, Cohorts, TimeSeries, cohorts, time_series
from paykit.logs.show.charts import COLORS

__all__ = [
    "plot_authorisation",
    "plot_cohorts",
    "plot_customer_retries",
    "plot_disputes",
    "plot_money",
    "plot_refunds",
    "plot_time_series",
    "view_authorisation",
    "view_cohorts",
    "view_money",
    "view_time_series",
]


def _axes(ax: Any, size: tuple[float, float] = (7, 3.6)) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _finish(ax: Any, title: str) -> Any:
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _empty(ax: Any, title: str, message: str) -> Any:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
            color=COLORS["muted"])
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def plot_authorisation(result: Authorisation, ax: Any = None, top: int = 12) -> Any:
    """The authorisation rate per group, bars labelled with the decided attempts.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import authorisation, simulate
    >>> plot_authorisation(authorisation(simulate(300), by="card_brand")).get_title()
    'Authorisation rate by card_brand'
    """
    table = result.table.head(top).iloc[::-1]
    ax = _axes(ax, (7, 0.6 + 0.35 * max(len(table), 1)))
    title = f"Authorisation rate by {result.by}" if result.by else "Authorisation rate"
    if table.empty:
        return _empty(ax, title, "no payment attempts")
    y = np.arange(len(table))
    rate = table["authorisation_rate"].fillna(0).to_numpy(dtype=float)
    bars = ax.barh(y, rate, color=COLORS["good"])
    decided = (table["authorised"] + table["declined"]).to_numpy()
    ax.bar_label(bars, labels=[f"{r:.0%} of {d:,}" for r, d in zip(rate, decided, strict=True)],
                 fontsize=8)
    ax.set_yticks(y, [str(i) for i in table.index])
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("share of decided attempts authorised")
    return _finish(ax, title)


def plot_customer_retries(result: CustomerRetries, ax: Any = None) -> Any:
    """Customers by how many new intents they started after a failed one, split into
    those who then paid and those who did not.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import customer_retries, simulate
    >>> plot_customer_retries(customer_retries(simulate(300))).get_title()
    'Retries across intents, per customer'
    """
    ax = _axes(ax)
    title = "Retries across intents, per customer"
    table = result.distribution[result.distribution.index > 0]
    if table.empty:
        return _empty(ax, title, "no customer retried with a new intent")
    x = np.arange(len(table))
    paid = table["recovered"].to_numpy(dtype=float)
    ax.bar(x, paid, color=COLORS["good"], label="then paid")
    ax.bar(x, table["customers"].to_numpy(dtype=float) - paid, bottom=paid,
           color=COLORS["bad"], label="did not pay")
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.set_xlabel("new intents after a failed one")
    ax.set_ylabel("customers")
    ax.legend(fontsize=8)
    return _finish(ax, title)


def plot_refunds(result: Refunds, ax: Any = None) -> Any:
    """Share of the money paid that was refunded, per currency; the title gives the
    median time to refund.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import refunds, simulate
    >>> plot_refunds(refunds(simulate(300, refund_rate=0.1))).get_title()[:22]
    'Refunded, per currency'
    """
    ax = _axes(ax)
    delay = result.summary.get("median_time_to_refund", pd.NaT)
    title = "Refunded, per currency" + (
        "" if pd.isna(delay) else f" (median time to refund {_days(delay)})")
    if result.by_currency.empty:
        return _empty(ax, title, "no paid charges")
    _share_bars(ax, result.by_currency["refunded_share"],
                result.by_currency["refunded_charges"], "{:.1%} ({} charges)", 0.05)
    ax.set_xlabel("refunded share of money paid")
    return _finish(ax, title)


def _share_bars(ax: Any, shares: pd.Series, counts: pd.Series, label: str,
                least: float) -> None:
    """One bar per currency (the index): its share, labelled with the share and count;
    the axis reaches at least ``least``."""
    y = np.arange(len(shares))
    values = shares.to_numpy(dtype=float)
    bars = ax.barh(y, values, color=COLORS["bad"])
    ax.bar_label(bars, labels=[label.format(v, int(n)) for v, n in
                               zip(values, counts, strict=True)], fontsize=8)
    ax.set_yticks(y, list(shares.index))
    ax.set_xlim(0, max(float(np.nanmax(values)) * 1.4, least))


def _days(delay: pd.Timedelta) -> str:
    days = delay.total_seconds() / 86_400
    return f"{days:.1f} days" if days >= 1 else f"{delay.total_seconds() / 3600:.1f} hours"


def plot_disputes(result: Disputes, ax: Any = None) -> Any:
    """The dispute rate per currency (disputed over captured charges).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import disputes, simulate
    >>> plot_disputes(disputes(simulate(300, dispute_rate=0.05))).get_title()
    'Dispute rate per currency'
    """
    ax = _axes(ax)
    title = "Dispute rate per currency"
    if result.by_currency.empty:
        return _empty(ax, title, "no captured charges")
    _share_bars(ax, result.by_currency["dispute_rate"],
                result.by_currency["disputed_charges"], "{:.2%} ({})", 0.01)
    ax.set_xlabel("disputed share of captured charges")
    return _finish(ax, title)


def plot_money(result: Money, ax: Any = None) -> Any:
    """Per currency, gross split into what was kept and what was refunded (and fees,
    where the export gives them in that currency), as shares, labelled with the gross.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import money, simulate
    >>> plot_money(money(simulate(300, refund_rate=0.1))).get_title()
    'Gross, refunded and net per currency'
    """
    ax = _axes(ax)
    title = "Gross, refunded and net per currency"
    table = result.by_currency
    if table.empty:
        return _empty(ax, title, "no captured charges")
    gross = table["gross"].to_numpy(dtype=float)
    safe = np.where(gross > 0, gross, 1)
    fees = table["fees"].astype("Float64").fillna(0).to_numpy(dtype=float)
    refunded = table["refunded"].to_numpy(dtype=float)
    net = gross - refunded - fees
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for values, label, color in ((net, "net", COLORS["good"]),
                                 (refunded, "refunded", COLORS["bad"]),
                                 (fees, "fees", COLORS["muted"])):
        ax.barh(y, values / safe, left=left, color=color, label=label)
        left += values / safe
    for i, g in enumerate(gross):
        ax.text(1.01, i, f"gross {int(g):,}", va="center", fontsize=8)
    ax.set_yticks(y, list(table.index))
    ax.set_xlim(0, 1.35)
    ax.set_xlabel("share of gross (amounts in the smallest unit)")
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    return _finish(ax, title)


def plot_time_series(result: TimeSeries, ax: Any = None) -> Any:
    """Attempts authorised and declined per period, with the authorisation rate.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate, time_series
    >>> plot_time_series(time_series(simulate(300), freq="W")).get_title()
    'Attempts per week'
    """
    ax = _axes(ax)
    title = f"Attempts per {FREQUENCIES[result.freq]}"
    table = result.table
    if table.empty:
        return _empty(ax, title, "no rows")
    x = np.arange(len(table))
    authorised = table["authorised"].to_numpy(dtype=float)
    ax.bar(x, authorised, color=COLORS["good"], label="authorised")
    ax.bar(x, table["declined"].to_numpy(dtype=float), bottom=authorised, color=COLORS["bad"],
           label="declined")
    step = max(len(table) // 8, 1)
    ax.set_xticks(x[::step], [str(p).split("/")[0] for p in table.index[::step]], fontsize=8)
    ax.set_ylabel("attempts")
    rate_ax = ax.twinx()
    rate_ax.plot(x, table["authorisation_rate"].to_numpy(dtype=float), color=COLORS["text"],
                 marker=".", label="authorisation rate")
    rate_ax.set_ylim(0, 1.05)
    rate_ax.set_ylabel("authorisation rate")
    ax.legend(fontsize=8, loc="lower left")
    return _finish(ax, title)


def plot_cohorts(result: Cohorts, ax: Any = None) -> Any:
    """The retention triangle: share of each cohort that paid, period by period.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import cohorts, simulate
    >>> plot_cohorts(cohorts(simulate(300), freq="W")).get_title()
    'Customers who paid, by first week'
    """
    ax = _axes(ax)
    name = FREQUENCIES[result.freq]
    title = f"Customers who paid, by first {name}"
    if result.table.empty:
        return _empty(ax, title, "no customers")
    share = result.retention().astype(float).to_numpy()
    ax.imshow(np.ma.masked_invalid(share), cmap="Greens", vmin=0, vmax=1, aspect="auto")
    for (i, j), value in np.ndenumerate(share):
        if not np.isnan(value):  # a period after the log ends is left blank
            ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 else COLORS["text"])
    ax.set_xticks(range(share.shape[1]), [str(c) for c in result.table.columns])
    ax.set_yticks(range(share.shape[0]),
                  [f"{str(p).split('/')[0]} ({n})" for p, n in result.sizes.items()], fontsize=8)
    ax.set_xlabel(f"{name}s since the first")
    ax.set_title(title)
    return ax


def view_authorisation(log: Any, by: str | None = "card_brand", ax: Any = None) -> Any:
    """Compute and draw the authorisation rate by ``by`` in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_authorisation(simulate(200), by="card_funding").get_title()
    'Authorisation rate by card_funding'
    """
    return plot_authorisation(authorisation(log, by=by), ax=ax)


def view_money(log: Any, ax: Any = None) -> Any:
    """Compute and draw gross, refunded and net per currency in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_money(simulate(200)).get_xlabel()
    'share of gross (amounts in the smallest unit)'
    """
    return plot_money(money(log), ax=ax)


def view_time_series(log: Any, freq: str = "W", ax: Any = None) -> Any:
    """Compute and draw the attempts per period in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_time_series(simulate(200), freq="D").get_title()
    'Attempts per day'
    """
    return plot_time_series(time_series(log, freq=freq), ax=ax)


def view_cohorts(log: Any, freq: str = "M", ax: Any = None) -> Any:
    """Compute and draw the customer cohorts in one call.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from paykit.logs import simulate
    >>> view_cohorts(simulate(200), freq="W").get_xlabel()
    'weeks since the first'
    """
    return plot_cohorts(cohorts(log, freq=freq), ax=ax)


register_chart(Authorisation, plot_authorisation)
register_chart(CustomerRetries, plot_customer_retries)
register_chart(Refunds, plot_refunds)
register_chart(Disputes, plot_disputes)
register_chart(Money, plot_money)
register_chart(TimeSeries, plot_time_series)
register_chart(Cohorts, plot_cohorts)
