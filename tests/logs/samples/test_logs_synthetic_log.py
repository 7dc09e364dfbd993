"""simulate: realistic, reproducible, lawful paths, vectorised."""

from __future__ import annotations

import time

from paykit.logs import conformance, funnel, paths, simulate, time_in_status
from paykit.logs.arrays.log_schema import COLUMNS


def test_the_same_seed_gives_the_same_log():
    assert simulate(300, seed=4).equals(simulate(300, seed=4))
    assert not simulate(300, seed=4).equals(simulate(300, seed=5))


def test_simulated_paths_follow_the_lifecycle():
    assert conformance(simulate(3000, seed=2)).ok


def test_illegal_rate_adds_that_share_of_violating_intents():
    result = conformance(simulate(5000, seed=2, illegal_rate=0.04))
    assert 0.03 < result.summary["violating"] / 5000 < 0.05


def test_about_four_rows_per_intent_with_every_kind_of_payment():
    log = simulate(5000, seed=1)
    assert 3.3 < len(log) / 5000 < 4.3
    p = paths(log)
    assert p["needed_authentication"].any()
    assert (p["payment_method_type"] != "card").any()
    assert (p["declines"] > 1).any()  # declines and retries
    statuses = set(log["status"].dropna())
    assert {"requires_action", "processing", "requires_capture", "canceled"} <= statuses


def test_the_mix_is_tunable():
    only_cards = simulate(1000, seed=1, mix={"card_3ds": 0, "manual_capture": 0,
                                             "bank_debit": 0})
    assert funnel(only_cards).table.set_index("step").loc["needed_authentication",
                                                          "intents"] == 0
    assert "processing" not in time_in_status(only_cards).table.query("stays > 0").index


def test_the_log_has_the_normalised_schema():
    log = simulate(10)
    assert list(log.columns)[: len(COLUMNS)] == [c.name for c in COLUMNS]
    assert log["intent"].dtype == "category"


def test_a_hundred_thousand_intents_take_well_under_a_second_per_ten_thousand():
    start = time.perf_counter()
    simulate(100_000)
    assert time.perf_counter() - start < 5  # 1M in <= 10 s is measured by the benchmark


def test_no_intents_is_an_empty_log_every_analysis_accepts():
    from paykit.logs import analyse

    log = simulate(0)
    assert len(log) == 0 and "intent" in log.columns
    assert analyse(log).funnel.table["intents"].sum() == 0


def test_card_attempts_carry_brand_country_and_funding_and_every_intent_a_customer():
    log = simulate(500, seed=1)
    card_charge = log["charge"].notna() & (log["payment_method_type"] == "card")
    for column in ("card_brand", "card_country", "card_funding"):
        assert log.loc[card_charge, column].notna().all()
        assert log.loc[~card_charge, column].isna().all()
    assert log["customer"].notna().all()
    assert log.groupby("intent", observed=True)["customer"].nunique().max() == 1


def test_refunds_and_disputes_are_added_only_when_asked():
    plain = simulate(800, seed=2)
    assert not plain["event"].isin(["charge.refunded", "charge.dispute.created"]).any()
    log = simulate(800, seed=2, refund_rate=0.2, dispute_rate=0.1)
    refunded = log[log["event"] == "charge.refunded"]
    disputed = log[log["event"] == "charge.dispute.created"]
    assert 0.1 < len(refunded) / paths(log)["outcome"].eq("succeeded").sum() < 0.3
    assert (refunded["amount_refunded"] <= refunded["amount"]).all()
    assert (disputed["amount_disputed"] == disputed["amount"]).all()
    assert conformance(log).ok
    # the rows a seed gave before are all still there, unchanged
    kept = log[~log["event"].isin(["charge.refunded", "charge.dispute.created"])]
    assert kept[["intent", "time", "event", "status"]].reset_index(drop=True).equals(
        plain[["intent", "time", "event", "status"]].reset_index(drop=True))
