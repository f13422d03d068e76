"""Telegram through python-telegram-bot: webhook inside our ASGI app, polling for development.

Webhook: ``POST /webhooks/telegram`` checks ``X-Telegram-Bot-Api-Secret-Token`` in constant time
(403 otherwise), parses the JSON ``Update`` with PTB and feeds it to an ``Application`` built
without an Updater (``process_update``); its one handler normalises the update, and the route
stores the message through the inbox before answering 200, so a failure answers 500 and
Telegram delivers again. ``update_id`` is the provider message id: a repeat is answered once.

Commands map to words the engine knows (``/start``, ``/menu``, ``/delete``); an inline button
sends its option number. Replies leave from the outbox: split under 4,096 UTF-16 units, options
as an inline keyboard on the last part. The bot token is in every API URL: it is never logged
(``bot.logs`` quiets httpx) and error text is redacted before it is logged or stored.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.background import BackgroundTasks
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.channels.base import (
    Address,
    Part,
    PermanentSendError,
    Receiver,
    SendError,
    StatusSink,
    TransientSendError,
)
from bot.channels.redaction import redact
from bot.channels.splitting import split_text
from bot.channels.webhook import WebhookRejected, read_body, require_content_type
from bot.engine.messages import InboundMessage, Location, Media, OutboundMessage
from bot.inbox import Received
from bot.secret import Secret

log = logging.getLogger(__name__)

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, in UTF-16 code units
MAX_WEBHOOK_BYTES = 256 * 1024
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ("message", "callback_query")
COMMANDS = {"/start": "/start", "/menu": "menu", "/delete": "/delete", "/help": "help"}
MEDIA_KINDS = (  # (Message attribute, content type when Telegram gives none)
    ("photo", "image/jpeg"),
    ("voice", "audio/ogg"),
    ("audio", "audio/mpeg"),
    ("video", "video/mp4"),
    ("video_note", "video/mp4"),
    ("animation", "video/mp4"),
    ("document", "application/octet-stream"),
    ("sticker", "image/webp"),
)
RETRY_INIT_SECONDS = 10.0


@dataclass(frozen=True)
class TelegramConfig:
    """What the Telegram channel needs from the settings."""

    token: Secret
    webhook_secret: Secret | None = None
    """Without it the webhook route is not mounted (polling still works)."""
    api_base_url: str | None = None
    """PTB's ``base_url`` form, ending in ``/bot`` (tests point it at a local fake)."""
    timeout: float = 10.0


@dataclass(frozen=True)
class TelegramInbound:
    """One update, normalised: the message for the inbox and the button press to acknowledge."""

    message: InboundMessage
    callback_query_id: str | None = None
    button_message_id: int | None = None


@dataclass
class _Collected:
    """What the application's handler made of one webhook update."""

    items: list[TelegramInbound]
    failed: bool = False


_SINK: contextvars.ContextVar[_Collected] = contextvars.ContextVar("telegram_sink")


class TelegramChannel:
    """One Telegram bot."""

    def __init__(self, config: TelegramConfig) -> None:
        self._config = config
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._ready = asyncio.Event()
        self._init_task: asyncio.Task[None] | None = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset({"telegram"})

    # -- lifecycle ----------------------------------------------------------------------------

    def application(self, *, polling: bool = False) -> Application[Any, Any, Any, Any, Any, Any]:
        """A PTB Application on our token, base URL and timeouts (no Updater unless polling)."""
        timeout = self._config.timeout
        builder = (
            Application.builder()
            .token(self._config.token.reveal())
            .request(
                HTTPXRequest(
                    connect_timeout=5.0,
                    read_timeout=timeout,
                    write_timeout=timeout,
                    pool_timeout=5.0,
                )
            )
            .get_updates_request(HTTPXRequest(connect_timeout=5.0, read_timeout=timeout + 30, pool_timeout=5.0))
        )
        if self._config.api_base_url:
            builder = builder.base_url(self._config.api_base_url)
        if not polling:
            builder = builder.updater(None)
        return builder.build()

    async def start(self) -> None:
        app = self.application()
        app.add_handler(TypeHandler(Update, _collect))
        app.add_error_handler(_log_error)
        self._app = app
        self._init_task = asyncio.create_task(self._initialise(app))

    async def stop(self) -> None:
        if self._init_task is not None:
            self._init_task.cancel()
        if self._app is not None and self._ready.is_set():
            await self._app.shutdown()
        self._app = None
        self._ready.clear()

    async def wait_ready(self, timeout: float) -> bool:
        """Whether the application finished initialising within ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def _initialise(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """``initialize`` calls getMe: retry while Telegram is unreachable (webhook: 503)."""
        while True:
            try:
                await app.initialize()
            except TelegramError as exc:
                log.warning("telegram: cannot initialise yet (%s); retrying", type(exc).__name__)
                await asyncio.sleep(RETRY_INIT_SECONDS)
                continue
            self._ready.set()
            return

    # -- inbound ------------------------------------------------------------------------------

    def routes(self, receive: Receiver, report: StatusSink) -> Sequence[BaseRoute]:
        secret = self._config.webhook_secret
        if secret is None:
            return []

        async def webhook(request: Request) -> Response:
            try:
                _check_secret(request, secret)
                data = await _read_update(request)
            except WebhookRejected as exc:
                return exc.response()
            if self._app is None or not self._ready.is_set():
                return Response("not ready", status_code=503)
            try:
                update = Update.de_json(data, self._app.bot)
            except Exception:
                return WebhookRejected(400, "not a Telegram update").response()
            tasks = BackgroundTasks()
            for item in await _process(self._app, update):
                received = await receive(item.message)
                tasks.add_task(self._after_receipt, item, received)
            return Response(status_code=200, background=tasks)

        return [Route("/webhooks/telegram", webhook, methods=["POST"])]

    async def poll(self, receive: Receiver, stop: asyncio.Event) -> None:
        """Development mode: long-poll getUpdates until ``stop`` (drops any webhook first)."""

        async def on_update(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
            item = inbound_from_update(update, datetime.now(UTC))
            if item is not None:
                await self._after_receipt(item, await receive(item.message))

        app = self.application(polling=True)
        app.add_handler(TypeHandler(Update, on_update))
        app.add_error_handler(_log_error)
        async with app:
            self._app = app  # the sender of this process sends through it too
            self._ready.set()
            await app.bot.delete_webhook(drop_pending_updates=False)
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
            await app.start()
            await stop.wait()
            await app.updater.stop()
            await app.stop()
            self._ready.clear()
            self._app = None

    async def _after_receipt(self, item: TelegramInbound, received: Received) -> None:
        """Acknowledge a button press and say the replies that were not queued (after erasure)."""
        chat_id = int(item.message.user_id)
        if item.callback_query_id is not None:
            await self._quietly(self.bot.answer_callback_query(item.callback_query_id))
            if item.button_message_id is not None:
                await self._quietly(self.bot.edit_message_reply_markup(chat_id, item.button_message_id))
        for reply in received.replies:
            if reply.id == 0:  # not stored: the contact was erased in this turn
                for part in self.render("telegram", reply.message):
                    await self._quietly(self.bot.send_message(chat_id, part.text))

    @staticmethod
    async def _quietly(call: Awaitable[object]) -> None:
        try:
            await call
        except TelegramError as exc:
            log.warning("telegram: best-effort call failed (%s)", type(exc).__name__)

    # -- outbound -----------------------------------------------------------------------------

    @property
    def bot(self) -> Any:
        if self._app is None:
            raise TransientSendError("Telegram channel not started", "not_started")
        return self._app.bot

    def render(self, channel: str, message: OutboundMessage) -> tuple[Part, ...]:
        texts = split_text(message.text, TEXT_LIMIT)
        return (*(Part(text) for text in texts[:-1]), Part(texts[-1], message.options))

    def service_window(self, channel: str) -> timedelta | None:
        return None

    def has_template(self, channel: str) -> bool:
        return False

    async def send(self, address: Address, part: Part) -> str:
        markup = keyboard(part.options) if part.options else None
        try:
            sent: Message = await self.bot.send_message(int(address.user_id), part.text, reply_markup=markup)
        except TelegramError as exc:
            raise classify(exc) from None
        return str(sent.message_id)

    async def send_template(self, address: Address) -> tuple[str, str]:
        raise PermanentSendError("Telegram has no message templates", "no_template")

    async def set_webhook(self, public_url: str) -> bool:
        """Register ``<public_url>/webhooks/telegram`` with our secret token."""
        secret = self._config.webhook_secret
        if secret is None:
            raise PermanentSendError("TELEGRAM_WEBHOOK_SECRET is not set", "not_configured")
        ok: bool = await self.bot.set_webhook(
            url=f"{public_url.rstrip('/')}/webhooks/telegram",
            secret_token=secret.reveal(),
            allowed_updates=list(ALLOWED_UPDATES),
        )
        return ok


# -- webhook helpers ---------------------------------------------------------------------------


def _check_secret(request: Request, secret: Secret) -> None:
    presented = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(presented.encode(), secret.reveal().encode()):
        log.warning("telegram webhook refused: wrong or missing secret token")
        raise WebhookRejected(403, "invalid secret token")


async def _read_update(request: Request) -> dict[str, Any]:
    require_content_type(request.scope, "application/json")
    body = await read_body(request.scope, request.receive, MAX_WEBHOOK_BYTES)
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise WebhookRejected(400, "body is not JSON") from None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        raise WebhookRejected(400, "not a Telegram update")
    return data


async def _process(app: Application[Any, Any, Any, Any, Any, Any], update: Update) -> list[TelegramInbound]:
    """Run the update through the application; its handler collects what it normalised."""
    sink = _Collected([])
    token = _SINK.set(sink)
    try:
        await app.process_update(update)
    finally:
        _SINK.reset(token)
    if sink.failed:  # a bug in our handler: 500, so Telegram delivers the update again
        raise RuntimeError("telegram update could not be normalised")
    return sink.items


async def _collect(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    collected = _SINK.get()
    try:
        item = inbound_from_update(update, datetime.now(UTC))
    except Exception as exc:
        log.error("telegram: cannot normalise an update (%s)", type(exc).__name__)
        collected.failed = True
        return
    if item is not None:
        collected.items.append(item)


async def _log_error(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """PTB's default logs the update; we log the error type only."""
    log.error("telegram: handler failed (%s)", type(context.error).__name__)


# -- normalisation -----------------------------------------------------------------------------


def inbound_from_update(update: Update, received_at: datetime) -> TelegramInbound | None:
    """A message or a button press as an InboundMessage; other update kinds are ignored."""
    provider_id = f"update:{update.update_id}"
    query = update.callback_query
    if query is not None:
        chat = query.message.chat.id if query.message is not None else query.from_user.id
        text = query.data if isinstance(query.data, str) and query.data.isdigit() else "menu"
        message_id = query.message.message_id if query.message is not None else None
        return TelegramInbound(
            InboundMessage("telegram", str(chat), provider_id, text, received_at),
            query.id,
            message_id,
        )
    message = update.message
    if message is None:
        return None
    location = Location(message.location.latitude, message.location.longitude) if message.location else None
    return TelegramInbound(
        InboundMessage(
            channel="telegram",
            user_id=str(message.chat.id),
            provider_message_id=provider_id,
            text=_command_word(message.text) if message.text else (message.caption or ""),
            received_at=received_at,
            location=location,
            media=_media(message),
        )
    )


def _command_word(text: str) -> str:
    """``/start``, ``/menu@PuenteBot`` ... as the words the engine understands; other text as is."""
    if not text.startswith("/"):
        return text
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lower()
    return COMMANDS.get(command, text)


def _media(message: Message) -> tuple[Media, ...]:
    """Attachments as references to Telegram's file ids (a download URL would carry the token)."""
    found: list[Media] = []
    for attribute, default_type in MEDIA_KINDS:
        value = getattr(message, attribute, None)
        if not value:
            continue
        item = value[-1] if isinstance(value, tuple) else value  # photo: sizes, largest last
        content_type = getattr(item, "mime_type", None) or default_type
        found.append(Media(f"telegram-file:{item.file_id}", content_type))
    return tuple(found)


def keyboard(options: tuple[str, ...]) -> InlineKeyboardMarkup:
    """One button per option, labelled with its number; pressing it sends the number."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{number}. {label}", callback_data=str(number))]
            for number, label in enumerate(options, 1)
        ]
    )


# -- errors ------------------------------------------------------------------------------------


def _retry_after(exc: TelegramError) -> float | None:
    if not isinstance(exc, RetryAfter):
        return None
    with warnings.catch_warnings():  # PTB 22 warns that the int form is deprecated
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# Order matters: BadRequest and TimedOut are subclasses of NetworkError, which is retried.
ERROR_TABLE: tuple[tuple[type[TelegramError], Callable[[TelegramError], SendError]], ...] = (
    (
        RetryAfter,
        lambda e: TransientSendError("Telegram flood control", "telegram:429", _retry_after(e)),
    ),
    (
        Forbidden,
        lambda e: PermanentSendError("the person blocked the bot or left the chat", "telegram:forbidden"),
    ),
    (
        InvalidToken,
        lambda e: PermanentSendError("Telegram rejected the bot token", "telegram:token"),
    ),
    (ChatMigrated, lambda e: PermanentSendError("the chat moved to a new id", "telegram:migrated")),
    (Conflict, lambda e: PermanentSendError("webhook and polling conflict", "telegram:conflict")),
    (
        BadRequest,
        lambda e: PermanentSendError(f"Telegram refused: {redact(e.message)}", "telegram:400"),
    ),
    (TimedOut, lambda e: TransientSendError("Telegram did not answer in time", "telegram:timeout")),
    (
        NetworkError,
        lambda e: TransientSendError(f"network: {redact(e.message)}", "telegram:network"),
    ),
)


def classify(exc: TelegramError) -> SendError:
    """Sort a PTB error into retry-later or never-retry, most specific class first."""
    for kind, make in ERROR_TABLE:
        if isinstance(exc, kind):
            return make(exc)
    return PermanentSendError(f"Telegram error {type(exc).__name__}", "telegram:error")
