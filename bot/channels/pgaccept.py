"""Queueing webhook messages on PostgreSQL from the event loop itself: the fast path of a burst.

A webhook's only database work is one row in ``inbound_queue``. Here the row is sealed on the
event loop and written over an async connection of this process, kept open between batches:
no thread hop, no pool checkout, no ping. Requests that arrive while a statement is under way
go together in the next one (group commit), at most ``connections`` statements at a time; the
statement has a constant text, so the server keeps it prepared. A failed statement drops its
connection and fails its callers, who then answer the slow way (``ChannelHub.receive``).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

from bot.channels.intake import IntakeStore, queued
from bot.engine.messages import InboundMessage

MAX_BATCH = 256
CONNECT_TIMEOUT = 5
INSERT = """
INSERT INTO inbound_queue (channel, provider_message_id, user_hash, payload_enc, accepted_at, attempts)
SELECT c, p, u, e, %s, 0 FROM unnest(%s::text[], %s::text[], %s::text[], %s::bytea[]) AS t (c, p, u, e)
ON CONFLICT (channel, provider_message_id) DO NOTHING
RETURNING channel, provider_message_id
"""


class PgAcceptor:
    """Queues messages for ``IntakeStore``'s PostgreSQL database, from the event loop."""

    def __init__(self, store: IntakeStore, conninfo: str, connections: int = 2) -> None:
        self._store = store
        self._conninfo = conninfo
        self._connections = connections
        self._waiting: list[tuple[InboundMessage, dict[str, Any], asyncio.Future[bool]]] = []
        self._idle: list[Any] = []  # open psycopg.AsyncConnection objects between batches
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, message: InboundMessage) -> bool:
        """Queue one message; False when it is already waiting (a repeated delivery)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((message, self._store.row(message), future))
        if self._running < self._connections:
            self._running += 1
            writer = asyncio.create_task(self._write_all())
            self._tasks.add(writer)
            writer.add_done_callback(self._tasks.discard)
        return await future

    async def aclose(self) -> None:
        """Close the connections kept open."""
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                await self._write(batch)
        finally:
            self._running -= 1  # in the same step as the last look at the queue: nothing is left behind

    async def _write(self, batch: list[tuple[InboundMessage, dict[str, Any], asyncio.Future[bool]]]) -> None:
        import psycopg

        rows = [row for _, row, _ in batch]
        columns = [[row[name] for row in rows] for name in ("channel", "provider_message_id", "user_hash")]
        connection = None
        try:
            connection = self._idle.pop() if self._idle else await self._connect()
            sealed = [row["payload_enc"] for row in rows]
            cursor = await connection.execute(INSERT, [datetime.now(UTC), *columns, sealed])
            inserted = {(str(channel), str(sid)) for channel, sid in await cursor.fetchall()}
        except (psycopg.Error, OSError) as exc:
            if connection is not None:
                with contextlib.suppress(psycopg.Error, OSError):
                    await connection.close()
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self._idle.append(connection)
        for (_, _, future), result in zip(batch, queued([m for m, _, _ in batch], inserted), strict=True):
            if not future.done():
                future.set_result(result)

    async def _connect(self) -> Any:
        import psycopg

        return await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        )
