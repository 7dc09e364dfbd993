"""The attempts log: outcomes as the Dashboard shows them, and the table."""

from __future__ import annotations

from paykit.webhooks.attempts import Attempt, AttemptTable


def _attempt(status: int | None, error: str | None = None, event: str = "evt_1") -> Attempt:
    return Attempt(event, "we_1", 1, 100, 200, status, "ok", error, 1.5, "automatic", ())


def test_only_a_2xx_without_error_is_delivered() -> None:
    assert _attempt(204).ok and _attempt(200).outcome == "(200) OK"
    assert not _attempt(302).ok and _attempt(302).outcome == "(302) ERR"
    assert _attempt(None, "Timed out").outcome == "(Timed out) ERR"
    assert _attempt(None, "Unable to connect ([Errno 111] refused)").outcome == \
        "(Unable to connect) ERR"


def test_the_table_shows_the_event_type_and_leaves_out_what_varies_between_runs() -> None:
    table = AttemptTable([_attempt(200), _attempt(500, event="evt_2")],
                         {"evt_1": "charge.succeeded", "evt_2": "charge.failed"})
    text = str(table)
    assert text.splitlines()[0].split() == ["event", "type", "endpoint", "number", "at",
                                            "kind", "outcome", "body"]
    assert "charge.failed" in text and "(500) ERR" in text and "1.5" not in text
    assert "<td>charge.succeeded</td>" in table._repr_html_() and len(table) == 2


def test_columns_can_add_the_latency() -> None:
    table = AttemptTable([_attempt(200)], {}, ("event", "latency_ms"))
    assert table.rows() == [{"event": "evt_1", "latency_ms": 1.5}]
