"""WhatsApp and SMS through Twilio: signed webhooks in, REST out, against a local fake Twilio."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest
import requests
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.datastructures import FormData
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from bot.channels.base import (
    Address,
    OutsideWindowError,
    Part,
    PermanentSendError,
    TransientSendError,
)
from bot.channels.outbox import OutboxStore
from bot.channels.twilio_whatsapp import (
    RateLimitedByTwilio,
    TwilioChannel,
    classify,
    inbound_from_form,
    twilio_signature,
)
from bot.engine.messages import OutboundMessage
from bot.inbox import Inbox
from bot.storage.models import Contact, Message, OutboxItem
from tests.channels.conftest import (
    AUTH_TOKEN,
    PUBLIC_URL,
    count,
    fast_hub,
    fixture,
)
from tests.channels.fake_twilio import FakeTwilio

pytestmark = pytest.mark.anyio


def sign(path: str, params: dict[str, str], token: str = AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return str(RequestValidator(token).compute_signature(f"{base}{path}", params))


async def post_signed(client: httpx.AsyncClient, path: str, params: dict[str, str], **kw: Any) -> httpx.Response:
    return await client.post(path, data=params, headers={"X-Twilio-Signature": sign(path, params, **kw)})


def client_for(twilio: TwilioChannel, inbox: Inbox, store: OutboxStore) -> tuple[httpx.AsyncClient, Any]:
    hub = fast_hub([twilio], inbox, store)
    app = Starlette(routes=hub.routes())
    # the app sees http://10.0.0.5:8000 (behind a TLS proxy); Twilio signed https://puente.example.org
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://10.0.0.5:8000"), hub


def nothing_stored(db: Engine) -> bool:
    return count(db, Contact) == 0 and count(db, Message) == 0 and count(db, OutboxItem) == 0


async def test_signed_text_is_stored_and_answered_at_once_with_empty_twiml(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, _ = client_for(twilio, inbox, store)
    async with client:
        response = await post_signed(client, "/webhooks/twilio", fixture("twilio_whatsapp_text.json"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response />" in response.text or "<Response></Response>" in response.text
    with db.connect() as conn:
        assert conn.scalar(select(Contact.channel)) == "whatsapp"
        assert conn.scalar(select(OutboxItem.status)) == "pending"  # sent later, from the outbox


async def test_location_media_and_sms_payloads_are_normalised(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    location = inbound_from_form(FormData(fixture("twilio_whatsapp_location.json")), _now())
    assert location.location is not None and location.location.latitude == pytest.approx(7.8939)
    media = inbound_from_form(FormData(fixture("twilio_whatsapp_media.json")), _now())
    assert media.media[0].content_type == "image/jpeg" and media.text == ""
    sms = inbound_from_form(FormData(fixture("twilio_sms_text.json")), _now())
    assert (sms.channel, sms.user_id, sms.text) == ("sms", "+573000000002", "menu")
    assert (location.channel, location.user_id) == ("whatsapp", "+573000000001")
    client, _ = client_for(twilio, inbox, store)
    async with client:
        for name in ("twilio_whatsapp_location.json", "twilio_whatsapp_media.json", "twilio_sms_text.json"):
            assert (await post_signed(client, "/webhooks/twilio", fixture(name))).status_code == 200
    with db.connect() as conn:
        rows = conn.execute(select(Message.has_location, Message.media_count).where(Message.direction == "in"))
        assert sorted(tuple(r) for r in rows) == [(False, 0), (False, 1), (True, 0)]
        assert sorted(conn.scalars(select(Contact.channel))) == ["sms", "whatsapp"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, id="forged"),
        pytest.param({"X-Twilio-Signature": b"bm90IGEgc2lnbmF0dXJl\xe9"}, id="not-ascii"),
        pytest.param(
            {"X-Twilio-Signature": sign("/webhooks/twilio", fixture("twilio_whatsapp_text.json"), "wrong-token")},
            id="other-token",
        ),
        pytest.param(
            {
                "X-Twilio-Signature": sign(
                    "/webhooks/twilio", fixture("twilio_whatsapp_text.json"), base="https://evil.example"
                )
            },
            id="other-url",
        ),
        pytest.param(
            {"X-Twilio-Signature": sign("/webhooks/twilio", {**fixture("twilio_whatsapp_text.json"), "Body": "hola"})},
            id="tampered-body",
        ),
    ],
)
async def test_bad_signature_gets_403_and_changes_nothing(
    headers: dict[str, str | bytes], twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, _ = client_for(twilio, inbox, store)
    async with client:
        response = await client.post("/webhooks/twilio", data=fixture("twilio_whatsapp_text.json"), headers=headers)
    assert response.status_code == 403
    assert nothing_stored(db)


@pytest.mark.parametrize("base", [PUBLIC_URL, f"{PUBLIC_URL}:443"], ids=["as-configured", "with-default-port"])
async def test_signature_over_the_url_with_or_without_its_port_is_accepted(
    base: str, twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    # Twilio signs with or without the default port; the SDK's validate accepts both
    client, _ = client_for(twilio, inbox, store)
    async with client:
        response = await post_signed(client, "/webhooks/twilio", fixture("twilio_whatsapp_text.json"), base=base)
    assert response.status_code == 200
    assert count(db, Contact) == 1


def test_our_signature_is_the_sdks_on_random_forms() -> None:
    rng = random.Random(11)
    names = ["Body", "From", "To", "MediaUrl0", "b", "B", "a", "ñ", "Body2", ""]
    values = ["", "hola", "hola ", "Hola", "😀", "a+b=c&d", "whatsapp:+573000000001", "ü", "0", "00"]
    for _ in range(3000):
        pairs = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randrange(12))]
        url = rng.choice([f"{PUBLIC_URL}/webhooks/twilio", f"{PUBLIC_URL}/webhooks/twilio?a=1&b=ñ"])
        token = rng.choice([AUTH_TOKEN, "otro-token-ñ"])
        expected = RequestValidator(token).compute_signature(url, FormData(pairs))  # read by getlist
        assert twilio_signature(token.encode(), url, pairs) == expected, pairs


async def test_the_query_string_is_part_of_the_signed_url(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    params = fixture("twilio_whatsapp_text.json")
    client, _ = client_for(twilio, inbox, store)
    async with client:
        signed = {"X-Twilio-Signature": sign("/webhooks/twilio?a=1", params)}
        moved = await client.post("/webhooks/twilio?a=2", data=params, headers=signed)
        assert moved.status_code == 403 and nothing_stored(db)
        kept = await client.post("/webhooks/twilio?a=1", data=params, headers=signed)
    assert kept.status_code == 200
    assert count(db, Contact) == 1


async def test_malformed_and_oversized_bodies_get_4xx_and_change_nothing(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    text = fixture("twilio_whatsapp_text.json")
    client, _ = client_for(twilio, inbox, store)
    async with client:
        no_sid = {k: v for k, v in text.items() if "Sid" not in k or k == "AccountSid"}
        bad_place = {**fixture("twilio_whatsapp_location.json"), "Latitude": "north"}
        bad_media = {**text, "NumMedia": "lots"}
        statuses = [
            (await post_signed(client, "/webhooks/twilio", p)).status_code for p in (no_sid, bad_place, bad_media)
        ]
        statuses.append((await client.post("/webhooks/twilio", json=text)).status_code)
        statuses.append(
            (await client.post("/webhooks/twilio", content=b"\xff\xfe=\xff", headers=_form_headers())).status_code
        )
        big = b"Body=" + b"a" * (1024 * 1024)
        statuses.append((await client.post("/webhooks/twilio", content=big, headers=_form_headers())).status_code)
    assert statuses == [400, 400, 400, 415, 400, 413]
    assert nothing_stored(db)


async def test_a_hundred_duplicate_deliveries_give_one_reply(
    twilio: TwilioChannel,
    inbox: Inbox,
    store: OutboxStore,
    db: Engine,
    fake_twilio: tuple[FakeTwilio, str],
) -> None:
    client, hub = client_for(twilio, inbox, store)
    params = fixture("twilio_whatsapp_text.json")
    async with client:
        responses = await asyncio.gather(*(post_signed(client, "/webhooks/twilio", params) for _ in range(100)))
    assert {r.status_code for r in responses} == {200}
    assert await hub.sender.drain(10)
    fake, _ = fake_twilio
    assert count(db, Message) == 2  # one inbound, one reply
    assert [(m.to, m.body) for m in fake.sent] == [("whatsapp:+573000000001", _privacy_notice_with_options())]


async def test_status_callbacks_are_signed_monotonic_and_show_failures(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, hub = client_for(twilio, inbox, store)
    async with client:
        await post_signed(client, "/webhooks/twilio", fixture("twilio_whatsapp_text.json"))
        await hub.sender.drain(10)
        with db.connect() as conn:
            outbox_id = conn.scalar(select(OutboxItem.id))
        path = f"/webhooks/twilio/status?outbox={outbox_id}"
        delivered = fixture("twilio_status_delivered.json")
        unsigned = await client.post(path, data=delivered)
        assert unsigned.status_code == 403
        for status in ("delivered", "sent", "queued"):  # late, out-of-order callbacks
            assert (await post_signed(client, path, {**delivered, "MessageStatus": status})).status_code == 200
        assert _outbox_row(db)[:2] == ("sent", "delivered")
        assert (await post_signed(client, path, {**delivered, "MessageStatus": "read"})).status_code == 200
        assert _outbox_row(db)[:2] == ("sent", "read")
        assert (await post_signed(client, path, fixture("twilio_status_failed_63016.json"))).status_code == 200
    status, provider_status, code, reason = _outbox_row(db)
    assert (status, provider_status, code) == ("failed", "failed", "63016")
    assert reason is not None and "24-hour window" in reason


async def test_erasure_goodbye_is_said_in_the_twiml_answer(
    twilio: TwilioChannel, inbox: Inbox, store: OutboxStore, db: Engine
) -> None:
    client, _ = client_for(twilio, inbox, store)
    base = fixture("twilio_whatsapp_text.json")
    async with client:
        for i, text in enumerate(["hola", "1", "/delete", "1"]):
            response = await post_signed(client, "/webhooks/twilio", {**base, "Body": text, "MessageSid": f"SMe{i}"})
    assert "<Message>es|delete_done</Message>" in response.text
    assert count(db, Contact) == 0


def test_render_numbers_the_options_and_splits_under_1600() -> None:
    channel = TwilioChannel(_config_without_network())
    (part,) = channel.render("whatsapp", OutboundMessage("Menu:", ("Food", "Health")))
    assert part == Part("Menu:\n\n1. Food\n2. Health")
    parts = channel.render("sms", OutboundMessage("palabra " * 500, ("Food",)))
    assert len(parts) == 3 and all(len(p.text) <= 1600 for p in parts)
    assert parts[-1].text.endswith("1. Food")


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (TwilioRestException(400, "/x", "outside", 63016), OutsideWindowError, "63016"),
        (TwilioRestException(400, "/x", "bad To +573000000001", 21211), PermanentSendError, "21211"),
        (TwilioRestException(400, "/x", "blocked", 63014), PermanentSendError, "63014"),
        (TwilioRestException(429, "/x", "busy", 20429), TransientSendError, "20429"),
        (TwilioRestException(503, "/x", "down", 503), TransientSendError, "503"),
        (RateLimitedByTwilio(2.0), TransientSendError, "http:429"),
        (requests.exceptions.ReadTimeout(), TransientSendError, "timeout"),
        (requests.exceptions.ConnectionError(), TransientSendError, "network"),
    ],
)
def test_errors_are_classified_deliberately(error: Exception, kind: type, code: str) -> None:
    classified = classify(error)
    assert type(classified) is kind and classified.code == code
    assert "573000000001" not in classified.reason  # Twilio's text quotes numbers: never kept


async def test_every_call_has_a_timeout(twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]) -> None:
    fake, _ = fake_twilio
    fake.failures.script.append("timeout")
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TransientSendError) as raised:
        await twilio.send(Address("whatsapp", "+573000000001", 1), Part("hola"))
    assert raised.value.code == "timeout" and loop.time() - started < 0.7  # the client gave up at 0.5 s
    assert fake.sent == []


async def test_retry_after_header_is_passed_on(twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]) -> None:
    fake, _ = fake_twilio
    fake.failures.script.append("429:3")
    with pytest.raises(TransientSendError) as raised:
        await twilio.send(Address("sms", "+573000000002", 1), Part("hola"))
    assert raised.value.retry_after == 3.0


def _outbox_row(db: Engine) -> tuple[Any, ...]:
    with db.connect() as conn:
        row = conn.execute(
            select(OutboxItem.status, OutboxItem.provider_status, OutboxItem.error_code, OutboxItem.last_error)
        ).one()
    return tuple(row)


def _privacy_notice_with_options() -> str:
    return "es|privacy_notice\n\n1. Español\n2. English\n3. Português\n4. Français\n5. Kreyòl"


def _form_headers() -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _config_without_network() -> Any:
    from tests.channels.conftest import twilio_config

    return twilio_config()


async def test_no_credentials_or_numbers_in_the_logs_at_info(
    caplog: pytest.LogCaptureFixture,
    twilio: TwilioChannel,
    inbox: Inbox,
    store: OutboxStore,
    fake_twilio: tuple[FakeTwilio, str],
) -> None:
    import logging

    from tests.channels.conftest import ACCOUNT_SID

    caplog.set_level(logging.INFO)
    fake, _ = fake_twilio
    fake.failures.script.extend(["500", "error:21211"])
    client, hub = client_for(twilio, inbox, store)
    params = fixture("twilio_whatsapp_text.json")
    async with client:
        await client.post("/webhooks/twilio", data=params, headers={"X-Twilio-Signature": "forged"})
        await post_signed(client, "/webhooks/twilio", params)
        await post_signed(
            client, "/webhooks/twilio", {**params, "MessageSid": "SMsecond", "From": "whatsapp:+573001234567"}
        )
        assert await hub.sender.drain(10)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_info!r}" for r in caplog.records if r.levelno >= logging.INFO)
    assert "failed for good" in logged  # the permanent failure was logged, by its code only
    for private in (AUTH_TOKEN, ACCOUNT_SID, "573000000001", "573001234567", "necesito ayuda", "forged"):
        assert private not in logged
