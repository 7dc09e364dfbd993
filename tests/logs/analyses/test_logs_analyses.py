"""Paths, funnel, declines and time in status on a hand-made log with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from paykit.logs import declines, funnel, paths, time_in_status, variants


def test_paths_spell_each_intent_in_time_order(scenario_log):
    p = paths(scenario_log).set_index("intent")
    assert p.loc["pi_B", "path"] == (
        "requires_payment_method → requires_payment_method → requires_payment_method → succeeded"
    )
    assert p.loc["pi_C", "path"] == "requires_payment_method → requires_action → succeeded"
    assert p.loc["pi_E", "path"] == "requires_payment_method"


def test_attempts_count_confirmations_not_authentication_or_settlement(scenario_log):
    attempts = paths(scenario_log).set_index("intent")["attempts"].to_dict()
    assert attempts == {"pi_A": 1, "pi_B": 3, "pi_C": 1, "pi_D": 1, "pi_E": 0, "pi_F": 1}


def test_outcome_is_the_terminal_status_or_open(scenario_log):
    outcome = paths(scenario_log).set_index("intent")["outcome"].astype(str).to_dict()
    assert outcome == {"pi_A": "succeeded", "pi_B": "succeeded", "pi_C": "succeeded",
                       "pi_D": "canceled", "pi_E": "open", "pi_F": "succeeded"}


def test_paths_carry_amount_currency_and_payment_method_type(scenario_log):
    p = paths(scenario_log).set_index("intent")
    assert p.loc["pi_C", "amount"] == 2500 and p.loc["pi_C", "currency"] == "eur"
    assert p.loc["pi_F", "payment_method_type"] == "us_bank_account"


def test_variants_count_intents_per_distinct_path(scenario_log):
    v = variants(scenario_log)
    assert v["intents"].sum() == 6
    top = v.iloc[0]
    assert top["intents"] == 1 or top["path"].count("→") >= 0


def test_funnel_counts_created_attempted_authenticated_succeeded(scenario_log):
    table = funnel(scenario_log).table.set_index("step")
    assert table["intents"].to_dict() == {
        "created": 6, "attempted": 5, "needed_authentication": 1, "succeeded": 4,
    }
    assert table.loc["succeeded", "of_created"] == pytest.approx(4 / 6)
    assert table.loc["succeeded", "conversion"] == pytest.approx(4 / 5)  # from attempted


def test_funnel_by_currency_splits_groups(scenario_log):
    wide = funnel(scenario_log, by="currency").wide()
    assert wide.loc["created"].to_dict() == {"eur": 1, "usd": 5}
    assert wide.loc["needed_authentication", "eur"] == 1


def test_funnel_by_metadata_key_accepts_the_bare_key(pi_event):
    from paykit.logs import read_events

    events = [pi_event("pi_1", "payment_intent.created", 1_767_225_600, "requires_payment_method",
                       metadata={"plan": "pro"}),
              pi_event("pi_2", "payment_intent.created", 1_767_225_600, "requires_payment_method",
                       metadata={"plan": "free"})]
    log = read_events(events).log
    assert funnel(log, by="plan").wide().loc["created"].to_dict() == {"free": 1, "pro": 1}
    with pytest.raises(ValueError, match=r"no column 'tier'.*it has: status, event, currency"):
        funnel(log, by="tier")


def test_declines_count_codes_retries_and_recovery(scenario_log):
    d = declines(scenario_log)
    assert d.summary["declines"] == 3
    assert d.summary["declined_intents"] == 2
    assert d.summary["recovered_intents"] == 1
    assert d.summary["recovery_rate"] == pytest.approx(0.5)
    codes = d.codes
    assert codes.loc["insufficient_funds", "recovered"] == 1
    assert codes.loc["generic_decline", "recovered"] == 0
    assert d.retries["intents"].to_dict() == {0: 1, 2: 1}  # D never retried, B twice


def test_time_in_status_median_and_p90_per_status(scenario_log):
    table = time_in_status(scenario_log).table
    # requires_payment_method stays: 60, 100, 100, 200, 10, 30, 970, 5 seconds
    assert table.loc["requires_payment_method", "stays"] == 8
    assert table.loc["requires_payment_method", "median"] == pd.Timedelta(seconds=80)
    assert table.loc["requires_payment_method", "p90"] == pd.Timedelta(seconds=431)
    assert table.loc["requires_action", "median"] == pd.Timedelta(seconds=60)
    assert table.loc["processing", "median"] == pd.Timedelta(days=4)


def test_open_intents_are_counted_not_timed(scenario_log):
    table = time_in_status(scenario_log).table
    assert table.loc["requires_payment_method", "still_in"] == 1  # E never moved on
