"""audit: descriptor and metadata rules from paykit.params, and sensitive data."""

from __future__ import annotations

import pandas as pd
import pytest

from paykit.logs import audit, read_sample
from paykit.logs.analyses.audit import sensitive_findings
from paykit.payment_methods import luhn_valid

T0 = 1_767_225_600


def _log(**object_fields):
    from paykit.logs.readers.event_records import read_events as read

    event = {"id": "evt_1", "object": "event", "type": "payment_intent.created", "created": T0,
             "data": {"object": {"id": "pi_1", "object": "payment_intent", "amount": 100,
                                 "currency": "usd", "status": "requires_payment_method",
                                 **object_fields}}}
    return read([event]).log


def _codes(log):
    return set(audit(log).findings["code"])


def test_a_luhn_valid_card_number_in_metadata_is_found_and_masked():
    log = _log(metadata={"note": "card 4000 0566 5566 5556 exp 12/30"})
    finding = audit(log).findings.iloc[0]
    assert (finding["code"], finding["field"]) == ("card_number", "metadata.note")
    assert finding["excerpt"].endswith("5556") and "4000" not in finding["excerpt"]


def test_digits_that_fail_luhn_are_not_card_numbers():
    assert not luhn_valid("4000056655665557")
    assert _codes(_log(metadata={"order": "4000056655665557"})) == set()


@pytest.mark.parametrize(("text", "code"), [
    ("contact jane.doe@example.com", "email"),
    ("key sk_live_" + "abcdefgh12345678", "secret_key"),
    ("key sk_test_" + "abcdefgh12345678", "secret_key"),
    ("key rk_live_" + "abcdefgh12345678", "secret_key"),
    ("pi_3Q0Ct0LoR5xD6xCe1" + "_secret_" + "Dm43xiq1k0ywrRRj", "client_secret"),
])
def test_sensitive_data_in_the_description_is_found(text, code):
    assert _codes(_log(description=text)) == {code}


def test_excerpts_never_repeat_a_secret():
    secret = "sk_live_" + "abcdefgh12345678"
    findings = audit(_log(description=secret)).findings
    assert secret not in findings["excerpt"].iloc[0]


def test_statement_descriptors_are_checked_with_the_parameter_rules():
    from paykit.params import statement_descriptor_problems

    bad = "RUNCLUB*<SALE>"
    expected = {p.code for p in statement_descriptor_problems(bad)}
    assert expected and _codes(_log(statement_descriptor=bad)) == expected
    assert _codes(_log(statement_descriptor="RUNCLUB SHOES")) == set()


def test_metadata_limits_are_checked_with_the_parameter_rules():
    from paykit.params import metadata_problems

    too_many = {f"k{i}": "x" for i in range(60)}
    expected = {p.code for p in metadata_problems(too_many)}
    findings = audit(_log(metadata=too_many)).findings
    assert set(findings["code"]) == expected
    assert findings.iloc[0]["field"] == "metadata"
    assert _codes(_log(metadata={"order[1]": "x"})) == {
        p.code for p in metadata_problems({"order[1]": "x"})}


def test_findings_point_at_intent_and_line():
    log, _ = read_sample("events_broken")
    findings = audit(log).findings
    assert set(findings["code"]) >= {"card_number", "email", "secret_key", "client_secret"}
    assert set(findings["source_line"]) == {1}


def test_sensitive_findings_reports_each_kind_once():
    assert sensitive_findings("a@b.co and c@d.co") == [("email", "a•••@b.co")]


def test_a_log_without_text_columns_has_nothing_to_report():
    assert audit(pd.DataFrame({"intent": ["pi_1"], "source_line": [1]})).ok


def test_the_audit_finds_what_the_widgets_warn_about():
    """One detection for both (paykit.sensitive): a webhook secret and a repeated-digit
    "card" are judged the same way in a log as in the metadata editor."""
    from paykit.sensitive import scan

    for text in ("whsec_" + "abcdefgh12345678", "0000000000000000", "4242424242424242"):
        assert _codes(_log(description=text)) == {f.kind for f in scan(text)}
