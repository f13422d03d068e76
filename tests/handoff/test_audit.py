"""The audit log is append-only in the database, and supervisors read only their teams' part."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.handoff import audit
from bot.storage.models import AuditEntry
from tests.handoff.world import World


def test_audit_entries_cannot_be_changed_or_deleted(world: World) -> None:
    world.ask_person("user-5000001")
    with pytest.raises(DBAPIError, match="append-only"), world.db.begin() as conn:
        conn.execute(update(AuditEntry).values(actor="someone else"))
    with pytest.raises(DBAPIError, match="append-only"), world.db.begin() as conn:
        conn.execute(delete(AuditEntry))


def test_supervisors_read_their_teams_entries_admins_all(world: World) -> None:
    world.team("general")
    world.team("gbv")
    sofia = world.worker("sofia", role="supervisor", teams=("gbv",))
    root = world.worker("root", role="admin", teams=())
    case_id = world.ask_person("user-5000002")  # team general
    with Session(world.db) as session:
        assert audit.read_log(session, sofia) == []
        assert [line.handoff_id for line in audit.read_log(session, root)] == [case_id]
        assert audit.read_log(session, root, handoff_id=case_id + 1) == []
