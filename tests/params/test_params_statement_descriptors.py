"""``paykit.params.statement_descriptors``: the statement text and its rules."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from params_helpers import BASE, codes, only

import paykit
from paykit.params import (
    CARD_STATEMENT_DESCRIPTOR_CUTOFF,
    FORBIDDEN_DESCRIPTOR_CHARACTERS,
    Problem,
    check,
    customer_statement,
    statement_descriptor_problems,
)


def test_a_statement_descriptor_of_22_characters_is_accepted() -> None:
    assert statement_descriptor_problems("A" * 22) == []
    problem = only(statement_descriptor_problems("A" * 23))
    assert problem.param == "statement_descriptor"
    assert "at most 22 characters" in problem.message


@pytest.mark.parametrize("char", list(FORBIDDEN_DESCRIPTOR_CHARACTERS))
def test_each_forbidden_character_is_invalid_characters(char: str) -> None:
    problem = only(statement_descriptor_problems(f"RUN{char}CLUB"))
    assert (problem.code, problem.param) == ("invalid_characters", "statement_descriptor")
    assert problem.message == f"The statement descriptor cannot include {char}."


def test_a_descriptor_of_digits_only_is_refused() -> None:
    problem = only(statement_descriptor_problems("12345", param="statement_descriptor_suffix"))
    assert problem.param == "statement_descriptor_suffix"
    assert "at least one letter" in problem.message


def test_a_descriptor_needs_a_latin_letter() -> None:
    assert codes(statement_descriptor_problems("123 - 456")) == [
        "payment_intent_invalid_parameter"]
    assert statement_descriptor_problems("Café 42") == []
    assert codes(statement_descriptor_problems("Кафе 42")) == [
        "invalid_characters", "payment_intent_invalid_parameter"]


def test_descriptor_rules_apply_to_the_api_parameters() -> None:
    problem = only(check("create", **BASE, statement_descriptor_suffix="ORDER*42"))
    assert (problem.param, problem.code) == ("statement_descriptor_suffix", "invalid_characters")
    assert codes(check("capture", statement_descriptor="1234")) == [
        "payment_intent_invalid_parameter"]
    assert codes(check("create", **BASE, statement_descriptor=42)) == [
        "payment_intent_invalid_parameter"]


# 2023-12-31T12:00:00Z and 2024-01-02T00:00:00Z: either side of Stripe's platform change.
BEFORE_THE_CHANGE, THE_CHANGE = 1_704_024_000, 1_704_153_600


def test_the_payment_intents_page_example_descriptor_was_accepted_before_2024() -> None:
    request = {**BASE, "payment_method_types": ["card"],
               "statement_descriptor": "Custom descriptor"}
    for version in ("2019-02-11", "2023-08-16", "2026-07-29.dahlia"):
        assert check("create", api_version=version, now=BEFORE_THE_CHANGE, **request) == []
    # endive refuses the types parameter itself, not the descriptor
    assert [p.param for p in check("create", api_version="2026-09-30.endive",
                                   now=BEFORE_THE_CHANGE, **request)] == ["payment_method_types"]


CARD_MESSAGE = (
    "The statement_descriptor parameter is not supported for the payment_method_type card. "
    "To override the statement descriptor on a card transaction, use "
    "statement_descriptor_suffix."
)


@pytest.mark.parametrize("version", [None, "2019-02-11", "2023-08-16", "2024-06-20",
                                     "2026-06-24.dahlia"])
@pytest.mark.parametrize("now", [None, THE_CHANGE, THE_CHANGE + 86_400 * 700])
def test_statement_descriptor_on_a_card_charge_is_refused_whatever_the_version(
    version: str | None, now: int | None,
) -> None:
    request = {**BASE, "payment_method_types": ["card"], "statement_descriptor": "RUNCLUB"}
    problem = only(check("create", api_version=version, now=now, **request))
    assert problem == Problem("statement_descriptor", "payment_intent_invalid_parameter",
                              CARD_MESSAGE)


def test_the_card_cutoff_is_the_platform_change_of_2024_01_02() -> None:
    assert CARD_STATEMENT_DESCRIPTOR_CUTOFF == "2024-01-02"


def test_a_sandbox_whose_clock_is_in_2023_accepts_the_old_example() -> None:
    # the example as the page writes it, on an API version of its time
    old = paykit.Sandbox(seed=0, api_version="2023-08-16", start=BEFORE_THE_CHANGE)
    pi = old.payment_intents.create(amount=1099, currency="usd", payment_method_types=["card"],
                                    statement_descriptor="Custom descriptor")
    assert pi.statement_descriptor == "Custom descriptor"
    old.advance(days=2)  # 2 January 2024 has come: the same request is refused
    with pytest.raises(paykit.InvalidRequestError) as refused:
        old.payment_intents.create(amount=1099, currency="usd", payment_method_types=["card"],
                                   statement_descriptor="Custom descriptor")
    assert refused.value.param == "statement_descriptor"


def test_the_payment_method_type_context_marks_a_card_charge() -> None:
    assert codes(check("capture", payment_method_type="card", statement_descriptor="RUNCLUB")) == [
        "payment_intent_invalid_parameter"]
    assert check("capture", payment_method_type="sepa_debit", statement_descriptor="RUNCLUB") == []


def test_statement_descriptor_is_fine_for_non_card_charges() -> None:
    request = {**BASE, "payment_method_types": ["card", "sepa_debit"],
               "statement_descriptor": "RUNCLUB"}
    assert check("create", **request) == []
    assert check("create", **BASE, statement_descriptor="RUNCLUB") == []


def test_the_suffix_is_the_way_to_go_on_card_charges() -> None:
    assert check("create", **BASE, payment_method_types=["card"],
                 statement_descriptor_suffix="ORDER 42") == []


def test_the_customer_sees_prefix_star_space_suffix() -> None:
    preview = customer_statement("RUNCLUB", "ORDER 42")
    assert (preview.text, preview.length, preview.budget, preview.remaining) == (
        "RUNCLUB* ORDER 42", 17, 22, 5)
    assert preview.problems == []
    assert preview.ok


def test_without_a_suffix_the_customer_sees_the_prefix() -> None:
    preview = customer_statement("RUNCLUB", None)
    assert (preview.text, preview.length, preview.remaining) == ("RUNCLUB", 7, 15)
    assert customer_statement("RUNCLUB", "").text == "RUNCLUB"


def test_the_star_and_space_count_in_the_22_characters() -> None:
    assert customer_statement("RUNCLUB", "X" * 13).problems == []
    preview = customer_statement("RUNCLUB", "X" * 14)
    assert preview.remaining == -1
    problem = only(preview.problems)
    assert problem.param == "statement_descriptor_suffix"
    assert "at most 13 characters" in problem.message


def test_the_prefix_is_2_to_10_characters() -> None:
    for prefix in ("R", "RUNCLUBSHOP"):
        problems = customer_statement(prefix, "ORDER 42").problems
        assert "statement_descriptor_prefix" in [p.param for p in problems]
    assert customer_statement("RUNCLUBSHO", "ORDER 42").problems == []


def test_the_suffix_needs_a_letter_and_allowed_characters() -> None:
    problem = only(customer_statement("RUNCLUB", "4242").problems)
    assert problem.param == "statement_descriptor_suffix"
    problem = only(customer_statement("RUNCLUB", "ORDER'42").problems)
    assert (problem.param, problem.code) == ("statement_descriptor_suffix", "invalid_characters")


def test_a_complete_descriptor_is_at_least_5_characters() -> None:
    problem = only(customer_statement("RUN", None).problems)
    assert "at least 5 characters" in problem.message


ALLOWED = "".join(c for c in string.printable[:95] if c not in FORBIDDEN_DESCRIPTOR_CHARACTERS)


@given(st.text(alphabet=ALLOWED, max_size=21), st.sampled_from(string.ascii_letters),
       st.integers(0, 21))
def test_descriptors_built_from_the_rules_are_accepted(text: str, letter: str, at: int) -> None:
    value = text[:at] + letter + text[at:]
    assert statement_descriptor_problems(value) == []
    assert statement_descriptor_problems(value, param="statement_descriptor_suffix") == []


@given(st.text(max_size=30), st.sampled_from(FORBIDDEN_DESCRIPTOR_CHARACTERS), st.integers(0, 30))
def test_any_string_with_a_forbidden_character_is_refused(text: str, char: str, at: int) -> None:
    problems = statement_descriptor_problems(text[:at] + char + text[at:])
    assert any(p.code == "invalid_characters" and char in p.message for p in problems)
