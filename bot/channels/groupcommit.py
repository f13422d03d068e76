"""Group commit: many concurrent requests' rows written by one statement or transaction.

Each caller awaits ``submit(item)``. Items that arrive while a write is in progress wait for
the next one, so under load one write carries many rows (one commit, one round trip) while a
lone request is written at once. If a write fails, every caller in that batch gets the
exception. The write itself is a ``Writer``: a blocking function on a thread of its own
(``ThreadWriter``, SQLite), or PostgreSQL from the event loop (``bot.channels.pgaccept``).
``Lanes`` runs several committers side by side, so that one batch's commit need not wait for
another's, while items with the same key always share a lane and are written in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
T_contra = TypeVar("T_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class Writer(Protocol[T_contra, R_co]):
    """Writes a batch and returns one result per item."""

    async def write(self, items: Sequence[T_contra]) -> Sequence[R_co]: ...

    async def aclose(self) -> None: ...


class GroupCommitter(Generic[T, R]):
    """Batches ``submit`` calls into calls of ``writer.write(items)``."""

    def __init__(self, writer: Writer[T, R], max_batch: int = 256) -> None:
        self._writer = writer
        self._max_batch = max_batch
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            try:
                results = await self._writer.write([item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def aclose(self) -> None:
        """Let the writer's resources go (a later ``submit`` takes them again)."""
        await self._writer.aclose()


class Lanes(Generic[T, R]):
    """``submit`` through one of several committers, chosen by the item's key: the same key always
    takes the same lane (its items are written in the order they came), different keys spread out."""

    def __init__(self, committers: Sequence[GroupCommitter[T, R]], key: Callable[[T], Hashable]) -> None:
        if not committers:
            raise ValueError("at least one lane")
        self._committers = tuple(committers)
        self._key = key

    async def submit(self, item: T) -> R:
        return await self._committers[hash(self._key(item)) % len(self._committers)].submit(item)

    async def aclose(self) -> None:
        for committer in self._committers:
            await committer.aclose()


class ThreadWriter(Generic[T, R]):
    """A blocking ``write(items) -> results`` run on one thread of its own."""

    def __init__(self, write: Callable[[Sequence[T]], Sequence[R]]) -> None:
        self._write = write
        self._thread: ThreadPoolExecutor | None = None

    async def write(self, items: Sequence[T]) -> Sequence[R]:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupcommit")
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._write, items)

    async def aclose(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=False)
            self._thread = None
