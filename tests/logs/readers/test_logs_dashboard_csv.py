"""read_dashboard_csv: every export variant seen in published exports, found by column name."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paykit.logs import funnel, read_dashboard_csv
from paykit.logs.readers.dashboard_csv import _repeats

# Header lines as real exports have them, from files published in public repositories:
# H1 the Default set, 2025-2026 (github.com/DataScience-GT/query, unified_payments.csv);
# H2 the first 24 of the 83 "All columns", 2024 (github.com/Liam-Dupeyron/AnswersAi_data_science,
# unified_payments.csv); H5 the Default set, 2023 (github.com/kanema20/primeorca,
# unified_payments.csv); H9 a custom set saved with ";"
# (github.com/streaming-overlays/stripe-country-revenue-calculator, payments.csv).
H1 = ("id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
      "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,"
      "Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,"
      "Customer ID,Customer Description,Customer Email,Invoice ID,Transfer")
H2 = ("id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,"
      "Converted Amount Refunded,Converted Currency,Decline Reason,Description,Fee,Is Link,"
      "Link Funding,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),"
      "Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Card Name")
H5 = ("id,Description,Seller Message,Created (UTC),Amount,Amount Refunded,Currency,"
      "Converted Amount,Converted Amount Refunded,Fee,Taxes On Fee,Converted Currency,Status,"
      "Statement Descriptor,Customer ID,Customer Description,Customer Email,Captured,Card ID,"
      "Invoice ID,Transfer")
H9 = ("Created date (UTC);Amount;Currency;Captured;Converted Amount;Converted Currency;Fee;"
      "Payment Source Type;Status;Taxes On Fee;Card Address Country;Card Funding;"
      "Card Issue Country;Customer ID;Invoice Number")


def csv_text(header: str, *rows: dict[str, str], delimiter: str = ",") -> bytes:
    names = header.split(delimiter)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([row.get(n, "") for n in names] for row in rows)
    return out.getvalue().encode()


def _check(report):
    assert report.rows_read == report.rows_parsed + report.rows_quarantined


def test_default_export_reads_statuses_amounts_and_infers_intents():
    data = csv_text(H1,
        {"id": "ch_1", "Created date (UTC)": "2026-01-17 22:05:40", "Amount": "9.99",
         "Currency": "usd", "Captured": "true", "Status": "Paid", "Invoice ID": "in_1"},
        {"id": "ch_2", "Created date (UTC)": "2026-01-15 10:00:00", "Amount": "9.99",
         "Currency": "usd", "Captured": "false", "Status": "Failed",
         "Decline Reason": "insufficient_funds", "Invoice ID": "in_1"})
    log, report = read_dashboard_csv(data)
    _check(report)
    assert report.rows_parsed == 2
    assert set(log["intent"].astype(str)) == {"in_1"}  # retries of one invoice
    assert log["intent_inferred"].all()
    rows = log[~log["synthetic"]]
    assert rows["status"].tolist() == ["requires_payment_method", "succeeded"]
    assert rows["amount"].tolist() == [999, 999]
    assert rows["decline_code"].tolist()[0] == "insufficient_funds"


def test_without_invoice_each_attempt_is_its_own_intent():
    data = csv_text(H1,
        {"id": "ch_1", "Created date (UTC)": "2026-01-17 22:05:40", "Amount": "5.00",
         "Currency": "usd", "Captured": "true", "Status": "Paid"},
        {"id": "ch_2", "Created date (UTC)": "2026-01-17 22:05:41", "Amount": "5.00",
         "Currency": "usd", "Captured": "true", "Status": "Paid"})
    log, _ = read_dashboard_csv(data)
    assert sorted(log["intent"].astype(str).unique()) == ["ch_1", "ch_2"]


def test_all_columns_export_groups_by_payment_intent_id_and_reads_pi_rows():
    data = csv_text(H2,
        {"id": "ch_1", "Created date (UTC)": "2024-09-02 10:00:00", "Amount": "20.00",
         "Currency": "usd", "Status": "Failed", "PaymentIntent ID": "pi_1",
         "Decline Reason": "do_not_honor", "Payment Source Type": "card"},
        {"id": "", "Created date (UTC)": "2024-09-02 09:59:00", "Amount": "20.00",
         "Currency": "usd", "Status": "requires_payment_method", "PaymentIntent ID": "pi_1"},
        {"id": "", "Created date (UTC)": "2024-09-03 09:00:00", "Amount": "20.00",
         "Currency": "usd", "Status": "canceled", "PaymentIntent ID": "pi_2"})
    log, report = read_dashboard_csv(data)
    _check(report)
    assert not log["intent_inferred"].any()
    one = log[log["intent"] == "pi_1"]
    assert one["status"].tolist() == ["requires_payment_method", "requires_payment_method"]
    assert one["synthetic"].tolist() == [True, False]
    assert one.iloc[0]["time"].strftime("%H:%M") == "09:59"  # created at the PI row's date
    two = log[log["intent"] == "pi_2"]
    assert two["status"].tolist() == ["requires_payment_method", "canceled"]
    assert one["payment_method_type"].dropna().tolist() == ["card"]


def test_a_pi_row_saying_the_last_attempt_failed_counts_as_a_declined_attempt():
    message = ("The latest payment attempt of this PaymentIntent has failed or been canceled, "
               "and the attached payment method has been removed.")
    data = csv_text(H2, {"id": "", "Created date (UTC)": "2024-09-02 09:59:00",
                         "Amount": "20.00", "Currency": "usd",
                         "Status": "requires_payment_method", "PaymentIntent ID": "pi_1",
                         "Seller Message": message})
    from paykit.logs import paths

    p = paths(read_dashboard_csv(data).log).iloc[0]
    assert (p["attempts"], p["declines"]) == (1, 1)


def test_old_export_with_created_utc_and_minute_timestamps():
    data = csv_text(H5,
        {"id": "ch_1", "Created (UTC)": "2023-08-01 12:34", "Amount": "750.00",
         "Amount Refunded": "195.00", "Currency": "usd", "Status": "Paid", "Captured": "true"},
        {"id": "ch_2", "Created (UTC)": "2023-08-02 08:00", "Amount": "10.00",
         "Amount Refunded": "10.00", "Currency": "usd", "Status": "Refunded", "Captured": "true"})
    log, report = read_dashboard_csv(data)
    _check(report)
    rows = log[~log["synthetic"]].set_index("charge")
    assert rows.loc["ch_1", "time"].strftime("%Y-%m-%d %H:%M:%S") == "2023-08-01 12:34:00"
    assert rows.loc["ch_1", "amount_refunded"] == 19500  # partial refund keeps Paid
    assert rows.loc["ch_2", "status"] == "succeeded" and rows.loc["ch_2", "event"] == \
        "charge.refunded"


def test_semicolon_delimiter_with_comma_decimals():
    data = csv_text(H9, {"Created date (UTC)": "2024-06-01 10:00:00", "Amount": "399,00",
                         "Currency": "eur", "Captured": "TRUE", "Status": "Paid",
                         "Payment Source Type": "card"}, delimiter=";")
    log, report = read_dashboard_csv(data)
    _check(report)
    assert log.loc[~log["synthetic"], "amount"].tolist() == [39900]
    assert log["intent"].astype(str).str.startswith("line:").all()


def test_pending_is_processing_and_uncaptured_paid_is_requires_capture():
    data = csv_text(H1,
        {"id": "py_1", "Created date (UTC)": "2026-01-01 00:00:00", "Amount": "50.00",
         "Currency": "usd", "Captured": "true", "Status": "Pending"},
        {"id": "ch_2", "Created date (UTC)": "2026-01-01 00:00:00", "Amount": "50.00",
         "Currency": "usd", "Captured": "false", "Status": "Paid"})
    log, _ = read_dashboard_csv(data)
    rows = log[~log["synthetic"]].set_index("charge")["status"]
    assert rows.to_dict() == {"py_1": "processing", "ch_2": "requires_capture"}


def test_metadata_columns_become_metadata_keys():
    header = H1 + ",payment_method_type (metadata),chapter_id (metadata)"
    data = csv_text(header, {"id": "ch_1", "Created date (UTC)": "2026-01-01 00:00:00",
                             "Amount": "1.00", "Currency": "usd", "Status": "Paid",
                             "Captured": "true", "chapter_id (metadata)": "7"})
    log, _ = read_dashboard_csv(data)
    assert log["metadata.chapter_id"].dropna().unique().tolist() == ["7"]
    assert "metadata.payment_method_type" in log


def test_decline_code_is_read_from_the_seller_message_when_there_is_no_column():
    data = csv_text(H5, {"id": "ch_1", "Created (UTC)": "2023-08-01 12:34", "Amount": "1.00",
                         "Currency": "usd", "Status": "Failed", "Captured": "false",
                         "Seller Message": "The bank returned the decline code `try_again_later`."})
    log, _ = read_dashboard_csv(data)
    assert log["decline_code"].dropna().tolist() == ["try_again_later"]


def test_columns_are_found_by_name_whatever_their_order():
    a = csv_text(H5, {"id": "ch_1", "Created (UTC)": "2023-08-01 12:34", "Amount": "1.00",
                      "Currency": "usd", "Status": "Paid", "Captured": "true"})
    names = H5.split(",")[::-1]
    b = csv_text(",".join(names), {"id": "ch_1", "Created (UTC)": "2023-08-01 12:34",
                                   "Amount": "1.00", "Currency": "usd", "Status": "Paid",
                                   "Captured": "true"})
    assert read_dashboard_csv(a).log.equals(read_dashboard_csv(b).log)


@pytest.mark.parametrize(("change", "reason"), [
    ({"Created date (UTC)": "2024-02-30 10:00"}, "impossible timestamp '2024-02-30 10:00'"),
    ({"Created date (UTC)": "1970-01-01 00:00:01"}, "impossible timestamp"),
    ({"Status": "Disputed"}, "unknown status 'Disputed'"),
    ({"Currency": "xyz"}, "unknown currency 'xyz'"),
    ({"Amount": "9.999"}, "amount '9.999' refused"),
    ({"Amount": "ten"}, "amount 'ten' refused"),
])
def test_bad_rows_are_quarantined_with_their_line(change, reason):
    good = {"id": "ch_1", "Created date (UTC)": "2026-01-01 00:00:00", "Amount": "1.00",
            "Currency": "usd", "Status": "Paid", "Captured": "true"}
    _log, report = read_dashboard_csv(csv_text(H1, good, {**good, "id": "ch_2", **change}, good))
    _check(report)
    assert report.rows_quarantined == 1
    line, why, raw = report.quarantined[0]
    assert line == 3 and why.startswith(reason) and "ch_2" in raw


def test_rows_with_the_wrong_number_of_fields_are_quarantined_by_line():
    good = csv_text(H1, {"id": "ch_1", "Created date (UTC)": "2026-01-01 00:00:00",
                         "Amount": "1.00", "Currency": "usd", "Status": "Paid",
                         "Captured": "true"}).decode().splitlines()[1]
    text = "\n".join([H1, good, good + ",extra", '"multi\nline",' + good.split(",", 1)[1],
                      "short,row", good]) + "\n"
    _log, report = read_dashboard_csv(text.encode())
    _check(report)
    assert [(q.line, q.reason) for q in report.quarantined] == [
        (3, "expected 23 fields, found 24"), (6, "expected 23 fields, found 2"),
    ]
    assert report.rows_parsed == 3


def test_a_file_that_is_not_a_payments_export_is_refused():
    with pytest.raises(ValueError, match="not a Dashboard payments export"):
        read_dashboard_csv(b"name,age\nada,36\n")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**7),
                          st.sampled_from(["usd", "eur", "jpy", "kwd", "isk", "huf"]),
                          st.booleans()), min_size=1, max_size=30))
def test_amounts_agree_with_to_minor_units_on_both_routes(rows):
    from paykit.currencies import CURRENCIES, to_minor_units
    from paykit.logs.readers.dashboard_csv import _minor_units

    texts, currencies, expected = [], [], []
    for units, currency, comma in rows:
        decimals = CURRENCIES[currency].decimals
        text = f"{units / 10**decimals:.{decimals}f}"
        text = text.replace(".", ",") if comma else text  # the slow route
        texts.append(text)
        currencies.append(currency)
        expected.append(to_minor_units(text, currency))
    values, errors = _minor_units(pd.Series(texts, dtype=str), pd.Series(currencies, dtype=str))
    assert errors.isna().all()
    assert values.tolist() == expected


# "All columns" (H2 of the reference notes), the part analysts slice by.
H_ALL = ("id,Created date (UTC),Amount,Currency,Converted Currency,Fee,PaymentIntent ID,"
         "Status,Captured,Card Brand,Card Funding,Card Issue Country,Card CVC Status,"
         "Customer ID,Customer Email,Card Name,Card Fingerprint")


def _all_columns_export() -> bytes:
    def row(k: int, brand: str, country: str, status: str) -> dict[str, str]:
        return {"id": f"ch_{k}", "Created date (UTC)": f"2026-01-0{k} 10:00:00",
                "Amount": "1000" if brand == "JCB" else "10.00",
                "Currency": "jpy" if brand == "JCB" else "eur", "Converted Currency": "usd",
                "Fee": "0.59", "PaymentIntent ID": f"pi_{k}", "Status": status,
                "Captured": "true", "Card Brand": brand, "Card Funding": "credit",
                "Card Issue Country": country, "Card CVC Status": "pass",
                "Customer ID": f"cus_{k % 2}", "Customer Email": f"p{k}@example.com",
                "Card Name": "Ada Lovelace", "Card Fingerprint": "Xt5EWLLDS7FJjR1c"}
    return csv_text(H_ALL, row(1, "Visa", "fr", "Paid"), row(2, "Visa", "FR", "Failed"),
                    row(3, "MasterCard", "DE", "Paid"), row(4, "JCB", "JP", "Paid"))


def test_the_columns_analysts_slice_by_are_kept_typed():
    log, report = read_dashboard_csv(_all_columns_export())
    assert report.rows_parsed == 4
    rows = log[log["charge"].notna()].set_index("charge")
    assert rows["card_brand"].astype(str).to_dict() == {
        "ch_1": "visa", "ch_2": "visa", "ch_3": "mastercard", "ch_4": "jcb"}
    assert rows.loc["ch_1", "card_country"] == "FR" and rows.loc["ch_4", "card_funding"] == "credit"
    assert rows["customer"].tolist() == ["cus_1", "cus_0", "cus_1", "cus_0"]
    # The fee is in the account's currency (Converted Currency), not the payment's.
    assert rows["fee"].tolist() == [59, 59, 59, 59]
    assert log.loc[log["synthetic"], "fee"].isna().all()  # creation rows carry no fee


def test_every_other_column_is_kept_by_its_export_name_but_personal_data_is_not():
    log, _ = read_dashboard_csv(_all_columns_export())
    assert "export.Card CVC Status" in log.columns
    assert not [c for c in log.columns if "Email" in c or "Name" in c or "Fingerprint" in c]


def test_the_funnel_splits_by_any_exported_column():
    log, _ = read_dashboard_csv(_all_columns_export())
    by_brand = funnel(log, by="Card Brand").wide()
    assert by_brand.loc["succeeded"].to_dict() == {"jcb": 1, "mastercard": 1, "visa": 1}
    assert funnel(log, by="Card CVC Status").wide().loc["created", "pass"] == 4
    assert funnel(log, by="Card Issue Country").wide().loc["created"].to_dict() == {
        "DE": 1, "FR": 2, "JP": 1}
    with pytest.raises(ValueError, match=r"it has: .*card_brand.*Card CVC Status"):
        funnel(log, by="Customer Email")


def test_the_command_line_splits_by_an_exported_column(tmp_path, capsys):
    from paykit.cli import main

    path = tmp_path / "unified_payments.csv"
    path.write_bytes(_all_columns_export())
    assert main(["analyse", str(path), "--by", "Card Brand"]) == 0
    out = capsys.readouterr().out
    assert "Funnel by card_brand" in out and "\n  mastercard\n" in out


def _repeats_by_one_key(cells, ids, intents, keep):
    """The rule ``_repeats`` follows, written as one key column: the id, else ``pi:`` and
    the intent, else ``row:`` and the row's text; a kept row repeats an earlier kept key."""
    key = [i or (f"pi:{p}" if p else "row:" + "\x1f".join(r))
           for i, p, r in zip(ids, intents, cells.itertuples(index=False), strict=True)]
    seen: set[str] = set()
    out = []
    for k, kept in zip(key, keep, strict=True):
        out.append(bool(kept) and k in seen)
        if kept:
            seen.add(k)
    return np.array(out, dtype=bool)


_KEYS = st.sampled_from(["", "ch_1", "ch_2", "pi_1", "pi:pi_1", "row:", "row:x\x1fy", "pi:"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, _KEYS, st.sampled_from(["", "x"]), st.sampled_from(["", "y"]),
                          st.booleans()), max_size=10))
def test_repeats_follow_the_one_key_rule(rows):
    """Ids are compared apart from the prefixed keys unless one could pass for them."""
    ids = pd.Series([r[0] for r in rows], dtype=str)
    intents = pd.Series([r[1] for r in rows], dtype=str)
    cells = pd.DataFrame({"a": [r[2] for r in rows], "b": [r[3] for r in rows]}, dtype=str)
    keep = np.array([r[4] for r in rows], dtype=bool)
    expected = _repeats_by_one_key(cells, ids, intents, keep)
    assert _repeats(cells, ids, intents, keep).tolist() == expected.tolist()
