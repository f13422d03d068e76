"""Telegram through python-telegram-bot: webhook with secret token, polling, keyboards, errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.base import Address, Part, PermanentSendError, TransientSendError
from bot.channels.outbox import OutboxStore
from bot.channels.telegram import TelegramChannel, classify, inbound_from_update
from bot.engine.messages import OutboundMessage
from bot.inbox import Inbox
from bot.storage.models import Contact, Message, OutboxItem
from tests.channels.conftest import TELEGRAM_SECRET, count, fast_hub, fixture
from tests.channels.fake_telegram import FakeTelegram

pytestmark = pytest.mark.anyio
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}


def client_for(telegram: TelegramChannel, inbox: Inbox, store: OutboxStore) -> tuple[httpx.AsyncClient, Any]:
    hub = fast_hub([telegram], inbox, store)
    app = Starlette(routes=hub.routes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://10.0.0.5:8000"), hub


def nothing_stored(db: Engine) -> bool:
    return count(db, Contact) == 0 and count(db, Message) == 0 and count(db, OutboxItem) == 0


def normalise(name: str) -> Any:
    update = Update.de_json(fixture(name), None)
    return inbound_from_update(update, datetime.now(UTC))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("telegram_text.json", "hola, necesito comida"),
        ("telegram_start.json", "/start"),
        ("telegram_menu.json", "menu"),
        ("telegram_delete.json", "/delete"),
        ("telegram_callback_query.json", "2"),
    ],
)
def test_real_updates_become_the_words_the_engine_knows(name: str, text: str) -> None:
    item = normalise(name)
    assert item.message.text == text
    assert (item.message.channel, item.message.user_id) == ("telegram", "500000001")
    assert item.message.provider_message_id == f"update:{fixture(name)['update_id']}"


def test_location_photo_and_voice_are_mapped_and_edits_ignored() -> None:
    location = normalise("telegram_location.json").message.location
    assert location is not None and location.longitude == pytest.approx(-72.5078)
    (photo,) = normalise("telegram_photo.json").message.media
    assert photo.url == "telegram-file:AgACAgEAAxkBAAIBlarge" and photo.content_type == "image/jpeg"
    (voice,) = normalise("telegram_voice.json").message.media
    assert voice.content_type == "audio/ogg"
    assert normalise("telegram_edited_message.json") is None
    button = normalise("telegram_callback_query.json")
    assert button.callback_query_id == "4382bfdwdsb323b2d9" and button.button_message_id == 101


async def test_update_with_the_secret_is_stored_and_answered_200(
    telegram: TelegramChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, _ = client_for(telegram, inbox, store)
    async with client:
        response = await client.post("/webhooks/telegram", json=fixture("telegram_text.json"), headers=HEADERS)
    assert response.status_code == 200
    with db.connect() as conn:
        assert conn.scalar(select(Message.provider_message_id).where(Message.direction == "in")) == "update:900000001"
        assert conn.scalar(select(OutboxItem.status)) == "pending"


@pytest.mark.parametrize(
    "headers",
    [pytest.param({}, id="missing"), pytest.param({"X-Telegram-Bot-Api-Secret-Token": "guess"}, id="wrong")],
)
async def test_wrong_or_missing_secret_gets_403_and_changes_nothing(
    headers: dict[str, str], telegram: TelegramChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, _ = client_for(telegram, inbox, store)
    async with client:
        response = await client.post("/webhooks/telegram", json=fixture("telegram_text.json"), headers=headers)
    assert response.status_code == 403
    assert nothing_stored(db)


async def test_malformed_and_oversized_updates_get_4xx_and_change_nothing(
    telegram: TelegramChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    json_headers = {**HEADERS, "Content-Type": "application/json"}
    bodies = [
        b"{not json",
        b"[1, 2, 3]",
        b'{"update_id": "seven"}',
        b'{"update_id": 5, "message": "not an object"}',
        b'{"update_id": 5, "message": {"message_id": 1}}',
        b'{"update_id": 5, "message": "' + b"a" * (1024 * 1024) + b'"}',
    ]
    client, _ = client_for(telegram, inbox, store)
    async with client:
        statuses = [
            (await client.post("/webhooks/telegram", content=body, headers=json_headers)).status_code for body in bodies
        ]
        form = await client.post("/webhooks/telegram", data={"update_id": "1"}, headers=HEADERS)
    assert statuses == [400, 400, 400, 400, 400, 413]
    assert form.status_code == 415
    assert nothing_stored(db)


async def test_a_hundred_duplicate_updates_give_one_reply(
    telegram: TelegramChannel,
    inbox: Inbox,
    store: OutboxStore,
    db: Engine,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    client, hub = client_for(telegram, inbox, store)
    update = fixture("telegram_start.json")
    async with client:
        responses = await asyncio.gather(
            *(client.post("/webhooks/telegram", json=update, headers=HEADERS) for _ in range(100))
        )
    assert {r.status_code for r in responses} == {200}
    assert await hub.sender.drain(10)
    fake, _ = fake_telegram
    assert count(db, Message) == 2
    (sent,) = fake.sent
    assert sent.chat_id == 500000001 and sent.text == "es|privacy_notice"
    assert sent.buttons[0] == ("1. Español", "1") and len(sent.buttons) == 5


async def test_button_press_picks_the_option_and_is_acknowledged(
    telegram: TelegramChannel,
    inbox: Inbox,
    store: OutboxStore,
    db: Engine,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    client, _ = client_for(telegram, inbox, store)
    async with client:
        await client.post("/webhooks/telegram", json=fixture("telegram_start.json"), headers=HEADERS)
        press = {**fixture("telegram_callback_query.json")}
        press["callback_query"] = {**press["callback_query"], "data": "1"}  # Español
        assert (await client.post("/webhooks/telegram", json=press, headers=HEADERS)).status_code == 200
    fake, _ = fake_telegram
    assert {"answerCallbackQuery", "editMessageReplyMarkup"} <= set(fake.methods())
    with db.connect() as conn:
        assert conn.scalar(select(Contact.lang)) == "es"  # the press chose language 1


async def test_delete_command_erases_and_says_goodbye_directly(
    telegram: TelegramChannel,
    inbox: Inbox,
    store: OutboxStore,
    db: Engine,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    base = fixture("telegram_text.json")
    client, _ = client_for(telegram, inbox, store)
    async with client:
        for i, text in enumerate(["hola", "1", "/delete", "1"]):
            update = {"update_id": 800 + i, "message": {**base["message"], "message_id": 900 + i, "text": text}}
            assert (await client.post("/webhooks/telegram", json=update, headers=HEADERS)).status_code == 200
    fake, _ = fake_telegram
    assert count(db, Contact) == 0
    assert [s.text for s in fake.sent] == ["es|delete_done"]


def test_render_splits_under_4096_utf16_units_with_the_keyboard_on_the_last_part() -> None:
    from tests.channels.conftest import telegram_config

    channel = TelegramChannel(telegram_config())
    parts = channel.render("telegram", OutboundMessage("😀 texto largo. " * 400, ("Food", "Health")))
    assert len(parts) == 2
    assert all(len(p.text.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert parts[0].options == () and parts[1].options == ("Food", "Health")


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (BadRequest("Bad Request: chat not found"), PermanentSendError, "telegram:400"),
        (Forbidden("Forbidden: bot was blocked by the user"), PermanentSendError, "telegram:forbidden"),
        (ChatMigrated(-100123), PermanentSendError, "telegram:migrated"),
        (TimedOut(), TransientSendError, "telegram:timeout"),
        (NetworkError("Bad Gateway"), TransientSendError, "telegram:network"),
        (RetryAfter(7), TransientSendError, "telegram:429"),
    ],
)
def test_errors_are_classified_subclass_first(error: Exception, kind: type, code: str) -> None:
    assert isinstance(BadRequest("x"), NetworkError)  # why the order matters
    classified = classify(error)  # type: ignore[arg-type]
    assert type(classified) is kind and classified.code == code
    if isinstance(error, RetryAfter):
        assert isinstance(classified, TransientSendError) and classified.retry_after == 7.0


async def test_send_surfaces_provider_failures_as_typed_errors(
    telegram: TelegramChannel, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake, _ = fake_telegram
    fake.failures.script.extend(["403", "400", "429:2", "500", "timeout"])
    address = Address("telegram", "500000001", 1)
    outcomes = []
    for _ in range(5):
        with pytest.raises((PermanentSendError, TransientSendError)) as raised:
            await telegram.send(address, Part("hola"))
        outcomes.append((type(raised.value).__name__, raised.value.code))
    assert outcomes == [
        ("PermanentSendError", "telegram:forbidden"),
        ("PermanentSendError", "telegram:400"),
        ("TransientSendError", "telegram:429"),
        ("TransientSendError", "telegram:network"),
        ("TransientSendError", "telegram:timeout"),
    ]
    assert fake.sent == []
    assert await telegram.send(address, Part("hola")) == str(fake.sent[0].message_id)


async def test_polling_receives_updates_and_replies(
    fake_telegram: tuple[FakeTelegram, str], inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    from tests.channels.conftest import telegram_config

    fake, url = fake_telegram
    fake.updates.extend([fixture("telegram_start.json"), fixture("telegram_start.json")])  # a repeat too
    channel = TelegramChannel(telegram_config(url))
    hub = fast_hub([channel], inbox, store)
    stop = asyncio.Event()
    sender = asyncio.create_task(hub.sender.run(stop))
    polling = asyncio.create_task(channel.poll(hub.receive, stop))
    for _ in range(200):
        await asyncio.sleep(0.05)
        if fake.sent:
            break
    stop.set()
    await asyncio.wait_for(asyncio.gather(polling, sender), 10)
    assert [s.text for s in fake.sent] == ["es|privacy_notice"]
    assert "deleteWebhook" in fake.methods()
    assert count(db, Message) == 2


async def test_no_token_secret_chat_id_or_text_in_the_logs_at_info(
    caplog: pytest.LogCaptureFixture,
    telegram: TelegramChannel,
    inbox: Inbox,
    store: OutboxStore,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    import logging

    from bot.logs import configure_logging
    from tests.channels.conftest import BOT_TOKEN

    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    configure_logging()  # what `puente serve` does
    caplog.set_level(logging.INFO)
    fake, _ = fake_telegram
    fake.failures.script.extend(["500", "403"])
    client, hub = client_for(telegram, inbox, store)
    async with client:
        await client.post(
            "/webhooks/telegram",
            json=fixture("telegram_text.json"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "guess-Zq81"},
        )
        await client.post("/webhooks/telegram", json=fixture("telegram_text.json"), headers=HEADERS)
        await client.post("/webhooks/telegram", json=fixture("telegram_start.json"), headers=HEADERS)
        assert await hub.sender.drain(10)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_info!r}" for r in caplog.records if r.levelno >= logging.INFO)
    assert caplog.records  # the sender did log its retries and failures
    for private in (BOT_TOKEN, BOT_TOKEN.split(":")[1], TELEGRAM_SECRET, "guess-Zq81", "500000001", "necesito comida"):
        assert private not in logged


async def test_a_handler_bug_answers_500_so_telegram_redelivers(
    monkeypatch: pytest.MonkeyPatch, telegram: TelegramChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    def broken(update: Update, received_at: datetime) -> None:
        raise KeyError("a field we did not expect")

    monkeypatch.setattr("bot.channels.telegram.inbound_from_update", broken)
    client, _ = client_for(telegram, inbox, store)
    async with client:
        with pytest.raises(RuntimeError):  # the ASGI transport re-raises what Starlette answers with 500
            await client.post("/webhooks/telegram", json=fixture("telegram_text.json"), headers=HEADERS)
    assert nothing_stored(db)
