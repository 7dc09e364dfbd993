"""The Refund table: its rows decide, the graph and the docs read it like any machine."""

from __future__ import annotations

import pytest

from paykit.graph import graph_model, state_graph, to_mermaid
from paykit.machine import MoveRefused
from paykit.refund_lifecycle import (
    REFUND,
    RefundAction,
    RefundAttempt,
    RefundStatus,
    refund_events,
)


def test_every_question_has_exactly_one_answer():
    assert REFUND.check_decisions() > 0  # raises on an overlap or a gap


@pytest.mark.parametrize(("behaviour", "status"), [
    ("immediate", RefundStatus.SUCCEEDED),
    ("fails_later", RefundStatus.SUCCEEDED),
    ("pending", RefundStatus.PENDING),
    ("needs_customer_details", RefundStatus.REQUIRES_ACTION),
])
def test_creation_leads_where_the_payment_method_says(behaviour, status):
    row = REFUND.decide(None, RefundAction.CREATE, RefundAttempt(behaviour))
    assert row.target is status
    assert row.events[0] == "refund.created"
    assert row.url.startswith("https://docs.stripe.com/")


def test_only_a_refund_waiting_for_the_customer_can_be_canceled():
    assert REFUND.sources_of(RefundAction.CANCEL) == (RefundStatus.REQUIRES_ACTION,)
    for status in (RefundStatus.PENDING, RefundStatus.SUCCEEDED):
        with pytest.raises(MoveRefused):
            REFUND.decide(status, RefundAction.CANCEL, RefundAttempt())
    row = REFUND.decide(RefundStatus.REQUIRES_ACTION, RefundAction.CANCEL, RefundAttempt())
    assert row.target is RefundStatus.CANCELED and row.sets["failure_reason"]


def test_failed_and_canceled_are_final():
    assert REFUND.terminal == {RefundStatus.FAILED, RefundStatus.CANCELED}
    assert REFUND.initial_statuses == {RefundStatus.SUCCEEDED, RefundStatus.PENDING,
                                       RefundStatus.REQUIRES_ACTION}


def test_events_before_acacia_are_the_charge_refund_ones():
    created = ("refund.created", "charge.refunded")
    assert refund_events(created, "2026-09-30.endive") == created
    assert refund_events(created, "2024-09-30.acacia") == ("charge.refunded",)
    updated = ("refund.updated", "charge.refund.updated")
    assert refund_events(updated, "2024-06-20") == ("charge.refund.updated",)
    assert refund_events(("refund.failed",), "2024-10-28.acacia") == ("refund.failed",)


def test_the_graph_draws_the_refund_table():
    model = graph_model(machine=REFUND, highlight="pending")
    assert {n.id for n in model.nodes} == {"start", *(s.value for s in RefundStatus)}
    assert model.node("pending").styles == ("initial", "current")
    assert model.edge("requires_action", "canceled").actions == ("cancel",)
    assert model.edge("pending", "succeeded").triggers == ("stripe",)
    assert len(model.edges) == len(REFUND.rows)
    assert model.description == "Refund state graph: current=pending"
    assert state_graph(machine=REFUND).source.splitlines()[0] == "digraph refund {"
    assert "requires_action -->|\"cancel\"| canceled" in to_mermaid(model)


def test_a_path_the_table_does_not_allow_is_drawn_illegal():
    model = graph_model(machine=REFUND, path=["succeeded", "pending"])
    assert not model.edge("succeeded", "pending").legal
    with pytest.raises(ValueError, match="unknown Refund status"):
        graph_model(machine=REFUND, highlight="requires_capture")


def test_the_docs_table_lists_every_row_with_its_source():
    text = REFUND.markdown_table()
    assert text.count("\n") == len(REFUND.rows) + 1
    assert "| `requires_action` | cancel (api) | `canceled` |" in text
