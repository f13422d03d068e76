"""Reading webhooks from the ASGI messages: bounded bodies, headers, and a form decoder that reads
bodies exactly as the standard library's ``parse_qsl`` does."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode

import pytest

from bot.channels.webhook import WebhookRejected, form_pairs, header, read_body, require_content_type

ALPHABET = "ab=&+% %2B%26%3D%C3%B1ñ😀\u00a0xyz09-_.~"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "&",
        "&&a=1&&",
        "a",
        "a=",
        "=b",
        "a=1&a=2",
        "a=1=2",
        "Body=hola+que+tal&From=whatsapp%3A%2B573001234567",
        "Body=%E2%9C%93%20ok%2",
        "Body=%zz%",
        "Body=50%25+off&x=%ff",
        urlencode({"Body": "¿dónde está? 😀 a+b=c&d", "ProfileName": "Ana María"}),
    ],
)
def test_same_pairs_as_parse_qsl(body: str) -> None:
    assert form_pairs(body.encode()) == parse_qsl(body, keep_blank_values=True)


def test_same_pairs_as_parse_qsl_on_random_bodies() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        body = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(40)))
        assert form_pairs(body.encode()) == parse_qsl(body, keep_blank_values=True), body


def test_quoted_values_come_back_whole() -> None:
    value = "Necesito ayuda: 50% + 2 niños & mi mamá = 3 😀"
    assert form_pairs(f"Body={quote_plus(value)}".encode()) == [("Body", value)]


def test_a_body_that_is_not_utf8_is_a_400() -> None:
    with pytest.raises(WebhookRejected) as refused:
        form_pairs(b"Body=\xff\xfe")
    assert (refused.value.status, refused.value.reason) == (400, "body is not UTF-8")


def scope_with(*headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/webhooks/x", "headers": list(headers)}


def arriving(*messages: dict[str, Any]) -> Any:
    """An ASGI ``receive`` that hands out ``messages`` in order."""
    pending = list(messages)

    async def receive() -> dict[str, Any]:
        return pending.pop(0)

    return receive


def chunk(body: bytes, more: bool) -> dict[str, Any]:
    return {"type": "http.request", "body": body, "more_body": more}


@pytest.mark.anyio
async def test_a_body_in_several_chunks_comes_back_whole() -> None:
    receive = arriving(chunk(b"Body=ho", True), chunk(b"", True), chunk(b"la&From=x", False))
    assert await read_body(scope_with(), receive, 100) == b"Body=hola&From=x"


@pytest.mark.anyio
async def test_a_body_in_one_message_without_more_body_or_body_keys() -> None:
    assert await read_body(scope_with(), arriving({"type": "http.request", "body": b"a=1"}), 100) == b"a=1"
    assert await read_body(scope_with(), arriving({"type": "http.request"}), 100) == b""


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "messages"),
    [
        ((b"content-length", b"101"), [chunk(b"", False)]),  # declared too large: refused before reading
        ((b"content-length", b"10"), [chunk(b"x" * 60, True), chunk(b"x" * 41, False)]),  # the declared size lied
        ((b"x-other", b"1"), [chunk(b"x" * 50, True), chunk(b"x" * 50, True), chunk(b"x", False)]),
    ],
)
async def test_a_body_over_the_limit_is_a_413(headers: tuple[bytes, bytes], messages: list[dict[str, Any]]) -> None:
    with pytest.raises(WebhookRejected) as refused:
        await read_body(scope_with(headers), arriving(*messages), 100)
    assert (refused.value.status, refused.value.reason) == (413, "body larger than 100 bytes")


@pytest.mark.anyio
async def test_a_client_that_leaves_mid_body_is_a_400_not_a_500() -> None:
    receive = arriving(chunk(b"Body=ho", True), {"type": "http.disconnect"})
    with pytest.raises(WebhookRejected) as refused:
        await read_body(scope_with(), receive, 100)
    assert (refused.value.status, refused.value.reason) == (400, "request body incomplete")


def test_headers_are_read_by_lower_case_name_first_value_first() -> None:
    scope = scope_with((b"x-twilio-signature", b"one"), (b"x-twilio-signature", b"two"), (b"x-name", b"Jos\xe9"))
    assert header(scope, b"x-twilio-signature") == "one"
    assert header(scope, b"x-name") == "José"  # latin-1, as ASGI servers pass header bytes
    assert header(scope, b"content-type") == ""


@pytest.mark.parametrize(
    ("declared", "accepted"),
    [
        (b"application/x-www-form-urlencoded", True),
        (b"Application/X-WWW-Form-Urlencoded; charset=utf-8", True),
        (b"application/json", False),
        (None, False),
    ],
)
def test_the_content_type_must_be_the_expected_one(declared: bytes | None, accepted: bool) -> None:
    scope = scope_with(*([(b"content-type", declared)] if declared is not None else []))
    if accepted:
        require_content_type(scope, "application/x-www-form-urlencoded")
        return
    with pytest.raises(WebhookRejected) as refused:
        require_content_type(scope, "application/x-www-form-urlencoded")
    assert refused.value.status == 415
