"""QueueDesk: the engine's HandoffDesk — on duty or not, and the expected wait from the queue.

The engine asks while the inbox holds its write transaction. On SQLite every transaction of the
main engine starts with ``BEGIN IMMEDIATE`` and would wait for that very transaction, so the desk
reads through its own engine whose SELECTs take no lock (WAL lets them read the last commit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bot.engine.ports import DeskOutlook
from bot.handoff.routing import Router
from bot.handoff.schedule import DeskHours
from bot.handoff.stats import expected_wait
from bot.storage.models import Team

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def reader_for(db: Engine) -> Engine:
    """An engine for the desk's reads: the same one on PostgreSQL, a lock-free one on SQLite."""
    if db.dialect.name != "sqlite":
        return db
    return create_engine(db.url, poolclass=NullPool, connect_args={"timeout": 30})


class QueueDesk:
    """Implements ``bot.engine.ports.HandoffDesk`` from the opening hours and the queue."""

    def __init__(self, reader: Engine, router: Router, hours: DeskHours, clock: Clock = _utc_now) -> None:
        self._reader = reader
        self._router = router
        self._hours = hours
        self._clock = clock

    def outlook(self, topic: str | None, urgent: bool) -> DeskOutlook:
        now = self._clock()
        if not self._hours.is_on_duty(now):
            return DeskOutlook(on_duty=False, hours=self._hours.text())
        with Session(self._reader) as session:
            teams = set(session.scalars(select(Team.name)))
            team = self._router.team_for(topic, None, teams)
            minutes = expected_wait(session, team, urgent, now)
        return DeskOutlook(on_duty=True, wait_minutes=minutes, hours=self._hours.text())
