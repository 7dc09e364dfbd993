"""Ids look like Stripe's and repeat exactly for the same seed."""

from __future__ import annotations

from paykit.clock import DEFAULT_START, Clock
from paykit.ids import IdFactory


def test_ids_have_the_prefix_and_24_alphanumerics():
    ids = IdFactory(0)
    for prefix in ("pi", "ch", "evt", "pm", "req"):
        value = ids.new(prefix)
        head, _, tail = value.partition("_")
        assert head == prefix and len(tail) == 24 and tail.isalnum()


def test_the_same_seed_gives_the_same_sequence_across_buffer_refills():
    a, b = IdFactory(7), IdFactory(7)
    first = [a.new("pi") for _ in range(500)] + [a.token(25) for _ in range(500)]
    second = [b.new("pi") for _ in range(500)] + [b.token(25) for _ in range(500)]
    assert first == second
    assert len(set(first)) == len(first)


def test_different_seeds_give_different_ids():
    assert IdFactory(1).new("pi") != IdFactory(2).new("pi")


def test_the_clock_starts_fixed_and_never_goes_back():
    clock = Clock()
    assert clock.now == DEFAULT_START and clock.isoformat() == "2026-01-01T00:00:00Z"
    clock.advance_to(DEFAULT_START + 60)
    try:
        clock.advance_to(DEFAULT_START)
    except ValueError:
        pass
    else:
        raise AssertionError("the clock went back")
    assert clock.now == DEFAULT_START + 60
