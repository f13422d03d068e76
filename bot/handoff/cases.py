"""Shared steps of the queue's actions: find a case the actor may see, lock, write to the user.

Lock order, everywhere: the contact row first, then its case (the inbox does the same), so a
caseworker's reply and the person's next message never deadlock.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.engine.state import ConversationState
from bot.handoff.actor import Actor
from bot.handoff.errors import CaseNotFound, InvalidInput
from bot.storage.models import Contact, Handoff, Message, OutboxItem
from bot.storage.protection import Protector

# As bot.inbox: these channels deliver in the HTTP response / page poll, so "sent" at once.
IMMEDIATE_CHANNELS = frozenset({"web", "cli"})
MAX_TEXT_CHARS = 4000


def visible_case(session: Session, actor: Actor, case_id: int, *, lock: bool = False) -> Handoff:
    """The case if it exists and its team is the actor's business, else CaseNotFound."""
    query = select(Handoff).where(Handoff.id == case_id)
    case = session.scalars(query.with_for_update() if lock else query).first()
    if case is None or not actor.sees_team(case.team):
        raise CaseNotFound(f"case {case_id} is not in your teams' queue")
    return case


def lock_case_and_contact(session: Session, actor: Actor, case_id: int) -> tuple[Handoff, Contact]:
    """Lock the contact row, then the case row (the inbox's order), checking visibility."""
    contact_id = session.scalar(select(Handoff.contact_id).where(Handoff.id == case_id))
    if contact_id is None:
        raise CaseNotFound(f"case {case_id} is not in your teams' queue")
    contact = session.scalars(select(Contact).where(Contact.id == contact_id).with_for_update()).one()
    return visible_case(session, actor, case_id, lock=True), contact


def send_to_contact(session: Session, protector: Protector, contact: Contact, text: str, now: datetime) -> Message:
    """Store an outbound message and its outbox item (the channel sender delivers pending ones)."""
    immediate = contact.channel in IMMEDIATE_CHANNELS
    message = Message(
        contact_id=contact.id,
        channel=contact.channel,
        direction="out",
        text_enc=protector.seal(text),
        options=[],
        urgent=False,
        understood=True,
        has_location=False,
        media_count=0,
        created_at=now,
    )
    session.add(message)
    session.flush()
    session.add(
        OutboxItem(
            message_id=message.id,
            contact_id=contact.id,
            channel=contact.channel,
            status="sent" if immediate else "pending",
            attempts=1 if immediate else 0,
            next_attempt_at=now,
            created_at=now,
            sent_at=now if immediate else None,
        )
    )
    return message


def clean_text(text: str, what: str) -> str:
    """Trimmed text, refusing empty or over-long input."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise InvalidInput(f"the {what} is empty")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(f"the {what} is longer than {MAX_TEXT_CHARS} characters")
    return cleaned


def read_state(protector: Protector, contact: Contact) -> ConversationState | None:
    """The contact's sealed conversation state (None when there is none or it was erased)."""
    raw = protector.open_or_none(contact.state_enc) if contact.state_enc else None
    return ConversationState.from_dict(json.loads(raw)) if raw else None


def back_to_bot(protector: Protector, contact: Contact) -> None:
    """End the "messages go to the caseworker" step: the person talks to the assistant again."""
    state = read_state(protector, contact)
    if state is not None and state.step == "with_person":
        idle = state.evolve(step="idle", options=())
        contact.state_enc = protector.seal(json.dumps(idle.to_dict()))
