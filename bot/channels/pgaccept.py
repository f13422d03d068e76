"""Queueing webhook messages on PostgreSQL from the event loop itself: the fast path of a burst.

A webhook's only database work is one row in ``inbound_queue``. ``GroupCommitter`` gathers the
requests that arrive together; this writer seals nothing new (``IntakeStore.row`` does) and
inserts the batch with one statement over an async connection of this process, kept open
between batches: no thread hop, no pool checkout, no ping. The statement has a constant text,
so the server keeps it prepared; its four columns go as four arrays already in PostgreSQL's
binary form (``binary_array``: no text escaping, and none of psycopg's per-call list
inspection, a fifth of the statement's client cost at the batch sizes of a burst), and it
commits on its own. A failed statement drops the connection and fails its callers, who then
answer the slow way (``ChannelHub.receive``).
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.channels.intake import IntakeStore, queued
from bot.engine.messages import InboundMessage

CONNECT_TIMEOUT = 5
TEXT_OID, BYTEA_OID = 25, 17
TEXT_ARRAY_OID, BYTEA_ARRAY_OID = 1009, 1001
INSERT = """
INSERT INTO inbound_queue (channel, provider_message_id, user_hash, payload_enc, accepted_at, attempts)
SELECT c, p, u, e, %b, 0 FROM unnest(%b, %b, %b, %b) AS t (c, p, u, e)
ON CONFLICT (channel, provider_message_id) DO NOTHING
RETURNING channel, provider_message_id
"""
_HEADER = struct.Struct("!iiiii")  # dimensions, has-nulls flag, element type, length, lower bound
_LENGTH = struct.Struct("!i")


class TextArray(bytes):
    """A ``text[]`` parameter in binary form (see ``binary_array``)."""


class ByteaArray(bytes):
    """A ``bytea[]`` parameter in binary form (see ``binary_array``)."""


def binary_array(element_oid: int, items: Sequence[bytes]) -> bytes:
    """A one-dimensional array of one item or more, without NULLs, as PostgreSQL's ``array_recv``
    reads it: a header, then each element's length and bytes (text as UTF-8, the connection's
    client encoding)."""
    parts = [_HEADER.pack(1, 0, element_oid, len(items), 1)]
    for item in items:
        parts += (_LENGTH.pack(len(item)), item)
    return b"".join(parts)


class PgQueueWriter:
    """Writes batches of messages to ``IntakeStore``'s PostgreSQL queue (a ``groupcommit.Writer``)."""

    def __init__(self, store: IntakeStore, conninfo: str) -> None:
        self._store = store
        self._conninfo = conninfo
        self._connection: Any = None  # a psycopg.AsyncConnection kept open between batches
        self._cursor: Any = None

    async def write(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Per message, False when it is already waiting (a repeated delivery)."""
        import psycopg

        rows = [self._store.row(message) for message in messages]
        params = [
            datetime.now(UTC),
            TextArray(binary_array(TEXT_OID, [row.channel.encode() for row in rows])),
            TextArray(binary_array(TEXT_OID, [row.provider_message_id.encode() for row in rows])),
            TextArray(binary_array(TEXT_OID, [row.user_hash.encode() for row in rows])),
            ByteaArray(binary_array(BYTEA_OID, [row.payload_enc for row in rows])),
        ]
        try:
            cursor = self._cursor or await self._open()
            await cursor.execute(INSERT, params)
            inserted = {(str(channel), str(sid)) for channel, sid in await cursor.fetchall()}
        except (psycopg.Error, OSError):
            await self.aclose()
            raise
        return queued(messages, inserted)

    async def _open(self) -> Any:
        import psycopg
        from psycopg.adapt import Dumper
        from psycopg.pq import Format

        class PreEncoded(Dumper):
            format = Format.BINARY

            def dump(self, obj: Any) -> bytes:
                return bytes(obj)

        class TextArrayDumper(PreEncoded):
            oid = TEXT_ARRAY_OID

        class ByteaArrayDumper(PreEncoded):
            oid = BYTEA_ARRAY_OID

        self._connection = await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT, client_encoding="UTF8"
        )
        self._connection.adapters.register_dumper(TextArray, TextArrayDumper)
        self._connection.adapters.register_dumper(ByteaArray, ByteaArrayDumper)
        self._cursor = self._connection.cursor()
        return self._cursor

    async def aclose(self) -> None:
        """Close the connection kept open."""
        import psycopg

        connection, self._connection, self._cursor = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                await connection.close()
