"""The outbox as the sender sees it: claim due items safely across processes, record what happened.

Claiming is one short transaction. On PostgreSQL it is ``SELECT ... FOR UPDATE SKIP LOCKED``;
on SQLite the engine opens every write transaction with ``BEGIN IMMEDIATE``, so the same
select-then-update runs alone. A claimed item becomes ``sending`` with a lease; a process that
dies mid-send leaves it to be picked up again when the lease ends.

Per chat, only the oldest unfinished item is ever eligible, and only when the chat was not
written to in the last ``per_chat_gap`` seconds: messages to one person go out in order, one
at a time, whichever process sends them.

Item states::

    pending --claim--> sending --all parts sent--> sent  (provider_status: queued .. read)
       ^                  |  \\--transient error--> pending (later); failed after the limit
       |                  |   \\-permanent error--> failed
       |                  \\--outside the 24 h window--> held (template sent)
       \\------------------------------------------------ held, once the person writes back
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.channels.base import ProviderStatus, SendError
from bot.engine.messages import OutboundMessage
from bot.storage.models import Contact, Message, OutboxItem
from bot.storage.protection import KeyError_, Protector

log = logging.getLogger(__name__)

OPEN_STATES = ("pending", "sending", "held")
PROVIDER_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "read": 5,
}
PROVIDER_FAILURES = frozenset({"failed", "undelivered", "canceled"})


@dataclass(frozen=True)
class Delivery:
    """One claimed outbox item, decrypted and ready to send."""

    outbox_id: int
    channel: str
    user_id: str
    message: OutboundMessage
    parts_sent: int
    attempts: int
    last_inbound_at: datetime | None


def utc(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class OutboxStore:
    """Claims and updates outbox rows on behalf of one sender process (``owner``)."""

    def __init__(self, db: Engine, protector: Protector, owner: str) -> None:
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._protector = protector
        self._owner = owner[:64]

    def claim(self, channel: str, limit: int, lease: timedelta, per_chat_gap: timedelta) -> list[Delivery]:
        """Up to ``limit`` due items of ``channel``, marked ``sending`` for this owner."""
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            ids = list(session.scalars(_due_items(channel, limit, now, per_chat_gap)))
            if not ids:
                return []
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids))
                .values(
                    status="sending",
                    lease_until=now + lease,
                    lease_owner=self._owner,
                    attempts=OutboxItem.attempts + 1,
                )
            )
            return self._load(session, ids)

    def record_part(self, outbox_id: int, provider_id: str, *, last: bool) -> None:
        """One part of the item reached the provider; after the ``last`` one the item is sent."""
        with self._sessions.begin() as session:
            item = self._owned(session, outbox_id)
            if item is None:
                return
            item.parts_sent += 1
            item.provider_ids = [*item.provider_ids, provider_id]
            item.provider_message_id = item.provider_message_id or provider_id
            if last:
                item.status, item.sent_at, item.lease_until = "sent", datetime.now(UTC), None
                item.last_error = item.error_code = None

    def record_held(self, outbox_id: int, provider_id: str, template_sid: str, reason: str) -> None:
        """The template went out instead; the message waits until the person writes back."""
        with self._sessions.begin() as session:
            item = self._owned(session, outbox_id)
            if item is None:
                return
            now = datetime.now(UTC)
            item.status, item.lease_until, item.sent_at = "held", None, now
            item.template_sid, item.template_sent_at = template_sid, now
            item.provider_ids = [*item.provider_ids, provider_id]
            item.last_error, item.error_code = reason[:200], "outside_window"

    def record_retry(self, outbox_id: int, error: SendError, delay: float) -> None:
        """A transient failure: back to pending, due again after ``delay`` seconds."""
        with self._sessions.begin() as session:
            item = self._owned(session, outbox_id)
            if item is None:
                return
            item.status, item.lease_until = "pending", None
            item.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
            item.last_error, item.error_code = error.reason[:200], error.code

    def record_failed(self, outbox_id: int, reason: str, code: str | None) -> None:
        """Given up: the reason and code stay on the row for the caseworker."""
        with self._sessions.begin() as session:
            item = self._owned(session, outbox_id)
            if item is None:
                return
            item.status, item.lease_until = "failed", None
            item.last_error, item.error_code = reason[:200], code

    def record_status(self, report: ProviderStatus) -> bool:
        """Apply a provider delivery report: monotonic, idempotent, failures always shown."""
        with self._sessions.begin() as session:
            item = session.get(OutboxItem, report.outbox_id, with_for_update=True)
            if item is None:
                return False
            if report.status in PROVIDER_FAILURES:
                item.provider_status, item.status = report.status, "failed"
                item.error_code = report.error_code
                item.last_error = (report.reason or f"the provider reported {report.status}")[:200]
            elif _advances(item.provider_status, report.status):
                item.provider_status = report.status
            return True

    def open_count(self, channels: tuple[str, ...]) -> int:
        """Items still to send (pending or being sent) on these channels; held ones excluded."""
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(OutboxItem)
                    .where(OutboxItem.channel.in_(channels), OutboxItem.status.in_(("pending", "sending")))
                )
                or 0
            )

    # -- helpers ------------------------------------------------------------------------------

    def _owned(self, session: Session, outbox_id: int) -> OutboxItem | None:
        item = session.get(OutboxItem, outbox_id, with_for_update=True)
        if item is None or item.status != "sending" or item.lease_owner != self._owner:
            log.warning("outbox item %s is no longer leased to this sender; result not recorded", outbox_id)
            return None
        return item

    def _load(self, session: Session, ids: list[int]) -> list[Delivery]:
        rows = session.execute(
            select(OutboxItem, Contact, Message)
            .join(Contact, Contact.id == OutboxItem.contact_id)
            .join(Message, Message.id == OutboxItem.message_id)
            .where(OutboxItem.id.in_(ids))
            .order_by(OutboxItem.id)
        )
        deliveries: list[Delivery] = []
        for item, contact, message in rows:
            try:
                user_id = self._protector.open(contact.address_enc)
                text = self._protector.open(message.text_enc)
            except KeyError_ as exc:
                item.status, item.lease_until = "failed", None
                item.last_error, item.error_code = f"cannot decrypt: {exc}"[:200], "decrypt"
                continue
            deliveries.append(
                Delivery(
                    outbox_id=item.id,
                    channel=item.channel,
                    user_id=user_id,
                    message=OutboundMessage(text, tuple(message.options)),
                    parts_sent=item.parts_sent,
                    attempts=item.attempts,
                    last_inbound_at=utc(contact.last_inbound_at),
                )
            )
        return deliveries


def _due_items(channel: str, limit: int, now: datetime, per_chat_gap: timedelta) -> Select[int]:
    """The select that picks claimable ids (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    item, earlier, recent = OutboxItem, aliased(OutboxItem), aliased(OutboxItem)
    reopened = exists().where(Contact.id == item.contact_id, Contact.last_inbound_at > item.template_sent_at)
    due = or_(
        and_(item.status == "pending", item.next_attempt_at <= now),
        and_(item.status == "sending", item.lease_until < now),
        and_(item.status == "held", reopened),
    )
    behind_earlier = exists().where(
        earlier.contact_id == item.contact_id, earlier.id < item.id, earlier.status.in_(OPEN_STATES)
    )
    written_recently = exists().where(recent.contact_id == item.contact_id, recent.sent_at > now - per_chat_gap)
    return (
        select(item.id)
        .where(item.channel == channel, due, ~behind_earlier, ~written_recently)
        .order_by(item.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=item)
    )


def _advances(current: str | None, new: str) -> bool:
    if current in PROVIDER_FAILURES:
        return False
    return PROVIDER_RANK.get(new, -1) > PROVIDER_RANK.get(current or "", -1)
