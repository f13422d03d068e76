"""A local stand-in for the Telegram Bot API (``/bot<token>/<method>``), as PTB calls it.

Speaks the Bot API's wire format: form-encoded (or JSON) parameters, ``{"ok": true, "result":
...}`` on success and ``{"ok": false, "error_code": ..., "description": ...}`` otherwise.
``sendMessage`` outcomes on demand (see ``Failures``): ``500``, ``502``, ``timeout``, ``429``
(no retry_after), ``429:<seconds>``, ``403`` (blocked by the user), ``400`` (chat not found).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from tests.channels.fakehttp import Failures, Handler, serving

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "Puente", "username": "PuenteTestBot"}


@dataclass(frozen=True)
class SentText:
    chat_id: int
    message_id: int
    text: str
    buttons: tuple[tuple[str, str], ...]  # (label, callback_data)
    at: float = 0.0


@dataclass
class FakeTelegram:
    token: str
    failures: Failures = field(default_factory=Failures)
    sent: list[SentText] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    webhook: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._next_id = 100

    def record(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((method, params))

    def accept(self, params: dict[str, Any]) -> SentText:
        markup = json.loads(params["reply_markup"]) if params.get("reply_markup") else {}
        buttons = tuple(
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        )
        with self._lock:
            self._next_id += 1
            sent = SentText(int(params["chat_id"]), self._next_id, str(params["text"]), buttons, time.monotonic())
            self.sent.append(sent)
        return sent

    def methods(self) -> list[str]:
        with self._lock:
            return [method for method, _ in self.calls]

    @contextmanager
    def running(self) -> Iterator[str]:
        """Yields PTB's ``base_url`` form (``http://127.0.0.1:<port>/bot``)."""
        with serving(_TelegramHandler, self) as url:
            yield f"{url}/bot"


def _failure(code: int, description: str, **parameters: int) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


FAILURES = {
    "500": _failure(500, "Internal Server Error"),
    "502": _failure(502, "Bad Gateway"),
    "429": _failure(429, "Too Many Requests"),
    "403": _failure(403, "Forbidden: bot was blocked by the user"),
    "400": _failure(400, "Bad Request: chat not found"),
}


class _TelegramHandler(Handler):
    def do_POST(self) -> None:
        fake: FakeTelegram = self.server.owner  # type: ignore[attr-defined]
        token, _, method = self.path.removeprefix("/bot").partition("/")
        params = self._params(self.read_body())
        if token != fake.token:
            self._json(*_failure(401, "Unauthorized"))
            return
        fake.record(method, params)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            self._json(*_failure(404, "Not Found: method not found"))
            return
        handler(fake, params)

    def _params(self, body: bytes) -> dict[str, Any]:
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return dict(json.loads(body or b"{}"))
        return dict(parse_qsl(body.decode(), keep_blank_values=True))

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self.answer(status, json.dumps(body).encode(), "application/json")

    def _ok(self, result: object) -> None:
        self._json(200, {"ok": True, "result": result})

    def _getMe(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        self._ok(BOT_USER)

    def _sendMessage(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        outcome = fake.failures.next_outcome()
        if outcome == "timeout":
            self.stall(fake.failures)
            self._json(*FAILURES["500"])
            return
        if outcome.startswith("429:"):
            self._json(*_failure(429, "Too Many Requests: retry later", retry_after=int(outcome[4:])))
            return
        if outcome in FAILURES:
            self._json(*FAILURES[outcome])
            return
        sent = fake.accept(params)
        self._ok(
            {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": {"id": sent.chat_id, "type": "private"},
                "from": BOT_USER,
                "text": sent.text,
            }
        )

    def _answerCallbackQuery(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        self._ok(True)

    def _editMessageReplyMarkup(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        self._ok(True)

    def _setWebhook(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        fake.webhook = dict(params)
        self._ok(True)

    def _deleteWebhook(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        fake.webhook = {}
        self._ok(True)

    def _getWebhookInfo(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        self._ok({"url": fake.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0})

    def _getUpdates(self, fake: FakeTelegram, params: dict[str, Any]) -> None:
        offset = int(params.get("offset", 0) or 0)
        while fake.updates and fake.updates[0]["update_id"] < offset:
            fake.updates.popleft()
        batch = [u for u in list(fake.updates) if u["update_id"] >= offset][:100]
        if not batch:
            time.sleep(0.05)
        self._ok(batch)
