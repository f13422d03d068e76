"""Fixtures for the channel tests: a real inbox on the fast engine fakes, local fake providers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from bot.channels.delivery import RetryPolicy, Sender, SenderTuning
from bot.channels.hub import ChannelHub, build_sender
from bot.channels.outbox import OutboxStore
from bot.channels.ratelimit import RateLimit
from bot.channels.telegram import TelegramChannel, TelegramConfig
from bot.channels.twilio_whatsapp import TwilioChannel, TwilioConfig
from bot.engine.engine import Engine as ConversationEngine
from bot.inbox import Inbox
from bot.secret import Secret
from bot.storage.protection import Protector
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ACCOUNT_SID = "AC00000000000000000000000000000001"
AUTH_TOKEN = "twilio-test-auth-token-0123456789"
PUBLIC_URL = "https://puente.example.org"
WHATSAPP_FROM = "whatsapp:+14155238886"
SMS_FROM = "+15005550006"
TEMPLATE_SID = "HX00000000000000000000000000000001"
BOT_TOKEN = "7000001:AAE-test-token-abcdefghijklmnopqrstuvwxy"
TELEGRAM_SECRET = "telegram-webhook-secret_0123456789"
FAST_LIMITS = {
    name: RateLimit(per_second=2000.0, burst=200, per_chat_gap=0.0) for name in ("whatsapp", "sms", "telegram")
}
FAST_POLICY = RetryPolicy(max_attempts=15, base_delay=0.005, max_delay=0.05)
FAST_TUNING = SenderTuning(batch=100, idle_wait=0.02)
TABLE = {"trabajo": "employability", "medico": "health", "hola": "greeting", "comida": "food"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def make_inbox(db: Engine, protector: Protector) -> Inbox:
    return Inbox(db, ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts()), protector)


def count(db: Engine, model: type) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def inbox(db: Engine, protector: Protector) -> Inbox:
    return make_inbox(db, protector)


@pytest.fixture
def store(db: Engine, protector: Protector) -> OutboxStore:
    return OutboxStore(db, protector, "test-sender")


@pytest.fixture
def fake_twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN)
    with fake.running() as url:
        yield fake, url


@pytest.fixture
def fake_telegram() -> Iterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram(BOT_TOKEN)
    with fake.running() as url:
        yield fake, url


def twilio_config(
    api_url: str | None = None, template: str | None = TEMPLATE_SID, timeout: float = 0.5
) -> TwilioConfig:
    return TwilioConfig(
        account_sid=ACCOUNT_SID,
        auth_token=Secret(AUTH_TOKEN),
        public_url=PUBLIC_URL,
        whatsapp_from=WHATSAPP_FROM,
        sms_from=SMS_FROM,
        template_sid=template,
        api_base_url=api_url,
        timeout=timeout,
    )


def telegram_config(api_url: str | None = None, timeout: float = 0.5) -> TelegramConfig:
    return TelegramConfig(
        token=Secret(BOT_TOKEN), webhook_secret=Secret(TELEGRAM_SECRET), api_base_url=api_url, timeout=timeout
    )


@pytest.fixture
async def twilio(fake_twilio: tuple[FakeTwilio, str]) -> AsyncIterator[TwilioChannel]:
    channel = TwilioChannel(twilio_config(fake_twilio[1]))
    await channel.start()
    yield channel
    await channel.stop()


@pytest.fixture
async def telegram(fake_telegram: tuple[FakeTelegram, str]) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(telegram_config(fake_telegram[1]))
    await channel.start()
    assert await channel.wait_ready(5)
    yield channel
    await channel.stop()


def fast_sender(channels: list[Any], store: OutboxStore, policy: RetryPolicy = FAST_POLICY) -> Sender:
    return build_sender(channels, store, policy, FAST_TUNING, FAST_LIMITS)


def fast_hub(channels: list[Any], inbox: Inbox, store: OutboxStore) -> ChannelHub:
    hub = ChannelHub(channels, inbox, store, policy=FAST_POLICY, tuning=FAST_TUNING)
    hub.sender = fast_sender(channels, store)
    return hub


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
