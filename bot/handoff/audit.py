"""The audit log: who viewed or changed which case, when. Append-only (the database refuses edits).

Actions: view, claim, release, transfer, reply, note, close (caseworkers); open, escalate, cancel
(the bot, actor ``puente``); login, login_failed, logout, totp_enrol, export (accounts).
``detail`` holds ids, team names and outcomes only, never what a person wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.handoff.actor import Actor
from bot.storage.models import AuditEntry

SYSTEM_ACTOR = "puente"


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as shown to a supervisor."""

    id: int
    at: datetime
    actor: str
    action: str
    handoff_id: int | None
    team: str | None
    detail: str | None


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    handoff_id: int | None = None,
    team: str | None = None,
    detail: str | None = None,
    actor_name: str | None = None,
) -> None:
    """Append one entry in the caller's transaction (``actor`` None: the bot or a failed login)."""
    session.add(
        AuditEntry(
            at=datetime.now(UTC),
            actor_id=actor.id if actor else None,
            actor=(actor.username if actor else actor_name or SYSTEM_ACTOR)[:64],
            action=action,
            handoff_id=handoff_id,
            team=team,
            detail=detail[:200] if detail else None,
        )
    )


def read_log(
    session: Session,
    actor: Actor,
    *,
    handoff_id: int | None = None,
    before: int | None = None,
    limit: int = 200,
) -> list[AuditLine]:
    """Newest first; supervisors see their teams' entries and their own, admins everything."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if not actor.is_admin:
        query = query.where(or_(AuditEntry.team.in_(sorted(actor.teams)), AuditEntry.actor_id == actor.id))
    if handoff_id is not None:
        query = query.where(AuditEntry.handoff_id == handoff_id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return [AuditLine(e.id, e.at, e.actor, e.action, e.handoff_id, e.team, e.detail) for e in session.scalars(query)]
