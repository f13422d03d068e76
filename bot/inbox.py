"""The inbox: stores each inbound message, asks the engine, and stores its answer, in one transaction.

Per message: lock the contact row (one conversation is answered in order even with several
server processes), insert the inbound message (a repeated provider message id stops here:
answered once, never twice), run the engine on the stored state, then save the new state, the
replies (transcript + outbox) and any handoff. Nothing is sent from here.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.engine import Engine as ConversationEngine
from bot.engine.engine import Turn
from bot.engine.messages import InboundMessage, OutboundMessage
from bot.engine.state import ConversationState
from bot.storage.models import Contact, Handoff, Message, OutboxItem
from bot.storage.protection import Protector

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


class Inbox:
    """Receives normalised messages for every channel."""

    def __init__(self, db: Engine, engine: ConversationEngine, protector: Protector) -> None:
        self._db = db
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._engine = engine
        self._protector = protector

    def receive(self, message: InboundMessage) -> Received:
        """Store, answer and store the answer; a duplicate delivery returns ``duplicate=True``."""
        started = time.perf_counter()
        with self._sessions.begin() as session:
            contact = self._lock_contact(session, message)
            inbound_id = self._insert_inbound(session, contact, message)
            if inbound_id is None:
                log.info("duplicate delivery ignored channel=%s", message.channel)
                return Received(duplicate=True)
            turn = self._engine.handle(message, ConversationState.from_dict(contact.state))
            self._note_understanding(session, inbound_id, turn)
            if turn.erase:
                session.execute(delete(Contact).where(Contact.id == contact.id))
                replies = tuple(StoredReply(0, reply) for reply in turn.replies)
            else:
                self._save_state(contact, message, turn)
                replies = self._store_replies(session, contact, turn)
                self._store_handoff(session, contact, turn)
        self._log_turn(message, turn, started)
        return Received(duplicate=False, replies=replies)

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
                StoredReply(row.id, OutboundMessage(self._protector.open(row.text_enc), tuple(row.options)))
                for row in rows
            )

    # -- steps ----------------------------------------------------------------------------

    def _lock_contact(self, session: Session, message: InboundMessage) -> Contact:
        user_hash = self._protector.pseudonym(message.channel, message.user_id)
        now = datetime.now(UTC)
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(
            insert(Contact)
            .values(
                channel=message.channel,
                user_hash=user_hash,
                address_enc=self._protector.seal(message.user_id),
                state={},
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["channel", "user_hash"])
        )
        contact = session.scalars(
            select(Contact)
            .where(Contact.channel == message.channel, Contact.user_hash == user_hash)
            .with_for_update()
        ).one()
        return contact

    def _insert_inbound(self, session: Session, contact: Contact, message: InboundMessage) -> int | None:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        return session.scalar(
            insert(Message)
            .values(
                contact_id=contact.id,
                channel=message.channel,
                direction="in",
                provider_message_id=message.provider_message_id,
                text_enc=self._protector.seal(message.text),
                options=[],
                urgent=False,
                understood=True,
                has_location=message.location is not None,
                media_count=len(message.media),
                created_at=message.received_at,
            )
            .on_conflict_do_nothing(index_elements=["channel", "provider_message_id"])
            .returning(Message.id)
        )

    def _note_understanding(self, session: Session, inbound_id: int, turn: Turn) -> None:
        row = session.get(Message, inbound_id)
        assert row is not None
        row.understood = turn.understood
        if turn.prediction is not None:
            row.intent = turn.prediction.intent
            row.confidence = round(turn.prediction.confidence, 4)
            row.lang = turn.prediction.lang
            row.urgent = turn.prediction.urgent

    def _save_state(self, contact: Contact, message: InboundMessage, turn: Turn) -> None:
        state = turn.state
        contact.state = state.to_dict()
        contact.lang = state.lang
        contact.city = state.city
        contact.last_inbound_at = message.received_at
        if state.consent_version and state.consent_version != contact.consent_version:
            contact.consent_version = state.consent_version
            contact.consent_at = message.received_at

    def _store_replies(self, session: Session, contact: Contact, turn: Turn) -> tuple[StoredReply, ...]:
        now = datetime.now(UTC)
        immediate = contact.channel in IMMEDIATE_CHANNELS
        stored: list[StoredReply] = []
        for reply in turn.replies:
            row = Message(
                contact_id=contact.id,
                channel=contact.channel,
                direction="out",
                text_enc=self._protector.seal(reply.text),
                options=list(reply.options),
                urgent=False,
                understood=True,
                created_at=now,
            )
            session.add(row)
            session.flush()
            session.add(
                OutboxItem(
                    message_id=row.id,
                    contact_id=contact.id,
                    channel=contact.channel,
                    status="sent" if immediate else "pending",
                    attempts=1 if immediate else 0,
                    next_attempt_at=now,
                    created_at=now,
                    sent_at=now if immediate else None,
                )
            )
            stored.append(StoredReply(row.id, reply))
        return tuple(stored)

    def _store_handoff(self, session: Session, contact: Contact, turn: Turn) -> None:
        request = turn.handoff
        if request is None:
            return
        session.add(
            Handoff(
                contact_id=contact.id,
                reason=request.reason,
                topic=request.topic,
                lang=turn.state.lang,
                city=turn.state.city,
                priority=0 if request.urgent else 1,
                status="open",
                created_at=datetime.now(UTC),
            )
        )

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
