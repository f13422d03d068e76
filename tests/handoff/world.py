"""A small world for queue and console tests: a real inbox (keyword NLU), teams, caseworkers, cases."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from bot.console.accounts import Accounts
from bot.engine.engine import Engine as ConversationEngine
from bot.engine.messages import InboundMessage
from bot.handoff import Actor, CaseFiles, CaseIntake, HandoffQueue, Router
from bot.inbox import Inbox, Received
from bot.storage.models import Handoff
from bot.storage.protection import Protector
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

# Cheap argon2 parameters: tests hash many passwords; production uses the library defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery staple"
TABLE = {"trabajo": "employability", "medico": "health", "hola": "greeting"}
_ids = itertools.count(1)


@dataclass
class World:
    db: Engine
    protector: Protector
    inbox: Inbox
    queue: HandoffQueue
    files: CaseFiles
    accounts: Accounts
    actors: dict[str, Actor] = field(default_factory=dict)

    def team(self, name: str, *, require_totp: bool = False) -> str:
        self.accounts.add_team(name, require_totp=require_totp)
        return name

    def worker(self, username: str, role: str = "caseworker", teams: tuple[str, ...] = ("general",)) -> Actor:
        account_id = self.accounts.add_caseworker(username, PASSWORD, role, list(teams))
        actor = self.accounts.actor(account_id)
        assert actor is not None
        self.actors[username] = actor
        return actor

    def say(self, user: str, text: str, channel: str = "web") -> Received:
        message = InboundMessage(channel, user, f"{user}-{next(_ids)}", text, datetime.now(UTC))
        return self.inbox.receive(message)

    def ask_person(self, user: str, *, channel: str = "web", urgent: bool = False, topic_word: str = "") -> int:
        """A person who consents, optionally asks about a topic, then asks for a person (or says
        something urgent); returns the id of their active case."""
        self.say(user, "hola", channel)
        self.say(user, "1", channel)
        if topic_word:
            self.say(user, topic_word, channel)
        self.say(user, "urgent ayuda" if urgent else "persona", channel)
        return self.active_case(user, channel)

    def active_case(self, user: str, channel: str = "web") -> int:
        user_hash = self.protector.pseudonym(channel, user)
        from bot.storage.models import Contact

        with self.db.connect() as conn:
            case_id = conn.scalar(
                select(Handoff.id)
                .join(Contact, Contact.id == Handoff.contact_id)
                .where(Contact.user_hash == user_hash, Handoff.status.in_(("open", "claimed")))
            )
        assert case_id is not None, "no active case"
        return int(case_id)

    def case(self, case_id: int) -> Handoff:
        with self.db.connect() as conn:
            row = conn.execute(select(Handoff).where(Handoff.id == case_id)).first()
        assert row is not None
        return Handoff(**row._asdict())


def make_world(db: Engine, protector: Protector, router: Router | None = None) -> World:
    engine = ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts())
    return World(
        db=db,
        protector=protector,
        inbox=Inbox(db, engine, protector, cases=CaseIntake(router)),
        queue=HandoffQueue(db, protector, EchoTexts()),
        files=CaseFiles(db, protector),
        accounts=Accounts(db, protector, FAST_HASHER),
    )
