"""The channels inside the real app: configuration, mounted webhooks, the sender in the lifespan."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.app import build_app, build_puente
from bot.channels.hub import channels_from_settings
from bot.settings import SettingsError, load_settings
from tests.channels.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BOT_TOKEN,
    PUBLIC_URL,
    TABLE,
    TELEGRAM_SECRET,
    WHATSAPP_FROM,
    fixture,
)
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.fakes import KeywordNlu

CHANNEL_ENV = {
    "PUENTE_PUBLIC_URL": PUBLIC_URL,
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
    "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
}


def test_unset_channels_are_off_and_config_says_so() -> None:
    settings = load_settings({})
    assert channels_from_settings(settings) == []
    shown = settings.describe()
    assert shown["channel.whatsapp"].startswith("off") and shown["channel.telegram"].startswith("off")


def test_config_shows_channels_on_and_masks_the_secrets() -> None:
    shown = load_settings(CHANNEL_ENV).describe()
    assert shown["channel.whatsapp"] == "on" and shown["channel.sms"].startswith("off (TWILIO_SMS_FROM")
    assert shown["channel.telegram"].startswith("on, webhook")
    assert AUTH_TOKEN not in str(shown) and BOT_TOKEN not in str(shown) and TELEGRAM_SECRET not in str(shown)


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN"),
        ({"PUENTE_PUBLIC_URL": ""}, "PUENTE_PUBLIC_URL"),
        ({"TWILIO_ACCOUNT_SID": "XX123"}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_WHATSAPP_FROM": "+14155238886"}, "TWILIO_WHATSAPP_FROM"),
        ({"TWILIO_TEMPLATE_SID": "template"}, "TWILIO_TEMPLATE_SID"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/"}, "TELEGRAM_API_BASE_URL"),
    ],
)
def test_bad_channel_settings_name_the_variable(changes: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({**CHANNEL_ENV, **changes})


def test_the_app_mounts_the_webhooks_and_sends_replies_from_its_lifespan(
    db_url: str, key_environ: dict[str, str], tmp_path: Path
) -> None:
    twilio, telegram = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN), FakeTelegram(BOT_TOKEN)
    with twilio.running() as twilio_url, telegram.running() as telegram_url:
        environ = {**key_environ, "DATABASE_URL": db_url, "PUENTE_VAR_DIR": str(tmp_path), **CHANNEL_ENV}
        environ |= {"TWILIO_API_BASE_URL": twilio_url, "TELEGRAM_API_BASE_URL": telegram_url}
        puente = build_puente(load_settings(environ), environ, nlu=KeywordNlu(TABLE))
        with TestClient(build_app(puente, watch_content=False)) as client:
            params = fixture("twilio_whatsapp_text.json")
            signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}/webhooks/twilio", params)
            assert client.post("/webhooks/twilio", data=params, headers={"X-Twilio-Signature": signature}).is_success
            update = client.post(
                "/webhooks/telegram",
                json=fixture("telegram_start.json"),
                headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
            )
            assert update.status_code == 200
            deadline = time.monotonic() + 10
            while (not twilio.sent or not telegram.sent) and time.monotonic() < deadline:
                time.sleep(0.05)
    assert [m.to for m in twilio.sent] == ["whatsapp:+573000000001"]
    assert [s.chat_id for s in telegram.sent] == [500000001]
    assert twilio.sent[0].status_callback is not None
    assert twilio.sent[0].status_callback.startswith(f"{PUBLIC_URL}/webhooks/twilio/status?outbox=")
