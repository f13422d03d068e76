"""The webhook form decoder reads bodies exactly as the standard library's ``parse_qsl`` does."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, quote_plus, urlencode

import pytest

from bot.channels.webhook import WebhookRejected, form_pairs

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
