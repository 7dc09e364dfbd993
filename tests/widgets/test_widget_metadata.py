"""MetadataEditor: limits as you type, sensitive-data warnings, the copy to the charge."""

from __future__ import annotations

import paykit
from paykit.params import METADATA_LIMITS
from paykit.widgets import MetadataEditor
from paykit.widgets.metadata import check_rows, copy_to_charge


def test_a_luhn_valid_card_number_and_an_email_are_flagged_on_their_rows() -> None:
    editor = MetadataEditor({"order_id": "6735"})
    card = editor.rows.add("note", "paid with 4242 4242 4242 4242")
    mail = editor.rows.add("contact", "ada@example.com")
    editor.rows.rows[0].value.value = "6736"  # any edit rechecks every row
    assert "card number" in card.hint.value and "Luhn" in card.hint.value
    assert "e-mail" in mail.hint.value
    assert "card number" in editor.problems.value and "e-mail" in editor.problems.value
    assert "paykit-warning" in editor.problems.value
    assert repr(editor) == "<MetadataEditor keys=3 problems=0 warnings=2>"


def test_a_card_number_that_fails_luhn_is_not_flagged() -> None:
    assert check_rows([("ref", "4242424242424241")]).warnings == ()


def test_the_limits_are_checked_live_and_shown_next_to_the_row() -> None:
    editor = MetadataEditor()
    row = editor.rows.rows[0]
    row.key.value = "k" * (METADATA_LIMITS.max_key_length + 1)
    row.value.value = "v"
    assert "at most 40 characters" in row.hint.value
    assert "41/40" in row.hint.value
    row.key.value = "items[0]"
    assert "square brackets" in row.hint.value
    row.key.value = "ok"
    row.value.value = "v" * (METADATA_LIMITS.max_value_length + 1)
    assert "at most 500 characters" in row.hint.value
    assert "Fix the limits" in editor.copy_demo.value


def test_more_than_fifty_keys_is_a_problem_of_the_whole_request() -> None:
    check = check_rows([(f"k{i}", "v") for i in range(METADATA_LIMITS.max_keys + 1)])
    assert not check.ok
    assert any("up to 50 keys" in p for p in check.problems)
    assert check.key_count == 51


def test_rows_are_added_and_removed_with_their_buttons() -> None:
    editor = MetadataEditor({"a": "1", "b": "2"}, api_version=None)
    assert editor.metadata == {"a": "1", "b": "2"}
    editor.rows.add_button.click()
    assert len(editor.rows.rows) == 3 and editor.metadata == {"a": "1", "b": "2"}
    editor.rows.rows[0].remove.click()
    assert editor.metadata == {"b": "2"}
    assert "1 / 50 keys" in editor.counter.value


def test_a_repeated_key_warns_that_the_last_value_wins() -> None:
    check = check_rows([("a", "1"), ("a", "2")])
    assert check.metadata == {"a": "2"}
    assert any("last value wins" in w for w in check.warnings)


def test_confirming_copies_metadata_to_the_charge_and_a_later_update_does_not_touch_it() -> None:
    demo = copy_to_charge({"order_id": "6735", "channel": "web"})
    assert demo.created == demo.charge == {"order_id": "6735", "channel": "web"}
    assert demo.update == {"order_id": "", "status_note": "updated after payment"}
    assert demo.intent_after == {"channel": "web", "status_note": "updated after payment"}
    assert demo.charge_after == demo.charge


def test_the_demo_is_what_the_sandbox_does() -> None:
    sb = paykit.Sandbox(seed=1)
    pi = sb.payment_intents.create(amount=1099, currency="usd", metadata={"a": "1"})
    pi = sb.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    sb.payment_intents.update(pi.id, metadata={"a": "", "b": "2"})
    assert sb.charges.retrieve(pi.latest_charge).metadata == {"a": "1"}
    assert sb.payment_intents.retrieve(pi.id).metadata == {"b": "2"}
    assert copy_to_charge({"a": "1"}, {"a": "", "b": "2"}).charge_after == {"a": "1"}


def test_the_editor_shows_the_copy_table() -> None:
    editor = MetadataEditor({"order_id": "6735"})
    table = editor.copy_demo.value
    assert "charge (copied at confirm)" in table and "6735" in table
    assert '"" (removes it)' in table
