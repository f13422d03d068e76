"""Server-side console sessions: the cookie holds a random token, the database its SHA-256.

A session is in one of three stages: ``totp`` (password right, code still needed), ``enrol``
(password right, two-factor must be set up first) or ``ok``. Each has its own CSRF token; the
token is rotated when the stage changes, so a token seen before login is worthless after.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff.actor import Actor
from bot.handoff.clock import as_utc
from bot.storage.models import Caseworker, CaseworkerTeam, ConsoleSession, Team

TOUCH_EVERY = timedelta(seconds=60)  # write last_seen_at at most once a minute per session


@dataclass(frozen=True)
class Visit:
    """The session behind a request."""

    caseworker_id: int
    stage: str
    csrf: str
    actor: Actor


class SessionStore:
    """Creates, finds, promotes and ends console sessions."""

    def __init__(self, db: Engine, lifetime: timedelta, idle: timedelta) -> None:
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._lifetime = lifetime
        self._idle = idle

    def create(self, caseworker_id: int, stage: str) -> str:
        """A new session; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
            session.add(
                ConsoleSession(
                    id=_digest(token),
                    caseworker_id=caseworker_id,
                    stage=stage,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    expires_at=now + self._lifetime,
                    last_seen_at=now,
                )
            )
        return token

    def find(self, token: str | None) -> Visit | None:
        """The live session of ``token`` (not expired, not idle too long, account active)."""
        if not token or len(token) > 100:
            return None
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            row = session.get(ConsoleSession, _digest(token))
            if row is None:
                return None
            if as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) + self._idle <= now:
                session.delete(row)
                return None
            actor = _actor(session, row.caseworker_id)
            if actor is None:
                return None
            if now - as_utc(row.last_seen_at) >= TOUCH_EVERY:
                row.last_seen_at = now
            return Visit(row.caseworker_id, row.stage, row.csrf_token, actor)

    def promote(self, token: str, stage: str) -> str:
        """Move a session to ``stage`` under a fresh token (and CSRF token); returns the token."""
        with self._sessions.begin() as session:
            row = session.get(ConsoleSession, _digest(token))
            if row is None:
                raise LookupError("session ended")
            caseworker_id = row.caseworker_id
            session.delete(row)
        return self.create(caseworker_id, stage)

    def end(self, token: str | None) -> None:
        if token:
            with self._sessions.begin() as session:
                session.execute(delete(ConsoleSession).where(ConsoleSession.id == _digest(token)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _actor(session: Session, caseworker_id: int) -> Actor | None:
    account = session.get(Caseworker, caseworker_id)
    if account is None or not account.active:
        return None
    teams = session.scalars(
        select(Team.name)
        .join(CaseworkerTeam, CaseworkerTeam.team_id == Team.id)
        .where(CaseworkerTeam.caseworker_id == caseworker_id)
    )
    return Actor(account.id, account.username, account.role, frozenset(teams))
