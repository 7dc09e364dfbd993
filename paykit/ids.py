"""Stripe-looking identifiers from a seeded generator.

Real ids are 24 random alphanumerics after a prefix (``pi_3MtwBwLkdIwHu7ix28a3tqPa``).
paykit draws them from ``random.Random(seed)`` so that the same seed and the same
calls give the same ids every run: a notebook shows the same objects each time and
nbval can compare its outputs.

Random characters are drawn a few kilobytes at a time and handed out in order: one
slice per id keeps minting cheap on the engine's hot path.
"""

from __future__ import annotations

import base64
import random

__all__ = ["IdFactory"]

# base64 without its two symbols: ids stay alphanumeric, like Stripe's.
_ALTCHARS = b"xZ"
_BATCH_BYTES = 3 * 1024  # 4,096 characters per refill


class IdFactory:
    """Mints ``prefix_<24 alphanumerics>`` ids, reproducibly for a given seed."""

    __slots__ = ("_buffer", "_position", "_randbytes", "_size")

    def __init__(self, seed: int | str | None = 0) -> None:
        self._randbytes = random.Random(seed).randbytes
        self._buffer = ""
        self._position = 0
        self._size = 0  # len(self._buffer)

    def token(self, length: int = 24) -> str:
        """``length`` random alphanumerics."""
        start = self._position
        end = start + length
        if end > len(self._buffer):
            fresh = base64.b64encode(self._randbytes(_BATCH_BYTES), _ALTCHARS).decode("ascii")
            self._buffer = self._buffer[start:] + fresh
            self._size = len(self._buffer)
            start, end = 0, length
        self._position = end
        return self._buffer[start:end]

    def new(self, prefix: str, length: int = 24) -> str:
        """``prefix_`` and ``length`` random alphanumerics (``token`` inlined: hot path)."""
        start = self._position
        end = start + length
        if end > self._size:
            return f"{prefix}_{self.token(length)}"
        self._position = end
        return f"{prefix}_{self._buffer[start:end]}"
