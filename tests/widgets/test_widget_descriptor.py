"""DescriptorPreview: the statement line, its 22-character budget and every rule."""

from __future__ import annotations

from paykit.params import RULES, customer_statement
from paykit.widgets import DescriptorPreview
from paykit.widgets.descriptor import describe

BUDGET = RULES["statement_descriptor_suffix"].max_length  # 22, read from the rule table


def test_the_statement_joins_prefix_and_suffix_with_an_asterisk_and_a_space() -> None:
    report = describe("RUNCLUB", "ORDER 42")
    assert report.text == "RUNCLUB* ORDER 42" == customer_statement("RUNCLUB", "ORDER 42").text
    assert report.ok and report.remaining == BUDGET - len("RUNCLUB* ORDER 42")
    assert [c.part for c in report.cells[6:10]] == ["prefix", "joiner", "joiner", "suffix"]


def test_the_asterisk_and_the_space_count_in_the_budget() -> None:
    fits = describe("RUNCLUB", "A" * (BUDGET - len("RUNCLUB") - 2))
    assert fits.ok and fits.remaining == 0
    over = describe("RUNCLUB", "A" * (BUDGET - len("RUNCLUB") - 1))
    assert not over.ok and over.remaining == -1
    assert [c.over for c in over.cells].count(True) == 1 and over.cells[-1].over
    assert any("counting the '*'" in c.rule for c in over.broken)


def test_a_23_character_suffix_breaks_the_22_character_rule_and_says_so() -> None:
    report = describe("PAYKIT", "A" * 23)
    assert any("at most 22 characters" in m for m in report.messages)
    assert "suffix alone is at most 22 characters" in [c.rule for c in report.broken]


def test_forbidden_characters_and_digits_only_are_named_with_where_they_are() -> None:
    starred = describe("PAYKIT", "ORDER*42")
    assert [(c.applies_to, "*" in c.rule) for c in starred.broken] == [("suffix", True)]
    assert any("cannot include *" in m for m in starred.messages)
    digits = describe("PAYKIT", "12345")
    assert [c.applies_to for c in digits.broken] == ["suffix"]
    assert "letter" in digits.broken[0].rule


def test_the_prefix_has_its_own_length_rule() -> None:
    report = describe("A", "ORDER 42")
    assert [c.applies_to for c in report.broken] == ["prefix"]
    assert any("prefix" in m for m in report.messages)


def test_typing_a_23_character_suffix_shows_the_error_and_the_overflow() -> None:
    preview = DescriptorPreview()
    assert "paykit-ok" in preview.problems.value
    preview.suffix.value = "ABCDEFGHIJKLMNOPQRSTUVW"
    assert "at most 22 characters" in preview.problems.value
    assert "paykit-error" in preview.problems.value
    assert "too many" in preview.bar.value and "paykit-cell-over" in preview.bar.value
    assert "✗" in preview.rules.value
    assert preview.report.text == "PAYKIT* ABCDEFGHIJKLMNOPQRSTUVW"
    assert repr(preview) == ("<DescriptorPreview 'PAYKIT* ABCDEFGHIJKLMNOPQRSTUVW' 31/22 "
                             "problems=2>")


def test_the_statement_is_escaped_a_learner_types_text_not_markup() -> None:
    preview = DescriptorPreview(suffix="<b>HI</b>")
    assert "<b>HI" not in preview.statement.value
    assert "&lt;b&gt;HI" in preview.statement.value
