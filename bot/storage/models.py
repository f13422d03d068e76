"""SQLAlchemy 2 models: contacts, transcript, outbox, handoffs and the caseworker console.

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
    text,
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
    state_enc: Mapped[bytes] = mapped_column(LargeBinary)  # the ConversationState as sealed JSON
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
    media_enc: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # sealed JSON [{url, content_type}]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxItem(Base):
    """An outbound message waiting for (or done with) delivery to its channel."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_contact_status", "contact_id", "status", "id"),  # per-chat order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # pending | sending | sent | held | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # delivery (bot.channels.outbox): who is sending it until when, how far a split reply got,
    # what the provider reported, and the WhatsApp template sent outside the 24-hour window
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    provider_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    provider_status: Mapped[str | None] = mapped_column(String(16))  # queued .. delivered | read
    error_code: Mapped[str | None] = mapped_column(String(32))
    template_sid: Mapped[str | None] = mapped_column(String(64))
    template_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InboundJob(Base):
    """A webhook message accepted but not yet answered (bot.channels.intake); deleted once answered.

    The payload (the whole normalised message: address, text, location, media links) is sealed.
    """

    __tablename__ = "inbound_queue"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id", name="uq_inbound_queue_provider_id"),
        Index("ix_inbound_queue_person", "channel", "user_hash", "id"),  # per-person order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str] = mapped_column(String(128))
    user_hash: Mapped[str] = mapped_column(String(64))
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary)
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(64))


ACTIVE_CASE = "status IN ('open', 'claimed')"
_CASEWORKER_ID = "caseworkers.id"
_HANDOFF_ID = "handoffs.id"


class Handoff(Base):
    """A request for a person to take over a conversation: one case in the caseworkers' queue."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_status_priority", "status", "priority", "created_at"),
        Index("ix_handoffs_team_status", "team", "status", "priority", "created_at"),
        # At most one active case per contact, enforced by the database.
        Index(
            "uq_handoffs_active_contact",
            "contact_id",
            unique=True,
            postgresql_where=text(ACTIVE_CASE),
            sqlite_where=text(ACTIVE_CASE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))  # asked | misunderstood | urgent | flow
    topic: Mapped[str | None] = mapped_column(String(32))
    lang: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer)  # 0 = urgent, 1 = normal
    status: Mapped[str] = mapped_column(String(16))  # open | claimed | closed | cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    team: Mapped[str] = mapped_column(String(40), default="general", server_default="general")
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey(_CASEWORKER_ID, ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(24))
    referral_service_id: Mapped[str | None] = mapped_column(String(64))
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # a guided flow's answers for the caseworker (JSON object), encrypted (migration 0004_flows)
    details_enc: Mapped[bytes | None] = mapped_column(LargeBinary)


class Team(Base):
    """A group of caseworkers that cases are routed to (``gbv``, ``cash_transfer``, ``general``)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    require_totp: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Caseworker(Base):
    """A console account: argon2 password hash, role, optional TOTP secret (encrypted)."""

    __tablename__ = "caseworkers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # caseworker | supervisor | admin
    totp_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code is accepted once
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseworkerTeam(Base):
    """Membership of a caseworker in a team."""

    __tablename__ = "caseworker_teams"

    caseworker_id: Mapped[int] = mapped_column(
        ForeignKey("caseworkers.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )


class ConsoleSession(Base):
    """A console login: the cookie carries a token, the row keeps only its SHA-256."""

    __tablename__ = "console_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(
        ForeignKey(_CASEWORKER_ID, ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(8))  # totp | enrol | ok
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One line of the append-only audit log (database triggers refuse UPDATE and DELETE).

    No foreign keys: the log outlives erased contacts and retired accounts. ``detail`` never
    holds personal data of the people helped (ids, outcomes and team names only).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_handoff", "handoff_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    team: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(200))


class CaseNote(Base):
    """An internal note on a case, never sent to the user; text encrypted at rest."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey(_HANDOFF_ID, ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey(_CASEWORKER_ID, ondelete="SET NULL"))
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseReply(Base):
    """Marks an outbound message as written by a caseworker on a case (not by the bot)."""

    __tablename__ = "case_replies"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    handoff_id: Mapped[int] = mapped_column(ForeignKey(_HANDOFF_ID, ondelete="CASCADE"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(
        ForeignKey(_CASEWORKER_ID, ondelete="SET NULL")
    )


class CaseStat(Base):
    """What stays of a case after the person's data is erased: no link to anyone, no text."""

    __tablename__ = "case_stats"
    __table_args__ = (Index("ix_case_stats_closed", "closed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(40))
    lang: Mapped[str | None] = mapped_column(String(2))
    team: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
