"""The inbound queue: a webhook stores its message and answers at once; the answer is worked out later.

``accept`` is all the database work a webhook does: one insert of the sealed message,
deduplicated on the provider's message id, so the provider gets its 200 in milliseconds and
never retries because the bot was slow. ``claim`` hands a worker the oldest waiting message of
each person and never two of one person at once, whichever process asks (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; on SQLite every write transaction is ``BEGIN IMMEDIATE``), leased so
that a crashed process's messages come back. The inbox answers a claimed message and deletes
it in the same transaction (``finish_in``). A repeat that arrives after its original was
answered is queued again and stops at the transcript's unique provider id: answered once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, Engine, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from bot.engine.messages import InboundMessage, Location, Media
from bot.storage.models import InboundJob
from bot.storage.protection import Protector

NOTIFY_CHANNEL = "puente_inbound"


class QueueRow(NamedTuple):
    """The columns of ``inbound_queue`` a message fills."""

    channel: str
    provider_message_id: str
    user_hash: str
    payload_enc: bytes


@dataclass(frozen=True)
class Job:
    """One claimed message; ``attempts`` counts this claim."""

    id: int
    message: InboundMessage
    attempts: int


class IntakeStore:
    """Accepts, claims and finishes queued inbound messages on behalf of one process (``owner``)."""

    def __init__(self, db: Engine, protector: Protector, owner: str) -> None:
        self._db = db
        self._protector = protector
        self._owner = owner[:64]
        self._postgres = db.dialect.name == "postgresql"
        dialect = postgresql if self._postgres else sqlite
        self._insert = (
            dialect.insert(InboundJob)
            .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
            .returning(InboundJob.channel, InboundJob.provider_message_id)
        )

    def accept(self, message: InboundMessage) -> bool:
        """Queue the message; False when it is already waiting (a repeated delivery)."""
        return self.accept_many([message])[0]

    def accept_many(self, messages: Sequence[InboundMessage]) -> list[bool]:
        """Queue messages with one statement; per message, False if it was already waiting.

        On PostgreSQL the statement commits on its own (one round trip) and a trigger notifies
        answerers listening on ``NOTIFY_CHANNEL``.
        """
        now = datetime.now(UTC)
        rows = [{**self.row(message)._asdict(), "accepted_at": now, "attempts": 0} for message in messages]
        with self._write() as conn:
            inserted = {(row.channel, row.provider_message_id) for row in conn.execute(self._insert, rows)}
        return queued(messages, inserted)

    def row(self, message: InboundMessage) -> QueueRow:
        """A message as the queue stores it: its keys, the person's pseudonym, the sealed rest."""
        return QueueRow(
            message.channel,
            message.provider_message_id,
            self._protector.pseudonym(message.channel, message.user_id),
            self._protector.seal(_dumps(message)),
        )

    @property
    def postgres_conninfo(self) -> str | None:
        """The database as a libpq connection string, on PostgreSQL (for bot.channels.pgaccept)."""
        if not self._postgres:
            return None
        return self._db.url.set(drivername="postgresql").render_as_string(hide_password=False)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if not self._postgres:  # SQLite: BEGIN IMMEDIATE .. COMMIT (bot.storage.database)
            with self._db.begin() as conn:
                yield conn
            return
        with self._db.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def claim(self, limit: int, lease: timedelta) -> list[Job]:
        """Up to ``limit`` waiting messages, each the oldest of its person, leased to this owner."""
        now = datetime.now(UTC)
        with self._db.begin() as conn:
            rows = conn.execute(_claimable(limit, now)).all()
            if not rows:
                return []
            conn.execute(
                update(InboundJob)
                .where(InboundJob.id.in_([row.id for row in rows]))
                .values(lease_until=now + lease, lease_owner=self._owner, attempts=InboundJob.attempts + 1)
            )
        return [Job(row.id, _loads(self._protector.open(row.payload_enc)), row.attempts + 1) for row in rows]

    @staticmethod
    def finish_in(job_id: int) -> Callable[[Session], None]:
        """The step that deletes an answered job inside the inbox's own transaction."""

        def finish(session: Session) -> None:
            session.execute(delete(InboundJob).where(InboundJob.id == job_id))

        return finish

    def drop(self, job_id: int) -> None:
        """Give up on a job (it failed too often)."""
        with self._db.begin() as conn:
            conn.execute(delete(InboundJob).where(InboundJob.id == job_id))

    def waiting(self) -> int:
        """Messages accepted and not yet answered."""
        with self._db.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(InboundJob)) or 0)


def queued(messages: Sequence[InboundMessage], inserted: set[tuple[str, str]]) -> list[bool]:
    """Per message, whether it was queued now (the same message twice in one batch: once)."""
    remaining, results = set(inserted), []
    for message in messages:
        key = (message.channel, message.provider_message_id)
        results.append(key in remaining)
        remaining.discard(key)
    return results


def _claimable(limit: int, now: datetime) -> Select[int, bytes, int]:
    job, earlier = InboundJob, aliased(InboundJob)
    free = or_(job.lease_until.is_(None), job.lease_until < now)
    same_person = and_(earlier.channel == job.channel, earlier.user_hash == job.user_hash)
    behind = exists().where(same_person, earlier.id < job.id)
    return (
        select(job.id, job.payload_enc, job.attempts)
        .where(free, ~behind)
        .order_by(job.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=job)
    )


def _dumps(message: InboundMessage) -> str:
    location = message.location
    return json.dumps(
        {
            "c": message.channel,
            "u": message.user_id,
            "p": message.provider_message_id,
            "t": message.text,
            "r": message.received_at.isoformat(),
            "l": [location.latitude, location.longitude] if location is not None else None,
            "m": [[m.url, m.content_type] for m in message.media],
        },
        ensure_ascii=False,
    )


def _loads(raw: str) -> InboundMessage:
    data = json.loads(raw)
    location = data["l"]
    return InboundMessage(
        channel=data["c"],
        user_id=data["u"],
        provider_message_id=data["p"],
        text=data["t"],
        received_at=datetime.fromisoformat(data["r"]),
        location=Location(location[0], location[1]) if location is not None else None,
        media=tuple(Media(url, content_type) for url, content_type in data["m"]),
    )
