"""Faults real endpoints meet, on purpose: one switch each, seeded, off by default.

Stripe says what an endpoint must survive (https://docs.stripe.com/webhooks): "Webhook
endpoints might occasionally receive the same event more than once" and "Stripe doesn't
guarantee the delivery of events in the order that they're generated". A handler that
passes a quiet sandbox can still break on both; turn a fault on to prove it does not.

============  ===========================================================================
switch        what happens to a delivery it picks
============  ===========================================================================
duplicate     it is sent twice, one right after the other (the same event id, the same
              bytes apart from the signature's time)
out_of_order  it is held back and sent after the endpoint's next delivery (or when
              ``wait()`` is called, if no other event comes); the delivery that
              overtakes it is never held itself, so ``True`` swaps events in pairs
delay         its first attempt waits ``delay_seconds`` of sandbox clock (it goes out when
              ``sb.advance`` passes that time), so later events overtake it
timeout       the endpoint answers, but too late: the attempt is recorded "Timed out" and
              retried on the schedule, so a handler that already did the work sees the
              event again
============  ===========================================================================

Each switch is a probability (``True`` = every delivery). The dice are rolled when the
event happens, in the order events happen, from a generator seeded with the sandbox
seed and ``seed``: the same calls pick the same deliveries every run.

>>> faults = Faults(duplicate=True, seed=1)
>>> dice = faults.dice("sandbox-seed")
>>> dice.roll(faults).duplicate, dice.roll(Faults()).any
(True, False)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["DEFAULT_DELAY_SECONDS", "FAULT_NAMES", "Dice", "Faults", "Picked"]

#: The switches, in the order they are rolled.
FAULT_NAMES: tuple[str, ...] = ("duplicate", "out_of_order", "delay", "timeout")
#: How long the ``delay`` fault holds a first attempt, in sandbox seconds (paykit's).
DEFAULT_DELAY_SECONDS = 5 * 60


@dataclass(frozen=True, slots=True)
class Faults:
    """Which faults are on, each as the share of deliveries it picks (0 to 1)."""

    duplicate: float = 0.0
    out_of_order: float = 0.0
    delay: float = 0.0
    timeout: float = 0.0
    seed: int | str = 0
    delay_seconds: int = field(default=DEFAULT_DELAY_SECONDS)

    def __post_init__(self) -> None:
        for name in FAULT_NAMES:
            value = float(getattr(self, name))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name} is a probability from 0 to 1, not {value}")
            object.__setattr__(self, name, value)
        if self.delay_seconds < 1:
            raise ValueError("delay_seconds must be at least 1")

    @property
    def on(self) -> bool:
        """Whether any fault can happen."""
        return any(getattr(self, name) > 0 for name in FAULT_NAMES)

    def dice(self, sandbox_seed: object) -> Dice:
        """A fresh generator for these faults in a sandbox of ``sandbox_seed``."""
        return Dice(random.Random(f"{sandbox_seed}/webhooks/{self.seed}"))


class Picked(NamedTuple):
    """The faults rolled for one delivery."""

    duplicate: bool = False
    out_of_order: bool = False
    delay: bool = False
    timeout: bool = False

    @property
    def any(self) -> bool:
        return any(self)

    def names(self) -> tuple[str, ...]:
        return tuple(name for name, picked in zip(FAULT_NAMES, self, strict=True) if picked)


_NONE = Picked()


class Dice:
    """The seeded rolls: one number per switch per delivery, whatever the switches say,
    so turning one fault on does not change which deliveries another one picks."""

    __slots__ = ("_random",)

    def __init__(self, generator: random.Random) -> None:
        self._random = generator

    def roll(self, faults: Faults) -> Picked:
        if not faults.on:
            return _NONE
        draw = self._random.random
        return Picked(*(draw() < getattr(faults, name) for name in FAULT_NAMES))
