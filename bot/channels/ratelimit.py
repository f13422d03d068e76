"""A provider's global send rate, as an asyncio token bucket that a 429 can pause.

The bucket is per process: with several sender processes, give each a share of the provider's
limit. Per-chat pacing is enforced across processes by the outbox claim instead
(``bot.channels.outbox``), because it must hold wherever the next message is picked up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """How fast one provider may be called from this process, and how often one chat is written."""

    per_second: float
    burst: int
    per_chat_gap: float
    """Seconds between two messages to the same chat (Telegram: about one per second)."""


class TokenBucket:
    """``per_second`` calls on average, bursts of ``burst``; ``pause`` holds every call."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a rate limit needs per_second > 0 and burst >= 1")
        self._rate = per_second
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._updated = clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until a call is allowed, then take one token."""
        async with self._lock:
            while True:
                wait = self._wait_needed()
                if wait <= 0:
                    self._tokens -= 1
                    return
                await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        """Hold every call for ``seconds`` (the provider answered 429 with Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _wait_needed(self) -> float:
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._rate
