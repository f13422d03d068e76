"""The answerer: works through the inbound queue, in order for each person, on its own threads.

It claims waiting messages (``bot.channels.intake``), answers each through the inbox (the
engine and the store are synchronous, so on ``threads`` threads of its own), and then wakes
the outbox sender. The inbox deletes a job in the same transaction that stores its answer.
Replies the inbox could not queue (the goodbye after an erasure; the crisis answer when the
database failed) go to ``say``, which sends them straight away. A message that keeps failing
is given up after ``max_attempts`` with the unstored answer: the emergency lines if it was
urgent, and an honest apology.
"""

from __future__ import annotations

import asyncio
import logging
from asyncio import FIRST_COMPLETED
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from bot.channels.intake import IntakeStore, Job
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox, StoredReply

log = logging.getLogger(__name__)

Say = Callable[[InboundMessage, tuple[StoredReply, ...]], Awaitable[None]]
"""Sends replies that were not queued in the outbox, at once."""


@dataclass(frozen=True)
class AnswerTuning:
    """Threads, jobs in hand, lease and idle wait of one answerer."""

    threads: int = 8  # most of a turn waits on database round trips: more threads, more answers/s
    batch: int = 16
    lease: timedelta = timedelta(seconds=60)
    idle_wait: float = 1.0
    max_attempts: int = 5


class Answerer:
    """Answers queued inbound messages until stopped."""

    def __init__(
        self,
        store: IntakeStore,
        inbox: Inbox,
        say: Say,
        tuning: AnswerTuning = AnswerTuning(),
        on_answered: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._inbox = inbox
        self._say = say
        self._tuning = tuning
        self._on_answered = on_answered
        self._wake: asyncio.Event | None = None  # made by the running loop (events belong to one loop)
        self._threads: ThreadPoolExecutor | None = None

    def wake(self) -> None:
        """A message was queued: look now rather than at the next idle check."""
        if self._wake is not None:
            self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Answer until ``stop`` is set, then finish the jobs in hand."""
        await self._pump(stop, deadline=None)

    async def drain(self, timeout: float) -> bool:
        """Answer until nothing is waiting; False on timeout."""
        return await self._pump(asyncio.Event(), deadline=asyncio.get_running_loop().time() + timeout)

    async def _pump(self, stop: asyncio.Event, deadline: float | None) -> bool:
        loop = asyncio.get_running_loop()
        tuning = self._tuning
        self._wake = asyncio.Event()
        inflight: set[asyncio.Task[None]] = set()
        self._threads = ThreadPoolExecutor(max_workers=tuning.threads, thread_name_prefix="answer")
        try:
            while not stop.is_set():
                if deadline is not None and loop.time() > deadline:
                    return False
                room = tuning.batch - len(inflight)
                claimed = await self._claim(room) if room >= max(1, tuning.batch // 2) or not inflight else []
                inflight.update(asyncio.create_task(self._answer(job)) for job in claimed)
                if inflight:
                    done, _ = await asyncio.wait(inflight, timeout=tuning.idle_wait, return_when=FIRST_COMPLETED)
                    inflight.difference_update(done)
                elif deadline is not None and await asyncio.to_thread(self._store.waiting) == 0:
                    return True
                else:
                    await self._sleep(stop)
            return True
        finally:
            await asyncio.gather(*inflight, return_exceptions=True)
            self._threads.shutdown(wait=False)

    async def _sleep(self, stop: asyncio.Event) -> None:
        """Until woken, stopped, or the idle wait is over (other processes queue messages too)."""
        wake = self._wake or asyncio.Event()
        waits = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=self._tuning.idle_wait, return_when=FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
            wake.clear()

    async def _claim(self, room: int) -> list[Job]:
        try:
            return await asyncio.to_thread(self._store.claim, room, self._tuning.lease)
        except Exception as exc:  # the loop must outlive a database restart
            log.error("answerer: claim failed (%s); retrying", type(exc).__name__)
            await asyncio.sleep(self._tuning.idle_wait)
            return []

    async def _answer(self, job: Job) -> None:
        assert self._threads is not None
        try:
            unqueued = await asyncio.get_running_loop().run_in_executor(self._threads, self._answer_now, job)
        except Exception as exc:  # a bug: the job comes back when its lease ends, then is given up
            log.error("answerer: job %s failed (%s); retried after its lease", job.id, type(exc).__name__)
            return
        if unqueued:
            await self._say(job.message, unqueued)
        self._on_answered()

    def _answer_now(self, job: Job) -> tuple[StoredReply, ...]:
        if job.attempts > self._tuning.max_attempts:
            log.error("answerer: job %s failed %d times; answered unstored and dropped", job.id, job.attempts - 1)
            self._store.drop(job.id)
            return self._inbox.answer_unstored(job.message).replies
        received = self._inbox.receive(job.message, also=IntakeStore.finish_in(job.id))
        return tuple(reply for reply in received.replies if reply.id == 0)
