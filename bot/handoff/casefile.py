"""CaseFiles: the case view (transcript, notes), replies to the person and internal notes.

Opening a case is audited (``view``); the page's refresh of the transcript is part of that view
and is not logged again. Replies go through the outbox like the bot's own messages: ``sent`` at
once for the web chat (its page polls), ``pending`` for channels a sender delivers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.handoff import audit
from bot.handoff.actor import Actor
from bot.handoff.cases import (
    clean_text,
    lock_case_and_contact,
    read_state,
    send_to_contact,
    visible_case,
)
from bot.handoff.errors import CaseConflict, NotAllowed
from bot.handoff.intake import ACTIVE_STATUSES
from bot.storage.models import (
    CaseNote,
    CaseReply,
    Caseworker,
    Contact,
    Handoff,
    Message,
    OutboxItem,
)
from bot.storage.protection import KeyError_, Protector

TRANSCRIPT_LIMIT = 300
UNREADABLE = "[this message cannot be decrypted with the current keys]"
ERASED = "[text removed by the retention policy]"


@dataclass(frozen=True)
class Line:
    """One transcript line; ``author`` is set for a caseworker's reply."""

    id: int
    direction: str
    at: datetime
    text: str
    author: str | None
    delivery: str | None  # the outbox status: pending, sent, failed...
    provider_status: str | None  # what the provider reported later: delivered, read...
    delivery_note: str | None  # why a reply is held or failed (e.g. sent as template outside 24 h)
    urgent: bool
    understood: bool
    has_location: bool
    media_count: int
    media: tuple[tuple[str, str], ...] = ()  # (url, content type) of each attachment


@dataclass(frozen=True)
class Note:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Transcript:
    """The lines and a short version string that changes when any line or delivery state does."""

    lines: tuple[Line, ...]
    version: str


@dataclass(frozen=True)
class CaseView:
    """Everything the case page shows."""

    case: Handoff
    claimed_by: str | None
    channel: str
    contact_lang: str | None
    contact_city: str | None
    last_topic: str | None
    transcript: Transcript
    notes: tuple[Note, ...]
    answers: tuple[tuple[str, str], ...]  # a guided flow's answers, if the case came from one


class CaseFiles:
    """Reads and writes the content of cases (each method is one transaction)."""

    def __init__(self, db: Engine, protector: Protector) -> None:
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._protector = protector

    def view(self, actor: Actor, case_id: int) -> CaseView:
        """The whole case, audited as a view."""
        with self._sessions.begin() as session:
            case = visible_case(session, actor, case_id)
            contact = session.get(Contact, case.contact_id)
            assert contact is not None
            claimer = session.get(Caseworker, case.claimed_by) if case.claimed_by else None
            audit.record(session, actor, "view", handoff_id=case.id, team=case.team)
            return CaseView(
                case=case,
                claimed_by=claimer.username if claimer else None,
                channel=contact.channel,
                contact_lang=contact.lang,
                contact_city=contact.city,
                last_topic=_last_topic(self._protector, contact),
                transcript=self._transcript(session, case.contact_id),
                notes=self._notes(session, case.id),
                answers=self._answers(case),
            )

    def transcript(self, actor: Actor, case_id: int) -> Transcript:
        """The transcript alone, for the open page's refresh."""
        with self._sessions() as session:
            case = visible_case(session, actor, case_id)
            return self._transcript(session, case.contact_id)

    def language(self, actor: Actor, case_id: int) -> str | None:
        """The person's language (to pick canned replies), without opening the case."""
        with self._sessions() as session:
            case = visible_case(session, actor, case_id)
            contact = session.get(Contact, case.contact_id)
            return contact.lang if contact else case.lang

    def reply(self, actor: Actor, case_id: int, text: str) -> int:
        """Send the caseworker's text to the person; returns the message id."""
        body = clean_text(text, "reply")
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            case, contact = lock_case_and_contact(session, actor, case_id)
            if case.status != "claimed" or case.claimed_by != actor.id:
                raise NotAllowed("claim the case before writing to the person")
            message = send_to_contact(session, self._protector, contact, body, now)
            session.add(CaseReply(message_id=message.id, handoff_id=case.id, caseworker_id=actor.id))
            case.last_activity_at = now
            audit.record(
                session,
                actor,
                "reply",
                handoff_id=case.id,
                team=case.team,
                detail=f"message={message.id}",
            )
            return message.id

    def note(self, actor: Actor, case_id: int, text: str) -> None:
        """Add an internal note (never sent to the person)."""
        body = clean_text(text, "note")
        with self._sessions.begin() as session:
            case = visible_case(session, actor, case_id)
            if case.status not in ACTIVE_STATUSES:
                raise CaseConflict("this case is closed")
            note = CaseNote(
                handoff_id=case.id,
                author_id=actor.id,
                text_enc=self._protector.seal(body),
                created_at=datetime.now(UTC),
            )
            session.add(note)
            session.flush()
            audit.record(session, actor, "note", handoff_id=case.id, team=case.team, detail=f"note={note.id}")

    # -- reading -------------------------------------------------------------------------

    def _transcript(self, session: Session, contact_id: int) -> Transcript:
        author = aliased(Caseworker)
        query = (
            select(
                Message,
                OutboxItem.status,
                OutboxItem.provider_status,
                author.username,
                OutboxItem.last_error,
                OutboxItem.template_sid,
            )
            .outerjoin(OutboxItem, OutboxItem.message_id == Message.id)
            .outerjoin(CaseReply, CaseReply.message_id == Message.id)
            .outerjoin(author, author.id == CaseReply.caseworker_id)
            .where(Message.contact_id == contact_id)
            .order_by(Message.id.desc())
            .limit(TRANSCRIPT_LIMIT)
        )
        rows = list(session.execute(query))
        rows.reverse()
        lines = tuple(
            self._line(message, status, provider, name, _delivery_note(status, error, template))
            for message, status, provider, name, error, template in rows
        )
        stamp = ",".join(f"{line.id}:{line.delivery}:{line.provider_status}" for line in lines)
        return Transcript(lines, hashlib.sha256(stamp.encode()).hexdigest()[:16])

    def _line(
        self, message: Message, delivery: str | None, provider: str | None, author: str | None, note: str | None
    ) -> Line:
        return Line(
            id=message.id,
            direction=message.direction,
            at=message.created_at,
            text=self._open(message.text_enc),
            author=author,
            delivery=delivery,
            provider_status=provider,
            delivery_note=note,
            urgent=message.urgent,
            understood=message.understood,
            has_location=message.has_location,
            media_count=message.media_count,
            media=self._media(message.media_enc),
        )

    def _media(self, sealed: bytes) -> tuple[tuple[str, str], ...]:
        if not sealed:
            return ()
        return tuple((m["url"], m["content_type"]) for m in json.loads(self._protector.open(sealed)))

    def _notes(self, session: Session, case_id: int) -> tuple[Note, ...]:
        query = (
            select(CaseNote, Caseworker.username)
            .outerjoin(Caseworker, Caseworker.id == CaseNote.author_id)
            .where(CaseNote.handoff_id == case_id)
            .order_by(CaseNote.id)
        )
        return tuple(
            Note(name or "(removed account)", note.created_at, self._open(note.text_enc))
            for note, name in session.execute(query)
        )

    def _answers(self, case: Handoff) -> tuple[tuple[str, str], ...]:
        if not case.details_enc:
            return ()
        try:
            data = json.loads(self._protector.open(case.details_enc))
        except (KeyError_, ValueError):
            return (("answers", UNREADABLE),)
        if not isinstance(data, dict):
            return ()
        return tuple((str(key), str(value)) for key, value in data.items())

    def _open(self, sealed: bytes) -> str:
        try:
            text = self._protector.open_or_none(sealed)
        except KeyError_:
            return UNREADABLE
        return ERASED if text is None else text


def _last_topic(protector: Protector, contact: Contact) -> str | None:
    try:
        state = read_state(protector, contact)
    except (KeyError_, ValueError):
        return None
    return state.topic if state else None


def _delivery_note(status: str | None, error: str | None, template_sid: str | None) -> str | None:
    """What a caseworker must know about a reply that did not simply go out."""
    if template_sid and status == "held":
        return "outside WhatsApp's 24-hour window: a neutral template was sent; this text goes when the person writes"
    if status in ("failed", "undelivered", "held") and error:
        return error
    return None
