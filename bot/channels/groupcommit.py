"""Group commit: many concurrent requests' rows written in one transaction, off the event loop.

Each caller awaits ``submit(item)``. Items that arrive while a write is in progress wait for
the next one, so under load one transaction carries many rows (and one commit, one round trip)
while a lone request is written at once. The write runs on one thread of its own; if it
fails, every caller in that batch gets the exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommitter(Generic[T, R]):
    """Batches ``submit`` calls into calls of ``write(items) -> results`` (one result per item)."""

    def __init__(self, write: Callable[[Sequence[T]], Sequence[R]], max_batch: int = 256) -> None:
        self._write = write
        self._max_batch = max_batch
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._thread: ThreadPoolExecutor | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        loop = asyncio.get_running_loop()
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupcommit")
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            try:
                results = await loop.run_in_executor(self._thread, self._write, [item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        """Let the thread go (a later ``submit`` starts a new one)."""
        if self._thread is not None:
            self._thread.shutdown(wait=False)
            self._thread = None
