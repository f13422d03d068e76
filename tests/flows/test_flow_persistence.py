"""A flow's progress lives in the database: it survives a server restart, and its answers reach the case encrypted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from bot.engine.engine import Engine as ConversationEngine
from bot.engine.messages import InboundMessage
from bot.flows import FlowLibrary
from bot.inbox import Inbox
from bot.storage.database import create_db_engine
from bot.storage.models import Handoff
from bot.storage.protection import Protector
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

CONTENT = Path(__file__).resolve().parents[2] / "routes_content"
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


class Content(TinyContent):
    """TinyContent with the routes the flows offer."""

    def has_route(self, topic: str) -> bool:
        return topic in ("employability", "health", "food", "cash_transfer", "shelter")


def make_inbox(db: Engine, protector: Protector) -> Inbox:
    engine = ConversationEngine(
        KeywordNlu({"plata": "cash_transfer"}), Content(), EchoTexts(), flows=FlowLibrary.load(CONTENT)
    )
    return Inbox(db, engine, protector)


class Person:
    """One WhatsApp user writing to whichever inbox is running."""

    def __init__(self) -> None:
        self.count = 0

    def say(self, inbox: Inbox, text: str, at: datetime) -> list[str]:
        self.count += 1
        message = InboundMessage("whatsapp", "+573001112233", f"SM{self.count}", text, at)
        return [reply.message.text for reply in inbox.receive(message).replies]


def test_flow_resumes_after_a_restart_and_hands_off_encrypted_answers(
    db: Engine, db_url: str, protector: Protector
) -> None:
    person = Person()
    first = make_inbox(db, protector)
    at = START
    for text in ["hola", "1", "quiero la plata", "3", "4", "2"]:
        at += timedelta(minutes=1)
        person.say(first, text, at)
    db.dispose()  # the server stops

    restarted = create_db_engine(db_url)
    try:
        second = make_inbox(restarted, protector)
        replies = person.say(second, "si", at + timedelta(days=1))
        assert "es|You started this questionnaire before" in replies[0]
        replies = person.say(second, "1", at + timedelta(days=1, minutes=1))
        assert "¿Alguno de ellos tiene menos de 5 años?" in replies[0]
        at += timedelta(days=1, minutes=2)
        for text in ["si", "no", "no", "no", "no", "no", "1", "2 años", "no"]:
            at += timedelta(minutes=1)
            person.say(second, text, at)
        replies = person.say(second, "cucuta", at + timedelta(minutes=1))
        assert "*Resultado: podrías calificar*" in replies[0]
        with restarted.connect() as conn:
            case = conn.execute(select(Handoff.reason, Handoff.topic, Handoff.details_enc)).one()
        assert (case.reason, case.topic) == ("flow", "cash_transfer")
        assert b"household_size" not in case.details_enc
        details = json.loads(protector.open(case.details_enc))
        assert details["outcome"] == "likely_eligible" and details["children"] == "2"
        assert details["household_size"] == "4" and details["city"] == "cucuta"
    finally:
        restarted.dispose()
