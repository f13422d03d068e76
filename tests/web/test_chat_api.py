"""The web chat API: good requests answered, every bad one a 4xx with a reason, nothing lost."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.engine.engine import Engine as ConversationEngine
from bot.inbox import Inbox
from bot.storage.models import Message
from bot.storage.protection import Protector
from bot.web.chat import chat_routes
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

USER = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def client(db: Engine, protector: Protector) -> TestClient:
    engine = ConversationEngine(KeywordNlu({"medico": "health", "hola": "greeting"}), TinyContent(), EchoTexts())
    return TestClient(Starlette(routes=chat_routes(Inbox(db, engine, protector))))


def stored_messages(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Message)) or 0)


def test_post_returns_replies_with_ids_and_options(client: TestClient) -> None:
    response = client.post("/api/v1/chat", json={"user": USER, "text": "hola"})
    assert response.status_code == 200
    (reply,) = response.json()["replies"]
    assert reply["text"] == "es|privacy_notice"
    assert reply["options"][0] == "Español"
    assert isinstance(reply["id"], int)


def test_client_message_id_makes_retries_safe(client: TestClient) -> None:
    body = {"user": USER, "text": "hola", "id": "m-1"}
    assert client.post("/api/v1/chat", json=body).json()["duplicate"] is False
    again = client.post("/api/v1/chat", json=body).json()
    assert again == {"replies": [], "duplicate": True}


def test_get_returns_replies_after_an_id(client: TestClient) -> None:
    first = client.post("/api/v1/chat", json={"user": USER, "text": "hola"}).json()["replies"][0]["id"]
    client.post("/api/v1/chat", json={"user": USER, "text": "1"})
    later = client.get("/api/v1/chat", params={"user": USER, "after": first}).json()["replies"]
    assert [r["text"].split("\n")[0] for r in later] == ["es|welcome"]


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"{not json", 400, "body must be JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"text": "hola"}', 422, "user must be"),
        (b'{"user": "short", "text": "hola"}', 422, "user must be"),
        (b'{"user": "' + USER.encode() + b'"}', 422, "text must be a string"),
        (b'{"user": "' + USER.encode() + b'", "text": 5}', 422, "text must be a string"),
        (b'{"user": "' + USER.encode() + b'", "text": "' + b"a" * 20000 + b'"}', 422, "longer than 4096"),
        (b'{"user": "' + USER.encode() + b'", "text": "x", "id": "bad id!"}', 422, "id must be"),
        (b"x" * 70000, 413, "larger than"),
    ],
)
def test_bad_requests_get_a_reason_and_store_nothing(
    client: TestClient, db: Engine, body: bytes, status: int, reason: str
) -> None:
    client.post("/api/v1/chat", json={"user": USER, "text": "hola"})
    before = stored_messages(db)
    response = client.post("/api/v1/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert stored_messages(db) == before


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "🙏"])
def test_empty_or_emoji_text_gets_a_clear_reply(client: TestClient, text: str) -> None:
    client.post("/api/v1/chat", json={"user": USER, "text": "hola"})
    client.post("/api/v1/chat", json={"user": USER, "text": "1"})
    response = client.post("/api/v1/chat", json={"user": USER, "text": text})
    assert response.status_code == 200
    assert response.json()["replies"][0]["text"]


@pytest.mark.parametrize(
    ("params", "status"),
    [({"user": "nobody-known-here", "after": "0"}, 404), ({"user": "x"}, 422), ({"user": USER, "after": "-1"}, 422)],
)
def test_get_rejects_unknown_or_malformed(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/api/v1/chat", params=params)
    assert response.status_code == status
    assert response.json()["error"]


def test_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'id="quick-exit"' in page.text and "/static/chat.js" in page.text
