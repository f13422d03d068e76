"""SQLAlchemy 2 models: contacts, the message transcript, the outbox and handoffs.

Personal data is never stored in clear: channel user ids are keyed hashes (``user_hash``) with
the reply address encrypted beside them, and message text is encrypted (``*_enc`` columns).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Puente table."""


class Contact(Base):
    """One person on one channel, with the conversation state the engine keeps for them."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "user_hash", name="uq_contacts_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_hash: Mapped[str] = mapped_column(String(64))
    address_enc: Mapped[bytes] = mapped_column(LargeBinary)
    lang: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(Base):
    """One line of a transcript, inbound or outbound; text encrypted at rest."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id", name="uq_messages_provider_id"),
        Index("ix_messages_contact_id_id", "contact_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    intent: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    lang: Mapped[str | None] = mapped_column(String(2))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    understood: Mapped[bool] = mapped_column(Boolean, default=True)
    has_location: Mapped[bool] = mapped_column(Boolean, default=False)
    media_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxItem(Base):
    """An outbound message waiting for (or done with) delivery to its channel."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | delivered | read | failed | ...
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Handoff(Base):
    """A request for a person to take over a conversation."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_status_priority", "status", "priority", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))  # asked | misunderstood | urgent | flow
    topic: Mapped[str | None] = mapped_column(String(32))
    lang: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer)  # 0 = urgent, 1 = normal
    status: Mapped[str] = mapped_column(String(16))  # open | claimed | closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
