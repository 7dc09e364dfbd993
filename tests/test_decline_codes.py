"""paykit.decline_codes: one table of Stripe's decline codes, hard or soft, with next steps."""

from __future__ import annotations

import pytest

from paykit.decline_codes import DECLINE_CODES, DOCS_URL, KINDS, decline_kind


def test_every_code_has_a_meaning_a_next_step_a_kind_and_a_stripe_source():
    for code, row in DECLINE_CODES.items():
        assert row.code == code and row.meaning and row.next_step
        assert row.kind in KINDS[:2]
        assert row.source.startswith("https://docs.stripe.com/")


def test_the_codes_seen_in_real_exports_are_in_the_table():
    # the "Decline Reason" values of published exports (shared/reference/payment_logs.md §1a)
    seen = ["insufficient_funds", "do_not_honor", "revocation_of_authorization",
            "try_again_later", "transaction_not_allowed", "previously_declined_do_not_retry"]
    assert [decline_kind(code) for code in seen] == [
        "soft", "soft", "hard", "soft", "soft", "hard"]


def test_every_code_the_synthetic_log_declines_with_is_in_the_table():
    from paykit.logs.samples.synthetic_log import _DECLINE_CODES

    assert set(_DECLINE_CODES.categories) <= set(DECLINE_CODES)


@pytest.mark.parametrize("code", ["lost_card", "stolen_card", "fraudulent", "pickup_card",
                                  "expired_card", "incorrect_cvc", "do_not_try_again"])
def test_a_card_that_cannot_succeed_again_is_a_hard_decline(code):
    assert decline_kind(code) == "hard"


@pytest.mark.parametrize("code", ["insufficient_funds", "try_again_later", "processing_error",
                                  "authentication_required", "issuer_not_available"])
def test_a_decline_the_same_card_may_get_past_later_is_soft(code):
    assert decline_kind(code) == "soft"


def test_an_unknown_or_missing_code_is_unknown():
    assert decline_kind("no_such_code") == decline_kind(None) == "unknown"


def test_the_table_cites_stripes_codes_page():
    assert DOCS_URL == "https://docs.stripe.com/declines/codes"
    assert DECLINE_CODES["insufficient_funds"].source == DOCS_URL
