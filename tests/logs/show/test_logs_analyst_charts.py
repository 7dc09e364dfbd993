"""The analysts' results draw themselves: one bar per group, labels that say the figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import paykit.logs as pl


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def log():
    return pl.simulate(600, seed=3, refund_rate=0.1, dispute_rate=0.05)


def test_authorisation_draws_a_bar_per_group_labelled_with_the_rate(log):
    result = pl.authorisation(log, by="card_funding")
    ax = result.plot()
    assert len(ax.patches) == len(result.table)
    labels = [t.get_text() for t in ax.texts]
    first = result.table.iloc[-1]  # drawn bottom up
    decided = int(first["authorised"] + first["declined"])
    assert labels[0] == f"{first['authorisation_rate']:.0%} of {decided:,}"


def test_money_stacks_net_refunded_and_fees_to_the_whole_gross(log):
    ax = pl.money(log).plot()
    per_currency = len(pl.money(log).by_currency)
    assert len(ax.patches) == 3 * per_currency
    widths = [p.get_width() for p in ax.patches]
    totals = [sum(widths[i::per_currency]) for i in range(per_currency)]
    assert totals == pytest.approx([1.0] * per_currency)


def test_refunds_and_disputes_draw_a_bar_per_currency(log):
    refunds, disputes = pl.refunds(log), pl.disputes(log)
    assert len(refunds.plot().patches) == len(refunds.by_currency)
    assert "median time to refund" in refunds.plot().get_title()
    assert len(disputes.plot().patches) == len(disputes.by_currency)


def test_time_series_stacks_authorised_and_declined_per_period(log):
    result = pl.time_series(log, freq="W")
    ax = result.plot()
    assert len(ax.patches) == 2 * len(result.table)
    heights = [p.get_height() for p in ax.patches]
    n = len(result.table)
    assert [a + d for a, d in zip(heights[:n], heights[n:], strict=True)] == (
        (result.table["authorised"] + result.table["declined"]).tolist())


def test_cohorts_leave_periods_after_the_log_blank(log):
    result = pl.cohorts(log, freq="W")
    ax = result.plot()
    assert len(ax.texts) == int(result.table.notna().sum().sum())


def test_retries_across_intents_draw_customers_who_paid_and_did_not(log):
    result = pl.customer_retries(log)
    ax = result.plot()
    retried = result.distribution[result.distribution.index > 0]
    assert len(ax.patches) == 2 * len(retried)


def test_a_result_with_nothing_to_draw_says_so():
    empty = pl.simulate(0)
    ax = pl.money(empty).plot()
    assert [t.get_text() for t in ax.texts] == ["no captured charges"]
    assert [t.get_text() for t in pl.authorisation(empty, by=None).plot().texts] == [
        "no payment attempts"]
