"""The engine's handoff desk: off-duty honesty, the estimate, and no lock wait inside the inbox."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.engine.engine import Engine as ConversationEngine
from bot.handoff import CaseIntake, DeskHours, QueueDesk, Router, reader_for
from bot.inbox import Inbox
from bot.storage.protection import Protector
from tests.fakes import EchoTexts, KeywordNlu, TinyContent
from tests.handoff.world import TABLE, World

SUNDAY_NIGHT = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # Saturday 23:00 in Bogotá


def test_off_duty_desk_gives_its_hours(db: Engine) -> None:
    desk = QueueDesk(reader_for(db), Router(), DeskHours.parse("mon-fri 08:00-17:00"), clock=lambda: SUNDAY_NIGHT)
    outlook = desk.outlook("gbv", urgent=True)
    assert (outlook.on_duty, outlook.hours) == (False, "lun–vie 08:00–17:00")


def test_person_is_told_the_wait_while_the_inbox_holds_its_transaction(
    db: Engine, protector: Protector, world: World
) -> None:
    """On SQLite the desk must not wait for the inbox's own write lock (it once would, 30 s)."""
    from tests.handoff.test_stats import _age

    for n in range(2):
        _age(world, world.ask_person(f"user-40000{n}"), 50, 40 - n)
    desk = QueueDesk(reader_for(db), Router(), DeskHours.parse(None))
    engine = ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts(), desk=desk)
    inbox = Inbox(db, engine, protector, cases=CaseIntake())
    started = time.perf_counter()
    world.inbox = inbox
    world.say("user-400100", "hola")
    world.say("user-400100", "1")
    replies = world.say("user-400100", "persona").replies
    assert time.perf_counter() - started < 5
    assert "Expected wait: about 30 minutes." in replies[-1].message.text
