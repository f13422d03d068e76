"""The inbox: stores each inbound message, asks the engine, and stores its answer, in one transaction.

Per message: lock the contact row (one conversation is answered in order even with several
server processes), insert the inbound message (a repeated provider message id stops here:
answered once, never twice), run the engine on the stored state, then save the new state, the
replies (transcript + outbox) and any handoff. Nothing is sent from here.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.engine import Engine as ConversationEngine
from bot.engine.engine import Turn
from bot.engine.messages import InboundMessage, OutboundMessage
from bot.engine.state import ConversationState
from bot.handoff.intake import CaseIntake, active_case
from bot.storage.models import Base, Contact, Message
from bot.storage.protection import Protector
from bot.storage.spool import Spool
from bot.storage.subject import erase_contact

log = logging.getLogger(__name__)

IMMEDIATE_CHANNELS = frozenset({"web", "cli"})  # delivered in the HTTP response / on the terminal


@dataclass(frozen=True)
class StoredReply:
    """A reply as stored: its transcript id (for polling) and the message."""

    id: int
    message: OutboundMessage


@dataclass(frozen=True)
class Received:
    """The outcome of one inbound message."""

    duplicate: bool
    replies: tuple[StoredReply, ...] = ()
    stored: bool = True  # False: the database failed; the channel must send the replies itself


class Inbox:
    """Receives normalised messages for every channel."""

    def __init__(
        self,
        db: Engine,
        engine: ConversationEngine,
        protector: Protector,
        cases: CaseIntake | None = None,
        spool: Spool | None = None,
    ) -> None:
        self._spool = spool
        self._db = db
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._sql = Statements(db.dialect.name)
        self._engine = engine
        self._protector = protector
        self._cases = cases or CaseIntake()

    def receive(self, message: InboundMessage, *, also: Callable[[Session], None] | None = None) -> Received:
        """Store, answer and store the answer; a duplicate delivery returns ``duplicate=True``.

        If the database fails, the person still gets an answer (the emergency lines first when
        the message is urgent) and the message is spooled to disk for a later replay. ``also``
        runs inside the same transaction, first (the inbound queue deletes the answered job).
        """
        try:
            return self._receive(message, also)
        except SQLAlchemyError as exc:
            failure = type(exc).__name__
            log.error("storing a message failed (%s); answering unstored, channel=%s", failure, message.channel)
            if self._spool is not None:
                self._spool.put(message)
            return self._answer_unstored(message)

    def _receive(self, message: InboundMessage, also: Callable[[Session], None] | None = None) -> Received:
        started = time.perf_counter()
        with self._sessions.begin() as session:
            if also is not None:
                also(session)
            contact = self._lock_contact(session, message)
            inbound_id = self._insert_inbound(session, contact, message)
            if inbound_id is None:
                log.debug("duplicate delivery ignored channel=%s", message.channel)
                return Received(duplicate=True)
            turn = self._engine.handle(message, self._load_state(contact))
            self._note_understanding(session, inbound_id, turn)
            if turn.erase:
                erase_contact(session, contact.id, requested_by="the person (chat)")
                replies = tuple(StoredReply(0, reply) for reply in turn.replies)
            else:
                self._save_state(contact, message, turn)
                replies = self._store_replies(session, contact, turn)
                self._store_handoff(session, contact, turn)
        self._log_turn(message, turn, started)
        return Received(duplicate=False, replies=replies)

    def replay_spool(self) -> int:
        """Store and answer the messages spooled while the database was failing."""
        return self._spool.replay(self._receive) if self._spool is not None else 0

    def answer_unstored(self, message: InboundMessage) -> Received:
        """Answer without storing anything (the message could not be handled the normal way)."""
        return self._answer_unstored(message)

    def _answer_unstored(self, message: InboundMessage) -> Received:
        """The crisis protocol without a database: urgent -> the emergency lines; else an apology."""
        turn = self._engine.handle_unstored(message)
        return Received(duplicate=False, replies=tuple(StoredReply(0, r) for r in turn.replies), stored=False)

    def replies_after(self, channel: str, user_id: str, after_id: int) -> tuple[StoredReply, ...] | None:
        """Outbound messages newer than ``after_id``; None when the user is unknown."""
        user_hash = self._protector.pseudonym(channel, user_id)
        with self._sessions() as session:
            contact_id = session.scalar(
                select(Contact.id).where(Contact.channel == channel, Contact.user_hash == user_hash)
            )
            if contact_id is None:
                return None
            rows = session.scalars(
                select(Message)
                .where(Message.contact_id == contact_id, Message.direction == "out", Message.id > after_id)
                .order_by(Message.id)
                .limit(100)
            )
            return tuple(
                StoredReply(row.id, OutboundMessage(text, tuple(row.options)))
                for row in rows
                if (text := self._protector.open_or_none(row.text_enc)) is not None  # None: erased by retention
            )

    # -- steps ----------------------------------------------------------------------------

    def _lock_contact(self, session: Session, message: InboundMessage) -> Contact:
        user_hash = self._protector.pseudonym(message.channel, message.user_id)
        new_contact = {
            "channel": message.channel,
            "user_hash": user_hash,
            "address_enc": self._protector.seal(message.user_id),
            "state_enc": self._protector.seal("{}"),
            "created_at": datetime.now(UTC),
        }
        session.connection().execute(self._sql.new_contact, new_contact)
        return session.scalars(self._sql.lock_contact, {"channel": message.channel, "user_hash": user_hash}).one()

    def _insert_inbound(self, session: Session, contact: Contact, message: InboundMessage) -> int | None:
        row = {
            "contact_id": contact.id,
            "channel": message.channel,
            "direction": "in",
            "provider_message_id": message.provider_message_id,
            "text_enc": self._protector.seal(message.text),
            "options": [],
            "urgent": False,
            "understood": True,
            "has_location": message.location is not None,
            "media_count": len(message.media),
            "media_enc": self._seal_media(message),
            "created_at": message.received_at,
        }
        return session.connection().execute(self._sql.new_inbound, row).scalar()

    def _seal_media(self, message: InboundMessage) -> bytes:
        """The attachment links, sealed, for the caseworker's case view (never downloaded here)."""
        if not message.media:
            return b""
        return self._protector.seal(json.dumps([{"url": m.url, "content_type": m.content_type} for m in message.media]))

    def _note_understanding(self, session: Session, inbound_id: int, turn: Turn) -> None:
        prediction = turn.prediction
        values: dict[str, object] = {"understood": turn.understood}
        if prediction is not None:
            values.update(
                intent=prediction.intent,
                confidence=round(prediction.confidence, 4),
                lang=prediction.lang,
                urgent=prediction.urgent,
            )
        session.connection().execute(self._sql.understood, {"message_id": inbound_id, **values})

    def _load_state(self, contact: Contact) -> ConversationState:
        if not contact.state_enc:  # a contact from before state was sealed: resume at the menu
            step = "idle" if contact.consent_version else "new"
            return ConversationState(
                step=step, lang=contact.lang, city=contact.city, consent_version=contact.consent_version
            )
        return ConversationState.from_dict(json.loads(self._protector.open(contact.state_enc)))

    def _save_state(self, contact: Contact, message: InboundMessage, turn: Turn) -> None:
        state = turn.state
        contact.state_enc = self._protector.seal(json.dumps(state.to_dict()))
        contact.lang = state.lang
        contact.city = state.city
        contact.last_inbound_at = message.received_at
        if state.consent_version and state.consent_version != contact.consent_version:
            contact.consent_version = state.consent_version
            contact.consent_at = message.received_at

    def _store_replies(self, session: Session, contact: Contact, turn: Turn) -> tuple[StoredReply, ...]:
        now = datetime.now(UTC)
        immediate = contact.channel in IMMEDIATE_CHANNELS
        connection = session.connection()
        stored: list[StoredReply] = []
        for reply in turn.replies:
            row = {
                "contact_id": contact.id,
                "channel": contact.channel,
                "direction": "out",
                "text_enc": self._protector.seal(reply.text),
                "options": list(reply.options),
                "urgent": False,
                "understood": True,
                "created_at": now,
            }
            stored.append(StoredReply(connection.execute(self._sql.new_reply, row).scalar_one(), reply))
        if stored:
            outbox = {
                "contact_id": contact.id,
                "channel": contact.channel,
                "status": "sent" if immediate else "pending",
                "attempts": 1 if immediate else 0,
                "next_attempt_at": now,
                "created_at": now,
                "sent_at": now if immediate else None,
            }
            connection.execute(self._sql.new_outbox_item, [{**outbox, "message_id": r.id} for r in stored])
        return tuple(stored)

    def _store_handoff(self, session: Session, contact: Contact, turn: Turn) -> None:
        # One active case per contact: opened and routed to a team, escalated by an urgent
        # message, cancelled by MENU/CANCEL, touched by forwarded messages (bot.handoff.intake).
        self._cases.record_turn(session, contact, turn)
        if turn.handoff is not None and turn.handoff.answers:
            self._attach_answers(session, contact, turn.handoff.answers)

    def _attach_answers(self, session: Session, contact: Contact, answers: tuple[tuple[str, str], ...]) -> None:
        """Keep a guided flow's answers on the case, encrypted like message text."""
        case = active_case(session, contact.id)
        if case is not None:
            case.details_enc = self._protector.seal(json.dumps(dict(answers), ensure_ascii=False))

    def _log_turn(self, message: InboundMessage, turn: Turn, started: float) -> None:
        prediction = turn.prediction
        log.info(
            "turn channel=%s intent=%s urgent=%s understood=%s replies=%d handoff=%s ms=%.1f",
            message.channel,
            prediction.intent if prediction else "-",
            prediction.urgent if prediction else False,
            turn.understood,
            len(turn.replies),
            turn.handoff.reason if turn.handoff else "-",
            (time.perf_counter() - started) * 1000,
        )


class Statements:
    """The inbox's statements, built once per database kind and executed with parameters.

    Built afresh for every message, SQLAlchemy would walk each statement again to find its cached
    compiled form; that walk was the largest part of a turn's CPU on PostgreSQL (bench/engine.py).
    """

    def __init__(self, dialect: str) -> None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        tables = Base.metadata.tables
        contacts, messages = tables["contacts"], tables["messages"]
        self.new_contact = insert(contacts).on_conflict_do_nothing(index_elements=["channel", "user_hash"])
        self.lock_contact = (
            select(Contact)
            .where(Contact.channel == bindparam("channel"), Contact.user_hash == bindparam("user_hash"))
            .with_for_update()
        )
        self.new_inbound = (
            insert(messages)
            .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
            .returning(messages.c.id)
        )
        self.understood = update(messages).where(messages.c.id == bindparam("message_id"))
        self.new_reply = insert(messages).returning(messages.c.id)
        self.new_outbox_item = insert(tables["outbox"])
