"""The process map is paykit.graph.state_graph drawn with the log's counts."""

from __future__ import annotations

import pytest

from paykit.logs import discover_process_map, process_map, simulate, transition_counts

pytest.importorskip("graphviz")


def test_counts_include_creation_and_every_observed_move(scenario_log):
    counts = discover_process_map(scenario_log)
    assert counts[(None, "requires_payment_method")] == 6
    assert counts[("requires_payment_method", "requires_payment_method")] == 3
    assert counts[("processing", "succeeded")] == 1


def test_illegal_moves_are_marked_not_allowed():
    frame = transition_counts(simulate(500, seed=2, illegal_rate=0.1))
    illegal = frame[~frame["allowed"]]
    assert illegal[["source", "target"]].values.tolist() == [["succeeded",
                                                               "requires_payment_method"]]


def test_the_map_draws_illegal_moves_in_their_own_style():
    from paykit.graph import STYLES

    graph = process_map(simulate(500, seed=2, illegal_rate=0.1))
    edge = next(line for line in graph.source.splitlines()
                if "succeeded -> requires_payment_method" in line)
    illegal_colour = STYLES["illegal"]["edge"]["color"]
    assert illegal_colour in edge
