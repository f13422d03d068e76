"""Waking an answerer in another process when a webhook queues a message (PostgreSQL LISTEN/NOTIFY).

A trigger on ``inbound_queue`` (migration 0010) sends ``NOTIFY puente_inbound`` with each
statement that queued something; ``listen`` holds one connection of its own listening for it and calls ``wake`` for
each. On SQLite there is no such signal: the answerer looks at the queue every idle wait instead.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

from bot.channels.intake import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 2.0


async def listen(db: Engine, wake: Callable[[], None], stop: asyncio.Event) -> None:
    """Call ``wake`` (on this event loop) whenever a message was queued, until ``stop`` is set."""
    if db.dialect.name != "postgresql":
        return
    loop = asyncio.get_running_loop()
    stopping = threading.Event()

    def wake_soon() -> None:
        loop.call_soon_threadsafe(wake)

    thread = asyncio.ensure_future(asyncio.to_thread(_listen, db, wake_soon, stopping))
    try:
        await stop.wait()
    finally:
        stopping.set()
        await thread


def _listen(db: Engine, wake: Callable[[], None], stopping: threading.Event) -> None:
    import psycopg

    conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while not stopping.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                while not stopping.is_set():
                    for _ in conn.notifies(timeout=1.0):
                        wake()
        except psycopg.Error as exc:
            log.warning("queue listener: %s; reconnecting", type(exc).__name__)
            stopping.wait(RECONNECT_SECONDS)
