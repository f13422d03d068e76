"""The web chat: the page at ``/`` and its JSON API at ``/api/v1/chat``.

POST {"user": "<id>", "text": "...", "id": "<optional client message id>"}
  -> 200 {"replies": [{"id": 12, "text": "...", "options": ["..."]}], "duplicate": false}
GET  ?user=<id>&after=<reply id>  -> 200 {"replies": [...]} (messages that arrived later)
Every bad request gets a 4xx with {"error": "<reason>"}.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.engine.messages import InboundMessage
from bot.inbox import Inbox, StoredReply

WEB_DIR = Path(__file__).resolve().parent
MAX_TEXT_CHARS = 4096
MAX_BODY_BYTES = 64 * 1024
_USER_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ChatRequestError(ValueError):
    """A chat request that cannot be accepted; the message is shown to the client."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def chat_routes(inbox: Inbox) -> list[BaseRoute]:
    """The page, its static files and the API, bound to one inbox."""
    templates = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=select_autoescape(["html"])
    )
    page = templates.get_template("chat.html").render()

    async def index(_: Request) -> Response:
        return HTMLResponse(page)

    async def post_chat(request: Request) -> Response:
        try:
            message = _inbound_from(await _read_json(request))
        except ChatRequestError as exc:
            return _error(exc.status, str(exc))
        received = await run_in_threadpool(inbox.receive, message)
        return JSONResponse({"replies": _serialise(received.replies), "duplicate": received.duplicate})

    async def get_chat(request: Request) -> Response:
        user = request.query_params.get("user", "")
        after_raw = request.query_params.get("after", "0")
        if not _USER_ID.match(user):
            return _error(422, "user must be 8-64 letters, digits, '-' or '_'")
        if not after_raw.isdigit():
            return _error(422, "after must be a non-negative whole number")
        replies = await run_in_threadpool(inbox.replies_after, "web", user, int(after_raw))
        if replies is None:
            return _error(404, "unknown user: send a message first")
        return JSONResponse({"replies": _serialise(replies)})

    return [
        Route("/", index, methods=["GET"]),
        Route("/api/v1/chat", post_chat, methods=["POST"]),
        Route("/api/v1/chat", get_chat, methods=["GET"]),
        Mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static"),
    ]


async def _read_json(request: Request) -> dict[str, object]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ChatRequestError(413, f"request body is larger than {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise ChatRequestError(413, f"request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ChatRequestError(400, "body must be JSON: {\"user\": \"...\", \"text\": \"...\"}") from None
    if not isinstance(data, dict):
        raise ChatRequestError(400, "body must be a JSON object with 'user' and 'text'")
    return data


def _inbound_from(data: dict[str, object]) -> InboundMessage:
    user, text, client_id = data.get("user"), data.get("text"), data.get("id")
    if not isinstance(user, str) or not _USER_ID.match(user):
        raise ChatRequestError(422, "user must be a string of 8-64 letters, digits, '-' or '_'")
    if not isinstance(text, str):
        raise ChatRequestError(422, "text must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise ChatRequestError(422, f"text is longer than {MAX_TEXT_CHARS} characters")
    if client_id is not None and (not isinstance(client_id, str) or not _CLIENT_ID.match(client_id)):
        raise ChatRequestError(422, "id must be 1-64 letters, digits, '-' or '_'")
    return InboundMessage(
        channel="web",
        user_id=user,
        # The dedupe key must not carry the user id itself: it outlives erasure of the text.
        provider_message_id=f"{hashlib.sha256(user.encode()).hexdigest()[:16]}:{client_id}"
        if client_id
        else uuid.uuid4().hex,
        text=text,
        received_at=datetime.now(UTC),
    )


def _serialise(replies: tuple[StoredReply, ...]) -> list[dict[str, object]]:
    return [{"id": r.id, "text": r.message.text, "options": list(r.message.options)} for r in replies]


def _error(status: int, reason: str) -> Response:
    return JSONResponse({"error": reason}, status_code=status)
