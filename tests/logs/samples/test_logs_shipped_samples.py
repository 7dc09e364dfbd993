"""The shipped samples: a clean set that agrees, and a broken set for teaching."""

from __future__ import annotations

import pytest

from paykit.logs import conformance, read_sample, sample_path, write_samples
from paykit.logs.samples.shipped_samples import SAMPLES


@pytest.mark.parametrize("name", ["events", "objects", "payments"])
def test_the_clean_samples_read_without_quarantine_and_conform(name):
    log, report = read_sample(name)
    assert report.rows_quarantined == 0 and report.rows_read == report.rows_parsed
    assert conformance(log).ok
    assert log["intent"].nunique() == 60


def test_the_broken_events_sample_has_each_problem_on_its_line():
    _, report = read_sample("events_broken")
    reasons = {q.line: q.reason for q in report.quarantined}
    assert reasons[6].startswith("malformed JSON")
    assert reasons[7].startswith("impossible timestamp")
    assert reasons[8].startswith("unknown status")
    assert reasons[9].startswith("unknown currency")
    assert report.duplicates == 1
    assert dict(report.out_of_scope) == {"customer.created": 1}  # not an error: another kind
    assert report.rows_read == report.rows_parsed + report.rows_quarantined + 1
    assert report.balanced


def test_the_broken_events_sample_has_an_illegal_transition():
    log, _ = read_sample("events_broken")
    assert conformance(log).summary["illegal_transitions"] == 1


def test_the_broken_payments_sample_has_each_problem_on_its_line():
    _, report = read_sample("payments_broken")
    assert [q.line for q in report.quarantined] == [3, 4, 5, 6, 8]


def test_the_shipped_files_are_what_write_samples_makes(tmp_path):
    for path in write_samples(tmp_path):
        name = next(k for k, v in SAMPLES.items() if v == path.name)
        assert path.read_bytes() == sample_path(name).read_bytes()


def test_an_unknown_sample_is_a_clear_error():
    with pytest.raises(KeyError, match="no sample 'nope'"):
        sample_path("nope")
