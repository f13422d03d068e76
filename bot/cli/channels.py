"""``puente telegram`` (polling, webhook registration) and ``puente outbox run`` (the sender alone)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.logs import configure_logging
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

T = TypeVar("T")

telegram_app = typer.Typer(
    help="Telegram bot: polling for development, webhook registration.",
    invoke_without_command=True,
)
outbox_app = typer.Typer(help="Outbound delivery of replies.", no_args_is_help=True)


@telegram_app.callback()
def telegram(
    ctx: typer.Context,
    polling: Annotated[
        bool,
        typer.Option(
            "--polling",
            help="Development: fetch updates with getUpdates (removes a registered webhook) "
            "and send the replies from this process. Updates fetched but not yet stored when "
            "the process dies are lost: use the webhook in production.",
        ),
    ] = False,
) -> None:
    """Telegram: `--polling` for development, or a sub-command."""
    if ctx.invoked_subcommand is not None:
        return
    if not polling:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    configure_logging()
    asyncio.run(_poll(load_settings(os.environ)))


@telegram_app.command("set-webhook")
def set_webhook() -> None:
    """Register PUENTE_PUBLIC_URL/webhooks/telegram with TELEGRAM_WEBHOOK_SECRET."""
    settings = load_settings(os.environ)
    if not settings.public_url or settings.telegram_webhook_secret is None:
        typer.echo("set PUENTE_PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET first", err=True)
        raise typer.Exit(2)
    public_url = settings.public_url

    async def register(channel: TelegramChannel) -> bool:
        return await channel.set_webhook(public_url)

    ok = asyncio.run(_with_telegram(settings, register))
    typer.echo(f"webhook {'registered' if ok else 'NOT registered'}: {settings.public_url}/webhooks/telegram")
    raise typer.Exit(0 if ok else 1)


@telegram_app.command("webhook-info")
def webhook_info() -> None:
    """What Telegram knows of our webhook: URL, pending updates, last error."""
    info = asyncio.run(_with_telegram(load_settings(os.environ), _describe_webhook))
    for name, value in info.items():
        typer.echo(f"{name}: {value}")


@outbox_app.command("run")
def outbox_run(
    drain: Annotated[bool, typer.Option(help="Exit once nothing is left to send")] = False,
    timeout: Annotated[float, typer.Option(help="With --drain: give up after this many seconds")] = 300.0,
    rate: Annotated[
        float | None,
        typer.Option(help="Messages per second per channel for this process (its share of the provider's limit)"),
    ] = None,
) -> None:
    """Send queued replies for every configured channel (as `puente serve` does in the background)."""
    configure_logging()
    settings = load_settings(os.environ)
    if rate is not None and rate <= 0:
        raise typer.BadParameter("--rate must be positive")
    ok = asyncio.run(_send_outbox(settings, drain=drain, timeout=timeout, rate=rate))
    raise typer.Exit(0 if ok else 1)


# -- the async parts ----------------------------------------------------------------------------


async def _poll(settings: Settings) -> None:
    from bot.app import build_puente
    from bot.channels.hub import ChannelHub, sender_name
    from bot.channels.outbox import OutboxStore
    from bot.channels.telegram import TelegramChannel, TelegramConfig

    if settings.telegram_bot_token is None:
        raise typer.BadParameter("TELEGRAM_BOT_TOKEN is not set")
    puente = build_puente(settings, os.environ, create_keys=True)
    channel = TelegramChannel(TelegramConfig(settings.telegram_bot_token, api_base_url=settings.telegram_api_base_url))
    hub = ChannelHub([channel], puente.inbox, OutboxStore(puente.db, puente.protector, sender_name()))
    stop = _stop_on_signals()
    sender = asyncio.create_task(hub.sender.run(stop))
    typer.echo("Puente on Telegram (polling); Ctrl-C to stop.")
    try:
        await channel.poll(hub.receive, stop)
    finally:
        stop.set()
        await sender
        puente.db.dispose()


async def _send_outbox(settings: Settings, *, drain: bool, timeout: float, rate: float | None) -> bool:
    from bot.channels.hub import build_sender, channels_from_settings, limits_at, sender_name
    from bot.channels.outbox import OutboxStore
    from bot.keys import protector_from_environ
    from bot.storage.database import create_db_engine

    channels = channels_from_settings(settings)
    if not channels:
        typer.echo("no channel is configured (see `puente config`)", err=True)
        return False
    db = create_db_engine(settings.database_url)
    protector = protector_from_environ(os.environ, settings.var_dir, create=False)
    limits = limits_at(rate or settings.outbox_rate)
    sender = build_sender(channels, OutboxStore(db, protector, sender_name()), limits=limits)
    for channel in channels:
        await channel.start()
    try:
        if drain:
            return await sender.drain(timeout)
        await sender.run(_stop_on_signals())
        return True
    finally:
        for channel in channels:
            await channel.stop()
        db.dispose()


async def _with_telegram(settings: Settings, action: Callable[[TelegramChannel], Awaitable[T]]) -> T:
    from bot.channels.telegram import TelegramChannel, TelegramConfig

    if settings.telegram_bot_token is None:
        raise typer.BadParameter("TELEGRAM_BOT_TOKEN is not set")
    channel = TelegramChannel(
        TelegramConfig(
            settings.telegram_bot_token,
            settings.telegram_webhook_secret,
            settings.telegram_api_base_url,
        )
    )
    await channel.start()
    try:
        if not await channel.wait_ready(30):
            raise typer.BadParameter("cannot reach Telegram (or the token was rejected)")
        return await action(channel)
    finally:
        await channel.stop()


async def _describe_webhook(channel: TelegramChannel) -> dict[str, object]:
    info = await channel.bot.get_webhook_info()
    return {
        "url": info.url or "(none)",
        "pending_update_count": info.pending_update_count,
        "last_error_date": info.last_error_date,
        "last_error_message": info.last_error_message,
    }


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
