"""The read report: read == parsed + quarantined + out of scope, whatever the input."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs import read_events
from paykit.logs.readers.read_report import ReadReport

GOOD = json.dumps({"id": "evt_1", "object": "event", "type": "payment_intent.created",
                   "created": 1_767_225_600, "data": {"object": {
                       "id": "pi_1", "object": "payment_intent",
                       "status": "requires_payment_method", "amount": 100, "currency": "usd"}}})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.just(GOOD), st.text(
    st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\t\r\x00"),
    max_size=30)), max_size=12))
def test_every_line_is_either_parsed_or_quarantined(lines):
    """Any text (a file of control characters is binary: ``test_logs_damaged_files``)."""
    _, report = read_events("\n".join(lines).encode())
    assert report.rows_read == report.rows_parsed + report.rows_quarantined
    assert report.rows_parsed >= sum(1 for line in lines if line == GOOD)


def test_reasons_group_rows_by_kind():
    report = ReadReport()
    report.quarantine(2, "unknown currency 'zzz'", "a")
    report.quarantine(3, "unknown currency 'qqq'", "b")
    report.quarantine(4, "malformed JSON: Expecting value", "c")
    assert report.reasons().to_dict() == {"unknown currency": 2, "malformed JSON": 1}


def test_long_excerpts_are_cut():
    report = ReadReport()
    report.quarantine(1, "x", "y" * 1000)
    assert len(report.quarantined[0].raw) <= 120
