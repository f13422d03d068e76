"""Sessions: only a hash of the token is stored; lifetime and idle time end them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.console.sessions import SessionStore
from bot.storage.models import ConsoleSession
from tests.handoff.world import World


def test_token_is_not_stored_and_sessions_expire(world: World) -> None:
    world.team("general")
    ana = world.worker("ana")
    store = SessionStore(world.db, lifetime=timedelta(hours=8), idle=timedelta(minutes=30))
    token = store.create(ana.id, "ok")
    with world.db.connect() as conn:
        stored = conn.scalar(select(ConsoleSession.id))
    assert stored is not None and stored != token and len(stored) == 64
    visit = store.find(token)
    assert visit is not None and visit.actor.username == "ana" and visit.actor.teams == frozenset({"general"})
    assert store.find("not-a-token") is None
    with world.db.begin() as conn:
        conn.execute(update(ConsoleSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31)))
    assert store.find(token) is None  # idle too long (and the row is gone)


def test_promotion_rotates_the_token(world: World) -> None:
    world.team("general")
    ana = world.worker("ana")
    store = SessionStore(world.db, lifetime=timedelta(hours=8), idle=timedelta(minutes=30))
    first = store.create(ana.id, "totp")
    first_visit = store.find(first)
    second = store.promote(first, "ok")
    second_visit = store.find(second)
    assert store.find(first) is None
    assert first_visit is not None and second_visit is not None
    assert second_visit.stage == "ok" and second_visit.csrf != first_visit.csrf
