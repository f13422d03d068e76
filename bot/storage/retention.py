"""Retention: erase old message text and the identifiers of long-silent contacts.

Counts survive: message rows keep their direction, channel, intent, language, urgency and
date; only ``text_enc`` becomes empty. A silent contact keeps its row (for statistics) but
loses its pseudonym, address, city and conversation state. Every statement is an UPDATE or
DELETE whose WHERE excludes what is already done, so purging is idempotent and safe to run in
several processes at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, String, Update, cast, delete, func, literal, select, update

from bot.storage.models import Contact, Message, OutboxItem

ERASED = b""
PURGED_PREFIX = "purged:"


@dataclass(frozen=True)
class RetentionPolicy:
    """How long things are kept (days)."""

    text_days: int = 90
    topic_days: tuple[tuple[str, int], ...] = ()
    inactive_days: int = 365


@dataclass(frozen=True)
class PurgeReport:
    """What one purge changed (zero everywhere on a second run)."""

    texts_erased: int
    contacts_anonymised: int


def purge(db: Engine, policy: RetentionPolicy, now: datetime | None = None) -> PurgeReport:
    """Apply the retention policy once."""
    now = now or datetime.now(UTC)
    with db.begin() as conn:
        texts = conn.execute(_erase_text_before(now - timedelta(days=policy.text_days))).rowcount
        for topic, days in policy.topic_days:
            texts += conn.execute(_erase_text_before(now - timedelta(days=days), topic=topic)).rowcount
        contacts = _anonymise_silent(conn, now - timedelta(days=policy.inactive_days))
    return PurgeReport(texts_erased=texts, contacts_anonymised=contacts)


def _erase_text_before(cutoff: datetime, topic: str | None = None) -> Update:
    statement = update(Message).where(Message.created_at < cutoff, Message.text_enc != ERASED)
    if topic is not None:  # every message of a conversation that touched the topic
        touched = select(Message.contact_id).where(Message.intent == topic)
        statement = statement.where(Message.contact_id.in_(touched))
    return statement.values(text_enc=ERASED, media_enc=ERASED, provider_message_id=None)


def _anonymise_silent(conn: Connection, cutoff: datetime) -> int:
    silent = (func.coalesce(Contact.last_inbound_at, Contact.created_at) < cutoff) & ~Contact.user_hash.startswith(
        PURGED_PREFIX
    )
    ids = list(conn.scalars(select(Contact.id).where(silent)))
    if not ids:
        return 0
    conn.execute(delete(OutboxItem).where(OutboxItem.contact_id.in_(ids), OutboxItem.status == "pending"))
    conn.execute(
        update(Message)
        .where(Message.contact_id.in_(ids))
        .values(text_enc=ERASED, media_enc=ERASED, provider_message_id=None)
    )
    anonymised = conn.execute(
        update(Contact)
        .where(Contact.id.in_(ids), silent)
        .values(
            user_hash=literal(PURGED_PREFIX) + cast(Contact.id, String(20)),
            address_enc=ERASED,
            state_enc=ERASED,
            city=None,
        )
    )
    return anonymised.rowcount
