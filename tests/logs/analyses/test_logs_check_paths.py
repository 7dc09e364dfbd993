"""The log checker reads any object's table the same way: SetupIntents, Refunds, intents."""

from __future__ import annotations

from paykit.lifecycle import PAYMENT_INTENT
from paykit.logs import check_paths
from paykit.logs.arrays.transition_rules import ALLOWED, ENTRY, TERMINAL, table_arrays
from paykit.refund_lifecycle import REFUND
from paykit.setup_lifecycle import SETUP_INTENT


def test_the_payment_intent_constants_are_the_tables_arrays():
    arrays = table_arrays(PAYMENT_INTENT)
    assert (arrays.allowed == ALLOWED).all() and (arrays.entry == ENTRY).all()
    assert (arrays.terminal == TERMINAL).all()


def test_setup_intent_paths_are_checked_against_their_table():
    found = check_paths({
        "seti_ok": ["requires_payment_method", "requires_action", "succeeded"],
        "seti_bank": ["requires_payment_method", "processing", "succeeded"],
        "seti_bad": ["requires_payment_method", "succeeded", "requires_action"],
        "seti_late": ["succeeded"],
    }, SETUP_INTENT)
    assert found[["object", "step", "kind"]].values.tolist() == [
        ["seti_bad", 2, "illegal_transition"], ["seti_late", 0, "late_start"]]


def test_refund_paths_accept_every_documented_start():
    found = check_paths({"re_1": ["pending", "succeeded"], "re_2": ["succeeded", "failed"],
                         "re_3": ["requires_action", "canceled"],
                         "re_4": ["failed", "succeeded"]}, REFUND)
    assert found["object"].tolist() == ["re_4", "re_4"]
    assert found["kind"].tolist() == ["late_start", "illegal_transition"]


def test_payment_intent_paths_use_the_same_check():
    found = check_paths({"pi_1": ["requires_payment_method", "succeeded", "canceled"]})
    assert found["kind"].tolist() == ["illegal_transition"]
