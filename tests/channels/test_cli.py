"""``puente telegram set-webhook`` / ``webhook-info`` and ``puente outbox run`` against the fakes."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.channels import outbox_app, telegram_app
from bot.storage.protection import Protector
from tests.channels.conftest import BOT_TOKEN, PUBLIC_URL, TELEGRAM_SECRET
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.queue import queue_replies


def puente() -> typer.Typer:
    """The two command groups as `puente` registers them."""
    app = typer.Typer()
    app.add_typer(telegram_app, name="telegram")
    app.add_typer(outbox_app, name="outbox")
    return app


def test_set_webhook_registers_our_url_with_the_secret(fake_telegram: tuple[FakeTelegram, str]) -> None:
    fake, url = fake_telegram
    env = {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": url,
        "PUENTE_PUBLIC_URL": PUBLIC_URL,
    }
    result = CliRunner().invoke(puente(), ["telegram", "set-webhook"], env=env)
    assert result.exit_code == 0, result.output
    assert fake.webhook["url"] == f"{PUBLIC_URL}/webhooks/telegram"
    assert fake.webhook["secret_token"] == TELEGRAM_SECRET
    assert BOT_TOKEN not in result.output and TELEGRAM_SECRET not in result.output
    info = CliRunner().invoke(puente(), ["telegram", "webhook-info"], env=env)
    assert f"url: {PUBLIC_URL}/webhooks/telegram" in info.output


def test_set_webhook_needs_the_public_url_and_the_secret() -> None:
    result = CliRunner().invoke(puente(), ["telegram", "set-webhook"], env={"TELEGRAM_BOT_TOKEN": BOT_TOKEN})
    assert result.exit_code == 2


def test_outbox_run_drain_sends_and_exits(
    db_url: str,
    db: Engine,
    protector: Protector,
    key_environ: dict[str, str],
    fake_telegram: tuple[FakeTelegram, str],
    tmp_path: Path,
) -> None:
    fake, url = fake_telegram
    queue_replies(db, protector, "telegram", ["600000040", "600000041"])
    env = {
        **key_environ,
        "DATABASE_URL": db_url,
        "PUENTE_VAR_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_BASE_URL": url,
    }
    result = CliRunner().invoke(puente(), ["outbox", "run", "--drain", "--timeout", "20"], env=env)
    assert result.exit_code == 0, result.output
    assert sorted(s.chat_id for s in fake.sent) == [600000040, 600000041]
