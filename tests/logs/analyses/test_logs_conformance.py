"""Conformance reads the lifecycle table: illegal moves and late starts are found."""

from __future__ import annotations

import numpy as np
import pandas as pd

from paykit.lifecycle import Status, can_transition
from paykit.logs import conformance, read_events, simulate
from paykit.logs.arrays.transition_rules import ALLOWED, STATUSES

T0 = 1_767_225_600


def test_allowed_matrix_is_the_lifecycle_table():
    for i, source in enumerate(STATUSES):
        for j, target in enumerate(STATUSES):
            assert ALLOWED[i, j] == can_transition(source, target)


def test_a_clean_log_conforms(scenario_log):
    result = conformance(scenario_log)
    assert result.ok
    assert result.summary["fitness"] == 1.0


def test_succeeded_then_requires_payment_method_is_a_violation(pi_event):
    events = [
        pi_event("pi_X", "payment_intent.created", T0, "requires_payment_method"),
        pi_event("pi_X", "payment_intent.succeeded", T0 + 5, "succeeded"),
        pi_event("pi_X", "payment_intent.payment_failed", T0 + 50, "requires_payment_method",
                 decline="do_not_honor"),
        pi_event("pi_Y", "payment_intent.created", T0, "requires_payment_method"),
    ]
    result = conformance(read_events(events).log)
    assert len(result.violations) == 1
    v = result.violations.iloc[0]
    assert (v["intent"], v["source"], v["target"]) == ("pi_X", "succeeded",
                                                       "requires_payment_method")
    assert v["time"].timestamp() == T0 + 50
    assert v["reason"] == "succeeded is terminal: nothing may follow it"
    assert v["source_line"] == 3
    assert result.summary["violating"] == 1 and result.summary["conforming"] == 1


def test_a_move_no_row_makes_is_explained(pi_event):
    events = [
        pi_event("pi_X", "payment_intent.created", T0, "requires_payment_method"),
        pi_event("pi_X", "payment_intent.processing", T0 + 5, "processing"),
        pi_event("pi_X", "payment_intent.requires_action", T0 + 9, "requires_action"),
    ]
    v = conformance(read_events(events).log).violations.iloc[0]
    assert v["kind"] == "illegal_transition"
    assert v["reason"] == "no lifecycle row leads from processing to requires_action"
    assert not can_transition(Status.PROCESSING, Status.REQUIRES_ACTION)


def test_a_log_that_starts_mid_lifecycle_is_a_late_start_unless_allowed(pi_event):
    events = [pi_event("pi_X", "payment_intent.succeeded", T0, "succeeded")]
    log = read_events(events).log
    assert conformance(log).violations.loc[0, "kind"] == "late_start"
    assert conformance(log, require_creation=False).ok


def test_requires_confirmation_is_a_valid_first_status(pi_event):
    events = [pi_event("pi_X", "payment_intent.created", T0, "requires_confirmation"),
              pi_event("pi_X", "payment_intent.succeeded", T0 + 1, "succeeded")]
    assert conformance(read_events(events).log).ok


def test_injected_illegal_events_are_all_found():
    log = simulate(2000, seed=3, illegal_rate=0.05)
    result = conformance(log)
    injected = log[(log["event"] == "payment_intent.payment_failed")
                   & log.groupby("intent", observed=True)["status"].shift().eq("succeeded")]
    assert result.summary["illegal_transitions"] == len(injected) > 0
    assert set(result.by_transition["source"]) == {"succeeded"}


def test_conformance_checks_without_python_loops_over_a_shuffled_log():
    log = simulate(3000, seed=1, illegal_rate=0.02)
    shuffled = log.sample(frac=1, random_state=np.random.default_rng(0)).reset_index(drop=True)
    a, b = conformance(log), conformance(shuffled)
    assert a.summary.equals(b.summary)
    assert a.violations.drop(columns="source_line").equals(
        b.violations.drop(columns="source_line"))


def test_examples_cap_the_list_but_not_the_counts(tmp_path):
    log = simulate(2000, seed=3, illegal_rate=0.05)
    full = conformance(log)
    capped = conformance(log, examples=3, out=tmp_path / "all")
    assert full.complete and not capped.complete and len(capped.violations) == 3
    assert capped.summary.equals(full.summary) and not capped.ok
    pd.testing.assert_frame_equal(capped.by_transition, full.by_transition)
    written = pd.read_parquet(tmp_path / "all" / "part-00000.parquet")
    assert len(written) == len(full.violations)
    assert written["intent"].tolist() == full.violations["intent"].tolist()
