"""The messaging channels of one process: built from the settings, their webhooks, their sender.

A channel whose variables are unset is simply absent. With an inbound queue (the app's
setting), a webhook only stores its message and answers the provider at once; the answerer
works out the replies in order for each person, and the outbox sender delivers them. Without
one, a webhook runs the whole inbox before answering. ``start`` opens the providers' clients and
runs the answerer and the outbox sender as tasks; ``stop`` lets the work in hand finish, then closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from bot.channels.answering import Answerer, AnswerTuning
from bot.channels.base import Address, Channel, ProviderStatus, SendError
from bot.channels.delivery import RetryPolicy, Sender, SenderTuning
from bot.channels.groupcommit import GroupCommitter, Lanes, ThreadWriter
from bot.channels.intake import IntakeStore
from bot.channels.outbox import OutboxStore
from bot.channels.pgaccept import PgQueueWriter
from bot.channels.ratelimit import RateLimit
from bot.channels.telegram import TelegramChannel, TelegramConfig
from bot.channels.twilio_whatsapp import TwilioChannel, TwilioConfig
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox, Received, StoredReply
from bot.settings import Settings
from bot.storage.protection import Protector

log = logging.getLogger(__name__)

# Per process. Telegram: ~30 messages/s overall and about one per second per chat (Bots FAQ);
# Twilio WhatsApp: 80 MPS per sender by default; SMS long codes are far slower.
DEFAULT_LIMITS = {
    "telegram": RateLimit(per_second=25.0, burst=25, per_chat_gap=1.0),
    "whatsapp": RateLimit(per_second=50.0, burst=20, per_chat_gap=1.0),
    "sms": RateLimit(per_second=5.0, burst=5, per_chat_gap=1.0),
}
STOP_GRACE_SECONDS = 15.0
QUEUE_LANES = 2  # queue writes in flight at once per web process (PostgreSQL): +8 % accepted/s against one
DEFAULT_POLICY = RetryPolicy()
DEFAULT_TUNING = SenderTuning()
DEFAULT_ANSWERING = AnswerTuning()


def channels_from_settings(settings: Settings) -> list[Channel]:
    """The providers whose variables are set."""
    found: list[Channel] = []
    if settings.twilio_enabled and settings.public_url and settings.twilio_auth_token:
        found.append(
            TwilioChannel(
                TwilioConfig(
                    account_sid=settings.twilio_account_sid or "",
                    auth_token=settings.twilio_auth_token,
                    public_url=settings.public_url,
                    whatsapp_from=settings.twilio_whatsapp_from,
                    sms_from=settings.twilio_sms_from,
                    template_sid=settings.twilio_template_sid,
                    api_base_url=settings.twilio_api_base_url,
                )
            )
        )
    if settings.telegram_bot_token is not None:
        found.append(
            TelegramChannel(
                TelegramConfig(
                    token=settings.telegram_bot_token,
                    webhook_secret=settings.telegram_webhook_secret,
                    api_base_url=settings.telegram_api_base_url,
                )
            )
        )
    return found


def build_sender(
    channels: Sequence[Channel],
    store: OutboxStore,
    policy: RetryPolicy = DEFAULT_POLICY,
    tuning: SenderTuning = DEFAULT_TUNING,
    limits: Mapping[str, RateLimit] = DEFAULT_LIMITS,
) -> Sender:
    """The outbox sender for these channels (rate limits by message channel)."""
    by_name = {name: channel for channel in channels for name in channel.names}
    chosen = {name: limits.get(name, DEFAULT_LIMITS["sms"]) for name in by_name}
    return Sender(store, by_name, chosen, policy, tuning)


def acceptor_for(intake: IntakeStore) -> Lanes[InboundMessage, bool]:
    """On PostgreSQL, statements from the event loop in ``QUEUE_LANES`` lanes (a connection each;
    one person's messages always in the same lane, so in order); on SQLite, which has one
    writer anyway, transactions on one thread."""
    conninfo = intake.postgres_conninfo
    if conninfo is None:
        return Lanes([GroupCommitter(ThreadWriter(intake.accept_many))], key=_person)
    return Lanes([GroupCommitter(PgQueueWriter(intake, conninfo)) for _ in range(QUEUE_LANES)], key=_person)


def _person(message: InboundMessage) -> tuple[str, str]:
    return message.channel, message.user_id


def limits_at(rate: float | None) -> dict[str, RateLimit]:
    """The default limits, or every channel at ``rate`` messages per second (per-chat gaps kept)."""
    if rate is None:
        return dict(DEFAULT_LIMITS)
    return {name: replace(limit, per_second=rate, burst=max(1, int(rate))) for name, limit in DEFAULT_LIMITS.items()}


def sender_name() -> str:
    """Who holds a lease: host, process and a random suffix (two runs never share a name)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ChannelHub:
    """Joins the channels to the inbox (inbound) and to the outbox sender (outbound)."""

    def __init__(
        self,
        channels: Sequence[Channel],
        inbox: Inbox,
        store: OutboxStore,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        tuning: SenderTuning = DEFAULT_TUNING,
        intake: IntakeStore | None = None,
        answering: AnswerTuning = DEFAULT_ANSWERING,
        limits: Mapping[str, RateLimit] = DEFAULT_LIMITS,
    ) -> None:
        self.channels = tuple(channels)
        self._by_name = {name: channel for channel in self.channels for name in channel.names}
        self._inbox = inbox
        self._store = store
        self._accepts = acceptor_for(intake) if intake is not None else None
        self.sender = build_sender(channels, store, policy, tuning, limits)
        self.answerer = (
            Answerer(intake, inbox, self.say, answering, on_answered=self._wake_sender) if intake is not None else None
        )
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    def from_settings(cls, settings: Settings, db: Engine, inbox: Inbox, protector: Protector) -> ChannelHub:
        owner = sender_name()
        return cls(
            channels_from_settings(settings),
            inbox,
            OutboxStore(db, protector, owner),
            intake=IntakeStore(db, protector, owner),
            limits=limits_at(settings.outbox_rate),
        )

    def routes(self) -> list[BaseRoute]:
        return [route for channel in self.channels for route in channel.routes(self.receive, self.report)]

    async def receive(self, message: InboundMessage) -> Received:
        """Queue one message for the answerer, or (without a queue) store and answer it now.

        If the queue cannot be written, the inbox takes the message at once: stored and answered
        if the database recovered, otherwise spooled with the unstored answer (the emergency
        lines first when it is urgent) for the channel to give in its webhook response.
        """
        if self._accepts is None or self.answerer is None:
            return await run_in_threadpool(self._inbox.receive, message)
        try:
            queued = await self._accepts.submit(message)  # one statement for the requests arriving together
        except Exception as exc:  # whatever stops the queue, the message is answered the slow way
            failure = type(exc).__name__
            log.error("queueing a message failed (%s); answering it now, channel=%s", failure, message.channel)
            return await run_in_threadpool(self._inbox.receive, message)
        if queued:
            self.answerer.wake()
        else:
            log.debug("duplicate delivery ignored channel=%s", message.channel)
        return Received(duplicate=not queued)

    async def say(self, message: InboundMessage, replies: tuple[StoredReply, ...]) -> None:
        """Send replies that have no outbox item (the goodbye after an erasure) straight away."""
        channel = self._by_name.get(message.channel)
        if channel is None:
            log.warning("no channel to say %d unqueued replies on, channel=%s", len(replies), message.channel)
            return
        address = Address(message.channel, message.user_id, 0)
        try:
            for reply in replies:
                for part in channel.render(message.channel, reply.message):
                    await channel.send(address, part)
        except SendError as exc:
            log.warning("an unqueued reply could not be sent (%s), channel=%s", exc.code, message.channel)

    def _wake_sender(self) -> None:
        self.sender.wake()

    async def report(self, status: ProviderStatus) -> None:
        await run_in_threadpool(self._store.record_status, status)

    async def start(self, *, run_sender: bool = True, run_answerer: bool = True) -> None:
        """Open the channels; run the outbox sender and the answerer here unless another process does."""
        for channel in self.channels:
            await channel.start()
        self._stop.clear()
        if run_answerer and self.answerer is not None and self.channels:
            self._tasks.append(asyncio.create_task(self.answerer.run(self._stop)))
        if run_sender and self.channels:
            self._tasks.append(asyncio.create_task(self.sender.run(self._stop)))
            log.info(
                "outbox sender started for %s",
                ", ".join(sorted(n for c in self.channels for n in c.names)),
            )

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("answerer or outbox sender did not stop in time; leases will expire")
        self._tasks = []
        if self._accepts is not None:
            await self._accepts.aclose()
        for channel in self.channels:
            await channel.stop()
