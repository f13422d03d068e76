"""Requests of a data subject (Ley 1581 de 2012, art. 8): find a person, export or erase their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, CaseStat, Contact, Handoff, Message
from bot.storage.protection import Protector


class UnknownPerson(LookupError):
    """No contact has that channel id (or it was already erased or anonymised)."""


@dataclass(frozen=True)
class PersonRef:
    """A person as named on the command line: ``CHANNEL:ID`` (``whatsapp:+57...``, ``telegram:123``)."""

    channel: str
    user_id: str

    @classmethod
    def parse(cls, value: str) -> PersonRef:
        channel, sep, user_id = value.partition(":")
        if not sep or not channel or not user_id:
            raise ValueError("name the person as CHANNEL:ID, e.g. whatsapp:+573001234567 or telegram:123456")
        return cls(channel, user_id)


def find_contact_id(session: Session, protector: Protector, person: PersonRef) -> int:
    user_hash = protector.pseudonym(person.channel, person.user_id)
    contact_id = session.scalar(
        select(Contact.id).where(Contact.channel == person.channel, Contact.user_hash == user_hash)
    )
    if contact_id is None:
        raise UnknownPerson(f"no stored data for that {person.channel} id")
    return contact_id


def export_person(db: Engine, protector: Protector, person: PersonRef) -> dict[str, Any]:
    """Everything stored about one person, decrypted, as JSON-ready data (right of access)."""
    with Session(db) as session:
        contact = session.get_one(Contact, find_contact_id(session, protector, person))
        messages = session.scalars(select(Message).where(Message.contact_id == contact.id).order_by(Message.id))
        handoffs = session.scalars(select(Handoff).where(Handoff.contact_id == contact.id).order_by(Handoff.id))
        return {
            "channel": contact.channel,
            "user_id": protector.open(contact.address_enc),
            "language": contact.lang,
            "city": contact.city,
            "consent": {"version": contact.consent_version, "at": _iso(contact.consent_at)},
            "first_contact": _iso(contact.created_at),
            "last_message": _iso(contact.last_inbound_at),
            "messages": [
                {
                    "direction": m.direction,
                    "text": protector.open_or_none(m.text_enc),
                    "at": _iso(m.created_at),
                    "understood_as": m.intent,
                    "urgent": m.urgent,
                }
                for m in messages
            ],
            "requests_for_a_person": [
                {"reason": h.reason, "topic": h.topic, "status": h.status, "at": _iso(h.created_at)} for h in handoffs
            ],
        }


def erase_contact(session: Session, contact_id: int, *, requested_by: str) -> None:
    """Delete a contact; the database cascades to messages, outbox, cases, notes and answers.

    Each case first leaves its non-identifying statistics (topic, city, outcome, dates) in
    ``case_stats``; a case still open at erasure is counted with the outcome ``erased``.
    """
    cases = session.scalars(select(Handoff).where(Handoff.contact_id == contact_id))
    session.add_all(
        CaseStat(
            topic=case.topic,
            city=case.city,
            lang=case.lang,
            team=case.team,
            reason=case.reason,
            priority=case.priority,
            outcome=case.outcome if case.status == "closed" else "erased",
            created_at=case.created_at,
            first_claimed_at=case.first_claimed_at,
            closed_at=case.closed_at if case.status == "closed" else datetime.now(UTC),
        )
        for case in cases
    )
    session.flush()
    channel = session.scalar(select(Contact.channel).where(Contact.id == contact_id))
    session.execute(delete(Contact).where(Contact.id == contact_id))
    # The audit line names who asked and the channel only: nothing that points to the person.
    session.add(
        AuditEntry(at=datetime.now(UTC), actor=requested_by[:64], action="data_erased", detail=f"channel={channel}")
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
