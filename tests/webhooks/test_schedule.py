"""The retry schedule: three retries over a few hours of sandbox clock."""

from __future__ import annotations

from paykit.webhooks.schedule import DEFAULT_TIMEOUT, MAX_ATTEMPTS, RETRY_DELAYS, retry_at


def test_a_delivery_is_tried_four_times_the_first_and_three_retries() -> None:
    assert MAX_ATTEMPTS == 4 and len(RETRY_DELAYS) == 3


def test_the_retries_back_off_and_end_within_a_few_hours() -> None:
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert 2 * 3600 <= sum(RETRY_DELAYS) <= 6 * 3600


def test_each_retry_counts_from_the_previous_attempt_and_none_follows_the_last() -> None:
    at, times = 0, []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        following = retry_at(at, attempt)
        if following is None:
            break
        times.append(following)
        at = following
    assert times == [900, 900 + 3600, 900 + 3600 + 10800]
    assert retry_at(0, MAX_ATTEMPTS) is None


def test_an_endpoint_has_ten_seconds_to_answer_by_default() -> None:
    assert DEFAULT_TIMEOUT == 10.0
