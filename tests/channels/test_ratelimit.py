"""The per-process token bucket: average rate, bursts, and a pause after a 429."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.ratelimit import TokenBucket

pytestmark = pytest.mark.anyio


async def test_bursts_then_the_average_rate() -> None:
    bucket = TokenBucket(per_second=100.0, burst=10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(10):
        await bucket.acquire()
    assert loop.time() - started < 0.05  # the burst is free
    for _ in range(20):
        await bucket.acquire()
    assert loop.time() - started >= 0.19  # then 100 per second


async def test_pause_holds_every_call() -> None:
    bucket = TokenBucket(per_second=1000.0, burst=5)
    bucket.pause(0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bucket.acquire()
    assert loop.time() - started >= 0.19


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(per_second=0, burst=1)
