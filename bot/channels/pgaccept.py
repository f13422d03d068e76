"""Queueing webhook messages on PostgreSQL from the event loop itself: the fast path of a burst.

A webhook's only database work is one row in ``inbound_queue``. ``GroupCommitter`` gathers the
requests that arrive together; this writer seals nothing new (``IntakeStore.row`` does) and
inserts the batch with one statement over an async connection of this process, kept open
between batches: no thread hop, no pool checkout, no ping. The statement has a constant text,
so the server keeps it prepared; its parameters go in binary (no text escaping of the sealed
bytes), and it commits on its own. A failed statement drops the connection and fails its
callers, who then answer the slow way (``ChannelHub.receive``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.channels.intake import IntakeStore, queued
from bot.engine.messages import InboundMessage

CONNECT_TIMEOUT = 5
COLUMNS = ("channel", "provider_message_id", "user_hash", "payload_enc")
INSERT = """
INSERT INTO inbound_queue (channel, provider_message_id, user_hash, payload_enc, accepted_at, attempts)
SELECT c, p, u, e, %b, 0 FROM unnest(%b::text[], %b::text[], %b::text[], %b::bytea[]) AS t (c, p, u, e)
ON CONFLICT (channel, provider_message_id) DO NOTHING
RETURNING channel, provider_message_id
"""


class PgQueueWriter:
    """Writes batches of messages to ``IntakeStore``'s PostgreSQL queue (a ``groupcommit.Writer``)."""

    def __init__(self, store: IntakeStore, conninfo: str) -> None:
        self._store = store
        self._conninfo = conninfo
        self._connection: Any = None  # a psycopg.AsyncConnection kept open between batches

    async def write(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Per message, False when it is already waiting (a repeated delivery)."""
        import psycopg

        rows = [self._store.row(message) for message in messages]
        columns = [[row[name] for row in rows] for name in COLUMNS]
        try:
            if self._connection is None:
                self._connection = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                )
            cursor = await self._connection.execute(INSERT, [datetime.now(UTC), *columns])
            inserted = {(str(channel), str(sid)) for channel, sid in await cursor.fetchall()}
        except (psycopg.Error, OSError):
            await self.aclose()
            raise
        return queued(messages, inserted)

    async def aclose(self) -> None:
        """Close the connection kept open."""
        import psycopg

        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                await connection.close()
