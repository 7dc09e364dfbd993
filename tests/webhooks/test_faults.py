"""Fault switches: probabilities, off by default, seeded dice."""

from __future__ import annotations

import pytest

from paykit.webhooks.faults import FAULT_NAMES, Faults, Picked


def test_every_fault_is_off_by_default() -> None:
    assert not Faults().on
    assert Faults().dice(0).roll(Faults()) == Picked()


def test_a_switch_is_a_probability_and_true_means_always() -> None:
    assert Faults(timeout=True).timeout == 1.0
    with pytest.raises(ValueError, match="probability"):
        Faults(duplicate=1.5)
    with pytest.raises(ValueError, match="delay_seconds"):
        Faults(delay=1, delay_seconds=0)


def test_the_same_seeds_roll_the_same_faults() -> None:
    faults = Faults(duplicate=0.5, out_of_order=0.5, seed=7)
    first = faults.dice("s").roll
    second = faults.dice("s").roll
    assert [first(faults) for _ in range(50)] == [second(faults) for _ in range(50)]
    other = Faults(duplicate=0.5, out_of_order=0.5, seed=8).dice("s").roll
    assert [first(faults) for _ in range(50)] != [other(faults) for _ in range(50)]


def test_turning_one_fault_on_does_not_change_what_another_picks() -> None:
    alone = Faults(duplicate=0.5, seed=1)
    both = Faults(duplicate=0.5, delay=0.5, seed=1)
    roll_alone, roll_both = alone.dice(0).roll, both.dice(0).roll
    assert ([roll_alone(alone).duplicate for _ in range(100)]
            == [roll_both(both).duplicate for _ in range(100)])


def test_picked_names_its_faults_in_switch_order() -> None:
    assert Picked(True, False, True, False).names() == ("duplicate", "delay")
    assert FAULT_NAMES == ("duplicate", "out_of_order", "delay", "timeout")
