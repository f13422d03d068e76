"""The messaging channels of one process: built from the settings, their webhooks, their sender.

A channel whose variables are unset is simply absent. ``start`` opens the providers' clients
and runs the outbox sender as a task; ``stop`` lets the batch in hand finish, then closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from bot.channels.base import Channel, ProviderStatus
from bot.channels.delivery import RetryPolicy, Sender, SenderTuning
from bot.channels.outbox import OutboxStore
from bot.channels.ratelimit import RateLimit
from bot.channels.telegram import TelegramChannel, TelegramConfig
from bot.channels.twilio_whatsapp import TwilioChannel, TwilioConfig
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox, Received
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
DEFAULT_POLICY = RetryPolicy()
DEFAULT_TUNING = SenderTuning()


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
    ) -> None:
        self.channels = tuple(channels)
        self._inbox = inbox
        self._store = store
        self.sender = build_sender(channels, store, policy, tuning)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, db: Engine, inbox: Inbox, protector: Protector) -> ChannelHub:
        return cls(channels_from_settings(settings), inbox, OutboxStore(db, protector, sender_name()))

    def routes(self) -> list[BaseRoute]:
        return [route for channel in self.channels for route in channel.routes(self.receive, self.report)]

    async def receive(self, message: InboundMessage) -> Received:
        """Store and answer one message (the inbox is synchronous: run it off the event loop)."""
        return await run_in_threadpool(self._inbox.receive, message)

    async def report(self, status: ProviderStatus) -> None:
        await run_in_threadpool(self._store.record_status, status)

    async def start(self, *, run_sender: bool = True) -> None:
        for channel in self.channels:
            await channel.start()
        if run_sender and self.channels:
            self._stop.clear()
            self._task = asyncio.create_task(self.sender.run(self._stop))
            log.info(
                "outbox sender started for %s",
                ", ".join(sorted(n for c in self.channels for n in c.names)),
            )

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("outbox sender did not stop in time; leases will expire")
            self._task = None
        for channel in self.channels:
            await channel.stop()
