"""Builders for outbox rows: replies waiting to be sent, without running the engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.storage.models import Contact, Message, OutboxItem
from bot.storage.protection import Protector


def add_contact(session: Session, protector: Protector, channel: str, user_id: str, last_inbound: datetime) -> Contact:
    contact = Contact(
        channel=channel,
        user_hash=protector.pseudonym(channel, user_id),
        address_enc=protector.seal(user_id),
        state_enc=protector.seal("{}"),
        created_at=last_inbound,
        last_inbound_at=last_inbound,
    )
    session.add(contact)
    session.flush()
    return contact


def add_reply(
    session: Session, protector: Protector, contact: Contact, text: str, options: tuple[str, ...] = ()
) -> int:
    now = datetime.now(UTC)
    message = Message(
        contact_id=contact.id,
        channel=contact.channel,
        direction="out",
        text_enc=protector.seal(text),
        options=list(options),
        created_at=now,
    )
    session.add(message)
    session.flush()
    item = OutboxItem(
        message_id=message.id,
        contact_id=contact.id,
        channel=contact.channel,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(item)
    session.flush()
    return item.id


def queue_replies(
    db: Engine, protector: Protector, channel: str, users: list[str], *, age: timedelta = timedelta(0)
) -> list[int]:
    """One pending reply ("reply to <user>") per user, each a contact last heard ``age`` ago."""
    ids: list[int] = []
    with Session(db) as session, session.begin():
        for user in users:
            contact = add_contact(session, protector, channel, user, datetime.now(UTC) - age)
            ids.append(add_reply(session, protector, contact, f"reply to {user}", ("Menu",)))
    return ids
