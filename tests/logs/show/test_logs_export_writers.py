"""Writers give files the readers read back to the same log."""

from __future__ import annotations

from paykit.logs import read_events, simulate, write_events


def test_events_written_and_read_back_are_the_same_log(tmp_path):
    log = simulate(200, seed=9)
    back, report = read_events(write_events(log, tmp_path / "e.jsonl.gz"))
    assert report.rows_quarantined == 0
    columns = ["intent", "time", "status", "event", "amount", "currency", "charge",
               "decline_code", "payment_method_type"]
    left = log[columns].astype(str).reset_index(drop=True)
    right = back[columns].astype(str).reset_index(drop=True)
    assert left.equals(right)
