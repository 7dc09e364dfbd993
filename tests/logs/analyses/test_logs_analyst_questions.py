"""The analysts' questions on a hand-built Dashboard export whose answers are worked out
by hand (issue #16, item 3): authorisation by brand, country, funding and method type;
hard and soft declines; retries per customer; refunds; disputes; money; time series and
cohorts.

The export (an "All columns" subset, Default names):

========  ======  =====  ==========  =======================  ===================
intent    charge  when   card        outcome                  money
========  ======  =====  ==========  =======================  ===================
pi_1      ch_1    01-05  visa/FR/cr  paid (cus_a)             10 eur, 5 refunded 2 days later
pi_2      ch_2a   01-06  visa/US/db  insufficient_funds       20 usd (cus_b)
pi_2      ch_2b   01-06  mc/US/db    paid
pi_3      ch_3    01-13  mc/US/cr    lost_card (cus_b)
pi_4      ch_4    01-20  visa/US/cr  paid (cus_b), disputed   30 usd, fraudulent
pi_5      ch_5    02-03  (bank)      pending (cus_c)          15 usd
pi_6      ch_6    02-10  amex/DE/cr  paid (cus_a), refunded   50 eur, in full 12 hours later
========  ======  =====  ==========  =======================  ===================

The account's currency (``Converted Currency``) is usd; fees are in it.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

import paykit.logs as pl
from paykit.decline_codes import DECLINE_CODES
from tests.logs.conftest import T0

HEADER = ["id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured",
          "Converted Amount", "Converted Amount Refunded", "Converted Currency",
          "Decline Reason", "Fee", "PaymentIntent ID", "Payment Source Type",
          "Refunded date (UTC)", "Status", "Card Brand", "Card Funding", "Card Issue Country",
          "Customer ID", "Disputed Amount", "Dispute Reason", "Dispute Status"]


def _row(charge, intent, when, amount, currency, status, brand, funding, country, customer,
         converted, fee, *, refunded="0.00", converted_refunded="0.00", refunded_at="",
         decline="", method="card", disputed="", reason="", dispute_status=""):
    return [charge, when, amount, refunded, currency, "true", converted, converted_refunded,
            "usd", decline, fee, intent, method, refunded_at, status, brand, funding, country,
            customer, disputed, reason, dispute_status]


ROWS = [
    _row("ch_1", "pi_1", "2026-01-05 10:00:00", "10.00", "eur", "Paid", "Visa", "credit", "FR",
         "cus_a", "11.00", "0.62", refunded="5.00", converted_refunded="5.50",
         refunded_at="2026-01-07 10:00:00"),
    _row("ch_2a", "pi_2", "2026-01-06 09:00:00", "20.00", "usd", "Failed", "Visa", "debit",
         "US", "cus_b", "20.00", "0.00", decline="insufficient_funds"),
    _row("ch_2b", "pi_2", "2026-01-06 09:30:00", "20.00", "usd", "Paid", "MasterCard", "debit",
         "US", "cus_b", "20.00", "0.88"),
    _row("ch_3", "pi_3", "2026-01-13 12:00:00", "30.00", "usd", "Failed", "MasterCard",
         "credit", "US", "cus_b", "30.00", "0.00", decline="lost_card"),
    _row("ch_4", "pi_4", "2026-01-20 12:00:00", "30.00", "usd", "Paid", "Visa", "credit", "US",
         "cus_b", "30.00", "1.17", disputed="30.00", reason="fraudulent",
         dispute_status="needs_response"),
    _row("ch_5", "pi_5", "2026-02-03 08:00:00", "15.00", "usd", "Pending", "", "", "",
         "cus_c", "15.00", "", method="us_bank_account"),
    _row("ch_6", "pi_6", "2026-02-10 08:00:00", "50.00", "eur", "Refunded", "American Express",
         "credit", "DE", "cus_a", "55.00", "1.50", refunded="50.00", converted_refunded="55.00",
         refunded_at="2026-02-10 20:00:00"),
]


def export(rows=ROWS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def log():
    log, report = pl.read_dashboard_csv(export())
    assert report.rows_parsed == len(ROWS) and not report.quarantined
    return log


def _rates(table):
    return {str(k): (int(r.attempts), int(r.authorised), int(r.declined), int(r.pending))
            for k, r in table.iterrows()}


def test_the_export_keeps_money_refund_and_dispute_columns_typed(log):
    rows = log[log["charge"].notna()].set_index("charge")
    assert rows.loc["ch_1", "converted_amount"] == 1100
    assert rows.loc["ch_6", "converted_amount_refunded"] == 5500
    assert rows.loc["ch_1", "converted_currency"] == "usd"
    assert rows.loc["ch_1", "refunded_at"] == pd.Timestamp("2026-01-07 10:00:00", tz="UTC")
    assert rows.loc["ch_4", "amount_disputed"] == 3000
    assert (rows.loc["ch_4", "dispute_reason"], rows.loc["ch_4", "dispute_status"]) == (
        "fraudulent", "needs_response")
    assert str(log["refunded_at"].dtype) == "datetime64[ns, UTC]"
    assert log["amount_disputed"].dtype == "Int64"


def test_an_impossible_refunded_date_is_quarantined_with_its_line():
    bad = list(ROWS[0])
    bad[HEADER.index("Refunded date (UTC)")] = "not a date"
    _log, report = pl.read_dashboard_csv(export([ROWS[1], bad]))
    assert [(q.line, q.reason) for q in report.quarantined] == [
        (3, "impossible refunded date 'not a date'")]
    assert report.rows_read == report.rows_parsed + report.rows_quarantined


def test_authorisation_rate_by_card_brand(log):
    result = pl.authorisation(log, by="card_brand")
    assert _rates(result.table) == {"visa": (3, 2, 1, 0), "mastercard": (2, 1, 1, 0),
                                    "american express": (1, 1, 0, 0), "(none)": (1, 0, 0, 1)}
    assert result.table.loc["visa", "authorisation_rate"] == pytest.approx(2 / 3)
    assert np.isnan(result.table.loc["(none)", "authorisation_rate"])  # nothing decided
    assert str(result) == "4 of 6 decided attempts authorised (66.7%)"


def test_authorisation_rate_by_issuing_country_funding_and_method_type(log):
    assert _rates(pl.authorisation(log, by="Card Issue Country").table) == {
        "US": (4, 2, 2, 0), "FR": (1, 1, 0, 0), "DE": (1, 1, 0, 0), "(none)": (1, 0, 0, 1)}
    assert _rates(pl.authorisation(log, by="card_funding").table) == {
        "credit": (4, 3, 1, 0), "debit": (2, 1, 1, 0), "(none)": (1, 0, 0, 1)}
    assert _rates(pl.authorisation(log, by="Payment Source Type").table) == {
        "card": (6, 4, 2, 0), "us_bank_account": (1, 0, 0, 1)}
    assert _rates(pl.authorisation(log, by=None).table) == {"all": (7, 4, 2, 1)}


def test_authorisation_by_an_unknown_column_lists_the_columns_there_are(log):
    with pytest.raises(ValueError, match=r"no column 'bin'.*it has: .*card_brand.*card_country"):
        pl.authorisation(log, by="bin")


def test_declines_are_split_hard_and_soft_with_stripes_next_step(log):
    result = pl.declines(log)
    assert result.codes.loc["insufficient_funds", "kind"] == "soft"
    assert result.codes.loc["lost_card", "kind"] == "hard"
    assert result.codes.loc["lost_card", "next_step"] == DECLINE_CODES["lost_card"].next_step
    kinds = result.kinds[["declines", "intents", "recovered"]].astype(int)
    assert kinds.to_dict("index") == {
        "hard": {"declines": 1, "intents": 1, "recovered": 0},
        "soft": {"declines": 1, "intents": 1, "recovered": 1},
        "unknown": {"declines": 0, "intents": 0, "recovered": 0}}
    assert (result.summary["hard_declines"], result.summary["soft_declines"]) == (1, 1)


def test_a_code_the_table_does_not_know_is_an_unknown_kind(log):
    rows = [list(r) for r in ROWS[1:3]]
    rows[0][HEADER.index("Decline Reason")] = "brand_new_code"
    codes = pl.declines(pl.read_dashboard_csv(export(rows)).log).codes
    assert codes.loc["brand_new_code", "kind"] == "unknown"
    assert codes.loc["brand_new_code", "next_step"] is None


def test_retries_per_customer_across_intents(log):
    result = pl.customer_retries(log)
    cus_b = result.per_customer.loc["cus_b"]
    assert cus_b[["intents", "attempts", "declines", "failed_intents", "succeeded_intents",
                  "retries_across_intents"]].tolist() == [3, 4, 2, 1, 2, 1]
    assert bool(cus_b["recovered"])
    assert result.per_customer.loc["cus_a", "retries_across_intents"] == 0
    assert result.summary[["customers", "retrying_customers", "recovered_customers"]
                          ].tolist() == [3, 1, 1]
    assert result.distribution["customers"].to_dict() == {0: 2, 1: 1}


def test_a_log_without_customers_says_so(pi_event):
    log = pl.read_events(json.dumps([pi_event("pi_1", "payment_intent.created", T0,
                                              "requires_payment_method")]).encode()).log
    assert str(pl.customer_retries(log)) == "no customer ids in the log (1 intents)"


def test_refunds_rate_amount_and_time_to_refund(log):
    result = pl.refunds(log)
    s = result.summary
    assert (s["paid_charges"], s["refunded_charges"], s["fully_refunded"]) == (4, 2, 1)
    assert s["refund_rate"] == 0.5
    assert result.by_currency.loc["eur", ["amount_paid", "amount_refunded"]].tolist() == [
        6000, 5500]
    delays = result.time_to_refund.set_index("charge")["time_to_refund"]
    assert delays.to_dict() == {"ch_1": pd.Timedelta(days=2), "ch_6": pd.Timedelta(hours=12)}
    assert s["median_time_to_refund"] == pd.Timedelta(hours=30)


def test_disputes_rate_and_amount(log):
    result = pl.disputes(log)
    assert str(result) == "1 of 4 captured charges disputed (25.00%)"
    usd = result.by_currency.loc["usd"]
    assert usd[["captured_charges", "disputed_charges", "amount_captured",
                "amount_disputed"]].tolist() == [2, 1, 5000, 3000]
    assert usd["dispute_rate"] == 0.5
    assert result.by_currency.loc["eur", "disputed_charges"] == 0
    assert result.by_reason["disputes"].to_dict() == {("fraudulent", "needs_response"): 1}


def test_money_gross_refunded_fees_net_per_currency_and_converted(log):
    result = pl.money(log)
    eur, usd = result.by_currency.loc["eur"], result.by_currency.loc["usd"]
    assert eur[["captured_charges", "gross", "refunded", "net_of_refunds"]].tolist() == [
        2, 6000, 5500, 500]
    assert pd.isna(eur["fees"]) and pd.isna(eur["net"])  # its fees are in usd
    assert usd[["gross", "refunded", "fees", "net"]].tolist() == [5000, 0, 205, 4795]
    converted = result.converted.loc["usd"]
    assert converted[["captured_charges", "gross", "refunded", "fees", "net"]].tolist() == [
        4, 11600, 6050, 417, 5133]


def test_time_series_by_day_week_and_month(log):
    month = pl.time_series(log, freq="M").table
    assert [str(p) for p in month.index] == ["2026-01", "2026-02"]
    assert month[["intents", "succeeded", "attempts", "authorised", "declined", "refunded",
                  "disputed"]].values.tolist() == [[4, 3, 5, 3, 2, 1, 1], [2, 1, 2, 1, 0, 1, 0]]
    assert month["authorisation_rate"].tolist() == [0.6, 1.0]
    week = pl.time_series(log, freq="W").table
    assert week["intents"].tolist() == [2, 1, 1, 0, 1, 1]  # the empty week is shown
    day = pl.time_series(log, freq="D").table
    assert len(day) == 37 and day["intents"].sum() == 6


def test_cohorts_by_month_of_the_first_intent(log):
    result = pl.cohorts(log, freq="M")
    assert result.sizes.to_dict() == {pd.Period("2026-01", "M"): 2,
                                      pd.Period("2026-02", "M"): 1}
    assert result.table.iloc[0].tolist() == [2, 1]  # cus_a and cus_b paid, then cus_a
    assert result.table.iloc[1, 0] == 0 and pd.isna(result.table.iloc[1, 1])  # not yet seen
    assert result.retention().iloc[0].tolist() == [1.0, 0.5]


def test_an_unknown_period_is_refused_with_the_ones_there_are(log):
    with pytest.raises(ValueError, match="freq 'Y' is not one of D, W, M"):
        pl.time_series(log, freq="Y")
    with pytest.raises(ValueError, match="freq 'Q'"):
        pl.cohorts(log, freq="Q")


def test_analyse_answers_every_question_at_once(log):
    result = pl.analyse(log, by="Customer ID")
    assert list(result.authorisation) == ["customer", "card_brand", "card_country",
                                          "card_funding", "payment_method_type"]
    assert result.authorisation["card_brand"].table.equals(
        pl.authorisation(log, by="card_brand").table)
    assert result.money.converted.equals(pl.money(log).converted)
    assert result.time_series.table.equals(pl.time_series(log, freq="W").table)
    text = result.summary()
    for line in ("by card_brand: 4 of 6 decided attempts authorised (66.7%)",
                 "1 of 4 captured charges disputed (25.00%)",
                 "3 customers; 1 retried with a new intent after a failed one"):
        assert line in text


def test_events_give_refund_times_and_dispute_rows(scenario, charge_event):
    refund = charge_event("pi_A", "charge.refunded", T0 + 60 + 3600, "ch_A1",
                          amount_refunded=1000)
    dispute = {"id": "evt_dp", "object": "event", "type": "charge.dispute.created",
               "created": T0 + 9000, "data": {"object": {
                   "id": "dp_1", "object": "dispute", "charge": "ch_C1",
                   "payment_intent": "pi_C", "amount": 2500, "currency": "eur",
                   "reason": "fraudulent", "status": "needs_response"}}}
    log, report = pl.read_events(json.dumps([*scenario, refund, dispute]).encode())
    assert not report.out_of_scope and not report.quarantined
    row = log[log["event"] == "charge.dispute.created"].iloc[0]
    assert (row["intent"], row["charge"], row["amount_disputed"]) == ("pi_C", "ch_C1", 2500)
    assert pd.isna(row["status"])  # a dispute shows no PaymentIntent status
    assert pl.refunds(log).time_to_refund["time_to_refund"].tolist() == [pd.Timedelta(hours=1)]
    assert str(pl.disputes(log)) == "1 of 4 captured charges disputed (25.00%)"
    assert pl.conformance(log).ok  # the new rows change no path
