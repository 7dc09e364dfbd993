"""Funnel, declines and time-in-status results draw themselves (matplotlib, Agg)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from paykit.logs import declines, funnel, simulate, time_in_status, view_funnel


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def log():
    return simulate(800, seed=6)


def test_funnel_draws_one_bar_per_step(log):
    ax = funnel(log).plot()
    assert len(ax.patches) == 4
    assert next(t.get_text() for t in ax.get_xticklabels()) == "created"


def test_a_grouped_funnel_draws_a_bar_per_group_and_step(log):
    ax = view_funnel(log, by="currency")
    groups = log["currency"].nunique()
    assert len(ax.patches) == 4 * groups
    assert ax.get_legend().get_title().get_text() == "currency"


def test_declines_draw_recovered_and_lost_per_code(log):
    result = declines(log)
    ax = result.plot()
    shown = min(10, len(result.codes))
    assert len(ax.patches) == 2 * shown
    assert {t.get_text() for t in ax.get_yticklabels()} == {
        f"{code} ({kind})" for code, kind in result.codes["kind"].iloc[:shown].items()}


def test_time_in_status_draws_the_statuses_that_have_stays(log):
    result = time_in_status(log)
    ax = result.plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert set(labels) == set(result.table.query("stays > 0").index)


def test_a_chart_draws_on_a_given_axes(log):
    _, ax = plt.subplots()
    assert funnel(log).plot(ax=ax) is ax
