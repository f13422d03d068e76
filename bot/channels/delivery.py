"""The outbox sender: claims due replies, sends them through their channel, retries or gives up.

Per claimed item: outside a channel's service window (WhatsApp, 24 h after the person's last
message) the configured template goes out instead and the item is held until the person writes
back; otherwise the reply is rendered into parts and each part is sent and recorded on its own,
so a retry resumes after the last part that got through. Transient errors come back later with
exponential backoff and jitter (never sooner than a provider's Retry-After), up to a limit;
permanent errors are never retried. Several processes may run a sender on one database.
"""

from __future__ import annotations

import asyncio
import logging
import random
from asyncio import FIRST_COMPLETED
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from bot.channels.base import (
    Address,
    Channel,
    OutsideWindowError,
    PermanentSendError,
    SendError,
    TransientSendError,
)
from bot.channels.outbox import Delivery, OutboxStore
from bot.channels.ratelimit import RateLimit, TokenBucket

log = logging.getLogger(__name__)

WINDOW_MARGIN = timedelta(minutes=5)  # our clock and the provider's differ; send the template early


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait after the n-th transient failure, and when to stop trying."""

    max_attempts: int = 10
    base_delay: float = 2.0
    max_delay: float = 600.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Exponential backoff with jitter (half to full), at least the provider's Retry-After."""
        backoff = min(self.max_delay, self.base_delay * 2.0 ** max(attempt - 1, 0))
        return max(backoff * rng.uniform(0.5, 1.0), retry_after or 0.0)


@dataclass(frozen=True)
class SenderTuning:
    """Items in flight per channel, lease and idle wait of one sender process."""

    batch: int = 20
    lease: timedelta = timedelta(minutes=5)
    idle_wait: float = 1.0


class Sender:
    """Delivers the outbox of the given message channels (e.g. whatsapp, sms, telegram)."""

    def __init__(
        self,
        store: OutboxStore,
        channels: Mapping[str, Channel],
        limits: Mapping[str, RateLimit],
        policy: RetryPolicy = RetryPolicy(),
        tuning: SenderTuning = SenderTuning(),
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._channels = dict(channels)
        self._limits = dict(limits)
        self._buckets = {name: TokenBucket(lim.per_second, lim.burst) for name, lim in limits.items()}
        self._policy = policy
        self._tuning = tuning
        self._rng = rng or random.Random()
        self._wake: asyncio.Event | None = None  # made by the running loop (events belong to one loop)

    def wake(self) -> None:
        """New replies were queued: look now rather than at the next idle check."""
        if self._wake is not None:
            self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set, then finish what is in hand."""
        await self._pump(stop, deadline=None)

    async def drain(self, timeout: float) -> bool:
        """Send until nothing is pending or being sent (held items wait); False on timeout."""
        return await self._pump(asyncio.Event(), deadline=asyncio.get_running_loop().time() + timeout)

    async def _pump(self, stop: asyncio.Event, deadline: float | None) -> bool:
        """Keep up to ``batch`` items per channel in flight; a slow send holds up no other."""
        loop = asyncio.get_running_loop()
        inflight: dict[str, set[asyncio.Task[None]]] = {name: set() for name in self._channels}
        self._wake = asyncio.Event()
        try:
            while not stop.is_set():
                if deadline is not None and loop.time() > deadline:
                    return False
                started = await self._claim_into(inflight)
                running = _all(inflight)
                if running:
                    await asyncio.wait(running, timeout=self._tuning.idle_wait, return_when=FIRST_COMPLETED)
                    for tasks in inflight.values():
                        tasks.difference_update([task for task in tasks if task.done()])
                elif deadline is not None and not started and await self._nothing_left():
                    return True
                else:
                    await self._idle(stop)
            return True
        finally:
            await asyncio.gather(*_all(inflight))

    async def _idle(self, stop: asyncio.Event) -> None:
        """Until woken, stopped, or the idle wait is over (other processes queue replies too)."""
        wake = self._wake or asyncio.Event()
        waits = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=self._tuning.idle_wait, return_when=FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
            wake.clear()

    async def _claim_into(self, inflight: dict[str, set[asyncio.Task[None]]]) -> int:
        """Claim as many due items per channel as there are free places; a database error waits."""
        started = 0
        for name, tasks in inflight.items():
            room = self._tuning.batch - len(tasks)
            if room < max(1, self._tuning.batch // 2) and tasks:
                continue  # refill in chunks: one claim per item would cost a transaction each
            gap = timedelta(seconds=self._limits[name].per_chat_gap)
            try:
                batch = await asyncio.to_thread(self._store.claim, name, room, self._tuning.lease, gap)
            except Exception as exc:  # the loop must outlive a database restart
                log.error("outbox sender: claim failed (%s); retrying", type(exc).__name__)
                return started
            tasks.update(asyncio.create_task(self._guarded(item)) for item in batch)
            started += len(batch)
        return started

    async def _nothing_left(self) -> bool:
        return await asyncio.to_thread(self._store.open_count, tuple(self._channels)) == 0

    # -- one item -----------------------------------------------------------------------------

    async def _guarded(self, item: Delivery) -> None:
        try:
            await self._deliver(item)
        except Exception as exc:  # the outcome could not be recorded (database gone): the lease expires
            log.error(
                "outbox item %s: outcome not recorded (%s); retried after its lease", item.outbox_id, type(exc).__name__
            )

    async def _deliver(self, item: Delivery) -> None:
        channel = self._channels[item.channel]
        address = Address(item.channel, item.user_id, item.outbox_id)
        try:
            if self._outside_window(channel, item):
                await self._send_template(channel, address)
            else:
                await self._send_parts(channel, address, item)
        except OutsideWindowError as exc:
            await self._after_refused_window(channel, item, exc)
        except TransientSendError as exc:
            await self._after_transient(item, exc)
        except PermanentSendError as exc:
            log.warning("outbox item %s failed for good: %s", item.outbox_id, exc.code)
            await asyncio.to_thread(self._store.record_failed, item.outbox_id, exc.reason, exc.code)
        except Exception as exc:  # a bug must not kill the loop, nor be retried forever
            log.error("outbox item %s: unexpected %s", item.outbox_id, type(exc).__name__)
            await self._after_transient(item, TransientSendError(f"unexpected {type(exc).__name__}", "unexpected"))

    async def _send_parts(self, channel: Channel, address: Address, item: Delivery) -> None:
        parts = channel.render(item.channel, item.message)
        gap = self._limits[item.channel].per_chat_gap
        for index in range(item.parts_sent, len(parts)):
            if index > item.parts_sent and gap > 0:
                await asyncio.sleep(gap)
            await self._buckets[item.channel].acquire()
            provider_id = await channel.send(address, parts[index])
            last = index == len(parts) - 1
            await asyncio.to_thread(partial(self._store.record_part, item.outbox_id, provider_id, last=last))

    async def _send_template(self, channel: Channel, address: Address) -> None:
        if not channel.has_template(address.channel):
            reason = "outside the 24-hour window and no TWILIO_TEMPLATE_SID is configured: not sent"
            await asyncio.to_thread(self._store.record_failed, address.outbox_id, reason, "outside_window")
            return
        await self._buckets[address.channel].acquire()
        provider_id, template = await channel.send_template(address)
        reason = "outside the 24-hour window: template sent; this goes out when the person writes back"
        await asyncio.to_thread(self._store.record_held, address.outbox_id, provider_id, template, reason)

    async def _after_refused_window(self, channel: Channel, item: Delivery, exc: SendError) -> None:
        """The provider saw the window closed before our clock did: fall back to the template."""
        try:
            await self._send_template(channel, Address(item.channel, item.user_id, item.outbox_id))
        except TransientSendError as again:
            await self._after_transient(item, again)
        except SendError as again:
            await asyncio.to_thread(self._store.record_failed, item.outbox_id, again.reason, again.code or exc.code)

    async def _after_transient(self, item: Delivery, exc: TransientSendError) -> None:
        if exc.retry_after:
            self._buckets[item.channel].pause(exc.retry_after)
        if item.attempts >= self._policy.max_attempts:
            reason = f"gave up after {item.attempts} attempts: {exc.reason}"
            await asyncio.to_thread(self._store.record_failed, item.outbox_id, reason, exc.code)
            return
        delay = self._policy.delay(item.attempts, exc.retry_after, self._rng)
        log.info("outbox item %s: transient %s, retry in %.1fs", item.outbox_id, exc.code, delay)
        await asyncio.to_thread(self._store.record_retry, item.outbox_id, exc, delay)

    def _outside_window(self, channel: Channel, item: Delivery) -> bool:
        window = channel.service_window(item.channel)
        if window is None:
            return False
        last = item.last_inbound_at
        return last is None or datetime.now(UTC) - last > window - WINDOW_MARGIN


def _all(inflight: dict[str, set[asyncio.Task[None]]]) -> set[asyncio.Task[None]]:
    return {task for tasks in inflight.values() for task in tasks}
