"""transition_stats: what comes back from each partition is counts, not rows per intent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from paykit.logs import simulate, time_in_status
from paykit.logs.analyses.transition_stats import (
    TransitionStats,
    stay_figures,
    transition_stats,
)


def _twice(log: pd.DataFrame) -> pd.DataFrame:
    """The same intents again under other ids: twice the intents, the same time span."""
    copy = log.assign(intent=log["intent"].astype(str) + "_copy")
    return pd.concat([log.assign(intent=log["intent"].astype(str)), copy], ignore_index=True)


def test_stays_come_back_as_value_counts_that_do_not_grow_with_the_intents():
    log = simulate(500, seed=4)
    once, twice = transition_stats(log), transition_stats(_twice(log))
    assert twice.intents == 2 * once.intents
    assert np.array_equal(twice.durations, once.durations)  # the same distinct stays
    assert np.array_equal(twice.duration_counts, 2 * once.duration_counts)
    assert time_in_status(_twice(log)).table["median"].equals(
        time_in_status(log).table["median"])


def test_partial_results_add_up_to_the_whole():
    log = simulate(400, seed=5)
    ids = log["intent"].astype(str)
    halves = [transition_stats(log[ids < "pi_sim0000000200"]),
              transition_stats(log[ids >= "pi_sim0000000200"])]
    whole, combined = transition_stats(log), TransitionStats.combine(halves)
    assert np.array_equal(whole.counts, combined.counts)
    for field in ("durations", "duration_status", "duration_counts"):
        assert np.array_equal(getattr(whole, field), getattr(combined, field)), field


def test_the_median_stay_is_numpys_median_of_every_stay():
    log = simulate(300, seed=6)
    stats = transition_stats(log)
    code = int(stats.duration_status[0])
    every = np.repeat(stats.durations[stats.duration_status == code],
                      stats.duration_counts[stats.duration_status == code])
    table = time_in_status(log).table
    expected = pd.to_timedelta(np.percentile(every, 50), unit="ns").round("s")
    assert table["median"].iloc[code] == expected


def test_summarised_statistics_keep_the_figures_of_time_in_status():
    from paykit.logs.analyses.time_in_status import time_in_status_from_stats

    stats = transition_stats(simulate(500, seed=4))
    short = stats.summarised()
    assert len(short.durations) == len(short.duration_counts) == 0
    np.testing.assert_equal(short.figures, stay_figures(stats))  # NaN where no stay
    assert time_in_status_from_stats(short).table.equals(
        time_in_status_from_stats(stats).table)
    with pytest.raises(ValueError, match="cannot be combined"):
        TransitionStats.combine([short, stats])
